//! Who may see what someone posted, in one SQL condition that every read of posts shares, below
//! the community and the photos it shows (a photo taken by a post is visible exactly when its
//! post is).

use std::sync::LazyLock;

use hearth_core::community::{Moderation, PostKind};
use sqlx::AnyPool;

use crate::error::Result;

/// [`Moderation::seen_by`] and the audiences of [`PostKind`] as SQL: not removed, held only for
/// its author, stories only for the author's household, nothing across a block.
static VISIBLE: LazyLock<String> = LazyLock::new(|| {
    format!(
        "p.moderation <> '{removed}' AND (p.moderation = '{shown}' OR p.author_id = $1) \
         AND (p.kind = '{post}' OR p.household_id = (SELECT hm.household_id FROM household_members hm WHERE hm.user_id = $1)) \
         AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.blocker_id = $1 AND b.blocked_id = p.author_id) \
         AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.blocker_id = p.author_id AND b.blocked_id = $1)",
        removed = Moderation::Removed.as_str(),
        shown = Moderation::Visible.as_str(),
        post = PostKind::Post.as_str(),
    )
});

/// Whether the viewer `$1` may see post `p`, as an SQL condition. Binds: `$1` the viewer's id.
pub fn visible() -> &'static str {
    &VISIBLE
}

/// Whether `viewer` may see post `post_id` (and so its photos and comments).
pub async fn is_post_visible(pool: &AnyPool, viewer: &str, post_id: &str) -> Result<bool> {
    let found: Option<i64> =
        sqlx::query_scalar(&format!("SELECT 1 FROM posts p WHERE p.id = $2 AND {}", visible()))
            .bind(viewer)
            .bind(post_id)
            .fetch_optional(pool)
            .await?;
    Ok(found.is_some())
}
