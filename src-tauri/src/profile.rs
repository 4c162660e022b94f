//! The signed-in user's profile on this device: as last synced, with their waiting changes laid
//! over it (senior mode, device-usage consent), and what follows from it for every feature (the
//! time zone their days are counted in). Below the features that read it.

use hearth_client::engine::Engine;
use hearth_core::account::{DEFAULT_TIME_ZONE, Profile};
use hearth_core::progress::time_zone;
use hearth_core::sync::protocol::OpKind;
use jiff::tz::TimeZone;
use tauri::{AppHandle, Manager, Runtime};

use crate::account::AccountState;
use crate::sync::EngineCell;
use crate::{Error, Result};

/// `user_id`'s profile as last synced by `engine` (none before the first sync).
pub async fn synced(engine: &Engine, user_id: &str) -> Result<Option<Profile>> {
    let profile: Vec<(String, Profile)> = engine.confirmed(user_id, "profile").await?;
    Ok(profile.into_iter().next().map(|(_, p)| p))
}

/// The time zone `user_id`'s days are counted in: their profile's, or the server's default for
/// an account that never said (as the server counts them).
pub async fn time_zone_of(engine: &Engine, user_id: &str) -> Result<TimeZone> {
    let profile = synced(engine, user_id).await?;
    let name = profile.map_or_else(|| DEFAULT_TIME_ZONE.to_owned(), |p| p.time_zone);
    time_zone(&name).or_else(|_| time_zone(DEFAULT_TIME_ZONE)).map_err(Error::Config)
}

/// The profile switches as they stand on this device: the profile as last synced, with the
/// user's changes still waiting to sync laid over it in the order they were made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProfileNow {
    /// Senior mode is on.
    pub senior_mode: bool,
    /// Devices' use may be counted for challenges.
    pub device_usage_consent: bool,
}

/// The signed-in account's time zone as it stands on this device: as last synced, with a change
/// still waiting to sync laid over it; the server's default before the first sync.
pub async fn time_zone_name_now<R: Runtime>(app: &AppHandle<R>) -> Result<String> {
    let Some(account) = app.state::<AccountState>().account() else {
        return Ok(DEFAULT_TIME_ZONE.to_owned());
    };
    let engine = app.state::<EngineCell>().inner().get()?;
    let mut name =
        synced(engine, &account.user_id).await?.map_or_else(|| DEFAULT_TIME_ZONE.to_owned(), |p| p.time_zone);
    for op in engine.pending_ops(&account.user_id).await? {
        if let OpKind::ChangeProfile { change } = op.kind
            && let Some(zone) = change.time_zone
        {
            name = zone;
        }
    }
    Ok(name)
}

pub async fn now<R: Runtime>(app: &AppHandle<R>) -> Result<ProfileNow> {
    let Some(account) = app.state::<AccountState>().account() else { return Ok(ProfileNow::default()) };
    let engine = app.state::<EngineCell>().inner().get()?;
    let mut now = synced(engine, &account.user_id).await?.map_or_else(ProfileNow::default, |p| ProfileNow {
        senior_mode: p.senior_mode,
        device_usage_consent: p.device_usage_consent,
    });
    for op in engine.pending_ops(&account.user_id).await? {
        if let OpKind::ChangeProfile { change } = op.kind {
            now.senior_mode = change.senior_mode.unwrap_or(now.senior_mode);
            now.device_usage_consent = change.device_usage_consent.unwrap_or(now.device_usage_consent);
        }
    }
    Ok(now)
}

/// Whether the signed-in user lets their devices' use be collected, as the device now stands
/// (false when signed out).
pub async fn device_usage_allowed<R: Runtime>(app: &AppHandle<R>) -> Result<bool> {
    Ok(now(app).await?.device_usage_consent)
}
