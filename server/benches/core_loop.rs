//! The core loop's server reads on loopback, against the real server (in this process, release
//! build, SQLite): a weekly-league table for a full group of 50 members with 20 awards each this
//! week, the wallet's history, and ingesting one event; each against `GET /v1/wallet` measured in
//! the same run as the baseline, and against the program's 100 ms response budget. Prints
//! figures; asserts nothing.
//!
//!   cargo bench -p hearth-server --bench core_loop

// A benchmark program: printing its figures is its job.
#![allow(clippy::print_stdout)]

use std::time::{Duration, Instant};

use hearth_core::ledger::TransferKind;
use hearth_server::ledger::{TransferRequest, apply};
use serde_json::{Value, json};

const MEMBERS: usize = 50;
const AWARDS_EACH: usize = 20;
const SAMPLES: usize = 200;

struct Client {
    http: reqwest::Client,
    url: String,
}

impl Client {
    async fn send(&self, method: reqwest::Method, path: &str, token: &str, body: Option<Value>) -> Value {
        let mut request = self.http.request(method, format!("{}{path}", self.url)).bearer_auth(token);
        if let Some(body) = body {
            request = request.header("content-type", "application/json").body(body.to_string());
        }
        let response = request.send().await.expect("the server answers");
        assert!(response.status().is_success(), "{path}: {}", response.status());
        let text = response.text().await.expect("body");
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }
}

/// Median and 95th percentile of `SAMPLES` runs of `run`.
async fn time<F, Fut>(mut run: F) -> (Duration, Duration)
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut took = Vec::with_capacity(SAMPLES);
    for i in 0..SAMPLES {
        let started = Instant::now();
        run(i).await;
        took.push(started.elapsed());
    }
    took.sort_unstable();
    (took[SAMPLES / 2], took[SAMPLES * 95 / 100])
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut config =
        hearth_server::Config::for_database(format!("sqlite://{}/server.db", dir.path().display()));
    config.media_dir = dir.path().join("media");
    config.auth_burst = 1_000;
    config.write_burst = 1_000_000;
    config.write_replenish_secs = 0.000_001;
    let server = hearth_server::Server::bind(&config).await.expect("server");
    let url = format!("http://{}/", server.local_addr().expect("addr"));
    let db = server.state().db.clone();
    tokio::spawn(server.run(std::future::pending()));
    let client = Client { http: reqwest::Client::new(), url };

    // A full group: 50 members, each with 20 awards this week.
    let mut tokens = Vec::new();
    for i in 0..MEMBERS {
        let body = json!({ "email": format!("m{i}@example.com"), "password": "benchmark 2026", "displayName": format!("Member {i}") });
        let signed = client.send(reqwest::Method::POST, "v1/auth/sign-up", "", Some(body)).await;
        let user_id = signed["profile"]["id"].as_str().expect("id").to_owned();
        let token = signed["session"]["token"].as_str().expect("token").to_owned();
        client.send(reqwest::Method::POST, "v1/league/join", &token, None).await;
        for _ in 0..AWARDS_EACH {
            let award = TransferRequest {
                id: uuid::Uuid::now_v7().to_string(),
                kind: TransferKind::Award,
                user_id: user_id.clone(),
                amount: 10 + i as u64,
                memo: "bench".into(),
                challenge_id: None,
                reward_id: None,
            };
            apply(&db, &award, hearth_server::now_ms()).await.expect("award");
        }
        tokens.push(token);
    }
    let me = &tokens[0];
    let table = client.send(reqwest::Method::GET, "v1/league", me, None).await;
    assert_eq!(table["standings"].as_array().map(Vec::len), Some(MEMBERS), "one full group");
    client.send(reqwest::Method::POST, "v1/challenges/leaving-everything-off/join", me, None).await;

    let get = |path: &'static str| {
        let client = &client;
        move |_| async move {
            client.send(reqwest::Method::GET, path, me, None).await;
        }
    };
    let baseline = time(get("v1/wallet")).await;
    let league = time(get("v1/league")).await;
    let history = time(get("v1/wallet/history")).await;
    let start = hearth_server::now_ms();
    let ingest = time(|i| {
        let client = &client;
        async move {
            let event =
                json!({ "id": format!("bench-{i}"), "kind": "scene.leaving.ran", "occurredAtMs": start });
            client.send(reqwest::Method::POST, "v1/events", me, Some(json!({ "events": [event] }))).await;
        }
    })
    .await;

    println!("core loop on loopback (release, SQLite), {SAMPLES} requests each; median / p95:");
    println!("  GET /v1/wallet (baseline)        {:7.2} / {:7.2} ms", ms(baseline.0), ms(baseline.1));
    for (name, (median, p95)) in [
        ("GET /v1/league (50 members)      ", league),
        ("GET /v1/wallet/history (20/page) ", history),
        ("POST /v1/events (1 event)        ", ingest),
    ] {
        println!(
            "  {name} {:7.2} / {:7.2} ms   {:.1}x baseline   budget 100 ms: {}",
            ms(median),
            ms(p95),
            ms(median) / ms(baseline.0),
            if p95 <= Duration::from_millis(100) { "met" } else { "MISSED" }
        );
    }
}
