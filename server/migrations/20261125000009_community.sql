-- The community. Posts, comments and photos take UUIDv7 ids, so ordering by id is ordering by
-- time and an id is a stable pagination cursor. Counters on posts are kept in the same
-- transaction as the rows they count, so a feed page is one query.
CREATE TABLE community_groups (
    id              TEXT PRIMARY KEY NOT NULL,
    name            TEXT NOT NULL UNIQUE,
    description     TEXT NOT NULL,
    member_count    BIGINT NOT NULL DEFAULT 0 CHECK (member_count >= 0),
    created_by      TEXT NOT NULL REFERENCES users (id),
    created_at_ms   BIGINT NOT NULL
);

CREATE TABLE group_members (
    group_id        TEXT NOT NULL REFERENCES community_groups (id),
    user_id         TEXT NOT NULL REFERENCES users (id),
    joined_at_ms    BIGINT NOT NULL,
    PRIMARY KEY (user_id, group_id)
);

-- moderation: 'visible'; 'held' once enough reports arrive (only the author sees it); 'removed'
-- by an operator or deleted by its author (nobody sees it).
CREATE TABLE posts (
    id              TEXT PRIMARY KEY NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('post', 'story')),
    author_id       TEXT NOT NULL REFERENCES users (id),
    group_id        TEXT NULL REFERENCES community_groups (id),
    household_id    TEXT NULL REFERENCES households (id),
    body            TEXT NOT NULL,
    photos          TEXT NOT NULL,
    created_at_ms   BIGINT NOT NULL,
    moderation      TEXT NOT NULL DEFAULT 'visible' CHECK (moderation IN ('visible', 'held', 'removed')),
    comment_count   BIGINT NOT NULL DEFAULT 0 CHECK (comment_count >= 0),
    like_count      BIGINT NOT NULL DEFAULT 0 CHECK (like_count >= 0),
    love_count      BIGINT NOT NULL DEFAULT 0 CHECK (love_count >= 0),
    cheer_count     BIGINT NOT NULL DEFAULT 0 CHECK (cheer_count >= 0),
    thanks_count    BIGINT NOT NULL DEFAULT 0 CHECK (thanks_count >= 0),
    CHECK ((kind = 'story') = (household_id IS NOT NULL)),
    CHECK (kind = 'post' OR group_id IS NULL)
);

CREATE INDEX posts_group ON posts (group_id, id);
CREATE INDEX posts_household ON posts (household_id, id);
CREATE INDEX posts_author ON posts (author_id, id);

-- Uploaded photos; the files live in the media directory under their id. post_id is set once,
-- when a post takes them.
CREATE TABLE photos (
    id              TEXT PRIMARY KEY NOT NULL,
    owner_id        TEXT NOT NULL REFERENCES users (id),
    post_id         TEXT NULL REFERENCES posts (id),
    position        BIGINT NULL,
    width           BIGINT NOT NULL,
    height          BIGINT NOT NULL,
    thumb_width     BIGINT NOT NULL,
    thumb_height    BIGINT NOT NULL,
    created_at_ms   BIGINT NOT NULL
);

CREATE INDEX photos_owner ON photos (owner_id, post_id);

CREATE TABLE comments (
    id              TEXT PRIMARY KEY NOT NULL,
    post_id         TEXT NOT NULL REFERENCES posts (id),
    author_id       TEXT NOT NULL REFERENCES users (id),
    body            TEXT NOT NULL,
    created_at_ms   BIGINT NOT NULL,
    moderation      TEXT NOT NULL DEFAULT 'visible' CHECK (moderation IN ('visible', 'held', 'removed'))
);

CREATE INDEX comments_post ON comments (post_id, id);

CREATE TABLE reactions (
    post_id         TEXT NOT NULL REFERENCES posts (id),
    user_id         TEXT NOT NULL REFERENCES users (id),
    kind            TEXT NOT NULL CHECK (kind IN ('like', 'love', 'cheer', 'thanks')),
    created_at_ms   BIGINT NOT NULL,
    PRIMARY KEY (post_id, user_id)
);

CREATE TABLE expert_sessions (
    id              TEXT PRIMARY KEY NOT NULL,
    title           TEXT NOT NULL,
    description     TEXT NOT NULL,
    expert_name     TEXT NOT NULL,
    starts_at_ms    BIGINT NOT NULL,
    duration_minutes BIGINT NOT NULL CHECK (duration_minutes > 0),
    capacity        BIGINT NOT NULL CHECK (capacity > 0),
    attending_count BIGINT NOT NULL DEFAULT 0,
    created_by      TEXT NOT NULL REFERENCES users (id),
    created_at_ms   BIGINT NOT NULL,
    CHECK (attending_count >= 0 AND attending_count <= capacity)
);

CREATE INDEX expert_sessions_start ON expert_sessions (starts_at_ms);

CREATE TABLE expert_session_rsvps (
    session_id      TEXT NOT NULL REFERENCES expert_sessions (id),
    user_id         TEXT NOT NULL REFERENCES users (id),
    created_at_ms   BIGINT NOT NULL,
    PRIMARY KEY (session_id, user_id)
);

-- One report per reporter and target: a resent report changes nothing.
CREATE TABLE reports (
    id              TEXT PRIMARY KEY NOT NULL,
    reporter_id     TEXT NOT NULL REFERENCES users (id),
    target_kind     TEXT NOT NULL CHECK (target_kind IN ('post', 'comment')),
    target_id       TEXT NOT NULL,
    reason          TEXT NOT NULL CHECK (reason IN ('spam', 'abuse', 'unsafe', 'privacy', 'other')),
    note            TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'removed', 'dismissed')),
    created_at_ms   BIGINT NOT NULL,
    decided_by      TEXT NULL REFERENCES users (id),
    decided_at_ms   BIGINT NULL,
    UNIQUE (reporter_id, target_kind, target_id)
);

CREATE INDEX reports_open ON reports (status, target_kind, target_id);

CREATE TABLE blocks (
    blocker_id      TEXT NOT NULL REFERENCES users (id),
    blocked_id      TEXT NOT NULL REFERENCES users (id),
    created_at_ms   BIGINT NOT NULL,
    PRIMARY KEY (blocker_id, blocked_id),
    CHECK (blocker_id <> blocked_id)
);

CREATE INDEX blocks_blocked ON blocks (blocked_id, blocker_id);
