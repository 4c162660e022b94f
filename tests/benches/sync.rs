//! The sync engine's figures on loopback, against the real server (in this process, release
//! build, SQLite): 1,000 ops made offline then pushed and acknowledged; a fresh device pulling
//! 10,000 changes; tasks reported with proof photos against plain events; the CPU the engine's
//! worker loop uses while idle. Prints figures; asserts
//! nothing.
//!
//!   cargo bench -p hearth-e2e --bench sync

// A benchmark program: printing its figures is its job.
#![allow(clippy::print_stdout)]

use std::time::{Duration, Instant};

use hearth_client::engine::{Account, Engine, EngineConfig, system_clock};
use hearth_core::progress::Event;
use hearth_core::sync::protocol::OpKind;
use serde_json::{Value, json};
use sqlx::SqlitePool;

async fn store(path: &std::path::Path) -> SqlitePool {
    let options = sqlx::sqlite::SqliteConnectOptions::new().filename(path).create_if_missing(true);
    let pool = SqlitePool::connect_with(options).await.expect("open");
    for migration in hearth_client::engine::MIGRATIONS {
        sqlx::raw_sql(migration.sql).execute(&pool).await.expect("migrate");
    }
    pool
}

async fn engine(dir: &std::path::Path, name: &str, url: &str) -> Engine {
    let config = EngineConfig {
        server_url: url.to_owned(),
        request_timeout: Duration::from_secs(60),
        max_response_bytes: 64 * 1024 * 1024,
        clock: system_clock(),
    };
    Engine::new(store(&dir.join(name)).await, config).await.expect("engine")
}

fn events_op(kind: &str) -> OpKind {
    let now = (system_clock())();
    OpKind::RecordEvents {
        events: vec![Event {
            id: uuid::Uuid::now_v7().to_string(),
            kind: kind.to_owned(),
            occurred_at_ms: now - 1_000,
            duration_minutes: None,
            proof_photo_id: None,
        }],
    }
}

/// CPU time (user + system) this process has used.
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which may hold spaces) start after the last ')'.
    let fields: Vec<&str> = stat.rsplit_once(')').map_or("", |(_, rest)| rest).split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    // utime and stime are fields 14 and 15 of the whole line: 11 and 12 after the name.
    Duration::from_millis((ticks(11) + ticks(12)) * 10)
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut config =
        hearth_server::Config::for_database(format!("sqlite://{}/server.db", dir.path().display()));
    config.write_burst = 1_000_000;
    config.write_replenish_secs = 0.000_001;
    let server = hearth_server::Server::bind(&config).await.expect("server");
    let url = format!("http://{}/", server.local_addr().expect("addr"));
    tokio::spawn(server.run(std::future::pending()));

    let signed = reqwest::Client::new()
        .post(format!("{url}v1/auth/sign-up"))
        .header("content-type", "application/json")
        .body(
            json!({ "email": "bench@example.com", "password": "benchmark 2026", "displayName": "Bench" })
                .to_string(),
        )
        .send()
        .await
        .expect("sign up");
    let signed: Value = serde_json::from_str(&signed.text().await.expect("body")).expect("json");
    let account = Account {
        user_id: signed["profile"]["id"].as_str().expect("id").to_owned(),
        token: signed["session"]["token"].as_str().expect("token").to_owned(),
    };
    let phone = engine(dir.path(), "phone.db", &url).await;
    phone
        .enqueue(
            &account.user_id,
            OpKind::JoinChallenge { challenge_id: "leaving-everything-off".into(), joined_at_ms: None },
        )
        .await
        .expect("queue");
    phone.sync(&account).await.expect("first sync");

    // 1,000 ops made offline, then one sync pushes and acknowledges them all.
    let started = Instant::now();
    for _ in 0..1_000 {
        phone.enqueue(&account.user_id, events_op("scene.leaving.ran")).await.expect("queue");
    }
    let queued = started.elapsed();
    let started = Instant::now();
    let report = phone.sync(&account).await.expect("sync");
    let pushed = started.elapsed();
    println!(
        "1,000 offline ops: queued in {:.0} ms; pushed, acknowledged and pulled in {:.0} ms ({} applied, {} changes pulled); target ≤ 2,000 ms",
        queued.as_secs_f64() * 1e3,
        pushed.as_secs_f64() * 1e3,
        report.applied,
        report.pulled
    );

    // 9,000 more ops make at least 10,000 changes; a fresh device pulls them all.
    for _ in 0..9 {
        for _ in 0..1_000 {
            phone.enqueue(&account.user_id, events_op("scene.leaving.ran")).await.expect("queue");
        }
        phone.sync(&account).await.expect("sync");
    }
    let tablet = engine(dir.path(), "tablet.db", &url).await;
    let started = Instant::now();
    let report = tablet.sync(&account).await.expect("pull");
    let pulled = started.elapsed();
    println!(
        "fresh device: pulled {} changes in {:.0} ms ({:.0} changes/s)",
        report.pulled,
        pulled.as_secs_f64() * 1e3,
        report.pulled as f64 / pulled.as_secs_f64()
    );

    // Tasks reported offline with a proof photo each (a 2048 px JPEG, as the shell makes them)
    // against the same number of plain events, measured in this run: what the uploads add.
    let mut photo = Vec::new();
    image::RgbImage::from_fn(2048, 1536, |x, y| {
        image::Rgb([(x % 251) as u8, (y % 241) as u8, ((x + y) % 239) as u8])
    })
    .write_to(&mut std::io::Cursor::new(&mut photo), image::ImageFormat::Jpeg)
    .expect("a JPEG");
    const TASKS: usize = 20;
    for _ in 0..TASKS {
        phone.enqueue(&account.user_id, events_op("self.ac-filter.cleaned")).await.expect("queue");
    }
    let started = Instant::now();
    phone.sync(&account).await.expect("sync");
    let plain = started.elapsed();
    let started = Instant::now();
    for _ in 0..TASKS {
        let OpKind::RecordEvents { events } = events_op("self.ac-filter.cleaned") else { unreachable!() };
        phone.enqueue_proof(&account.user_id, events[0].clone(), &photo).await.expect("queue with a photo");
    }
    let kept = started.elapsed();
    let started = Instant::now();
    phone.sync(&account).await.expect("sync");
    let with_photos = started.elapsed();
    println!(
        "{TASKS} tasks with a {} KB proof photo each: kept on the device in {:.0} ms; synced in {:.0} ms against {:.0} ms for {TASKS} plain events ({:.1}x)",
        photo.len() / 1024,
        kept.as_secs_f64() * 1e3,
        with_photos.as_secs_f64() * 1e3,
        plain.as_secs_f64() * 1e3,
        with_photos.as_secs_f64() / plain.as_secs_f64()
    );

    // Idle: the worker loop with nothing to do between its ticks.
    let worker = {
        let (tablet, account) = (tablet.clone(), account.clone());
        tokio::spawn(async move {
            loop {
                let _ = tablet.sync(&account).await;
                tokio::time::sleep(Duration::from_secs(60)).await;
            }
        })
    };
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = cpu_time();
    tokio::time::sleep(Duration::from_secs(10)).await;
    let idle = cpu_time().saturating_sub(before);
    worker.abort();
    println!("idle worker: {} ms of CPU over 10 s (whole process, server included)", idle.as_millis());
}
