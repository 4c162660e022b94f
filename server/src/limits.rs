//! Rate limits, per instance and in memory (governor's GCRA): per client address on sign-up and
//! sign-in, per session (or address, without one) on every write. They keep one client from
//! flooding an instance; the database-backed rules (idempotency, balances) keep the data right
//! whatever gets through.

use std::hash::Hash;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request, Response};
use axum::response::IntoResponse;
use governor::middleware::NoOpMiddleware;
use tower_governor::governor::{GovernorConfig, GovernorConfigBuilder};
use tower_governor::key_extractor::{KeyExtractor, PeerIpKeyExtractor};
use tower_governor::{GovernorError, GovernorLayer};

use crate::error::Error;

/// A layer allowing `burst` requests per key at once, then one more every `replenish`.
pub fn per_peer(burst: u32, replenish: Duration) -> GovernorLayer<PeerIpKeyExtractor, NoOpMiddleware, Body> {
    layer(PeerIpKeyExtractor, burst, replenish, None)
}

/// Like [`per_peer`] for writes only (POST, PUT, PATCH, DELETE), keyed by session when the
/// request carries one.
pub fn writes_per_session(
    burst: u32,
    replenish: Duration,
) -> GovernorLayer<SessionOrPeer, NoOpMiddleware, Body> {
    layer(
        SessionOrPeer,
        burst,
        replenish,
        Some(vec![Method::POST, Method::PUT, Method::PATCH, Method::DELETE]),
    )
}

fn layer<K>(
    key: K,
    burst: u32,
    replenish: Duration,
    methods: Option<Vec<Method>>,
) -> GovernorLayer<K, NoOpMiddleware, Body>
where
    K: KeyExtractor + Send + Sync + 'static,
    K::Key: Send + Sync + 'static,
{
    let mut builder = GovernorConfigBuilder::default().key_extractor(key);
    builder.period(replenish.max(Duration::from_millis(1))).burst_size(burst.max(1));
    if let Some(methods) = methods {
        builder.methods(methods);
    }
    let config: Arc<GovernorConfig<K, NoOpMiddleware>> =
        Arc::new(builder.finish().unwrap_or_else(|| unreachable!("period and burst are non-zero")));
    // Forget idle clients now and then so memory stays bounded; stop once the layer is gone.
    let limiter = Arc::downgrade(config.limiter());
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tick.tick().await;
            let Some(limiter) = limiter.upgrade() else { break };
            limiter.retain_recent();
        }
    });
    GovernorLayer::new(config).error_handler(answer)
}

/// Rate-limit refusals in the API's own error shape, with `Retry-After`.
fn answer(error: GovernorError) -> Response<Body> {
    match error {
        GovernorError::TooManyRequests { wait_time, .. } => {
            Error::RateLimited { retry_after_secs: wait_time.max(1) }.into_response()
        }
        other => Error::Task(format!("rate limiter: {other}")).into_response(),
    }
}

/// Keys a request by the hash of its bearer token, or by the peer address without one.
#[derive(Debug, Clone, Copy)]
pub struct SessionOrPeer;

/// The key of [`SessionOrPeer`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ClientKey {
    /// A session, by the hash of its token (the token itself is not kept).
    Session(String),
    /// A client without a session, by address.
    Peer(std::net::IpAddr),
}

impl KeyExtractor for SessionOrPeer {
    type Key = ClientKey;

    fn extract<T>(&self, request: &Request<T>) -> Result<ClientKey, GovernorError> {
        let bearer = request
            .headers()
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        if let Some(token) = bearer {
            return Ok(ClientKey::Session(crate::session::hash_token(token.trim())));
        }
        request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| ClientKey::Peer(addr.ip()))
            .ok_or(GovernorError::UnableToExtractKey)
    }
}
