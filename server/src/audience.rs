//! Who may see what someone posted, in one SQL condition that every read of posts shares, below
//! the community and the photos it shows (a photo taken by a post is visible exactly when its
//! post is).

use sqlx::AnyPool;

use crate::error::Result;

/// Whether the viewer `$1` may see post `p`. Binds: `$1` the viewer's id.
pub const VISIBLE: &str = "p.moderation <> 'removed' AND (p.moderation = 'visible' OR p.author_id = $1) \
    AND (p.kind = 'post' OR p.household_id = (SELECT hm.household_id FROM household_members hm WHERE hm.user_id = $1)) \
    AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.blocker_id = $1 AND b.blocked_id = p.author_id) \
    AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.blocker_id = p.author_id AND b.blocked_id = $1)";

/// Whether `viewer` may see post `post_id` (and so its photos and comments).
pub async fn is_post_visible(pool: &AnyPool, viewer: &str, post_id: &str) -> Result<bool> {
    let found: Option<i64> =
        sqlx::query_scalar(&format!("SELECT 1 FROM posts p WHERE p.id = $2 AND {VISIBLE}"))
            .bind(viewer)
            .bind(post_id)
            .fetch_optional(pool)
            .await?;
    Ok(found.is_some())
}
