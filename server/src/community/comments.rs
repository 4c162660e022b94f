//! Comments on posts: adding, paging, deleting, and keeping a post's count of visible comments.

use std::sync::LazyLock;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use hearth_core::account::Role;
use hearth_core::api::ErrorBody;
use hearth_core::community::{Author, Comment, CommentPage, CreateComment, MAX_COMMENT_CHARS, Moderation};
use hearth_core::fields::{Lines, normalize_text};
use serde::Deserialize;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{Error, Result};
use crate::extract::{AppJson, AppQuery};
use crate::session::AuthUser;

use super::*;

/// Routes of this resource.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(add_comment, list_comments)).routes(routes!(delete_comment))
}

// Comments

/// Which comments a page shows.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
struct CommentQuery {
    /// The `nextCursor` of the page before: comments newer than it.
    #[param(format = Uuid)]
    after: Option<String>,
    /// Comments per page, 1 to 50 (default 20).
    #[param(minimum = 1, maximum = 50)]
    limit: Option<u32>,
}

const COMMENT_SELECT: &str = "SELECT c.id, c.post_id, c.author_id, u.display_name, c.body, c.created_at_ms \
    FROM comments c JOIN users u ON u.id = c.author_id";

/// Comments `$1` may see ([`Moderation::seen_by`]): not removed, held only for their author,
/// none across a block.
static COMMENT_VISIBLE: LazyLock<String> = LazyLock::new(|| {
    format!(
        "c.moderation <> '{removed}' AND (c.moderation = '{shown}' OR c.author_id = $1) \
         AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.blocker_id = $1 AND b.blocked_id = c.author_id) \
         AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.blocker_id = c.author_id AND b.blocked_id = $1)",
        removed = Moderation::Removed.as_str(),
        shown = Moderation::Visible.as_str(),
    )
});

/// Whether the viewer `$1` may see comment `c`, as an SQL condition.
pub(super) fn comment_visible() -> &'static str {
    &COMMENT_VISIBLE
}

fn comment_from_row(row: &AnyRow) -> Result<Comment> {
    Ok(Comment {
        id: row.try_get("id")?,
        post_id: row.try_get("post_id")?,
        author: Author { id: row.try_get("author_id")?, display_name: row.try_get("display_name")? },
        text: row.try_get("body")?,
        created_at_ms: row.try_get("created_at_ms")?,
    })
}

#[utoipa::path(post, path = "/v1/posts/{id}/comments", tag = "community", security(("bearer" = [])),
    params(("id" = String, Path, description = "The post")), request_body = CreateComment,
    responses((status = 201, description = "Published", body = Comment),
              (status = 404, description = "No such post, or not one the caller may see", body = ErrorBody),
              (status = 422, description = "Empty or too long", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn add_comment(
    State(state): State<AppState>,
    user: AuthUser,
    Path(post_id): Path<String>,
    AppJson(request): AppJson<CreateComment>,
) -> Result<(StatusCode, AppJson<Comment>)> {
    let text = normalize_text(&request.text, "text", 1, MAX_COMMENT_CHARS, Lines::Many)?;
    if !is_post_visible(state.db.pool(), &user.user_id, &post_id).await? {
        return Err(Error::NotFound);
    }
    let id = uuid::Uuid::now_v7().to_string();
    let mut tx = state.db.pool().begin().await?;
    sqlx::query(
        "INSERT INTO comments (id, post_id, author_id, body, created_at_ms) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&id)
    .bind(&post_id)
    .bind(&user.user_id)
    .bind(&text)
    .bind(crate::now_ms())
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE posts SET comment_count = comment_count + 1 WHERE id = $1")
        .bind(&post_id)
        .execute(&mut *tx)
        .await?;
    let row = sqlx::query(&format!("{COMMENT_SELECT} WHERE c.id = $1")).bind(&id).fetch_one(&mut *tx).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, AppJson(comment_from_row(&row)?)))
}

#[utoipa::path(get, path = "/v1/posts/{id}/comments", tag = "community", security(("bearer" = [])),
    params(("id" = String, Path, description = "The post"), CommentQuery),
    responses((status = 200, description = "A page of comments, oldest first", body = CommentPage),
              (status = 404, description = "No such post, or not one the caller may see", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn list_comments(
    State(state): State<AppState>,
    user: AuthUser,
    Path(post_id): Path<String>,
    AppQuery(query): AppQuery<CommentQuery>,
) -> Result<AppJson<CommentPage>> {
    let limit = page_size(query.limit)?;
    let after = cursor(query.after.as_deref(), "after")?;
    if !is_post_visible(state.db.pool(), &user.user_id, &post_id).await? {
        return Err(Error::NotFound);
    }
    let rows = sqlx::query(&format!(
        "{COMMENT_SELECT} WHERE c.post_id = $2 AND c.id > $3 AND {} ORDER BY c.id LIMIT $4",
        comment_visible()
    ))
    .bind(&user.user_id)
    .bind(&post_id)
    .bind(after.unwrap_or_default())
    .bind(i64::from(limit) + 1)
    .fetch_all(state.db.pool())
    .await?;
    let mut comments = rows.iter().map(comment_from_row).collect::<Result<Vec<_>>>()?;
    let next_cursor = if comments.len() > limit as usize {
        comments.truncate(limit as usize);
        comments.last().map(|c| c.id.clone())
    } else {
        None
    };
    Ok(AppJson(CommentPage { comments, next_cursor }))
}

/// Sets a comment's moderation state from `from` to `to` and keeps its post's count of visible
/// comments right ([`Moderation::counts`]); true if it changed.
pub(super) async fn moderate_comment(
    conn: &mut AnyConnection,
    id: &str,
    from: Moderation,
    to: Moderation,
) -> Result<bool> {
    let post_id: Option<String> = sqlx::query_scalar(
        "UPDATE comments SET moderation = $1 WHERE id = $2 AND moderation = $3 RETURNING post_id",
    )
    .bind(to.as_str())
    .bind(id)
    .bind(from.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    let Some(post_id) = post_id else {
        return Ok(false);
    };
    let delta = i64::from(to.counts()) - i64::from(from.counts());
    if delta != 0 {
        sqlx::query("UPDATE posts SET comment_count = comment_count + $1 WHERE id = $2")
            .bind(delta)
            .bind(&post_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(true)
}

#[utoipa::path(delete, path = "/v1/comments/{id}", tag = "community", security(("bearer" = [])),
    params(("id" = String, Path, description = "The comment")),
    responses((status = 204, description = "Deleted"),
              (status = 403, description = "Only its author, the post's author or an operator", body = ErrorBody),
              (status = 404, description = "No such comment", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn delete_comment(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    let row = sqlx::query(
        "SELECT c.author_id, c.moderation, p.author_id AS post_author FROM comments c JOIN posts p ON p.id = c.post_id \
         WHERE c.id = $1 AND c.moderation <> $2",
    )
    .bind(&id)
    .bind(Moderation::Removed.as_str())
    .fetch_optional(state.db.pool())
    .await?
    .ok_or(Error::NotFound)?;
    let author: String = row.try_get("author_id")?;
    let post_author: String = row.try_get("post_author")?;
    let moderation: String = row.try_get("moderation")?;
    let moderation = super::stored_moderation(&moderation, format_args!("comment `{id}`"))?;
    if author != user.user_id && post_author != user.user_id && user.role != Role::Operator {
        return Err(Error::Forbidden);
    }
    let mut tx = state.db.pool().begin().await?;
    if !moderate_comment(&mut tx, &id, moderation, Moderation::Removed).await? {
        return Err(Error::NotFound);
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---------------------------------------------------------------------------------------------
