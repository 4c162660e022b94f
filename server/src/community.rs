//! The community: groups, posts and family stories, comments, reactions, the chronological feed,
//! reports with the operators' moderation queue, and blocks.
//!
//! Who sees a post is decided in one SQL condition ([`VISIBLE`]) that every read shares: not
//! removed; held for review only for its author; stories only for the author's household; nothing
//! between two people when either blocked the other. Posts and comments have UUIDv7 ids, so id
//! order is time order and an id is a stable cursor.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use hearth_core::account::Role;
use hearth_core::api::ErrorBody;
use hearth_core::community::{
    Author, Blocked, Comment, CommentPage, CreateComment, CreateGroup, CreatePost, CreateReport,
    DEFAULT_PAGE_SIZE, Decide, Decision, FeedPage, Group, MAX_COMMENT_CHARS, MAX_DESCRIPTION_CHARS,
    MAX_GROUP_NAME_CHARS, MAX_PAGE_SIZE, MAX_PHOTOS_PER_POST, MAX_POST_CHARS, MAX_REPORT_NOTE_CHARS,
    ModerationItem, ModerationQueue, Post, PostKind, REPORTS_TO_HOLD, ReactionCounts, ReactionKind, Report,
    ReportReason, ReportStatus, ReportTarget, SetReaction, normalize_text,
};
use serde::Deserialize;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool, Row};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::AuthUser;
use crate::error::{Error, Result};
use crate::extract::{AppJson, AppQuery};

/// Routes of this resource.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_group, list_groups))
        .routes(routes!(join_group, leave_group))
        .routes(routes!(create_post))
        .routes(routes!(feed))
        .routes(routes!(get_post, delete_post))
        .routes(routes!(add_comment, list_comments))
        .routes(routes!(delete_comment))
        .routes(routes!(react, unreact))
        .routes(routes!(report))
        .routes(routes!(moderation_queue))
        .routes(routes!(decide))
        .routes(routes!(block, unblock))
        .routes(routes!(list_blocks))
}

/// Whether the viewer `$1` may see post `p`. Binds: `$1` the viewer's id.
const VISIBLE: &str = "p.moderation <> 'removed' AND (p.moderation = 'visible' OR p.author_id = $1) \
    AND (p.kind = 'post' OR p.household_id = (SELECT hm.household_id FROM household_members hm WHERE hm.user_id = $1)) \
    AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.blocker_id = $1 AND b.blocked_id = p.author_id) \
    AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.blocker_id = p.author_id AND b.blocked_id = $1)";

/// The columns [`post_from_row`] reads; `$1` is the viewer (for their own reaction).
const POST_SELECT: &str = "SELECT p.id, p.kind, p.author_id, u.display_name, p.group_id, p.body, p.photos, \
    p.created_at_ms, p.moderation, p.comment_count, p.like_count, p.love_count, p.cheer_count, p.thanks_count, \
    r.kind AS my_reaction \
    FROM posts p JOIN users u ON u.id = p.author_id \
    LEFT JOIN reactions r ON r.post_id = p.id AND r.user_id = $1";

fn post_from_row(row: &AnyRow) -> Result<Post> {
    let id: String = row.try_get("id")?;
    let corrupt = |what: &str| Error::CorruptData(format!("post `{id}`: {what}"));
    let kind: String = row.try_get("kind")?;
    let photos: String = row.try_get("photos")?;
    let my_reaction: Option<String> = row.try_get("my_reaction")?;
    let moderation: String = row.try_get("moderation")?;
    Ok(Post {
        kind: PostKind::from_storage(&kind).ok_or_else(|| corrupt("kind"))?,
        author: Author { id: row.try_get("author_id")?, display_name: row.try_get("display_name")? },
        group_id: row.try_get("group_id")?,
        text: row.try_get("body")?,
        photos: serde_json::from_str(&photos).map_err(|_| corrupt("photos"))?,
        created_at_ms: row.try_get("created_at_ms")?,
        comment_count: row.try_get("comment_count")?,
        reactions: ReactionCounts {
            like: row.try_get("like_count")?,
            love: row.try_get("love_count")?,
            cheer: row.try_get("cheer_count")?,
            thanks: row.try_get("thanks_count")?,
        },
        my_reaction: match my_reaction {
            Some(kind) => Some(ReactionKind::from_storage(&kind).ok_or_else(|| corrupt("reaction"))?),
            None => None,
        },
        held_for_review: moderation == "held",
        id,
    })
}

/// The post `post_id` as `viewer` sees it, or 404 if they may not see it.
async fn load_post(conn: &mut AnyConnection, viewer: &str, post_id: &str) -> Result<Post> {
    let row = sqlx::query(&format!("{POST_SELECT} WHERE p.id = $2 AND {VISIBLE}"))
        .bind(viewer)
        .bind(post_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(Error::NotFound)?;
    post_from_row(&row)
}

/// Whether `viewer` may see post `post_id` (and so its photos and comments).
pub(crate) async fn is_post_visible(pool: &AnyPool, viewer: &str, post_id: &str) -> Result<bool> {
    let found: Option<i64> =
        sqlx::query_scalar(&format!("SELECT 1 FROM posts p WHERE p.id = $2 AND {VISIBLE}"))
            .bind(viewer)
            .bind(post_id)
            .fetch_optional(pool)
            .await?;
    Ok(found.is_some())
}

fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Error {
    Error::InvalidField { field: field.into(), reason: reason.into() }
}

/// A page size from the query: 1 to [`MAX_PAGE_SIZE`], [`DEFAULT_PAGE_SIZE`] when absent.
fn page_size(limit: Option<u32>) -> Result<u32> {
    match limit {
        None => Ok(DEFAULT_PAGE_SIZE),
        Some(n) if (1..=MAX_PAGE_SIZE).contains(&n) => Ok(n),
        Some(_) => Err(invalid("limit", format!("expected 1 to {MAX_PAGE_SIZE}"))),
    }
}

/// A cursor from the query: the id of the last item seen (a UUID).
fn cursor(value: Option<&str>, field: &'static str) -> Result<Option<String>> {
    match value {
        None => Ok(None),
        Some(v) => uuid::Uuid::parse_str(v)
            .map(|u| Some(u.to_string()))
            .map_err(|_| invalid(field, "expected the id of an item from an earlier page")),
    }
}

// ---------------------------------------------------------------------------------------------
// Groups

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

async fn load_group(conn: &mut AnyConnection, viewer: &str, id: &str) -> Result<Group> {
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
#[tracing::instrument(skip_all, err)]
async fn create_group(
    State(state): State<AppState>,
    user: AuthUser,
    AppJson(request): AppJson<CreateGroup>,
) -> Result<(StatusCode, AppJson<Group>)> {
    user.require(Role::Operator)?;
    let name = normalize_text(&request.name, "name", 1, MAX_GROUP_NAME_CHARS)?;
    let description = normalize_text(&request.description, "description", 0, MAX_DESCRIPTION_CHARS)?;
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
#[tracing::instrument(skip_all, err)]
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
#[tracing::instrument(skip_all, err)]
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
#[tracing::instrument(skip_all, err)]
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
// Posts and the feed

#[utoipa::path(post, path = "/v1/posts", tag = "community", security(("bearer" = [])), request_body = CreatePost,
    responses((status = 201, description = "Published", body = Post),
              (status = 422, description = "A field broke a rule (the field is named)", body = ErrorBody)))]
#[tracing::instrument(skip_all, err)]
async fn create_post(
    State(state): State<AppState>,
    user: AuthUser,
    AppJson(request): AppJson<CreatePost>,
) -> Result<(StatusCode, AppJson<Post>)> {
    let text = normalize_text(&request.text, "text", 0, MAX_POST_CHARS)?;
    if request.photo_ids.len() > MAX_PHOTOS_PER_POST {
        return Err(invalid("photoIds", format!("expected at most {MAX_PHOTOS_PER_POST} photos")));
    }
    if text.is_empty() && request.photo_ids.is_empty() {
        return Err(invalid("text", "expected some text or at least one photo"));
    }
    for (i, id) in request.photo_ids.iter().enumerate() {
        if request.photo_ids[..i].contains(id) {
            return Err(invalid(format!("photoIds[{i}]"), "this photo is listed twice"));
        }
    }
    let mut conn = state.db.pool().acquire().await?;
    let household_id: Option<String> = match request.kind {
        PostKind::Post => {
            if let Some(group_id) = &request.group_id {
                let group = load_group(&mut conn, &user.user_id, group_id)
                    .await
                    .map_err(|_| invalid("groupId", "no such group"))?;
                if !group.joined {
                    return Err(invalid("groupId", "join the group before posting in it"));
                }
            }
            None
        }
        PostKind::Story => {
            if request.group_id.is_some() {
                return Err(invalid("groupId", "family stories are shared with the household, not a group"));
            }
            let household: Option<String> =
                sqlx::query_scalar("SELECT household_id FROM household_members WHERE user_id = $1")
                    .bind(&user.user_id)
                    .fetch_optional(&mut *conn)
                    .await?;
            Some(
                household
                    .ok_or_else(|| invalid("kind", "family stories need a household; create or join one"))?,
            )
        }
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
    before: Option<String>,
    /// Posts per page, 1 to 50 (default 20).
    limit: Option<u32>,
}

#[utoipa::path(get, path = "/v1/feed", tag = "community", security(("bearer" = [])), params(FeedQuery),
    responses((status = 200, description = "A page of posts, newest first", body = FeedPage),
              (status = 422, description = "A bad cursor or limit", body = ErrorBody)))]
#[tracing::instrument(skip_all, err)]
async fn feed(
    State(state): State<AppState>,
    user: AuthUser,
    AppQuery(query): AppQuery<FeedQuery>,
) -> Result<AppJson<FeedPage>> {
    let limit = page_size(query.limit)?;
    let before = cursor(query.before.as_deref(), "before")?;
    // Each optional filter is left out of the SQL when absent (not `$n = '' OR ...`), so even a
    // generic prepared plan walks the primary key backwards and stops after one page.
    let mut sql = format!("{POST_SELECT} WHERE {VISIBLE}");
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
#[tracing::instrument(skip_all, err)]
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
#[tracing::instrument(skip_all, err)]
async fn delete_post(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    let mut tx = state.db.pool().begin().await?;
    let removed = sqlx::query(
        "UPDATE posts SET moderation = 'removed', body = '', photos = '[]' \
         WHERE id = $1 AND moderation <> 'removed' AND (author_id = $2 OR $3 = 'operator')",
    )
    .bind(&id)
    .bind(&user.user_id)
    .bind(user.role.as_str())
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
// Comments

/// Which comments a page shows.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
struct CommentQuery {
    /// The `nextCursor` of the page before: comments newer than it.
    after: Option<String>,
    /// Comments per page, 1 to 50 (default 20).
    limit: Option<u32>,
}

const COMMENT_SELECT: &str = "SELECT c.id, c.post_id, c.author_id, u.display_name, c.body, c.created_at_ms \
    FROM comments c JOIN users u ON u.id = c.author_id";

/// Comments `$1` may see: not removed, held only for their author, none across a block.
const COMMENT_VISIBLE: &str = "c.moderation <> 'removed' AND (c.moderation = 'visible' OR c.author_id = $1) \
    AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.blocker_id = $1 AND b.blocked_id = c.author_id) \
    AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.blocker_id = c.author_id AND b.blocked_id = $1)";

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
#[tracing::instrument(skip_all, err)]
async fn add_comment(
    State(state): State<AppState>,
    user: AuthUser,
    Path(post_id): Path<String>,
    AppJson(request): AppJson<CreateComment>,
) -> Result<(StatusCode, AppJson<Comment>)> {
    let text = normalize_text(&request.text, "text", 1, MAX_COMMENT_CHARS)?;
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
#[tracing::instrument(skip_all, err)]
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
        "{COMMENT_SELECT} WHERE c.post_id = $2 AND c.id > $3 AND {COMMENT_VISIBLE} ORDER BY c.id LIMIT $4"
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
/// comments right; true if it changed.
async fn moderate_comment(conn: &mut AnyConnection, id: &str, from: &str, to: &str) -> Result<bool> {
    let post_id: Option<String> = sqlx::query_scalar(
        "UPDATE comments SET moderation = $1 WHERE id = $2 AND moderation = $3 RETURNING post_id",
    )
    .bind(to)
    .bind(id)
    .bind(from)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(post_id) = post_id else {
        return Ok(false);
    };
    let delta: i64 = match (from, to) {
        ("visible", _) => -1,
        (_, "visible") => 1,
        _ => 0,
    };
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
#[tracing::instrument(skip_all, err)]
async fn delete_comment(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    let row = sqlx::query(
        "SELECT c.author_id, c.moderation, p.author_id AS post_author FROM comments c JOIN posts p ON p.id = c.post_id \
         WHERE c.id = $1 AND c.moderation <> 'removed'",
    )
    .bind(&id)
    .fetch_optional(state.db.pool())
    .await?
    .ok_or(Error::NotFound)?;
    let author: String = row.try_get("author_id")?;
    let post_author: String = row.try_get("post_author")?;
    let moderation: String = row.try_get("moderation")?;
    if author != user.user_id && post_author != user.user_id && user.role != Role::Operator {
        return Err(Error::Forbidden);
    }
    let mut tx = state.db.pool().begin().await?;
    if !moderate_comment(&mut tx, &id, &moderation, "removed").await? {
        return Err(Error::NotFound);
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---------------------------------------------------------------------------------------------
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
#[tracing::instrument(skip_all, err)]
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
#[tracing::instrument(skip_all, err)]
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
// Reports and moderation

fn report_from_row(row: &AnyRow) -> Result<Report> {
    let id: String = row.try_get("id")?;
    let corrupt = |what: &str| Error::CorruptData(format!("report `{id}`: {what}"));
    let kind: String = row.try_get("target_kind")?;
    let reason: String = row.try_get("reason")?;
    let status: String = row.try_get("status")?;
    Ok(Report {
        target_kind: ReportTarget::from_storage(&kind).ok_or_else(|| corrupt("target"))?,
        target_id: row.try_get("target_id")?,
        reason: ReportReason::from_storage(&reason).ok_or_else(|| corrupt("reason"))?,
        note: row.try_get("note")?,
        status: ReportStatus::from_storage(&status).ok_or_else(|| corrupt("status"))?,
        created_at_ms: row.try_get("created_at_ms")?,
        id,
    })
}

const REPORT_COLUMNS: &str = "id, target_kind, target_id, reason, note, status, created_at_ms";

/// The author of a post or comment `viewer` may see, or 404.
async fn reportable_author(pool: &AnyPool, viewer: &str, kind: ReportTarget, id: &str) -> Result<String> {
    let sql = match kind {
        ReportTarget::Post => format!("SELECT p.author_id FROM posts p WHERE p.id = $2 AND {VISIBLE}"),
        ReportTarget::Comment => format!(
            "SELECT c.author_id FROM comments c JOIN posts p ON p.id = c.post_id \
             WHERE c.id = $2 AND {VISIBLE} AND {COMMENT_VISIBLE}"
        ),
    };
    sqlx::query_scalar(&sql).bind(viewer).bind(id).fetch_optional(pool).await?.ok_or(Error::NotFound)
}

#[utoipa::path(post, path = "/v1/reports", tag = "community", security(("bearer" = [])), request_body = CreateReport,
    responses((status = 201, description = "Reported; operators will look at it", body = Report),
              (status = 200, description = "The caller had reported it already", body = Report),
              (status = 404, description = "No such post or comment the caller can see", body = ErrorBody),
              (status = 422, description = "A bad field, or the caller's own content", body = ErrorBody)))]
#[tracing::instrument(skip_all, err)]
async fn report(
    State(state): State<AppState>,
    user: AuthUser,
    AppJson(request): AppJson<CreateReport>,
) -> Result<(StatusCode, AppJson<Report>)> {
    let note = normalize_text(&request.note, "note", 0, MAX_REPORT_NOTE_CHARS)?;
    if request.reason == ReportReason::Other && note.is_empty() {
        return Err(invalid("note", "say what is wrong when the reason is `other`"));
    }
    let kind = request.target_kind.as_str();
    let existing = sqlx::query(&format!(
        "SELECT {REPORT_COLUMNS} FROM reports WHERE reporter_id = $1 AND target_kind = $2 AND target_id = $3"
    ))
    .bind(&user.user_id)
    .bind(kind)
    .bind(&request.target_id)
    .fetch_optional(state.db.pool())
    .await?;
    if let Some(row) = existing {
        // Reported before (a retry, or the content is held now): the same report.
        return Ok((StatusCode::OK, AppJson(report_from_row(&row)?)));
    }
    let author =
        reportable_author(state.db.pool(), &user.user_id, request.target_kind, &request.target_id).await?;
    if author == user.user_id {
        return Err(invalid("targetId", "this is your own; delete it instead"));
    }
    let mut tx = state.db.pool().begin().await?;
    let created = sqlx::query(
        "INSERT INTO reports (id, reporter_id, target_kind, target_id, reason, note, created_at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (reporter_id, target_kind, target_id) DO NOTHING",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(&user.user_id)
    .bind(kind)
    .bind(&request.target_id)
    .bind(request.reason.as_str())
    .bind(&note)
    .bind(crate::now_ms())
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if created {
        let open: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM reports WHERE target_kind = $1 AND target_id = $2 AND status = 'open'",
        )
        .bind(kind)
        .bind(&request.target_id)
        .fetch_one(&mut *tx)
        .await?;
        if open >= REPORTS_TO_HOLD {
            match request.target_kind {
                ReportTarget::Post => {
                    sqlx::query(
                        "UPDATE posts SET moderation = 'held' WHERE id = $1 AND moderation = 'visible'",
                    )
                    .bind(&request.target_id)
                    .execute(&mut *tx)
                    .await?;
                }
                ReportTarget::Comment => {
                    moderate_comment(&mut tx, &request.target_id, "visible", "held").await?;
                }
            }
        }
    }
    let row = sqlx::query(&format!(
        "SELECT {REPORT_COLUMNS} FROM reports WHERE reporter_id = $1 AND target_kind = $2 AND target_id = $3"
    ))
    .bind(&user.user_id)
    .bind(kind)
    .bind(&request.target_id)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, AppJson(report_from_row(&row)?)))
}

#[utoipa::path(get, path = "/v1/moderation/queue", tag = "community", security(("bearer" = [])),
    responses((status = 200, description = "Content with open reports, the most reported first", body = ModerationQueue),
              (status = 403, description = "Operators only", body = ErrorBody)))]
#[tracing::instrument(skip_all, err)]
async fn moderation_queue(State(state): State<AppState>, user: AuthUser) -> Result<AppJson<ModerationQueue>> {
    user.require(Role::Operator)?;
    let mut conn = state.db.pool().acquire().await?;
    let targets: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT target_kind, target_id, COUNT(*) AS n FROM reports WHERE status = 'open' \
         GROUP BY target_kind, target_id ORDER BY n DESC, MIN(created_at_ms) LIMIT 100",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut items = Vec::with_capacity(targets.len());
    for (kind, target_id, _) in targets {
        let target_kind = ReportTarget::from_storage(&kind)
            .ok_or_else(|| Error::CorruptData(format!("report target `{kind}`")))?;
        let table = match target_kind {
            ReportTarget::Post => "posts",
            ReportTarget::Comment => "comments",
        };
        let row = sqlx::query(&format!(
            "SELECT t.author_id, u.display_name, t.body, t.moderation FROM {table} t JOIN users u ON u.id = t.author_id \
             WHERE t.id = $1"
        ))
        .bind(&target_id)
        .fetch_one(&mut *conn)
        .await?;
        let moderation: String = row.try_get("moderation")?;
        let reports = sqlx::query(&format!(
            "SELECT {REPORT_COLUMNS} FROM reports WHERE target_kind = $1 AND target_id = $2 AND status = 'open' \
             ORDER BY created_at_ms, id"
        ))
        .bind(&kind)
        .bind(&target_id)
        .fetch_all(&mut *conn)
        .await?;
        items.push(ModerationItem {
            target_kind,
            target_id,
            author: Author { id: row.try_get("author_id")?, display_name: row.try_get("display_name")? },
            text: row.try_get("body")?,
            held_for_review: moderation == "held",
            reports: reports.iter().map(report_from_row).collect::<Result<_>>()?,
        });
    }
    Ok(AppJson(ModerationQueue { items }))
}

#[utoipa::path(post, path = "/v1/moderation/decisions", tag = "community", security(("bearer" = [])), request_body = Decide,
    responses((status = 204, description = "Decided; every open report on it is closed"),
              (status = 403, description = "Operators only", body = ErrorBody),
              (status = 404, description = "No open report on that content", body = ErrorBody)))]
#[tracing::instrument(skip_all, err)]
async fn decide(
    State(state): State<AppState>,
    user: AuthUser,
    AppJson(request): AppJson<Decide>,
) -> Result<StatusCode> {
    user.require(Role::Operator)?;
    let status = match request.decision {
        Decision::Remove => ReportStatus::Removed,
        Decision::Dismiss => ReportStatus::Dismissed,
    };
    let mut tx = state.db.pool().begin().await?;
    let closed = sqlx::query(
        "UPDATE reports SET status = $1, decided_by = $2, decided_at_ms = $3 \
         WHERE target_kind = $4 AND target_id = $5 AND status = 'open'",
    )
    .bind(status.as_str())
    .bind(&user.user_id)
    .bind(crate::now_ms())
    .bind(request.target_kind.as_str())
    .bind(&request.target_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if closed == 0 {
        return Err(Error::NotFound);
    }
    match (request.target_kind, request.decision) {
        (ReportTarget::Post, Decision::Remove) => {
            sqlx::query("UPDATE posts SET moderation = 'removed' WHERE id = $1")
                .bind(&request.target_id)
                .execute(&mut *tx)
                .await?;
        }
        (ReportTarget::Post, Decision::Dismiss) => {
            sqlx::query("UPDATE posts SET moderation = 'visible' WHERE id = $1 AND moderation = 'held'")
                .bind(&request.target_id)
                .execute(&mut *tx)
                .await?;
        }
        (ReportTarget::Comment, Decision::Remove) => {
            for from in ["visible", "held"] {
                moderate_comment(&mut tx, &request.target_id, from, "removed").await?;
            }
        }
        (ReportTarget::Comment, Decision::Dismiss) => {
            moderate_comment(&mut tx, &request.target_id, "held", "visible").await?;
        }
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---------------------------------------------------------------------------------------------
// Blocks

#[utoipa::path(put, path = "/v1/blocks/{userId}", tag = "community", security(("bearer" = [])),
    params(("userId" = String, Path, description = "Who to block")),
    responses((status = 204, description = "Blocked: neither sees the other's posts or comments"),
              (status = 404, description = "No such user", body = ErrorBody),
              (status = 422, description = "The caller themselves", body = ErrorBody)))]
#[tracing::instrument(skip_all, err)]
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
#[tracing::instrument(skip_all, err)]
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
#[tracing::instrument(skip_all, err)]
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
