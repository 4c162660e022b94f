//! The virtual home on the device: the simulated devices' state (kept in the local store), the
//! operations the UI sends, a clock that runs the plug's schedule, and the events both produce,
//! recorded (queued for sync) for whoever is signed in, exactly as real device events will be.

use hearth_core::home::{Action, Produced, VirtualHome};
use hearth_core::ipc::{ErrorCode, HomeView, event};
use hearth_core::progress::Event;
use hearth_core::sync::protocol::OpKind;
use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::{Error, Result, store};

const HOME_KEY: &str = "virtual-home";

/// The virtual home's state in the shell (loaded from the store on first use).
#[derive(Debug, Default)]
pub struct HomeHost {
    home: tokio::sync::Mutex<Option<VirtualHome>>,
}

async fn load<R: Runtime>(app: &AppHandle<R>, slot: &mut Option<VirtualHome>) -> Result<VirtualHome> {
    if let Some(home) = slot {
        return Ok(home.clone());
    }
    let home: VirtualHome =
        store::setting_json(&store::pool(app).await?, HOME_KEY).await?.unwrap_or_default();
    *slot = Some(home.clone());
    Ok(home)
}

async fn keep<R: Runtime>(app: &AppHandle<R>, home: &VirtualHome) -> Result<()> {
    store::set_setting_json(&store::pool(app).await?, HOME_KEY, Some(home)).await
}

/// What became of what the home produced.
#[derive(Debug, Clone, Copy, Default)]
struct Recorded {
    /// Events queued for the signed-in user's challenges.
    recorded: usize,
    /// Device events left out: the user has not consented to their collection.
    not_collected: usize,
}

/// Records what the home produced for the signed-in user (none when signed out: the home still
/// works, it just does not count). Device events are collected only with the user's consent:
/// without it they never leave the device.
async fn record<R: Runtime>(app: &AppHandle<R>, produced: Vec<Produced>, now_ms: i64) -> Result<Recorded> {
    if produced.is_empty() || crate::session::signed_in(app).is_err() {
        return Ok(Recorded::default());
    }
    let consent = crate::profile::device_usage_allowed(app).await?;
    let (events, left_out): (Vec<Event>, Vec<Event>) = produced
        .into_iter()
        .map(|p| Event {
            id: uuid::Uuid::now_v7().to_string(),
            kind: p.kind,
            occurred_at_ms: now_ms,
            duration_minutes: p.duration_minutes,
            proof_photo_id: None,
        })
        .partition(|e| consent || !e.is_device_usage());
    let outcome = Recorded { recorded: events.len(), not_collected: left_out.len() };
    if events.is_empty() {
        return Ok(outcome);
    }
    match crate::session::enqueue(app, OpKind::RecordEvents { events }).await {
        Ok(()) => Ok(outcome),
        Err(Error::SignedOut) => Ok(Recorded::default()),
        Err(error) => Err(error),
    }
}

/// The virtual home as it is.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn home_state<R: Runtime>(app: AppHandle<R>) -> Result<HomeView> {
    let host = app.state::<HomeHost>();
    let mut slot = host.home.lock().await;
    let home = load(&app, &mut slot).await?;
    Ok(view(&app, home, Recorded::default()))
}

/// What the UI shows of `home` after an operation that came to `outcome`.
fn view<R: Runtime>(app: &AppHandle<R>, home: VirtualHome, outcome: Recorded) -> HomeView {
    HomeView {
        home,
        recorded: outcome.recorded,
        signed_in: crate::session::signed_in(app).is_ok(),
        not_collected: outcome.not_collected,
    }
}

/// Operates the virtual home; the events it produces count for the signed-in user's challenges.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn home_act<R: Runtime>(app: AppHandle<R>, action: Action) -> Result<HomeView> {
    let host = app.state::<HomeHost>();
    let mut slot = host.home.lock().await;
    let mut home = load(&app, &mut slot).await?;
    let now = hearth_client::engine::now_ms();
    let produced = home.apply(&action, now, crate::clock::local_now()).map_err(|reason| {
        tracing::info!(%reason, "refusing a home action");
        Error::Refused(ErrorCode::InvalidArgument)
    })?;
    keep(&app, &home).await?;
    *slot = Some(home.clone());
    drop(slot);
    let outcome = record(&app, produced, now).await?;
    Ok(view(&app, home, outcome))
}

/// Starts the home's clock (every 30 s): the schedules run, long eco stretches count.
pub fn spawn_clock<R: Runtime>(app: AppHandle<R>) {
    crate::clock::spawn_clock(app, std::time::Duration::from_secs(30), tick);
}

/// One tick of the home's clock: what it produced is kept, recorded and shown.
async fn tick<R: Runtime>(app: AppHandle<R>) {
    let host = app.state::<HomeHost>();
    let mut slot = host.home.lock().await;
    let Ok(mut home) = load(&app, &mut slot).await else { return };
    let now = hearth_client::engine::now_ms();
    let produced = home.tick(now, crate::clock::local_now());
    if produced.is_empty() {
        return;
    }
    if let Err(error) = keep(&app, &home).await {
        tracing::warn!(%error, "cannot keep the virtual home");
    }
    *slot = Some(home.clone());
    drop(slot);
    let outcome = record(&app, produced, now).await.unwrap_or_else(|error| {
        tracing::warn!(%error, "cannot record the home's events");
        Recorded::default()
    });
    if let Err(error) = app.emit(event::HOME_CHANGED, view(&app, home, outcome)) {
        tracing::warn!(%error, "cannot tell the UI about the home");
    }
}
