//! Throughput and latency of the API on loopback under 64 concurrent connections, against a bare
//! axum JSON handler measured in the same run on the same machine (the baseline the ratios are
//! taken against). Prints figures; asserts nothing.
//!
//!   cargo bench -p hearth-server --bench api
//!
//! PostgreSQL is measured too when `HEARTH_TEST_POSTGRES_URL` names a role that may create
//! databases (the test command's does). Client and server share this machine's cores, so the
//! figures are a floor, not a capacity plan.
//!
//! Feed reads: 40 members of one group, 1,000 posts among them (public and in the group, with
//! reactions); each read is one member's first page of 20 (`GET /v1/feed`), signed in, so it
//! includes the session lookup. Statistics are gathered (`ANALYZE`) after the posts are loaded. Catalog reads are measured plain and conditional (the app's
//! `If-None-Match` re-check, answered 304).

// A benchmark program: printing its figures is its job.
#![allow(clippy::print_stdout)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use hearth_server::{Config, Server};
use serde_json::{Value, json};
use sqlx::Connection;

const CONNECTIONS: usize = 64;
const REQUESTS: usize = 20_000;
const WRITES: usize = 5_000;
/// Members reading the feed, and posts among them.
const MEMBERS: usize = 40;
const POSTS: usize = 1_000;
/// Every run stops after this long, whatever is left.
const TIME_LIMIT: Duration = Duration::from_secs(60);

#[derive(Debug)]
struct Figures {
    per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    errors: usize,
}

/// Runs `total` requests made by `make` over `CONNECTIONS` concurrent workers.
async fn load<F, Fut>(total: usize, make: F) -> Figures
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = bool> + Send,
{
    let make = Arc::new(make);
    let next = Arc::new(AtomicUsize::new(0));
    let errors = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..CONNECTIONS {
        let (make, next, errors) = (make.clone(), next.clone(), errors.clone());
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= total || started.elapsed() > TIME_LIMIT {
                    break;
                }
                let t = Instant::now();
                if !make(i).await {
                    errors.fetch_add(1, Ordering::Relaxed);
                }
                latencies.push(t.elapsed());
            }
            latencies
        }));
    }
    let mut latencies = Vec::new();
    for worker in workers {
        latencies.extend(worker.await.expect("worker"));
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let pct = |p: f64| {
        latencies.get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)))
    };
    Figures {
        per_second: latencies.len() as f64 / elapsed.as_secs_f64(),
        p50_ms: pct(0.50).map_or(0.0, |d| d.as_secs_f64() * 1e3),
        p99_ms: pct(0.99).map_or(0.0, |d| d.as_secs_f64() * 1e3),
        errors: errors.load(Ordering::Relaxed),
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().pool_max_idle_per_host(CONNECTIONS).build().expect("client")
}

async fn post_json(
    http: &reqwest::Client,
    url: &str,
    token: Option<&str>,
    body: &Value,
) -> reqwest::Result<reqwest::Response> {
    let mut request = http.post(url).header("content-type", "application/json").body(body.to_string());
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await
}

async fn bare_baseline() -> Figures {
    let app = axum::Router::new().route(
        "/bare",
        axum::routing::get(|| async { axum::Json(json!({ "challenges": [{ "id": "x", "points": 20 }] })) }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}/bare", listener.local_addr().expect("addr"));
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let http = client();
    let figures = load(REQUESTS, move |_| {
        let (http, url) = (http.clone(), url.clone());
        async move { http.get(&url).send().await.is_ok_and(|r| r.status().is_success()) }
    })
    .await;
    server.abort();
    figures
}

/// Starts the server on `database_url` with limits out of the benchmark's way, and returns its
/// base URL, an operator's token, the way to stop it and its database.
async fn start(database_url: &str) -> (String, String, tokio::sync::oneshot::Sender<()>, hearth_server::Db) {
    let mut config = Config::for_database(database_url);
    config.max_db_connections = 16;
    config.auth_burst = 1_000_000;
    config.write_burst = 1_000_000;
    config.write_replenish_secs = 0.000_001;
    let server = Server::bind(&config).await.expect("server");
    let base = format!("http://{}", server.local_addr().expect("addr"));
    let db = server.state().db.clone();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(server.run(async move {
        let _ = stopped.await;
    }));
    let http = client();
    let body = json!({ "email": "operator@example.com", "password": "benchmark 2026", "displayName": "Op" });
    let signed = post_json(&http, &format!("{base}/v1/auth/sign-up"), None, &body).await;
    let signed: Value =
        serde_json::from_str(&signed.expect("sign up").text().await.expect("body")).expect("json");
    let id = signed["profile"]["id"].as_str().expect("id").to_owned();
    sqlx::query("UPDATE users SET role = 'operator' WHERE id = $1")
        .bind(&id)
        .execute(db.pool())
        .await
        .expect("promote");
    (base, signed["session"]["token"].as_str().expect("token").to_owned(), stop, db)
}

/// Signs up [`MEMBERS`] people into one group and has them publish [`POSTS`] posts (a third in
/// the group) with a reaction each; returns their tokens.
async fn community(http: &reqwest::Client, base: &str, operator: &str) -> Vec<String> {
    let group = post_json(http, &format!("{base}/v1/groups"), Some(operator), &json!({ "name": "Bench" }))
        .await
        .expect("group");
    let group: Value = serde_json::from_str(&group.text().await.expect("body")).expect("json");
    let group = group["id"].as_str().expect("group id").to_owned();
    let mut tokens = Vec::new();
    for i in 0..MEMBERS {
        let body = json!({ "email": format!("m{i}@example.com"), "password": "benchmark 2026", "displayName": format!("Member {i}") });
        let signed = post_json(http, &format!("{base}/v1/auth/sign-up"), None, &body).await.expect("sign up");
        let signed: Value = serde_json::from_str(&signed.text().await.expect("body")).expect("json");
        let token = signed["session"]["token"].as_str().expect("token").to_owned();
        http.put(format!("{base}/v1/groups/{group}/membership"))
            .bearer_auth(&token)
            .send()
            .await
            .expect("join");
        tokens.push(token);
    }
    let tokens = Arc::new(tokens);
    let (http, base) = (http.clone(), base.to_owned());
    let published = load(POSTS, {
        let tokens = tokens.clone();
        move |i| {
            let (http, base, tokens, group) = (http.clone(), base.clone(), tokens.clone(), group.clone());
            async move {
                let token = &tokens[i % MEMBERS];
                let body = if i % 3 == 0 {
                    json!({ "text": format!("Post {i} in the group: eco mode all week"), "groupId": group })
                } else {
                    json!({ "text": format!("Post {i}: curtains open at sunrise, lights off by eleven") })
                };
                let Ok(response) = post_json(&http, &format!("{base}/v1/posts"), Some(token), &body).await
                else {
                    return false;
                };
                let post: Value =
                    serde_json::from_str(&response.text().await.unwrap_or_default()).unwrap_or_default();
                let Some(id) = post["id"].as_str() else { return false };
                let reactor = &tokens[(i + 1) % MEMBERS];
                http.put(format!("{base}/v1/posts/{id}/reaction"))
                    .bearer_auth(reactor)
                    .header("content-type", "application/json")
                    .body(r#"{"kind":"cheer"}"#)
                    .send()
                    .await
                    .is_ok_and(|r| r.status().is_success())
            }
        }
    })
    .await;
    assert_eq!(published.errors, 0, "setting up the feed failed");
    Arc::try_unwrap(tokens).unwrap_or_else(|shared| shared.as_ref().clone())
}

/// `total` GETs of `url` (with `token` and `if_none_match` when given) expecting `status`.
async fn reads(
    http: &reqwest::Client,
    url: String,
    tokens: Arc<Vec<String>>,
    if_none_match: Option<String>,
    status: u16,
) -> Figures {
    let http = http.clone();
    load(REQUESTS, move |i| {
        let (http, url, tokens, tag) = (http.clone(), url.clone(), tokens.clone(), if_none_match.clone());
        async move {
            let mut request = http.get(&url);
            if !tokens.is_empty() {
                request = request.bearer_auth(&tokens[i % tokens.len()]);
            }
            if let Some(tag) = tag {
                request = request.header("if-none-match", tag);
            }
            request.send().await.is_ok_and(|r| r.status().as_u16() == status)
        }
    })
    .await
}

fn report(label: &str, what: &str, figures: &Figures, bare: &Figures) {
    println!(
        "{label:<10} {what:<20} {:>8.0} req/s  p50 {:>6.2} ms  p99 {:>6.2} ms  errors {}  ({:.0}% of bare)",
        figures.per_second,
        figures.p50_ms,
        figures.p99_ms,
        figures.errors,
        100.0 * figures.per_second / bare.per_second
    );
}

async fn measure(label: &str, database_url: &str, bare: &Figures) {
    let (base, token, stop, db) = start(database_url).await;
    let http = client();
    let catalog = format!("{base}/v1/challenges");
    let plain = reads(&http, catalog.clone(), Arc::new(Vec::new()), None, 200).await;
    report(label, "catalog reads:", &plain, bare);
    let tag =
        http.get(&catalog).send().await.expect("catalog").headers()["etag"].to_str().expect("tag").to_owned();
    let conditional = reads(&http, catalog, Arc::new(Vec::new()), Some(tag), 304).await;
    report(label, "catalog unchanged:", &conditional, bare);
    let members = Arc::new(community(&http, &base, &token).await);
    // Statistics after the bulk load, as PostgreSQL's autovacuum would gather them in service.
    sqlx::query("ANALYZE").execute(db.pool()).await.expect("analyze");
    let feed = reads(&http, format!("{base}/v1/feed?limit=20"), members, None, 200).await;
    report(label, "feed page reads:", &feed, bare);
    // Each grant is one ledger transfer: idempotency insert, guarded debit, credit, commit.
    let (grants, me) = (format!("{base}/v1/operator/grants"), {
        let me = http.get(format!("{base}/v1/me")).bearer_auth(&token).send().await.expect("me");
        let me: Value = serde_json::from_str(&me.text().await.expect("body")).expect("json");
        me["id"].as_str().expect("id").to_owned()
    });
    let writes = load(WRITES, move |_| {
        let (http, grants, token, me) = (http.clone(), grants.clone(), token.clone(), me.clone());
        async move {
            let body =
                json!({ "id": uuid::Uuid::now_v7().to_string(), "userId": me, "amount": 1, "memo": "bench" });
            post_json(&http, &grants, Some(&token), &body).await.is_ok_and(|r| r.status().as_u16() == 201)
        }
    })
    .await;
    let _ = stop.send(());
    println!(
        "{label:<10} {:<20} {:>8.0} req/s  p50 {:>6.2} ms  p99 {:>6.2} ms  errors {}",
        "transfers:", writes.per_second, writes.p50_ms, writes.p99_ms, writes.errors
    );
}

#[tokio::main]
async fn main() {
    println!(
        "{CONNECTIONS} concurrent connections on loopback; {REQUESTS} reads and {WRITES} transfers per database"
    );
    let bare = bare_baseline().await;
    println!(
        "{:<10} {:<20} {:>8.0} req/s  p50 {:>6.2} ms  p99 {:>6.2} ms  errors {}",
        "baseline", "bare JSON:", bare.per_second, bare.p50_ms, bare.p99_ms, bare.errors
    );
    let dir = tempfile::tempdir().expect("tempdir");
    measure("sqlite", &format!("sqlite://{}/bench.db", dir.path().display()), &bare).await;
    match std::env::var("HEARTH_TEST_POSTGRES_URL") {
        Ok(admin_url) => {
            let name = format!("hearth_bench_{}", std::process::id());
            let mut admin = sqlx::PgConnection::connect(&admin_url).await.expect("connect to PostgreSQL");
            sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await.expect("create db");
            let base = admin_url.rsplit_once('/').map_or(admin_url.as_str(), |(base, _)| base);
            measure("postgres", &format!("{base}/{name}"), &bare).await;
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut admin)
                .await;
        }
        Err(_) => println!("postgres   skipped: set HEARTH_TEST_POSTGRES_URL to measure it"),
    }
}
