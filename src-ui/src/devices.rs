//! "My home": the virtual home's devices and scenes. Each switch is a button whose pressed state
//! is the device's state; what the user does counts for their challenges (the shell records the
//! events), and the screen says how many activities counted.

use hearth_core::home::{Action, ROOMS, TARGET_C, VirtualHome};
use hearth_core::ipc::HomeView;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::i18n::use_i18n;
use crate::state::ShellData;
use crate::widgets::DeviceUsageConsent;

/// The virtual home screen.
#[component]
pub fn Devices() -> impl IntoView {
    let i18n = use_i18n();
    let shell = expect_context::<ShellData>();
    let view_state = RwSignal::new(None::<HomeView>);
    let counted = RwSignal::new(0usize);
    let failed = RwSignal::new(false);
    spawn_local(async move {
        match api::home_state().await {
            Ok(view) => view_state.set(Some(view)),
            Err(error) => leptos::logging::error!("cannot read the virtual home: {}", error.message),
        }
    });
    let act = move |action: Action| {
        spawn_local(async move {
            match api::home_act(action).await {
                Ok(view) => {
                    failed.set(false);
                    counted.update(|c| *c += view.recorded);
                    view_state.set(Some(view));
                    shell.reload_mine();
                }
                Err(error) => {
                    leptos::logging::warn!("home action refused: {}", error.message);
                    failed.set(true);
                }
            }
        });
    };
    let home = move || view_state.get().map(|v| v.home).unwrap_or_default();
    // The last operation left device events uncollected (no consent).
    let not_collected = move || view_state.with(|v| v.as_ref().is_some_and(|v| v.not_collected > 0));
    let toggle = move |label: &'static str,
                       testid: &'static str,
                       on: Signal<bool>,
                       action: fn(bool) -> Action| {
        view! {
            <button
                type="button"
                class="switch"
                data-testid=testid
                aria-pressed=move || on.get().to_string()
                on:click=move |_| act(action(!on.get_untracked()))
            >
                <span class="switch-label">{move || i18n.t(label)}</span>
                <span class="switch-state" aria-hidden="true">{move || if on.get() { "●" } else { "○" }}</span>
            </button>
        }
    };
    view! {
        <section class="devices" aria-labelledby="devices-title">
            <h2 id="devices-title">{move || i18n.t("devices-title")}</h2>
            <p class="intro">{move || i18n.t("devices-intro")}</p>
            <p class="devices-status" class:warn=not_collected role="status" data-testid="devices-status">
                {move || {
                    // Until the shell has answered, say nothing rather than something wrong.
                    let signed_in = view_state.get().is_none_or(|v| v.signed_in);
                    if failed.get() {
                        i18n.t("devices-failed")
                    } else if !signed_in {
                        i18n.t("devices-signed-out")
                    } else if not_collected() {
                        i18n.t("devices-not-collected")
                    } else if counted.get() > 0 {
                        i18n.t_with("devices-counted", &[("count", counted.get().into())])
                    } else {
                        String::new()
                    }
                }}
            </p>
            <Show when=move || shell.account.get().is_some()>
                <DeviceUsageConsent />
            </Show>
            <div class="device-grid">
                <section class="device" aria-labelledby="lights-title">
                    <h3 id="lights-title">{move || i18n.t("devices-lights")}</h3>
                    {ROOMS
                        .iter()
                        .enumerate()
                        .map(|(room, name)| {
                            let on = Signal::derive(move || home().lights[room]);
                            let label = match *name {
                                "living-room" => "room-living-room",
                                "bedroom" => "room-bedroom",
                                _ => "room-kitchen",
                            };
                            view! {
                                <button
                                    type="button"
                                    class="switch"
                                    data-testid=format!("light-{name}")
                                    aria-pressed=move || on.get().to_string()
                                    on:click=move |_| act(Action::Light { room, on: !on.get_untracked() })
                                >
                                    <span class="switch-label">{move || i18n.t(label)}</span>
                                    <span class="switch-state" aria-hidden="true">{move || if on.get() { "●" } else { "○" }}</span>
                                </button>
                            }
                        })
                        .collect_view()}
                    <button type="button" class="secondary" data-testid="all-lights-off" on:click=move |_| act(Action::AllLightsOff)>
                        {move || i18n.t("devices-all-lights-off")}
                    </button>
                    <ScheduleForm
                        label="devices-lights-off-schedule"
                        testid="lights-off-schedule"
                        minute=Signal::derive(move || home().lights_off_schedule_minute)
                        set=Callback::new(move |minute| act(Action::LightsOffSchedule { minute }))
                    />
                </section>
                <section class="device" aria-labelledby="ac-title">
                    <h3 id="ac-title">{move || i18n.t("devices-ac")}</h3>
                    {toggle("devices-ac-power", "ac-power", Signal::derive(move || home().ac_on), |on| Action::Ac { on })}
                    {toggle("devices-ac-eco", "ac-eco", Signal::derive(move || home().ac_eco), |on| Action::AcEco { on })}
                    <p class="target" data-testid="ac-target">
                        {move || i18n.t_with("devices-ac-target", &[("celsius", home().ac_target_c.into())])}
                    </p>
                    <div class="stepper">
                        <button
                            type="button"
                            class="secondary"
                            disabled=move || { home().ac_target_c <= TARGET_C.0 }
                            on:click=move |_| act(Action::AcTarget { celsius: home().ac_target_c - 1 })
                        >
                            {move || i18n.t("devices-ac-cooler")}
                        </button>
                        <button
                            type="button"
                            class="secondary"
                            disabled=move || { home().ac_target_c >= TARGET_C.1 }
                            on:click=move |_| act(Action::AcTarget { celsius: home().ac_target_c + 1 })
                        >
                            {move || i18n.t("devices-ac-warmer")}
                        </button>
                    </div>
                    <ScheduleForm
                        label="devices-ac-eco-schedule"
                        testid="ac-eco-schedule"
                        minute=Signal::derive(move || home().ac_eco_schedule_minute)
                        set=Callback::new(move |minute| act(Action::AcEcoSchedule { minute }))
                    />
                </section>
                <PlugCard home=Signal::derive(home) act=Callback::new(act) />
                <section class="device" aria-labelledby="door-title">
                    <h3 id="door-title">{move || i18n.t("devices-lock")}</h3>
                    {toggle("devices-lock-state", "lock", Signal::derive(move || home().locked), |locked| Action::Lock { locked })}
                    <ScheduleForm
                        label="devices-lock-schedule"
                        testid="lock-schedule"
                        minute=Signal::derive(move || home().lock_schedule_minute)
                        set=Callback::new(move |minute| act(Action::LockSchedule { minute }))
                    />
                    <h3>{move || i18n.t("devices-curtain")}</h3>
                    {toggle("devices-curtain-state", "curtain", Signal::derive(move || home().curtain_open), |open| Action::Curtain { open })}
                    <ScheduleForm
                        label="devices-curtain-schedule"
                        testid="curtain-schedule"
                        minute=Signal::derive(move || home().curtain_schedule_minute)
                        set=Callback::new(move |minute| act(Action::CurtainSchedule { minute }))
                    />
                </section>
                <section class="device" aria-labelledby="scenes-title">
                    <h3 id="scenes-title">{move || i18n.t("devices-scenes")}</h3>
                    <button type="button" data-testid="scene-leaving" on:click=move |_| act(Action::Leaving)>
                        {move || i18n.t("devices-leaving")}
                    </button>
                    <button type="button" data-testid="scene-coming-home" on:click=move |_| act(Action::ComingHome)>
                        {move || i18n.t("devices-coming-home")}
                    </button>
                </section>
            </div>
        </section>
    }
}

/// The plug: on or off, and its daily schedule.
#[component]
fn PlugCard(home: Signal<VirtualHome>, act: Callback<Action>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="device" aria-labelledby="plug-title">
            <h3 id="plug-title">{move || i18n.t("devices-plug")}</h3>
            <button
                type="button"
                class="switch"
                data-testid="plug-power"
                aria-pressed=move || home.get().plug_on.to_string()
                on:click=move |_| act.run(Action::Plug { on: !home.get_untracked().plug_on })
            >
                <span class="switch-label">{move || i18n.t("devices-plug-power")}</span>
                <span class="switch-state" aria-hidden="true">{move || if home.get().plug_on { "●" } else { "○" }}</span>
            </button>
            <ScheduleForm
                label="devices-plug-schedule"
                testid="plug-schedule"
                minute=Signal::derive(move || home.get().plug_schedule_minute)
                set=Callback::new(move |minute| act.run(Action::PlugSchedule { minute }))
            />
        </section>
    }
}

/// A daily time for one device's schedule: set it, or clear it.
#[component]
pub fn ScheduleForm(
    /// The message id of the field's label ("Switch on every day at").
    label: &'static str,
    /// The time field's test id.
    testid: &'static str,
    /// The schedule's minute of the day, if set.
    minute: Signal<Option<u16>>,
    /// Sets (or, with `None`, clears) the schedule.
    set: Callback<Option<u16>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let time = RwSignal::new(String::new());
    Effect::new(move |_| {
        time.set(minute.get().map(|m| format!("{:02}:{:02}", m / 60, m % 60)).unwrap_or_default());
    });
    let submit = move |event: web_sys::SubmitEvent| {
        event.prevent_default();
        let chosen = time.get_untracked().split_once(':').and_then(|(h, m)| {
            let (h, m) = (h.parse::<u16>().ok()?, m.parse::<u16>().ok()?);
            (h < 24 && m < 60).then_some(h * 60 + m)
        });
        set.run(chosen);
    };
    view! {
        <form class="schedule" on:submit=submit>
            <label>
                <span>{move || i18n.t(label)}</span>
                <input type="time" data-testid=testid prop:value=move || time.get()
                    on:input=move |e| time.set(event_target_value(&e)) />
            </label>
            <div class="schedule-actions">
                <button type="submit" class="secondary">{move || i18n.t("devices-plug-schedule-set")}</button>
                <button type="button" class="secondary" on:click=move |_| set.run(None)>
                    {move || i18n.t("devices-plug-schedule-clear")}
                </button>
            </div>
        </form>
    }
}
