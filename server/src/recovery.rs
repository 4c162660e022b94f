//! Getting back into an account whose password is forgotten: a one-time code sent by e-mail
//! (six digits, [`RESET_CODE_TTL_MS`] long, single use, [`MAX_RESET_CODE_ATTEMPTS`] tries,
//! [`MAX_RESET_REQUESTS_PER_HOUR`] per address), then a new password, which ends every other
//! session of the account.
//!
//! Nothing here tells whether an address has an account: a request for any address writes the
//! same row, counts against the same limit and gets the same answer, and the mail goes out after
//! the answer (so its time does not show); a wrong code, an expired one, a used one and one for an
//! address without an account are all `invalid-code`. Asking again does not cancel the codes
//! already mailed (so nobody can cancel another's), and using one ends the others.

use axum::extract::State;
use axum::http::StatusCode;
use hearth_core::account::{
    MAX_RESET_CODE_ATTEMPTS, MAX_RESET_REQUESTS_PER_HOUR, PasswordResetConfirm, PasswordResetRequest,
    PasswordResetSent, RESET_CODE_DIGITS, RESET_CODE_TTL_MS, SignedIn, check_password, normalize_email,
};
use hearth_core::api::ErrorBody;
use hearth_core::i18n::{Locale, Translator};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use sqlx::{AnyConnection, Row};
use std::time::Duration;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{Error, Result};
use crate::extract::AppJson;
use crate::mailed_codes::{self, Book};
use crate::session::{self, hash_token};

const HOUR_MS: i64 = 60 * 60 * 1000;

/// Routes of this resource, rate-limited per client address like sign-in.
pub fn router(burst: u32, replenish: Duration) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(request_reset))
        .routes(routes!(confirm_reset))
        .layer(crate::limits::per_peer(burst, replenish))
}

/// The stored form of `code` for the address whose hash is `email_hash`: HMAC-SHA-256 under a
/// key of its own, derived from the server's signing key.
fn code_mac(signing_key: &[u8], email_hash: &str, code: &str) -> Hmac<Sha256> {
    let mut mac = session::purpose_mac(signing_key, b"hearth password-reset codes v1");
    mac.update(email_hash.as_bytes());
    mac.update(b":");
    mac.update(code.as_bytes());
    mac
}

/// A fresh code of [`RESET_CODE_DIGITS`] digits.
pub(crate) fn new_code() -> Result<String> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).map_err(|e| Error::Task(format!("no randomness for a code: {e}")))?;
    let modulus = 10u64.pow(RESET_CODE_DIGITS as u32);
    Ok(format!("{:0width$}", u64::from_le_bytes(bytes) % modulus, width = RESET_CODE_DIGITS))
}

#[utoipa::path(post, path = "/v1/auth/password-reset", tag = "auth", request_body = PasswordResetRequest,
    responses((status = 202, description = "If the address has an account, a code is on its way; the same answer either way", body = PasswordResetSent),
              (status = 422, description = "Not an e-mail address", body = ErrorBody),
              (status = 429, description = "Too many codes asked for this address in the last hour, or too many attempts from this client", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn request_reset(
    State(state): State<AppState>,
    AppJson(request): AppJson<PasswordResetRequest>,
) -> Result<(StatusCode, AppJson<PasswordResetSent>)> {
    let email = normalize_email(&request.email)?;
    let email_hash = hash_token(&email);
    let now = crate::now_ms();
    let code = new_code()?;
    let mut tx = state.db.pool().begin().await?;
    // The new code first (a write first, for SQLite's lock). Earlier codes keep working: someone
    // asking for codes for another's address must not be able to cancel the ones mailed to them.
    let mac = hex::encode(code_mac(&state.code_key, &email_hash, &code).finalize().into_bytes());
    sqlx::query(
        "INSERT INTO password_resets (id, email_hash, code_hash, created_at_ms, expires_at_ms) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(&email_hash)
    .bind(&mac)
    .bind(now)
    .bind(now + RESET_CODE_TTL_MS)
    .execute(&mut *tx)
    .await?;
    let recent: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM password_resets WHERE email_hash = $1 AND created_at_ms > $2",
    )
    .bind(&email_hash)
    .bind(now - HOUR_MS)
    .fetch_one(&mut *tx)
    .await?;
    if recent > MAX_RESET_REQUESTS_PER_HOUR {
        // Rolled back: this request leaves nothing behind.
        return Err(Error::RateLimited { retry_after_secs: (HOUR_MS / 1000) as u64 });
    }
    let account = sqlx::query("SELECT display_name, locale FROM users WHERE email = $1")
        .bind(&email)
        .fetch_optional(&mut *tx)
        .await?;
    tx.commit().await?;
    let minutes = (RESET_CODE_TTL_MS / 60_000) as u32;
    if let Some(row) = account {
        let name: String = row.try_get("display_name")?;
        let locale = Locale::from_tag(&row.try_get::<String, _>("locale")?).unwrap_or_default();
        state.mailer.send_later(email, "password-reset code", move || {
            let words = Translator::new(locale);
            let args = [("name", name.into()), ("code", code.into()), ("minutes", minutes.into())];
            (words.t("mail-reset-subject"), words.t_with("mail-reset-body", &args))
        });
    }
    Ok((StatusCode::ACCEPTED, AppJson(PasswordResetSent { expires_in_minutes: minutes })))
}

/// The codes for `email_hash` that still work (this try counted), newest first: id and stored hash.
async fn live_codes(conn: &mut AnyConnection, email_hash: &str, now: i64) -> Result<Vec<(String, String)>> {
    let rows = sqlx::query(
        "SELECT id, code_hash FROM password_resets \
         WHERE email_hash = $1 AND used_at_ms IS NULL AND expires_at_ms > $2 AND attempts <= $3 \
         ORDER BY created_at_ms DESC",
    )
    .bind(email_hash)
    .bind(now)
    .bind(MAX_RESET_CODE_ATTEMPTS)
    .fetch_all(conn)
    .await?;
    rows.iter().map(|row| Ok((row.try_get("id")?, row.try_get("code_hash")?))).collect()
}

#[utoipa::path(post, path = "/v1/auth/password-reset/confirm", tag = "auth", request_body = PasswordResetConfirm,
    responses((status = 200, description = "The new password is set, every other session has ended, and this is a new one", body = SignedIn),
              (status = 422, description = "`invalid-code`: the code is wrong, expired or used (or the address has no account); `invalid-field`: the new password breaks the policy", body = ErrorBody),
              (status = 429, description = "Too many attempts from this client", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn confirm_reset(
    State(state): State<AppState>,
    device: session::ClientDevice,
    AppJson(request): AppJson<PasswordResetConfirm>,
) -> Result<AppJson<SignedIn>> {
    let email = normalize_email(&request.email)?;
    check_password(&request.new_password, &email)
        .map_err(|e| Error::InvalidField { field: "newPassword".into(), reason: e.reason })?;
    let email_hash = hash_token(&email);
    let now = crate::now_ms();
    // First the try, counted against every code that still works (committed, right or wrong).
    let mut tx = state.db.pool().begin().await?;
    mailed_codes::count_try(&mut tx, Book::PasswordResets, &email_hash, now).await?;
    let matched = live_codes(&mut tx, &email_hash, now).await?.into_iter().find_map(|(id, stored)| {
        let mac = code_mac(&state.code_key, &email_hash, request.code.trim());
        mac.verify_slice(&hex::decode(&stored).unwrap_or_default()).is_ok().then_some(id)
    });
    let user: Option<String> = match &matched {
        Some(_) => {
            sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
                .bind(&email)
                .fetch_optional(&mut *tx)
                .await?
        }
        None => None,
    };
    tx.commit().await?;
    let (Some(id), Some(user_id)) = (matched, user) else {
        return Err(Error::InvalidCode);
    };
    // Only a right code pays for Argon2, outside any transaction.
    let password_hash = crate::auth::hash_password(request.new_password.clone()).await?;
    let mut tx = state.db.pool().begin().await?;
    mailed_codes::claim(&mut tx, Book::PasswordResets, &id, &email_hash, now).await?;
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(&password_hash)
        .bind(&user_id)
        .execute(&mut *tx)
        .await?;
    crate::profiles::release_from_family(&mut tx, &user_id).await?;
    let ended = session::end_all_in(&mut tx, &user_id).await?;
    let session = session::create(&mut tx, &user_id, &device, now).await?;
    let profile = crate::profiles::load(&mut tx, &user_id).await?;
    tx.commit().await?;
    tracing::info!(user = %user_id, sessions_ended = ended, "password reset");
    Ok(AppJson(SignedIn { profile, session }))
}
