//! Wire types of the server's HTTP API that are not tied to one resource.

use serde::{Deserialize, Serialize};

/// The body of every error answer: `{"error": {"code": ..., "message": ..., "field": ...}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// What went wrong.
    pub error: ErrorDetail,
}

/// One error answer's content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    /// Stable machine-readable code (`not-found`, `invalid-field`, `unavailable`, ...).
    pub code: String,
    /// A sentence for developers and logs; never internals such as SQL or stack traces.
    pub message: String,
    /// The offending request field, in its wire spelling, when one is to blame.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// The body of `GET /health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// `ok` when every dependency answers, `degraded` otherwise.
    pub status: HealthState,
    /// Whether the database answered a trivial query.
    pub database: HealthState,
}

/// One dependency's health.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum HealthState {
    /// Answering.
    Ok,
    /// Not answering in time.
    Unavailable,
}
