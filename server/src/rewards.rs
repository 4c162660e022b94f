//! Rewards: the catalog, redeeming points for a signed single-use code, the store counter
//! consuming it exactly once, and points coming back for codes that expire unused.
//!
//! A code is `hearth1.<redemption id>.<expiry ms>.<HMAC-SHA256>`: the signature (under a key
//! every instance shares, see [`signing_key`]) lets the counter refuse a forged or altered code
//! before touching the database; the redemption row decides whether it was used already.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use base64::Engine as _;
use hearth_core::account::Role;
use hearth_core::api::ErrorBody;
use hearth_core::i18n::LocalizedText;
use hearth_core::ledger::TransferKind;
use hearth_core::rewards::{
    CODE_LIFETIME_MS, ConsumeRequest, RedeemRequest, Redemption, RedemptionStatus, Reward, RewardCatalog,
};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use sqlx::{AnyConnection, Row};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::db::Db;
use crate::error::{Error, Result};
use crate::extract::AppJson;
use crate::ledger::{self, Applied, TransferRequest};
use crate::session::AuthUser;

const CODE_PREFIX: &str = "hearth1";

/// Routes of this resource.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(catalog, add))
        .routes(routes!(change, retire))
        .routes(routes!(redeem))
        .routes(routes!(mine))
        .routes(routes!(consume))
}

/// The key that signs codes: `configured` (base64) when given, else one generated on first start
/// and kept in the database so that every instance and every restart agree.
pub async fn signing_key(db: &Db, configured: Option<&str>) -> Result<Vec<u8>> {
    let engine = base64::engine::general_purpose::STANDARD;
    if let Some(key) = configured {
        let key =
            engine.decode(key).map_err(|e| Error::Config(format!("code signing key is not base64: {e}")))?;
        if key.len() < 32 {
            return Err(Error::Config("code signing key must be at least 32 bytes".into()));
        }
        return Ok(key);
    }
    let mut fresh = [0u8; 32];
    getrandom::fill(&mut fresh).map_err(|e| Error::Task(format!("no randomness for a key: {e}")))?;
    sqlx::query("INSERT INTO server_secrets (name, value) VALUES ('code-signing-key', $1) ON CONFLICT (name) DO NOTHING")
        .bind(engine.encode(fresh))
        .execute(db.pool())
        .await?;
    let stored: String =
        sqlx::query_scalar("SELECT value FROM server_secrets WHERE name = 'code-signing-key'")
            .fetch_one(db.pool())
            .await?;
    engine.decode(stored).map_err(|e| Error::CorruptData(format!("stored code signing key: {e}")))
}

fn mac(key: &[u8]) -> Hmac<Sha256> {
    // HMAC takes keys of any length.
    <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!("HMAC accepts any key length"))
}

fn sign(key: &[u8], redemption_id: &str, expires_at_ms: i64) -> String {
    let payload = format!("{CODE_PREFIX}.{redemption_id}.{expires_at_ms}");
    let mut mac = mac(key);
    mac.update(payload.as_bytes());
    let signature = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    format!("{payload}.{signature}")
}

/// The redemption id and expiry of a genuine code; `None` for anything forged or altered.
fn verify(key: &[u8], code: &str) -> Option<(String, i64)> {
    let (payload, signature) = code.trim().rsplit_once('.')?;
    let mut parts = payload.split('.');
    let (prefix, id, expires) = (parts.next()?, parts.next()?, parts.next()?);
    if prefix != CODE_PREFIX || parts.next().is_some() {
        return None;
    }
    let signature = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(signature).ok()?;
    let mut mac = mac(key);
    mac.update(payload.as_bytes());
    mac.verify_slice(&signature).ok()?;
    Some((id.to_owned(), expires.parse().ok()?))
}

/// Applies the shipped rewards once per database (see `seed`).
pub(crate) async fn insert_seed(conn: &mut AnyConnection, catalog: &RewardCatalog) -> Result<()> {
    for (position, reward) in catalog.rewards.iter().enumerate() {
        sqlx::query(
            "INSERT INTO rewards (id, position, points, title_en, title_zh_cn, description_en, description_zh_cn) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING",
        )
        .bind(&reward.id)
        .bind(position as i64)
        .bind(i64::from(reward.points))
        .bind(&reward.title.en)
        .bind(&reward.title.zh_cn)
        .bind(&reward.description.en)
        .bind(&reward.description.zh_cn)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

#[utoipa::path(get, path = "/v1/rewards", tag = "rewards",
    responses((status = 200, description = "The rewards on offer, in display order, with an `ETag`", body = RewardCatalog),
              (status = 304, description = "Unchanged since the version `If-None-Match` names")))]
#[tracing::instrument(skip_all)]
async fn catalog(State(state): State<AppState>, headers: HeaderMap) -> Result<Response> {
    let rows = sqlx::query(
        "SELECT id, points, title_en, title_zh_cn, description_en, description_zh_cn FROM rewards \
         WHERE active = 1 ORDER BY position, id",
    )
    .fetch_all(state.db.pool())
    .await?;
    let rewards = rows.iter().map(reward_from_row).collect::<Result<Vec<_>>>()?;
    crate::etag::json_with_etag(&headers, &RewardCatalog { rewards })
}

fn reward_from_row(row: &sqlx::any::AnyRow) -> Result<Reward> {
    let points: i64 = row.try_get("points")?;
    Ok(Reward {
        id: row.try_get("id")?,
        points: u32::try_from(points).map_err(|_| Error::CorruptData(format!("reward points {points}")))?,
        title: LocalizedText { en: row.try_get("title_en")?, zh_cn: row.try_get("title_zh_cn")? },
        description: LocalizedText {
            en: row.try_get("description_en")?,
            zh_cn: row.try_get("description_zh_cn")?,
        },
    })
}

async fn load_reward(conn: &mut AnyConnection, id: &str) -> Result<Reward> {
    let row = sqlx::query(
        "SELECT id, points, title_en, title_zh_cn, description_en, description_zh_cn FROM rewards WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    reward_from_row(&row)
}

#[utoipa::path(post, path = "/v1/rewards", tag = "rewards", security(("bearer" = [])), request_body = Reward,
    responses((status = 201, description = "On offer, at the end of the catalog", body = Reward),
              (status = 403, description = "Operators only", body = ErrorBody),
              (status = 409, description = "A reward (perhaps retired) has that id", body = ErrorBody),
              (status = 422, description = "A field broke a rule (the field is named)", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn add(
    State(state): State<AppState>,
    user: AuthUser,
    AppJson(reward): AppJson<Reward>,
) -> Result<(StatusCode, AppJson<Reward>)> {
    user.require(Role::Operator)?;
    reward.validate()?;
    let mut tx = state.db.pool().begin().await?;
    let inserted = sqlx::query(
        "INSERT INTO rewards (id, position, points, title_en, title_zh_cn, description_en, description_zh_cn) \
         SELECT $1, (SELECT COALESCE(MAX(position), -1) + 1 FROM rewards), $2, $3, $4, $5, $6 \
         WHERE true ON CONFLICT (id) DO NOTHING",
    )
    .bind(&reward.id)
    .bind(i64::from(reward.points))
    .bind(&reward.title.en)
    .bind(&reward.title.zh_cn)
    .bind(&reward.description.en)
    .bind(&reward.description.zh_cn)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if inserted == 0 {
        return Err(Error::Taken { field: "id" });
    }
    let stored = load_reward(&mut tx, &reward.id).await?;
    tx.commit().await?;
    tracing::info!(reward = %reward.id, "reward added");
    Ok((StatusCode::CREATED, AppJson(stored)))
}

#[utoipa::path(put, path = "/v1/rewards/{id}", tag = "rewards", security(("bearer" = [])),
    params(("id" = String, Path, description = "The reward")), request_body = Reward,
    responses((status = 200, description = "Changed; codes issued before keep what they were bought for", body = Reward),
              (status = 403, description = "Operators only", body = ErrorBody),
              (status = 404, description = "No such reward on offer", body = ErrorBody),
              (status = 422, description = "A field broke a rule, or the body names another id", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn change(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
    AppJson(reward): AppJson<Reward>,
) -> Result<AppJson<Reward>> {
    user.require(Role::Operator)?;
    if reward.id != id {
        return Err(Error::InvalidField { field: "id".into(), reason: "expected the id in the path".into() });
    }
    reward.validate()?;
    let mut tx = state.db.pool().begin().await?;
    let changed = sqlx::query(
        "UPDATE rewards SET points = $1, title_en = $2, title_zh_cn = $3, description_en = $4, \
         description_zh_cn = $5 WHERE id = $6 AND active = 1",
    )
    .bind(i64::from(reward.points))
    .bind(&reward.title.en)
    .bind(&reward.title.zh_cn)
    .bind(&reward.description.en)
    .bind(&reward.description.zh_cn)
    .bind(&id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 0 {
        return Err(Error::NotFound);
    }
    let stored = load_reward(&mut tx, &id).await?;
    tx.commit().await?;
    tracing::info!(reward = %id, "reward changed");
    Ok(AppJson(stored))
}

#[utoipa::path(delete, path = "/v1/rewards/{id}", tag = "rewards", security(("bearer" = [])),
    params(("id" = String, Path, description = "The reward")),
    responses((status = 204, description = "No longer on offer; codes already issued still work"),
              (status = 403, description = "Operators only", body = ErrorBody),
              (status = 404, description = "No such reward on offer", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn retire(State(state): State<AppState>, user: AuthUser, Path(id): Path<String>) -> Result<StatusCode> {
    user.require(Role::Operator)?;
    let retired = sqlx::query("UPDATE rewards SET active = 0 WHERE id = $1 AND active = 1")
        .bind(&id)
        .execute(state.db.pool())
        .await?
        .rows_affected();
    if retired == 0 {
        return Err(Error::NotFound);
    }
    tracing::info!(reward = %id, "reward retired");
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/v1/rewards/{id}/redeem", tag = "rewards", security(("bearer" = [])),
    params(("id" = String, Path, description = "The reward")), request_body = RedeemRequest,
    responses((status = 201, description = "Points spent; the code to show", body = Redemption),
              (status = 200, description = "Redeemed before (a retry): the same code", body = Redemption),
              (status = 404, description = "No such reward", body = ErrorBody),
              (status = 409, description = "Not enough points", body = ErrorBody),
              (status = 422, description = "A field broke a rule", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn redeem(
    State(state): State<AppState>,
    user: AuthUser,
    Path(reward_id): Path<String>,
    AppJson(request): AppJson<RedeemRequest>,
) -> Result<(StatusCode, AppJson<Redemption>)> {
    if uuid::Uuid::parse_str(&request.redemption_id).is_err() {
        return Err(Error::InvalidField { field: "redemptionId".into(), reason: "expected a UUID".into() });
    }
    let now = crate::now_ms();
    let points: Option<i64> = sqlx::query_scalar("SELECT points FROM rewards WHERE id = $1 AND active = 1")
        .bind(&reward_id)
        .fetch_optional(state.db.pool())
        .await?;
    let points = points.ok_or(Error::NotFound)?;
    // Spend first: the ledger's transfer (id derived from the redemption) is both the overdraft
    // check and the idempotency key, and its first statement is a write.
    let mut tx = state.db.pool().begin().await?;
    let spend = TransferRequest {
        id: format!("redeem:{}", request.redemption_id),
        kind: TransferKind::Redeem,
        user_id: user.user_id.clone(),
        amount: u64::try_from(points).map_err(|_| Error::CorruptData(format!("reward points {points}")))?,
        memo: format!("reward: {reward_id}"),
        challenge_id: None,
        reward_id: Some(reward_id.clone()),
    };
    let status = match ledger::apply_in(&mut tx, &spend, now).await? {
        Applied::New(_) => {
            sqlx::query(
                "INSERT INTO redemptions (id, user_id, reward_id, points, status, issued_at_ms, expires_at_ms) \
                 VALUES ($1, $2, $3, $4, 'issued', $5, $6)",
            )
            .bind(&request.redemption_id)
            .bind(&user.user_id)
            .bind(&reward_id)
            .bind(points)
            .bind(now)
            .bind(now.saturating_add(CODE_LIFETIME_MS))
            .execute(&mut *tx)
            .await?;
            StatusCode::CREATED
        }
        Applied::Duplicate(_) => StatusCode::OK,
    };
    let redemption = load(&mut tx, &state.code_key, &request.redemption_id).await?;
    tx.commit().await?;
    if redemption.reward_id != reward_id {
        return Err(Error::Taken { field: "redemptionId" });
    }
    Ok((status, AppJson(redemption)))
}

#[utoipa::path(get, path = "/v1/me/redemptions", tag = "rewards", security(("bearer" = [])),
    responses((status = 200, description = "The account's redemptions, newest first", body = Vec<Redemption>)))]
#[tracing::instrument(skip_all)]
async fn mine(State(state): State<AppState>, user: AuthUser) -> Result<AppJson<Vec<Redemption>>> {
    let now = crate::now_ms();
    let mut tx = state.db.pool().begin().await?;
    refund_expired(&mut tx, &user.user_id, now).await?;
    let ids: Vec<(String,)> = sqlx::query_as(
        "SELECT id FROM redemptions WHERE user_id = $1 ORDER BY issued_at_ms DESC, id DESC LIMIT 100",
    )
    .bind(&user.user_id)
    .fetch_all(&mut *tx)
    .await?;
    let mut all = Vec::with_capacity(ids.len());
    for (id,) in ids {
        all.push(load(&mut tx, &state.code_key, &id).await?);
    }
    tx.commit().await?;
    Ok(AppJson(all))
}

#[utoipa::path(post, path = "/v1/staff/redemptions/consume", tag = "rewards", security(("bearer" = [])),
    request_body = ConsumeRequest,
    responses((status = 200, description = "Consumed: hand over the reward", body = Redemption),
              (status = 403, description = "Store staff only", body = ErrorBody),
              (status = 409, description = "Used already", body = ErrorBody),
              (status = 410, description = "Expired; the points went back", body = ErrorBody),
              (status = 422, description = "Not a genuine code", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn consume(
    State(state): State<AppState>,
    staff: AuthUser,
    AppJson(request): AppJson<ConsumeRequest>,
) -> Result<AppJson<Redemption>> {
    staff.require(Role::Staff)?;
    let Some((id, _expires_at_ms)) = verify(&state.code_key, &request.code) else {
        return Err(Error::InvalidField {
            field: "code".into(),
            reason: "not a genuine Hearth reward code".into(),
        });
    };
    let now = crate::now_ms();
    let mut tx = state.db.pool().begin().await?;
    let consumed = sqlx::query(
        "UPDATE redemptions SET status = 'consumed', consumed_at_ms = $1, consumed_by = $2 \
         WHERE id = $3 AND status = 'issued' AND expires_at_ms > $1",
    )
    .bind(now)
    .bind(&staff.user_id)
    .bind(&id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if consumed == 0 {
        let status: Option<String> = sqlx::query_scalar("SELECT status FROM redemptions WHERE id = $1")
            .bind(&id)
            .fetch_optional(&mut *tx)
            .await?;
        // Not issued and unexpired: used already, or expired (and refunded, or about to be).
        return Err(match status.as_deref() {
            None => Error::NotFound,
            Some("consumed") => Error::CodeUsed,
            Some(_) => Error::CodeExpired,
        });
    }
    let redemption = load(&mut tx, &state.code_key, &id).await?;
    tx.commit().await?;
    tracing::info!(redemption = %id, staff = %staff.user_id, "reward code consumed");
    Ok(AppJson(redemption))
}

/// Gives back the points of `user_id`'s codes that expired unused, once each: the status moves
/// from issued to refunded under a guard, and the refund's transfer id derives from the
/// redemption.
pub async fn refund_expired(tx: &mut AnyConnection, user_id: &str, now_ms: i64) -> Result<()> {
    let expired: Vec<(String, i64, String)> = sqlx::query_as(
        "SELECT id, points, reward_id FROM redemptions WHERE user_id = $1 AND status = 'issued' AND expires_at_ms <= $2",
    )
    .bind(user_id)
    .bind(now_ms)
    .fetch_all(&mut *tx)
    .await?;
    for (id, points, reward_id) in expired {
        let updated =
            sqlx::query("UPDATE redemptions SET status = 'refunded' WHERE id = $1 AND status = 'issued'")
                .bind(&id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        if updated == 1 {
            let refund = TransferRequest {
                id: format!("refund:{id}"),
                kind: TransferKind::Refund,
                user_id: user_id.to_owned(),
                amount: u64::try_from(points).map_err(|_| Error::CorruptData(format!("points {points}")))?,
                memo: "reward code expired unused".into(),
                challenge_id: None,
                reward_id: Some(reward_id),
            };
            ledger::apply_in(tx, &refund, now_ms).await?;
            tracing::info!(redemption = %id, points, "unused reward code refunded");
        }
    }
    Ok(())
}

async fn load(conn: &mut AnyConnection, key: &[u8], id: &str) -> Result<Redemption> {
    let row = sqlx::query(
        "SELECT id, reward_id, points, status, expires_at_ms, consumed_at_ms FROM redemptions WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(Error::NotFound)?;
    let status: String = row.try_get("status")?;
    let points: i64 = row.try_get("points")?;
    let expires_at_ms: i64 = row.try_get("expires_at_ms")?;
    Ok(Redemption {
        id: id.to_owned(),
        reward_id: row.try_get("reward_id")?,
        points: u32::try_from(points).map_err(|_| Error::CorruptData(format!("points {points}")))?,
        status: RedemptionStatus::from_storage(&status)
            .ok_or_else(|| Error::CorruptData(format!("redemption status `{status}`")))?,
        code: sign(key, id, expires_at_ms),
        expires_at_ms,
        consumed_at_ms: row.try_get("consumed_at_ms")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn genuine_codes_verify_and_altered_ones_do_not() {
        let key = [7u8; 32];
        let code = sign(&key, "0190-abc", 1_800_000_000_000);
        assert_eq!(verify(&key, &code), Some(("0190-abc".to_owned(), 1_800_000_000_000)));
        assert_eq!(verify(&key, &format!("  {code}\n")).map(|(id, _)| id).as_deref(), Some("0190-abc"));
        // Another key, a longer expiry, another redemption, garbage.
        assert_eq!(verify(&[8u8; 32], &code), None);
        assert_eq!(verify(&key, &code.replace("1800000000000", "1900000000000")), None);
        assert_eq!(verify(&key, &code.replace("0190-abc", "0190-abd")), None);
        for bad in ["", "hearth1", "hearth1.a.b", "x.y.z.w", "hearth1.a.1.!!!"] {
            assert_eq!(verify(&key, bad), None, "{bad:?}");
        }
    }
}
