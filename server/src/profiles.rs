//! Accounts' profiles: reading one, and changing what its owner (or, for senior mode, a family
//! contact) may change, each change recorded in the change log for the owner's devices.

use hearth_core::account::{Profile, ProfileChange, Role, normalize_display_name};
use hearth_core::i18n::Locale;
use hearth_core::progress::time_zone;
use sqlx::{AnyConnection, Row};

use crate::changes;
use crate::error::{Error, Result};

/// Applies `change` to `user_id`'s profile in the caller's transaction (its first statement is
/// a write) and records it for sync.
pub async fn change(tx: &mut AnyConnection, user_id: &str, change: &ProfileChange) -> Result<Profile> {
    if let Some(zone) = &change.time_zone {
        time_zone(zone).map_err(|reason| Error::InvalidField { field: "timeZone".into(), reason })?;
    }
    let display_name = change.display_name.as_deref().map(normalize_display_name).transpose()?;
    // Always write first (SQLite's lock), even for an empty change.
    sqlx::query("UPDATE users SET time_zone = COALESCE($1, time_zone) WHERE id = $2")
        .bind(change.time_zone.as_deref())
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    if let Some(name) = &display_name {
        sqlx::query("UPDATE users SET display_name = $1 WHERE id = $2")
            .bind(name)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
    }
    if let Some(locale) = change.locale {
        sqlx::query("UPDATE users SET locale = $1 WHERE id = $2")
            .bind(locale.tag())
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
    }
    if let Some(consent) = change.device_usage_consent {
        sqlx::query("UPDATE users SET device_usage_consent = $1 WHERE id = $2")
            .bind(i64::from(consent))
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        tracing::info!(user = %user_id, consent, "device-usage consent changed");
    }
    if let Some(senior_mode) = change.senior_mode {
        sqlx::query("UPDATE users SET senior_mode = $1 WHERE id = $2")
            .bind(i64::from(senior_mode))
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
    }
    let profile = load(tx, user_id).await?;
    changes::record(tx, user_id, "profile", user_id, &profile).await?;
    Ok(profile)
}

/// The account `user_id` as its owner sees it.
pub async fn load(conn: &mut AnyConnection, user_id: &str) -> Result<Profile> {
    let row = sqlx::query(
        "SELECT id, email, display_name, role, locale, time_zone, device_usage_consent, senior_mode \
         FROM users WHERE id = $1",
    )
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(Error::NotFound)?;
    let role: String = row.try_get("role")?;
    let locale: String = row.try_get("locale")?;
    Ok(Profile {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        display_name: row.try_get("display_name")?,
        role: Role::from_storage(&role).ok_or_else(|| Error::CorruptData(format!("role `{role}`")))?,
        locale: Locale::from_tag(&locale).map_err(|e| Error::CorruptData(e.to_string()))?,
        time_zone: row.try_get("time_zone")?,
        device_usage_consent: row.try_get::<i64, _>("device_usage_consent")? == 1,
        senior_mode: row.try_get::<i64, _>("senior_mode")? == 1,
    })
}

/// The account is its owner's alone from now on: the household that set it up for them can no
/// longer sign its devices in, and the codes it made stop working. Called when the owner sets a
/// password of their own and when they leave or are removed from the household.
pub async fn release_from_family(conn: &mut AnyConnection, user_id: &str) -> Result<()> {
    sqlx::query("UPDATE users SET set_up_by = NULL WHERE id = $1").bind(user_id).execute(&mut *conn).await?;
    sqlx::query("DELETE FROM device_sign_ins WHERE user_id = $1").bind(user_id).execute(&mut *conn).await?;
    Ok(())
}
