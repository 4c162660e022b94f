//! Moving an account to another e-mail address, confirmed by a code mailed to that address.
//!
//! Asking needs the password as well as a session (a phone left unlocked does not give the account
//! away), and the new address must be free. The code works as a password-reset code does: six
//! digits, [`RESET_CODE_TTL_MS`], [`MAX_RESET_CODE_ATTEMPTS`] tries, [`MAX_RESET_REQUESTS_PER_HOUR`]
//! an hour per account. Until it comes back the account keeps its address (signing in, resets and
//! mail all use the old one); when it does, the address changes, the account's other devices learn
//! it at their next sync, and the old address is told, so a move nobody asked for is noticed.

use axum::extract::State;
use axum::http::StatusCode;
use hearth_core::account::{
    EmailChangeConfirm, EmailChangeRequest, EmailChangeSent, MAX_RESET_CODE_ATTEMPTS,
    MAX_RESET_REQUESTS_PER_HOUR, Profile, RESET_CODE_TTL_MS, normalize_email,
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
use crate::session::{self, AuthUser, hash_token};
use crate::{changes, profiles};

const HOUR_MS: i64 = 60 * 60 * 1000;

/// Routes of this resource, rate-limited per client address like every password check.
pub fn router(burst: u32, replenish: Duration) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(request_change))
        .routes(routes!(confirm_change))
        .layer(crate::limits::per_peer(burst, replenish))
}

/// The stored form of `code` for moving `user_id` to `new_email`: bound to both, so a code
/// mailed for one move never completes another.
fn code_mac(signing_key: &[u8], user_id: &str, new_email: &str, code: &str) -> Hmac<Sha256> {
    let mut mac = session::purpose_mac(signing_key, b"hearth e-mail change codes v1");
    for part in [user_id, new_email, code] {
        mac.update(part.as_bytes());
        mac.update(b"\n");
    }
    mac
}

/// Refuses `new_email` if another account has it.
async fn ensure_free(conn: &mut AnyConnection, user_id: &str, new_email: &str) -> Result<()> {
    let holder: Option<String> = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(new_email)
        .fetch_optional(conn)
        .await?;
    match holder {
        Some(id) if id != user_id => Err(Error::Taken { field: "newEmail" }),
        _ => Ok(()),
    }
}

#[utoipa::path(post, path = "/v1/me/email", tag = "auth", security(("bearer" = [])), request_body = EmailChangeRequest,
    responses((status = 202, description = "A code is on its way to the new address; the account keeps its address until it comes back", body = EmailChangeSent),
              (status = 401, description = "No valid session", body = ErrorBody),
              (status = 409, description = "`taken`: another account has that address", body = ErrorBody),
              (status = 422, description = "`password` is wrong, or `newEmail` is not an address or is the account's already", body = ErrorBody),
              (status = 429, description = "Too many codes asked for in the last hour, or too many attempts from this client", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn request_change(
    State(state): State<AppState>,
    user: AuthUser,
    AppJson(request): AppJson<EmailChangeRequest>,
) -> Result<(StatusCode, AppJson<EmailChangeSent>)> {
    let new_email = normalize_email(&request.new_email)
        .map_err(|e| Error::InvalidField { field: "newEmail".into(), reason: e.reason })?;
    let row = sqlx::query("SELECT email, password_hash, display_name, locale FROM users WHERE id = $1")
        .bind(&user.user_id)
        .fetch_one(state.db.pool())
        .await?;
    let stored: String = row.try_get("password_hash")?;
    if !crate::auth::verify_password(request.password, stored).await? {
        return Err(Error::InvalidField {
            field: "password".into(),
            reason: "this is not the account's password".into(),
        });
    }
    if row.try_get::<String, _>("email")? == new_email {
        return Err(Error::InvalidField {
            field: "newEmail".into(),
            reason: "this is the account's address already".into(),
        });
    }
    let now = crate::now_ms();
    let code = crate::recovery::new_code()?;
    let mac =
        hex::encode(code_mac(&state.code_key, &user.user_id, &new_email, &code).finalize().into_bytes());
    let mut tx = state.db.pool().begin().await?;
    // A write first (SQLite's lock), then the checks: rolled back, a refusal leaves nothing.
    sqlx::query(
        "INSERT INTO email_changes (id, user_id, new_email, code_hash, created_at_ms, expires_at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(&user.user_id)
    .bind(&new_email)
    .bind(&mac)
    .bind(now)
    .bind(now + RESET_CODE_TTL_MS)
    .execute(&mut *tx)
    .await?;
    let recent: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM email_changes WHERE user_id = $1 AND created_at_ms > $2")
            .bind(&user.user_id)
            .bind(now - HOUR_MS)
            .fetch_one(&mut *tx)
            .await?;
    if recent > MAX_RESET_REQUESTS_PER_HOUR {
        return Err(Error::RateLimited { retry_after_secs: (HOUR_MS / 1000) as u64 });
    }
    ensure_free(&mut tx, &user.user_id, &new_email).await?;
    tx.commit().await?;
    let minutes = (RESET_CODE_TTL_MS / 60_000) as u32;
    let name: String = row.try_get("display_name")?;
    let locale = Locale::from_tag(&row.try_get::<String, _>("locale")?).unwrap_or_default();
    state.mailer.send_later(new_email.clone(), "e-mail change code", move || {
        let words = Translator::new(locale);
        let args = [("name", name.into()), ("code", code.into()), ("minutes", minutes.into())];
        (words.t("mail-email-code-subject"), words.t_with("mail-email-code-body", &args))
    });
    tracing::info!(user = %user.user_id, "e-mail change asked for");
    Ok((StatusCode::ACCEPTED, AppJson(EmailChangeSent { new_email, expires_in_minutes: minutes })))
}

#[utoipa::path(post, path = "/v1/me/email/confirm", tag = "auth", security(("bearer" = [])), request_body = EmailChangeConfirm,
    responses((status = 200, description = "The account has its new address; the old one is told", body = Profile),
              (status = 401, description = "No valid session", body = ErrorBody),
              (status = 409, description = "`taken`: another account took the address meanwhile", body = ErrorBody),
              (status = 422, description = "`invalid-code`: the code is wrong, expired, worn out or used", body = ErrorBody),
              (status = 429, description = "Too many attempts from this client", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn confirm_change(
    State(state): State<AppState>,
    user: AuthUser,
    AppJson(request): AppJson<EmailChangeConfirm>,
) -> Result<AppJson<Profile>> {
    let now = crate::now_ms();
    // First the try, counted against every code that still works (committed, right or wrong).
    let mut tx = state.db.pool().begin().await?;
    mailed_codes::count_try(&mut tx, Book::EmailChanges, &user.user_id, now).await?;
    let live = sqlx::query(
        "SELECT id, new_email, code_hash FROM email_changes \
         WHERE user_id = $1 AND used_at_ms IS NULL AND expires_at_ms > $2 AND attempts <= $3 \
         ORDER BY created_at_ms DESC",
    )
    .bind(&user.user_id)
    .bind(now)
    .bind(MAX_RESET_CODE_ATTEMPTS)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let mut matched = None;
    for row in &live {
        let (id, new_email, stored): (String, String, String) =
            (row.try_get("id")?, row.try_get("new_email")?, row.try_get("code_hash")?);
        let mac = code_mac(&state.code_key, &user.user_id, &new_email, request.code.trim());
        if mac.verify_slice(&hex::decode(&stored).unwrap_or_default()).is_ok() {
            matched = Some((id, new_email));
            break;
        }
    }
    let Some((id, new_email)) = matched else {
        return Err(Error::InvalidCode);
    };
    let mut tx = state.db.pool().begin().await?;
    mailed_codes::claim(&mut tx, Book::EmailChanges, &id, &user.user_id, now).await?;
    ensure_free(&mut tx, &user.user_id, &new_email).await?;
    let old: (String, String, String) = {
        let row = sqlx::query("SELECT email, display_name, locale FROM users WHERE id = $1")
            .bind(&user.user_id)
            .fetch_one(&mut *tx)
            .await?;
        (row.try_get("email")?, row.try_get("display_name")?, row.try_get("locale")?)
    };
    sqlx::query("UPDATE users SET email = $1 WHERE id = $2")
        .bind(&new_email)
        .bind(&user.user_id)
        .execute(&mut *tx)
        .await
        .map_err(|e| crate::error::taken_on_unique(e, "newEmail"))?;
    // Reset codes asked for the new address before it was this account's do not open it now.
    mailed_codes::use_up(&mut tx, Book::PasswordResets, &hash_token(&new_email), now).await?;
    let profile = profiles::load(&mut tx, &user.user_id).await?;
    changes::record(&mut tx, &user.user_id, "profile", &user.user_id, &profile).await?;
    tx.commit().await?;
    let (old_email, name, locale) = old;
    let locale = Locale::from_tag(&locale).unwrap_or_default();
    let moved_to = new_email.clone();
    state.mailer.send_later(old_email, "e-mail changed notice", move || {
        let words = Translator::new(locale);
        let args = [("name", name.into()), ("email", moved_to.into())];
        (words.t("mail-email-changed-subject"), words.t_with("mail-email-changed-body", &args))
    });
    tracing::info!(user = %user.user_id, "e-mail address changed");
    Ok(AppJson(profile))
}
