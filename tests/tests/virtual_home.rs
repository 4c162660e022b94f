//! The virtual home through the real app: a signed-in user joins "leaving everything off",
//! runs the leaving scene in "My home" (lights, air conditioner and plug off, door locked), is
//! told the activities counted, and the challenge's card then shows the server's count. The
//! screens are checked with axe-core at each screenshot.

use std::time::Duration;

use hearth_e2e::{
    Server, click, eventually, launch, participation, screenshot, sign_in_through_app, sign_up, text_of,
};

const STEP: Duration = Duration::from_secs(20);

#[tokio::test]
async fn operating_the_virtual_home_moves_a_joined_challenge_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = Server::start(dir.path()).await;
    sign_up(&server.url, "ming@example.com", "warm home 2026", "Ming").await;
    let (_driver, client) = launch(&server.url, &dir.path().join("home"), 1280, 800).await;
    click(&client, "[data-testid=locale-en]").await;
    sign_in_through_app(&client, "ming@example.com", "warm home 2026").await;
    click(&client, "[data-challenge-id=leaving-everything-off] [data-testid=join]").await;
    let joined = eventually("the confirmed join", STEP, || async {
        let (progress, state) = participation(&client, "leaving-everything-off").await?;
        if state.is_empty() { Ok(progress) } else { Err(format!("still {state}")) }
    })
    .await;
    assert_eq!(joined, "0 of 5");

    click(&client, "[data-testid=nav-home-devices]").await;
    eventually("the devices", STEP, || async { text_of(&client, "scene-leaving").await.map(|_| ()) }).await;
    screenshot(&client, "virtual-home-1280x800-en.png").await;
    let grid = "document.querySelector('.device-grid').scrollIntoView();";
    client.execute(grid, vec![]).await.expect("scroll");
    screenshot(&client, "virtual-home-devices-1280x800-en.png").await;
    // Without the user's consent their devices' use is not collected, and the screen says so.
    click(&client, "[data-testid=curtain]").await;
    let said = eventually("the use not collected", STEP, || async {
        let text = text_of(&client, "devices-status").await?;
        if text.contains("isn't counted") { Ok(text) } else { Err(text) }
    })
    .await;
    assert!(said.contains("only with your permission"), "{said}");
    let status =
        "document.querySelector('[data-testid=devices-status]').scrollIntoView({ block: 'center' });";
    client.execute(status, vec![]).await.expect("scroll to the status");
    screenshot(&client, "virtual-home-not-collected-1280x800-en.png").await;
    click(&client, "[data-testid=device-consent]").await;
    eventually("the consent saved", STEP, || async {
        let text = text_of(&client, "consent-said").await?;
        if text == "Saved." { Ok(()) } else { Err(text) }
    })
    .await;
    click(&client, "[data-testid=scene-leaving]").await;
    let said = eventually("the activities counted", STEP, || async {
        let text = text_of(&client, "devices-status").await?;
        if text.ends_with("counted for your challenges.") { Ok(text) } else { Err(text) }
    })
    .await;
    // The door locked and the leaving scene; and, between 20:00 and 23:00, lights off by bedtime.
    let minute = hearth_app_lib::clock::local_now().minute;
    let bedtime =
        (hearth_core::home::BEDTIME_FROM_MINUTE..hearth_core::home::BEDTIME_BY_MINUTE).contains(&minute);
    assert_eq!(said, format!("{} activities counted for your challenges.", 2 + usize::from(bedtime)));
    let locked = client
        .execute("return document.querySelector('[data-testid=lock]').getAttribute('aria-pressed');", vec![])
        .await
        .expect("script");
    assert_eq!(locked, serde_json::json!("true"), "the door shows locked");
    screenshot(&client, "virtual-home-after-leaving-1280x800-en.png").await;

    click(&client, "[data-testid=nav-challenges]").await;
    let counted = eventually("the server's count on the card", STEP, || async {
        let (progress, state) = participation(&client, "leaving-everything-off").await?;
        if progress == "1 of 5" && state.is_empty() {
            Ok(progress)
        } else {
            Err(format!("{progress} {state}"))
        }
    })
    .await;
    assert_eq!(counted, "1 of 5");
    client.close().await.expect("close the session");
    server.stop();
}
