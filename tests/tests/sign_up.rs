//! Creating an account in the real app, end to end: the way there from the sign-in dialog, the
//! rules checked before sending (each told under its field), the password hint as the person
//! types, the terms readable before agreeing, a taken e-mail told plainly, then signed in and
//! joining a challenge, which the server confirms. Screenshots at a phone's and a desktop's size
//! in both languages, each checked with axe-core.

use std::time::Duration;

use hearth_e2e::{
    Server, api, click, eventually, fill, launch, participation, resize, screenshot, sign_in_at_server,
    sign_up, text_of,
};

const STEP: Duration = Duration::from_secs(20);
const CHALLENGE: &str = "leaving-everything-off";

/// Waits until `testid`'s text is not empty, and returns it.
async fn said(client: &fantoccini::Client, testid: &str) -> String {
    eventually(&format!("a message in {testid}"), STEP, || async {
        let text = text_of(client, testid).await?;
        if text.is_empty() { Err("nothing said yet".into()) } else { Ok(text) }
    })
    .await
}

#[tokio::test]
async fn a_newcomer_creates_an_account_in_the_app_and_joins_a_challenge() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = Server::start(dir.path()).await;
    sign_up(&server.url, "taken@example.com", "someone else's 2026", "Someone").await;

    let (_driver, client) = launch(&server.url, &dir.path().join("home"), 1280, 800).await;
    click(&client, "[data-testid=locale-en]").await;
    // Signed out, the challenges open under a welcome that leads to creating an account.
    eventually("the welcome", STEP, || text_of(&client, "welcome-sign-up")).await;
    screenshot(&client, "welcome-1280x800-en.png").await;
    click(&client, "[data-testid=open-sign-in]").await;
    click(&client, "[data-testid=open-sign-up]").await;
    eventually("the sign-up screen", STEP, || text_of(&client, "sign-up")).await;
    let here = client.current_url().await.expect("the address");
    assert!(here.path().ends_with("/sign-up"), "{here}");
    screenshot(&client, "sign-up-1280x800-en.png").await;
    click(&client, "[data-testid=locale-zh-CN]").await;
    screenshot(&client, "sign-up-1280x800-zh-CN.png").await;
    click(&client, "[data-testid=locale-en]").await;
    click(&client, "[data-testid=open-privacy]").await;
    screenshot(&client, "sign-up-privacy-1280x800-en.png").await;
    client.execute("document.querySelector('dialog[open]').close()", vec![]).await.expect("close");

    resize(&client, 360, 740).await;
    client.execute("window.scrollTo(0, 0)", vec![]).await.expect("scroll to the top");
    screenshot(&client, "sign-up-360x740-en.png").await;
    click(&client, "[data-testid=locale-zh-CN]").await;
    // Nothing filled in: the first rule broken is told under its field, and nothing is sent.
    click(&client, "[data-testid=sign-up-submit]").await;
    assert_eq!(said(&client, "sign-up-email-error").await, "请输入邮箱地址，例如 name@example.com。");
    fill(&client, "sign-up-email", "mei@example.com").await;
    fill(&client, "sign-up-password", "mei@example.com").await;
    click(&client, "[data-testid=sign-up-submit]").await;
    assert_eq!(said(&client, "sign-up-password-error").await, "密码不能是您的邮箱地址。");

    // The hint follows the password as it is typed.
    fill(&client, "sign-up-password", "password").await;
    let weak = said(&client, "sign-up-password-strength").await;
    assert!(weak.starts_with("弱") && weak.contains("最常用"), "{weak}");
    fill(&client, "sign-up-password", "copper kettle under moonlight").await;
    eventually("a strong password", STEP, || async {
        let text = text_of(&client, "sign-up-password-strength").await?;
        if text == "强" { Ok(()) } else { Err(text) }
    })
    .await;
    fill(&client, "sign-up-name", "美美").await;
    click(&client, "[data-testid=sign-up-submit]").await;
    assert_eq!(said(&client, "sign-up-agree-error").await, "创建账户前，请同意使用条款和隐私声明。");

    click(&client, "[data-testid=open-terms]").await;
    let terms = text_of(&client, "terms").await.expect("the terms");
    assert!(terms.contains("积分没有现金价值"), "{terms}");
    screenshot(&client, "sign-up-terms-360x740-zh-CN.png").await;
    client.execute("document.querySelector('dialog[open]').close()", vec![]).await.expect("close");
    click(&client, "[data-testid=sign-up-agree]").await;

    // A taken address is told plainly; the form keeps what was typed.
    fill(&client, "sign-up-email", "taken@example.com").await;
    click(&client, "[data-testid=sign-up-submit]").await;
    assert_eq!(said(&client, "sign-up-error").await, "这个邮箱已经有账户了。请直接登录，或换一个邮箱。");
    screenshot(&client, "sign-up-360x740-taken-zh-CN.png").await;

    fill(&client, "sign-up-email", "mei@example.com").await;
    click(&client, "[data-testid=sign-up-submit]").await;
    let who = eventually("signed in", STEP, || text_of(&client, "signed-in-as")).await;
    assert_eq!(who, "已登录：美美");
    let here = client.current_url().await.expect("the address");
    assert!(here.path().ends_with("/challenges"), "{here}");
    screenshot(&client, "sign-up-360x740-signed-in-zh-CN.png").await;

    // The account is real: the server knows its details, and a challenge joined in the app
    // reaches it.
    click(&client, &format!("[data-challenge-id={CHALLENGE}] [data-testid=join]")).await;
    eventually("joined in the app", STEP, || participation(&client, CHALLENGE)).await;
    let (_, token) = sign_in_at_server(&server.url, "mei@example.com", "copper kettle under moonlight").await;
    let profile = api(&server.url).me(&token).await.expect("the profile");
    assert_eq!(profile.display_name, "美美");
    assert_eq!(profile.locale.tag(), "zh-CN");
    assert!(hearth_core::progress::time_zone(&profile.time_zone).is_ok(), "{}", profile.time_zone);
    eventually("joined at the server", STEP, || async {
        let joined = api(&server.url).my_challenges(&token).await.map_err(|e| e.to_string())?;
        if joined.iter().any(|p| p.challenge_id == CHALLENGE) { Ok(()) } else { Err(format!("{joined:?}")) }
    })
    .await;

    client.close().await.expect("close the session");
    server.stop();
}
