//! Demo and first-start content, shipped in `assets/seed/` and applied once per database.

use hearth_core::catalog::Catalog;

use crate::challenges;
use crate::db::Db;
use crate::error::Result;

const CHALLENGES_SEED: &str = "challenges-v1";

/// Applies the shipped challenge catalog unless this database has had it before. Safe when two
/// instances start at once against one PostgreSQL: rows and the seed marker are inserted with
/// `ON CONFLICT DO NOTHING` in one transaction.
pub async fn apply(db: &Db, now_ms: i64) -> Result<()> {
    let mut tx = db.pool().begin().await?;
    let inserted = sqlx::query(
        "INSERT INTO seeds_applied (name, applied_at_ms) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
    )
    .bind(CHALLENGES_SEED)
    .bind(now_ms)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if inserted == 0 {
        return Ok(());
    }
    let catalog = Catalog::from_json(include_str!("../../assets/seed/challenges.json"))?;
    for (position, challenge) in catalog.challenges.iter().enumerate() {
        challenges::insert(&mut tx, challenge, position as i64, now_ms).await?;
    }
    tx.commit().await?;
    tracing::info!(challenges = catalog.challenges.len(), "applied the shipped challenge catalog");
    Ok(())
}
