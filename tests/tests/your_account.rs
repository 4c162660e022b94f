//! The signed-in account in the real app, end to end: a new name shown at once and synced to the
//! server, another time zone synced too, a password changed only with the current one (the account's other sessions end), and
//! signing out on every device. Screenshots at a phone's and a desktop's size in both languages.

use std::time::Duration;

use hearth_e2e::{
    Server, api, click, eventually, fill, launch, resize, screenshot, sign_in_at_server, sign_in_through_app,
    sign_up, text_of,
};

const STEP: Duration = Duration::from_secs(20);
const OLD: &str = "warm home 2026";
const NEW: &str = "paper boats at dawn";

async fn until_text(client: &fantoccini::Client, testid: &str, wanted: &str) {
    eventually(&format!("{testid} to say {wanted:?}"), STEP, || async {
        let text = text_of(client, testid).await?;
        if text == wanted { Ok(()) } else { Err(text) }
    })
    .await;
}

#[tokio::test]
async fn a_user_renames_changes_the_password_and_signs_out_everywhere() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = Server::start(dir.path()).await;
    sign_up(&server.url, "hui@example.com", OLD, "慧").await;
    let (_, other_device) = sign_in_at_server(&server.url, "hui@example.com", OLD).await;
    let (_, tablet) = sign_in_at_server(&server.url, "hui@example.com", OLD).await;

    let (_driver, client) = launch(&server.url, &dir.path().join("home"), 1280, 800).await;
    click(&client, "[data-testid=locale-en]").await;
    sign_in_through_app(&client, "hui@example.com", OLD).await;
    click(&client, "[data-testid=nav-settings]").await;
    until_text(&client, "account-email", "Signed in with hui@example.com").await;
    // The signed-in devices: this one, the two signed in elsewhere, and sign-up's own session.
    let listed = || async {
        let n = client
            .execute("return document.querySelectorAll('[data-testid=sessions] li').length", vec![])
            .await
            .map_err(|e| e.to_string())?;
        n.as_u64().ok_or_else(|| format!("{n}"))
    };
    eventually("four signed-in sessions", STEP, || async {
        let n = listed().await?;
        if n == 4 { Ok(()) } else { Err(format!("{n}")) }
    })
    .await;
    text_of(&client, "session-current").await.expect("this device is marked");
    screenshot(&client, "account-1280x800-en.png").await;
    client
        .execute(
            "document.querySelector('[data-testid=sessions]').scrollIntoView({ block: 'center' })",
            vec![],
        )
        .await
        .expect("scroll to the devices");
    tokio::time::sleep(Duration::from_millis(500)).await;
    screenshot(&client, "account-sessions-1280x800-en.png").await;
    // Signing the newest other device (the tablet) out from here.
    click(&client, "[data-testid=session-end]").await;
    until_text(&client, "sessions-said", "That device is signed out.").await;
    assert!(api(&server.url).me(&tablet).await.is_err(), "the tablet is signed out");
    assert!(api(&server.url).me(&other_device).await.is_ok(), "the other device is not");

    resize(&client, 360, 740).await;
    click(&client, "[data-testid=locale-zh-CN]").await;
    screenshot(&client, "account-360x740-zh-CN.png").await;

    // A new name: shown at once, and at the server once synced.
    fill(&client, "account-name", "慧慧").await;
    click(&client, "[data-testid=account-name-save]").await;
    until_text(&client, "signed-in-as", "已登录：慧慧").await;
    let (_, token) = sign_in_at_server(&server.url, "hui@example.com", OLD).await;
    eventually("the new name at the server", STEP, || async {
        let profile = api(&server.url).me(&token).await.map_err(|e| e.to_string())?;
        if profile.display_name == "慧慧" { Ok(()) } else { Err(profile.display_name) }
    })
    .await;

    // Days counted in another time zone, at the server once synced.
    client
        .execute(
            "const s = document.getElementById('account-zone'); s.value = 'Europe/Berlin'; \
             s.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![],
        )
        .await
        .expect("choose a time zone");
    click(&client, "[data-testid=account-zone-save]").await;
    until_text(&client, "account-zone-said", "已保存。您的日期现在按这个时区计算。").await;
    eventually("the new time zone at the server", STEP, || async {
        let profile = api(&server.url).me(&token).await.map_err(|e| e.to_string())?;
        if profile.time_zone == "Europe/Berlin" { Ok(()) } else { Err(profile.time_zone) }
    })
    .await;

    // The password changes only with the current one; the account's other sessions end.
    fill(&client, "account-current-password", "not my password").await;
    fill(&client, "account-new-password", NEW).await;
    click(&client, "[data-testid=account-password-save]").await;
    until_text(&client, "account-password-said", "当前密码不正确。").await;
    fill(&client, "account-current-password", OLD).await;
    click(&client, "[data-testid=account-password-save]").await;
    until_text(&client, "account-password-said", "密码已修改。您的其他设备已退出登录。").await;
    assert!(api(&server.url).me(&other_device).await.is_err(), "the other device is signed out");
    let (_, on_the_tablet) = sign_in_at_server(&server.url, "hui@example.com", NEW).await;

    // Signing out everywhere, asked first, ends every session, this device's too.
    click(&client, "[data-testid=sign-out-everywhere]").await;
    screenshot(&client, "account-360x740-everywhere-zh-CN.png").await;
    click(&client, "[data-testid=confirm-sign-out-everywhere-yes]").await;
    eventually("signed out", STEP, || text_of(&client, "open-sign-in")).await;
    assert!(api(&server.url).me(&on_the_tablet).await.is_err(), "every session ended");

    client.close().await.expect("close the session");
    server.stop();
}
