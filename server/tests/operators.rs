//! Operators on SQLite and PostgreSQL: the first one made from the command line, roles and
//! stores given through the API, the challenge and reward catalogs authored, changed and
//! retired, and the catalogs' conditional GETs.

#[macro_use]
mod common;

use common::{Running, TestDb};
use hearth_core::account::Account;
use hearth_core::catalog::{Catalog, Challenge};
use hearth_core::rewards::{Reward, RewardCatalog};
use reqwest::Method;
use serde_json::{Value, json};

fn field(value: &Value) -> Option<&str> {
    value["error"]["field"].as_str()
}

/// Runs `hearth-server set-role` against the server's database, as an administrator would.
fn set_role_from_the_command_line(db: &TestDb, email: &str, role: &str) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_hearth-server"))
        .args(["--database-url", db.url(), "set-role", "--email", email, "--role", role])
        .env("RUST_LOG", "warn")
        .output()
        .expect("run hearth-server")
}

fn a_challenge(id: &str) -> Value {
    json!({
        "id": id, "scene": "sleep", "difficulty": "easy", "points": 40,
        "title": { "en": "Lights out by eleven", "zh-CN": "十一点前关灯" },
        "description": { "en": "All lights off by 23:00 three nights.", "zh-CN": "三个晚上23点前关掉所有灯。" },
        "rule": { "trigger": "device.light.off", "aggregation": { "kind": "count", "target": 3 },
                  "windowDays": 7 }
    })
}

async fn operators_are_made_on_the_command_line_then_through_the_api(db: TestDb) {
    let server = Running::start(db.url()).await;
    let first = server.sign_up("first@example.com", json!({})).await;
    let clerk = server.sign_up("clerk@example.com", json!({})).await;
    let (status, _) = server
        .call(Method::GET, "/v1/admin/accounts?email=clerk@example.com", &first.session.token, None)
        .await;
    assert_eq!(status, 403, "a consumer is no operator");

    let output = set_role_from_the_command_line(&db, "First@Example.com", "operator");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let output = set_role_from_the_command_line(&db, "nobody@example.com", "operator");
    assert!(!output.status.success(), "an unknown address fails loudly");
    let output = set_role_from_the_command_line(&db, "first@example.com", "admin");
    assert!(!output.status.success(), "an unknown role fails loudly");

    let token = &first.session.token;
    let (status, value) =
        server.call(Method::GET, "/v1/admin/accounts?email=CLERK@example.com", token, None).await;
    assert_eq!(status, 200, "the role applies to the very next request: {value}");
    let account: Account = serde_json::from_value(value).expect("account");
    assert_eq!(account.id, clerk.profile.id);
    let path = format!("/v1/admin/accounts/{}/role", clerk.profile.id);
    let (status, value) = server.call(Method::PUT, &path, token, Some(json!({ "role": "staff" }))).await;
    assert_eq!((status, field(&value)), (422, Some("storeId")), "staff need a store");
    let (status, value) = server
        .call(Method::PUT, &path, token, Some(json!({ "role": "consumer", "storeId": "sh-001" })))
        .await;
    assert_eq!((status, field(&value)), (422, Some("storeId")), "only staff have one");
    let (status, value) =
        server.call(Method::PUT, &path, token, Some(json!({ "role": "staff", "storeId": "sh-001" }))).await;
    assert_eq!(status, 200, "{value}");
    assert_eq!((value["role"].as_str(), value["storeId"].as_str()), (Some("staff"), Some("sh-001")));
    let own = format!("/v1/admin/accounts/{}/role", first.profile.id);
    let (status, value) = server.call(Method::PUT, &own, token, Some(json!({ "role": "consumer" }))).await;
    assert_eq!((status, field(&value)), (422, Some("role")), "no operator demotes themselves");
    let (status, _) = server
        .call(Method::PUT, "/v1/admin/accounts/nope/role", token, Some(json!({ "role": "operator" })))
        .await;
    assert_eq!(status, 404);
    let (status, _) =
        server.call(Method::PUT, &own, &clerk.session.token, Some(json!({ "role": "consumer" }))).await;
    assert_eq!(status, 403, "staff are no operators");
    server.stop().await;
    db.drop_database().await;
}

async fn operators_author_change_and_retire_challenges(db: TestDb) {
    let server = Running::start(db.url()).await;
    let op = server.sign_up("op@example.com", json!({})).await;
    let fan = server.sign_up("fan@example.com", json!({})).await;
    assert!(set_role_from_the_command_line(&db, "op@example.com", "operator").status.success());
    let token = &op.session.token;

    let (status, _) = server
        .call(Method::POST, "/v1/challenges", &fan.session.token, Some(a_challenge("lights-out")))
        .await;
    assert_eq!(status, 403);
    let mut bad = a_challenge("lights-out");
    bad["title"]["zh-CN"] = json!("");
    let (status, value) = server.call(Method::POST, "/v1/challenges", token, Some(bad)).await;
    assert_eq!((status, field(&value)), (422, Some("title.zh-CN")), "{value}");
    let mut bad = a_challenge("lights-out");
    bad["rule"]["windowDays"] = json!(0);
    let (status, value) = server.call(Method::POST, "/v1/challenges", token, Some(bad)).await;
    assert_eq!((status, field(&value)), (422, Some("rule.windowDays")), "{value}");
    let (status, value) =
        server.call(Method::POST, "/v1/challenges", token, Some(a_challenge("lights-out"))).await;
    assert_eq!(status, 201, "{value}");
    let (status, value) =
        server.call(Method::POST, "/v1/challenges", token, Some(a_challenge("lights-out"))).await;
    assert_eq!((status, field(&value)), (409, Some("id")));

    let (_, text) = server.get("/v1/challenges").await;
    let catalog: Catalog = serde_json::from_str(&text).expect("catalog");
    assert_eq!(catalog.challenges.last().map(|c| c.id.as_str()), Some("lights-out"), "added at the end");

    let mut changed = a_challenge("lights-out");
    changed["points"] = json!(60);
    let (status, value) =
        server.call(Method::PUT, "/v1/challenges/lights-out", token, Some(changed.clone())).await;
    assert_eq!(status, 200, "{value}");
    let stored: Challenge = serde_json::from_value(value).expect("challenge");
    assert_eq!(stored.points, 60);
    let (status, value) = server.call(Method::PUT, "/v1/challenges/other-id", token, Some(changed)).await;
    assert_eq!((status, field(&value)), (422, Some("id")));

    // Someone joins, then it is retired: they keep it, nobody new can join, the catalog drops it.
    let (status, value) = server
        .call(Method::POST, "/v1/challenges/lights-out/join", &fan.session.token, Some(json!({})))
        .await;
    assert_eq!(status, 201, "{value}");
    assert_eq!(server.call(Method::DELETE, "/v1/challenges/lights-out", token, None).await.0, 204);
    assert_eq!(server.call(Method::DELETE, "/v1/challenges/lights-out", token, None).await.0, 404);
    let (_, text) = server.get("/v1/challenges").await;
    let catalog: Catalog = serde_json::from_str(&text).expect("catalog");
    assert!(catalog.challenges.iter().all(|c| c.id != "lights-out"));
    let late = server.sign_up("late@example.com", json!({})).await;
    let (status, _) = server
        .call(Method::POST, "/v1/challenges/lights-out/join", &late.session.token, Some(json!({})))
        .await;
    assert_eq!(status, 404, "a retired challenge takes nobody new");
    let (status, value) = server.call(Method::GET, "/v1/me/challenges", &fan.session.token, None).await;
    assert_eq!(status, 200, "{value}");
    assert!(value.to_string().contains("lights-out"), "the participant keeps it: {value}");
    server.stop().await;
    db.drop_database().await;
}

async fn operators_manage_rewards(db: TestDb) {
    let server = Running::start(db.url()).await;
    let op = server.sign_up("op@example.com", json!({})).await;
    assert!(set_role_from_the_command_line(&db, "op@example.com", "operator").status.success());
    let token = &op.session.token;
    let reward = json!({ "id": "bulb-coupon", "points": 500,
        "title": { "en": "Smart bulb coupon", "zh-CN": "智能灯泡优惠券" },
        "description": { "en": "30% off one bulb", "zh-CN": "灯泡七折" } });
    let (status, value) = server.call(Method::POST, "/v1/rewards", token, Some(json!({ "id": "x" }))).await;
    assert_eq!(status, 422, "{value}");
    let (status, value) = server.call(Method::POST, "/v1/rewards", token, Some(reward.clone())).await;
    assert_eq!(status, 201, "{value}");
    let (status, _) = server.call(Method::POST, "/v1/rewards", token, Some(reward.clone())).await;
    assert_eq!(status, 409);
    let mut cheaper = reward.clone();
    cheaper["points"] = json!(0);
    let (status, value) =
        server.call(Method::PUT, "/v1/rewards/bulb-coupon", token, Some(cheaper.clone())).await;
    assert_eq!((status, field(&value)), (422, Some("points")));
    cheaper["points"] = json!(400);
    let (status, value) = server.call(Method::PUT, "/v1/rewards/bulb-coupon", token, Some(cheaper)).await;
    assert_eq!(status, 200, "{value}");
    let stored: Reward = serde_json::from_value(value).expect("reward");
    assert_eq!(stored.points, 400);

    // The catalog answers with an ETag and 304 while it is unchanged; a change makes a new tag.
    let fetch = |tag: Option<String>| {
        let mut request = reqwest::Client::new().get(format!("{}/v1/rewards", server.base));
        if let Some(tag) = tag {
            request = request.header("if-none-match", tag);
        }
        request.send()
    };
    let first = fetch(None).await.expect("request");
    let tag = first.headers()["etag"].to_str().expect("ascii").to_owned();
    let catalog: RewardCatalog = serde_json::from_str(&first.text().await.expect("body")).expect("catalog");
    assert!(catalog.rewards.iter().any(|r| r.id == "bulb-coupon"));
    let again = fetch(Some(tag.clone())).await.expect("request");
    assert_eq!(again.status().as_u16(), 304);
    assert!(again.text().await.expect("body").is_empty());
    assert_eq!(server.call(Method::DELETE, "/v1/rewards/bulb-coupon", token, None).await.0, 204);
    let after = fetch(Some(tag.clone())).await.expect("request");
    assert_eq!(after.status().as_u16(), 200, "retiring changed the catalog");
    assert_ne!(after.headers()["etag"].to_str().expect("ascii"), tag);
    let catalog: RewardCatalog = serde_json::from_str(&after.text().await.expect("body")).expect("catalog");
    assert!(catalog.rewards.iter().all(|r| r.id != "bulb-coupon"));
    let (status, _) = server
        .call(
            Method::POST,
            "/v1/rewards/bulb-coupon/redeem",
            token,
            Some(json!({ "redemptionId": uuid::Uuid::now_v7().to_string() })),
        )
        .await;
    assert_eq!(status, 404, "a retired reward cannot be redeemed");
    server.stop().await;
    db.drop_database().await;
}

on_both_databases!(
    operators_are_made_on_the_command_line_then_through_the_api,
    operators_author_change_and_retire_challenges,
    operators_manage_rewards,
);
