//! The signed-in user's profile as last synced to this device, and what follows from it for
//! every feature (the time zone their days are counted in). Below the features that read it.

use hearth_core::account::{DEFAULT_TIME_ZONE, Profile};
use hearth_core::progress::time_zone;
use jiff::tz::TimeZone;

use crate::engine::Engine;
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
