//! `GET /health`: whether this instance and its database answer, for load balancers and the
//! run script's readiness wait.

use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use hearth_core::api::{Health, HealthState};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

/// A database that has not answered `SELECT 1` in this long counts as unavailable; a load
/// balancer's health check usually gives up after a few seconds.
const PING_TIMEOUT: Duration = Duration::from_secs(2);

/// Routes of this resource.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(health))
}

#[utoipa::path(get, path = "/health", tag = "ops",
    responses((status = 200, description = "The instance and its database answer", body = Health),
              (status = 503, description = "The database does not answer", body = Health)))]
async fn health(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    let database = match tokio::time::timeout(PING_TIMEOUT, state.db.ping()).await {
        Ok(Ok(())) => HealthState::Ok,
        Ok(Err(error)) => {
            tracing::warn!(%error, "health check: database did not answer");
            HealthState::Unavailable
        }
        Err(_) => {
            tracing::warn!(timeout = ?PING_TIMEOUT, "health check: database timed out");
            HealthState::Unavailable
        }
    };
    let status = if database == HealthState::Ok { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (status, Json(Health { status: database, database }))
}
