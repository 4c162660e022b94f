//! Signing in and out through the real app, end to end: the sign-in dialog at a phone's size in
//! both languages, a wrong password told plainly, the account shown once signed in (its session
//! in the test's gnome-keyring), and signing out. Screenshots of each state go to the artifacts
//! directory.

use std::time::Duration;

use fantoccini::Client;
use hearth_e2e::{Server, click, eventually, fill, launch, screenshot, sign_up, text_of};
use serde_json::Value;

const STEP: Duration = Duration::from_secs(20);

/// Whether every visible control in the open dialog is at least 44 px both ways, and the page
/// does not scroll sideways.
async fn dialog_fits(client: &Client) -> Result<(), String> {
    let script = r#"
        const dialog = document.querySelector('dialog[open]');
        if (!dialog) return 'no open dialog';
        const small = Array.from(dialog.querySelectorAll('button, input'))
            .filter(e => { const r = e.getBoundingClientRect(); return r.width < 44 || r.height < 44; })
            .map(e => e.outerHTML.slice(0, 60));
        if (small.length) return 'small targets: ' + small.join(', ');
        if (document.documentElement.scrollWidth > window.innerWidth) return 'scrolls sideways';
        return 'ok';
    "#;
    match client.execute(script, vec![]).await.map_err(|e| e.to_string())? {
        Value::String(ok) if ok == "ok" => Ok(()),
        other => Err(other.to_string()),
    }
}

#[tokio::test]
async fn a_user_signs_in_and_out_through_the_app() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = Server::start(dir.path()).await;
    sign_up(&server.url, "mei@example.com", "warm home 2026", "王美").await;

    let (_driver, client) = launch(&server.url, &dir.path().join("home"), 360, 740).await;
    click(&client, "[data-testid=locale-zh-CN]").await;
    click(&client, "[data-testid=open-sign-in]").await;
    eventually("the dialog laid out for a phone", STEP, || dialog_fits(&client)).await;

    fill(&client, "sign-in-email", "mei@example.com").await;
    fill(&client, "sign-in-password", "not my password").await;
    click(&client, "[data-testid=sign-in-submit]").await;
    let said = eventually("the wrong-password message", STEP, || async {
        let text = text_of(&client, "sign-in-error").await?;
        if text.is_empty() { Err("no message yet".into()) } else { Ok(text) }
    })
    .await;
    assert_eq!(said, "邮箱或密码不正确。");
    screenshot(&client, "sign-in-360x740-wrong-password-zh-CN.png").await;

    fill(&client, "sign-in-password", "warm home 2026").await;
    click(&client, "[data-testid=sign-in-submit]").await;
    let who = eventually("the signed-in account", STEP, || text_of(&client, "signed-in-as")).await;
    assert_eq!(who, "已登录：王美");
    let points = eventually("the wallet", STEP, || text_of(&client, "wallet-balance")).await;
    assert_eq!(points, "0 积分");
    screenshot(&client, "home-360x740-signed-in-zh-CN.png").await;
    click(&client, "[data-testid=locale-en]").await;
    let who = eventually("the account in English", STEP, || async {
        let text = text_of(&client, "signed-in-as").await?;
        if text.starts_with("Signed in as") { Ok(text) } else { Err(text) }
    })
    .await;
    assert_eq!(who, "Signed in as 王美");
    screenshot(&client, "home-360x740-signed-in-en.png").await;

    click(&client, "[data-testid=sign-out]").await;
    eventually("signed out", STEP, || text_of(&client, "open-sign-in")).await;
    client.close().await.expect("close the session");
    server.stop();
}
