//! Voice-guided setup through the real app: a guide started, its steps walked with next, help,
//! back and skip in large text, finished and closed, in Chinese at a phone's size and English at
//! a desktop's; the shell speaks through the machine's speech engine meanwhile; then reminders
//! chosen in Settings. Every screen is checked with axe-core when its screenshot is taken.

use std::time::Duration;

use hearth_e2e::{Server, click, eventually, launch, resize, screenshot, text_of};

const STEP: Duration = Duration::from_secs(20);

async fn wait_text(client: &fantoccini::Client, testid: &str, wanted: &str) -> String {
    eventually(&format!("{testid} to say {wanted:?}"), STEP, || async {
        let text = text_of(client, testid).await?;
        if text.contains(wanted) { Ok(text) } else { Err(text) }
    })
    .await
}

#[tokio::test]
async fn a_user_follows_a_spoken_setup_guide_to_the_end() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = Server::start(dir.path()).await;
    let (_driver, client) = launch(&server.url, &dir.path().join("home"), 360, 740).await;
    click(&client, "[data-testid=locale-zh-CN]").await;
    // The room preview and device setup are under My home.
    click(&client, "[data-testid=nav-home-devices]").await;
    click(&client, "[data-testid=nav-setup]").await;
    wait_text(&client, "guide-plug", "设置智能插座").await;
    screenshot(&client, "setup-list-360x740-zh-CN.png").await;

    click(&client, "[data-testid=guide-plug]").await;
    wait_text(&client, "guide-step", "第 1 步，共 4 步").await;
    wait_text(&client, "guide-text", "墙上插座").await;
    click(&client, "[data-testid=guide-next]").await;
    wait_text(&client, "guide-step", "第 2 步").await;
    click(&client, "[data-testid=guide-help-button]").await;
    wait_text(&client, "guide-help", "五秒钟").await;
    screenshot(&client, "setup-step-help-360x740-zh-CN.png").await;
    let overflows = client
        .execute("return document.documentElement.scrollWidth > window.innerWidth;", vec![])
        .await
        .expect("script");
    assert_eq!(overflows, serde_json::json!(false), "no sideways scrolling on a phone");

    // English at a desktop's size: the same step, then back, skip and on to the end.
    resize(&client, 1280, 800).await;
    click(&client, "[data-testid=locale-en]").await;
    wait_text(&client, "guide-text", "blinks blue").await;
    click(&client, "[data-testid=guide-back]").await;
    wait_text(&client, "guide-step", "Step 1 of 4").await;
    click(&client, "[data-testid=guide-skip]").await;
    wait_text(&client, "guide-step", "Step 2 of 4").await;
    screenshot(&client, "setup-step-1280x800-en.png").await;
    for number in 3..=4 {
        click(&client, "[data-testid=guide-next]").await;
        wait_text(&client, "guide-step", &format!("Step {number} of 4")).await;
    }
    click(&client, "[data-testid=guide-next]").await;
    wait_text(&client, "guide-finished", "All done").await;
    screenshot(&client, "setup-finished-1280x800-en.png").await;
    click(&client, "[data-testid=guide-close]").await;
    wait_text(&client, "guide-plug", "Set up a smart plug").await;

    // Settings: a daily reminder and quiet hours, saved.
    click(&client, "[data-testid=nav-settings]").await;
    click(&client, "[data-testid=daily-on]").await;
    click(&client, "[data-testid=quiet-on]").await;
    click(&client, "[data-testid=settings-save]").await;
    wait_text(&client, "settings-said", "Saved.").await;
    screenshot(&client, "settings-1280x800-en.png").await;
    client.close().await.expect("close the session");
    server.stop();
}
