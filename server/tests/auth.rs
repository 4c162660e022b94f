//! Accounts and sessions on SQLite and PostgreSQL: the happy paths and every bad input the
//! auth routes must refuse without changing anything.

#[macro_use]
mod common;

use common::{Running, TestDb};
use hearth_core::account::{Profile, Role, SessionInfo, SignedIn};
use hearth_core::api::ErrorBody;
use hearth_server::Config;
use reqwest::Method;
use serde_json::json;

use common::PASSWORD;

async fn sign_up(server: &Running, email: &str) -> SignedIn {
    server.sign_up(email, json!({ "displayName": "Li Wei", "locale": "zh-CN" })).await
}

async fn sign_in(server: &Running, email: &str, password: &str) -> (u16, String) {
    let body = json!({ "email": email, "password": password });
    let (status, text, _) =
        server.send(Method::POST, "/v1/auth/sign-in", None, Some(&body.to_string())).await;
    (status, text)
}

async fn me(server: &Running, token: &str) -> (u16, String) {
    let (status, text, _) = server.send(Method::GET, "/v1/me", Some(token), None).await;
    (status, text)
}

fn error_of(text: &str) -> (String, Option<String>) {
    let body: ErrorBody =
        serde_json::from_str(text).unwrap_or_else(|e| panic!("not the error shape ({e}): {text}"));
    (body.error.code.as_str().to_owned(), body.error.field)
}

async fn sign_up_sign_in_and_me(db: TestDb) {
    let server = Running::start(db.url()).await;
    let signed_up = sign_up(&server, "  Li.Wei@Example.com ").await;
    assert_eq!(signed_up.profile.email, "li.wei@example.com");
    assert_eq!(signed_up.profile.role, Role::Consumer);
    assert!(signed_up.session.token.len() >= 43, "256-bit token");

    let (status, text) = me(&server, &signed_up.session.token).await;
    assert_eq!(status, 200, "{text}");
    let profile: Profile = serde_json::from_str(&text).expect("profile");
    assert_eq!(profile, signed_up.profile);

    let (status, text) = sign_in(&server, "LI.WEI@example.com", PASSWORD).await;
    assert_eq!(status, 200, "{text}");
    let signed_in: SignedIn = serde_json::from_str(&text).expect("signed in");
    assert_eq!(signed_in.profile, signed_up.profile);
    assert_ne!(signed_in.session.token, signed_up.session.token, "each sign-in is its own session");

    // Neither the password nor the token is stored as given.
    let stored: Vec<(String,)> =
        sqlx::query_as("SELECT password_hash FROM users").fetch_all(server.db().pool()).await.expect("query");
    assert!(stored[0].0.starts_with("$argon2id$"), "{}", stored[0].0);
    let tokens: Vec<(String,)> =
        sqlx::query_as("SELECT token_hash FROM sessions").fetch_all(server.db().pool()).await.expect("query");
    assert!(tokens.iter().all(|(hash,)| hash != &signed_in.session.token && hash.len() == 64));
    server.stop().await;
    db.drop_database().await;
}

async fn wrong_credentials_say_nothing_about_which_part_was_wrong(db: TestDb) {
    let server = Running::start(db.url()).await;
    sign_up(&server, "li@example.com").await;
    let (status, wrong_password) = sign_in(&server, "li@example.com", "not the password").await;
    assert_eq!(status, 401);
    let (status, no_account) = sign_in(&server, "nobody@example.com", PASSWORD).await;
    assert_eq!(status, 401);
    let (status, not_an_address) = sign_in(&server, "nobody", PASSWORD).await;
    assert_eq!(status, 401);
    assert_eq!(wrong_password, no_account, "the answers must not differ");
    assert_eq!(no_account, not_an_address);
    assert_eq!(error_of(&no_account).0, "wrong-credentials");
    server.stop().await;
    db.drop_database().await;
}

async fn bad_sign_up_input_is_refused_naming_the_field(db: TestDb) {
    // More attempts than the default sign-up rate limit allows from one address.
    let mut config = Config::for_database(db.url());
    config.auth_burst = 100;
    let server = Running::start_with(config).await;
    sign_up(&server, "taken@example.com").await;
    let cases = [
        (
            r#"{"email": "taken@example.com", "password": "long enough", "displayName": "X"}"#,
            409,
            "taken",
            Some("email"),
        ),
        (
            r#"{"email": "not-an-address", "password": "long enough", "displayName": "X"}"#,
            422,
            "invalid-field",
            Some("email"),
        ),
        (
            r#"{"email": "a@example.com", "password": "short", "displayName": "X"}"#,
            422,
            "invalid-field",
            Some("password"),
        ),
        (
            r#"{"email": "a@example.com", "password": "long enough", "displayName": "  "}"#,
            422,
            "invalid-field",
            Some("displayName"),
        ),
        (
            r#"{"email": "a@example.com", "password": 12345678, "displayName": "X"}"#,
            422,
            "invalid-field",
            Some("password"),
        ),
        (r#"{"email": "a@example.com", "displayName": "X"}"#, 422, "invalid-field", Some("password")),
        (
            r#"{"email": "a@example.com", "password": "long enough", "displayName": "X", "role": "operator"}"#,
            422,
            "invalid-field",
            Some("role"),
        ),
        (
            r#"{"email": "a@example.com", "password": "long enough", "displayName": "X", "locale": "fr"}"#,
            422,
            "invalid-field",
            Some("locale"),
        ),
        (r#"{"email": "a@example.com", "password": "#, 400, "malformed-json", None),
        (r#"["a@example.com"]"#, 422, "invalid-field", Some(".")),
    ];
    for (body, status, code, field) in cases {
        let (got, text, _) = server.send(Method::POST, "/v1/auth/sign-up", None, Some(body)).await;
        assert_eq!(got, status, "{body} -> {text}");
        let (got_code, got_field) = error_of(&text);
        assert_eq!(got_code, code, "{body}");
        assert_eq!(got_field.as_deref(), field, "{body}");
    }
    // A body that is not declared as JSON.
    let response = reqwest::Client::new()
        .post(format!("{}/v1/auth/sign-up", server.base))
        .header("content-type", "text/plain")
        .body(r#"{"email": "a@example.com", "password": "long enough", "displayName": "X"}"#)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 415);
    // An oversized body is refused before it is parsed.
    let huge = format!(
        r#"{{"email": "a@example.com", "password": "long enough", "displayName": "{}"}}"#,
        "x".repeat(2 << 20)
    );
    let (status, _, _) = server.send(Method::POST, "/v1/auth/sign-up", None, Some(&huge)).await;
    assert_eq!(status, 413);
    // Nothing of the refused sign-ups was stored.
    let (count,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM users").fetch_one(server.db().pool()).await.expect("count");
    assert_eq!(count, 1);
    server.stop().await;
    db.drop_database().await;
}

async fn tokens_stop_working_when_signed_out_expired_or_forged(db: TestDb) {
    let server = Running::start(db.url()).await;
    let first = sign_up(&server, "li@example.com").await.session.token;
    let (_, text) = sign_in(&server, "li@example.com", PASSWORD).await;
    let second = serde_json::from_str::<SignedIn>(&text).expect("signed in").session.token;
    let (_, text) = sign_in(&server, "li@example.com", PASSWORD).await;
    let third = serde_json::from_str::<SignedIn>(&text).expect("signed in").session.token;

    // No token, a forged one, a malformed header.
    assert_eq!(server.send(Method::GET, "/v1/me", None, None).await.0, 401);
    assert_eq!(me(&server, "forged-token").await.0, 401);
    let (status, text, headers) = server.send(Method::GET, "/v1/me", Some(""), None).await;
    assert_eq!(status, 401, "{text}");
    assert_eq!(headers.get("www-authenticate").and_then(|v| v.to_str().ok()), Some("Bearer"));

    // Signing out ends that session only; replaying it fails.
    let (status, _, _) = server.send(Method::POST, "/v1/auth/sign-out", Some(&first), None).await;
    assert_eq!(status, 204);
    let (status, text) = me(&server, &first).await;
    assert_eq!((status, error_of(&text).0.as_str()), (401, "unauthenticated"));
    assert_eq!(me(&server, &second).await.0, 200);

    // An expired session says so, and is removed.
    sqlx::query("UPDATE sessions SET expires_at_ms = 1").execute(server.db().pool()).await.expect("expire");
    let (status, text) = me(&server, &second).await;
    assert_eq!((status, error_of(&text).0.as_str()), (401, "session-expired"));
    assert_eq!(me(&server, &second).await.0, 401);

    // Signing out everywhere ends every session of the account.
    sqlx::query("UPDATE sessions SET expires_at_ms = $1")
        .bind(hearth_server::now_ms() + 60_000)
        .execute(server.db().pool())
        .await
        .expect("unexpire");
    let (_, text) = sign_in(&server, "li@example.com", PASSWORD).await;
    let fourth = serde_json::from_str::<SignedIn>(&text).expect("signed in").session.token;
    let (status, _, _) = server.send(Method::POST, "/v1/auth/sign-out-everywhere", Some(&fourth), None).await;
    assert_eq!(status, 204);
    for token in [&third, &fourth] {
        assert_eq!(me(&server, token).await.0, 401);
    }
    server.stop().await;
    db.drop_database().await;
}

async fn sign_in_attempts_are_rate_limited_per_client(db: TestDb) {
    let mut config = Config::for_database(db.url());
    config.auth_burst = 3;
    config.auth_replenish_secs = 60.0;
    let server = Running::start_with(config).await;
    for attempt in 1..=3 {
        let (status, text) = sign_in(&server, "li@example.com", "guess").await;
        assert_eq!(status, 401, "attempt {attempt}: {text}");
    }
    let (status, text, headers) = server
        .send(
            Method::POST,
            "/v1/auth/sign-in",
            None,
            Some(r#"{"email":"li@example.com","password":"guess"}"#),
        )
        .await;
    assert_eq!(status, 429, "{text}");
    assert_eq!(error_of(&text).0, "rate-limited");
    let retry: u64 = headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After");
    assert!((1..=60).contains(&retry), "{retry}");
    // Reading is not limited.
    assert_eq!(server.get("/v1/challenges").await.0, 200);
    server.stop().await;
    db.drop_database().await;
}

async fn writes_are_rate_limited_per_session_and_reads_are_not(db: TestDb) {
    let mut config = Config::for_database(db.url());
    config.write_burst = 3;
    config.write_replenish_secs = 60.0;
    let server = Running::start_with(config).await;
    // Sign-up is a write too: the first burst covers two accounts.
    let first = sign_up(&server, "li@example.com").await.session.token;
    let (_, text) = sign_in(&server, "li@example.com", PASSWORD).await;
    assert!(text.contains("token"), "{text}");
    // Each session has its own allowance.
    let second = serde_json::from_str::<SignedIn>(&text).expect("signed in").session.token;
    let change = r#"{"timeZone": "Asia/Shanghai"}"#;
    for _ in 0..3 {
        let (status, text, _) = server.send(Method::PATCH, "/v1/me", Some(&second), Some(change)).await;
        assert_eq!(status, 200, "{text}");
    }
    let (status, text, headers) = server.send(Method::PATCH, "/v1/me", Some(&second), Some(change)).await;
    assert_eq!(status, 429, "{text}");
    assert!(headers.contains_key("retry-after"));
    assert_eq!(me(&server, &second).await.0, 200, "reads are not limited");
    let (status, _, _) = server.send(Method::PATCH, "/v1/me", Some(&first), Some(change)).await;
    assert_eq!(status, 200, "another session is not affected");
    server.stop().await;
    db.drop_database().await;
}

async fn the_owner_changes_name_language_and_password(db: TestDb) {
    let server = Running::start(db.url()).await;
    let here = sign_up(&server, "li@example.com").await.session.token;
    let (_, other) = sign_in(&server, "li@example.com", PASSWORD).await;
    let other: SignedIn = serde_json::from_str(&other).expect("signed in");

    let change = json!({ "displayName": "  李伟 ", "locale": "en" });
    let (status, changed) = server.call(Method::PATCH, "/v1/me", &here, Some(change)).await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!((changed["displayName"].as_str(), changed["locale"].as_str()), (Some("李伟"), Some("en")));
    let (status, refused) =
        server.call(Method::PATCH, "/v1/me", &here, Some(json!({ "displayName": "  " }))).await;
    assert_eq!((status, refused["error"]["field"].as_str()), (422, Some("displayName")), "{refused}");

    let wrong = json!({ "currentPassword": "not it at all", "newPassword": "a brand new home" });
    let (status, refused) = server.call(Method::POST, "/v1/me/password", &here, Some(wrong)).await;
    assert_eq!((status, refused["error"]["field"].as_str()), (422, Some("currentPassword")), "{refused}");
    let weak = json!({ "currentPassword": PASSWORD, "newPassword": "li@example.com" });
    let (status, refused) = server.call(Method::POST, "/v1/me/password", &here, Some(weak)).await;
    assert_eq!((status, refused["error"]["field"].as_str()), (422, Some("newPassword")), "{refused}");
    let right = json!({ "currentPassword": PASSWORD, "newPassword": "a brand new home" });
    assert_eq!(server.call(Method::POST, "/v1/me/password", &here, Some(right)).await.0, 204);
    assert_eq!(me(&server, &here).await.0, 200, "this session stays");
    assert_eq!(me(&server, &other.session.token).await.0, 401, "the others end");
    assert_eq!(sign_in(&server, "li@example.com", PASSWORD).await.0, 401);
    assert_eq!(sign_in(&server, "li@example.com", "a brand new home").await.0, 200);
    server.stop().await;
    db.drop_database().await;
}

on_both_databases!(
    the_owner_changes_name_language_and_password,
    writes_are_rate_limited_per_session_and_reads_are_not,
    sign_up_sign_in_and_me,
    wrong_credentials_say_nothing_about_which_part_was_wrong,
    bad_sign_up_input_is_refused_naming_the_field,
    tokens_stop_working_when_signed_out_expired_or_forged,
    sign_in_attempts_are_rate_limited_per_client,
    the_owner_sees_their_signed_in_devices_and_signs_one_out,
);

async fn the_owner_sees_their_signed_in_devices_and_signs_one_out(db: TestDb) {
    let server = Running::start(db.url()).await;
    let first = sign_up(&server, "li.wei@example.com").await;
    let other = sign_up(&server, "other@example.com").await;
    // A second device signs in, naming itself (a control character in its name is dropped).
    let body = json!({ "email": "li.wei@example.com", "password": PASSWORD }).to_string();
    let response = reqwest::Client::new()
        .post(format!("{}/v1/auth/sign-in", server.base))
        .header("user-agent", "Hearth/0.1.0 (linux; Mei\t's phone)")
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .expect("sign in");
    assert_eq!(response.status().as_u16(), 200);
    let phone: SignedIn = serde_json::from_str(&response.text().await.expect("body")).expect("signed in");

    let (status, text, _) =
        server.send(Method::GET, "/v1/me/sessions", Some(&phone.session.token), None).await;
    assert_eq!(status, 200, "{text}");
    let listed: Vec<SessionInfo> = serde_json::from_str(&text).expect("sessions");
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert!(listed[0].current, "newest first, and it is this one");
    assert_eq!(listed[0].device.as_deref(), Some("Hearth/0.1.0 (linux; Mei's phone)"));
    assert!(!listed[1].current);
    assert!(!text.contains(&first.session.token) && !text.contains(&phone.session.token), "no tokens listed");

    // Another account cannot end it; the owner can, from the phone, and the first device is out.
    let path = format!("/v1/me/sessions/{}", listed[1].id);
    assert_eq!(server.send(Method::DELETE, &path, Some(&other.session.token), None).await.0, 404);
    assert_eq!(me(&server, &first.session.token).await.0, 200);
    assert_eq!(server.send(Method::DELETE, &path, Some(&phone.session.token), None).await.0, 204);
    assert_eq!(me(&server, &first.session.token).await.0, 401);
    assert_eq!(server.send(Method::DELETE, &path, Some(&phone.session.token), None).await.0, 404);
    assert_eq!(me(&server, &phone.session.token).await.0, 200, "the phone stays signed in");
    server.stop().await;
    db.drop_database().await;
}

/// Two instances on one PostgreSQL serve the same signed-in user interchangeably: sessions live
/// in the database, not in an instance.
#[tokio::test]
async fn two_instances_share_sessions_on_one_postgres() {
    let db = TestDb::postgres().await;
    let a = Running::start(db.url()).await;
    let b = Running::start(db.url()).await;
    let signed_up = sign_up(&a, "li@example.com").await;
    let (status, text) = me(&b, &signed_up.session.token).await;
    assert_eq!(status, 200, "{text}");
    let (status, _, _) =
        b.send(Method::POST, "/v1/auth/sign-out", Some(&signed_up.session.token), None).await;
    assert_eq!(status, 204);
    assert_eq!(me(&a, &signed_up.session.token).await.0, 401, "signed out on b means signed out on a");
    a.stop().await;
    b.stop().await;
    db.drop_database().await;
}
