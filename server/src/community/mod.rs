//! The community: groups, posts and family stories, comments, reactions, the chronological feed,
//! reports with the operators' moderation queue, and blocks.
//!
//! Who sees a post is decided in one SQL condition ([`crate::audience::VISIBLE`]) that every read shares: not
//! removed; held for review only for its author; stories only for the author's household; nothing
//! between two people when either blocked the other. Posts and comments have UUIDv7 ids, so id
//! order is time order and an id is a stable cursor.

mod blocks;
mod comments;
mod groups;
mod posts;
mod reactions;
mod reports;

use hearth_core::community::{
    Author, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Moderation, Post, PostKind, ReactionCounts, ReactionKind,
};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use utoipa_axum::router::OpenApiRouter;

use crate::AppState;
use crate::audience::{is_post_visible, visible};
use crate::error::{Error, Result};

/// Routes of the community.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(groups::router())
        .merge(posts::router())
        .merge(comments::router())
        .merge(reactions::router())
        .merge(reports::router())
        .merge(blocks::router())
}

/// The columns [`post_from_row`] reads; `$1` is the viewer (for their own reaction).
const POST_SELECT: &str = "SELECT p.id, p.kind, p.author_id, u.display_name, p.group_id, p.body, p.photos, \
    p.created_at_ms, p.moderation, p.comment_count, p.like_count, p.love_count, p.cheer_count, p.thanks_count, \
    r.kind AS my_reaction \
    FROM posts p JOIN users u ON u.id = p.author_id \
    LEFT JOIN reactions r ON r.post_id = p.id AND r.user_id = $1";

/// The moderation state stored for `what` (a post or a comment, named for the error), read once
/// the way every query that selects it reads it.
fn stored_moderation(stored: &str, what: std::fmt::Arguments<'_>) -> Result<Moderation> {
    Moderation::from_storage(stored)
        .ok_or_else(|| Error::CorruptData(format!("{what}: moderation `{stored}`")))
}

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
        held_for_review: stored_moderation(&moderation, format_args!("post `{id}`"))? == Moderation::Held,
        id,
    })
}

/// The post `post_id` as `viewer` sees it, or 404 if they may not see it.
async fn load_post(conn: &mut AnyConnection, viewer: &str, post_id: &str) -> Result<Post> {
    let row = sqlx::query(&format!("{POST_SELECT} WHERE p.id = $2 AND {visible}", visible = visible()))
        .bind(viewer)
        .bind(post_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(Error::NotFound)?;
    post_from_row(&row)
}

fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Error {
    Error::InvalidField { field: field.into(), reason: reason.into() }
}

/// A page size from the query: 1 to [`MAX_PAGE_SIZE`], [`DEFAULT_PAGE_SIZE`] when absent.
fn page_size(limit: Option<u32>) -> Result<u32> {
    crate::extract::page_limit(limit, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
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
