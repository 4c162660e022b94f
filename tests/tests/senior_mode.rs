//! Senior mode end to end: a family member switches it on from their own account (the senior's
//! app picks it up at its next sync), the senior's app shows four large tiles, meets its text,
//! contrast and target sizes on every screen (computed styles, and axe-core at each screenshot),
//! walks a setup guide, and sends a help request that the family member's account receives;
//! once their device marks it reached, the senior sees who and when. Leaving senior mode asks
//! first.

use std::time::Duration;

use fantoccini::Client;
use hearth_core::household::{
    CreateHousehold, CreateInvite, InviteRole, JoinHousehold, SetFamilyContacts, SetSeniorMode,
};
use hearth_e2e::{
    Server, api, click, eventually, launch, screenshot, sign_in_at_server, sign_in_through_app, sign_up,
    text_of,
};

const STEP: Duration = Duration::from_secs(20);
const PASSWORD: &str = "warm home 2026";

async fn token(url: &str, email: &str) -> (String, String) {
    sign_in_at_server(url, email, PASSWORD).await
}

/// Text under 24 px, text under 7:1 contrast against its background, and controls under 48 px,
/// on the page as it is: senior mode's own rules, checked on computed styles.
async fn senior_rule_breaks(client: &Client) -> Vec<String> {
    let script = r#"
        const visible = (e) => {
            const r = e.getBoundingClientRect(), s = getComputedStyle(e);
            return r.width > 1 && r.height > 1 && s.visibility !== 'hidden' && s.display !== 'none';
        };
        const rgba = (c) => (c.match(/[\d.]+/g) || []).map(Number);
        const luminance = ([r, g, b]) => {
            const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
            return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
        };
        const background = (e) => {
            for (let n = e; n; n = n.parentElement) {
                const c = rgba(getComputedStyle(n).backgroundColor);
                if (c.length === 3 || (c.length === 4 && c[3] > 0.99)) return c.slice(0, 3);
            }
            return [255, 255, 255];
        };
        const breaks = [];
        const root = document.querySelector('dialog[open]') || document.body;
        for (const e of root.querySelectorAll('*')) {
            if (!visible(e) || e.closest('.visually-hidden, .skip-link')) continue;
            const text = Array.from(e.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
            const s = getComputedStyle(e);
            if (text) {
                const size = parseFloat(s.fontSize);
                if (size < 24) breaks.push('text ' + size + 'px: ' + e.textContent.trim().slice(0, 40));
                const fg = luminance(rgba(s.color)), bg = luminance(background(e));
                const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
                if (ratio < 7) breaks.push('contrast ' + ratio.toFixed(2) + ': ' + e.textContent.trim().slice(0, 40));
            }
            if (e.matches('button, a[href], input, select, textarea')) {
                const r = e.getBoundingClientRect();
                if (r.width < 48 || r.height < 48) breaks.push('target ' + Math.round(r.width) + 'x' + Math.round(r.height) + ': ' + e.outerHTML.slice(0, 60));
            }
        }
        return breaks;
    "#;
    let found = client.execute(script, vec![]).await.expect("check styles");
    found
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

/// A screenshot (with axe-core) and senior mode's own checks.
async fn check_senior_screen(client: &Client, name: &str) {
    screenshot(client, name).await;
    let breaks = senior_rule_breaks(client).await;
    assert!(breaks.is_empty(), "{name}: senior mode's rules broken:\n{}", breaks.join("\n"));
}

#[tokio::test]
async fn a_family_member_turns_on_senior_mode_and_receives_the_seniors_help_request() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = Server::start(dir.path()).await;
    let url = server.url.clone();
    sign_up(&url, "daughter@example.com", PASSWORD, "李明").await;
    sign_up(&url, "grandma@example.com", PASSWORD, "王奶奶").await;
    let (daughter, daughter_token) = token(&url, "daughter@example.com").await;
    let (grandma, grandma_token) = token(&url, "grandma@example.com").await;
    let server_api = api(&url);
    server_api
        .create_household(&daughter_token, &CreateHousehold { name: "王家".into() })
        .await
        .expect("household");
    let invite =
        server_api.invite(&daughter_token, &CreateInvite { role: InviteRole::Senior }).await.expect("invite");
    server_api.join_household(&grandma_token, &JoinHousehold { code: invite.code }).await.expect("joined");
    let contacts = SetFamilyContacts { contact_ids: vec![daughter.clone()] };
    server_api.set_family_contacts(&daughter_token, &grandma, &contacts).await.expect("contacts");

    // Grandma signs in on her phone.
    let (_driver, client) = launch(&url, &dir.path().join("home"), 390, 844).await;
    click(&client, "[data-testid=locale-zh-CN]").await;
    sign_in_through_app(&client, "grandma@example.com", PASSWORD).await;

    // Her daughter switches senior mode on from her own account; the app follows at its next sync.
    let profile = server_api
        .set_senior_mode(&daughter_token, &grandma, &SetSeniorMode { enabled: true })
        .await
        .expect("senior mode");
    assert!(profile.senior_mode);
    eventually("the four tiles", STEP, || async { text_of(&client, "tile-help").await.map(|_| ()) }).await;
    for tile in ["tile-help", "tile-setup", "tile-challenges", "tile-standard"] {
        text_of(&client, tile).await.unwrap_or_else(|e| panic!("{tile}: {e}"));
    }
    check_senior_screen(&client, "senior-home-390x844-zh-CN.png").await;

    // A setup guide, in large text.
    click(&client, "[data-testid=tile-setup]").await;
    click(&client, "[data-testid=guide-bulb]").await;
    eventually("the first step", STEP, || async {
        let step = text_of(&client, "guide-step").await?;
        if step.contains("第 1 步") { Ok(()) } else { Err(step) }
    })
    .await;
    click(&client, "[data-testid=guide-next]").await;
    eventually("the second step", STEP, || async {
        let step = text_of(&client, "guide-step").await?;
        if step.contains("第 2 步") { Ok(()) } else { Err(step) }
    })
    .await;
    click(&client, "[data-testid=guide-help-button]").await;
    eventually("the step's help", STEP, || async { text_of(&client, "guide-help").await.map(|_| ()) }).await;
    check_senior_screen(&client, "senior-guide-390x844-zh-CN.png").await;
    // The phone's back gesture (the window's back) returns to the tiles, as "back to home" does.
    client.back().await.expect("back");
    eventually("the tiles again", STEP, || async { text_of(&client, "tile-help").await.map(|_| ()) }).await;
    click(&client, "[data-testid=tile-setup]").await;
    click(&client, "[data-testid=senior-home]").await;

    // One tap for help: it reaches her daughter's account.
    click(&client, "[data-testid=tile-help]").await;
    click(&client, "[data-testid=help-send]").await;
    eventually("the request listed, not yet received", STEP, || async {
        let text = text_of(&client, "help-contact").await?;
        if text.contains("李明") && text.contains("还没有收到") { Ok(()) } else { Err(text) }
    })
    .await;
    let incoming = server_api.incoming_help(&daughter_token).await.expect("incoming help");
    assert_eq!(incoming[0].senior_name, "王奶奶", "the daughter's account receives it: {incoming:?}");
    // Her daughter's device shows it and says so; grandma sees who received it and when.
    server_api.help_reached(&daughter_token, &incoming[0].id).await.expect("reached");
    eventually("the request marked received", STEP, || async {
        let text = text_of(&client, "help-contact").await?;
        if text.contains("李明") && text.contains("收到了") { Ok(()) } else { Err(text) }
    })
    .await;
    check_senior_screen(&client, "senior-help-390x844-zh-CN.png").await;

    // Leaving senior mode asks first.
    click(&client, "[data-testid=senior-home]").await;
    click(&client, "[data-testid=tile-standard]").await;
    eventually("the question", STEP, || async {
        text_of(&client, "confirm-standard-question").await.map(|_| ())
    })
    .await;
    check_senior_screen(&client, "senior-confirm-390x844-zh-CN.png").await;
    click(&client, "[data-testid=confirm-standard-yes]").await;
    eventually("the standard screens", STEP, || async {
        text_of(&client, "nav-challenges").await.map(|_| ())
    })
    .await;
    // Changed on the device at once; the server has it after the sync that follows.
    eventually("the server's profile", STEP, || async {
        let me = server_api.me(&grandma_token).await.map_err(|e| e.to_string())?;
        if me.senior_mode { Err(format!("{me:?}")) } else { Ok(()) }
    })
    .await;
    client.close().await.expect("close the session");
    server.stop();
}
