//! The user's wallet as the app reads it: the balance (after codes that expired unused gave their
//! points back and points past their lifetime moved out) and the history of transfers. Above the
//! ledger and rewards, which it reads through.

use axum::extract::State;
use hearth_core::api::ErrorBody;
use hearth_core::ledger::{HistoryPage, WalletView};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::Result;
use crate::extract::{AppJson, AppQuery, page_limit};
use crate::session::AuthUser;
use crate::{ledger, rewards};

/// Routes of this resource.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(wallet)).routes(routes!(history))
}

#[utoipa::path(get, path = "/v1/wallet", tag = "points", security(("bearer" = [])),
    responses((status = 200, description = "Spendable points and what expires soon", body = WalletView),
              (status = 401, description = "No valid session", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn wallet(State(state): State<AppState>, user: AuthUser) -> Result<AppJson<WalletView>> {
    let now = crate::now_ms();
    // Codes that expired unused give their points back before the balance is shown.
    let mut tx = state.db.pool().begin().await?;
    ledger::ensure_wallet(&mut tx, &user.user_id).await?;
    rewards::refund_expired(&mut tx, &user.user_id, now).await?;
    let view = ledger::settled_view(&mut tx, &user.user_id, now).await?;
    tx.commit().await?;
    Ok(AppJson(view))
}

/// Query of `GET /v1/wallet/history`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct HistoryQuery {
    /// The `nextCursor` of the previous page.
    #[param(pattern = r"^[0-9]{1,18}:[^\u0000]*$")]
    before: Option<String>,
    /// Entries per page, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    limit: Option<u32>,
}

#[utoipa::path(get, path = "/v1/wallet/history", tag = "points", security(("bearer" = [])), params(HistoryQuery),
    responses((status = 200, description = "A page of transfers, newest first", body = HistoryPage),
              (status = 401, description = "No valid session", body = ErrorBody),
              (status = 422, description = "A bad cursor or limit", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn history(
    State(state): State<AppState>,
    user: AuthUser,
    AppQuery(query): AppQuery<HistoryQuery>,
) -> Result<AppJson<HistoryPage>> {
    let limit = page_limit(query.limit, 20, 100)?;
    Ok(AppJson(ledger::history_page(state.db.pool(), &user.user_id, query.before.as_deref(), limit).await?))
}
