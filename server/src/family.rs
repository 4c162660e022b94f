//! Setting Hearth up for a parent: a family member makes the parent's account in their
//! household (a senior, in senior mode, with the family member as contact, and a password nobody
//! knows), and signs the parent's devices in with one-time codes, so the parent never types a
//! password. Codes are [`SIGN_IN_CODE_BYTES`] random bytes, [`SIGN_IN_CODE_TTL_MS`] long, single
//! use; only accounts set up by the household take them, and only the household's owner or the
//! parent's family contacts make them (nobody can sign in as a member who chose their own
//! password). Redeeming is rate-limited per client like sign-in.

use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use hearth_core::account::{
    DEFAULT_TIME_ZONE, Profile, ProfileChange, Role, SignedIn, normalize_display_name, normalize_email,
};
use hearth_core::api::ErrorBody;
use hearth_core::household::{
    DeviceSignIn, DeviceSignInCode, HouseholdRole, SIGN_IN_CODE_BYTES, SIGN_IN_CODE_TTL_MS, SeniorSetUp,
    SetUpSenior, canonical_sign_in_code, format_code,
};
use hmac::Mac;
use sqlx::{AnyConnection, Row};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{Error, Result};
use crate::extract::AppJson;
use crate::session::{self, AuthUser, ClientDevice, new_secret_token};
use crate::{auth, households, profiles};

/// Routes of this resource; redeeming a code is rate-limited per client address.
pub fn router(burst: u32, replenish: Duration) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(new_code))
        // Making an account costs an Argon2 hash: limited per client like sign-up.
        .merge(
            OpenApiRouter::new()
                .routes(routes!(set_up_senior))
                .routes(routes!(sign_in))
                .layer(crate::limits::per_peer(burst, replenish)),
        )
}

/// The stored form of a canonical code: HMAC-SHA-256 under a key of its own, derived from the
/// server's signing key.
fn code_hash(signing_key: &[u8], canonical: &str) -> String {
    let mut mac = session::purpose_mac(signing_key, b"hearth device sign-in codes v1");
    mac.update(canonical.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Makes a code for `user_id` (whose name is `display_name`) in the caller's transaction.
async fn issue(
    tx: &mut AnyConnection,
    signing_key: &[u8],
    user_id: &str,
    display_name: &str,
    created_by: &str,
    now: i64,
) -> Result<DeviceSignInCode> {
    let mut bytes = [0u8; SIGN_IN_CODE_BYTES];
    getrandom::fill(&mut bytes).map_err(|e| Error::Task(format!("no randomness for a code: {e}")))?;
    let code = format_code(&bytes);
    let canonical = canonical_sign_in_code(&code).ok_or_else(|| Error::Task("a code of our own".into()))?;
    let expires_at_ms = now + SIGN_IN_CODE_TTL_MS;
    sqlx::query(
        "INSERT INTO device_sign_ins (code_hash, user_id, created_by, created_at_ms, expires_at_ms) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(code_hash(signing_key, &canonical))
    .bind(user_id)
    .bind(created_by)
    .bind(now)
    .bind(expires_at_ms)
    .execute(&mut *tx)
    .await?;
    Ok(DeviceSignInCode {
        user_id: user_id.to_owned(),
        display_name: display_name.to_owned(),
        code,
        expires_at_ms,
    })
}

#[utoipa::path(post, path = "/v1/households/mine/seniors", tag = "households", security(("bearer" = [])), request_body = SetUpSenior,
    responses((status = 201, description = "The parent's account, in the household as a senior with the caller as contact, and a code for their device", body = SeniorSetUp),
              (status = 403, description = "A senior does not set up accounts", body = ErrorBody),
              (status = 404, description = "The caller belongs to no household", body = ErrorBody),
              (status = 409, description = "`taken`: the e-mail address has an account already (invite it instead)", body = ErrorBody),
              (status = 422, description = "A bad name or address", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn set_up_senior(
    State(state): State<AppState>,
    user: AuthUser,
    AppJson(request): AppJson<SetUpSenior>,
) -> Result<(StatusCode, AppJson<SeniorSetUp>)> {
    let display_name = normalize_display_name(&request.display_name)?;
    let email = normalize_email(&request.email)?;
    // Family members and the owner set up parents; a senior does not add accounts. Checked
    // before the hash is paid for (the transaction below adds the member to the same household).
    let (_, caller_role) =
        households::membership(&mut *state.db.pool().acquire().await?, &user.user_id).await?;
    if caller_role == HouseholdRole::Senior {
        return Err(Error::Forbidden);
    }
    // A password nobody knows: signing in takes a code from family, or a reset code by mail
    // once the parent wants a password of their own.
    let password_hash = auth::hash_password(new_secret_token()?).await?;
    let now = crate::now_ms();
    // Read before the transaction, whose first statement is a write (SQLite's lock).
    let caller = profiles::load(&mut *state.db.pool().acquire().await?, &user.user_id).await?;
    let mut tx = state.db.pool().begin().await?;
    let profile = Profile {
        id: uuid::Uuid::now_v7().to_string(),
        email,
        display_name,
        role: Role::Consumer,
        locale: request.locale.unwrap_or(caller.locale),
        time_zone: if caller.time_zone.is_empty() { DEFAULT_TIME_ZONE.to_owned() } else { caller.time_zone },
        device_usage_consent: false,
        senior_mode: false,
    };
    auth::insert_account(&mut tx, &profile, &password_hash, now).await?;
    let (household_id, _) = households::membership(&mut tx, &user.user_id).await?;
    sqlx::query("UPDATE users SET set_up_by = $1 WHERE id = $2")
        .bind(&household_id)
        .bind(&profile.id)
        .execute(&mut *tx)
        .await?;
    households::add_member_in(&mut tx, &household_id, &profile.id, HouseholdRole::Senior, now).await?;
    households::add_contact_in(&mut tx, &household_id, &profile.id, &user.user_id).await?;
    let simple_view = ProfileChange { senior_mode: Some(true), ..ProfileChange::default() };
    profiles::change(&mut tx, &profile.id, &simple_view).await?;
    let sign_in =
        issue(&mut tx, &state.code_key, &profile.id, &profile.display_name, &user.user_id, now).await?;
    let household = households::load(&mut tx, &household_id).await?;
    tx.commit().await?;
    tracing::info!(senior = %profile.id, "set up by family");
    Ok((StatusCode::CREATED, AppJson(SeniorSetUp { household, sign_in })))
}

#[utoipa::path(post, path = "/v1/households/mine/members/{id}/sign-in-code", tag = "households", security(("bearer" = [])),
    params(("id" = String, Path, description = "The senior set up by the household")),
    responses((status = 201, description = "A code that signs one more device in to the senior's account", body = DeviceSignInCode),
              (status = 403, description = "Only the owner or the senior's family contacts, and only for an account the household set up", body = ErrorBody),
              (status = 404, description = "No such member in the caller's household", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn new_code(
    State(state): State<AppState>,
    user: AuthUser,
    Path(senior_id): Path<String>,
) -> Result<(StatusCode, AppJson<DeviceSignInCode>)> {
    let now = crate::now_ms();
    let mut tx = state.db.pool().begin().await?;
    // The senior's earlier codes go first (a write first, for SQLite's lock): one code works
    // at a time, the newest.
    sqlx::query("DELETE FROM device_sign_ins WHERE user_id = $1").bind(&senior_id).execute(&mut *tx).await?;
    let row = sqlx::query(
        "SELECT caller.role, senior.household_id, u.set_up_by, u.display_name, \
         CASE WHEN EXISTS (SELECT 1 FROM family_contacts f WHERE f.senior_id = $2 AND f.contact_id = $1) \
         THEN 1 ELSE 0 END AS contact \
         FROM household_members caller JOIN household_members senior ON senior.household_id = caller.household_id \
         JOIN users u ON u.id = senior.user_id WHERE caller.user_id = $1 AND senior.user_id = $2 AND senior.role = $3",
    )
    .bind(&user.user_id)
    .bind(&senior_id)
    .bind(HouseholdRole::Senior.as_str())
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::NotFound)?;
    let caller_role: String = row.try_get("role")?;
    let household_id: String = row.try_get("household_id")?;
    let set_up_by: Option<String> = row.try_get("set_up_by")?;
    let contact: i64 = row.try_get("contact")?;
    let name: String = row.try_get("display_name")?;
    let may = caller_role == HouseholdRole::Owner.as_str() || contact == 1;
    if !may || set_up_by.as_deref() != Some(household_id.as_str()) || senior_id == user.user_id {
        return Err(Error::Forbidden);
    }
    let code = issue(&mut tx, &state.code_key, &senior_id, &name, &user.user_id, now).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, AppJson(code)))
}

#[utoipa::path(post, path = "/v1/auth/device-sign-in", tag = "auth", request_body = DeviceSignIn,
    responses((status = 200, description = "Signed in to the account the code was made for; the code is used up", body = SignedIn),
              (status = 422, description = "`invalid-code`: not a code, or a wrong, expired or used one", body = ErrorBody),
              (status = 429, description = "Too many attempts from this address", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn sign_in(
    State(state): State<AppState>,
    device: ClientDevice,
    AppJson(request): AppJson<DeviceSignIn>,
) -> Result<AppJson<SignedIn>> {
    let canonical = canonical_sign_in_code(&request.code).ok_or(Error::InvalidCode)?;
    let hash = code_hash(&state.code_key, &canonical);
    let now = crate::now_ms();
    let mut tx = state.db.pool().begin().await?;
    // Claimed under a guarded update: two devices racing with one code, one wins.
    let claimed = sqlx::query(
        "UPDATE device_sign_ins SET used_at_ms = $1 WHERE code_hash = $2 AND used_at_ms IS NULL AND expires_at_ms > $1 \
         AND EXISTS (SELECT 1 FROM users u WHERE u.id = device_sign_ins.user_id AND u.set_up_by IS NOT NULL)",
    )
    .bind(now)
    .bind(&hash)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if claimed == 0 {
        return Err(Error::InvalidCode);
    }
    let user_id: String = sqlx::query_scalar("SELECT user_id FROM device_sign_ins WHERE code_hash = $1")
        .bind(&hash)
        .fetch_one(&mut *tx)
        .await?;
    let session = session::create(&mut tx, &user_id, &device, now).await?;
    let profile = profiles::load(&mut tx, &user_id).await?;
    tx.commit().await?;
    tracing::info!(user = %user_id, "device signed in by family");
    Ok(AppJson(SignedIn { profile, session }))
}
