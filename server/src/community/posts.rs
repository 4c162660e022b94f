//! Posts and family stories with their photos, the chronological feed, reading and deleting a post.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use hearth_core::account::Role;
use hearth_core::api::ErrorBody;
use hearth_core::community::{Audience, CreatePost, FeedPage, Moderation, Post, PostKind, PostRuleError};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{Error, Result};
use crate::extract::{AppJson, AppQuery};
use crate::session::AuthUser;

use super::groups::load_group;
use super::*;

/// A post rule from core, as the API's field error.
fn rule_broken(error: PostRuleError) -> Error {
    invalid(error.field, error.reason)
}

/// Routes of this resource.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_post))
        .routes(routes!(feed))
        .routes(routes!(get_post, delete_post))
}

// Posts and the feed

#[utoipa::path(post, path = "/v1/posts", tag = "community", security(("bearer" = [])), request_body = CreatePost,
    responses((status = 201, description = "Published", body = Post),
              (status = 422, description = "A field broke a rule (the field is named)", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn create_post(
    State(state): State<AppState>,
    user: AuthUser,
    AppJson(request): AppJson<CreatePost>,
) -> Result<(StatusCode, AppJson<Post>)> {
    let text = request.checked_text().map_err(rule_broken)?;
    let mut conn = state.db.pool().acquire().await?;
    let in_group = match &request.group_id {
        Some(group_id) => match load_group(&mut conn, &user.user_id, group_id).await {
            Ok(group) => Some(group.joined),
            Err(Error::NotFound) => None,
            Err(other) => return Err(other),
        },
        None => None,
    };
    let household: Option<String> = match request.kind {
        PostKind::Story => {
            sqlx::query_scalar("SELECT household_id FROM household_members WHERE user_id = $1")
                .bind(&user.user_id)
                .fetch_optional(&mut *conn)
                .await?
        }
        PostKind::Post => None,
    };
    let household_id = match request.audience(in_group, household.as_deref()).map_err(rule_broken)? {
        Audience::Household(household) => Some(household),
        Audience::Everyone | Audience::Group(_) => None,
    };
    // One connection per request: holding one while waiting for another can starve the pool.
    drop(conn);
    let id = uuid::Uuid::now_v7().to_string();
    let mut tx = state.db.pool().begin().await?;
    sqlx::query(
        "INSERT INTO posts (id, kind, author_id, group_id, household_id, body, photos, created_at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, '[]', $7)",
    )
    .bind(&id)
    .bind(request.kind.as_str())
    .bind(&user.user_id)
    .bind(&request.group_id)
    .bind(&household_id)
    .bind(&text)
    .bind(crate::now_ms())
    .execute(&mut *tx)
    .await?;
    let mut photos = Vec::with_capacity(request.photo_ids.len());
    for (i, photo_id) in request.photo_ids.iter().enumerate() {
        // Claim the photo: only the uploader's, only once.
        let row = sqlx::query(
            "UPDATE photos SET post_id = $1, position = $2 WHERE id = $3 AND owner_id = $4 AND post_id IS NULL AND proof_event_id IS NULL \
             RETURNING width, height, thumb_width, thumb_height",
        )
        .bind(&id)
        .bind(i as i64)
        .bind(photo_id)
        .bind(&user.user_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| invalid(format!("photoIds[{i}]"), "no such photo of yours, or it is on another post"))?;
        photos.push(crate::photos::photo_from_row(photo_id, &row)?);
    }
    let photos = serde_json::to_string(&photos).map_err(|e| Error::CorruptData(e.to_string()))?;
    sqlx::query("UPDATE posts SET photos = $1 WHERE id = $2")
        .bind(photos)
        .bind(&id)
        .execute(&mut *tx)
        .await?;
    let post = load_post(&mut tx, &user.user_id, &id).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, AppJson(post)))
}

/// Which posts a feed page shows.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
struct FeedQuery {
    /// Only this group's posts; without it, the caller's feed: public posts, their groups' posts,
    /// their household's stories and their own.
    group: Option<String>,
    /// The `nextCursor` of the page before: posts older than it.
    #[param(format = Uuid)]
    before: Option<String>,
    /// Posts per page, 1 to 50 (default 20).
    #[param(minimum = 1, maximum = 50)]
    limit: Option<u32>,
}

#[utoipa::path(get, path = "/v1/feed", tag = "community", security(("bearer" = [])), params(FeedQuery),
    responses((status = 200, description = "A page of posts, newest first", body = FeedPage),
              (status = 422, description = "A bad cursor or limit", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn feed(
    State(state): State<AppState>,
    user: AuthUser,
    AppQuery(query): AppQuery<FeedQuery>,
) -> Result<AppJson<FeedPage>> {
    let limit = page_size(query.limit)?;
    let before = cursor(query.before.as_deref(), "before")?;
    // Each optional filter is left out of the SQL when absent (not `$n = '' OR ...`), so even a
    // generic prepared plan walks the primary key backwards and stops after one page.
    let mut sql = format!("{POST_SELECT} WHERE {visible}", visible = visible());
    let mut next = 3;
    if before.is_some() {
        sql.push_str(&format!(" AND p.id < ${next}"));
        next += 1;
    }
    if query.group.is_some() {
        sql.push_str(&format!(" AND p.group_id = ${next}"));
    } else {
        sql.push_str(
            " AND (p.kind = 'story' OR p.author_id = $1 OR p.group_id IS NULL \
               OR p.group_id IN (SELECT gm.group_id FROM group_members gm WHERE gm.user_id = $1))",
        );
    }
    sql.push_str(" ORDER BY p.id DESC LIMIT $2");
    let mut q = sqlx::query(&sql).bind(&user.user_id).bind(i64::from(limit) + 1);
    if let Some(before) = &before {
        q = q.bind(before);
    }
    if let Some(group) = &query.group {
        q = q.bind(group);
    }
    let rows = q.fetch_all(state.db.pool()).await?;
    let mut posts = rows.iter().map(post_from_row).collect::<Result<Vec<_>>>()?;
    let next_cursor = if posts.len() > limit as usize {
        posts.truncate(limit as usize);
        posts.last().map(|p| p.id.clone())
    } else {
        None
    };
    Ok(AppJson(FeedPage { posts, next_cursor }))
}

#[utoipa::path(get, path = "/v1/posts/{id}", tag = "community", security(("bearer" = [])),
    params(("id" = String, Path, description = "The post")),
    responses((status = 200, description = "The post", body = Post),
              (status = 404, description = "No such post, or not one the caller may see", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn get_post(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> Result<AppJson<Post>> {
    let mut conn = state.db.pool().acquire().await?;
    Ok(AppJson(load_post(&mut conn, &user.user_id, &id).await?))
}

#[utoipa::path(delete, path = "/v1/posts/{id}", tag = "community", security(("bearer" = [])),
    params(("id" = String, Path, description = "The post")),
    responses((status = 204, description = "Deleted, with its photos"),
              (status = 403, description = "Only its author or an operator", body = ErrorBody),
              (status = 404, description = "No such post", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn delete_post(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    let mut tx = state.db.pool().begin().await?;
    let removed = sqlx::query(
        "UPDATE posts SET moderation = $4, body = '', photos = '[]' \
         WHERE id = $1 AND moderation <> $4 AND (author_id = $2 OR $3)",
    )
    .bind(&id)
    .bind(&user.user_id)
    .bind(user.role == Role::Operator)
    .bind(Moderation::Removed.as_str())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if removed == 0 {
        // Not the caller's to delete: 403 if they can see it, else as if it did not exist.
        drop(tx);
        let visible = is_post_visible(state.db.pool(), &user.user_id, &id).await?;
        return Err(if visible { Error::Forbidden } else { Error::NotFound });
    }
    let photo_ids: Vec<String> =
        sqlx::query_scalar("SELECT id FROM photos WHERE post_id = $1").bind(&id).fetch_all(&mut *tx).await?;
    sqlx::query("DELETE FROM photos WHERE post_id = $1").bind(&id).execute(&mut *tx).await?;
    tx.commit().await?;
    // The author asked for it gone: the files go too, after the rows are.
    let media = state.media.clone();
    tokio::task::spawn_blocking(move || photo_ids.iter().for_each(|p| media.remove(p)));
    Ok(StatusCode::NO_CONTENT)
}

// ---------------------------------------------------------------------------------------------
