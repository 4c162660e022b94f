//! The change log: every change to a user's synced data, in one gapless sequence per user, which
//! devices pull after their cursor. Every feature records into it; it knows none of them.

use hearth_core::sync::protocol::Change;
use serde::Serialize;
use sqlx::{AnyConnection, AnyPool, Row};

use crate::error::{Error, Result};

/// Appends a change to `user_id`'s sequence and returns its number. Bumping the counter on the
/// user row serializes concurrent writers for one user, so numbers increase without gaps being
/// reused, on SQLite and PostgreSQL alike.
pub async fn record(
    tx: &mut AnyConnection,
    user_id: &str,
    entity: &str,
    entity_id: &str,
    body: &impl Serialize,
) -> Result<i64> {
    let seq: i64 =
        sqlx::query_scalar("UPDATE users SET sync_seq = sync_seq + 1 WHERE id = $1 RETURNING sync_seq")
            .bind(user_id)
            .fetch_one(&mut *tx)
            .await?;
    let body = serde_json::to_string(body).map_err(|e| Error::CorruptData(format!("change body: {e}")))?;
    sqlx::query(
        "INSERT INTO changes (user_id, seq, entity, entity_id, body, created_at_ms) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(user_id)
    .bind(seq)
    .bind(entity)
    .bind(entity_id)
    .bind(body)
    .bind(crate::now_ms())
    .execute(&mut *tx)
    .await?;
    Ok(seq)
}

/// At most `limit` of `user_id`'s changes after `after`, in sequence.
pub async fn after(pool: &AnyPool, user_id: &str, after: i64, limit: i64) -> Result<Vec<Change>> {
    let rows = sqlx::query(
        "SELECT seq, entity, entity_id, body FROM changes WHERE user_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
    )
    .bind(user_id)
    .bind(after)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            let body: String = row.try_get("body")?;
            Ok(Change {
                seq: row.try_get("seq")?,
                entity: row.try_get("entity")?,
                id: row.try_get("entity_id")?,
                body: serde_json::from_str(&body)
                    .map_err(|e| Error::CorruptData(format!("change body: {e}")))?,
            })
        })
        .collect()
}
