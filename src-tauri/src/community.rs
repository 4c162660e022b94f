//! The community on the device: drafts kept locally until published, and the feed's first page
//! cached so it can be read offline.

use hearth_client::Page;
use hearth_client::engine::{Account, Engine};
use hearth_core::community::{CreatePost, MAX_POST_CHARS, Post, PostKind};
use hearth_core::fields::{Lines, normalize_text};
use hearth_core::ipc::{Draft, ErrorCode, FeedView};
use sqlx::SqlitePool;

use crate::error::{Error, Result};

const FEED_ENTITY: &str = "feed-page";

/// Keeps `draft` for `user_id` (a new id when it has none); returns it as stored.
pub async fn save_draft(pool: &SqlitePool, user_id: &str, mut draft: Draft, now_ms: i64) -> Result<Draft> {
    // Drafts may be empty or unfinished, but never more than a post can hold.
    draft.text = normalize_text(&draft.text, "text", 0, MAX_POST_CHARS, Lines::Many)
        .map_err(|_| Error::Refused(ErrorCode::InvalidText))?;
    let id = draft.id.clone().unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
    draft.id = Some(id.clone());
    draft.updated_at_ms = now_ms;
    let body = serde_json::to_string(&draft).map_err(|e| Error::CorruptRecord(e.to_string()))?;
    sqlx::query(
        "INSERT INTO drafts (user_id, id, body, updated_at_ms) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (user_id, id) DO UPDATE SET body = excluded.body, updated_at_ms = excluded.updated_at_ms",
    )
    .bind(user_id)
    .bind(&id)
    .bind(body)
    .bind(now_ms)
    .execute(pool)
    .await?;
    Ok(draft)
}

/// The user's drafts, most recently changed first.
pub async fn list_drafts(pool: &SqlitePool, user_id: &str) -> Result<Vec<Draft>> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT id, body FROM drafts WHERE user_id = $1 ORDER BY updated_at_ms DESC, id DESC")
            .bind(user_id)
            .fetch_all(pool)
            .await?;
    rows.into_iter()
        .map(|(id, body)| {
            serde_json::from_str(&body).map_err(|e| Error::CorruptRecord(format!("draft `{id}`: {e}")))
        })
        .collect()
}

/// Deletes a draft; false if the user has none with that id.
pub async fn delete_draft(pool: &SqlitePool, user_id: &str, id: &str) -> Result<bool> {
    let deleted = sqlx::query("DELETE FROM drafts WHERE user_id = $1 AND id = $2")
        .bind(user_id)
        .bind(id)
        .execute(pool)
        .await?
        .rows_affected();
    Ok(deleted == 1)
}

/// A page of the feed from the server; the first page is kept, and is what comes back when the
/// server cannot be reached.
pub async fn feed(engine: &Engine, account: &Account, before: Option<&str>, now_ms: i64) -> Result<FeedView> {
    let fetch = engine.client().feed(&account.token, None, Page { cursor: before, limit: None });
    if before.is_some() {
        return Ok(FeedView { page: fetch.await?, from_cache: false, fetched_at_ms: now_ms });
    }
    let fetched = engine.fetched_or_cached(account, FEED_ENTITY, now_ms, fetch).await?;
    Ok(FeedView { page: fetched.value, from_cache: fetched.from_cache, fetched_at_ms: fetched.fetched_at_ms })
}

/// Publishes a post with `text` and, if given, one photo (a JPEG): uploads the photo, then the
/// post. Online only; a photo uploaded for a post that then fails is left for the server's sweep.
pub async fn publish(engine: &Engine, account: &Account, jpeg: Option<Vec<u8>>, text: &str) -> Result<Post> {
    let min_chars = if jpeg.is_some() { 0 } else { 1 };
    let text = normalize_text(text, "text", min_chars, MAX_POST_CHARS, Lines::Many)
        .map_err(|_| Error::Refused(ErrorCode::InvalidText))?;
    let mut photo_ids = Vec::new();
    if let Some(jpeg) = jpeg {
        photo_ids.push(engine.client().upload_photo(&account.token, jpeg, None).await?.id);
    }
    let post = CreatePost { kind: PostKind::Post, group_id: None, text, photo_ids };
    Ok(engine.client().create_post(&account.token, &post).await?)
}
