//! Reactions to posts, one per person, with the post's counts kept in step.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use hearth_core::api::ErrorBody;
use hearth_core::community::{Post, ReactionKind, SetReaction};
use sqlx::AnyConnection;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{Error, Result};
use crate::extract::AppJson;
use crate::session::AuthUser;

use super::*;

/// Routes of this resource.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(react, unreact))
}

// Reactions

fn count_column(kind: ReactionKind) -> &'static str {
    match kind {
        ReactionKind::Like => "like_count",
        ReactionKind::Love => "love_count",
        ReactionKind::Cheer => "cheer_count",
        ReactionKind::Thanks => "thanks_count",
    }
}

/// Removes the caller's reaction to a post, if any, and its count.
async fn remove_reaction(conn: &mut AnyConnection, post_id: &str, user_id: &str) -> Result<()> {
    let old: Option<String> =
        sqlx::query_scalar("DELETE FROM reactions WHERE post_id = $1 AND user_id = $2 RETURNING kind")
            .bind(post_id)
            .bind(user_id)
            .fetch_optional(&mut *conn)
            .await?;
    if let Some(old) = old {
        let old = ReactionKind::from_storage(&old)
            .ok_or_else(|| Error::CorruptData(format!("reaction `{old}`")))?;
        let column = count_column(old);
        sqlx::query(&format!("UPDATE posts SET {column} = {column} - 1 WHERE id = $1"))
            .bind(post_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

#[utoipa::path(put, path = "/v1/posts/{id}/reaction", tag = "community", security(("bearer" = [])),
    params(("id" = String, Path, description = "The post")), request_body = SetReaction,
    responses((status = 200, description = "The post with the caller's reaction", body = Post),
              (status = 404, description = "No such post, or not one the caller may see", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn react(
    State(state): State<AppState>,
    user: AuthUser,
    Path(post_id): Path<String>,
    AppJson(request): AppJson<SetReaction>,
) -> Result<AppJson<Post>> {
    if !is_post_visible(state.db.pool(), &user.user_id, &post_id).await? {
        return Err(Error::NotFound);
    }
    let mut tx = state.db.pool().begin().await?;
    remove_reaction(&mut tx, &post_id, &user.user_id).await?;
    sqlx::query("INSERT INTO reactions (post_id, user_id, kind, created_at_ms) VALUES ($1, $2, $3, $4)")
        .bind(&post_id)
        .bind(&user.user_id)
        .bind(request.kind.as_str())
        .bind(crate::now_ms())
        .execute(&mut *tx)
        .await?;
    let column = count_column(request.kind);
    sqlx::query(&format!("UPDATE posts SET {column} = {column} + 1 WHERE id = $1"))
        .bind(&post_id)
        .execute(&mut *tx)
        .await?;
    let post = load_post(&mut tx, &user.user_id, &post_id).await?;
    tx.commit().await?;
    Ok(AppJson(post))
}

#[utoipa::path(delete, path = "/v1/posts/{id}/reaction", tag = "community", security(("bearer" = [])),
    params(("id" = String, Path, description = "The post")),
    responses((status = 204, description = "No reaction of the caller's (any more)"),
              (status = 404, description = "No such post, or not one the caller may see", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn unreact(
    State(state): State<AppState>,
    user: AuthUser,
    Path(post_id): Path<String>,
) -> Result<StatusCode> {
    if !is_post_visible(state.db.pool(), &user.user_id, &post_id).await? {
        return Err(Error::NotFound);
    }
    let mut tx = state.db.pool().begin().await?;
    remove_reaction(&mut tx, &post_id, &user.user_id).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---------------------------------------------------------------------------------------------
