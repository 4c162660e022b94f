//! The weekly league through the real app: the invitation explains the rules; joining puts the
//! user in a group with a neighbour who joined before and has earned points this week, ranked
//! above them in the promotion zone; leaving asks first. English at a phone's size, then the
//! table in Chinese on a desktop. Screens are checked with axe-core at each screenshot.

use std::time::Duration;

use hearth_e2e::{
    Server, api, click, eventually, grant_points, launch, resize, screenshot, set_role, sign_in_at_server,
    sign_in_through_app, sign_up, text_of,
};

const STEP: Duration = Duration::from_secs(20);
const PASSWORD: &str = "warm home 2026";

async fn lines(client: &fantoccini::Client) -> Vec<String> {
    let script =
        "return Array.from(document.querySelectorAll('[data-testid=league-line]')).map(e => e.textContent);";
    serde_json::from_value(client.execute(script, vec![]).await.expect("script")).unwrap_or_default()
}

#[tokio::test]
async fn a_user_joins_the_weekly_league_sees_the_table_and_leaves() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = Server::start(dir.path()).await;
    let url = server.url.clone();
    for (email, name) in
        [("yu@example.com", "Yu"), ("neighbour@example.com", "Xia"), ("op@example.com", "Op")]
    {
        sign_up(&url, email, PASSWORD, name).await;
    }
    set_role(dir.path(), "op@example.com", "operator", None);
    let (neighbour, neighbour_token) = sign_in_at_server(&url, "neighbour@example.com", PASSWORD).await;
    let (_, operator) = sign_in_at_server(&url, "op@example.com", PASSWORD).await;
    api(&url).join_league(&neighbour_token).await.expect("the neighbour joins");
    grant_points(&url, &operator, &neighbour, 60).await;

    let (_driver, client) = launch(&url, &dir.path().join("home"), 390, 844).await;
    click(&client, "[data-testid=locale-en]").await;
    sign_in_through_app(&client, "yu@example.com", PASSWORD).await;
    click(&client, "[data-testid=nav-league]").await;
    eventually("the invitation", STEP, || async { text_of(&client, "league-join").await.map(|_| ()) }).await;
    let invitation = text_of(&client, "league").await.expect("the league screen");
    assert!(
        invitation.contains("the top 10 move up") && invitation.contains("up to 50 people"),
        "{invitation}"
    );
    screenshot(&client, "league-invitation-390x844-en.png").await;

    click(&client, "[data-testid=league-join]").await;
    let table = eventually("the table", STEP, || async {
        let found = lines(&client).await;
        if found.len() == 2 { Ok(found) } else { Err(format!("{found:?}")) }
    })
    .await;
    assert!(
        table[0].contains("Xia") && table[0].contains("60 points") && table[0].contains("Moving up"),
        "{table:?}"
    );
    assert!(
        table[1].contains("Yu") && table[1].contains("(you)") && table[1].contains("0 points"),
        "{table:?}"
    );
    assert_eq!(
        text_of(&client, "league-you").await.expect("you"),
        "You're No. 2 of 2 with 0 points this week."
    );
    assert!(text_of(&client, "league-tier").await.expect("tier").starts_with("Bronze league"));
    screenshot(&client, "league-table-390x844-en.png").await;

    resize(&client, 1280, 800).await;
    click(&client, "[data-testid=locale-zh-CN]").await;
    until_text_is(&client, "league-you", "你本周排第 2 名（共 2 人），0 积分。").await;
    screenshot(&client, "league-table-1280x800-zh.png").await;

    // Leaving asks first; then the invitation again.
    click(&client, "[data-testid=league-leave]").await;
    click(&client, "[data-testid=league-leave-confirm-yes]").await;
    eventually("the invitation again", STEP, || async { text_of(&client, "league-join").await.map(|_| ()) })
        .await;
    api(&url).league(&neighbour_token).await.expect("the neighbour is still in");
    client.close().await.expect("close the session");
    server.stop();
}

async fn until_text_is(client: &fantoccini::Client, testid: &str, expected: &str) {
    eventually(&format!("{testid} to read {expected:?}"), STEP, || async {
        let text = text_of(client, testid).await?;
        if text == expected { Ok(()) } else { Err(text) }
    })
    .await;
}
