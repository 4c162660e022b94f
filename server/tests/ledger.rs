//! The points ledger on SQLite and PostgreSQL: concurrent transfers with retried ids never
//! overdraw a wallet, keep the books balanced and apply each id once; points expire after their
//! lifetime; the wallet and grant endpoints check who may do what.

#[macro_use]
mod common;

use std::collections::HashMap;

use common::{Running, TestDb};
use hearth_core::ledger::{POINTS_LIFETIME_MS, TransferKind, WalletView};
use hearth_server::ledger::{Applied, HistoryPage, TransferRequest, apply, wallet_of};
use hearth_server::{Db, Error};
use reqwest::Method;
use serde_json::json;

/// Adds users straight to the database (the ledger does not care how they signed up, and
/// hashing passwords would only slow the test).
async fn add_users(db: &Db, count: usize, role: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for i in 0..count {
        let id = uuid::Uuid::now_v7().to_string();
        sqlx::query(
            "INSERT INTO users (id, email, display_name, password_hash, role, locale, created_at_ms) \
             VALUES ($1, $2, 'Test', 'x', $3, 'en', 0)",
        )
        .bind(&id)
        .bind(format!("{role}{i}-{id}@example.com"))
        .bind(role)
        .execute(db.pool())
        .await
        .expect("insert user");
        ids.push(id);
    }
    ids
}

async fn scalar(db: &Db, sql: &str) -> i64 {
    let (value,): (i64,) = sqlx::query_as(sql).fetch_one(db.pool()).await.expect(sql);
    value
}

async fn concurrent_transfers_never_overdraw_and_apply_each_id_once(db: TestDb) {
    let server = Running::start(db.url()).await;
    let ledger = server.db().clone();
    let users = add_users(&ledger, 6, "consumer").await;
    // Seeded, so a failure can be replayed: HEARTH_LEDGER_SEED=<seed> cargo test ...
    let seed: u64 =
        std::env::var("HEARTH_LEDGER_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x5eed_2026);
    const CLIENTS: usize = 16;
    const OPS: usize = 40;
    let mut tasks = Vec::new();
    for client in 0..CLIENTS {
        let ledger = ledger.clone();
        let users = users.clone();
        let mut rng = fastrand::Rng::with_seed(seed.wrapping_add(client as u64));
        tasks.push(tokio::spawn(async move {
            let mut sent: Vec<TransferRequest> = Vec::new();
            let mut outcomes: Vec<(String, &'static str)> = Vec::new();
            for _ in 0..OPS {
                // A quarter of the time, retry something already sent (a lost response).
                let request = if !sent.is_empty() && rng.u8(0..4) == 0 {
                    sent[rng.usize(0..sent.len())].clone()
                } else {
                    let kind = if rng.bool() { TransferKind::Award } else { TransferKind::Redeem };
                    TransferRequest {
                        id: uuid::Uuid::now_v7().to_string(),
                        kind,
                        user_id: users[rng.usize(0..users.len())].clone(),
                        amount: rng.u64(1..60),
                        memo: format!("client {client}"),
                        challenge_id: None,
                        reward_id: None,
                    }
                };
                let outcome = match apply(&ledger, &request, hearth_server::now_ms()).await {
                    Ok(Applied::New(_)) => "new",
                    Ok(Applied::Duplicate(_)) => "duplicate",
                    Err(Error::InsufficientPoints) => "insufficient",
                    Err(other) => panic!("seed {seed}: unexpected error {other}"),
                };
                outcomes.push((request.id.clone(), outcome));
                sent.push(request);
            }
            outcomes
        }));
    }
    let mut news: HashMap<String, usize> = HashMap::new();
    for task in tasks {
        for (id, outcome) in task.await.expect("client task") {
            let count = news.entry(id).or_default();
            if outcome == "new" {
                *count += 1;
            }
        }
    }

    // Each id applied at most once, and exactly the applied ones are recorded.
    for (id, count) in &news {
        assert!(*count <= 1, "seed {seed}: {id} applied {count} times");
        let (recorded,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM ledger_transfers WHERE id = $1")
            .bind(id)
            .fetch_one(ledger.pool())
            .await
            .expect("count");
        assert_eq!(recorded as usize, *count, "seed {seed}: {id}");
    }
    // No wallet below zero; the books balance; wallets hold issued minus spent minus expired.
    assert_eq!(
        scalar(&ledger, "SELECT COUNT(*) FROM ledger_accounts WHERE kind = 'wallet' AND balance < 0").await,
        0
    );
    assert_eq!(
        scalar(&ledger, "SELECT CAST(COALESCE(SUM(balance), 0) AS BIGINT) FROM ledger_accounts").await,
        0,
        "seed {seed}"
    );
    let issued = -scalar(&ledger, "SELECT balance FROM ledger_accounts WHERE id = 'system:issuance'").await;
    let spent = scalar(&ledger, "SELECT balance FROM ledger_accounts WHERE id = 'system:spent'").await;
    let wallets = scalar(
        &ledger,
        "SELECT CAST(COALESCE(SUM(balance), 0) AS BIGINT) FROM ledger_accounts WHERE kind = 'wallet'",
    )
    .await;
    assert_eq!(wallets, issued - spent, "seed {seed}");
    assert!(issued > 0 && spent > 0, "seed {seed}: the schedule exercised both kinds ({issued}, {spent})");
    // Each balance is what its transfers add up to.
    for user in &users {
        let wallet = format!("wallet:{user}");
        let (balance,): (i64,) = sqlx::query_as("SELECT balance FROM ledger_accounts WHERE id = $1")
            .bind(&wallet)
            .fetch_one(ledger.pool())
            .await
            .expect("balance");
        let (credits,): (i64,) = sqlx::query_as(
            "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM ledger_transfers WHERE to_account = $1",
        )
        .bind(&wallet)
        .fetch_one(ledger.pool())
        .await
        .expect("credits");
        let (debits,): (i64,) = sqlx::query_as(
            "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM ledger_transfers WHERE from_account = $1",
        )
        .bind(&wallet)
        .fetch_one(ledger.pool())
        .await
        .expect("debits");
        assert_eq!(balance, credits - debits, "seed {seed}: {wallet}");
        let view = wallet_of(&ledger, user, hearth_server::now_ms()).await.expect("wallet");
        assert_eq!(view.balance as i64, balance, "seed {seed}: the wallet view agrees with the books");
    }
    server.stop().await;
    db.drop_database().await;
}

async fn points_expire_after_their_lifetime_and_only_once(db: TestDb) {
    let server = Running::start(db.url()).await;
    let ledger = server.db().clone();
    let user = add_users(&ledger, 1, "consumer").await.remove(0);
    let t0 = 1_800_000_000_000;
    let award = |id: &str, amount| TransferRequest {
        id: id.to_owned(),
        kind: TransferKind::Award,
        user_id: user.clone(),
        amount,
        memo: "challenge".into(),
        challenge_id: None,
        reward_id: None,
    };
    apply(&ledger, &award("a1", 100), t0).await.expect("award");
    apply(&ledger, &award("a2", 50), t0 + 10 * 86_400_000).await.expect("award");
    let redeem = TransferRequest {
        id: "r1".into(),
        kind: TransferKind::Redeem,
        user_id: user.clone(),
        amount: 30,
        memo: "reward".into(),
        challenge_id: None,
        reward_id: None,
    };
    apply(&ledger, &redeem, t0 + 20 * 86_400_000).await.expect("redeem");

    // 25 days before the first lot expires, the wallet warns about its remaining 70 points (the
    // second lot expires in 35 days: beyond the 30-day warning).
    let view = wallet_of(&ledger, &user, t0 + POINTS_LIFETIME_MS - 25 * 86_400_000).await.expect("wallet");
    assert_eq!(view.balance, 120);
    assert_eq!(view.expiring_soon.iter().map(|l| l.amount).collect::<Vec<_>>(), vec![70]);
    assert_eq!(view.next_expiry_at_ms, Some(t0 + POINTS_LIFETIME_MS));

    // After it expires, 70 points have left for the expired account, once, however often asked.
    let later = t0 + POINTS_LIFETIME_MS + 1;
    for _ in 0..3 {
        let view: WalletView = wallet_of(&ledger, &user, later).await.expect("wallet");
        assert_eq!(view.balance, 50);
    }
    assert_eq!(scalar(&ledger, "SELECT balance FROM ledger_accounts WHERE id = 'system:expired'").await, 70);
    // Expired points cannot be spent.
    let overspend = TransferRequest { id: "r2".into(), amount: 60, ..redeem.clone() };
    assert!(matches!(apply(&ledger, &overspend, later).await, Err(Error::InsufficientPoints)));
    assert_eq!(
        scalar(&ledger, "SELECT CAST(COALESCE(SUM(balance), 0) AS BIGINT) FROM ledger_accounts").await,
        0
    );
    server.stop().await;
    db.drop_database().await;
}

async fn the_wallet_and_grant_endpoints_check_who_asks(db: TestDb) {
    let server = Running::start(db.url()).await;
    let ledger = server.db().clone();
    let signed = server.sign_up("user@example.com", json!({})).await;
    let (user, user_token) = (signed.profile.id, signed.session.token);
    let signed = server.sign_up("operator@example.com", json!({})).await;
    let (operator, operator_token) = (signed.profile.id, signed.session.token);
    sqlx::query("UPDATE users SET role = 'operator' WHERE id = $1")
        .bind(&operator)
        .execute(ledger.pool())
        .await
        .expect("promote");

    let grant = |id: &str, user_id: &str, amount: i64| {
        json!({ "id": id, "userId": user_id, "amount": amount, "memo": "welcome" }).to_string()
    };
    let id = uuid::Uuid::now_v7().to_string();
    // Consumers may not grant points; nobody unsigned may.
    let (status, _, _) = server
        .send(Method::POST, "/v1/operator/grants", Some(&user_token), Some(&grant(&id, &user, 100)))
        .await;
    assert_eq!(status, 403);
    let (status, _, _) =
        server.send(Method::POST, "/v1/operator/grants", None, Some(&grant(&id, &user, 100))).await;
    assert_eq!(status, 401);
    // An operator's grant applies once; the retry returns it; the id cannot be reused.
    let (status, first, _) = server
        .send(Method::POST, "/v1/operator/grants", Some(&operator_token), Some(&grant(&id, &user, 100)))
        .await;
    assert_eq!(status, 201, "{first}");
    let (status, again, _) = server
        .send(Method::POST, "/v1/operator/grants", Some(&operator_token), Some(&grant(&id, &user, 100)))
        .await;
    assert_eq!((status, &again), (200, &first));
    let (status, text, _) = server
        .send(Method::POST, "/v1/operator/grants", Some(&operator_token), Some(&grant(&id, &user, 999)))
        .await;
    assert_eq!(status, 409, "{text}");
    // Bad input: unknown user, zero, negative and huge amounts, a non-UUID id.
    let fresh = || uuid::Uuid::now_v7().to_string();
    for (body, expected) in [
        (grant(&fresh(), "no-such-user", 10), 404),
        (grant(&fresh(), &user, 0), 422),
        (grant(&fresh(), &user, -5), 422),
        (grant(&fresh(), &user, 10_000_000), 422),
        (grant("not-a-uuid", &user, 10), 422),
    ] {
        let (status, text, _) =
            server.send(Method::POST, "/v1/operator/grants", Some(&operator_token), Some(&body)).await;
        assert_eq!(status, expected, "{body} -> {text}");
    }

    let (status, text, _) = server.send(Method::GET, "/v1/wallet", Some(&user_token), None).await;
    assert_eq!(status, 200, "{text}");
    let view: WalletView = serde_json::from_str(&text).expect("wallet");
    assert_eq!(view.balance, 100);
    assert!(view.next_expiry_at_ms.is_some(), "the expiry date is stated up front");
    let (status, text, _) = server.send(Method::GET, "/v1/wallet", Some(&operator_token), None).await;
    assert_eq!((status, serde_json::from_str::<WalletView>(&text).expect("wallet").balance), (200, 0));

    // History pages, newest first, with a cursor.
    for _ in 0..4 {
        let (status, _, _) = server
            .send(
                Method::POST,
                "/v1/operator/grants",
                Some(&operator_token),
                Some(&grant(&fresh(), &user, 10)),
            )
            .await;
        assert_eq!(status, 201);
    }
    let (status, text, _) =
        server.send(Method::GET, "/v1/wallet/history?limit=3", Some(&user_token), None).await;
    assert_eq!(status, 200, "{text}");
    let page: HistoryPage = serde_json::from_str(&text).expect("page");
    assert_eq!(page.entries.len(), 3);
    let cursor = page.next_cursor.expect("a next page");
    let (_, text, _) = server
        .send(Method::GET, &format!("/v1/wallet/history?limit=3&before={cursor}"), Some(&user_token), None)
        .await;
    let rest: HistoryPage = serde_json::from_str(&text).expect("page");
    assert_eq!(rest.entries.len(), 2);
    assert!(rest.next_cursor.is_none());
    let mut ids: Vec<_> = page.entries.iter().chain(&rest.entries).map(|t| t.id.clone()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 5, "no entry shown twice or skipped");
    for query in ["limit=0", "limit=101", "before=garbage", "limit=abc"] {
        let (status, _, _) =
            server.send(Method::GET, &format!("/v1/wallet/history?{query}"), Some(&user_token), None).await;
        assert_eq!(status, 422, "{query}");
    }
    server.stop().await;
    db.drop_database().await;
}

on_both_databases!(
    concurrent_transfers_never_overdraw_and_apply_each_id_once,
    points_expire_after_their_lifetime_and_only_once,
    the_wallet_and_grant_endpoints_check_who_asks,
);
