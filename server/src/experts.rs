//! Expert sessions: operators schedule live sessions (an energy adviser, an installer) with a
//! number of places; people take a place and give it back until the session starts. The count of
//! places taken is changed by a guarded UPDATE in the same transaction as the RSVP row, so two
//! people racing for the last place cannot both get it.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use hearth_core::account::Role;
use hearth_core::api::ErrorBody;
use hearth_core::community::{
    CreateExpertSession, ExpertSession, MAX_DESCRIPTION_CHARS, MAX_GROUP_NAME_CHARS,
};
use hearth_core::fields::{Lines, normalize_text};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{Error, Result};
use crate::extract::AppJson;
use crate::session::AuthUser;

/// Most places one session may offer.
pub const MAX_CAPACITY: u32 = 10_000;

/// Routes of this resource.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(schedule, upcoming)).routes(routes!(attend, cancel))
}

const SELECT: &str = "SELECT s.id, s.title, s.description, s.expert_name, s.starts_at_ms, s.duration_minutes, \
    s.capacity, s.attending_count, CASE WHEN r.user_id IS NULL THEN 0 ELSE 1 END AS attending \
    FROM expert_sessions s LEFT JOIN expert_session_rsvps r ON r.session_id = s.id AND r.user_id = $1";

fn from_row(row: &AnyRow) -> Result<ExpertSession> {
    let id: String = row.try_get("id")?;
    let number = |column: &str| -> Result<u32> {
        let value: i64 = row.try_get(column)?;
        u32::try_from(value).map_err(|_| Error::CorruptData(format!("expert session `{id}` {column}")))
    };
    let attending: i64 = row.try_get("attending")?;
    Ok(ExpertSession {
        title: row.try_get("title")?,
        description: row.try_get("description")?,
        expert_name: row.try_get("expert_name")?,
        starts_at_ms: row.try_get("starts_at_ms")?,
        duration_minutes: number("duration_minutes")?,
        capacity: number("capacity")?,
        attending_count: number("attending_count")?,
        attending: attending != 0,
        id,
    })
}

async fn load(conn: &mut AnyConnection, viewer: &str, id: &str) -> Result<ExpertSession> {
    let row = sqlx::query(&format!("{SELECT} WHERE s.id = $2"))
        .bind(viewer)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(Error::NotFound)?;
    from_row(&row)
}

fn invalid(field: &str, reason: impl Into<String>) -> Error {
    Error::InvalidField { field: field.to_owned(), reason: reason.into() }
}

#[utoipa::path(post, path = "/v1/expert-sessions", tag = "community", security(("bearer" = [])),
    request_body = CreateExpertSession,
    responses((status = 201, description = "Scheduled", body = ExpertSession),
              (status = 403, description = "Operators only", body = ErrorBody),
              (status = 422, description = "A field broke a rule", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn schedule(
    State(state): State<AppState>,
    user: AuthUser,
    AppJson(request): AppJson<CreateExpertSession>,
) -> Result<(StatusCode, AppJson<ExpertSession>)> {
    user.require(Role::Operator)?;
    let title = normalize_text(&request.title, "title", 1, MAX_GROUP_NAME_CHARS * 2, Lines::One)?;
    let description =
        normalize_text(&request.description, "description", 0, MAX_DESCRIPTION_CHARS, Lines::Many)?;
    let expert_name =
        normalize_text(&request.expert_name, "expertName", 1, MAX_GROUP_NAME_CHARS, Lines::One)?;
    let now = crate::now_ms();
    if request.starts_at_ms <= now {
        return Err(invalid("startsAtMs", "expected a time in the future"));
    }
    if !(5..=480).contains(&request.duration_minutes) {
        return Err(invalid("durationMinutes", "expected 5 to 480 minutes"));
    }
    if !(1..=MAX_CAPACITY).contains(&request.capacity) {
        return Err(invalid("capacity", format!("expected 1 to {MAX_CAPACITY} places")));
    }
    let id = uuid::Uuid::now_v7().to_string();
    let mut conn = state.db.pool().acquire().await?;
    sqlx::query(
        "INSERT INTO expert_sessions (id, title, description, expert_name, starts_at_ms, duration_minutes, capacity, \
         created_by, created_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&id)
    .bind(&title)
    .bind(&description)
    .bind(&expert_name)
    .bind(request.starts_at_ms)
    .bind(i64::from(request.duration_minutes))
    .bind(i64::from(request.capacity))
    .bind(&user.user_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok((StatusCode::CREATED, AppJson(load(&mut conn, &user.user_id, &id).await?)))
}

#[utoipa::path(get, path = "/v1/expert-sessions", tag = "community", security(("bearer" = [])),
    responses((status = 200, description = "Sessions not yet over, soonest first", body = Vec<ExpertSession>)))]
#[tracing::instrument(skip_all)]
async fn upcoming(State(state): State<AppState>, user: AuthUser) -> Result<AppJson<Vec<ExpertSession>>> {
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE s.starts_at_ms + s.duration_minutes * 60000 > $2 ORDER BY s.starts_at_ms, s.id LIMIT 100"
    ))
    .bind(&user.user_id)
    .bind(crate::now_ms())
    .fetch_all(state.db.pool())
    .await?;
    Ok(AppJson(rows.iter().map(from_row).collect::<Result<_>>()?))
}

#[utoipa::path(put, path = "/v1/expert-sessions/{id}/rsvp", tag = "community", security(("bearer" = [])),
    params(("id" = String, Path, description = "The session")),
    responses((status = 200, description = "The caller has a place (asking twice changes nothing)", body = ExpertSession),
              (status = 404, description = "No such session", body = ErrorBody),
              (status = 409, description = "Full, or already started", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn attend(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> Result<AppJson<ExpertSession>> {
    let mut conn = state.db.pool().acquire().await?;
    let session = load(&mut conn, &user.user_id, &id).await?;
    if session.attending {
        return Ok(AppJson(session));
    }
    // One connection per request: holding one while waiting for another can starve the pool.
    drop(conn);
    let now = crate::now_ms();
    let mut tx = state.db.pool().begin().await?;
    let inserted = sqlx::query(
        "INSERT INTO expert_session_rsvps (session_id, user_id, created_at_ms) VALUES ($1, $2, $3) \
         ON CONFLICT (session_id, user_id) DO NOTHING",
    )
    .bind(&id)
    .bind(&user.user_id)
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if inserted == 1 {
        let taken = sqlx::query(
            "UPDATE expert_sessions SET attending_count = attending_count + 1 \
             WHERE id = $1 AND attending_count < capacity AND starts_at_ms > $2",
        )
        .bind(&id)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if taken == 0 {
            return Err(if session.starts_at_ms <= now { Error::SessionStarted } else { Error::SessionFull });
        }
    }
    let session = load(&mut tx, &user.user_id, &id).await?;
    tx.commit().await?;
    Ok(AppJson(session))
}

#[utoipa::path(delete, path = "/v1/expert-sessions/{id}/rsvp", tag = "community", security(("bearer" = [])),
    params(("id" = String, Path, description = "The session")),
    responses((status = 204, description = "The caller's place is given back (or they had none)"),
              (status = 404, description = "No such session", body = ErrorBody),
              (status = 409, description = "The session has started", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn cancel(State(state): State<AppState>, user: AuthUser, Path(id): Path<String>) -> Result<StatusCode> {
    let mut conn = state.db.pool().acquire().await?;
    let session = load(&mut conn, &user.user_id, &id).await?;
    let now = crate::now_ms();
    if session.starts_at_ms <= now {
        return Err(Error::SessionStarted);
    }
    drop(conn);
    let mut tx = state.db.pool().begin().await?;
    let removed = sqlx::query("DELETE FROM expert_session_rsvps WHERE session_id = $1 AND user_id = $2")
        .bind(&id)
        .bind(&user.user_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if removed == 1 {
        sqlx::query("UPDATE expert_sessions SET attending_count = attending_count - 1 WHERE id = $1")
            .bind(&id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
