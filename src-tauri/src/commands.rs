//! The commands the UI invokes. Each translates its input and delegates to the store or the sync
//! worker; names and payloads are defined in `hearth_core::ipc`.

use hearth_core::account::{
    EmailChangeConfirm, EmailChangeRequest, EmailChangeSent, PasswordChange, PasswordResetConfirm,
    ProfileChange, SignInRequest, SignUpRequest, normalize_display_name,
};
use hearth_core::api::ApiCode;
use hearth_core::catalog::Challenge;
use hearth_core::i18n::Locale;
use hearth_core::ipc::args::PasswordHint;
use hearth_core::ipc::{
    AccountView, Draft, ErrorCode, FeedView, PasswordStrength, QueuedChange, Rejection, Settings, SyncStatus,
    WalletSummary,
};
use hearth_core::ledger::WalletView;
use hearth_core::progress::Event;
use hearth_core::sync::overlay::{self, ParticipationView};
use hearth_core::sync::protocol::OpKind;
use tauri::{AppHandle, Manager, Runtime, State};

use crate::account::{self, AccountState};
use crate::error::{Error, Result};
use crate::store;
use crate::sync::{self, EngineCell, SyncState};
use crate::{challenges, community, session};

/// The catalog from the local store, in display order.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn list_challenges<R: Runtime>(app: AppHandle<R>) -> Result<Vec<Challenge>> {
    challenges::local_catalog(&app).await
}

/// Connectivity and the last successful sync.
#[tauri::command]
pub fn sync_status(state: State<'_, SyncState>) -> SyncStatus {
    state.status()
}

/// Ask the worker to sync now.
#[tauri::command]
pub fn sync_now(state: State<'_, SyncState>) {
    state.sync_now();
}

/// The user's settings on this device.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn get_settings<R: Runtime>(app: AppHandle<R>) -> Result<Settings> {
    store::settings(&store::pool(&app).await?).await
}

/// Remember the chosen language.
#[tauri::command]
#[tracing::instrument(skip(app))]
pub async fn set_locale<R: Runtime>(app: AppHandle<R>, locale: Locale) -> Result<Settings> {
    let settings = store::set_locale(&store::pool(&app).await?, locale).await?;
    // The account's notifications and mail follow the app's language.
    if app.state::<AccountState>().account().is_some() {
        let change = ProfileChange { locale: Some(locale), ..ProfileChange::default() };
        session::enqueue(&app, OpKind::ChangeProfile { change }).await?;
    }
    Ok(settings)
}

/// Sign in; the session goes to the platform's secure storage.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn sign_in<R: Runtime>(
    app: AppHandle<R>,
    accounts: State<'_, AccountState>,
    engine: State<'_, EngineCell>,
    email: String,
    password: String,
) -> Result<AccountView> {
    let engine = engine.get()?;
    let pool = store::pool(&app).await?;
    let request = SignInRequest { email, password };
    let view = account::sign_in(engine.client(), &pool, &accounts, &request).await?;
    // Challenges completed from now on are announced on this device; earlier ones are history.
    crate::celebrate::announce_from(&pool, &view.user_id, hearth_client::engine::now_ms()).await?;
    app.state::<SyncState>().sync_now();
    Ok(view)
}

/// Create an account at the server and sign in to it; the session goes to secure storage.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn sign_up<R: Runtime>(
    app: AppHandle<R>,
    email: String,
    password: String,
    display_name: String,
    locale: Locale,
    time_zone: String,
) -> Result<AccountView> {
    let cell = app.state::<EngineCell>();
    let engine = cell.get()?;
    let pool = store::pool(&app).await?;
    let request =
        SignUpRequest { email, password, display_name, locale: Some(locale), time_zone: Some(time_zone) };
    let view = account::sign_up(engine.client(), &pool, &app.state::<AccountState>(), &request).await?;
    crate::celebrate::announce_from(&pool, &view.user_id, hearth_client::engine::now_ms()).await?;
    app.state::<SyncState>().sync_now();
    Ok(view)
}

/// Ask for a one-time code by e-mail to set a new password.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn request_password_reset(engine: State<'_, EngineCell>, email: String) -> Result<()> {
    account::request_password_reset(engine.get()?.client(), &email).await
}

/// Set a new password with the mailed code and sign in; the server ends every other session.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn reset_password<R: Runtime>(
    app: AppHandle<R>,
    email: String,
    code: String,
    new_password: String,
) -> Result<AccountView> {
    let cell = app.state::<EngineCell>();
    let engine = cell.get()?;
    let pool = store::pool(&app).await?;
    let request = PasswordResetConfirm { email, code, new_password };
    let view =
        account::reset_password(engine.client(), &pool, &app.state::<AccountState>(), &request).await?;
    crate::celebrate::announce_from(&pool, &view.user_id, hearth_client::engine::now_ms()).await?;
    app.state::<SyncState>().sync_now();
    Ok(view)
}

/// How guessable a new password is, for the hint beside the field. Async: Tauri runs a plain
/// command on the main thread, and this one is asked on every keystroke.
#[tauri::command(async)]
pub fn password_strength(password: String, email: String, display_name: String) -> PasswordStrength {
    account::password_strength(&PasswordHint { password, email, display_name })
}

/// Sign out, removing the account's data from this device; refused with `pending-changes`
/// while changes wait unless `discard_pending`.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn sign_out<R: Runtime>(
    app: AppHandle<R>,
    accounts: State<'_, AccountState>,
    engine: State<'_, EngineCell>,
    discard_pending: bool,
) -> Result<()> {
    sign_out_from(&app, &accounts, &engine, discard_pending, account::Where::Here).await
}

/// End every session of the account (online), then sign out here as [`sign_out`] does.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn sign_out_everywhere<R: Runtime>(
    app: AppHandle<R>,
    accounts: State<'_, AccountState>,
    engine: State<'_, EngineCell>,
    discard_pending: bool,
) -> Result<()> {
    sign_out_from(&app, &accounts, &engine, discard_pending, account::Where::Everywhere).await
}

/// What both sign-out commands do: sign out `scope`, then refresh the waiting-changes count.
async fn sign_out_from<R: Runtime>(
    app: &AppHandle<R>,
    accounts: &AccountState,
    engine: &EngineCell,
    discard_pending: bool,
    scope: account::Where,
) -> Result<()> {
    let engine = engine.get()?;
    let pool = store::pool(app).await?;
    account::sign_out(engine, &pool, accounts, discard_pending, scope).await?;
    sync::refresh_counts(app).await;
    Ok(())
}

/// The name others see: shown at once, queued for the server (works offline).
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn set_display_name<R: Runtime>(app: AppHandle<R>, display_name: String) -> Result<AccountView> {
    let name = normalize_display_name(&display_name).map_err(|_| Error::Refused(ErrorCode::InvalidText))?;
    let change = ProfileChange { display_name: Some(name.clone()), ..ProfileChange::default() };
    session::enqueue(&app, OpKind::ChangeProfile { change }).await?;
    let rename = |view: &mut AccountView| view.display_name = name;
    account::amend(&store::pool(&app).await?, &app.state::<AccountState>(), rename).await
}

/// The account's time zone as it stands on this device.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn account_time_zone<R: Runtime>(app: AppHandle<R>) -> Result<String> {
    crate::profile::time_zone_name_now(&app).await
}

/// Where the account's days begin and end: queued for the server (works offline).
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn set_time_zone<R: Runtime>(app: AppHandle<R>, time_zone: String) -> Result<String> {
    hearth_core::progress::time_zone(&time_zone).map_err(|_| Error::Refused(ErrorCode::InvalidArgument))?;
    let change = ProfileChange { time_zone: Some(time_zone), ..ProfileChange::default() };
    session::enqueue(&app, OpKind::ChangeProfile { change }).await?;
    crate::profile::time_zone_name_now(&app).await
}

/// Change the password (online); the server ends every other session of the account.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn change_password<R: Runtime>(
    app: AppHandle<R>,
    current_password: String,
    new_password: String,
) -> Result<()> {
    let (account, engine) = session::signed_in_engine(&app)?;
    let request = PasswordChange { current_password, new_password };
    Ok(engine.client().change_password(&account.token, &request).await?)
}

/// Mail a code to a new address, given the password (online); the account keeps its address
/// until [`confirm_email`].
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn change_email<R: Runtime>(
    app: AppHandle<R>,
    new_email: String,
    password: String,
) -> Result<EmailChangeSent> {
    let (account, engine) = session::signed_in_engine(&app)?;
    let request = EmailChangeRequest { new_email, password };
    Ok(engine.client().change_email(&account.token, &request).await?)
}

/// Move the account to the address the code was mailed to (online); the account's other
/// devices learn it by sync.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn confirm_email<R: Runtime>(app: AppHandle<R>, text: String) -> Result<AccountView> {
    let (account, engine) = session::signed_in_engine(&app)?;
    let request = EmailChangeConfirm { code: text.trim().to_owned() };
    let profile = engine.client().confirm_email(&account.token, &request).await?;
    let readdress = |view: &mut AccountView| view.email = profile.email;
    account::amend(&store::pool(&app).await?, &app.state::<AccountState>(), readdress).await
}

/// The account's signed-in sessions, newest first, this device's marked (online).
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn sessions<R: Runtime>(app: AppHandle<R>) -> Result<Vec<hearth_core::account::SessionInfo>> {
    let (account, engine) = session::signed_in_engine(&app)?;
    Ok(engine.client().sessions(&account.token).await?)
}

/// Ends another device's session: that device is signed out at its next call (online).
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn end_session<R: Runtime>(app: AppHandle<R>, text: String) -> Result<()> {
    let (account, engine) = session::signed_in_engine(&app)?;
    Ok(engine.client().end_session(&account.token, &text).await?)
}

/// Who is signed in on this device.
#[tauri::command]
pub fn current_account(accounts: State<'_, AccountState>) -> Option<AccountView> {
    accounts.view()
}

/// The signed-in user's changes waiting for, or refused by, the server.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn queued_changes<R: Runtime>(
    app: AppHandle<R>,
    engine: State<'_, EngineCell>,
) -> Result<Vec<QueuedChange>> {
    let account = session::signed_in(&app)?;
    let queued = engine.get()?.queued(&account.user_id).await?;
    Ok(queued
        .into_iter()
        .map(|op| {
            let (kind, challenge_id) = match op.kind {
                OpKind::JoinChallenge { challenge_id, .. } => ("join-challenge", Some(challenge_id)),
                OpKind::LeaveChallenge { challenge_id } => ("leave-challenge", Some(challenge_id)),
                OpKind::RecordEvents { .. } => ("record-events", None),
                OpKind::ChangeProfile { .. } => ("change-profile", None),
            };
            QueuedChange {
                op_id: op.op_id,
                kind: kind.to_owned(),
                challenge_id,
                created_at_ms: op.created_at_ms,
                rejected: op
                    .rejected
                    .map(|(code, reason)| Rejection { code: ApiCode::from_wire(&code), reason }),
            }
        })
        .collect())
}

/// Drop a change the server refused.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn discard_change<R: Runtime>(
    app: AppHandle<R>,
    engine: State<'_, EngineCell>,
    op_id: String,
) -> Result<()> {
    let account = session::signed_in(&app)?;
    if !engine.get()?.discard(&account.user_id, &op_id).await? {
        return Err(Error::Refused(ErrorCode::NotDiscardable));
    }
    sync::refresh_counts(&app).await;
    Ok(())
}

/// The signed-in user's challenges, confirmed and pending.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn my_challenges<R: Runtime>(app: AppHandle<R>) -> Result<Vec<ParticipationView>> {
    challenges::mine(&app).await
}

/// Join a challenge of the local catalog (offline too: it syncs when it can).
#[tauri::command]
#[tracing::instrument(skip(app))]
pub async fn join_challenge<R: Runtime>(
    app: AppHandle<R>,
    challenge_id: String,
) -> Result<Vec<ParticipationView>> {
    if !challenges::local_catalog(&app).await?.iter().any(|c| c.id == challenge_id) {
        return Err(Error::Refused(ErrorCode::UnknownChallenge));
    }
    let now = hearth_client::engine::now_ms();
    challenges::change(&app, OpKind::JoinChallenge { challenge_id, joined_at_ms: Some(now) }).await
}

/// Leave a challenge (offline too).
#[tauri::command]
#[tracing::instrument(skip(app))]
pub async fn leave_challenge<R: Runtime>(
    app: AppHandle<R>,
    challenge_id: String,
) -> Result<Vec<ParticipationView>> {
    challenges::change(&app, OpKind::LeaveChallenge { challenge_id }).await
}

/// Record events from home (offline too). Each is checked here first, as the server will.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn record_events<R: Runtime>(
    app: AppHandle<R>,
    events: Vec<Event>,
) -> Result<Vec<ParticipationView>> {
    if events.is_empty() || events.len() > 100 {
        return Err(Error::Refused(ErrorCode::InvalidEvents));
    }
    let now = hearth_client::engine::now_ms();
    if let Some(reason) = events.iter().find_map(|e| e.check(now).err()) {
        tracing::info!(%reason, "refusing an event");
        return Err(Error::Refused(ErrorCode::InvalidEvents));
    }
    challenges::change(&app, OpKind::RecordEvents { events }).await
}

/// Keep a post or story being written (offline too).
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn save_draft<R: Runtime>(app: AppHandle<R>, draft: Draft) -> Result<Draft> {
    let account = session::signed_in(&app)?;
    let now = hearth_client::engine::now_ms();
    community::save_draft(&store::pool(&app).await?, &account.user_id, draft, now).await
}

/// The user's drafts, most recently changed first.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn list_drafts<R: Runtime>(app: AppHandle<R>) -> Result<Vec<Draft>> {
    let account = session::signed_in(&app)?;
    community::list_drafts(&store::pool(&app).await?, &account.user_id).await
}

/// Delete a draft.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn delete_draft<R: Runtime>(app: AppHandle<R>, id: String) -> Result<()> {
    let account = session::signed_in(&app)?;
    if !community::delete_draft(&store::pool(&app).await?, &account.user_id, &id).await? {
        return Err(Error::Refused(ErrorCode::NotFound));
    }
    Ok(())
}

/// A page of the community feed; offline, the first page as last seen.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn community_feed<R: Runtime>(app: AppHandle<R>, before: Option<String>) -> Result<FeedView> {
    let account = session::signed_in(&app)?;
    let cell = app.state::<EngineCell>();
    let now = hearth_client::engine::now_ms();
    community::feed(cell.get()?, &account, before.as_deref(), now).await
}

/// Confirmed points (as last synced) and points pending sync.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn wallet<R: Runtime>(app: AppHandle<R>) -> Result<WalletSummary> {
    let account = session::signed_in(&app)?;
    let cell = app.state::<EngineCell>();
    let engine = cell.get()?;
    let confirmed: Vec<(String, WalletView)> = engine.confirmed(&account.user_id, "wallet").await?;
    let catalog = challenges::local_catalog(&app).await?;
    let views = challenges::mine_for(&account, engine, &catalog).await?;
    Ok(WalletSummary {
        confirmed: confirmed.into_iter().next().map(|(_, w)| w),
        pending_points: overlay::pending_points(&views, &catalog),
    })
}
