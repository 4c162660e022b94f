//! Sessions: the [`AuthUser`] extractor every protected route takes, and the tokens behind it.
//!
//! Session tokens are 256 random bits handed to the client once; the database keeps only their
//! SHA-256, so a leaked database cannot be replayed as sessions. Sessions live in the database,
//! so any instance can serve any signed-in user. Below every feature: it knows accounts only as
//! the `sessions` and `users` rows it reads.

use std::time::Duration;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use base64::Engine as _;
use hearth_core::account::{MAX_DEVICE_CHARS, Role, Session, SessionInfo};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, AnyPool, Row};

use crate::AppState;
use crate::error::{Error, Result};

/// How long a session lasts from sign-in.
pub const SESSION_TTL: Duration = Duration::from_secs(30 * 24 * 60 * 60);

/// The signed-in user of a request: extracting it fails with 401 unless a valid, unexpired
/// `Authorization: Bearer` token came with the request.
#[derive(Debug, Clone)]
pub struct AuthUser {
    /// The user's id.
    pub user_id: String,
    /// What they may do.
    pub role: Role,
    token_hash: String,
}

impl AuthUser {
    /// The stored form of the session token the request came with.
    pub(crate) fn token_hash(&self) -> &str {
        &self.token_hash
    }
}

impl AuthUser {
    /// 403 unless the user has `role`.
    pub fn require(&self, role: Role) -> Result<()> {
        if self.role == role { Ok(()) } else { Err(Error::Forbidden) }
    }
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        let token = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(Error::Unauthenticated)?;
        let token_hash = hash_token(token);
        let row = sqlx::query(
            "SELECT s.user_id, s.expires_at_ms, u.role FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1",
        )
        .bind(&token_hash)
        .fetch_optional(state.db.pool())
        .await?
        .ok_or(Error::Unauthenticated)?;
        let expires_at_ms: i64 = row.try_get("expires_at_ms")?;
        if expires_at_ms <= crate::now_ms() {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                .bind(&token_hash)
                .execute(state.db.pool())
                .await?;
            return Err(Error::SessionExpired);
        }
        let role: String = row.try_get("role")?;
        Ok(Self {
            user_id: row.try_get("user_id")?,
            role: Role::from_storage(&role).ok_or_else(|| Error::CorruptData(format!("role `{role}`")))?,
            token_hash,
        })
    }
}

/// Ends the session that `user` came with.
pub async fn end(pool: &AnyPool, user: &AuthUser) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(&user.token_hash).execute(pool).await?;
    Ok(())
}

/// The sessions of `user` that have not expired, newest first; the one the request came with
/// marked current.
pub async fn list(pool: &AnyPool, user: &AuthUser) -> Result<Vec<SessionInfo>> {
    let rows = sqlx::query(
        "SELECT id, device, created_at_ms, expires_at_ms, token_hash FROM sessions \
         WHERE user_id = $1 AND expires_at_ms > $2 ORDER BY created_at_ms DESC, id",
    )
    .bind(&user.user_id)
    .bind(crate::now_ms())
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(SessionInfo {
                id: row.try_get("id")?,
                device: row.try_get("device")?,
                signed_in_at_ms: row.try_get("created_at_ms")?,
                expires_at_ms: row.try_get("expires_at_ms")?,
                current: row.try_get::<String, _>("token_hash")? == user.token_hash,
            })
        })
        .collect()
}

/// Ends `user`'s session `id` (this one too, if named); [`Error::NotFound`] unless it is theirs.
pub async fn end_one(pool: &AnyPool, user: &AuthUser, id: &str) -> Result<()> {
    let ended = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id = $2")
        .bind(&user.user_id)
        .bind(id)
        .execute(pool)
        .await?
        .rows_affected();
    if ended == 0 { Err(Error::NotFound) } else { Ok(()) }
}

/// Ends every session of `user_id`; answers how many there were.
pub async fn end_all(pool: &AnyPool, user_id: &str) -> Result<u64> {
    end_all_in(&mut *pool.acquire().await?, user_id).await
}

/// Ends every session of `user_id` but the one whose token hashes to `keep`; how many ended.
pub async fn end_others_in(conn: &mut AnyConnection, user_id: &str, keep: &str) -> Result<u64> {
    Ok(sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user_id)
        .bind(keep)
        .execute(conn)
        .await?
        .rows_affected())
}

/// [`end_all`] in the caller's transaction.
pub async fn end_all_in(conn: &mut AnyConnection, user_id: &str) -> Result<u64> {
    Ok(sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(conn)
        .await?
        .rows_affected())
}

/// What the client signing in called itself: its `User-Agent`, without control characters and
/// at most [`MAX_DEVICE_CHARS`] characters; `None` without one. Never refuses a request.
#[derive(Debug, Clone, Default)]
pub struct ClientDevice(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for ClientDevice {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> std::result::Result<Self, Self::Rejection> {
        let device = parts
            .headers
            .get(axum::http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.chars().filter(|c| !c.is_control()).take(MAX_DEVICE_CHARS).collect::<String>())
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty());
        Ok(Self(device))
    }
}

/// Starts a session for `user_id` on `device` and answers its token, the only time it is seen.
pub async fn create(
    conn: &mut AnyConnection,
    user_id: &str,
    device: &ClientDevice,
    now_ms: i64,
) -> Result<Session> {
    let token = new_secret_token()?;
    let expires_at_ms = now_ms.saturating_add(SESSION_TTL.as_millis() as i64);
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at_ms, expires_at_ms, id, device) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(hash_token(&token))
    .bind(user_id)
    .bind(now_ms)
    .bind(expires_at_ms)
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(device.0.as_deref())
    .execute(conn)
    .await?;
    Ok(Session { token, expires_at_ms })
}

/// 256 random bits, base64url: session tokens and invitation codes.
pub fn new_secret_token() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| Error::Task(format!("no randomness for a token: {e}")))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// An HMAC-SHA-256 ready for data, under a key of its own for `purpose`, derived from the
/// server's signing key: how codes too short for a plain hash (six digits, forty bits) are kept,
/// each kind under its own key.
pub fn purpose_mac(signing_key: &[u8], purpose: &[u8]) -> Hmac<Sha256> {
    let mut derive = Hmac::<Sha256>::new_from_slice(signing_key).expect("HMAC takes any key length");
    derive.update(purpose);
    let key = derive.finalize().into_bytes();
    Hmac::<Sha256>::new_from_slice(&key).expect("HMAC takes any key length")
}

/// The stored form of a session token: hex SHA-256. Tokens are 256 random bits, so a fast hash
/// is enough (unlike passwords, they cannot be guessed from a dictionary).
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}
