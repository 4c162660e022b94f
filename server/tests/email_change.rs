//! Moving an account to another address on SQLite and PostgreSQL, with the mail received by a
//! real SMTP server (the test command's aiosmtpd on loopback): the password is asked, the code
//! goes to the new address and works once, only then does the address change (signing in, the
//! profile and the account's other devices follow), and the old address is told. Wrong, expired,
//! worn-out and taken all refuse without changing anything.

#[macro_use]
mod common;

use common::{PASSWORD, Running, TestDb, other_code, start_mailing, unique_address as address};
use hearth_e2e::mailbox::{mails_to, next_mail_to};
use reqwest::Method;
use serde_json::{Value, json};

async fn ask(server: &Running, token: &str, new_email: &str, password: &str) -> (u16, Value) {
    let body = json!({ "newEmail": new_email, "password": password });
    server.call(Method::POST, "/v1/me/email", token, Some(body)).await
}

async fn confirm(server: &Running, token: &str, code: &str) -> (u16, Value) {
    server.call(Method::POST, "/v1/me/email/confirm", token, Some(json!({ "code": code }))).await
}

async fn sign_in(server: &Running, email: &str) -> u16 {
    let body = json!({ "email": email, "password": PASSWORD }).to_string();
    server.send(Method::POST, "/v1/auth/sign-in", None, Some(&body)).await.0
}

async fn an_account_moves_to_an_address_proven_by_its_code(db: TestDb) {
    let server = start_mailing(&db).await;
    let old = address("old");
    let new = address("New");
    let here = server.sign_up(&old, json!({ "displayName": "王美" })).await.session.token;
    let request = hearth_core::account::SignInRequest { email: old.clone(), password: PASSWORD.into() };
    let phone = server.client().sign_in(&request).await.expect("a second device signs in").session.token;
    let (_, before) = server.call(Method::GET, "/v1/sync/pull?after=0&limit=1000", &phone, None).await;
    let cursor = before["cursor"].as_i64().expect("a sync cursor");

    // A session alone does not move an account; nor to a non-address or to the same one.
    let (status, refused) = ask(&server, &here, &new, "not the password").await;
    assert_eq!((status, refused["error"]["field"].as_str()), (422, Some("password")), "{refused}");
    let (status, refused) = ask(&server, &here, "not an address", PASSWORD).await;
    assert_eq!((status, refused["error"]["field"].as_str()), (422, Some("newEmail")), "{refused}");
    let (status, refused) = ask(&server, &here, &old.to_uppercase(), PASSWORD).await;
    assert_eq!((status, refused["error"]["field"].as_str()), (422, Some("newEmail")), "{refused}");
    assert!(mails_to(&new.to_lowercase()).is_empty(), "no code for a refused request");

    let (status, sent) = ask(&server, &here, &format!("  {new} "), PASSWORD).await;
    let new = new.to_lowercase();
    assert_eq!((status, sent), (202, json!({ "newEmail": new, "expiresInMinutes": 15 })));
    let mail = next_mail_to(&new, 0).await;
    assert_eq!(mail.subject, "确认您的新 Hearth 邮箱", "in the account's language");
    assert!(mail.body.contains("王美") && mail.body.contains("15 分钟"), "{}", mail.body);
    let code = mail.code().expect("a six-digit code in the mail");
    // Until the code comes back, the account keeps its address.
    assert_eq!((sign_in(&server, &old).await, sign_in(&server, &new).await), (200, 401));

    let (status, refused) = confirm(&server, &here, &other_code(&code)).await;
    assert_eq!((status, refused["error"]["code"].as_str()), (422, Some("invalid-code")), "{refused}");
    // Another account's session cannot use the code.
    let stranger =
        server.sign_up(&address("stranger"), json!({ "displayName": "Stranger" })).await.session.token;
    assert_eq!(confirm(&server, &stranger, &code).await.0, 422, "codes belong to the account that asked");

    let (status, profile) = confirm(&server, &here, &code).await;
    assert_eq!((status, profile["email"].as_str()), (200, Some(new.as_str())), "{profile}");
    assert_eq!((sign_in(&server, &old).await, sign_in(&server, &new).await), (401, 200));
    assert_eq!(confirm(&server, &here, &code).await.0, 422, "used once");
    // The other device keeps its session and learns the new address at its next sync.
    let (status, pulled) =
        server.call(Method::GET, &format!("/v1/sync/pull?after={cursor}"), &phone, None).await;
    assert_eq!(status, 200, "{pulled}");
    assert!(pulled.to_string().contains(&new), "the move reaches the other device: {pulled}");
    // The old address is told.
    let notice = next_mail_to(&old, 0).await;
    assert_eq!(notice.subject, "您的 Hearth 邮箱已更改");
    assert!(notice.body.contains(&new), "{}", notice.body);
    // A password reset now goes by the new address only.
    let body = json!({ "email": new }).to_string();
    assert_eq!(server.send(Method::POST, "/v1/auth/password-reset", None, Some(&body)).await.0, 202);
    next_mail_to(&new, 1).await.code().expect("a reset code at the new address");
    server.stop().await;
    db.drop_database().await;
}

async fn codes_expire_wear_out_and_addresses_stay_unique(db: TestDb) {
    let server = start_mailing(&db).await;
    let mine = address("mine");
    let theirs = address("theirs");
    let free = address("free");
    let here = server.sign_up(&mine, json!({ "displayName": "Mine", "locale": "en" })).await.session.token;
    let other = server.sign_up(&theirs, json!({ "displayName": "Theirs" })).await.session.token;

    // Another account's address is refused, and nothing is mailed to it.
    let (status, refused) = ask(&server, &here, &theirs, PASSWORD).await;
    assert_eq!((status, refused["error"]["code"].as_str()), (409, Some("taken")), "{refused}");
    assert!(mails_to(&theirs).is_empty());

    // Five wrong tries wear a code out, even the right one after them.
    assert_eq!(ask(&server, &here, &free, PASSWORD).await.0, 202);
    let mail = next_mail_to(&free, 0).await;
    assert_eq!(mail.subject, "Confirm your new Hearth e-mail address");
    let code = mail.code().expect("a code");
    for _ in 0..5 {
        assert_eq!(confirm(&server, &here, &other_code(&code)).await.0, 422);
    }
    assert_eq!(confirm(&server, &here, &code).await.0, 422, "worn out");

    // An expired code does not work.
    assert_eq!(ask(&server, &here, &free, PASSWORD).await.0, 202);
    let code = next_mail_to(&free, 1).await.code().expect("a code");
    sqlx::query("UPDATE email_changes SET expires_at_ms = 0")
        .execute(server.db().pool())
        .await
        .expect("expire");
    assert_eq!(confirm(&server, &here, &code).await.0, 422, "expired");

    // Taken meanwhile: the code is good, but the address is another's now.
    assert_eq!(ask(&server, &here, &free, PASSWORD).await.0, 202);
    let code = next_mail_to(&free, 2).await.code().expect("a code");
    let (status, moved) = ask(&server, &other, &free, PASSWORD).await;
    assert_eq!(status, 202, "{moved}");
    let theirs_code = next_mail_to(&free, 3).await.code().expect("their code");
    assert_eq!(confirm(&server, &other, &theirs_code).await.0, 200);
    let (status, refused) = confirm(&server, &here, &code).await;
    assert_eq!((status, refused["error"]["code"].as_str()), (409, Some("taken")), "{refused}");
    let (_, me) = server.call(Method::GET, "/v1/me", &here, None).await;
    assert_eq!(me["email"].as_str(), Some(mine.as_str()), "nothing changed");

    // Three codes an hour per account.
    let (status, limited) = ask(&server, &here, &address("later"), PASSWORD).await;
    assert_eq!((status, limited["error"]["code"].as_str()), (429, Some("rate-limited")), "{limited}");
    server.stop().await;
    db.drop_database().await;
}

on_both_databases!(
    an_account_moves_to_an_address_proven_by_its_code,
    codes_expire_wear_out_and_addresses_stay_unique
);
