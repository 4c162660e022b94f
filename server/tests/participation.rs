//! Joining challenges and sending events, on SQLite and PostgreSQL: completions are evaluated by
//! the server and award their points exactly once, whatever is resent or sent at once; bad
//! events are refused one by one with a reason.

#[macro_use]
mod common;

use common::{Running, TestDb};
use hearth_core::ledger::{HistoryPage, WalletView};
use hearth_core::progress::{IngestResult, Participation};
use reqwest::Method;
use serde_json::{Value, json};

const DAY: i64 = 24 * 60 * 60 * 1000;

async fn sign_up(server: &Running, email: &str, time_zone: &str) -> String {
    server.sign_up(email, json!({ "timeZone": time_zone })).await.session.token
}

fn event(id: &str, kind: &str, at_ms: i64) -> Value {
    json!({ "id": id, "kind": kind, "occurredAtMs": at_ms })
}

async fn send_events(server: &Running, token: &str, events: Vec<Value>) -> (u16, String) {
    let body = json!({ "events": events }).to_string();
    let (status, text, _) = server.send(Method::POST, "/v1/events", Some(token), Some(&body)).await;
    (status, text)
}

async fn balance(server: &Running, token: &str) -> u64 {
    let (_, text, _) = server.send(Method::GET, "/v1/wallet", Some(token), None).await;
    serde_json::from_str::<WalletView>(&text).expect("wallet").balance
}

async fn a_completed_challenge_awards_its_points_once(db: TestDb) {
    let server = Running::start(db.url()).await;
    let token = sign_up(&server, "li@example.com", "Asia/Shanghai").await;
    // "Everything off when you leave": 5 runs of the leaving scene within 14 days, 30 points.
    let (status, text, _) =
        server.send(Method::POST, "/v1/challenges/leaving-everything-off/join", Some(&token), None).await;
    assert_eq!(status, 201, "{text}");
    let joined: Participation = serde_json::from_str(&text).expect("participation");
    let (status, _, _) =
        server.send(Method::POST, "/v1/challenges/leaving-everything-off/join", Some(&token), None).await;
    assert_eq!(status, 200, "joining twice is harmless");

    let at = |i: i64| joined.joined_at_ms + i * 60_000;
    let first: Vec<Value> = (0..4).map(|i| event(&format!("e{i}"), "scene.leaving.ran", at(i))).collect();
    let (status, text) = send_events(&server, &token, first.clone()).await;
    assert_eq!(status, 200, "{text}");
    let result: IngestResult = serde_json::from_str(&text).expect("result");
    assert!(result.results.iter().all(|r| r.status == "accepted"), "{text}");
    assert!(result.completed.is_empty());
    assert_eq!(balance(&server, &token).await, 0);

    // The fifth completes it, alongside resent ones that count once.
    let mut last = first.clone();
    last.push(event("e4", "scene.leaving.ran", at(4)));
    let (_, text) = send_events(&server, &token, last).await;
    let result: IngestResult = serde_json::from_str(&text).expect("result");
    assert_eq!(result.results.iter().filter(|r| r.status == "duplicate").count(), 4, "{text}");
    assert_eq!(result.completed.len(), 1, "{text}");
    assert_eq!(balance(&server, &token).await, 30);

    // More events, resent batches: no more points. A completed challenge cannot be rejoined.
    let (_, text) = send_events(&server, &token, vec![event("e5", "scene.leaving.ran", at(5))]).await;
    assert!(serde_json::from_str::<IngestResult>(&text).expect("result").completed.is_empty());
    assert_eq!(balance(&server, &token).await, 30);
    let (status, text, _) =
        server.send(Method::POST, "/v1/challenges/leaving-everything-off/join", Some(&token), None).await;
    assert_eq!(status, 409, "{text}");
    let (_, text, _) = server.send(Method::GET, "/v1/me/challenges", Some(&token), None).await;
    let mine: Vec<Participation> = serde_json::from_str(&text).expect("list");
    assert_eq!(mine.len(), 1);
    assert!(mine[0].completed_at_ms.is_some() && mine[0].progress.current >= 5);
    // The history names the challenge, so the app can say which one in the user's language.
    let (_, text, _) = server.send(Method::GET, "/v1/wallet/history", Some(&token), None).await;
    let history: HistoryPage = serde_json::from_str(&text).expect("history");
    assert_eq!(history.entries.len(), 1, "{text}");
    assert_eq!(history.entries[0].challenge_id.as_deref(), Some("leaving-everything-off"));
    assert_eq!(history.entries[0].signed_amount(), 30);
    server.stop().await;
    db.drop_database().await;
}

async fn the_same_completion_sent_at_once_from_two_devices_pays_once(db: TestDb) {
    let server = Running::start(db.url()).await;
    let token = sign_up(&server, "li@example.com", "Asia/Shanghai").await;
    let (_, text, _) =
        server.send(Method::POST, "/v1/challenges/coming-home-welcome-light/join", Some(&token), None).await;
    let joined: Participation = serde_json::from_str(&text).expect("participation");
    // Two devices each send all three events at the same moment; eight rounds of it.
    let events: Vec<Value> = (0..3)
        .map(|i| event(&format!("w{i}"), "scene.coming-home.ran", joined.joined_at_ms + i * 1000))
        .collect();
    let sends = (0..8).map(|_| send_events(&server, &token, events.clone()));
    for (status, text) in futures::future::join_all(sends).await {
        assert_eq!(status, 200, "{text}");
    }
    assert_eq!(balance(&server, &token).await, 20, "20 points, once");
    server.stop().await;
    db.drop_database().await;
}

async fn streaks_count_the_users_local_days_and_need_consent(db: TestDb) {
    let server = Running::start(db.url()).await;
    let token = sign_up(&server, "li@example.com", "Asia/Shanghai").await;
    // "Let the morning in": curtains opened on 3 consecutive local days, 20 points.
    let (status, _, _) =
        server.send(Method::POST, "/v1/challenges/morning-let-the-light-in/join", Some(&token), None).await;
    assert_eq!(status, 201);
    // Joined five days ago (the server accepts no events from the future, so the test moves
    // the join back rather than the events forward).
    let now = hearth_server::now_ms();
    sqlx::query("UPDATE participations SET joined_at_ms = $1")
        .bind(now - 5 * DAY)
        .execute(server.db().pool())
        .await
        .expect("backdate");
    let days: Vec<Value> =
        (1..=3).map(|i| event(&format!("c{i}"), "device.curtain.open", now - i * DAY)).collect();

    // Curtains are a device: without consent, nothing is collected.
    let (_, text) = send_events(&server, &token, days.clone()).await;
    let result: IngestResult = serde_json::from_str(&text).expect("result");
    assert!(result.results.iter().all(|r| r.status == "rejected"), "{text}");
    let (count,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM events").fetch_one(server.db().pool()).await.expect("count");
    assert_eq!(count, 0, "nothing stored without consent");

    let (status, text, _) =
        server.send(Method::PATCH, "/v1/me", Some(&token), Some(r#"{"deviceUsageConsent": true}"#)).await;
    assert_eq!(status, 200, "{text}");
    // Two of the three days: a 2-day streak, not complete.
    let (_, text) = send_events(&server, &token, days[1..].to_vec()).await;
    assert!(serde_json::from_str::<IngestResult>(&text).expect("result").completed.is_empty(), "{text}");
    // The third day arrives late (an offline phone): the streak is complete.
    let (_, text) = send_events(&server, &token, days[..1].to_vec()).await;
    let result: IngestResult = serde_json::from_str(&text).expect("result");
    assert_eq!(result.completed.len(), 1, "{text}");
    assert_eq!(result.completed[0].progress.current, 3);
    assert_eq!(balance(&server, &token).await, 20);
    server.stop().await;
    db.drop_database().await;
}

async fn bad_events_are_refused_one_by_one_with_a_reason(db: TestDb) {
    let server = Running::start(db.url()).await;
    let token = sign_up(&server, "li@example.com", "Asia/Shanghai").await;
    let now = hearth_server::now_ms();
    let (status, text) = send_events(
        &server,
        &token,
        vec![
            event("ok", "scene.leaving.ran", now - 1000),
            event("future", "scene.leaving.ran", now + 3_600_000),
            event("ancient", "scene.leaving.ran", now - 60 * DAY),
            event("kind", "Not A Kind", now),
            event("device", "device.light.off", now),
            json!({ "id": "long", "kind": "device.ac.eco-minutes", "occurredAtMs": now, "durationMinutes": 5000 }),
        ],
    )
    .await;
    assert_eq!(status, 200, "{text}");
    let result: IngestResult = serde_json::from_str(&text).expect("result");
    let statuses: Vec<&str> = result.results.iter().map(|r| r.status.as_str()).collect();
    assert_eq!(statuses, ["accepted", "rejected", "rejected", "rejected", "rejected", "rejected"], "{text}");
    assert!(result.results[4].reason.as_deref().is_some_and(|r| r.contains("consent")), "{text}");
    // Whole-batch problems name the field.
    for (body, field) in [
        (json!({ "events": [] }), "events"),
        (
            json!({ "events": (0..101).map(|i| event(&format!("b{i}"), "scene.leaving.ran", now)).collect::<Vec<_>>() }),
            "events",
        ),
        (
            json!({ "events": [{ "id": "x", "kind": "scene.leaving.ran", "occurredAtMs": "yesterday" }] }),
            "events[0].occurredAtMs",
        ),
    ] {
        let (status, text, _) =
            server.send(Method::POST, "/v1/events", Some(&token), Some(&body.to_string())).await;
        assert_eq!(status, 422, "{text}");
        let error: Value = serde_json::from_str(&text).expect("json");
        assert_eq!(error["error"]["field"], field, "{text}");
    }
    // Unknown challenges, leaving what was never joined, no session.
    let (status, _, _) =
        server.send(Method::POST, "/v1/challenges/no-such-challenge/join", Some(&token), None).await;
    assert_eq!(status, 404);
    let (status, _, _) =
        server.send(Method::POST, "/v1/challenges/sleep-no-more-standby/leave", Some(&token), None).await;
    assert_eq!(status, 404);
    let (status, _, _) =
        server.send(Method::POST, "/v1/challenges/sleep-no-more-standby/join", None, None).await;
    assert_eq!(status, 401);
    let (status, text, _) =
        server.send(Method::PATCH, "/v1/me", Some(&token), Some(r#"{"timeZone": "Mars/Base"}"#)).await;
    assert_eq!(status, 422, "{text}");
    server.stop().await;
    db.drop_database().await;
}

async fn a_self_reported_task_counts_with_its_own_unused_photo_once(db: TestDb) {
    let server = Running::start(db.url()).await;
    let token = sign_up(&server, "fang@example.com", "Asia/Shanghai").await;
    let other = sign_up(&server, "gu@example.com", "Asia/Shanghai").await;
    let (status, text, _) =
        server.send(Method::POST, "/v1/challenges/coming-home-clean-filter/join", Some(&token), None).await;
    assert_eq!(status, 201, "{text}");
    let now = hearth_server::now_ms();
    let with_photo = |id: &str, photo: &str| json!({ "id": id, "kind": "self.ac-filter.cleaned", "occurredAtMs": now, "proofPhotoId": photo });
    let photo_of = |answer: Value| answer["id"].as_str().expect("photo id").to_owned();
    let (status, mine) = server.upload_photo(&token, common::jpeg(64, 48, false), "image/jpeg").await;
    assert_eq!(status, 201, "{mine}");
    let (_, theirs) = server.upload_photo(&other, common::jpeg(64, 48, false), "image/jpeg").await;
    let (mine, theirs) = (photo_of(mine), photo_of(theirs));
    let reason = |text: &str, i: usize| {
        let result: IngestResult = serde_json::from_str(text).expect("result");
        (
            result.results[i].status.clone(),
            result.results[i].reason.clone().unwrap_or_default(),
            result.completed.len(),
        )
    };

    // No photo, someone else's photo, a photo that does not exist: refused, nothing counts.
    let (_, text) = send_events(&server, &token, vec![event("t0", "self.ac-filter.cleaned", now)]).await;
    assert!(reason(&text, 0).1.contains("photo as proof"), "{text}");
    let (_, text) =
        send_events(&server, &token, vec![with_photo("t1", &theirs), with_photo("t2", "no-such-photo")])
            .await;
    assert_eq!(reason(&text, 0).0, "rejected", "{text}");
    assert_eq!(reason(&text, 1).0, "rejected", "{text}");
    assert_eq!(balance(&server, &token).await, 0);
    // Its own photo: counted, the challenge completed, 40 points. Resent: a duplicate.
    let (_, text) = send_events(&server, &token, vec![with_photo("t3", &mine)]).await;
    assert_eq!((reason(&text, 0).0.as_str(), reason(&text, 0).2), ("accepted", 1), "{text}");
    let (_, text) = send_events(&server, &token, vec![with_photo("t3", &mine)]).await;
    assert_eq!(reason(&text, 0).0, "duplicate", "{text}");
    assert_eq!(balance(&server, &token).await, 40);
    // The same photo cannot prove a second event, nor go on a post.
    let (_, text) = send_events(&server, &token, vec![with_photo("t4", &mine)]).await;
    assert!(reason(&text, 0).1.contains("proves something else"), "{text}");
    let post = json!({ "kind": "post", "text": "clean!", "photoIds": [mine] });
    let (status, answer) = server.call(Method::POST, "/v1/posts", &token, Some(post)).await;
    assert!((400..500).contains(&status), "{status} {answer}");
    server.stop().await;
    db.drop_database().await;
}

on_both_databases!(
    a_self_reported_task_counts_with_its_own_unused_photo_once,
    a_completed_challenge_awards_its_points_once,
    the_same_completion_sent_at_once_from_two_devices_pays_once,
    streaks_count_the_users_local_days_and_need_consent,
    bad_events_are_refused_one_by_one_with_a_reason,
);
