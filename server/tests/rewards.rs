//! Rewards on SQLite and PostgreSQL: redeeming spends once and returns a signed code; the counter
//! consumes a code once; forged, altered, used and expired codes are refused; points come back,
//! once, for a code that expires unused.

#[macro_use]
mod common;

use common::{Running, TestDb, award};
use hearth_core::ledger::{HistoryPage, TransferKind, WalletView};
use hearth_core::rewards::{Redemption, RedemptionStatus, RewardCatalog};
use reqwest::Method;
use serde_json::json;

/// Signs up and returns (user id, token).
async fn sign_up(server: &Running, email: &str) -> (String, String) {
    let signed = server.sign_up(email, json!({})).await;
    (signed.profile.id, signed.session.token)
}

async fn balance(server: &Running, token: &str) -> u64 {
    let (_, text, _) = server.send(Method::GET, "/v1/wallet", Some(token), None).await;
    serde_json::from_str::<WalletView>(&text).expect("wallet").balance
}

async fn redeem(server: &Running, token: &str, reward: &str, redemption_id: &str) -> (u16, String) {
    let body = json!({ "redemptionId": redemption_id }).to_string();
    let (status, text, _) =
        server.send(Method::POST, &format!("/v1/rewards/{reward}/redeem"), Some(token), Some(&body)).await;
    (status, text)
}

async fn consume(server: &Running, token: &str, code: &str) -> (u16, String) {
    let body = json!({ "code": code }).to_string();
    let (status, text, _) =
        server.send(Method::POST, "/v1/staff/redemptions/consume", Some(token), Some(&body)).await;
    (status, text)
}

async fn redeem_spend_once_and_consume_once(db: TestDb) {
    let server = Running::start(db.url()).await;
    let (_, catalog) = server.get("/v1/rewards").await;
    let catalog: RewardCatalog = serde_json::from_str(&catalog).expect("catalog");
    assert!(catalog.rewards.iter().any(|r| r.id == "bulb-coupon-20" && r.points == 200));

    let (user, token) = sign_up(&server, "li@example.com").await;
    let (staff, staff_token) = sign_up(&server, "clerk@example.com").await;
    sqlx::query("UPDATE users SET role = 'staff', store_id = 'sh-001' WHERE id = $1")
        .bind(&staff)
        .execute(server.db().pool())
        .await
        .expect("make staff");
    award(&server, &user, 250).await;

    let id = uuid::Uuid::now_v7().to_string();
    let (status, text) = redeem(&server, &token, "bulb-coupon-20", &id).await;
    assert_eq!(status, 201, "{text}");
    let redemption: Redemption = serde_json::from_str(&text).expect("redemption");
    assert_eq!(redemption.status, RedemptionStatus::Issued);
    assert_eq!(balance(&server, &token).await, 50);
    // A retry (the answer was lost) returns the same code and spends nothing more.
    let (status, again) = redeem(&server, &token, "bulb-coupon-20", &id).await;
    assert_eq!(status, 200);
    assert_eq!(serde_json::from_str::<Redemption>(&again).expect("redemption").code, redemption.code);
    assert_eq!(balance(&server, &token).await, 50);
    // Not enough points: refused, nothing spent.
    let (status, text) = redeem(&server, &token, "bulb-coupon-20", &uuid::Uuid::now_v7().to_string()).await;
    assert_eq!(status, 409, "{text}");
    assert_eq!(balance(&server, &token).await, 50);

    // Only staff consume codes, each once.
    assert_eq!(consume(&server, &token, &redemption.code).await.0, 403);
    let (status, text) = consume(&server, &staff_token, &redemption.code).await;
    assert_eq!(status, 200, "{text}");
    assert_eq!(
        serde_json::from_str::<Redemption>(&text).expect("redemption").status,
        RedemptionStatus::Consumed
    );
    let (status, text) = consume(&server, &staff_token, &redemption.code).await;
    assert_eq!((status, text.contains("code-used")), (409, true), "{text}");
    // The customer's app sees it consumed.
    let (_, text, _) = server.send(Method::GET, "/v1/me/redemptions", Some(&token), None).await;
    let mine: Vec<Redemption> = serde_json::from_str(&text).expect("list");
    assert_eq!(mine[0].status, RedemptionStatus::Consumed);
    assert!(mine[0].consumed_at_ms.is_some());
    server.stop().await;
    db.drop_database().await;
}

async fn forged_and_expired_codes_are_refused_and_points_come_back_once(db: TestDb) {
    let server = Running::start(db.url()).await;
    let (user, token) = sign_up(&server, "li@example.com").await;
    let (staff, staff_token) = sign_up(&server, "clerk@example.com").await;
    sqlx::query("UPDATE users SET role = 'staff' WHERE id = $1")
        .bind(&staff)
        .execute(server.db().pool())
        .await
        .expect("staff");
    award(&server, &user, 100).await;
    let (_, text) = redeem(&server, &token, "store-coffee", &uuid::Uuid::now_v7().to_string()).await;
    let redemption: Redemption = serde_json::from_str(&text).expect("redemption");
    assert_eq!(balance(&server, &token).await, 50);

    // Altered and forged codes never reach the database.
    let later = redemption
        .code
        .replace(&redemption.expires_at_ms.to_string(), &(redemption.expires_at_ms + 1).to_string());
    for bad in [later.as_str(), "hearth1.0190.1.AAAA", "not a code", ""] {
        let (status, text) = consume(&server, &staff_token, bad).await;
        assert_eq!(status, 422, "{bad:?}: {text}");
    }
    // Bad requests: unknown reward, a redemption id that is not a UUID, wrong types.
    assert_eq!(redeem(&server, &token, "no-such-reward", &uuid::Uuid::now_v7().to_string()).await.0, 404);
    assert_eq!(redeem(&server, &token, "store-coffee", "123").await.0, 422);
    let (status, _, _) = server
        .send(Method::POST, "/v1/rewards/store-coffee/redeem", Some(&token), Some(r#"{"redemptionId": 5}"#))
        .await;
    assert_eq!(status, 422);

    // The code expires unused: the counter refuses it and the points come back, once.
    sqlx::query("UPDATE redemptions SET expires_at_ms = $1")
        .bind(hearth_server::now_ms() - 1)
        .execute(server.db().pool())
        .await
        .expect("expire");
    // The signature covers the original expiry; the database's (earlier) expiry decides.
    let (status, text) = consume(&server, &staff_token, &redemption.code).await;
    assert_eq!(status, 410, "{text}");
    for _ in 0..3 {
        assert_eq!(balance(&server, &token).await, 100);
    }
    let (_, text, _) = server.send(Method::GET, "/v1/me/redemptions", Some(&token), None).await;
    let mine: Vec<Redemption> = serde_json::from_str(&text).expect("list");
    assert_eq!(mine[0].status, RedemptionStatus::Refunded);
    let (status, _) = consume(&server, &staff_token, &redemption.code).await;
    assert_eq!(status, 410, "a refunded code stays refused");
    // The history: the grant, the spend and the refund, newest first, naming the reward.
    let (_, text, _) = server.send(Method::GET, "/v1/wallet/history", Some(&token), None).await;
    let history: HistoryPage = serde_json::from_str(&text).expect("history");
    let seen: Vec<(TransferKind, i128, Option<&str>)> =
        history.entries.iter().map(|t| (t.kind, t.signed_amount(), t.reward_id.as_deref())).collect();
    assert_eq!(
        seen,
        [
            (TransferKind::Refund, 50, Some("store-coffee")),
            (TransferKind::Redeem, -50, Some("store-coffee")),
            (TransferKind::Award, 100, None)
        ],
        "{text}"
    );
    server.stop().await;
    db.drop_database().await;
}

on_both_databases!(
    redeem_spend_once_and_consume_once,
    forged_and_expired_codes_are_refused_and_points_come_back_once,
);
