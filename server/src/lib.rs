//! Hearth's backend API, the source of truth for accounts and sessions, households, the challenge
//! catalog and participation, the points ledger and wallet, rewards and their codes, the weekly
//! league, help requests, the community (groups, posts and stories, photos, comments, reactions,
//! expert sessions, reports and moderation, blocks) and the sync protocol's change log.
//!
//! This crate owns HTTP routing, persistence (SQLite by default, PostgreSQL to scale out) and
//! start-up (migrations, seed content). Domain rules live in `hearth-core`; handlers translate
//! HTTP to those rules and back. The server keeps no state between requests beyond its database,
//! so several instances can share one PostgreSQL.
//!
//! Modules run one way (`scripts/import-cycles.py` checks it): infrastructure at the bottom
//! (`error`, `extract`, `db`, `config`, `etag`, `limits`), then `session` (who is asking),
//! `changes` (the change log every feature records into), `audience` (who may see a post) and
//! `profiles`; then the features, each a resource with its `router()`; `wallet` above the
//! ledger and rewards it reads; `sync` above the features whose ops it applies.

pub mod admin;
pub mod audience;
pub mod auth;
pub mod challenges;
pub mod changes;
pub mod community;
pub mod config;
pub mod db;
pub mod demo;
pub mod email_change;
pub mod error;
pub mod etag;
pub mod experts;
pub mod extract;
pub mod family;
pub mod health;
pub mod help;
pub mod households;
pub mod league;
pub mod ledger;
pub mod limits;
pub mod mail;
pub mod mailed_codes;
pub mod participation;
pub mod photos;
pub mod profiles;
pub mod recovery;
pub mod rewards;
pub mod seed;
pub mod session;
pub mod sync;
pub mod wallet;

use std::net::SocketAddr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::middleware::{self, Next};
use axum::response::Response;
use tokio::net::TcpListener;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use config::Config;
pub use db::{Backend, Db};
pub use error::{Error, Result};

/// Largest request body accepted, before any handler sees it. Photo uploads have their own,
/// larger limit ([`photos::MAX_UPLOAD_BYTES`]) on their own route.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// A request still running after this long is answered 408 and dropped.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// What every handler can reach.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// Sign-up and sign-in attempts one client address may make in a burst.
    pub auth_burst: u32,
    /// How often one more attempt is allowed after the burst.
    pub auth_replenish: Duration,
    /// Writes one session (or address) may make in a burst.
    pub write_burst: u32,
    /// How often one more write is allowed after the burst.
    pub write_replenish: Duration,
    /// The key that signs reward codes, the same on every instance.
    pub code_key: std::sync::Arc<Vec<u8>>,
    /// Where photo files are kept.
    pub media: std::sync::Arc<photos::MediaStore>,
    /// Photo uploads decoded at once (each may hold a few hundred MiB while it decodes).
    pub photo_permits: std::sync::Arc<tokio::sync::Semaphore>,
    /// People in one weekly-league group, at most.
    pub league_group_size: usize,
    /// Outgoing mail.
    pub mailer: std::sync::Arc<mail::Mailer>,
}

/// The API's description; each route adds its own operation, so the document cannot drift from
/// the routes actually served.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(title = "Hearth API", description = "The backend of the Hearth companion app. Errors share one shape: \
        `{\"error\": {\"code\", \"message\", \"field\"}}`."),
    modifiers(&BearerAuth),
    tags(
        (name = "ops", description = "Health"),
        (name = "auth", description = "Accounts and sessions"),
        (name = "challenges", description = "The catalog, taking part, events"),
        (name = "points", description = "The points ledger"),
        (name = "rewards", description = "Rewards and redemption codes"),
        (name = "league", description = "The opt-in weekly league"),
        (name = "sync", description = "Offline-first sync: push queued ops, pull changes"),
        (name = "households", description = "Households, seniors and their family contacts"),
        (name = "community", description = "Groups, posts and family stories, photos, comments, reactions, expert sessions, reports, moderation, blocks")
    )
)]
struct ApiDoc;

/// Declares the `bearer` scheme that protected operations name.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        openapi.components.get_or_insert_with(Default::default).add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The routes and their OpenAPI document.
pub fn api(state: &AppState) -> (Router<AppState>, utoipa::openapi::OpenApi) {
    use utoipa::OpenApi as _;
    let (routes, mut document) = utoipa_axum::router::OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(health::router())
        .merge(challenges::router())
        .merge(auth::router(state.auth_burst, state.auth_replenish))
        .merge(recovery::router(state.auth_burst, state.auth_replenish))
        .merge(email_change::router(state.auth_burst, state.auth_replenish))
        .merge(admin::router())
        .merge(ledger::router())
        .merge(wallet::router())
        .merge(league::router())
        .merge(participation::router())
        .merge(rewards::router())
        .merge(sync::router())
        .merge(households::router())
        .merge(family::router(state.auth_burst, state.auth_replenish))
        .merge(help::router())
        .merge(community::router())
        .merge(experts::router())
        .merge(photos::router())
        .split_for_parts();
    document_common_answers(&mut document);
    (routes, document)
}

/// Adds to every operation the answers that layers and extractors give whatever the handler
/// does, so the document lists every status an operation can answer: 401 where a session is
/// required (the session extractor), 429 on writes (the per-session write limit), 400, 413, 415
/// and 422 where a JSON body is read (the JSON extractor and the body limit), 422 where a query is
/// read (the query extractor), and 408 everywhere (the request timeout). A handler's own wording of one of these is kept.
pub fn document_common_answers(document: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::path::ParameterIn;
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    let error = |description: &str| {
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/json",
                ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build(),
            )
            .build()
    };
    for item in document.paths.paths.values_mut() {
        let writes = [&mut item.post, &mut item.put, &mut item.patch, &mut item.delete];
        let reads = [&mut item.get, &mut item.head, &mut item.options, &mut item.trace];
        let operations = writes.into_iter().map(|o| (o, true)).chain(reads.into_iter().map(|o| (o, false)));
        for (operation, is_write) in operations {
            let Some(operation) = operation.as_mut() else { continue };
            let protected = operation.security.as_ref().is_some_and(|s| !s.is_empty());
            let json_body =
                operation.request_body.as_ref().is_some_and(|b| b.content.contains_key("application/json"));
            let query = operation.parameters.iter().flatten().any(|p| p.parameter_in == ParameterIn::Query);
            // The timeout layer answers with an empty body, not the error shape.
            operation.responses.responses.entry("408".to_owned()).or_insert_with(|| {
                ResponseBuilder::new().description("The request took too long and was dropped").build().into()
            });
            let mut answers = Vec::new();
            if protected {
                answers.push(("401", "No valid session (missing, unknown or expired token)"));
            }
            if is_write {
                answers.push(("429", "Too many writes from this session or address; see Retry-After"));
            }
            if json_body {
                answers.push(("400", "The body is not JSON of this shape"));
                answers.push(("413", "The body is larger than the API accepts"));
                answers.push(("415", "The body is not application/json"));
            }
            if json_body || query {
                answers.push(("422", "A field or query parameter does not fit the operation's schema"));
            }
            for (status, description) in answers {
                operation
                    .responses
                    .responses
                    .entry(status.to_owned())
                    .or_insert_with(|| error(description).into());
            }
        }
    }
}

/// The whole API as one router, with its document at `/openapi.json`; `main` and the tests share
/// it. Serve it with `into_make_service_with_connect_info::<SocketAddr>()`: rate limits key on
/// the peer address.
pub fn app(state: AppState) -> Router {
    let (routes, document) = api(&state);
    let mut document = serde_json::to_value(&document).unwrap_or_default();
    // Error answers quote what was sent (an unknown field's name), so they are left as they are.
    let errors = document["components"]["schemas"].as_object_mut().and_then(|s| s.remove("ErrorDetail"));
    extract::document_no_nul(&mut document);
    extract::know_fields(&document);
    if let (Some(errors), Some(schemas)) = (errors, document["components"]["schemas"].as_object_mut()) {
        schemas.insert("ErrorDetail".into(), errors);
    }
    let document = std::sync::Arc::new(document);
    routes
        .route(
            "/openapi.json",
            axum::routing::get(move || async move { axum::Json(document.as_ref().clone()) }),
        )
        .layer(limits::writes_per_session(state.write_burst, state.write_replenish))
        .fallback(|| async { Error::NotFound })
        .method_not_allowed_fallback(|| async { Error::MethodNotAllowed })
        .layer(middleware::from_fn(extract::refuse_nul))
        .layer(middleware::from_fn(log_errors))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::REQUEST_TIMEOUT, REQUEST_TIMEOUT))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Logs the cause of every failed request inside the request's trace span. Causes stay in the
/// log; the client gets only the public error body.
async fn log_errors(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if let Some(cause) = response.extensions().get::<error::ErrorCause>() {
        if response.status().is_server_error() {
            tracing::error!(status = %response.status(), cause = %cause.0, "request failed");
        } else {
            tracing::debug!(status = %response.status(), cause = %cause.0, "request refused");
        }
    }
    response
}

/// A bound, migrated, seeded server, ready to [`run`](Server::run).
#[derive(Debug)]
pub struct Server {
    listener: TcpListener,
    state: AppState,
}

impl Server {
    /// Connects to the database (creating and migrating it as needed), applies the seed content
    /// once, and binds the listening socket.
    pub async fn bind(config: &Config) -> Result<Self> {
        let db = Db::connect(&config.database_url, config.max_db_connections).await?;
        seed::apply(&db, now_ms()).await?;
        let code_key = rewards::signing_key(&db, config.code_signing_key.as_deref()).await?;
        let mailer = mail::Mailer::from_config(config)?;
        if !mailer.is_on() {
            tracing::warn!("no --smtp-url or --mail-dir: password-reset codes cannot be sent");
        }
        let listener = TcpListener::bind(config.listen).await?;
        let state = AppState {
            db,
            auth_burst: config.auth_burst,
            auth_replenish: Duration::from_secs_f64(config.auth_replenish_secs.max(0.001)),
            write_burst: config.write_burst,
            write_replenish: Duration::from_secs_f64(config.write_replenish_secs.max(0.001)),
            code_key: std::sync::Arc::new(code_key),
            media: std::sync::Arc::new(photos::MediaStore::open(&config.media_dir)?),
            photo_permits: std::sync::Arc::new(tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, |n| n.get().min(4)),
            )),
            league_group_size: config.league_group_size.max(1),
            mailer: std::sync::Arc::new(mailer),
        };
        Ok(Self { listener, state })
    }

    /// The address actually bound (useful with port 0).
    pub fn local_addr(&self) -> Result<SocketAddr> {
        Ok(self.listener.local_addr()?)
    }

    /// The state handlers see, for tests that look behind the API.
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` completes, then finishes the requests in flight and closes the
    /// database.
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send + 'static) -> Result<()> {
        let addr = self.local_addr()?;
        tracing::info!(%addr, backend = ?self.state.db.backend(), "listening");
        let db = self.state.db.clone();
        let service = app(self.state).into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(self.listener, service).with_graceful_shutdown(shutdown).await?;
        db.close().await;
        tracing::info!("stopped");
        Ok(())
    }
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

/// Milliseconds since the Unix epoch, the timestamp unit of every table.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}
