//! Changes made offline, end to end in the real app: a challenge joined while the server is
//! down shows at once, marked as waiting; when the server is back it syncs. One the server
//! refuses (its challenge was retired meanwhile) is listed with the reason and discarded by the
//! user, never silently. Screenshots of each state go to the artifacts directory.

use std::time::Duration;

use fantoccini::Client;
use hearth_e2e::{
    Server, binary, click, eventually, free_port, launch, participation, screenshot, sign_in_through_app,
    sign_up, text_of,
};
use serde_json::Value;

const STEP: Duration = Duration::from_secs(30);

/// What the card of `challenge` shows of the user's participation, if anything.
async fn connectivity(client: &Client) -> Result<String, String> {
    let script = "return document.querySelector('[data-testid=sync-status]').dataset.connectivity;";
    client
        .execute(script, vec![])
        .await
        .map_err(|e| e.to_string())
        .map(|v| v.as_str().unwrap_or_default().to_owned())
}

#[tokio::test]
async fn changes_made_offline_wait_sync_and_refusals_are_the_users_to_discard() {
    let dir = tempfile::tempdir().expect("tempdir");
    let port = free_port();
    let server = Server::start_on(dir.path(), port).await;
    sign_up(&server.url, "mei@example.com", "warm home 2026", "Mei").await;
    sign_up(&server.url, "ops@example.com", "warm home 2026", "Ops").await;
    let database_url = format!("sqlite://{}/server.db", dir.path().display());
    let made = std::process::Command::new(binary("hearth-server", "HEARTH_SERVER_BIN"))
        .args([
            "--database-url",
            &database_url,
            "set-role",
            "--email",
            "ops@example.com",
            "--role",
            "operator",
        ])
        .output()
        .expect("hearth-server set-role");
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));

    let (_driver, client) = launch(&server.url, &dir.path().join("home"), 360, 740).await;
    click(&client, "[data-testid=locale-en]").await;
    sign_in_through_app(&client, "mei@example.com", "warm home 2026").await;

    // Online: a join is confirmed within a sync.
    click(&client, "[data-challenge-id=leaving-everything-off] [data-testid=join]").await;
    let shown = eventually("the confirmed join", STEP, || async {
        let (progress, state) = participation(&client, "leaving-everything-off").await?;
        if state.is_empty() { Ok(progress) } else { Err(format!("still {state}")) }
    })
    .await;
    assert_eq!(shown, "0 of 5");

    // Offline: the join shows at once, marked as waiting.
    server.stop();
    eventually("offline", STEP, || async {
        let c = connectivity(&client).await?;
        if c == "offline" { Ok(()) } else { Err(c) }
    })
    .await;
    click(&client, "[data-challenge-id=coming-home-welcome-light] [data-testid=join]").await;
    let (progress, state) =
        eventually("the pending join", STEP, || participation(&client, "coming-home-welcome-light")).await;
    assert_eq!((progress.as_str(), state.as_str()), ("0 of 3", "Joined · waiting to sync"));
    let waiting = eventually("the waiting count", STEP, || text_of(&client, "changes-waiting")).await;
    assert_eq!(waiting, "One change is waiting to sync.");
    let scroll = "const r = document.querySelector('[data-challenge-id=coming-home-welcome-light]').getBoundingClientRect();
                  document.scrollingElement.scrollTop += r.top - 120; return document.scrollingElement.scrollTop;";
    client.execute(scroll, vec![]).await.expect("scroll to the card");
    screenshot(&client, "home-360x740-offline-join-en.png").await;

    // Meanwhile an operator retires that challenge (on a server the app cannot reach).
    let elsewhere = Server::start_on(dir.path(), free_port()).await;
    let signed: Value = serde_json::from_str(
        &reqwest::Client::new()
            .post(format!("{}v1/auth/sign-in", elsewhere.url))
            .header("content-type", "application/json")
            .body(r#"{"email":"ops@example.com","password":"warm home 2026"}"#)
            .send()
            .await
            .expect("sign in")
            .text()
            .await
            .expect("body"),
    )
    .expect("json");
    let retired = reqwest::Client::new()
        .delete(format!("{}v1/challenges/coming-home-welcome-light", elsewhere.url))
        .bearer_auth(signed["session"]["token"].as_str().expect("token"))
        .send()
        .await
        .expect("retire");
    assert_eq!(retired.status().as_u16(), 204);
    elsewhere.stop();

    // The server is back where the app expects it: the join is refused, and the user is told.
    let server = Server::start_on(dir.path(), port).await;
    let refused = eventually("the refusal", STEP, || text_of(&client, "changes-refused")).await;
    assert_eq!(refused, "The server couldn't accept one change.");
    click(&client, "[data-testid=review-refused]").await;
    let reason = eventually("the reason", STEP, || text_of(&client, "refused-reason")).await;
    assert_eq!(reason, "This challenge is no longer offered.");
    screenshot(&client, "refused-360x740-en.png").await;
    click(&client, "[data-testid=discard]").await;
    eventually("the refusal discarded", STEP, || async {
        match text_of(&client, "changes-refused").await {
            Ok(text) => Err(format!("still says {text}")),
            Err(_) => Ok(()),
        }
    })
    .await;
    let (progress, state) = participation(&client, "leaving-everything-off").await.expect("kept");
    assert_eq!((progress.as_str(), state.as_str()), ("0 of 5", ""), "the other join is untouched");
    client.close().await.expect("close the session");
    server.stop();
}
