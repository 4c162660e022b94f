//! Accounts: sign-up, sign-in, sign-out (here or everywhere), changing the password, and the
//! signed-in account's profile.
//!
//! Passwords are hashed with Argon2id (OWASP's recommended parameters, the `argon2` crate's
//! defaults) on the blocking pool. Sessions themselves are [`crate::session`]'s.

use std::sync::LazyLock;
use std::time::Duration;

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use hearth_core::account::{DEFAULT_TIME_ZONE, PasswordChange, ProfileChange};
use hearth_core::account::{
    Profile, Role, SessionInfo, SignInRequest, SignUpRequest, SignedIn, check_password,
    normalize_display_name, normalize_email,
};
use hearth_core::api::ErrorBody;
use hearth_core::progress::time_zone;
use sqlx::{Any, Row};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{Error, Result};
use crate::extract::AppJson;
use crate::profiles;
use crate::session::{self, AuthUser, ClientDevice};

/// Routes of this resource. Sign-up and sign-in are rate-limited per client address: a burst of
/// `burst` attempts, then one more every `replenish` (defaults: 10, then one every 6 s, about 10 a
/// minute: plenty for a person, slow for a password-guessing script).
pub fn router(burst: u32, replenish: Duration) -> OpenApiRouter<AppState> {
    let limited = OpenApiRouter::new()
        .routes(routes!(sign_up))
        .routes(routes!(sign_in))
        .routes(routes!(change_password))
        .layer(crate::limits::per_peer(burst, replenish));
    OpenApiRouter::new()
        .merge(limited)
        .routes(routes!(sign_out))
        .routes(routes!(sign_out_everywhere))
        .routes(routes!(me, change_me))
        .routes(routes!(sessions))
        .routes(routes!(end_session))
}

#[utoipa::path(get, path = "/v1/me/sessions", tag = "auth", security(("bearer" = [])),
    responses((status = 200, description = "The account's signed-in sessions, newest first; this one marked current", body = Vec<SessionInfo>),
              (status = 401, description = "No valid session", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn sessions(State(state): State<AppState>, user: AuthUser) -> Result<AppJson<Vec<SessionInfo>>> {
    Ok(AppJson(session::list(state.db.pool(), &user).await?))
}

#[utoipa::path(delete, path = "/v1/me/sessions/{id}", tag = "auth", security(("bearer" = [])),
    params(("id" = String, Path, description = "The session, as listed")),
    responses((status = 204, description = "That session ended (its device is signed out)"),
              (status = 401, description = "No valid session", body = ErrorBody),
              (status = 404, description = "No such session of this account", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn end_session(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    session::end_one(state.db.pool(), &user, &id).await?;
    tracing::info!(user = %user.user_id, "a session ended from another device");
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/v1/auth/sign-up", tag = "auth", request_body = SignUpRequest,
    responses((status = 201, description = "Signed up and signed in", body = SignedIn),
              (status = 400, description = "Not JSON", body = ErrorBody), (status = 409, description = "E-mail taken", body = ErrorBody),
              (status = 415, description = "Not application/json", body = ErrorBody),
              (status = 422, description = "A field broke a rule; `field` names it", body = ErrorBody),
              (status = 429, description = "Too many attempts from this address", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn sign_up(
    State(state): State<AppState>,
    device: ClientDevice,
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
    insert_account(&mut tx, &profile, &password_hash, now).await?;
    let session = session::create(&mut tx, &profile.id, &device, now).await?;
    tx.commit().await?;
    tracing::info!(user = %profile.id, "signed up");
    Ok((StatusCode::CREATED, AppJson(SignedIn { profile, session })))
}

#[utoipa::path(post, path = "/v1/auth/sign-in", tag = "auth", request_body = SignInRequest,
    responses((status = 200, description = "Signed in", body = SignedIn),
              (status = 401, description = "Wrong e-mail or password", body = ErrorBody),
              (status = 429, description = "Too many attempts from this address", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn sign_in(
    State(state): State<AppState>,
    device: ClientDevice,
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
    let session = session::create(&mut conn, &user_id, &device, crate::now_ms()).await?;
    let profile = profiles::load(&mut conn, &user_id).await?;
    tracing::info!(user = %user_id, "signed in");
    Ok(AppJson(SignedIn { profile, session }))
}

#[utoipa::path(post, path = "/v1/auth/sign-out", tag = "auth", security(("bearer" = [])),
    responses((status = 204, description = "This session ended"), (status = 401, description = "No valid session", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn sign_out(State(state): State<AppState>, user: AuthUser) -> Result<StatusCode> {
    session::end(state.db.pool(), &user).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/v1/auth/sign-out-everywhere", tag = "auth", security(("bearer" = [])),
    responses((status = 204, description = "Every session of the account ended"),
              (status = 401, description = "No valid session", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn sign_out_everywhere(State(state): State<AppState>, user: AuthUser) -> Result<StatusCode> {
    let ended = session::end_all(state.db.pool(), &user.user_id).await?;
    tracing::info!(user = %user.user_id, sessions = ended, "signed out everywhere");
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/v1/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, description = "The signed-in account", body = Profile),
              (status = 401, description = "No valid session", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn me(State(state): State<AppState>, user: AuthUser) -> Result<AppJson<Profile>> {
    let mut conn = state.db.pool().acquire().await?;
    Ok(AppJson(profiles::load(&mut conn, &user.user_id).await?))
}

#[utoipa::path(patch, path = "/v1/me", tag = "auth", security(("bearer" = [])), request_body = ProfileChange,
    responses((status = 200, description = "The changed account", body = Profile),
              (status = 401, description = "No valid session", body = ErrorBody),
              (status = 422, description = "A field broke a rule", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn change_me(
    State(state): State<AppState>,
    user: AuthUser,
    AppJson(change): AppJson<ProfileChange>,
) -> Result<AppJson<Profile>> {
    let mut tx = state.db.pool().begin().await?;
    let profile = profiles::change(&mut tx, &user.user_id, &change).await?;
    tx.commit().await?;
    Ok(AppJson(profile))
}

#[utoipa::path(post, path = "/v1/me/password", tag = "auth", security(("bearer" = [])), request_body = PasswordChange,
    responses((status = 204, description = "Changed; every other session of the account has ended"),
              (status = 401, description = "No valid session", body = ErrorBody),
              (status = 422, description = "`currentPassword` is wrong, or `newPassword` breaks the policy", body = ErrorBody),
              (status = 429, description = "Too many attempts from this address", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn change_password(
    State(state): State<AppState>,
    user: AuthUser,
    AppJson(request): AppJson<PasswordChange>,
) -> Result<StatusCode> {
    let row = sqlx::query("SELECT email, password_hash FROM users WHERE id = $1")
        .bind(&user.user_id)
        .fetch_one(state.db.pool())
        .await?;
    let (email, stored): (String, String) = (row.try_get("email")?, row.try_get("password_hash")?);
    if !verify_password(request.current_password, stored).await? {
        return Err(Error::InvalidField {
            field: "currentPassword".into(),
            reason: "this is not the account's password".into(),
        });
    }
    check_password(&request.new_password, &email)
        .map_err(|e| Error::InvalidField { field: "newPassword".into(), reason: e.reason })?;
    let hash = hash_password(request.new_password).await?;
    let mut tx = state.db.pool().begin().await?;
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(&hash)
        .bind(&user.user_id)
        .execute(&mut *tx)
        .await?;
    profiles::release_from_family(&mut tx, &user.user_id).await?;
    let ended = session::end_others_in(&mut tx, &user.user_id, user.token_hash()).await?;
    tx.commit().await?;
    tracing::info!(user = %user.user_id, sessions_ended = ended, "password changed");
    Ok(StatusCode::NO_CONTENT)
}

static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(b"no account has this password", &salt)
        .map(|h| h.to_string())
        .unwrap_or_default()
});

/// Stores a new account in the caller's transaction (a write first); a taken e-mail address is
/// refused [`Error::Taken`].
pub(crate) async fn insert_account(
    tx: &mut sqlx::AnyConnection,
    profile: &Profile,
    password_hash: &str,
    now_ms: i64,
) -> Result<()> {
    let inserted = sqlx::query::<Any>(
        "INSERT INTO users (id, email, display_name, password_hash, role, locale, time_zone, created_at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&profile.id)
    .bind(&profile.email)
    .bind(&profile.display_name)
    .bind(password_hash)
    .bind(profile.role.as_str())
    .bind(profile.locale.tag())
    .bind(&profile.time_zone)
    .bind(now_ms)
    .execute(&mut *tx)
    .await;
    match inserted {
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(Error::Taken { field: "email" }),
        other => other.map(drop).map_err(Error::from),
    }
}

/// An Argon2id hash of `password` with a fresh salt, worked out off the async threads.
pub(crate) async fn hash_password(password: String) -> Result<String> {
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

pub(crate) async fn verify_password(password: String, stored: String) -> Result<bool> {
    tokio::task::spawn_blocking(move || {
        let hash =
            PasswordHash::new(&stored).map_err(|e| Error::CorruptData(format!("password hash: {e}")))?;
        Ok(Argon2::default().verify_password(password.as_bytes(), &hash).is_ok())
    })
    .await
    .map_err(|e| Error::Task(e.to_string()))?
}
