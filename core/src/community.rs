//! The community: groups, posts and family stories with photos, comments, reactions, expert
//! sessions, reports and blocks. These are the wire types and the text rules both ends apply.

use serde::{Deserialize, Serialize};

use crate::fields::{FieldError, Lines, normalize_text};

/// Most photos on one post.
pub const MAX_PHOTOS_PER_POST: usize = 9;
/// Longest post or story text, in characters.
pub const MAX_POST_CHARS: usize = 2000;
/// Longest comment, in characters.
pub const MAX_COMMENT_CHARS: usize = 500;
/// Longest group name, in characters.
pub const MAX_GROUP_NAME_CHARS: usize = 40;
/// Longest group or expert-session description, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 500;
/// Longest note on a report, in characters.
pub const MAX_REPORT_NOTE_CHARS: usize = 500;
/// Posts or comments on one page unless the client asks for fewer.
pub const DEFAULT_PAGE_SIZE: u32 = 20;
/// Most posts or comments on one page.
pub const MAX_PAGE_SIZE: u32 = 50;
/// Distinct open reports that take a post or comment out of feeds until an operator decides.
pub const REPORTS_TO_HOLD: i64 = 3;

/// A group people join to see its posts in their feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Group {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// What it is about.
    pub description: String,
    /// How many people belong to it.
    pub member_count: i64,
    /// Whether the caller belongs to it.
    pub joined: bool,
}

/// What an operator gives to create a group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateGroup {
    /// 1 to [`MAX_GROUP_NAME_CHARS`] characters, one line.
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 40,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][^\u0000-\u001f\u007f-\u009f]*$"
        )
    )]
    pub name: String,
    /// Up to [`MAX_DESCRIPTION_CHARS`] characters.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 500, pattern = r"^[^\u0000-\u0008\u000b-\u001f\u007f-\u009f]*$")
    )]
    pub description: String,
}

/// Who wrote a post or comment, as others see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Author {
    /// Their account (what a block names).
    pub id: String,
    /// Their display name.
    pub display_name: String,
}

/// A post for the community, or a story only the author's household sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum PostKind {
    /// Everyone (or the group's members) sees it.
    Post,
    /// A family story: only the author's household sees it.
    Story,
}

impl PostKind {
    /// The storage spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            PostKind::Post => "post",
            PostKind::Story => "story",
        }
    }

    /// Parses the storage spelling.
    pub fn from_storage(s: &str) -> Option<Self> {
        [PostKind::Post, PostKind::Story].into_iter().find(|k| k.as_str() == s)
    }
}

/// A stored photo: the full image (at most 2048 px on its long side) and a thumbnail (at most
/// 400 px), both JPEG without metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Photo {
    /// Its id, what a new post lists.
    pub id: String,
    /// Width of the full image in pixels.
    pub width: u32,
    /// Height of the full image in pixels.
    pub height: u32,
    /// Width of the thumbnail in pixels.
    pub thumb_width: u32,
    /// Height of the thumbnail in pixels.
    pub thumb_height: u32,
}

/// A reaction to a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ReactionKind {
    /// A thumbs-up.
    Like,
    /// A heart.
    Love,
    /// Applause for an achievement.
    Cheer,
    /// Thanks for a tip.
    Thanks,
}

impl ReactionKind {
    /// Every kind, in display order.
    pub const ALL: [ReactionKind; 4] =
        [ReactionKind::Like, ReactionKind::Love, ReactionKind::Cheer, ReactionKind::Thanks];

    /// The storage spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ReactionKind::Like => "like",
            ReactionKind::Love => "love",
            ReactionKind::Cheer => "cheer",
            ReactionKind::Thanks => "thanks",
        }
    }

    /// Parses the storage spelling.
    pub fn from_storage(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// How many of each reaction a post has.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ReactionCounts {
    /// Thumbs-up.
    pub like: i64,
    /// Hearts.
    pub love: i64,
    /// Applause.
    pub cheer: i64,
    /// Thanks.
    pub thanks: i64,
}

/// A post as a reader sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Post {
    /// Its id; also the feed's cursor.
    pub id: String,
    /// Post or family story.
    pub kind: PostKind,
    /// Who wrote it.
    pub author: Author,
    /// The group it was posted in, if any.
    pub group_id: Option<String>,
    /// Its text (may be empty when it has photos).
    pub text: String,
    /// Its photos, in the author's order.
    pub photos: Vec<Photo>,
    /// When the server received it (milliseconds since the epoch).
    pub created_at_ms: i64,
    /// How many comments it has.
    pub comment_count: i64,
    /// How many of each reaction.
    pub reactions: ReactionCounts,
    /// The caller's own reaction, if any.
    pub my_reaction: Option<ReactionKind>,
    /// True while reports keep it out of others' feeds, awaiting an operator (only its author
    /// sees it then).
    pub held_for_review: bool,
}

/// What the author sends to publish a post or story.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreatePost {
    /// Post (default) or family story.
    #[serde(default = "default_kind")]
    pub kind: PostKind,
    /// A group the author belongs to; posts only.
    #[serde(default)]
    pub group_id: Option<String>,
    /// Up to [`MAX_POST_CHARS`] characters; may be empty when photos are attached.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 2000, pattern = r"^[^\u0000-\u0008\u000b-\u001f\u007f-\u009f]*$")
    )]
    pub text: String,
    /// Up to [`MAX_PHOTOS_PER_POST`] photos the author uploaded and has not used yet, none twice.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 9))]
    pub photo_ids: Vec<String>,
}

/// A rule a post broke: the field in its wire spelling (with the photo's index where one photo
/// is at fault) and what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid `{field}`: {reason}")]
pub struct PostRuleError {
    /// The field, e.g. `text` or `photoIds[1]`.
    pub field: String,
    /// What was expected, in plain words.
    pub reason: String,
}

impl PostRuleError {
    fn new(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self { field: field.into(), reason: reason.into() }
    }
}

impl From<FieldError> for PostRuleError {
    fn from(error: FieldError) -> Self {
        Self::new(error.field, error.reason)
    }
}

/// Who sees a post once published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// Everyone's feed.
    Everyone,
    /// The members of this group (and everyone's feed filtered to it).
    Group(String),
    /// Only the author's household: a family story.
    Household(String),
}

impl CreatePost {
    /// The post's text, trimmed, once the post's own rules hold: at most [`MAX_POST_CHARS`]
    /// characters, some text or at least one photo, at most [`MAX_PHOTOS_PER_POST`] photos and
    /// none twice, and no group on a family story.
    pub fn checked_text(&self) -> Result<String, PostRuleError> {
        let text = normalize_text(&self.text, "text", 0, MAX_POST_CHARS, Lines::Many)?;
        if self.photo_ids.len() > MAX_PHOTOS_PER_POST {
            return Err(PostRuleError::new(
                "photoIds",
                format!("expected at most {MAX_PHOTOS_PER_POST} photos"),
            ));
        }
        if text.is_empty() && self.photo_ids.is_empty() {
            return Err(PostRuleError::new("text", "expected some text or at least one photo"));
        }
        if let Some(i) = (0..self.photo_ids.len()).find(|&i| self.photo_ids[..i].contains(&self.photo_ids[i]))
        {
            return Err(PostRuleError::new(format!("photoIds[{i}]"), "this photo is listed twice"));
        }
        if self.kind == PostKind::Story && self.group_id.is_some() {
            return Err(PostRuleError::new(
                "groupId",
                "family stories are shared with the household, not a group",
            ));
        }
        Ok(text)
    }

    /// Who will see it, from what the server knows of the author: whether they belong to the
    /// group the post names (`None`: there is no such group) and their household, if any. A post
    /// in a group needs its author in the group; a family story needs a household.
    pub fn audience(
        &self,
        in_group: Option<bool>,
        household: Option<&str>,
    ) -> Result<Audience, PostRuleError> {
        match (self.kind, &self.group_id) {
            (PostKind::Story, _) => household.map(|h| Audience::Household(h.to_owned())).ok_or_else(|| {
                PostRuleError::new("kind", "family stories need a household; create or join one")
            }),
            (PostKind::Post, None) => Ok(Audience::Everyone),
            (PostKind::Post, Some(group)) => match in_group {
                None => Err(PostRuleError::new("groupId", "no such group")),
                Some(false) => Err(PostRuleError::new("groupId", "join the group before posting in it")),
                Some(true) => Ok(Audience::Group(group.clone())),
            },
        }
    }
}

fn default_kind() -> PostKind {
    PostKind::Post
}

/// A page of a feed, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct FeedPage {
    /// The posts, newest first.
    pub posts: Vec<Post>,
    /// Pass as `before` for the next (older) page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// A comment on a post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Comment {
    /// Its id; also the cursor of the comment list.
    pub id: String,
    /// The post it answers.
    pub post_id: String,
    /// Who wrote it.
    pub author: Author,
    /// Its text.
    pub text: String,
    /// When the server received it.
    pub created_at_ms: i64,
}

/// What a commenter sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateComment {
    /// 1 to [`MAX_COMMENT_CHARS`] characters, not blank.
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 500,
            pattern = r"^[^\u0000-\u0008\u000b-\u001f\u007f-\u009f]*[^\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][^\u0000-\u0008\u000b-\u001f\u007f-\u009f]*$"
        )
    )]
    pub text: String,
}

/// A page of comments, oldest first (a conversation reads top to bottom).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CommentPage {
    /// The comments, oldest first.
    pub comments: Vec<Comment>,
    /// Pass as `after` for the next (newer) page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// The caller's reaction to a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SetReaction {
    /// Replaces any earlier reaction of the caller's.
    pub kind: ReactionKind,
}

/// A live session with an expert (an energy adviser, an installer) people sign up for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ExpertSession {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// What it covers.
    pub description: String,
    /// Who leads it.
    pub expert_name: String,
    /// When it starts (milliseconds since the epoch).
    pub starts_at_ms: i64,
    /// How long it lasts.
    pub duration_minutes: u32,
    /// Most attendees.
    pub capacity: u32,
    /// Places taken.
    pub attending_count: u32,
    /// Whether the caller has a place.
    pub attending: bool,
}

/// What an operator gives to schedule an expert session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateExpertSession {
    /// 1 to [`MAX_GROUP_NAME_CHARS`] × 2 characters, one line.
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 80,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][^\u0000-\u001f\u007f-\u009f]*$"
        )
    )]
    pub title: String,
    /// Up to [`MAX_DESCRIPTION_CHARS`] characters.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 500, pattern = r"^[^\u0000-\u0008\u000b-\u001f\u007f-\u009f]*$")
    )]
    pub description: String,
    /// 1 to [`MAX_GROUP_NAME_CHARS`] characters, one line.
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 40,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][^\u0000-\u001f\u007f-\u009f]*$"
        )
    )]
    pub expert_name: String,
    /// In the future.
    pub starts_at_ms: i64,
    /// 5 to 480 minutes.
    #[cfg_attr(feature = "openapi", schema(minimum = 5, maximum = 480))]
    pub duration_minutes: u32,
    /// 1 to 10,000 places.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 10000))]
    pub capacity: u32,
}

/// What a report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ReportTarget {
    /// A post or story.
    Post,
    /// A comment.
    Comment,
}

impl ReportTarget {
    /// The storage spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ReportTarget::Post => "post",
            ReportTarget::Comment => "comment",
        }
    }

    /// Parses the storage spelling.
    pub fn from_storage(s: &str) -> Option<Self> {
        [ReportTarget::Post, ReportTarget::Comment].into_iter().find(|k| k.as_str() == s)
    }
}

/// Why something was reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ReportReason {
    /// Advertising, scams, repetition.
    Spam,
    /// Insults, harassment, hate.
    Abuse,
    /// Dangerous advice (electrical work, ...), self-harm.
    Unsafe,
    /// Personal data of someone else.
    Privacy,
    /// Something else; the note says what.
    Other,
}

impl ReportReason {
    /// The storage spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ReportReason::Spam => "spam",
            ReportReason::Abuse => "abuse",
            ReportReason::Unsafe => "unsafe",
            ReportReason::Privacy => "privacy",
            ReportReason::Other => "other",
        }
    }

    /// Parses the storage spelling.
    pub fn from_storage(s: &str) -> Option<Self> {
        [
            ReportReason::Spam,
            ReportReason::Abuse,
            ReportReason::Unsafe,
            ReportReason::Privacy,
            ReportReason::Other,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// What a reader sends to report a post or comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateReport {
    /// Post or comment.
    pub target_kind: ReportTarget,
    /// Its id.
    pub target_id: String,
    /// Why.
    pub reason: ReportReason,
    /// Up to [`MAX_REPORT_NOTE_CHARS`] characters.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 500, pattern = r"^[^\u0000-\u0008\u000b-\u001f\u007f-\u009f]*$")
    )]
    pub note: String,
}

/// Where a report stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ReportStatus {
    /// Waiting for an operator.
    Open,
    /// An operator removed the content.
    Removed,
    /// An operator found nothing wrong.
    Dismissed,
}

impl ReportStatus {
    /// The storage spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ReportStatus::Open => "open",
            ReportStatus::Removed => "removed",
            ReportStatus::Dismissed => "dismissed",
        }
    }

    /// Parses the storage spelling.
    pub fn from_storage(s: &str) -> Option<Self> {
        [ReportStatus::Open, ReportStatus::Removed, ReportStatus::Dismissed]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// A report as its reporter (or an operator) sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// Its id.
    pub id: String,
    /// Post or comment.
    pub target_kind: ReportTarget,
    /// Its id.
    pub target_id: String,
    /// Why.
    pub reason: ReportReason,
    /// The reporter's note.
    pub note: String,
    /// Where it stands.
    pub status: ReportStatus,
    /// When it was made.
    pub created_at_ms: i64,
}

/// One item of the operators' moderation queue: the content and every open report on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ModerationItem {
    /// Post or comment.
    pub target_kind: ReportTarget,
    /// Its id.
    pub target_id: String,
    /// Who wrote it.
    pub author: Author,
    /// Its text.
    pub text: String,
    /// Whether reports have held it out of feeds already.
    pub held_for_review: bool,
    /// The open reports, oldest first.
    pub reports: Vec<Report>,
}

/// The operators' queue, the most reported first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ModerationQueue {
    /// Content with open reports.
    pub items: Vec<ModerationItem>,
}

/// An operator's decision on reported content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Decision {
    /// Take it down for good.
    Remove,
    /// Nothing wrong: put it back in feeds.
    Dismiss,
}

/// Where a post or comment stands in moderation (stored as [`Moderation::as_str`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Moderation {
    /// In feeds for everyone it is meant for.
    Visible,
    /// Enough people reported it: out of feeds, seen only by its author, until an operator
    /// decides.
    Held,
    /// Taken down (by its author or an operator): seen by nobody.
    Removed,
}

impl Moderation {
    /// Every state, for checks over all of them.
    pub const ALL: [Moderation; 3] = [Moderation::Visible, Moderation::Held, Moderation::Removed];

    /// The storage spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Moderation::Visible => "visible",
            Moderation::Held => "held",
            Moderation::Removed => "removed",
        }
    }

    /// The state stored as `s`, if it is one.
    pub fn from_storage(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }

    /// Whether someone sees it: nobody when removed, only its author when held.
    pub fn seen_by(self, is_author: bool) -> bool {
        match self {
            Moderation::Visible => true,
            Moderation::Held => is_author,
            Moderation::Removed => false,
        }
    }

    /// Where `open_reports` reports waiting for an operator move it: visible content is held
    /// once [`REPORTS_TO_HOLD`] people reported it; anything else stays where it is.
    pub fn after_reports(self, open_reports: i64) -> Self {
        match self {
            Moderation::Visible if open_reports >= REPORTS_TO_HOLD => Moderation::Held,
            other => other,
        }
    }

    /// Where an operator's `decision` moves it: removing takes it down whatever it was;
    /// dismissing puts held content back (a removed one stays removed).
    pub fn after_decision(self, decision: Decision) -> Self {
        match (self, decision) {
            (_, Decision::Remove) => Moderation::Removed,
            (Moderation::Held, Decision::Dismiss) => Moderation::Visible,
            (other, Decision::Dismiss) => other,
        }
    }

    /// Whether it counts towards a post's comment count (only what feeds show does).
    pub fn counts(self) -> bool {
        self == Moderation::Visible
    }
}

/// What an operator sends to decide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Decide {
    /// Post or comment.
    pub target_kind: ReportTarget,
    /// Its id.
    pub target_id: String,
    /// Remove or dismiss.
    pub decision: Decision,
}

/// Someone the caller has blocked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Blocked {
    /// Who.
    pub user: Author,
    /// Since when.
    pub blocked_at_ms: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(kind: PostKind, group: Option<&str>, text: &str, photos: &[&str]) -> CreatePost {
        CreatePost {
            kind,
            group_id: group.map(str::to_owned),
            text: text.to_owned(),
            photo_ids: photos.iter().map(|p| (*p).to_owned()).collect(),
        }
    }

    #[test]
    fn a_post_needs_text_or_a_photo_and_no_photo_twice() {
        assert_eq!(post(PostKind::Post, None, "  早上好 ", &[]).checked_text().as_deref(), Ok("早上好"));
        assert_eq!(post(PostKind::Post, None, "", &["a"]).checked_text().as_deref(), Ok(""));
        let field = |p: CreatePost| p.checked_text().map_err(|e| e.field);
        assert_eq!(field(post(PostKind::Post, None, "  ", &[])), Err("text".into()));
        assert_eq!(field(post(PostKind::Post, None, "hi", &["a", "b", "a"])), Err("photoIds[2]".into()));
        let ten: Vec<String> = (0..=MAX_PHOTOS_PER_POST).map(|i| i.to_string()).collect();
        let ten: Vec<&str> = ten.iter().map(String::as_str).collect();
        assert_eq!(field(post(PostKind::Post, None, "hi", &ten)), Err("photoIds".into()));
        let long = "字".repeat(MAX_POST_CHARS + 1);
        assert_eq!(field(post(PostKind::Post, None, &long, &[])), Err("text".into()));
        assert_eq!(field(post(PostKind::Story, Some("g"), "hi", &[])), Err("groupId".into()));
    }

    #[test]
    fn stories_go_to_the_household_and_group_posts_need_the_author_in_the_group() {
        let story = post(PostKind::Story, None, "hi", &[]);
        assert_eq!(story.audience(None, Some("h1")), Ok(Audience::Household("h1".into())));
        assert_eq!(story.audience(None, None).map_err(|e| e.field), Err("kind".into()));
        let open = post(PostKind::Post, None, "hi", &[]);
        assert_eq!(open.audience(None, Some("h1")), Ok(Audience::Everyone));
        let grouped = post(PostKind::Post, Some("g1"), "hi", &[]);
        assert_eq!(grouped.audience(Some(true), None), Ok(Audience::Group("g1".into())));
        assert_eq!(
            grouped.audience(Some(false), None).map_err(|e| e.reason),
            Err("join the group before posting in it".into())
        );
        assert_eq!(grouped.audience(None, None).map_err(|e| e.reason), Err("no such group".into()));
    }

    #[test]
    fn moderation_states_round_trip_and_say_who_sees_them() {
        for state in Moderation::ALL {
            assert_eq!(Moderation::from_storage(state.as_str()), Some(state));
        }
        assert_eq!(Moderation::from_storage("hidden"), None);
        assert!(Moderation::Visible.seen_by(false) && Moderation::Visible.seen_by(true));
        assert!(!Moderation::Held.seen_by(false) && Moderation::Held.seen_by(true));
        assert!(!Moderation::Removed.seen_by(false) && !Moderation::Removed.seen_by(true));
        assert!(Moderation::Visible.counts() && !Moderation::Held.counts() && !Moderation::Removed.counts());
    }

    #[test]
    fn reports_hold_visible_content_at_the_threshold_and_operators_decide() {
        assert_eq!(Moderation::Visible.after_reports(REPORTS_TO_HOLD - 1), Moderation::Visible);
        assert_eq!(Moderation::Visible.after_reports(REPORTS_TO_HOLD), Moderation::Held);
        assert_eq!(Moderation::Held.after_reports(REPORTS_TO_HOLD + 5), Moderation::Held);
        assert_eq!(Moderation::Removed.after_reports(REPORTS_TO_HOLD), Moderation::Removed);
        for state in Moderation::ALL {
            assert_eq!(state.after_decision(Decision::Remove), Moderation::Removed);
        }
        assert_eq!(Moderation::Held.after_decision(Decision::Dismiss), Moderation::Visible);
        assert_eq!(Moderation::Visible.after_decision(Decision::Dismiss), Moderation::Visible);
        assert_eq!(Moderation::Removed.after_decision(Decision::Dismiss), Moderation::Removed);
    }

    #[test]
    fn storage_spellings_round_trip() {
        for kind in ReactionKind::ALL {
            assert_eq!(ReactionKind::from_storage(kind.as_str()), Some(kind));
        }
        for kind in [PostKind::Post, PostKind::Story] {
            assert_eq!(PostKind::from_storage(kind.as_str()), Some(kind));
        }
        for status in [ReportStatus::Open, ReportStatus::Removed, ReportStatus::Dismissed] {
            assert_eq!(ReportStatus::from_storage(status.as_str()), Some(status));
        }
        assert_eq!(ReportReason::from_storage("privacy"), Some(ReportReason::Privacy));
        assert_eq!(ReportTarget::from_storage("user"), None);
    }
}
