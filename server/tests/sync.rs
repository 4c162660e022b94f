//! The sync protocol on SQLite and PostgreSQL: pushed ops apply at most once, in the device's
//! order; invalid ops are rejected with a reason that a retry repeats; pull pages through the
//! user's changes, REST and sync alike, in one sequence.

#[macro_use]
mod common;

use common::{Running, TestDb};
use hearth_core::ledger::WalletView;
use hearth_core::sync::protocol::{OpStatus, PullResponse, PushResponse};
use reqwest::Method;
use serde_json::{Value, json};

async fn sign_up(server: &Running, email: &str) -> String {
    server.sign_up(email, json!({})).await.session.token
}

fn uuid() -> String {
    uuid::Uuid::now_v7().to_string()
}

async fn push(server: &Running, token: &str, client: &str, ops: &[Value]) -> (u16, String) {
    let body = json!({ "clientId": client, "ops": ops }).to_string();
    let (status, text, _) = server.send(Method::POST, "/v1/sync/push", Some(token), Some(&body)).await;
    (status, text)
}

async fn pull(server: &Running, token: &str, after: i64, limit: u32) -> PullResponse {
    let (status, text, _) = server
        .send(Method::GET, &format!("/v1/sync/pull?after={after}&limit={limit}"), Some(token), None)
        .await;
    assert_eq!(status, 200, "{text}");
    serde_json::from_str(&text).expect("pull")
}

async fn ops_apply_once_in_order_and_pull_returns_them(db: TestDb) {
    let server = Running::start(db.url()).await;
    let token = sign_up(&server, "li@example.com").await;
    let client = uuid();
    let now = hearth_server::now_ms();
    let events: Vec<Value> = (0..3)
        .map(|i| json!({ "id": format!("e{i}"), "kind": "scene.coming-home.ran", "occurredAtMs": now - 50_000 + i }))
        .collect();
    // Made offline, in this order: join, then three runs of the scene (which complete it), a
    // join of a challenge that does not exist, and a profile change.
    let ops = vec![
        json!({ "opId": uuid(), "kind": "join-challenge", "challengeId": "coming-home-welcome-light", "joinedAtMs": now - 60_000 }),
        json!({ "opId": uuid(), "kind": "record-events", "events": events }),
        json!({ "opId": uuid(), "kind": "join-challenge", "challengeId": "no-such-challenge" }),
        json!({ "opId": uuid(), "kind": "change-profile", "change": { "timeZone": "Europe/Berlin" } }),
    ];
    let (status, text) = push(&server, &token, &client, &ops).await;
    assert_eq!(status, 200, "{text}");
    let first: PushResponse = serde_json::from_str(&text).expect("push");
    let statuses: Vec<OpStatus> = first.results.iter().map(|r| r.status).collect();
    assert_eq!(
        statuses,
        [OpStatus::Applied, OpStatus::Applied, OpStatus::Rejected, OpStatus::Applied],
        "{text}"
    );
    assert_eq!(first.results[2].code.as_deref(), Some("not-found"));
    assert!(first.seq >= 3, "{text}");

    // The response was lost: the device pushes the same batch again. Nothing applies twice; the
    // rejected op is rejected again with the same reason.
    let (_, text) = push(&server, &token, &client, &ops).await;
    let again: PushResponse = serde_json::from_str(&text).expect("push");
    assert!(again.results.iter().all(|r| r.duplicate), "{text}");
    assert_eq!(again.results[2].status, OpStatus::Rejected);
    assert_eq!(again.results[2].reason, first.results[2].reason);
    assert_eq!(again.seq, first.seq, "no new changes");
    let (_, text, _) = server.send(Method::GET, "/v1/wallet", Some(&token), None).await;
    assert_eq!(serde_json::from_str::<WalletView>(&text).expect("wallet").balance, 20, "points once");

    // Pull pages through the changes in sequence.
    let page = pull(&server, &token, 0, 2).await;
    assert_eq!(page.changes.len(), 2);
    assert!(page.has_more);
    let rest = pull(&server, &token, page.cursor, 100).await;
    assert!(!rest.has_more);
    let all: Vec<_> = page.changes.iter().chain(&rest.changes).collect();
    assert!(all.windows(2).all(|w| w[0].seq < w[1].seq), "in sequence");
    assert_eq!(all.last().map(|c| c.seq), Some(first.seq));
    let completed = all
        .iter()
        .filter(|c| c.entity == "participation" && c.id == "coming-home-welcome-light")
        .any(|c| c.body["completedAtMs"].is_i64());
    assert!(completed, "the completion is among the changes: {all:?}");
    assert!(all.iter().any(|c| c.entity == "profile" && c.body["timeZone"] == "Europe/Berlin"));
    // Pulling after the last cursor returns nothing new.
    let empty = pull(&server, &token, rest.cursor, 100).await;
    assert!(empty.changes.is_empty() && empty.cursor == rest.cursor);

    // Changes made through REST appear in the same sequence.
    let (status, _, _) =
        server.send(Method::POST, "/v1/challenges/sleep-no-more-standby/join", Some(&token), None).await;
    assert_eq!(status, 201);
    let after_rest = pull(&server, &token, rest.cursor, 100).await;
    assert_eq!(after_rest.changes.len(), 1);
    assert_eq!(after_rest.changes[0].id, "sleep-no-more-standby");
    server.stop().await;
    db.drop_database().await;
}

async fn a_batch_none_of_whose_events_counted_is_refused_with_the_reason(db: TestDb) {
    let server = Running::start(db.url()).await;
    let token = sign_up(&server, "fang@example.com").await;
    let client = uuid();
    let now = hearth_server::now_ms();
    let event = |kind: &str| json!({ "id": uuid(), "kind": kind, "occurredAtMs": now - 1_000 });
    let ops = vec![
        // Device use without the user's consent: nothing counts, and the device is told why.
        json!({ "opId": uuid(), "kind": "record-events", "events": [event("device.plug.off")] }),
        // A proof photo that does not exist.
        json!({ "opId": uuid(), "kind": "record-events", "events": [
            { "id": uuid(), "kind": "self.window.aired", "occurredAtMs": now - 1_000, "proofPhotoId": uuid() }
        ] }),
        // One of two counts: the batch is applied (the other is dropped as before).
        json!({ "opId": uuid(), "kind": "record-events", "events": [event("device.plug.off"), event("scene.leaving.ran")] }),
    ];
    let (status, text) = push(&server, &token, &client, &ops).await;
    assert_eq!(status, 200, "{text}");
    let answer: PushResponse = serde_json::from_str(&text).expect("push");
    let outcomes: Vec<(OpStatus, Option<&str>)> =
        answer.results.iter().map(|r| (r.status, r.code.as_deref())).collect();
    assert_eq!(
        outcomes,
        [
            (OpStatus::Rejected, Some("no-consent")),
            (OpStatus::Rejected, Some("proof-refused")),
            (OpStatus::Applied, None)
        ],
        "{text}"
    );
    assert!(answer.results[0].reason.as_deref().is_some_and(|r| r.contains("consent")), "{text}");
    // Once consent is given, the same kind of event counts.
    let consent =
        json!({ "opId": uuid(), "kind": "change-profile", "change": { "deviceUsageConsent": true } });
    let later = json!({ "opId": uuid(), "kind": "record-events", "events": [event("device.plug.off")] });
    let (_, text) = push(&server, &token, &client, &[consent, later]).await;
    let answer: PushResponse = serde_json::from_str(&text).expect("push");
    assert!(answer.results.iter().all(|r| r.status == OpStatus::Applied), "{text}");
    server.stop().await;
    db.drop_database().await;
}

async fn devices_and_users_do_not_share_op_ids_or_changes(db: TestDb) {
    let server = Running::start(db.url()).await;
    let li = sign_up(&server, "li@example.com").await;
    let wang = sign_up(&server, "wang@example.com").await;
    let op = uuid();
    let join = json!({ "opId": op, "kind": "join-challenge", "challengeId": "leaving-everything-off" });
    let leave = json!({ "opId": op, "kind": "leave-challenge", "challengeId": "leaving-everything-off" });
    // The same op id from another device is another op; from another user, too.
    let (_, text) = push(&server, &li, &uuid(), std::slice::from_ref(&join)).await;
    assert_eq!(
        serde_json::from_str::<PushResponse>(&text).expect("push").results[0].status,
        OpStatus::Applied
    );
    let (_, text) = push(&server, &li, &uuid(), &[leave]).await;
    assert_eq!(
        serde_json::from_str::<PushResponse>(&text).expect("push").results[0].status,
        OpStatus::Applied
    );
    let (_, text) = push(&server, &wang, &uuid(), &[join]).await;
    let wang_push: PushResponse = serde_json::from_str(&text).expect("push");
    assert!(!wang_push.results[0].duplicate);
    // Each pulls only their own changes.
    let wang_changes = pull(&server, &wang, 0, 100).await;
    assert_eq!(wang_changes.changes.len(), 1);
    assert_eq!(pull(&server, &li, 0, 100).await.changes.len(), 2);
    server.stop().await;
    db.drop_database().await;
}

async fn malformed_pushes_apply_nothing_and_name_the_field(db: TestDb) {
    let server = Running::start(db.url()).await;
    let token = sign_up(&server, "li@example.com").await;
    let client = uuid();
    let ok = json!({ "opId": uuid(), "kind": "join-challenge", "challengeId": "leaving-everything-off" });
    let too_many: Vec<Value> = (0..501).map(|_| ok.clone()).collect();
    let cases = [
        (json!({ "clientId": "not-a-uuid", "ops": [ok.clone()] }), "clientId"),
        (json!({ "clientId": client, "ops": [] }), "ops"),
        (json!({ "clientId": client, "ops": too_many }), "ops"),
        (
            json!({ "clientId": client, "ops": [ok.clone(), { "opId": "7", "kind": "join-challenge", "challengeId": "x" }] }),
            "ops[1].opId",
        ),
        (json!({ "clientId": client, "ops": [{ "opId": uuid(), "kind": "delete-everything" }] }), "ops[0]"),
    ];
    for (body, field) in cases {
        let (status, text, _) =
            server.send(Method::POST, "/v1/sync/push", Some(&token), Some(&body.to_string())).await;
        assert_eq!(status, 422, "{text}");
        let error: Value = serde_json::from_str(&text).expect("json");
        assert_eq!(error["error"]["field"], field, "{text}");
    }
    // None of it was applied.
    assert!(pull(&server, &token, 0, 100).await.changes.is_empty());
    for query in ["after=-1", "limit=0", "limit=5000", "after=abc"] {
        let (status, _, _) =
            server.send(Method::GET, &format!("/v1/sync/pull?{query}"), Some(&token), None).await;
        assert_eq!(status, 422, "{query}");
    }
    let (status, _, _) = server.send(Method::GET, "/v1/sync/pull", None, None).await;
    assert_eq!(status, 401);
    server.stop().await;
    db.drop_database().await;
}

on_both_databases!(
    a_batch_none_of_whose_events_counted_is_refused_with_the_reason,
    ops_apply_once_in_order_and_pull_returns_them,
    devices_and_users_do_not_share_op_ids_or_changes,
    malformed_pushes_apply_nothing_and_name_the_field,
);
