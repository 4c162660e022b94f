//! Getting back into an account through the real app, end to end: "Forgot your password?" in the
//! sign-in dialog, the code from the mail the test command's SMTP server received, a wrong code
//! told plainly, a new password, then signed in, with the account's other session ended and the
//! old password gone. Screenshots at a desktop's and a phone's size in both languages.

use std::time::Duration;

use hearth_e2e::mailbox::next_mail_to;
use hearth_e2e::{
    Server, api, click, eventually, fill, launch, resize, screenshot, sign_in_at_server, sign_up, text_of,
};

const STEP: Duration = Duration::from_secs(20);
const OLD: &str = "warm home 2026";
const NEW: &str = "lanterns over the river";

async fn said(client: &fantoccini::Client, testid: &str) -> String {
    eventually(&format!("a message in {testid}"), STEP, || async {
        let text = text_of(client, testid).await?;
        if text.is_empty() { Err("nothing said yet".into()) } else { Ok(text) }
    })
    .await
}

#[tokio::test]
async fn a_forgotten_password_is_replaced_with_the_mailed_code_in_the_app() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = Server::start(dir.path()).await;
    let email = format!("lin-{}@example.com", uuid::Uuid::now_v7().simple());
    sign_up(&server.url, &email, OLD, "林").await;
    let (_, other_device) = sign_in_at_server(&server.url, &email, OLD).await;

    let (_driver, client) = launch(&server.url, &dir.path().join("home"), 1280, 800).await;
    click(&client, "[data-testid=locale-en]").await;
    click(&client, "[data-testid=open-sign-in]").await;
    click(&client, "[data-testid=open-reset]").await;
    eventually("the recovery screen", STEP, || text_of(&client, "recover")).await;
    eventually("the sign-in dialog closed", STEP, || async {
        let open = client.execute("return !!document.querySelector('dialog[open]')", vec![]).await;
        if open.map_err(|e| e.to_string())? == serde_json::Value::Bool(false) {
            Ok(())
        } else {
            Err("open".to_owned())
        }
    })
    .await;
    screenshot(&client, "reset-1280x800-en.png").await;
    click(&client, "[data-testid=locale-zh-CN]").await;
    screenshot(&client, "reset-1280x800-zh-CN.png").await;

    resize(&client, 360, 740).await;
    fill(&client, "reset-email", &email).await;
    click(&client, "[data-testid=reset-send]").await;
    let sent = said(&client, "reset-sent").await;
    assert!(sent.contains(&email) && sent.contains("15 分钟"), "{sent}");
    let mail = next_mail_to(&email, 0).await;
    let code = mail.code().expect("a code in the mail");

    let wrong = if code == "000000" { "000001" } else { "000000" };
    fill(&client, "reset-code", wrong).await;
    fill(&client, "reset-password", NEW).await;
    click(&client, "[data-testid=reset-submit]").await;
    assert_eq!(
        said(&client, "reset-error").await,
        "验证码不正确或已失效。请查看最新的邮件，或重新发送验证码。"
    );
    let sideways =
        client.execute("return document.documentElement.scrollWidth > window.innerWidth", vec![]).await;
    assert_eq!(sideways.expect("a width"), serde_json::Value::Bool(false), "the screen scrolls sideways");
    screenshot(&client, "reset-360x740-wrong-code-zh-CN.png").await;

    // Pasted with a space, as codes often are.
    fill(&client, "reset-code", &format!("{} {}", &code[..3], &code[3..])).await;
    click(&client, "[data-testid=reset-submit]").await;
    let who = eventually("signed in", STEP, || text_of(&client, "signed-in-as")).await;
    assert_eq!(who, "已登录：林");

    // The other device's session ended; the old password is gone, the new one works.
    assert!(api(&server.url).me(&other_device).await.is_err(), "the other session ended");
    let old = hearth_core::account::SignInRequest { email: email.clone(), password: OLD.into() };
    assert!(api(&server.url).sign_in(&old).await.is_err(), "the old password no longer works");
    sign_in_at_server(&server.url, &email, NEW).await;

    client.close().await.expect("close the session");
    server.stop();
}
