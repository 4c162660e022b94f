//! The points ledger: applies transfers at most once, never lets a wallet go negative, expires
//! points when their lifetime is over, and reads the wallet and its history for
//! [`crate::wallet`], which serves them.
//!
//! Every change happens in one database transaction that begins with a write, so SQLite takes
//! its write lock up front (no lock upgrade to deadlock on) and PostgreSQL's row locks order
//! concurrent transfers on one wallet. The rules (which accounts, which points expire, which are
//! spent first) are in `hearth_core::ledger`.

use axum::extract::State;
use axum::http::StatusCode;
use hearth_core::account::Role;
use hearth_core::api::ErrorBody;
use hearth_core::ledger::{
    GrantRequest, Lot, POINTS_LIFETIME_MS, TransferKind, WalletView, check_amount, due_for_expiry, open_lots,
    wallet_account, wallet_view,
};
pub use hearth_core::ledger::{HistoryPage, Transfer};
use sqlx::{Any, AnyConnection, Row};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::db::Db;
use crate::error::{Error, Result};
use crate::extract::AppJson;
use crate::session::AuthUser;

/// Routes of this resource.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(grant))
}

/// A request to move points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferRequest {
    /// Chosen by the client (a UUID) so that a retry is recognised; derived for expiry.
    pub id: String,
    /// Why the points move.
    pub kind: TransferKind,
    /// Whose wallet.
    pub user_id: String,
    /// How many points.
    pub amount: u64,
    /// A note for the history (the challenge completed, the reward redeemed, ...).
    pub memo: String,
    /// The challenge whose completion earns the points.
    pub challenge_id: Option<String>,
    /// The reward the points are spent on or given back from.
    pub reward_id: Option<String>,
}

/// What applying a transfer did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applied {
    /// It was applied now.
    New(Transfer),
    /// It had been applied before (a retry); nothing changed.
    Duplicate(Transfer),
}

/// Applies `request` at most once: a retry with the same id and content returns the original
/// transfer; the same id with other content is refused.
pub async fn apply(db: &Db, request: &TransferRequest, now_ms: i64) -> Result<Applied> {
    let mut tx = db.pool().begin().await?;
    let applied = apply_in(&mut tx, request, now_ms).await?;
    tx.commit().await?;
    Ok(applied)
}

/// [`apply`] inside the caller's transaction, so that points move together with whatever earned
/// them. When called first in a transaction its first statement is a write (see
/// [`ensure_wallet`]).
pub async fn apply_in(tx: &mut AnyConnection, request: &TransferRequest, now_ms: i64) -> Result<Applied> {
    check_amount(request.amount).map_err(|reason| Error::InvalidField { field: "amount".into(), reason })?;
    ensure_wallet(tx, &request.user_id).await?;
    // Points past their lifetime leave before anything is spent from the wallet.
    expire_due(tx, &request.user_id, now_ms).await?;
    let applied = insert_and_move(tx, request, now_ms).await?;
    if let Applied::New(_) = &applied {
        // Devices pulling the change feed keep a wallet view that works offline.
        let view = wallet_view(&load_open_lots(tx, &request.user_id).await?, now_ms);
        crate::changes::record(tx, &request.user_id, "wallet", &request.user_id, &view).await?;
    }
    Ok(applied)
}

async fn insert_and_move(tx: &mut AnyConnection, request: &TransferRequest, now_ms: i64) -> Result<Applied> {
    let (from, to) = request.kind.accounts(&request.user_id);
    let expires_at_ms = request.kind.credits_wallet().then(|| now_ms.saturating_add(POINTS_LIFETIME_MS));
    let amount = i64::try_from(request.amount)
        .map_err(|_| Error::InvalidField { field: "amount".into(), reason: "too large".into() })?;
    let inserted = sqlx::query::<Any>(
        "INSERT INTO ledger_transfers (id, kind, user_id, from_account, to_account, amount, memo, \
         created_at_ms, expires_at_ms, challenge_id, reward_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(&request.id)
    .bind(request.kind.as_str())
    .bind(&request.user_id)
    .bind(&from)
    .bind(&to)
    .bind(amount)
    .bind(&request.memo)
    .bind(now_ms)
    .bind(expires_at_ms)
    .bind(&request.challenge_id)
    .bind(&request.reward_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if inserted == 0 {
        let row = sqlx::query(
            "SELECT id, kind, user_id, amount, memo, created_at_ms, expires_at_ms, challenge_id, reward_id \
             FROM ledger_transfers WHERE id = $1",
        )
        .bind(&request.id)
        .fetch_one(&mut *tx)
        .await?;
        let user_id: String = row.try_get("user_id")?;
        let existing = transfer_from_row(&row)?;
        if existing.kind != request.kind || existing.amount != request.amount || user_id != request.user_id {
            return Err(Error::Taken { field: "id" });
        }
        return Ok(Applied::Duplicate(existing));
    }
    let debited = sqlx::query(
        "UPDATE ledger_accounts SET balance = balance - $1 WHERE id = $2 AND (kind = 'issuance' OR balance >= $1)",
    )
    .bind(amount)
    .bind(&from)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if debited == 0 {
        return Err(Error::InsufficientPoints);
    }
    sqlx::query("UPDATE ledger_accounts SET balance = balance + $1 WHERE id = $2")
        .bind(amount)
        .bind(&to)
        .execute(&mut *tx)
        .await?;
    Ok(Applied::New(Transfer {
        id: request.id.clone(),
        kind: request.kind,
        amount: request.amount,
        memo: request.memo.clone(),
        created_at_ms: now_ms,
        expires_at_ms,
        challenge_id: request.challenge_id.clone(),
        reward_id: request.reward_id.clone(),
    }))
}

/// Creates the wallet account on first use. It is each ledger transaction's first statement, and
/// a write, so SQLite takes its write lock at once rather than upgrading a read lock later
/// (which can fail under concurrency). An unknown user fails the foreign key: 404.
pub async fn ensure_wallet(tx: &mut AnyConnection, user_id: &str) -> Result<()> {
    let inserted = sqlx::query(
        "INSERT INTO ledger_accounts (id, kind, user_id, balance) VALUES ($1, 'wallet', $2, 0) \
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(wallet_account(user_id))
    .bind(user_id)
    .execute(&mut *tx)
    .await;
    match inserted {
        Err(sqlx::Error::Database(e)) if e.is_foreign_key_violation() => Err(Error::NotFound),
        other => other.map(|_| ()).map_err(Error::from),
    }
}

/// Moves a wallet's points that are past their lifetime to the expired account. The transfer's
/// id derives from the user and the expiry, so concurrent or repeated runs expire them once.
async fn expire_due(tx: &mut AnyConnection, user_id: &str, now_ms: i64) -> Result<()> {
    // Only lots expiring since the wallet was last settled can be due: one indexed look.
    let newly_due: Option<i64> = sqlx::query_scalar(
        "SELECT t.expires_at_ms FROM ledger_transfers t JOIN ledger_accounts a ON a.id = $2 \
         WHERE t.user_id = $1 AND t.expires_at_ms > a.expired_through_ms AND t.expires_at_ms <= $3 LIMIT 1",
    )
    .bind(user_id)
    .bind(wallet_account(user_id))
    .bind(now_ms)
    .fetch_optional(&mut *tx)
    .await?;
    if newly_due.is_none() {
        return Ok(());
    }
    let open = load_open_lots(tx, user_id).await?;
    if let Some((amount, latest)) = due_for_expiry(&open, now_ms) {
        let request = TransferRequest {
            id: format!("expire:{user_id}:{latest}"),
            kind: TransferKind::Expire,
            user_id: user_id.to_owned(),
            amount,
            memo: "points expired".to_owned(),
            challenge_id: None,
            reward_id: None,
        };
        match insert_and_move(tx, &request, now_ms).await? {
            Applied::New(_) => tracing::info!(user = %user_id, amount, "points expired"),
            Applied::Duplicate(_) => {}
        }
    }
    sqlx::query(
        "UPDATE ledger_accounts SET expired_through_ms = $1 WHERE id = $2 AND expired_through_ms < $1",
    )
    .bind(now_ms)
    .bind(wallet_account(user_id))
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The wallet's lots that still hold points: its credits, less everything debited, soonest
/// expiring spent first.
async fn load_open_lots(tx: &mut AnyConnection, user_id: &str) -> Result<Vec<Lot>> {
    let rows = sqlx::query("SELECT kind, amount, expires_at_ms FROM ledger_transfers WHERE user_id = $1")
        .bind(user_id)
        .fetch_all(&mut *tx)
        .await?;
    let mut credits = Vec::new();
    let mut debited = 0u64;
    for row in &rows {
        let kind: String = row.try_get("kind")?;
        let kind = TransferKind::from_storage(&kind)
            .ok_or_else(|| Error::CorruptData(format!("transfer kind `{kind}`")))?;
        let amount = row.try_get::<i64, _>("amount")?;
        let amount = u64::try_from(amount).map_err(|_| Error::CorruptData(format!("amount {amount}")))?;
        if kind.credits_wallet() {
            let expires_at_ms: Option<i64> = row.try_get("expires_at_ms")?;
            credits.push(Lot { amount, expires_at_ms: expires_at_ms.unwrap_or(i64::MAX) });
        } else {
            debited += amount;
        }
    }
    Ok(open_lots(&credits, debited))
}

/// The wallet of `user_id` at `now_ms`, after moving out any points past their lifetime.
pub async fn wallet_of(db: &Db, user_id: &str, now_ms: i64) -> Result<WalletView> {
    let mut tx = db.pool().begin().await?;
    ensure_wallet(&mut tx, user_id).await?;
    let view = settled_view(&mut tx, user_id, now_ms).await?;
    tx.commit().await?;
    Ok(view)
}

/// The wallet after moving out points past their lifetime, in the caller's transaction (whose
/// first statement must already have been a write: [`ensure_wallet`]).
pub async fn settled_view(tx: &mut AnyConnection, user_id: &str, now_ms: i64) -> Result<WalletView> {
    expire_due(tx, user_id, now_ms).await?;
    let open = load_open_lots(tx, user_id).await?;
    Ok(wallet_view(&open, now_ms))
}

fn transfer_from_row(row: &sqlx::any::AnyRow) -> Result<Transfer> {
    let kind: String = row.try_get("kind")?;
    let amount: i64 = row.try_get("amount")?;
    Ok(Transfer {
        id: row.try_get("id")?,
        kind: TransferKind::from_storage(&kind)
            .ok_or_else(|| Error::CorruptData(format!("transfer kind `{kind}`")))?,
        amount: u64::try_from(amount).map_err(|_| Error::CorruptData(format!("amount {amount}")))?,
        memo: row.try_get("memo")?,
        created_at_ms: row.try_get("created_at_ms")?,
        expires_at_ms: row.try_get("expires_at_ms")?,
        challenge_id: row.try_get("challenge_id")?,
        reward_id: row.try_get("reward_id")?,
    })
}

/// A page of `user_id`'s transfers, newest first: at most `limit` of those before the cursor
/// `before` (the `nextCursor` of the previous page), and the cursor of the next page if any.
pub async fn history_page(
    pool: &sqlx::AnyPool,
    user_id: &str,
    before: Option<&str>,
    limit: u32,
) -> Result<HistoryPage> {
    // The cursor is the (time, id) of the last entry shown: stable under concurrent inserts.
    let (before_ms, before_id) = match before {
        None => (i64::MAX, "\u{10FFFF}".to_owned()),
        Some(cursor) => cursor
            .split_once(':')
            .and_then(|(ms, id)| Some((ms.parse::<i64>().ok()?, id.to_owned())))
            .ok_or_else(|| Error::InvalidField {
                field: "before".into(),
                reason: "not a cursor from this API".into(),
            })?,
    };
    let rows = sqlx::query(
        "SELECT id, kind, amount, memo, created_at_ms, expires_at_ms, challenge_id, reward_id FROM ledger_transfers \
         WHERE user_id = $1 AND (created_at_ms < $2 OR (created_at_ms = $2 AND id < $3)) \
         ORDER BY created_at_ms DESC, id DESC LIMIT $4",
    )
    .bind(user_id)
    .bind(before_ms)
    .bind(before_id)
    .bind(i64::from(limit) + 1)
    .fetch_all(pool)
    .await?;
    let mut entries = rows.iter().map(transfer_from_row).collect::<Result<Vec<_>>>()?;
    let next_cursor = if entries.len() > limit as usize {
        entries.truncate(limit as usize);
        entries.last().map(|t| format!("{}:{}", t.created_at_ms, t.id))
    } else {
        None
    };
    Ok(HistoryPage { entries, next_cursor })
}

#[utoipa::path(post, path = "/v1/operator/grants", tag = "points", security(("bearer" = [])), request_body = GrantRequest,
    responses((status = 201, description = "Points granted", body = Transfer),
              (status = 200, description = "Granted before (a retry): the original", body = Transfer),
              (status = 403, description = "Operators only", body = ErrorBody), (status = 404, description = "No such user", body = ErrorBody),
              (status = 409, description = "The id was used for another grant", body = ErrorBody),
              (status = 422, description = "A field broke a rule", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn grant(
    State(state): State<AppState>,
    operator: AuthUser,
    AppJson(body): AppJson<GrantRequest>,
) -> Result<(StatusCode, AppJson<Transfer>)> {
    operator.require(Role::Operator)?;
    if uuid::Uuid::parse_str(&body.id).is_err() {
        return Err(Error::InvalidField { field: "id".into(), reason: "expected a UUID".into() });
    }
    if body.memo.trim().is_empty() || body.memo.chars().count() > 200 {
        return Err(Error::InvalidField {
            field: "memo".into(),
            reason: "expected 1 to 200 characters".into(),
        });
    }
    let request = TransferRequest {
        id: body.id,
        kind: TransferKind::Award,
        user_id: body.user_id,
        amount: body.amount,
        memo: body.memo,
        challenge_id: None,
        reward_id: None,
    };
    match apply(&state.db, &request, crate::now_ms()).await? {
        Applied::New(transfer) => Ok((StatusCode::CREATED, AppJson(transfer))),
        Applied::Duplicate(transfer) => Ok((StatusCode::OK, AppJson(transfer))),
    }
}
