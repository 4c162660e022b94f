//! Rewards through the real app: a shopper with points redeems a reward after confirming, the
//! code fills the screen as a QR image, the store's staff scan it (their API call), and the
//! shopper's screen then says it was used. Redeeming more than the points allow is refused
//! plainly. Screens are checked with axe-core at each screenshot.

use std::time::Duration;

use hearth_e2e::{
    Server, click, consume_newest_code, eventually, grant_points, launch, screenshot, set_role,
    sign_in_at_server, sign_in_through_app, sign_up, text_of,
};
use serde_json::json;

const STEP: Duration = Duration::from_secs(20);
const PASSWORD: &str = "warm home 2026";

async fn token(url: &str, email: &str) -> (String, String) {
    sign_in_at_server(url, email, PASSWORD).await
}

#[tokio::test]
async fn a_shopper_redeems_a_reward_and_sees_it_used_at_the_counter() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = Server::start(dir.path()).await;
    let url = server.url.clone();
    for (email, name) in [("an@example.com", "An"), ("op@example.com", "Op"), ("clerk@example.com", "Clerk")]
    {
        sign_up(&url, email, PASSWORD, name).await;
    }
    set_role(dir.path(), "op@example.com", "operator", None);
    set_role(dir.path(), "clerk@example.com", "staff", Some("shanghai-1"));
    let (shopper, _) = token(&url, "an@example.com").await;
    let (_, operator) = token(&url, "op@example.com").await;
    let (_, clerk) = token(&url, "clerk@example.com").await;
    grant_points(&url, &operator, &shopper, 250).await;

    let (_driver, client) = launch(&url, &dir.path().join("home"), 390, 844).await;
    click(&client, "[data-testid=locale-en]").await;
    sign_in_through_app(&client, "an@example.com", PASSWORD).await;
    click(&client, "[data-testid=nav-rewards]").await;
    eventually("the balance", STEP, || async {
        let text = text_of(&client, "rewards-balance").await?;
        if text.contains("250") { Ok(()) } else { Err(text) }
    })
    .await;
    screenshot(&client, "rewards-390x844-en.png").await;

    // Too dear: said plainly.
    click(&client, "[data-reward-id=smart-plug] [data-testid=redeem]").await;
    click(&client, "[data-testid=redeem-yes]").await;
    let said = eventually("the refusal", STEP, || async {
        let text = text_of(&client, "rewards-problem").await?;
        if text.is_empty() { Err("nothing yet".into()) } else { Ok(text) }
    })
    .await;
    assert_eq!(said, "Not enough points for this reward yet.");

    // The coupon: confirmed, then the code fills the screen.
    click(&client, "[data-reward-id=bulb-coupon-20] [data-testid=redeem]").await;
    eventually("the question", STEP, || async {
        let text = text_of(&client, "redeem-confirm").await?;
        if text.contains("Spend 200 points") { Ok(()) } else { Err(text) }
    })
    .await;
    click(&client, "[data-testid=redeem-yes]").await;
    eventually("the QR code", STEP, || async {
        let drawn = client
            .execute("const q = document.querySelector('[data-testid=qr]'); return !!q && q.complete && q.naturalWidth > 0;", vec![])
            .await
            .map_err(|e| e.to_string())?;
        if drawn == json!(true) { Ok(()) } else { Err("not drawn yet".into()) }
    })
    .await;
    let status = text_of(&client, "qr-status").await.expect("status");
    assert!(status.starts_with("Valid until"), "{status}");
    screenshot(&client, "reward-code-390x844-en.png").await;

    // The counter scans it; the screen follows.
    consume_newest_code(&url, &token(&url, "an@example.com").await.1, &clerk).await;
    eventually("the code shown as used", STEP, || async {
        let text = text_of(&client, "qr-status").await?;
        if text.starts_with("Used at the counter") { Ok(()) } else { Err(text) }
    })
    .await;
    screenshot(&client, "reward-code-used-390x844-en.png").await;
    click(&client, "[data-testid=qr-done]").await;
    eventually("the balance after", STEP, || async {
        let text = text_of(&client, "rewards-balance").await?;
        if text.contains(" 50 ") { Ok(()) } else { Err(text) }
    })
    .await;
    client.close().await.expect("close the session");
    server.stop();
}
