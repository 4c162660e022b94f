//! Taking part in challenges: join and leave, the events that count, and the server-side
//! evaluation that awards a completion's points exactly once.
//!
//! Events are stored once per (user, event id). After each batch the user's active challenges
//! whose trigger the batch touched are re-evaluated with `hearth_core::progress`; a completion is
//! recorded by a guarded update (only the first evaluation to see it wins) in the same
//! transaction as its ledger award, whose transfer id derives from user and challenge.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use hearth_core::api::{ApiCode, ErrorBody};
use hearth_core::catalog::Challenge;
use hearth_core::ledger::TransferKind;
use hearth_core::progress::{
    Event, EventBatch, EventResult, IngestResult, MAX_CLOCK_SKEW_MS, MAX_EVENT_AGE_MS, evaluate, time_zone,
};
use sqlx::{AnyConnection, Row};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::challenges;
use crate::changes;
use crate::error::{Error, Result};
use crate::extract::AppJson;
use crate::ledger::{self, TransferRequest};
use crate::session::AuthUser;

/// Most events one request may carry.
pub const MAX_EVENTS_PER_BATCH: usize = 100;

/// Routes of this resource.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(join))
        .routes(routes!(leave))
        .routes(routes!(mine))
        .routes(routes!(ingest))
}

pub use hearth_core::progress::Participation;

#[utoipa::path(post, path = "/v1/challenges/{id}/join", tag = "challenges", security(("bearer" = [])),
    params(("id" = String, Path, description = "The challenge")),
    responses((status = 201, description = "Joined; the window starts now", body = Participation),
              (status = 200, description = "Joined before", body = Participation),
              (status = 404, description = "No such challenge", body = ErrorBody),
              (status = 409, description = "Completed already", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn join(
    State(state): State<AppState>,
    user: AuthUser,
    Path(challenge_id): Path<String>,
) -> Result<(StatusCode, AppJson<Participation>)> {
    let mut tx = state.db.pool().begin().await?;
    let now = crate::now_ms();
    let (started, participation) = join_in(&mut tx, &user.user_id, &challenge_id, now, now).await?;
    tx.commit().await?;
    Ok((if started { StatusCode::CREATED } else { StatusCode::OK }, AppJson(participation)))
}

/// Joins `challenge_id` in the caller's transaction (its first statement is a write), with the
/// window starting at `joined_at` (the device's time of joining, checked like an event's).
/// Returns whether a window started (a first join, or a join after leaving) and the
/// participation.
pub async fn join_in(
    tx: &mut AnyConnection,
    user_id: &str,
    challenge_id: &str,
    joined_at: i64,
    now: i64,
) -> Result<(bool, Participation)> {
    if joined_at > now + MAX_CLOCK_SKEW_MS || joined_at < now - MAX_EVENT_AGE_MS {
        return Err(Error::InvalidField {
            field: "joinedAtMs".into(),
            reason: "expected a time from the last 30 days, not the future".into(),
        });
    }
    let inserted = sqlx::query(
        "INSERT INTO participations (user_id, challenge_id, joined_at_ms) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id, challenge_id) DO NOTHING",
    )
    .bind(user_id)
    .bind(challenge_id)
    .bind(joined_at)
    .execute(&mut *tx)
    .await;
    let mut started = match inserted {
        Err(sqlx::Error::Database(e)) if e.is_foreign_key_violation() => return Err(Error::NotFound),
        other => other?.rows_affected() == 1,
    };
    // A retired challenge takes nobody new, nor anyone back who left it.
    if !challenges::is_open(tx, challenge_id).await? {
        return Err(Error::NotFound);
    }
    if !started {
        let row = sqlx::query(
            "SELECT left_at_ms, completed_at_ms FROM participations WHERE user_id = $1 AND challenge_id = $2",
        )
        .bind(user_id)
        .bind(challenge_id)
        .fetch_one(&mut *tx)
        .await?;
        let left: Option<i64> = row.try_get("left_at_ms")?;
        let completed: Option<i64> = row.try_get("completed_at_ms")?;
        if completed.is_some() {
            return Err(Error::AlreadyCompleted);
        }
        if left.is_some() {
            // Joining again starts a fresh window.
            sqlx::query(
                "UPDATE participations SET joined_at_ms = $1, left_at_ms = NULL \
                 WHERE user_id = $2 AND challenge_id = $3",
            )
            .bind(joined_at)
            .bind(user_id)
            .bind(challenge_id)
            .execute(&mut *tx)
            .await?;
            started = true;
        }
    }
    let challenge = challenges::load(tx, challenge_id).await?;
    let participation = evaluate_one(tx, user_id, &challenge, now).await?;
    if started {
        changes::record(tx, user_id, "participation", challenge_id, &participation).await?;
    }
    Ok((started, participation))
}

#[utoipa::path(post, path = "/v1/challenges/{id}/leave", tag = "challenges", security(("bearer" = [])),
    params(("id" = String, Path, description = "The challenge")),
    responses((status = 204, description = "Left"), (status = 404, description = "Not taking part", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn leave(
    State(state): State<AppState>,
    user: AuthUser,
    Path(challenge_id): Path<String>,
) -> Result<StatusCode> {
    let mut tx = state.db.pool().begin().await?;
    leave_in(&mut tx, &user.user_id, &challenge_id, crate::now_ms()).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Leaves `challenge_id` in the caller's transaction (its first statement is a write).
pub async fn leave_in(tx: &mut AnyConnection, user_id: &str, challenge_id: &str, now: i64) -> Result<()> {
    let left = sqlx::query(
        "UPDATE participations SET left_at_ms = $1 WHERE user_id = $2 AND challenge_id = $3 \
         AND left_at_ms IS NULL AND completed_at_ms IS NULL",
    )
    .bind(now)
    .bind(user_id)
    .bind(challenge_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if left == 0 {
        return Err(Error::NotFound);
    }
    changes::record(tx, user_id, "participation-left", challenge_id, &serde_json::json!({ "leftAtMs": now }))
        .await?;
    Ok(())
}

#[utoipa::path(get, path = "/v1/me/challenges", tag = "challenges", security(("bearer" = [])),
    responses((status = 200, description = "The challenges taken part in, with progress", body = Vec<Participation>)))]
#[tracing::instrument(skip_all)]
async fn mine(State(state): State<AppState>, user: AuthUser) -> Result<AppJson<Vec<Participation>>> {
    let mut conn = state.db.pool().acquire().await?;
    let ids: Vec<(String,)> = sqlx::query_as(
        "SELECT challenge_id FROM participations WHERE user_id = $1 AND left_at_ms IS NULL ORDER BY joined_at_ms",
    )
    .bind(&user.user_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut all = Vec::with_capacity(ids.len());
    for (challenge_id,) in ids {
        let challenge = challenges::load(&mut conn, &challenge_id).await?;
        all.push(progress_of(&mut conn, &user.user_id, &challenge).await?);
    }
    Ok(AppJson(all))
}

#[utoipa::path(post, path = "/v1/events", tag = "challenges", security(("bearer" = [])), request_body = EventBatch,
    responses((status = 200, description = "One result per event, and the challenges completed", body = IngestResult),
              (status = 422, description = "Empty or too large a batch, or a malformed event", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn ingest(
    State(state): State<AppState>,
    user: AuthUser,
    AppJson(batch): AppJson<EventBatch>,
) -> Result<AppJson<IngestResult>> {
    if batch.events.is_empty() || batch.events.len() > MAX_EVENTS_PER_BATCH {
        return Err(Error::InvalidField {
            field: "events".into(),
            reason: format!("expected 1 to {MAX_EVENTS_PER_BATCH} events"),
        });
    }
    for (i, event) in batch.events.iter().enumerate() {
        event.check_shape().map_err(|error| Error::InvalidField {
            field: format!("events[{i}].{}", error.field),
            reason: error.reason,
        })?;
    }
    // Read before the transaction, whose first statement must be a write (an insert) so that
    // SQLite takes its write lock up front.
    let consent = device_usage_consent(state.db.pool(), &user.user_id).await?;
    let mut tx = state.db.pool().begin().await?;
    let result = ingest_in(&mut tx, &user.user_id, consent, &batch.events, crate::now_ms()).await?;
    tx.commit().await?;
    Ok(AppJson(result))
}

/// Whether `user_id` consented to device-usage collection.
pub async fn device_usage_consent(pool: &sqlx::AnyPool, user_id: &str) -> Result<bool> {
    let consent: i64 = sqlx::query_scalar("SELECT device_usage_consent FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(pool)
        .await?;
    Ok(consent == 1)
}

/// Stores `events` (each once) and evaluates the challenges they touch, in the caller's
/// transaction.
pub async fn ingest_in(
    tx: &mut AnyConnection,
    user_id: &str,
    consent: bool,
    events: &[Event],
    now: i64,
) -> Result<IngestResult> {
    let mut results = Vec::with_capacity(events.len());
    let mut touched_kinds = Vec::new();
    for event in events {
        // `InvalidEvent`: the event broke a rule of its own (see `Event::check`); `NoConsent`:
        // a device event without the user's consent to collect device usage; `ProofRefused`: a
        // proof photo that is unknown, someone else's, or proves something else already.
        let rejected = |code: ApiCode, reason: String| EventResult {
            id: event.id.clone(),
            status: "rejected".into(),
            reason: Some(reason),
            code: Some(code),
        };
        if let Err(reason) = event.check(now) {
            results.push(rejected(ApiCode::InvalidEvent, reason));
            continue;
        }
        if event.is_device_usage() && !consent {
            results.push(rejected(
                ApiCode::NoConsent,
                "device usage is only collected with the user's consent".into(),
            ));
            continue;
        }
        if let Some(photo_id) = &event.proof_photo_id
            && !claim_proof(tx, user_id, &event.id, photo_id).await?
        {
            results.push(rejected(
                ApiCode::ProofRefused,
                "the proof photo is unknown, not yours, or proves something else".into(),
            ));
            continue;
        }
        let inserted = sqlx::query(
            "INSERT INTO events (user_id, id, kind, occurred_at_ms, duration_minutes, received_at_ms) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (user_id, id) DO NOTHING",
        )
        .bind(user_id)
        .bind(&event.id)
        .bind(&event.kind)
        .bind(event.occurred_at_ms)
        .bind(event.duration_minutes.map(i64::from))
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let status = if inserted == 1 { "accepted" } else { "duplicate" };
        if inserted == 1 && !touched_kinds.contains(&event.kind) {
            touched_kinds.push(event.kind.clone());
        }
        results.push(EventResult { id: event.id.clone(), status: status.into(), reason: None, code: None });
    }
    // Completed participations too: their progress keeps counting (what `GET /v1/me/challenges`
    // shows), so devices pulling the change feed must see it move as well.
    let active: Vec<(String, Option<i64>)> = sqlx::query_as(
        "SELECT challenge_id, completed_at_ms FROM participations WHERE user_id = $1 AND left_at_ms IS NULL",
    )
    .bind(user_id)
    .fetch_all(&mut *tx)
    .await?;
    let mut completed = Vec::new();
    for (challenge_id, completed_before) in active {
        let challenge = challenges::load(tx, &challenge_id).await?;
        if !touched_kinds.contains(&challenge.rule.trigger) {
            continue;
        }
        let participation = evaluate_one(tx, user_id, &challenge, now).await?;
        changes::record(tx, user_id, "participation", &challenge_id, &participation).await?;
        if completed_before.is_none() && participation.completed_at_ms.is_some() {
            completed.push(participation);
        }
    }
    Ok(IngestResult { results, completed })
}

/// Lets event `event_id` claim the user's photo `photo_id` as its proof: true if it did now or
/// had before (a resent event), false if the photo is not the user's, is on a post, or proves
/// another event. The guarded update is a write, so it may be a transaction's first statement.
async fn claim_proof(tx: &mut AnyConnection, user_id: &str, event_id: &str, photo_id: &str) -> Result<bool> {
    let key = format!("{user_id}:{event_id}");
    let claimed = sqlx::query(
        "UPDATE photos SET proof_event_id = $1 WHERE id = $2 AND owner_id = $3 AND post_id IS NULL \
         AND proof_event_id IS NULL",
    )
    .bind(&key)
    .bind(photo_id)
    .bind(user_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if claimed == 1 {
        return Ok(true);
    }
    let holder: Option<Option<String>> =
        sqlx::query_scalar("SELECT proof_event_id FROM photos WHERE id = $1 AND owner_id = $2")
            .bind(photo_id)
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
    Ok(holder.flatten().as_deref() == Some(key.as_str()))
}

/// Evaluates one participation and, if it has just been completed, records the completion and
/// awards its points (once: the update only succeeds for the first to see it, and the award's
/// transfer id is derived from user and challenge).
async fn evaluate_one(
    tx: &mut AnyConnection,
    user_id: &str,
    challenge: &Challenge,
    now_ms: i64,
) -> Result<Participation> {
    let challenge_id = challenge.id.as_str();
    let participation = progress_of(tx, user_id, challenge).await?;
    let (Some(completed_at), None) = (participation.progress.completed_at_ms, participation.completed_at_ms)
    else {
        return Ok(participation);
    };
    let recorded = sqlx::query(
        "UPDATE participations SET completed_at_ms = $1 WHERE user_id = $2 AND challenge_id = $3 \
         AND completed_at_ms IS NULL",
    )
    .bind(completed_at)
    .bind(user_id)
    .bind(challenge_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if recorded == 1 {
        let award = TransferRequest {
            id: format!("challenge:{user_id}:{challenge_id}"),
            kind: TransferKind::Award,
            user_id: user_id.to_owned(),
            amount: u64::from(challenge.points),
            memo: format!("challenge completed: {challenge_id}"),
            challenge_id: Some(challenge_id.to_owned()),
            reward_id: None,
        };
        ledger::apply_in(tx, &award, now_ms).await?;
        tracing::info!(user = %user_id, challenge = %challenge_id, points = challenge.points, "challenge completed");
    }
    Ok(Participation { completed_at_ms: Some(completed_at), ..participation })
}

async fn progress_of(
    conn: &mut AnyConnection,
    user_id: &str,
    challenge: &Challenge,
) -> Result<Participation> {
    let challenge_id = challenge.id.as_str();
    let row = sqlx::query(
        "SELECT p.joined_at_ms, p.completed_at_ms, u.time_zone FROM participations p JOIN users u ON u.id = p.user_id \
         WHERE p.user_id = $1 AND p.challenge_id = $2",
    )
    .bind(user_id)
    .bind(challenge_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(Error::NotFound)?;
    let joined_at_ms: i64 = row.try_get("joined_at_ms")?;
    let completed_at_ms: Option<i64> = row.try_get("completed_at_ms")?;
    let zone: String = row.try_get("time_zone")?;
    let tz = time_zone(&zone).map_err(Error::CorruptData)?;
    let rows = sqlx::query(
        "SELECT id, kind, occurred_at_ms, duration_minutes FROM events WHERE user_id = $1 AND kind = $2",
    )
    .bind(user_id)
    .bind(&challenge.rule.trigger)
    .fetch_all(&mut *conn)
    .await?;
    let events = rows
        .iter()
        .map(|row| {
            let minutes: Option<i64> = row.try_get("duration_minutes")?;
            Ok(Event {
                id: row.try_get("id")?,
                kind: row.try_get("kind")?,
                occurred_at_ms: row.try_get("occurred_at_ms")?,
                duration_minutes: minutes.and_then(|m| u32::try_from(m).ok()),
                proof_photo_id: None,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let progress = evaluate(&challenge.rule, joined_at_ms, &tz, &events);
    Ok(Participation { challenge_id: challenge_id.to_owned(), joined_at_ms, progress, completed_at_ms })
}
