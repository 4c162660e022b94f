//! Demo and first-start content, shipped in `assets/seed/` and applied once per database.

use hearth_core::catalog::{Catalog, SHIPPED_SEEDS};

use crate::challenges;
use crate::db::Db;
use crate::error::{Error, Result};

const REWARDS_SEED: &str = "rewards-v1";

/// Applies the shipped challenges and rewards unless this database has had them before. Safe when two
/// instances start at once against one PostgreSQL: rows and the seed marker are inserted with
/// `ON CONFLICT DO NOTHING` in one transaction.
pub async fn apply(db: &Db, now_ms: i64) -> Result<()> {
    apply_challenges(db, now_ms).await?;
    apply_rewards(db, now_ms).await
}

/// Records that seed `name` is applied; false if it was already.
pub(crate) async fn mark_applied(conn: &mut sqlx::AnyConnection, name: &str, now_ms: i64) -> Result<bool> {
    let inserted = sqlx::query(
        "INSERT INTO seeds_applied (name, applied_at_ms) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(now_ms)
    .execute(conn)
    .await?
    .rows_affected();
    Ok(inserted == 1)
}

async fn apply_rewards(db: &Db, now_ms: i64) -> Result<()> {
    let mut tx = db.pool().begin().await?;
    if !mark_applied(&mut tx, REWARDS_SEED, now_ms).await? {
        return Ok(());
    }
    let catalog: hearth_core::rewards::RewardCatalog =
        serde_json::from_str(include_str!("../../assets/seed/rewards.json"))
            .map_err(|e| Error::CorruptData(format!("assets/seed/rewards.json: {e}")))?;
    crate::rewards::insert_seed(&mut tx, &catalog).await?;
    tx.commit().await?;
    tracing::info!(rewards = catalog.rewards.len(), "applied the shipped rewards");
    Ok(())
}

async fn apply_challenges(db: &Db, now_ms: i64) -> Result<()> {
    let mut position = 0i64;
    for (name, json) in SHIPPED_SEEDS {
        let catalog = Catalog::from_json(json)?;
        let mut tx = db.pool().begin().await?;
        if mark_applied(&mut tx, name, now_ms).await? {
            for (i, challenge) in catalog.challenges.iter().enumerate() {
                challenges::insert(&mut tx, challenge, Some(position + i as i64), now_ms).await?;
            }
            tx.commit().await?;
            tracing::info!(seed = name, challenges = catalog.challenges.len(), "applied shipped challenges");
        }
        // Later seeds come after earlier ones in the catalog's order.
        position += catalog.challenges.len() as i64;
    }
    Ok(())
}
