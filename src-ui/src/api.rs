//! The shell's commands and events as typed async functions: the UI's only door to the shell.

use hearth_core::account::EmailChangeSent;
use hearth_core::catalog::Challenge;
use hearth_core::i18n::Locale;
use hearth_core::ipc::{
    AccountView, CommandError, ErrorCode, ExportedImage, GuideSummary, GuideView, PasswordStrength,
    PreviewLight, PreviewState, QueuedChange, Settings, ShareCode, SharedPost, SyncStatus, VoiceSettings,
    VoiceStatus, WalletSummary, args, command, event, header,
};
use hearth_core::sync::overlay::ParticipationView;
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    // `window.__TAURI__` is injected by the shell (`app.withGlobalTauri`).
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "core"], js_name = invoke, catch)]
    async fn tauri_invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "core"], js_name = invoke, catch)]
    async fn tauri_invoke_with(cmd: &str, args: JsValue, options: JsValue) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "event"], js_name = listen, catch)]
    async fn tauri_listen(event: &str, handler: &Closure<dyn FnMut(JsValue)>) -> Result<JsValue, JsValue>;
}

async fn call<A: Serialize, T: DeserializeOwned>(cmd: &str, args: &A) -> Result<T, CommandError> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    let args = args.serialize(&serializer).map_err(|e| ipc_error(cmd, e.to_string()))?;
    let value = tauri_invoke(cmd, args).await.map_err(|e| {
        serde_wasm_bindgen::from_value::<CommandError>(e.clone())
            .unwrap_or_else(|_| ipc_error(cmd, e.as_string().unwrap_or_else(|| format!("{e:?}"))))
    })?;
    serde_wasm_bindgen::from_value(value).map_err(|e| ipc_error(cmd, e.to_string()))
}

/// Sends `bytes` as the command's raw body (no JSON, no copy into a string), with `headers`.
async fn call_raw<T: DeserializeOwned>(
    cmd: &str,
    bytes: js_sys::Uint8Array,
    headers: &[(&str, &str)],
) -> Result<T, CommandError> {
    let header_object = js_sys::Object::new();
    for (name, value) in headers {
        let _ = js_sys::Reflect::set(&header_object, &(*name).into(), &(*value).into());
    }
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"headers".into(), &header_object);
    let value = tauri_invoke_with(cmd, bytes.into(), options.into()).await.map_err(|e| {
        serde_wasm_bindgen::from_value::<CommandError>(e.clone())
            .unwrap_or_else(|_| ipc_error(cmd, e.as_string().unwrap_or_else(|| format!("{e:?}"))))
    })?;
    serde_wasm_bindgen::from_value(value).map_err(|e| ipc_error(cmd, e.to_string()))
}

fn ipc_error(cmd: &str, message: String) -> CommandError {
    CommandError { code: ErrorCode::Ipc, message: format!("{cmd}: {message}") }
}

/// The catalog from the local store, in display order.
pub async fn list_challenges() -> Result<Vec<Challenge>, CommandError> {
    call(command::LIST_CHALLENGES, &()).await
}

/// Connectivity and the last successful sync.
pub async fn sync_status() -> Result<SyncStatus, CommandError> {
    call(command::SYNC_STATUS, &()).await
}

/// Asks the shell to sync now.
pub async fn sync_now() -> Result<(), CommandError> {
    call(command::SYNC_NOW, &()).await
}

/// The user's settings on this device.
pub async fn get_settings() -> Result<Settings, CommandError> {
    call(command::GET_SETTINGS, &()).await
}

/// Remembers the chosen language.
pub async fn set_locale(locale: Locale) -> Result<Settings, CommandError> {
    call(command::SET_LOCALE, &args::SetLocale { locale }).await
}

/// Signs in; the shell keeps the session in secure storage.
pub async fn sign_in(email: String, password: String) -> Result<AccountView, CommandError> {
    call(command::SIGN_IN, &args::SignIn { email, password }).await
}

/// Creates an account at the server and signs in to it.
pub async fn sign_up(request: args::SignUp) -> Result<AccountView, CommandError> {
    call(command::SIGN_UP, &request).await
}

/// Asks the server to mail a one-time code for a new password.
pub async fn request_password_reset(email: String) -> Result<(), CommandError> {
    call(command::REQUEST_PASSWORD_RESET, &args::RequestPasswordReset { email }).await
}

/// Sets a new password with the mailed code, and signs in.
pub async fn reset_password(request: args::ResetPassword) -> Result<AccountView, CommandError> {
    call(command::RESET_PASSWORD, &request).await
}

/// How guessable a new password is (worked out by the shell; the password goes nowhere else).
pub async fn password_strength(hint: args::PasswordHint) -> Result<PasswordStrength, CommandError> {
    call(command::PASSWORD_STRENGTH, &hint).await
}

/// Ends every session of the account, then signs out here.
pub async fn sign_out_everywhere(discard_pending: bool) -> Result<(), CommandError> {
    call(command::SIGN_OUT_EVERYWHERE, &args::SignOut { discard_pending }).await
}

/// Changes the name others see (works offline).
pub async fn set_display_name(display_name: String) -> Result<AccountView, CommandError> {
    call(command::SET_DISPLAY_NAME, &args::SetDisplayName { display_name }).await
}

/// The account's time zone as it stands on this device.
pub async fn account_time_zone() -> Result<String, CommandError> {
    call(command::ACCOUNT_TIME_ZONE, &()).await
}

/// Sets where the account's days begin and end (works offline).
pub async fn set_time_zone(time_zone: String) -> Result<String, CommandError> {
    call(command::SET_TIME_ZONE, &args::SetTimeZone { time_zone }).await
}

/// Changes the password, given the current one.
pub async fn change_password(request: args::ChangePassword) -> Result<(), CommandError> {
    call(command::CHANGE_PASSWORD, &request).await
}

/// Mails a code to a new address, given the password; the account keeps its address until then.
pub async fn change_email(request: args::ChangeEmail) -> Result<EmailChangeSent, CommandError> {
    call(command::CHANGE_EMAIL, &request).await
}

/// Moves the account to the new address with the code mailed there.
pub async fn confirm_email(code: String) -> Result<AccountView, CommandError> {
    call(command::CONFIRM_EMAIL, &args::WithText { text: code }).await
}

/// Signs out; refused with `pending-changes` while changes wait unless `discard_pending`.
pub async fn sign_out(discard_pending: bool) -> Result<(), CommandError> {
    call(command::SIGN_OUT, &args::SignOut { discard_pending }).await
}

/// Who is signed in on this device.
pub async fn current_account() -> Result<Option<AccountView>, CommandError> {
    call(command::CURRENT_ACCOUNT, &()).await
}

/// The user's challenges, confirmed and pending.
pub async fn my_challenges() -> Result<Vec<ParticipationView>, CommandError> {
    call(command::MY_CHALLENGES, &()).await
}

/// Joins a challenge (queued; works offline).
pub async fn join_challenge(challenge_id: String) -> Result<Vec<ParticipationView>, CommandError> {
    call(command::JOIN_CHALLENGE, &args::OfChallenge { challenge_id }).await
}

/// Confirmed points (as last synced) and points pending sync.
pub async fn wallet() -> Result<WalletSummary, CommandError> {
    call(command::WALLET, &()).await
}

/// The user's changes waiting for, or refused by, the server.
pub async fn queued_changes() -> Result<Vec<QueuedChange>, CommandError> {
    call(command::QUEUED_CHANGES, &()).await
}

/// Drops a change the server refused.
pub async fn discard_change(op_id: String) -> Result<(), CommandError> {
    call(command::DISCARD_CHANGE, &args::DiscardChange { op_id }).await
}

/// Calls `on_status` with every status the shell emits, for the life of the page.
pub async fn on_sync_status(on_status: impl Fn(SyncStatus) + 'static) -> Result<(), CommandError> {
    listen(event::SYNC_STATUS, on_status).await
}

/// Calls `handler` with each `name` event's payload, for the life of the page.
async fn listen<T: DeserializeOwned>(
    name: &'static str,
    handler: impl Fn(T) + 'static,
) -> Result<(), CommandError> {
    let closure = Closure::<dyn FnMut(JsValue)>::new(move |message: JsValue| {
        let payload = js_sys::Reflect::get(&message, &JsValue::from_str("payload")).unwrap_or(JsValue::NULL);
        match serde_wasm_bindgen::from_value::<T>(payload) {
            Ok(value) => handler(value),
            Err(error) => leptos::logging::warn!("ignoring a malformed {name} event: {error}"),
        }
    });
    tauri_listen(name, &closure).await.map_err(|e| ipc_error(name, format!("{e:?}")))?;
    // The listener lives as long as the page; the closure must too.
    closure.forget();
    Ok(())
}

/// The room preview as it stands.
pub async fn preview_state() -> Result<PreviewState, CommandError> {
    call(command::PREVIEW_STATE, &()).await
}

/// Starts the room preview again in the demo room.
pub async fn preview_use_demo() -> Result<PreviewState, CommandError> {
    call(command::PREVIEW_USE_DEMO, &()).await
}

/// Uses a photo of the user's room (the file's bytes).
pub async fn preview_import_photo(bytes: js_sys::Uint8Array) -> Result<PreviewState, CommandError> {
    call_raw(command::PREVIEW_IMPORT_PHOTO, bytes, &[]).await
}

/// Calibrates the photo on a floor rectangle marked at `corners` (image pixels).
pub async fn preview_calibrate(
    corners: [[f64; 2]; 4],
    width_m: f64,
    depth_m: f64,
) -> Result<PreviewState, CommandError> {
    call(command::PREVIEW_CALIBRATE, &args::Calibrate { corners, width_m, depth_m }).await
}

/// Marks the wall standing on the floor line between two image points.
pub async fn preview_set_wall(from: [f64; 2], to: [f64; 2]) -> Result<PreviewState, CommandError> {
    call(command::PREVIEW_SET_WALL, &args::SetWall { from, to }).await
}

/// Places `product` at an image point.
pub async fn preview_place(product: String, at: [f64; 2]) -> Result<PreviewState, CommandError> {
    call(command::PREVIEW_PLACE, &args::Place { product, at }).await
}

/// Moves a placed product to an image point.
pub async fn preview_move(id: u32, at: [f64; 2]) -> Result<PreviewState, CommandError> {
    call(command::PREVIEW_MOVE, &args::Move { id, at }).await
}

/// Turns a floor product to `degrees`.
pub async fn preview_rotate(id: u32, degrees: f64) -> Result<PreviewState, CommandError> {
    call(command::PREVIEW_ROTATE, &args::Rotate { id, degrees }).await
}

/// Takes a product out of the room.
pub async fn preview_remove(id: u32) -> Result<PreviewState, CommandError> {
    call(command::PREVIEW_REMOVE, &args::OfItem { id }).await
}

/// Sets a light's colour and brightness, or turns it off (`None`).
pub async fn preview_set_light(id: u32, light: Option<PreviewLight>) -> Result<PreviewState, CommandError> {
    call(command::PREVIEW_SET_LIGHT, &args::SetLight { id, light }).await
}

/// Saves the share image to the user's pictures.
pub async fn preview_export() -> Result<ExportedImage, CommandError> {
    call(command::PREVIEW_EXPORT, &()).await
}

/// Shares the picture to the community feed with `text`.
pub async fn preview_share(text: String) -> Result<SharedPost, CommandError> {
    call(command::PREVIEW_SHARE, &args::WithText { text }).await
}

/// The device setup guides.
pub async fn guides() -> Result<Vec<GuideSummary>, CommandError> {
    call(command::GUIDES, &()).await
}

/// The guide being followed, if any.
pub async fn guide_current() -> Result<Option<GuideView>, CommandError> {
    call(command::GUIDE_CURRENT, &()).await
}

/// Starts a guide; its first step is spoken in `locale`.
pub async fn guide_start(guide_id: String, locale: Locale) -> Result<GuideView, CommandError> {
    call(command::GUIDE_START, &args::GuideStart { guide_id, locale }).await
}

/// Next, repeat, back, help or skip.
pub async fn guide_input(
    input: hearth_core::guide::Input,
    locale: Locale,
) -> Result<GuideView, CommandError> {
    call(command::GUIDE_INPUT, &args::GuideInput { input, locale }).await
}

/// Stops following the guide.
pub async fn guide_close() -> Result<(), CommandError> {
    call(command::GUIDE_CLOSE, &()).await
}

/// How the app speaks.
pub async fn voice_settings() -> Result<VoiceSettings, CommandError> {
    call(command::VOICE_SETTINGS, &()).await
}

/// Changes how the app speaks.
pub async fn set_voice_settings(settings: VoiceSettings) -> Result<VoiceSettings, CommandError> {
    call(command::SET_VOICE_SETTINGS, &args::WithSettings { settings }).await
}

/// Reads `text` aloud in `locale`.
pub async fn speak(text: String, locale: Locale) -> Result<VoiceStatus, CommandError> {
    call(command::SPEAK, &args::Speak { text, locale }).await
}

/// Calls `on_change` whenever the guide moves on by itself or its voice changes.
pub async fn on_guide_changed(on_change: impl Fn(Option<GuideView>) + 'static) -> Result<(), CommandError> {
    listen(event::GUIDE_CHANGED, on_change).await
}

/// Whether the signed-in user's app shows senior mode.
pub async fn senior_mode() -> Result<bool, CommandError> {
    call(command::SENIOR_MODE, &()).await
}

/// Switches senior mode (online).
pub async fn set_senior_mode(enabled: bool) -> Result<bool, CommandError> {
    call(command::SET_SENIOR_MODE, &args::Switch { enabled }).await
}

/// Asks the family for help (online).
pub async fn ask_for_help() -> Result<hearth_core::household::HelpRequest, CommandError> {
    call(command::ASK_FOR_HELP, &()).await
}

/// The latest help requests, with who was reached and when.
pub async fn help_requests() -> Result<Vec<hearth_core::household::HelpRequest>, CommandError> {
    call(command::HELP_REQUESTS, &()).await
}

/// The virtual home's devices.
pub async fn home_state() -> Result<hearth_core::ipc::HomeView, CommandError> {
    call(command::HOME_STATE, &()).await
}

/// Operates the virtual home.
pub async fn home_act(action: hearth_core::home::Action) -> Result<hearth_core::ipc::HomeView, CommandError> {
    call(command::HOME_ACT, &args::HomeAct { action }).await
}

/// The daily reminder's time and the quiet hours.
pub async fn reminder_settings() -> Result<hearth_core::reminders::ReminderSettings, CommandError> {
    call(command::REMINDER_SETTINGS, &()).await
}

/// Changes the reminder settings.
pub async fn set_reminder_settings(
    settings: hearth_core::reminders::ReminderSettings,
) -> Result<hearth_core::reminders::ReminderSettings, CommandError> {
    call(command::SET_REMINDER_SETTINGS, &args::WithSettings { settings }).await
}

/// The rewards on offer (online).
pub async fn rewards() -> Result<Vec<hearth_core::rewards::Reward>, CommandError> {
    call(command::REWARDS, &()).await
}

/// Spends points on a reward (online); `redemption_id` makes a retry safe.
pub async fn redeem_reward(
    reward_id: String,
    redemption_id: String,
) -> Result<hearth_core::rewards::Redemption, CommandError> {
    call(command::REDEEM_REWARD, &args::Redeem { reward_id, redemption_id }).await
}

/// The user's codes, with where each stands.
pub async fn redemptions() -> Result<Vec<hearth_core::rewards::Redemption>, CommandError> {
    call(command::REDEMPTIONS, &()).await
}

/// A code as a QR image (SVG).
pub async fn redemption_qr(code: String) -> Result<String, CommandError> {
    call(command::REDEMPTION_QR, &args::RedemptionQr { code }).await
}

/// Leaves a challenge (queued; works offline).
pub async fn leave_challenge(challenge_id: String) -> Result<Vec<ParticipationView>, CommandError> {
    call(command::LEAVE_CHALLENGE, &args::OfChallenge { challenge_id }).await
}

/// A page of the wallet's history, newest first: `before` is the previous page's cursor (the
/// first page as last read when offline).
pub async fn wallet_history(
    before: Option<String>,
) -> Result<hearth_core::ipc::Fetched<hearth_core::ledger::HistoryPage>, CommandError> {
    call(command::WALLET_HISTORY, &args::PageBefore { before }).await
}

/// Posts a completed challenge to the community feed with `text` and, if given, the card drawn
/// for it (a PNG) as its picture (online).
pub async fn share_completion(
    challenge_id: &str,
    text: &str,
    card: Option<&[u8]>,
) -> Result<SharedPost, CommandError> {
    let caption: String = js_sys::encode_uri_component(text).into();
    let body = js_sys::Uint8Array::from(card.unwrap_or_default());
    call_raw(
        command::SHARE_COMPLETION,
        body,
        &[(header::CHALLENGE_ID, challenge_id), (header::CAPTION, &caption)],
    )
    .await
}

/// Whether the user lets their devices' use count for challenges.
pub async fn device_usage_consent() -> Result<bool, CommandError> {
    call(command::DEVICE_USAGE_CONSENT, &()).await
}

/// Grants or withdraws that consent (online).
pub async fn set_device_usage_consent(enabled: bool) -> Result<bool, CommandError> {
    call(command::SET_DEVICE_USAGE_CONSENT, &args::Switch { enabled }).await
}

/// Reports a joined challenge's self-reported task done now, with `photo` as proof (online).
pub async fn report_task(
    challenge_id: &str,
    photo: js_sys::Uint8Array,
) -> Result<Vec<ParticipationView>, CommandError> {
    call_raw(command::REPORT_TASK, photo, &[(header::CHALLENGE_ID, challenge_id)]).await
}

/// The user's weekly-league group this week; `None` when they have not joined (as last read
/// when offline).
pub async fn league()
-> Result<hearth_core::ipc::Fetched<Option<hearth_core::league::LeagueView>>, CommandError> {
    call(command::LEAGUE, &()).await
}

/// Joins the weekly league (online).
pub async fn join_league() -> Result<hearth_core::league::LeagueView, CommandError> {
    call(command::JOIN_LEAGUE, &()).await
}

/// Leaves the weekly league (online).
pub async fn leave_league() -> Result<(), CommandError> {
    call(command::LEAVE_LEAGUE, &()).await
}

/// The user's household (none when they belong to none; as last read when offline).
pub async fn my_household()
-> Result<hearth_core::ipc::Fetched<Option<hearth_core::household::Household>>, CommandError> {
    call(command::MY_HOUSEHOLD, &()).await
}

/// Creates a household with the user as its owner.
pub async fn create_household(name: String) -> Result<hearth_core::household::Household, CommandError> {
    call(command::CREATE_HOUSEHOLD, &args::WithText { text: name }).await
}

/// An invitation to the user's household, with its link and QR code.
pub async fn invite_to_household(
    role: hearth_core::household::InviteRole,
) -> Result<ShareCode, CommandError> {
    call(command::INVITE_TO_HOUSEHOLD, &args::Invite { role }).await
}

/// Joins a household with an invitation's code (or link).
pub async fn join_household(code: String) -> Result<hearth_core::household::Household, CommandError> {
    call(command::JOIN_HOUSEHOLD, &args::WithText { text: code }).await
}

/// Makes a member a senior or a family member.
pub async fn set_member_role(
    member_id: String,
    role: hearth_core::household::InviteRole,
) -> Result<hearth_core::household::Household, CommandError> {
    call(command::SET_MEMBER_ROLE, &args::SetMemberRole { member_id, role }).await
}

/// The members a senior's help requests reach.
pub async fn set_family_contacts(
    senior_id: String,
    contact_ids: Vec<String>,
) -> Result<hearth_core::household::Household, CommandError> {
    call(command::SET_FAMILY_CONTACTS, &args::SetFamilyContacts { senior_id, contact_ids }).await
}

/// Switches a senior's simple view from this device.
pub async fn set_member_senior_mode(member_id: String, enabled: bool) -> Result<bool, CommandError> {
    call(command::SET_MEMBER_SENIOR_MODE, &args::SetMemberSeniorMode { member_id, enabled }).await
}

/// Removes a member, or leaves when it is the user.
pub async fn remove_member(member_id: String) -> Result<(), CommandError> {
    call(command::REMOVE_MEMBER, &args::OfMember { member_id }).await
}

/// Sets Hearth up for a parent; the code signs their device in.
pub async fn set_up_senior(request: hearth_core::household::SetUpSenior) -> Result<ShareCode, CommandError> {
    call(command::SET_UP_SENIOR, &request).await
}

/// A code that signs one more device in to a senior the household set up.
pub async fn senior_sign_in_code(member_id: String) -> Result<ShareCode, CommandError> {
    call(command::SENIOR_SIGN_IN_CODE, &args::OfMember { member_id }).await
}

/// Signs this device in with a code (or link) family made for it.
pub async fn sign_in_with_code(code: String) -> Result<AccountView, CommandError> {
    call(command::SIGN_IN_WITH_CODE, &args::WithText { text: code }).await
}

/// Calls `on_link` with the app address of each `hearth://` link that arrives while the app runs.
pub async fn on_link_opened(on_link: impl Fn(String) + 'static) -> Result<(), CommandError> {
    listen(event::LINK_OPENED, on_link).await
}

/// The app address of the `hearth://` link the app was opened with, once.
pub async fn opening_link() -> Result<Option<String>, CommandError> {
    call(command::OPENING_LINK, &()).await
}

/// The account's signed-in sessions, newest first, this device's marked.
pub async fn sessions() -> Result<Vec<hearth_core::account::SessionInfo>, CommandError> {
    call(command::SESSIONS, &()).await
}

/// Ends another device's session.
pub async fn end_session(id: String) -> Result<(), CommandError> {
    call(command::END_SESSION, &args::WithText { text: id }).await
}
