//! Interest groups: creating one (operators), listing them, joining and leaving.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use hearth_core::account::Role;
use hearth_core::api::ErrorBody;
use hearth_core::community::{CreateGroup, Group, MAX_DESCRIPTION_CHARS, MAX_GROUP_NAME_CHARS};
use hearth_core::fields::{Lines, normalize_text};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{Error, Result};
use crate::extract::AppJson;
use crate::session::AuthUser;

/// Routes of this resource.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(create_group, list_groups)).routes(routes!(join_group, leave_group))
}

fn group_from_row(row: &AnyRow) -> Result<Group> {
    let joined: i64 = row.try_get("joined")?;
    Ok(Group {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        description: row.try_get("description")?,
        member_count: row.try_get("member_count")?,
        joined: joined != 0,
    })
}

const GROUP_SELECT: &str = "SELECT g.id, g.name, g.description, g.member_count, \
    CASE WHEN m.user_id IS NULL THEN 0 ELSE 1 END AS joined \
    FROM community_groups g LEFT JOIN group_members m ON m.group_id = g.id AND m.user_id = $1";

pub(super) async fn load_group(conn: &mut AnyConnection, viewer: &str, id: &str) -> Result<Group> {
    let row = sqlx::query(&format!("{GROUP_SELECT} WHERE g.id = $2"))
        .bind(viewer)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(Error::NotFound)?;
    group_from_row(&row)
}

#[utoipa::path(post, path = "/v1/groups", tag = "community", security(("bearer" = [])), request_body = CreateGroup,
    responses((status = 201, description = "Created", body = Group),
              (status = 403, description = "Operators only", body = ErrorBody),
              (status = 409, description = "A group has that name", body = ErrorBody),
              (status = 422, description = "A bad name or description", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn create_group(
    State(state): State<AppState>,
    user: AuthUser,
    AppJson(request): AppJson<CreateGroup>,
) -> Result<(StatusCode, AppJson<Group>)> {
    user.require(Role::Operator)?;
    let name = normalize_text(&request.name, "name", 1, MAX_GROUP_NAME_CHARS, Lines::One)?;
    let description =
        normalize_text(&request.description, "description", 0, MAX_DESCRIPTION_CHARS, Lines::Many)?;
    let id = uuid::Uuid::now_v7().to_string();
    let mut conn = state.db.pool().acquire().await?;
    sqlx::query(
        "INSERT INTO community_groups (id, name, description, created_by, created_at_ms) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&id)
    .bind(&name)
    .bind(&description)
    .bind(&user.user_id)
    .bind(crate::now_ms())
    .execute(&mut *conn)
    .await
    .map_err(|e| crate::error::taken_on_unique(e, "name"))?;
    Ok((StatusCode::CREATED, AppJson(load_group(&mut conn, &user.user_id, &id).await?)))
}

#[utoipa::path(get, path = "/v1/groups", tag = "community", security(("bearer" = [])),
    responses((status = 200, description = "Every group, by name, with whether the caller belongs", body = Vec<Group>)))]
#[tracing::instrument(skip_all)]
async fn list_groups(State(state): State<AppState>, user: AuthUser) -> Result<AppJson<Vec<Group>>> {
    let rows = sqlx::query(&format!("{GROUP_SELECT} ORDER BY g.name, g.id"))
        .bind(&user.user_id)
        .fetch_all(state.db.pool())
        .await?;
    Ok(AppJson(rows.iter().map(group_from_row).collect::<Result<_>>()?))
}

#[utoipa::path(put, path = "/v1/groups/{id}/membership", tag = "community", security(("bearer" = [])),
    params(("id" = String, Path, description = "The group")),
    responses((status = 200, description = "A member (joining twice changes nothing)", body = Group),
              (status = 404, description = "No such group", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn join_group(
    State(state): State<AppState>,
    user: AuthUser,
    Path(group_id): Path<String>,
) -> Result<AppJson<Group>> {
    // One connection per request: holding one while waiting for another can starve the pool.
    let mut tx = state.db.pool().begin().await?;
    let joined = sqlx::query(
        "INSERT INTO group_members (group_id, user_id, joined_at_ms) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id, group_id) DO NOTHING",
    )
    .bind(&group_id)
    .bind(&user.user_id)
    .bind(crate::now_ms())
    .execute(&mut *tx)
    .await;
    let joined = match joined {
        Err(sqlx::Error::Database(e)) if e.is_foreign_key_violation() => return Err(Error::NotFound),
        other => other?.rows_affected(),
    };
    if joined == 1 {
        sqlx::query("UPDATE community_groups SET member_count = member_count + 1 WHERE id = $1")
            .bind(&group_id)
            .execute(&mut *tx)
            .await?;
    }
    let group = load_group(&mut tx, &user.user_id, &group_id).await?;
    tx.commit().await?;
    Ok(AppJson(group))
}

#[utoipa::path(delete, path = "/v1/groups/{id}/membership", tag = "community", security(("bearer" = [])),
    params(("id" = String, Path, description = "The group")),
    responses((status = 204, description = "Not a member (any more)"),
              (status = 404, description = "No such group", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn leave_group(
    State(state): State<AppState>,
    user: AuthUser,
    Path(group_id): Path<String>,
) -> Result<StatusCode> {
    let mut tx = state.db.pool().begin().await?;
    let left = sqlx::query("DELETE FROM group_members WHERE group_id = $1 AND user_id = $2")
        .bind(&group_id)
        .bind(&user.user_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    let updated = sqlx::query("UPDATE community_groups SET member_count = member_count - $2 WHERE id = $1")
        .bind(&group_id)
        .bind(i64::try_from(left).unwrap_or(0))
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if updated == 0 {
        return Err(Error::NotFound);
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---------------------------------------------------------------------------------------------
