//! Accounts and sessions: sign-up, sign-in, sign-out (here or everywhere), and the [`AuthUser`]
//! extractor every protected route takes.
//!
//! Passwords are hashed with Argon2id (OWASP's recommended parameters, the `argon2` crate's
//! defaults) on the blocking pool. Session tokens are 256 random bits handed to the client once;
//! the database keeps only their SHA-256, so a leaked database cannot be replayed as sessions.
//! Sessions live in the database, so any instance can serve any signed-in user.

use std::sync::LazyLock;
use std::time::Duration;

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::{FromRequestParts, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use base64::Engine as _;
use hearth_core::account::{DEFAULT_TIME_ZONE, ProfileChange};
use hearth_core::account::{
    Profile, Role, Session, SignInRequest, SignUpRequest, SignedIn, check_password, normalize_display_name,
    normalize_email,
};
use hearth_core::api::ErrorBody;
use hearth_core::i18n::Locale;
use hearth_core::progress::time_zone;
use sha2::{Digest, Sha256};
use sqlx::{Any, AnyConnection, Row};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{Error, Result};
use crate::extract::AppJson;

/// How long a session lasts from sign-in.
pub const SESSION_TTL: Duration = Duration::from_secs(30 * 24 * 60 * 60);

/// Routes of this resource. Sign-up and sign-in are rate-limited per client address: a burst of
/// `burst` attempts, then one more every `replenish` (defaults: 10, then one every 6 s, about 10 a
/// minute: plenty for a person, slow for a password-guessing script).
pub fn router(burst: u32, replenish: Duration) -> OpenApiRouter<AppState> {
    let limited = OpenApiRouter::new()
        .routes(routes!(sign_up))
        .routes(routes!(sign_in))
        .layer(crate::limits::per_peer(burst, replenish));
    OpenApiRouter::new()
        .merge(limited)
        .routes(routes!(sign_out))
        .routes(routes!(sign_out_everywhere))
        .routes(routes!(me, change_me))
}

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

#[utoipa::path(post, path = "/v1/auth/sign-up", tag = "auth", request_body = SignUpRequest,
    responses((status = 201, description = "Signed up and signed in", body = SignedIn),
              (status = 400, description = "Not JSON", body = ErrorBody), (status = 409, description = "E-mail taken", body = ErrorBody),
              (status = 415, description = "Not application/json", body = ErrorBody),
              (status = 422, description = "A field broke a rule; `field` names it", body = ErrorBody),
              (status = 429, description = "Too many attempts from this address", body = ErrorBody)))]
#[tracing::instrument(skip_all, err)]
async fn sign_up(
    State(state): State<AppState>,
    AppJson(request): AppJson<SignUpRequest>,
) -> Result<(StatusCode, AppJson<SignedIn>)> {
    let email = normalize_email(&request.email)?;
    check_password(&request.password, &email)?;
    let display_name = normalize_display_name(&request.display_name)?;
    let locale = request.locale.unwrap_or_default();
    let zone = request.time_zone.unwrap_or_else(|| DEFAULT_TIME_ZONE.to_owned());
    time_zone(&zone).map_err(|reason| Error::InvalidField { field: "timeZone".into(), reason })?;
    let password_hash = hash_password(request.password).await?;
    let profile = Profile {
        id: uuid::Uuid::now_v7().to_string(),
        email,
        display_name,
        role: Role::Consumer,
        locale,
        time_zone: zone,
        device_usage_consent: false,
        senior_mode: false,
    };
    let now = crate::now_ms();
    let mut tx = state.db.pool().begin().await?;
    let inserted = sqlx::query::<Any>(
        "INSERT INTO users (id, email, display_name, password_hash, role, locale, time_zone, created_at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&profile.id)
    .bind(&profile.email)
    .bind(&profile.display_name)
    .bind(&password_hash)
    .bind(profile.role.as_str())
    .bind(profile.locale.tag())
    .bind(&profile.time_zone)
    .bind(now)
    .execute(&mut *tx)
    .await;
    match inserted {
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            return Err(Error::Taken { field: "email" });
        }
        other => other?,
    };
    let session = create_session(&mut tx, &profile.id, now).await?;
    tx.commit().await?;
    tracing::info!(user = %profile.id, "signed up");
    Ok((StatusCode::CREATED, AppJson(SignedIn { profile, session })))
}

#[utoipa::path(post, path = "/v1/auth/sign-in", tag = "auth", request_body = SignInRequest,
    responses((status = 200, description = "Signed in", body = SignedIn),
              (status = 401, description = "Wrong e-mail or password", body = ErrorBody),
              (status = 429, description = "Too many attempts from this address", body = ErrorBody)))]
#[tracing::instrument(skip_all, err)]
async fn sign_in(
    State(state): State<AppState>,
    AppJson(request): AppJson<SignInRequest>,
) -> Result<AppJson<SignedIn>> {
    // An address that cannot exist cannot have an account: same answer as a wrong password.
    let email = normalize_email(&request.email).map_err(|_| Error::WrongCredentials)?;
    let row = sqlx::query("SELECT id, password_hash FROM users WHERE email = $1")
        .bind(&email)
        .fetch_optional(state.db.pool())
        .await?;
    let (user_id, stored_hash) = match row {
        Some(row) => (Some(row.try_get::<String, _>("id")?), row.try_get::<String, _>("password_hash")?),
        // Verify against a dummy hash anyway, so that timing does not tell which addresses
        // have accounts.
        None => (None, DUMMY_HASH.clone()),
    };
    let verified = verify_password(request.password, stored_hash).await?;
    let Some(user_id) = user_id.filter(|_| verified) else {
        return Err(Error::WrongCredentials);
    };
    let mut conn = state.db.pool().acquire().await?;
    let session = create_session(&mut conn, &user_id, crate::now_ms()).await?;
    let profile = load_profile(&mut conn, &user_id).await?;
    tracing::info!(user = %user_id, "signed in");
    Ok(AppJson(SignedIn { profile, session }))
}

#[utoipa::path(post, path = "/v1/auth/sign-out", tag = "auth", security(("bearer" = [])),
    responses((status = 204, description = "This session ended"), (status = 401, description = "No valid session", body = ErrorBody)))]
#[tracing::instrument(skip_all, err)]
async fn sign_out(State(state): State<AppState>, user: AuthUser) -> Result<StatusCode> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(&user.token_hash)
        .execute(state.db.pool())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/v1/auth/sign-out-everywhere", tag = "auth", security(("bearer" = [])),
    responses((status = 204, description = "Every session of the account ended"),
              (status = 401, description = "No valid session", body = ErrorBody)))]
#[tracing::instrument(skip_all, err)]
async fn sign_out_everywhere(State(state): State<AppState>, user: AuthUser) -> Result<StatusCode> {
    let ended = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(&user.user_id)
        .execute(state.db.pool())
        .await?
        .rows_affected();
    tracing::info!(user = %user.user_id, sessions = ended, "signed out everywhere");
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/v1/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, description = "The signed-in account", body = Profile),
              (status = 401, description = "No valid session", body = ErrorBody)))]
#[tracing::instrument(skip_all, err)]
async fn me(State(state): State<AppState>, user: AuthUser) -> Result<AppJson<Profile>> {
    let mut conn = state.db.pool().acquire().await?;
    Ok(AppJson(load_profile(&mut conn, &user.user_id).await?))
}

#[utoipa::path(patch, path = "/v1/me", tag = "auth", security(("bearer" = [])), request_body = ProfileChange,
    responses((status = 200, description = "The changed account", body = Profile),
              (status = 401, description = "No valid session", body = ErrorBody),
              (status = 422, description = "A field broke a rule", body = ErrorBody)))]
#[tracing::instrument(skip_all, err)]
async fn change_me(
    State(state): State<AppState>,
    user: AuthUser,
    AppJson(change): AppJson<ProfileChange>,
) -> Result<AppJson<Profile>> {
    let mut tx = state.db.pool().begin().await?;
    let profile = change_profile_in(&mut tx, &user.user_id, &change).await?;
    tx.commit().await?;
    Ok(AppJson(profile))
}

/// Applies `change` to `user_id`'s profile in the caller's transaction (its first statement is
/// a write) and records it for sync.
pub async fn change_profile_in(
    tx: &mut AnyConnection,
    user_id: &str,
    change: &ProfileChange,
) -> Result<Profile> {
    if let Some(zone) = &change.time_zone {
        time_zone(zone).map_err(|reason| Error::InvalidField { field: "timeZone".into(), reason })?;
    }
    // Always write first (SQLite's lock), even for an empty change.
    sqlx::query("UPDATE users SET time_zone = COALESCE($1, time_zone) WHERE id = $2")
        .bind(change.time_zone.as_deref())
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    if let Some(consent) = change.device_usage_consent {
        sqlx::query("UPDATE users SET device_usage_consent = $1 WHERE id = $2")
            .bind(i64::from(consent))
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        tracing::info!(user = %user_id, consent, "device-usage consent changed");
    }
    if let Some(senior_mode) = change.senior_mode {
        sqlx::query("UPDATE users SET senior_mode = $1 WHERE id = $2")
            .bind(i64::from(senior_mode))
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
    }
    let profile = load_profile(tx, user_id).await?;
    crate::sync::record(tx, user_id, "profile", user_id, &profile).await?;
    Ok(profile)
}

/// The account `user_id` as its owner sees it.
pub(crate) async fn load_profile(conn: &mut AnyConnection, user_id: &str) -> Result<Profile> {
    let row = sqlx::query(
        "SELECT id, email, display_name, role, locale, time_zone, device_usage_consent, senior_mode \
         FROM users WHERE id = $1",
    )
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(Error::NotFound)?;
    let role: String = row.try_get("role")?;
    let locale: String = row.try_get("locale")?;
    Ok(Profile {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        display_name: row.try_get("display_name")?,
        role: Role::from_storage(&role).ok_or_else(|| Error::CorruptData(format!("role `{role}`")))?,
        locale: Locale::from_tag(&locale).map_err(|e| Error::CorruptData(e.to_string()))?,
        time_zone: row.try_get("time_zone")?,
        device_usage_consent: row.try_get::<i64, _>("device_usage_consent")? == 1,
        senior_mode: row.try_get::<i64, _>("senior_mode")? == 1,
    })
}

async fn create_session(conn: &mut AnyConnection, user_id: &str, now_ms: i64) -> Result<Session> {
    let token = new_secret_token()?;
    let expires_at_ms = now_ms.saturating_add(SESSION_TTL.as_millis() as i64);
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at_ms, expires_at_ms) VALUES ($1, $2, $3, $4)",
    )
    .bind(hash_token(&token))
    .bind(user_id)
    .bind(now_ms)
    .bind(expires_at_ms)
    .execute(conn)
    .await?;
    Ok(Session { token, expires_at_ms })
}

/// 256 random bits, base64url: session tokens and invitation codes.
pub(crate) fn new_secret_token() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| Error::Task(format!("no randomness for a token: {e}")))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// The stored form of a session token: hex SHA-256. Tokens are 256 random bits, so a fast hash
/// is enough (unlike passwords, they cannot be guessed from a dictionary).
pub(crate) fn hash_token(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(b"no account has this password", &salt)
        .map(|h| h.to_string())
        .unwrap_or_default()
});

async fn hash_password(password: String) -> Result<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|e| Error::Task(format!("hashing a password: {e}")))
    })
    .await
    .map_err(|e| Error::Task(e.to_string()))?
}

async fn verify_password(password: String, stored: String) -> Result<bool> {
    tokio::task::spawn_blocking(move || {
        let hash =
            PasswordHash::new(&stored).map_err(|e| Error::CorruptData(format!("password hash: {e}")))?;
        Ok(Argon2::default().verify_password(password.as_bytes(), &hash).is_ok())
    })
    .await
    .map_err(|e| Error::Task(e.to_string()))?
}
