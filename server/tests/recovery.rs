//! Getting back into an account on SQLite and PostgreSQL, with the mail received by a real SMTP
//! server (the test command's aiosmtpd on loopback): the code arrives, works once, ends the
//! address's other codes and every other session; wrong, expired and over-tried codes do not
//! work; asking again cancels nothing; and nothing tells whether an address has an account.

#[macro_use]
mod common;

use common::{PASSWORD, Running, TestDb, other_code, start_mailing, unique_address as address};
use hearth_e2e::mailbox::{mails_to, next_mail_to};
use reqwest::Method;
use serde_json::{Value, json};

async fn ask(server: &Running, email: &str) -> (u16, Value) {
    let body = json!({ "email": email }).to_string();
    let (status, text, _) = server.send(Method::POST, "/v1/auth/password-reset", None, Some(&body)).await;
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn confirm(server: &Running, email: &str, code: &str, password: &str) -> (u16, Value) {
    let body = json!({ "email": email, "code": code, "newPassword": password }).to_string();
    let (status, text, _) =
        server.send(Method::POST, "/v1/auth/password-reset/confirm", None, Some(&body)).await;
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn status_of_me(server: &Running, token: &str) -> u16 {
    server.send(Method::GET, "/v1/me", Some(token), None).await.0
}

async fn sign_in(server: &Running, email: &str, password: &str) -> u16 {
    let body = json!({ "email": email, "password": password }).to_string();
    server.send(Method::POST, "/v1/auth/sign-in", None, Some(&body)).await.0
}

async fn a_forgotten_password_is_replaced_with_the_mailed_code(db: TestDb) {
    let server = start_mailing(&db).await;
    let email = address("mei");
    let first = server.sign_up(&email, json!({ "displayName": "王美" })).await;
    let request = hearth_core::account::SignInRequest { email: email.clone(), password: PASSWORD.into() };
    let second = server.client().sign_in(&request).await.expect("a second device signs in").session.token;

    let (status, sent) = ask(&server, &email).await;
    assert_eq!((status, sent), (202, json!({ "expiresInMinutes": 15 })));
    let mail = next_mail_to(&email, 0).await;
    assert_eq!(mail.subject, "您的 Hearth 验证码", "in the account's language");
    assert!(mail.body.contains("王美") && mail.body.contains("15 分钟"), "{}", mail.body);
    let code = mail.code().expect("a six-digit code in the mail");

    let (status, refused) = confirm(&server, &email, &other_code(&code), "a new warm home").await;
    assert_eq!((status, refused["error"]["code"].as_str()), (422, Some("invalid-code")), "{refused}");
    let (status, refused) = confirm(&server, &email, &code, "short").await;
    assert_eq!((status, refused["error"]["field"].as_str()), (422, Some("newPassword")), "{refused}");

    // Asking again does not cancel the code mailed before (nobody can cancel another's codes);
    // using one ends the others.
    ask(&server, &email).await;
    let newer = next_mail_to(&email, 1).await.code().expect("a second code");
    let (status, signed) = confirm(&server, &email, &code, "a new warm home").await;
    assert_eq!(status, 200, "{signed}");
    let token = signed["session"]["token"].as_str().expect("a new session").to_owned();
    assert_eq!(status_of_me(&server, &token).await, 200);
    assert_eq!(status_of_me(&server, &first.session.token).await, 401, "other sessions end");
    assert_eq!(status_of_me(&server, &second).await, 401, "every other session");
    assert_eq!(sign_in(&server, &email, PASSWORD).await, 401, "the old password is gone");
    assert_eq!(sign_in(&server, &email, "a new warm home").await, 200);

    let (status, refused) = confirm(&server, &email, &code, "yet another home").await;
    assert_eq!((status, refused["error"]["code"].as_str()), (422, Some("invalid-code")), "single use");
    if newer != code {
        assert_eq!(confirm(&server, &email, &newer, "yet another home").await.0, 422, "ended with it");
    }
    server.stop().await;
    db.drop_database().await;
}

async fn codes_expire_wear_out_and_say_nothing_about_accounts(db: TestDb) {
    let server = start_mailing(&db).await;
    let email = address("lan");
    let nobody = address("nobody");
    server.sign_up(&email, json!({ "displayName": "兰" })).await;

    // The same answer for an address with an account and one without; mail only to the first.
    assert_eq!(ask(&server, &email).await, ask(&server, &nobody).await);
    let code = next_mail_to(&email, 0).await.code().expect("a code");
    // Five wrong tries use the code up, even for the right code after them.
    for _ in 0..5 {
        assert_eq!(confirm(&server, &email, &other_code(&code), "a new warm home").await.0, 422);
    }
    assert_eq!(confirm(&server, &email, &code, "a new warm home").await.0, 422, "worn out");
    // A code for an address without an account never works, and reads like a wrong one.
    assert_eq!(
        confirm(&server, &nobody, "123456", "a new warm home").await,
        confirm(&server, &email, &other_code(&code), "a new warm home").await
    );
    assert!(mails_to(&nobody).is_empty(), "nothing is sent to an address without an account");

    // An expired code does not work.
    ask(&server, &email).await;
    next_mail_to(&email, 1).await;
    ask(&server, &email).await;
    let newer = next_mail_to(&email, 2).await.code().expect("a code");
    sqlx::query("UPDATE password_resets SET expires_at_ms = 0")
        .execute(server.db().pool())
        .await
        .expect("expire");
    assert_eq!(confirm(&server, &email, &newer, "a new warm home").await.0, 422, "expired");

    // Three codes an hour per address, whether or not it has an account.
    let (status, limited) = ask(&server, &email).await;
    assert_eq!((status, limited["error"]["code"].as_str()), (429, Some("rate-limited")), "{limited}");
    ask(&server, &nobody).await;
    ask(&server, &nobody).await;
    assert_eq!(ask(&server, &nobody).await, (status, limited), "the same for an address without an account");
    server.stop().await;
    db.drop_database().await;
}

on_both_databases!(
    a_forgotten_password_is_replaced_with_the_mailed_code,
    codes_expire_wear_out_and_say_nothing_about_accounts
);
