//! Navigation, end to end in the real app: every screen has an address, the window's back button
//! goes back (closing a challenge's details, returning to the list where it was scrolled), a
//! deep link opens the screen or the challenge it names, and an address the app does not have
//! says so. Screenshots of the bottom bar (phone) and the rail (desktop) in both languages.

use std::time::Duration;

use fantoccini::Client;
use hearth_e2e::{Server, click, eventually, launch, screenshot, text_of};
use serde_json::Value;

const STEP: Duration = Duration::from_secs(30);

/// Where the app is, read in one script: the path, which destination is current, whether a
/// challenge's details are open, which, and how far the page is scrolled.
#[derive(Debug, Clone, PartialEq)]
struct Place {
    path: String,
    current: Option<String>,
    details_open: bool,
    detail_id: Option<String>,
    scroll_y: i64,
}

async fn place(client: &Client) -> Result<Place, String> {
    let script = r#"
        const current = document.querySelector('.destinations a[aria-current=page]');
        const dialog = document.querySelector('[data-testid=challenge-detail]');
        const facts = dialog && dialog.querySelector('[data-challenge-id]');
        return {
            path: window.location.pathname,
            current: current ? current.dataset.testid : null,
            detailsOpen: !!(dialog && dialog.open),
            detailId: facts ? facts.dataset.challengeId : null,
            scrollY: Math.round(window.scrollY),
        };
    "#;
    let value = client.execute(script, vec![]).await.map_err(|e| e.to_string())?;
    let text = |key: &str| value[key].as_str().map(str::to_owned);
    Ok(Place {
        path: text("path").unwrap_or_default(),
        current: text("current"),
        details_open: value["detailsOpen"] == Value::Bool(true),
        detail_id: text("detailId"),
        scroll_y: value["scrollY"].as_i64().unwrap_or(-1),
    })
}

/// Waits until `check` accepts where the app is.
async fn wait_place(client: &Client, what: &str, check: impl Fn(&Place) -> bool) -> Place {
    eventually(what, STEP, || async {
        let now = place(client).await?;
        if check(&now) { Ok(now) } else { Err(format!("{now:?}")) }
    })
    .await
}

/// The ids of the listed challenges, in order.
async fn challenge_ids(client: &Client) -> Result<Vec<String>, String> {
    let script = "return Array.from(document.querySelectorAll('[data-testid=challenge]')).map(e => e.dataset.challengeId);";
    let value = client.execute(script, vec![]).await.map_err(|e| e.to_string())?;
    let ids: Vec<String> =
        value.as_array().into_iter().flatten().filter_map(|v| v.as_str().map(str::to_owned)).collect();
    if ids.len() >= 4 { Ok(ids) } else { Err(format!("{ids:?}")) }
}

/// How many entries the window's history has.
async fn history_length(client: &Client) -> i64 {
    let value = client.execute("return window.history.length;", vec![]).await.expect("script");
    value.as_i64().expect("a length")
}

/// The app's own address for `path` (the webview's scheme and host).
async fn address(client: &Client, path: &str) -> String {
    let here = client.current_url().await.expect("the current address");
    here.join(path).expect("an address in the app").to_string()
}

#[tokio::test]
async fn back_closes_and_returns_and_deep_links_open_the_screen_they_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = Server::start(dir.path()).await;
    let (_driver, client) = launch(&server.url, &dir.path().join("home"), 360, 740).await;
    click(&client, "[data-testid=locale-zh-CN]").await;

    // The app opens on the challenges, at their address, in the bottom bar.
    wait_place(&client, "the challenges at /challenges", |p| {
        p.path == "/challenges" && p.current.as_deref() == Some("nav-challenges")
    })
    .await;
    let ids = eventually("the synced catalog", STEP, || challenge_ids(&client)).await;
    screenshot(&client, "nav-challenges-360x740-zh-CN.png").await;

    // Scrolled down the list, a challenge's details open at its address; back closes them and
    // the list is where it was.
    let third = &ids[3];
    client
        .execute(
            "document.querySelector(`[data-challenge-id='${arguments[0]}'] [data-testid=details]`).scrollIntoView({block: 'center'});",
            vec![Value::String(third.clone())],
        )
        .await
        .expect("scroll");
    let scrolled = wait_place(&client, "the list scrolled", |p| p.scroll_y > 200).await.scroll_y;
    click(&client, &format!("[data-challenge-id='{third}'] [data-testid=details]")).await;
    let opened = wait_place(&client, "the details at their address", |p| {
        p.path == format!("/challenges/{third}")
            && p.details_open
            && p.detail_id.as_deref() == Some(third.as_str())
    })
    .await;
    assert!(
        (opened.scroll_y - scrolled).abs() <= 2,
        "opening the details moved the list: {opened:?}, was {scrolled}"
    );
    screenshot(&client, "nav-detail-360x740-zh-CN.png").await;
    client.back().await.expect("back");
    let back =
        wait_place(&client, "the list again, details closed", |p| p.path == "/challenges" && !p.details_open)
            .await;
    assert!(
        (back.scroll_y - scrolled).abs() <= 2,
        "back returns to the same place in the list: {back:?}, was {scrolled}"
    );

    // Another destination starts at its top; back returns to the list where it was scrolled.
    click(&client, "[data-testid=nav-league]").await;
    wait_place(&client, "the league", |p| p.path == "/league" && p.current.as_deref() == Some("nav-league"))
        .await;
    let top = place(&client).await.expect("place").scroll_y;
    assert_eq!(top, 0, "a new screen starts at its top");
    client.back().await.expect("back");
    wait_place(&client, "the list, scrolled as it was", |p| {
        p.path == "/challenges"
            && p.current.as_deref() == Some("nav-challenges")
            && (p.scroll_y - scrolled).abs() <= 2
    })
    .await;

    // Closing details opened from the list goes back to it: no second entry for the list.
    click(&client, &format!("[data-challenge-id='{third}'] [data-testid=details]")).await;
    wait_place(&client, "the details", |p| p.details_open).await;
    let entries = history_length(&client).await;
    click(&client, "[data-testid=detail-close]").await;
    wait_place(&client, "the list", |p| p.path == "/challenges" && !p.details_open).await;
    assert_eq!(history_length(&client).await, entries, "closing the details added a history entry");

    // A deep link to a challenge opens its details over the list; closing them leaves the list.
    let first = &ids[0];
    client.goto(&address(&client, &format!("/challenges/{first}")).await).await.expect("deep link");
    wait_place(&client, "the linked challenge's details", |p| {
        p.details_open && p.detail_id.as_deref() == Some(first.as_str())
    })
    .await;
    click(&client, "[data-testid=detail-close]").await;
    wait_place(&client, "the list in the link's place", |p| p.path == "/challenges" && !p.details_open).await;

    // A link to a challenge that is gone, and to an address the app has not: both said plainly.
    client.goto(&address(&client, "/challenges/no-such-challenge").await).await.expect("deep link");
    eventually("the missing challenge", STEP, || text_of(&client, "challenge-not-found")).await;
    client.goto(&address(&client, "/no/such/screen").await).await.expect("deep link");
    let missing = eventually("the missing screen", STEP, || text_of(&client, "not-found")).await;
    assert!(!missing.is_empty());
    screenshot(&client, "nav-not-found-360x740-zh-CN.png").await;

    // My home leads to the room preview and device setup, and each leads back up.
    client.goto(&address(&client, "/home").await).await.expect("deep link");
    wait_place(&client, "my home", |p| p.current.as_deref() == Some("nav-home-devices")).await;
    screenshot(&client, "nav-my-home-360x740-zh-CN.png").await;
    click(&client, "[data-testid=nav-setup]").await;
    wait_place(&client, "device setup, under my home", |p| {
        p.path == "/home/setup" && p.current.as_deref() == Some("nav-home-devices")
    })
    .await;
    click(&client, "[data-testid=up]").await;
    wait_place(&client, "my home again", |p| p.path == "/home").await;
    click(&client, "[data-testid=nav-settings]").await;
    wait_place(&client, "the settings", |p| p.path == "/settings" && p.current.is_none()).await;

    // The rail on a desktop, in both languages.
    hearth_e2e::resize(&client, 1280, 800).await;
    click(&client, "[data-testid=nav-challenges]").await;
    wait_place(&client, "the challenges", |p| p.path == "/challenges").await;
    screenshot(&client, "nav-challenges-1280x800-zh-CN.png").await;
    click(&client, "[data-testid=locale-en]").await;
    click(&client, "[data-testid=nav-home-devices]").await;
    wait_place(&client, "my home", |p| p.path == "/home").await;
    screenshot(&client, "nav-my-home-1280x800-en.png").await;
    hearth_e2e::resize(&client, 360, 740).await;
    click(&client, "[data-testid=nav-challenges]").await;
    wait_place(&client, "the challenges", |p| p.path == "/challenges").await;
    screenshot(&client, "nav-challenges-360x740-en.png").await;
}
