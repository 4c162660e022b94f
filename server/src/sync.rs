//! The sync protocol: `push` applies a device's queued ops at most once each, in the device's
//! order, in one transaction; `pull` returns the user's changes after a cursor, paginated.
//!
//! Every change to a user's synced data goes through [`changes::record`], whichever route made
//! it, so a device that pulls sees REST and sync changes alike, in one sequence. Sync sits above
//! the features whose ops it applies (participation, profiles); they record into the change log,
//! which knows none of them.

use axum::extract::State;
use hearth_core::api::ErrorBody;
use hearth_core::sync::protocol::{
    MAX_CHANGES_PER_PULL, MAX_OPS_PER_PUSH, Op, OpKind, OpResult, OpStatus, PullResponse, PushRequest,
    PushResponse,
};
use serde::Deserialize;
use sqlx::{Acquire, AnyConnection, Row};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::changes;
use crate::error::{Error, Result};
use crate::extract::{AppJson, AppQuery, page_limit};
use crate::participation::{self, MAX_EVENTS_PER_BATCH};
use crate::profiles;
use crate::session::AuthUser;

/// Routes of this resource.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(push)).routes(routes!(pull))
}

fn invalid(field: String, reason: impl Into<String>) -> Error {
    Error::InvalidField { field, reason: reason.into() }
}

fn check_push(request: &PushRequest) -> Result<()> {
    if uuid::Uuid::parse_str(&request.client_id).is_err() {
        return Err(invalid("clientId".into(), "expected a UUID"));
    }
    if request.ops.is_empty() || request.ops.len() > MAX_OPS_PER_PUSH {
        return Err(invalid("ops".into(), format!("expected 1 to {MAX_OPS_PER_PUSH} ops")));
    }
    for (i, op) in request.ops.iter().enumerate() {
        if uuid::Uuid::parse_str(&op.op_id).is_err() {
            return Err(invalid(format!("ops[{i}].opId"), "expected a UUID"));
        }
        // A profile change's fields have the form the document states, as in `PATCH /v1/me`.
        if let hearth_core::sync::protocol::OpKind::ChangeProfile { change } = &op.kind {
            if let Some(name) = &change.display_name {
                hearth_core::account::normalize_display_name(name)
                    .map_err(|e| invalid(format!("ops[{i}].change.displayName"), e.reason))?;
            }
            if let Some(zone) = &change.time_zone {
                hearth_core::progress::time_zone(zone)
                    .map_err(|reason| invalid(format!("ops[{i}].change.timeZone"), reason))?;
            }
        }
    }
    Ok(())
}

#[utoipa::path(post, path = "/v1/sync/push", tag = "sync", security(("bearer" = [])), request_body = PushRequest,
    responses((status = 200, description = "One result per op, in order, and the new sequence", body = PushResponse),
              (status = 401, description = "No valid session", body = ErrorBody),
              (status = 422, description = "A malformed batch: nothing was applied", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn push(
    State(state): State<AppState>,
    user: AuthUser,
    AppJson(request): AppJson<PushRequest>,
) -> Result<AppJson<PushResponse>> {
    check_push(&request)?;
    let now = crate::now_ms();
    // As the batch goes: a consent granted (or withdrawn) offline applies to the events made after it.
    let mut consent = participation::device_usage_consent(state.db.pool(), &user.user_id).await?;
    let mut tx = state.db.pool().begin().await?;
    let mut results = Vec::with_capacity(request.ops.len());
    for op in &request.ops {
        // Remember the op before applying it (a write, first in the transaction for SQLite).
        let fresh = sqlx::query(
            "INSERT INTO sync_ops (user_id, client_id, op_id, status, received_at_ms) \
             VALUES ($1, $2, $3, 'applied', $4) ON CONFLICT (user_id, client_id, op_id) DO NOTHING",
        )
        .bind(&user.user_id)
        .bind(&request.client_id)
        .bind(&op.op_id)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if !fresh {
            results.push(stored_result(&mut tx, &user.user_id, &request.client_id, &op.op_id).await?);
            continue;
        }
        // Each op in a savepoint: a rejected op leaves no trace but its answer.
        let mut savepoint = (&mut *tx).begin().await?;
        match apply(&mut savepoint, &user.user_id, consent, op, now).await {
            Ok(()) => {
                savepoint.commit().await?;
                if let OpKind::ChangeProfile { change } = &op.kind
                    && let Some(given) = change.device_usage_consent
                {
                    consent = given;
                }
                results.push(OpResult {
                    op_id: op.op_id.clone(),
                    status: OpStatus::Applied,
                    duplicate: false,
                    code: None,
                    reason: None,
                });
            }
            Err(error) if error.is_client_error() => {
                savepoint.rollback().await?;
                sqlx::query(
                    "UPDATE sync_ops SET status = 'rejected', code = $1, reason = $2 \
                     WHERE user_id = $3 AND client_id = $4 AND op_id = $5",
                )
                .bind(error.code().as_str())
                .bind(error.to_string())
                .bind(&user.user_id)
                .bind(&request.client_id)
                .bind(&op.op_id)
                .execute(&mut *tx)
                .await?;
                tracing::info!(op = %op.op_id, code = %error.code(), "sync op rejected");
                results.push(OpResult {
                    op_id: op.op_id.clone(),
                    status: OpStatus::Rejected,
                    duplicate: false,
                    code: Some(error.code().as_str().to_owned()),
                    reason: Some(error.to_string()),
                });
            }
            // The server's fault: nothing of the batch is kept; the device retries it whole.
            Err(error) => return Err(error),
        }
    }
    let seq: i64 = sqlx::query_scalar("SELECT sync_seq FROM users WHERE id = $1")
        .bind(&user.user_id)
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(AppJson(PushResponse { seq, results }))
}

async fn apply(conn: &mut AnyConnection, user_id: &str, consent: bool, op: &Op, now: i64) -> Result<()> {
    match &op.kind {
        OpKind::JoinChallenge { challenge_id, joined_at_ms } => {
            participation::join_in(conn, user_id, challenge_id, joined_at_ms.unwrap_or(now), now).await?;
        }
        OpKind::LeaveChallenge { challenge_id } => {
            participation::leave_in(conn, user_id, challenge_id, now).await?
        }
        OpKind::RecordEvents { events } => {
            if events.is_empty() || events.len() > MAX_EVENTS_PER_BATCH {
                return Err(invalid("events".into(), format!("expected 1 to {MAX_EVENTS_PER_BATCH} events")));
            }
            // A batch none of whose events counted is refused as a whole, with the first
            // reason: the device shows it to the user instead of dropping it in silence.
            let ingested = participation::ingest_in(conn, user_id, consent, events, now).await?;
            if let Some(first) = ingested.results.first()
                && ingested.results.iter().all(|r| r.status == "rejected")
            {
                let code = first.code.unwrap_or(hearth_core::api::ApiCode::InvalidEvent);
                return Err(Error::EventsRefused { code, reason: first.reason.clone().unwrap_or_default() });
            }
        }
        OpKind::ChangeProfile { change } => {
            profiles::change(conn, user_id, change).await?;
        }
    }
    Ok(())
}

async fn stored_result(
    conn: &mut AnyConnection,
    user_id: &str,
    client_id: &str,
    op_id: &str,
) -> Result<OpResult> {
    let row = sqlx::query(
        "SELECT status, code, reason FROM sync_ops WHERE user_id = $1 AND client_id = $2 AND op_id = $3",
    )
    .bind(user_id)
    .bind(client_id)
    .bind(op_id)
    .fetch_one(&mut *conn)
    .await?;
    let status: String = row.try_get("status")?;
    Ok(OpResult {
        op_id: op_id.to_owned(),
        status: if status == "rejected" { OpStatus::Rejected } else { OpStatus::Applied },
        duplicate: true,
        code: row.try_get("code")?,
        reason: row.try_get("reason")?,
    })
}

/// Query of `GET /v1/sync/pull`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct PullQuery {
    /// The cursor from the previous pull (0 the first time).
    #[param(minimum = 0)]
    after: Option<i64>,
    /// Changes per page, 1 to 1000 (default 200).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<u32>,
}

#[utoipa::path(get, path = "/v1/sync/pull", tag = "sync", security(("bearer" = [])), params(PullQuery),
    responses((status = 200, description = "The user's changes after the cursor, in sequence", body = PullResponse),
              (status = 401, description = "No valid session", body = ErrorBody),
              (status = 422, description = "A bad cursor or limit", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn pull(
    State(state): State<AppState>,
    user: AuthUser,
    AppQuery(query): AppQuery<PullQuery>,
) -> Result<AppJson<PullResponse>> {
    let after = query.after.unwrap_or(0);
    if after < 0 {
        return Err(invalid("after".into(), "expected a cursor from a previous pull"));
    }
    let limit = page_limit(query.limit, 200, MAX_CHANGES_PER_PULL)?;
    let mut changes = changes::after(state.db.pool(), &user.user_id, after, i64::from(limit) + 1).await?;
    let has_more = changes.len() > limit as usize;
    changes.truncate(limit as usize);
    let cursor = changes.last().map_or(after, |c| c.seq);
    Ok(AppJson(PullResponse { changes, cursor, has_more }))
}
