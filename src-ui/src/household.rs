//! Your household: create one or join with an invitation (typed, or opened from its QR link);
//! once in one, its members and their places, inviting family (a code and its QR code), making a
//! member a senior and choosing whom their help requests reach, switching a senior's simple view
//! from this device, signing a parent's new device in, removing members and leaving; and "Set up
//! Hearth for a parent", which makes the parent's account and shows the code their device signs
//! in with. Everything here needs the server; offline, the household as last read is shown.

use hearth_core::household::{
    Household, HouseholdRole, InviteRole, MAX_HOUSEHOLD_NAME_CHARS, Member, SetUpSenior, normalize_name,
};
use hearth_core::i18n::Locale;
use hearth_core::ipc::{CommandError, ErrorCode, ShareCode};
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;

use crate::api;
use crate::i18n::{format_timestamp, use_i18n};
use crate::state::ShellData;
use crate::widgets::{Confirm, KeptNotice};

/// What a refusal means here: the message id to show.
fn refusal(error: &CommandError) -> &'static str {
    match error.code {
        c if c.is_offline() => "household-needs-server",
        ErrorCode::NotFound => "household-gone",
        ErrorCode::Taken => "household-taken",
        _ => refusal_of_join(error),
    }
}

/// What a refusal of joining (or creating) a household means.
fn refusal_of_join(error: &CommandError) -> &'static str {
    match error.code {
        c if c.is_offline() => "household-needs-server",
        ErrorCode::CodeUsed => "household-code-used",
        ErrorCode::CodeExpired => "household-code-expired",
        ErrorCode::NotFound => "household-code-unknown",
        ErrorCode::Taken => "household-already-in-one",
        ErrorCode::InvalidField | ErrorCode::InvalidArgument => "household-invalid",
        ErrorCode::Forbidden => "household-forbidden",
        ErrorCode::OwnerCannotLeave => "household-owner-stays",
        _ => "household-failed",
    }
}

/// A code shown to pass on: what it is for, the QR code of its link, the code as text, and when
/// it stops working.
#[component]
fn ShareCard(share: ShareCode) -> impl IntoView {
    let i18n = use_i18n();
    // In the reader's language, whenever it changes: an invitation, or a parent's device code.
    let for_name = share.for_name.clone();
    let words = move |parent: &'static str, invite: &'static str| match &for_name {
        Some(name) => i18n.t_with(parent, &[("name", name.clone().into())]),
        None => i18n.t(invite),
    };
    let title = {
        let words = words.clone();
        move || words("household-device-title", "household-invite-title")
    };
    let how = move || words("household-device-how", "household-invite-how");
    let encoded = js_sys::encode_uri_component(&share.qr_svg).as_string().unwrap_or_default();
    let source = format!("data:image/svg+xml;charset=utf-8,{encoded}");
    let until = share.expires_at_ms;
    let code = share.code.clone();
    let card = NodeRef::<html::Section>::new();
    // Shown where the user is looking: the card comes into view (and takes the focus, so a
    // screen reader reads it) as it appears.
    Effect::new(move |_| {
        if let Some(card) = card.get() {
            card.scroll_into_view();
            let _ = card.focus();
        }
    });
    view! {
        <section node_ref=card tabindex="-1" class="share-code" aria-labelledby="share-code-title" data-testid="share-code">
            <h3 id="share-code-title">{title}</h3>
            <p>{how}</p>
            <img class="qr" data-testid="share-qr" data-link=share.link.clone() src=source
                alt=move || i18n.t_with("household-qr-alt", &[("code", code.clone().into())]) />
            <p class="code-text" data-testid="share-code-text">{share.code.clone()}</p>
            <p class="note">
                {move || i18n.t_with("household-code-until", &[("time", format_timestamp(until, i18n.locale.get()).into())])}
            </p>
        </section>
    }
}

/// The household screen.
#[component]
pub fn HouseholdScreen() -> impl IntoView {
    let i18n = use_i18n();
    let shell = expect_context::<ShellData>();
    let query = use_query_map();
    let household = RwSignal::new(None::<Household>);
    let loaded = RwSignal::new(false);
    let kept_from = RwSignal::new(None::<i64>);
    let said = RwSignal::new(None::<&'static str>);
    let share = RwSignal::new(None::<ShareCode>);
    let name = RwSignal::new(String::new());
    let join_code = RwSignal::new(String::new());
    // A link that arrives while this screen shows brings its code too.
    Effect::new(move |_| {
        if let Some(code) = query.with(|q| q.get("code")) {
            join_code.set(code);
        }
    });
    let invite_role = RwSignal::new(InviteRole::Member);
    let parent_name = RwSignal::new(String::new());
    let parent_email = RwSignal::new(String::new());
    let parent_locale = RwSignal::new(i18n.locale.get_untracked());
    let to_remove = RwSignal::new(None::<Member>);
    let confirm_remove = NodeRef::<html::Dialog>::new();

    let reload = move || {
        spawn_local(async move {
            match api::my_household().await {
                Ok(fetched) => {
                    kept_from.set(fetched.from_cache.then_some(fetched.fetched_at_ms));
                    household.set(fetched.value);
                }
                Err(error) if error.code == ErrorCode::SignedOut => household.set(None),
                Err(error) => said.set(Some(refusal(&error))),
            }
            loaded.set(true);
        });
    };
    Effect::new(move |_| {
        if shell.account.get().is_some() {
            reload();
        }
    });
    let me = move || shell.account.get().map(|a| a.user_id).unwrap_or_default();
    let my_role = move || {
        household
            .with(|h| h.as_ref().and_then(|h| h.members.iter().find(|m| m.user_id == me()).map(|m| m.role)))
    };
    let owner = move || my_role() == Some(HouseholdRole::Owner);
    // The household as a change left it, and what to say; `refusal` words a failure.
    let show = move |result: Result<Household, CommandError>,
                     done: &'static str,
                     refusal: fn(&CommandError) -> &'static str| match result {
        Ok(now) => {
            household.set(Some(now));
            said.set(Some(done));
        }
        Err(error) => said.set(Some(refusal(&error))),
    };
    let changed = move |result, done| show(result, done, refusal);
    let joined = move |result, done| show(result, done, refusal_of_join);
    let create = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if normalize_name(&name.get_untracked()).is_err() {
            said.set(Some("household-invalid"));
            return;
        }
        spawn_local(
            async move { joined(api::create_household(name.get_untracked()).await, "household-created") },
        );
    };
    let join = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        spawn_local(async move {
            joined(api::join_household(join_code.get_untracked()).await, "household-joined")
        });
    };
    let invite = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let role = invite_role.get_untracked();
        spawn_local(async move {
            match api::invite_to_household(role).await {
                Ok(code) => {
                    share.set(Some(code));
                    said.set(None);
                }
                Err(error) => said.set(Some(refusal(&error))),
            }
        });
    };
    let set_up_parent = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let valid = hearth_core::account::normalize_display_name(&parent_name.get_untracked()).is_ok()
            && hearth_core::account::normalize_email(&parent_email.get_untracked()).is_ok();
        if !valid {
            said.set(Some("household-invalid"));
            return;
        }
        let request = SetUpSenior {
            display_name: parent_name.get_untracked(),
            email: parent_email.get_untracked(),
            locale: Some(parent_locale.get_untracked()),
        };
        spawn_local(async move {
            match api::set_up_senior(request).await {
                Ok(code) => {
                    share.set(Some(code));
                    parent_name.set(String::new());
                    parent_email.set(String::new());
                    said.set(Some("household-parent-ready"));
                    reload();
                }
                Err(error) => said.set(Some(refusal(&error))),
            }
        });
    };
    let new_device = move |member: Member| {
        spawn_local(async move {
            match api::senior_sign_in_code(member.user_id).await {
                Ok(code) => {
                    share.set(Some(code));
                    said.set(None);
                }
                Err(error) => said.set(Some(refusal(&error))),
            }
        });
    };
    let remove = move |()| {
        let Some(member) = to_remove.get_untracked() else { return };
        let leaving = member.user_id == me();
        spawn_local(async move {
            match api::remove_member(member.user_id).await {
                Ok(()) => {
                    // A code shown for the household no longer belongs on screen.
                    share.set(None);
                    said.set(Some(if leaving { "household-left" } else { "household-removed" }));
                    reload();
                }
                Err(error) => said.set(Some(refusal(&error))),
            }
        });
    };
    let ask_remove = move |member: Member| {
        to_remove.set(Some(member));
        if let Some(dialog) = confirm_remove.get_untracked() {
            let _ = dialog.show_modal();
        }
    };

    let member_row = move |member: Member, all: Vec<Member>| {
        let is_me = member.user_id == me();
        let role_label = match member.role {
            HouseholdRole::Owner => "household-role-owner",
            HouseholdRole::Member => "household-role-member",
            HouseholdRole::Senior => "household-role-senior",
        };
        let senior = member.role == HouseholdRole::Senior;
        let contact_of_mine = member.family_contacts.contains(&me());
        let may_switch = senior && (owner() || contact_of_mine);
        let may_choose_contacts = senior && (owner() || is_me);
        let may_sign_in = senior && member.set_up_by_family && (owner() || contact_of_mine);
        let contact_names: Vec<String> = all
            .iter()
            .filter(|m| member.family_contacts.contains(&m.user_id))
            .map(|m| m.display_name.clone())
            .collect();
        let chosen = RwSignal::new(member.family_contacts.clone());
        let others: Vec<Member> = all.iter().filter(|m| m.user_id != member.user_id).cloned().collect();
        let id = member.user_id.clone();
        let testid = format!("member-{}", member.display_name);
        // Each row's buttons say whose they are ("Remove", of 妈妈).
        let name_id = format!("member-{}-name", member.user_id);
        let (m1, m2, m3) = (member.clone(), member.clone(), member.clone());
        let name = member.display_name.clone();
        view! {
            <li class="member" data-testid=testid>
                <p class="member-name">
                    <strong id=name_id.clone()>{member.display_name.clone()}</strong>
                    " · "
                    <span data-testid="member-role">{move || i18n.t(role_label)}</span>
                    {is_me.then(|| view! { " · " <span>{move || i18n.t("household-you")}</span> })}
                    {member.set_up_by_family.then(|| view! { " · " <span class="note">{move || i18n.t("household-set-up-by-family")}</span> })}
                </p>
                {(senior && !contact_names.is_empty()).then(|| {
                    let names = contact_names.join(", ");
                    view! { <p class="note" data-testid="member-contacts">{move || i18n.t_with("household-contacts-are", &[("names", names.clone().into())])}</p> }
                })}
                <div class="actions">
                    {(owner() && member.role != HouseholdRole::Owner).then(|| {
                        let make = if senior { InviteRole::Member } else { InviteRole::Senior };
                        let label = if senior { "household-make-member" } else { "household-make-senior" };
                        let id = id.clone();
                        view! {
                            <button type="button" class="secondary" data-testid="member-make" aria-describedby=name_id.clone() on:click=move |_| {
                                let id = id.clone();
                                spawn_local(async move { changed(api::set_member_role(id, make).await, "household-role-changed") });
                            }>{move || i18n.t(label)}</button>
                        }
                    })}
                    {may_switch.then(|| {
                        let (on_id, off_id) = (id.clone(), id.clone());
                        let switch = move |id: String, enabled: bool| spawn_local(async move {
                            match api::set_member_senior_mode(id, enabled).await {
                                Ok(_) => said.set(Some(if enabled { "household-simple-on" } else { "household-simple-off" })),
                                Err(error) => said.set(Some(refusal(&error))),
                            }
                        });
                        view! {
                            <button type="button" data-testid="member-simple-on" aria-describedby=name_id.clone() on:click=move |_| switch(on_id.clone(), true)>
                                {move || i18n.t("household-simple-view-on")}
                            </button>
                            <button type="button" class="secondary" data-testid="member-simple-off" aria-describedby=name_id.clone() on:click=move |_| switch(off_id.clone(), false)>
                                {move || i18n.t("household-simple-view-off")}
                            </button>
                        }
                    })}
                    {may_sign_in.then(|| view! {
                        <button type="button" class="secondary" data-testid="member-new-device" aria-describedby=name_id.clone() on:click=move |_| new_device(m1.clone())>
                            {move || i18n.t("household-new-device")}
                        </button>
                    })}
                    {(member.role != HouseholdRole::Owner && (owner() || is_me)).then(|| {
                        let label = if is_me { "household-leave" } else { "household-remove" };
                        view! {
                            <button type="button" class="danger" data-testid=if is_me { "household-leave" } else { "member-remove" } aria-describedby=name_id.clone()
                                on:click=move |_| ask_remove(m2.clone())>{move || i18n.t(label)}</button>
                        }
                    })}
                </div>
                {(may_choose_contacts && !others.is_empty()).then(|| {
                    let senior_id = m3.user_id.clone();
                    let save = move |event: leptos::ev::SubmitEvent| {
                        event.prevent_default();
                        let senior_id = senior_id.clone();
                        spawn_local(async move {
                            changed(api::set_family_contacts(senior_id, chosen.get_untracked()).await, "household-contacts-saved");
                        });
                    };
                    view! {
                        <form class="contacts" on:submit=save>
                            <fieldset>
                                <legend>{move || i18n.t_with("household-contacts-legend", &[("name", name.clone().into())])}</legend>
                                {others.iter().map(|other| {
                                    let other_id = other.user_id.clone();
                                    let checked_id = other_id.clone();
                                    view! {
                                        <label class="check">
                                            <input type="checkbox" data-testid=format!("contact-{}", other.display_name)
                                                prop:checked=move || chosen.with(|c| c.contains(&checked_id))
                                                on:change=move |e| {
                                                    let on = event_target_checked(&e);
                                                    let other_id = other_id.clone();
                                                    chosen.update(|c| {
                                                        c.retain(|x| *x != other_id);
                                                        if on { c.push(other_id); }
                                                    });
                                                } />
                                            <span>{other.display_name.clone()}</span>
                                        </label>
                                    }
                                }).collect_view()}
                                <div class="actions">
                                    <button type="submit" data-testid="contacts-save">{move || i18n.t("household-contacts-save")}</button>
                                </div>
                            </fieldset>
                        </form>
                    }
                })}
            </li>
        }
    };

    view! {
        <section class="household sign-up" aria-labelledby="household-title" data-testid="household">
            <h2 id="household-title">{move || i18n.t("household-title")}</h2>
            <p class="note">{move || i18n.t("household-about")}</p>
            <KeptNotice kept_from=kept_from testid="household-kept" />
            <p class="saved toast" role="status" data-testid="household-said" class:shown=move || said.get().is_some()>
                {move || said.get().map(|id| i18n.t(id))}
            </p>
            {move || share.get().map(|code| view! { <ShareCard share=code /> })}
            {move || {
                if shell.account.get().is_none() {
                    return view! { <p data-testid="household-signed-out">{move || i18n.t("household-signed-out")}</p> }.into_any();
                }
                if !loaded.get() {
                    return view! { <p class="note">{move || i18n.t("household-loading")}</p> }.into_any();
                }
                match household.get() {
                    None => view! {
                        <form on:submit=create novalidate>
                            <fieldset>
                                <legend>{move || i18n.t("household-create")}</legend>
                                <label for="household-name">{move || i18n.t("household-name")}</label>
                                <input id="household-name" type="text" data-testid="household-name"
                                    maxlength=MAX_HOUSEHOLD_NAME_CHARS.to_string()
                                    prop:value=move || name.get() on:input=move |e| name.set(event_target_value(&e)) />
                                <div class="actions">
                                    <button type="submit" data-testid="household-create">{move || i18n.t("household-create")}</button>
                                </div>
                            </fieldset>
                        </form>
                        <form on:submit=join novalidate>
                            <fieldset>
                                <legend>{move || i18n.t("household-join")}</legend>
                                <label for="household-join-code">{move || i18n.t("household-join-code")}</label>
                                <input id="household-join-code" type="text" data-testid="household-join-code" autocomplete="off"
                                    aria-describedby="household-join-hint"
                                    prop:value=move || join_code.get() on:input=move |e| join_code.set(event_target_value(&e)) />
                                <p id="household-join-hint" class="note">{move || i18n.t("household-join-hint")}</p>
                                <div class="actions">
                                    <button type="submit" data-testid="household-join">{move || i18n.t("household-join")}</button>
                                </div>
                            </fieldset>
                        </form>
                    }.into_any(),
                    Some(current) => {
                        let all = current.members.clone();
                        view! {
                            <h3 data-testid="household-name-shown">{current.name.clone()}</h3>
                            <ul class="members" aria-label=move || i18n.t("household-members")>
                                {current.members.iter().cloned().map(|m| member_row(m, all.clone())).collect_view()}
                            </ul>
                            {owner().then(|| view! {
                                <form on:submit=invite>
                                    <fieldset>
                                        <legend>{move || i18n.t("household-invite")}</legend>
                                        <label for="household-invite-role">{move || i18n.t("household-invite-role")}</label>
                                        <select id="household-invite-role" data-testid="household-invite-role"
                                            on:change=move |e| invite_role.set(if event_target_value(&e) == "senior" { InviteRole::Senior } else { InviteRole::Member })>
                                            <option value="member" selected=move || invite_role.get() == InviteRole::Member>{move || i18n.t("household-role-member")}</option>
                                            <option value="senior" selected=move || invite_role.get() == InviteRole::Senior>{move || i18n.t("household-role-senior")}</option>
                                        </select>
                                        <div class="actions">
                                            <button type="submit" data-testid="household-invite">{move || i18n.t("household-invite-create")}</button>
                                        </div>
                                    </fieldset>
                                </form>
                            })}
                            <form on:submit=set_up_parent novalidate>
                                <fieldset>
                                    <legend>{move || i18n.t("household-parent")}</legend>
                                    <p class="note">{move || i18n.t("household-parent-about")}</p>
                                    <label for="parent-name">{move || i18n.t("household-parent-name")}</label>
                                    <input id="parent-name" type="text" data-testid="parent-name" required autocomplete="off"
                                        prop:value=move || parent_name.get() on:input=move |e| parent_name.set(event_target_value(&e)) />
                                    <label for="parent-email">{move || i18n.t("household-parent-email")}</label>
                                    <input id="parent-email" type="email" data-testid="parent-email" required autocomplete="off"
                                        aria-describedby="parent-email-hint"
                                        prop:value=move || parent_email.get() on:input=move |e| parent_email.set(event_target_value(&e)) />
                                    <p id="parent-email-hint" class="note">{move || i18n.t("household-parent-email-hint")}</p>
                                    <label for="parent-locale">{move || i18n.t("language-label")}</label>
                                    <select id="parent-locale" on:change=move |e| {
                                        if let Ok(chosen) = Locale::from_tag(&event_target_value(&e)) { parent_locale.set(chosen); }
                                    }>
                                        {Locale::ALL.into_iter().map(|l| view! {
                                            <option value=l.tag() lang=l.tag() selected=move || parent_locale.get() == l>{l.native_name()}</option>
                                        }).collect_view()}
                                    </select>
                                    <div class="actions">
                                        <button type="submit" data-testid="parent-set-up">{move || i18n.t("household-parent-go")}</button>
                                    </div>
                                </fieldset>
                            </form>
                        }.into_any()
                    }
                }
            }}
        </section>
        <Confirm
            dialog=confirm_remove
            question=Signal::derive(move || match to_remove.get() {
                Some(m) if m.user_id == me() => i18n.t("household-leave-confirm"),
                Some(m) => i18n.t_with("household-remove-confirm", &[("name", m.display_name.into())]),
                None => String::new(),
            })
            testid="confirm-remove-member"
            on_yes=Callback::new(remove)
        />
    }
}
