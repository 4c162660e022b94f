//! The signed-in account in the real app, end to end: a new name shown at once and synced to the
//! server, another time zone synced too, a password changed only with the current one (the
//! account's other sessions end), signing out on every device, and moving the account to another
//! e-mail address with the code the test command's SMTP server received. Screenshots at a phone's and a desktop's size in both languages.

use std::time::Duration;

use hearth_e2e::mailbox::next_mail_to;
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

/// Scrolls `testid` into the middle of the window, for a screenshot of it.
async fn scroll_to(client: &fantoccini::Client, testid: &str) {
    let script =
        format!("document.querySelector('[data-testid={testid}]').scrollIntoView({{ block: 'center' }})");
    client.execute(&script, vec![]).await.expect("scroll");
    tokio::time::sleep(Duration::from_millis(500)).await;
}

#[tokio::test]
async fn a_user_moves_the_account_to_another_address_with_the_mailed_code() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = Server::start(dir.path()).await;
    let old = format!("min-{}@example.com", uuid::Uuid::now_v7().simple());
    let new = format!("min-new-{}@example.com", uuid::Uuid::now_v7().simple());
    sign_up(&server.url, &old, OLD, "敏").await;

    let (_driver, client) = launch(&server.url, &dir.path().join("home"), 1280, 800).await;
    click(&client, "[data-testid=locale-en]").await;
    sign_in_through_app(&client, &old, OLD).await;
    click(&client, "[data-testid=nav-settings]").await;
    until_text(&client, "account-email", &format!("Signed in with {old}")).await;

    // Checked on the device first, then the password at the server.
    fill(&client, "account-new-email", "not an address").await;
    click(&client, "[data-testid=account-email-send]").await;
    until_text(&client, "account-email-problem", "Enter an email address such as name@example.com.").await;
    fill(&client, "account-new-email", &new.to_uppercase()).await;
    fill(&client, "account-email-password", "not my password").await;
    click(&client, "[data-testid=account-email-send]").await;
    until_text(&client, "account-email-problem", "The password is wrong.").await;
    fill(&client, "account-email-password", OLD).await;
    click(&client, "[data-testid=account-email-send]").await;
    let sent = eventually("the code sent", STEP, || text_of(&client, "account-email-sent")).await;
    assert!(sent.contains(&new) && sent.contains("15 minutes"), "{sent}");
    // Until the code is in, the account keeps its address.
    until_text(&client, "account-email", &format!("Signed in with {old}")).await;
    scroll_to(&client, "email-change").await;
    screenshot(&client, "account-email-1280x800-en.png").await;

    let code = next_mail_to(&new, 0).await.code().expect("a code in the mail");
    let wrong = if code == "000000" { "000001" } else { "000000" };
    resize(&client, 360, 740).await;
    click(&client, "[data-testid=locale-zh-CN]").await;
    fill(&client, "account-email-code", wrong).await;
    click(&client, "[data-testid=account-email-confirm]").await;
    until_text(
        &client,
        "account-email-problem",
        "验证码不正确或已失效。请查看最新的邮件，或点“重新开始”获取新的验证码。",
    )
    .await;
    scroll_to(&client, "email-change").await;
    screenshot(&client, "account-email-360x740-zh-CN.png").await;
    fill(&client, "account-email-code", &code).await;
    click(&client, "[data-testid=account-email-confirm]").await;
    until_text(&client, "account-email-said", &format!("已完成。您的账号现在使用 {new}。")).await;
    until_text(&client, "account-email", &format!("登录邮箱：{new}")).await;
    screenshot(&client, "account-email-done-360x740-zh-CN.png").await;
    // The server has the new address; the old one no longer signs in, and was told.
    let (_, token) = sign_in_at_server(&server.url, &new, OLD).await;
    assert_eq!(api(&server.url).me(&token).await.expect("the profile").email, new);
    let notice = next_mail_to(&old, 0).await;
    assert!(notice.body.contains(&new), "{}", notice.body);

    client.close().await.expect("close the session");
    server.stop();
}
