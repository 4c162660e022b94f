//! The weekly league: joining and leaving, this week's group table, and settling a member's
//! previous week (rank, promotion or demotion) when they first look in a new week. The rules are
//! `hearth_core::league`'s; points come from the ledger (awards made during the week).
//!
//! Settling is lazy and per member: a past week's awards never change, so a member's final rank
//! is the same whenever it is computed, and nothing runs on a timer. Each transaction begins with
//! a write (SQLite takes its write lock up front).

use axum::extract::State;
use axum::http::StatusCode;
use hearth_core::api::ErrorBody;
use hearth_core::league::{
    LastWeek, LeagueView, Score, Standing, Tier, Week, next_tier, rank, week_of, zone,
};
use sqlx::{AnyConnection, Row};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{Error, Result};
use crate::extract::AppJson;
use crate::session::AuthUser;

/// Routes of this resource.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(view)).routes(routes!(join)).routes(routes!(leave))
}

#[utoipa::path(get, path = "/v1/league", tag = "league", security(("bearer" = [])),
    responses((status = 200, description = "This week's group, ranked, and how last week ended", body = LeagueView),
              (status = 404, description = "Not taking part (code `not-in-league`)", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn view(State(state): State<AppState>, user: AuthUser) -> Result<AppJson<LeagueView>> {
    let now = crate::now_ms();
    let mut tx = state.db.pool().begin().await?;
    let seen = sqlx::query("UPDATE league_members SET seen_at_ms = $1 WHERE user_id = $2")
        .bind(now)
        .bind(&user.user_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if seen == 0 {
        return Err(Error::NotInLeague);
    }
    let view = this_week(&mut tx, &user.user_id, state.league_group_size, now).await?;
    tx.commit().await?;
    Ok(AppJson(view))
}

#[utoipa::path(post, path = "/v1/league/join", tag = "league", security(("bearer" = [])),
    responses((status = 200, description = "Taking part (joining again changes nothing)", body = LeagueView)))]
#[tracing::instrument(skip_all)]
async fn join(State(state): State<AppState>, user: AuthUser) -> Result<AppJson<LeagueView>> {
    let now = crate::now_ms();
    let mut tx = state.db.pool().begin().await?;
    sqlx::query(
        "INSERT INTO league_members (user_id, tier, joined_at_ms, seen_at_ms) VALUES ($1, 'bronze', $2, $2) \
         ON CONFLICT (user_id) DO UPDATE SET seen_at_ms = excluded.seen_at_ms",
    )
    .bind(&user.user_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let view = this_week(&mut tx, &user.user_id, state.league_group_size, now).await?;
    tx.commit().await?;
    tracing::info!(tier = view.tier.as_str(), "joined the weekly league");
    Ok(AppJson(view))
}

#[utoipa::path(post, path = "/v1/league/leave", tag = "league", security(("bearer" = [])),
    responses((status = 204, description = "No longer taking part; this week's entry is gone, past weeks stay")))]
#[tracing::instrument(skip_all)]
async fn leave(State(state): State<AppState>, user: AuthUser) -> Result<StatusCode> {
    let week = week_of(crate::now_ms());
    let mut tx = state.db.pool().begin().await?;
    sqlx::query("DELETE FROM league_members WHERE user_id = $1")
        .bind(&user.user_id)
        .execute(&mut *tx)
        .await?;
    let group: Option<String> =
        sqlx::query_scalar("SELECT group_id FROM league_entries WHERE user_id = $1 AND week = $2")
            .bind(&user.user_id)
            .bind(&week.id)
            .fetch_optional(&mut *tx)
            .await?;
    if let Some(group) = group {
        sqlx::query("DELETE FROM league_entries WHERE user_id = $1 AND week = $2")
            .bind(&user.user_id)
            .bind(&week.id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE league_groups SET size = size - 1 WHERE id = $1")
            .bind(&group)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The member's view of this week: settles their last week first if it has ended, places them
/// in a group for this week if they have none, and ranks that group.
async fn this_week(tx: &mut AnyConnection, user_id: &str, group_size: usize, now: i64) -> Result<LeagueView> {
    let week = week_of(now);
    let tier: String = sqlx::query_scalar("SELECT tier FROM league_members WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(&mut *tx)
        .await?;
    let mut tier = parse_tier(&tier)?;
    let last_week = settle(tx, user_id, &week).await?;
    if let Some(last) = &last_week {
        let after = next_tier(last.tier, last.zone);
        if after != tier {
            sqlx::query("UPDATE league_members SET tier = $1 WHERE user_id = $2")
                .bind(after.as_str())
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            tier = after;
        }
    }
    let (group_id, tier) = place(tx, user_id, &week, tier, group_size, now).await?;
    let standings = table(tx, &group_id, &week, tier)
        .await?
        .into_iter()
        .map(|(member, standing)| Standing { is_you: member == user_id, ..standing })
        .collect();
    Ok(LeagueView { week, tier, standings, last_week })
}

/// How the member's latest week before `current` ended, if they played one.
async fn settle(tx: &mut AnyConnection, user_id: &str, current: &Week) -> Result<Option<LastWeek>> {
    let last = sqlx::query(
        "SELECT week, group_id, tier FROM league_entries WHERE user_id = $1 AND week < $2 ORDER BY week DESC LIMIT 1",
    )
    .bind(user_id)
    .bind(&current.id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(last) = last else { return Ok(None) };
    let (week_id, group_id): (String, String) = (last.try_get("week")?, last.try_get("group_id")?);
    let tier = parse_tier(&last.try_get::<String, _>("tier")?)?;
    // The week's bounds from its id's own entries: any instant inside it will do.
    let started: i64 =
        sqlx::query_scalar("SELECT joined_at_ms FROM league_entries WHERE user_id = $1 AND week = $2")
            .bind(user_id)
            .bind(&week_id)
            .fetch_one(&mut *tx)
            .await?;
    let week = week_of(started);
    let rows = table(tx, &group_id, &week, tier).await?;
    let Some((_, mine)) = rows.into_iter().find(|(member, _)| member == user_id) else { return Ok(None) };
    Ok(Some(LastWeek { week: week_id, rank: mine.rank, tier, zone: mine.zone }))
}

/// The member's group this week: theirs if placed already, else the fullest open group of
/// their tier, else a new one. Returns the group and the tier they play in this week.
async fn place(
    tx: &mut AnyConnection,
    user_id: &str,
    week: &Week,
    tier: Tier,
    group_size: usize,
    now: i64,
) -> Result<(String, Tier)> {
    let placed = sqlx::query("SELECT group_id, tier FROM league_entries WHERE user_id = $1 AND week = $2")
        .bind(user_id)
        .bind(&week.id)
        .fetch_optional(&mut *tx)
        .await?;
    if let Some(row) = placed {
        return Ok((row.try_get("group_id")?, parse_tier(&row.try_get::<String, _>("tier")?)?));
    }
    let capacity = i64::try_from(group_size).unwrap_or(i64::MAX);
    let open: Option<String> = sqlx::query_scalar(
        "SELECT id FROM league_groups WHERE week = $1 AND tier = $2 AND size < $3 ORDER BY size DESC, id LIMIT 1",
    )
    .bind(&week.id)
    .bind(tier.as_str())
    .bind(capacity)
    .fetch_optional(&mut *tx)
    .await?;
    // Take a seat with a guarded update; a group filled meanwhile sends us to a new one.
    let seated = match open {
        Some(group) => {
            let took = sqlx::query("UPDATE league_groups SET size = size + 1 WHERE id = $1 AND size < $2")
                .bind(&group)
                .bind(capacity)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            (took == 1).then_some(group)
        }
        None => None,
    };
    let group = match seated {
        Some(group) => group,
        None => {
            let group = uuid::Uuid::now_v7().to_string();
            sqlx::query(
                "INSERT INTO league_groups (id, week, tier, size, created_at_ms) VALUES ($1, $2, $3, 1, $4)",
            )
            .bind(&group)
            .bind(&week.id)
            .bind(tier.as_str())
            .bind(now)
            .execute(&mut *tx)
            .await?;
            group
        }
    };
    sqlx::query("INSERT INTO league_entries (user_id, week, group_id, tier, joined_at_ms) VALUES ($1, $2, $3, $4, $5)")
        .bind(user_id)
        .bind(&week.id)
        .bind(&group)
        .bind(tier.as_str())
        .bind(now)
        .execute(&mut *tx)
        .await?;
    Ok((group, tier))
}

/// A group's table for `week`: each member's id with their standing (not yet marked as the
/// caller's), best first.
async fn table(
    tx: &mut AnyConnection,
    group_id: &str,
    week: &Week,
    tier: Tier,
) -> Result<Vec<(String, Standing)>> {
    let rows = sqlx::query(
        "SELECT e.user_id, u.display_name, e.joined_at_ms, \
         (SELECT CAST(COALESCE(SUM(t.amount), 0) AS BIGINT) FROM ledger_transfers t WHERE t.user_id = e.user_id \
          AND t.kind = 'award' AND t.created_at_ms >= $2 AND t.created_at_ms < $3) AS points \
         FROM league_entries e JOIN users u ON u.id = e.user_id WHERE e.group_id = $1",
    )
    .bind(group_id)
    .bind(week.starts_at_ms)
    .bind(week.ends_at_ms)
    .fetch_all(&mut *tx)
    .await?;
    let mut scores = Vec::with_capacity(rows.len());
    let mut names = Vec::with_capacity(rows.len());
    for row in &rows {
        let points: i64 = row.try_get("points")?;
        scores.push(Score {
            user_id: row.try_get("user_id")?,
            points: u64::try_from(points)
                .map_err(|_| Error::CorruptData(format!("league points {points}")))?,
            joined_at_ms: row.try_get("joined_at_ms")?,
        });
        names.push(row.try_get::<String, _>("display_name")?);
    }
    let size = scores.len();
    Ok(rank(&scores)
        .into_iter()
        .enumerate()
        .map(|(place, i)| {
            let score = &scores[i];
            let standing = Standing {
                rank: u32::try_from(place + 1).unwrap_or(u32::MAX),
                display_name: names[i].clone(),
                points: score.points,
                is_you: false,
                zone: zone(tier, place, size, score.points),
            };
            (score.user_id.clone(), standing)
        })
        .collect())
}

fn parse_tier(stored: &str) -> Result<Tier> {
    Tier::from_storage(stored).ok_or_else(|| Error::CorruptData(format!("league tier `{stored}`")))
}
