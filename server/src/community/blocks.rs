//! Blocks between two people: neither sees the other's posts or comments.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use hearth_core::api::ErrorBody;
use hearth_core::community::{Author, Blocked};
use sqlx::Row;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{Error, Result};
use crate::extract::AppJson;
use crate::session::AuthUser;

use super::*;

/// Routes of this resource.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(block, unblock)).routes(routes!(list_blocks))
}

// Blocks

#[utoipa::path(put, path = "/v1/blocks/{userId}", tag = "community", security(("bearer" = [])),
    params(("userId" = String, Path, description = "Who to block")),
    responses((status = 204, description = "Blocked: neither sees the other's posts or comments"),
              (status = 404, description = "No such user", body = ErrorBody),
              (status = 422, description = "The caller themselves", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn block(
    State(state): State<AppState>,
    user: AuthUser,
    Path(user_id): Path<String>,
) -> Result<StatusCode> {
    if user_id == user.user_id {
        return Err(invalid("userId", "you cannot block yourself"));
    }
    let exists: Option<i64> = sqlx::query_scalar("SELECT 1 FROM users WHERE id = $1")
        .bind(&user_id)
        .fetch_optional(state.db.pool())
        .await?;
    if exists.is_none() {
        return Err(Error::NotFound);
    }
    sqlx::query(
        "INSERT INTO blocks (blocker_id, blocked_id, created_at_ms) VALUES ($1, $2, $3) \
         ON CONFLICT (blocker_id, blocked_id) DO NOTHING",
    )
    .bind(&user.user_id)
    .bind(&user_id)
    .bind(crate::now_ms())
    .execute(state.db.pool())
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(delete, path = "/v1/blocks/{userId}", tag = "community", security(("bearer" = [])),
    params(("userId" = String, Path, description = "Who to unblock")),
    responses((status = 204, description = "Not blocked (any more)")))]
#[tracing::instrument(skip_all)]
async fn unblock(
    State(state): State<AppState>,
    user: AuthUser,
    Path(user_id): Path<String>,
) -> Result<StatusCode> {
    sqlx::query("DELETE FROM blocks WHERE blocker_id = $1 AND blocked_id = $2")
        .bind(&user.user_id)
        .bind(&user_id)
        .execute(state.db.pool())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/v1/blocks", tag = "community", security(("bearer" = [])),
    responses((status = 200, description = "Who the caller has blocked, most recent first", body = Vec<Blocked>)))]
#[tracing::instrument(skip_all)]
async fn list_blocks(State(state): State<AppState>, user: AuthUser) -> Result<AppJson<Vec<Blocked>>> {
    let rows = sqlx::query(
        "SELECT b.blocked_id, u.display_name, b.created_at_ms FROM blocks b JOIN users u ON u.id = b.blocked_id \
         WHERE b.blocker_id = $1 ORDER BY b.created_at_ms DESC, b.blocked_id",
    )
    .bind(&user.user_id)
    .fetch_all(state.db.pool())
    .await?;
    let blocked = rows
        .iter()
        .map(|row| {
            Ok(Blocked {
                user: Author { id: row.try_get("blocked_id")?, display_name: row.try_get("display_name")? },
                blocked_at_ms: row.try_get("created_at_ms")?,
            })
        })
        .collect::<Result<_>>()?;
    Ok(AppJson(blocked))
}
