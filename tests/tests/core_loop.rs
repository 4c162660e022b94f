//! The consumer's whole core loop through the real app, in Chinese at a phone's size: a new user
//! reads a challenge's details and joins it, joins two more, allows device use to count,
//! operates the virtual home, sees the streak, completes two challenges (each celebrated once,
//! with its badges; one shared to the community) and a third by proving a task with a photo (a
//! file that is no photo refused first), receives the points exactly once, redeems a
//! reward that the store's staff then scan, and is reminded by a real desktop notification. The
//! points history and badges are then read in English. Every screenshot is checked with
//! axe-core.

use std::time::Duration;

use hearth_client::Page;
use hearth_e2e::{
    Notifications, Server, api, artifacts_dir, click, consume_newest_code, eventually, launch, participation,
    screenshot, set_role, sign_in_at_server, sign_in_through_app, sign_up, text_of,
};
use serde_json::json;

const STEP: Duration = Duration::from_secs(20);
const PASSWORD: &str = "warm home 2026";

/// Waits until the element with `testid` reads `expected` (or contains it, with `contains`).
async fn until_text(client: &fantoccini::Client, testid: &str, expected: &str) -> String {
    eventually(&format!("{testid} to read {expected:?}"), STEP, || async {
        let text = text_of(client, testid).await?;
        if text.contains(expected) { Ok(text) } else { Err(text) }
    })
    .await
}

/// Whether the dialog with `testid` is open.
async fn dialog_open(client: &fantoccini::Client, testid: &str) -> bool {
    let script =
        format!("const d = document.querySelector('[data-testid={testid}]'); return !!(d && d.open);");
    client.execute(&script, vec![]).await.expect("script") == json!(true)
}

/// The server's side of a user's challenges, in a line, for a failure message.
async fn on_the_server(server: (&str, &str)) -> String {
    match api(server.0).my_challenges(server.1).await {
        Ok(mine) => mine
            .iter()
            .map(|p| {
                format!(
                    "{} {}/{} done:{:?}",
                    p.challenge_id, p.progress.current, p.progress.target, p.completed_at_ms
                )
            })
            .collect::<Vec<_>>()
            .join("; "),
        Err(error) => error.to_string(),
    }
}

/// Waits for the completion moment of `title` and returns its points line and new badges;
/// `server` is the server's address and the user's token, to say what it has if the moment
/// does not come.
async fn celebrated(client: &fantoccini::Client, title: &str, server: (&str, &str)) -> (String, String) {
    eventually(&format!("the completion moment for {title}"), STEP, || async {
        if !dialog_open(client, "celebration").await {
            let there = on_the_server(server).await;
            let said = [text_of(client, "devices-status").await, text_of(client, "task-said").await]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" / ");
            let changes = text_of(client, "sync-status").await.unwrap_or_default();
            return Err(format!(
                "not open; the screen says {said:?}; sync: {changes:?}; the server: {there}"
            ));
        }
        let shown = text_of(client, "celebrate-challenge").await?;
        if shown == title { Ok(()) } else { Err(shown) }
    })
    .await;
    let points = text_of(client, "celebrate-points").await.expect("points");
    let badges = text_of(client, "celebrate-badges").await.unwrap_or_default();
    (points, badges)
}

async fn press(client: &fantoccini::Client, testid: &str, times: usize) {
    for _ in 0..times {
        let before = text_of(client, "devices-status").await.unwrap_or_default();
        click(client, &format!("[data-testid={testid}]")).await;
        // One press at a time: the screen says each was counted before the next.
        eventually(&format!("{testid} counted"), STEP, || async {
            let now = text_of(client, "devices-status").await?;
            if now != before { Ok(()) } else { Err(now) }
        })
        .await;
    }
}

#[tokio::test]
async fn a_new_user_goes_round_the_whole_loop_in_chinese() {
    let dir = tempfile::tempdir().expect("tempdir");
    let notifications = Notifications::start(dir.path()).await;
    let server = Server::start(dir.path()).await;
    let url = server.url.clone();
    sign_up(&url, "lan@example.com", PASSWORD, "兰").await;
    sign_up(&url, "clerk@example.com", PASSWORD, "Clerk").await;
    set_role(dir.path(), "clerk@example.com", "staff", Some("shanghai-1"));
    let (_, user_token) = sign_in_at_server(&url, "lan@example.com", PASSWORD).await;
    let (_, clerk) = sign_in_at_server(&url, "clerk@example.com", PASSWORD).await;

    let (_driver, client) = launch(&url, &dir.path().join("home"), 390, 844).await;
    click(&client, "[data-testid=locale-zh-CN]").await;
    sign_in_through_app(&client, "lan@example.com", PASSWORD).await;
    until_text(&client, "badges-count", "已获得 0 / 9").await;
    // The wallet line comes last after signing in; clicks wait until the screen has settled.
    until_text(&client, "wallet-balance", "0 积分").await;

    // The details of "a light to welcome you": what counts, and joining from there.
    click(&client, "[data-challenge-id=coming-home-welcome-light] [data-testid=details]").await;
    assert_eq!(until_text(&client, "detail-trigger", "回家").await, "运行“回家”场景");
    screenshot(&client, "loop-detail-390x844-zh.png").await;
    click(&client, "[data-testid=detail-join]").await;
    until_text(&client, "detail-window", "结束").await;
    click(&client, "[data-testid=detail-close]").await;
    for challenge in ["leaving-everything-off", "morning-let-the-light-in", "coming-home-clean-filter"] {
        click(&client, &format!("[data-challenge-id={challenge}] [data-testid=join]")).await;
        eventually(&format!("{challenge} joined"), STEP, || async {
            participation(&client, challenge).await
        })
        .await;
    }
    for challenge in [
        "coming-home-welcome-light",
        "leaving-everything-off",
        "morning-let-the-light-in",
        "coming-home-clean-filter",
    ] {
        eventually(&format!("{challenge} joined on the server"), STEP, || async {
            let (progress, state) = participation(&client, challenge).await?;
            if state.is_empty() { Ok(progress) } else { Err(format!("{progress} {state}")) }
        })
        .await;
    }

    // My home: allow device use to count (the curtain is a device), then live a little.
    click(&client, "[data-testid=nav-home-devices]").await;
    click(&client, "[data-testid=device-consent]").await;
    until_text(&client, "consent-said", "已保存").await;
    screenshot(&client, "loop-my-home-390x844-zh.png").await;
    press(&client, "curtain", 1).await;
    press(&client, "scene-coming-home", 3).await;
    let (points, badges) = celebrated(&client, "回家有灯", (&url, &user_token)).await;
    assert_eq!(points, "20 积分已到账。");
    assert!(badges.contains("第一步") && badges.contains("欢迎回家"), "{badges}");
    screenshot(&client, "loop-completed-390x844-zh.png").await;
    // Shared to the community: the caption and a picture of the moment are ready; the post,
    // picture and all, reaches the server's feed.
    let drawn = "const i = document.querySelector('[data-testid=share-card]');
                 return i && i.complete && i.naturalWidth === 1080 ? i.alt : null;";
    let alt = eventually("the picture to share", STEP, || async {
        match client.execute(drawn, vec![]).await.map_err(|e| e.to_string())? {
            serde_json::Value::String(alt) => Ok(alt),
            other => Err(other.to_string()),
        }
    })
    .await;
    assert_eq!(alt, "要分享的图片：已完成“回家有灯”，+20 积分");
    click(&client, "[data-testid=share-post]").await;
    until_text(&client, "share-status", "已发布到社区动态").await;
    let feed = api(&url).feed(&user_token, None, Page::default()).await.expect("the feed");
    let shared = &feed.posts[0];
    assert!(shared.text.contains("回家有灯") && shared.text.contains("20"), "{feed:?}");
    let picture = &shared.photos[0];
    assert_eq!((picture.width, picture.height), (1080, 1080), "{feed:?}");
    let card = api(&url).photo(&user_token, &picture.id).await.expect("the picture");
    std::fs::write(artifacts_dir().join("loop-share-card-zh.jpg"), &card).expect("keep the picture");
    click(&client, "[data-testid=celebrate-close]").await;

    press(&client, "scene-leaving", 5).await;
    let (points, badges) = celebrated(&client, "出门一键全关", (&url, &user_token)).await;
    assert_eq!(points, "30 积分已到账。");
    assert!(badges.contains("出门啦"), "{badges}");
    click(&client, "[data-testid=celebrate-close]").await;

    // The challenges: three badges, both completions, the streak that started today.
    click(&client, "[data-testid=nav-challenges]").await;
    until_text(&client, "badges-count", "已获得 3 / 9").await;
    // Past completions, newest first, open onto their details.
    until_text(&client, "completed", "已完成 2 项挑战").await;
    click(&client, "[data-testid=completed] summary").await;
    let done = text_of(&client, "completed").await.expect("completed");
    assert!(done.find("出门一键全关") < done.find("回家有灯") && done.contains("+30"), "{done}");
    for challenge in ["coming-home-welcome-light", "leaving-everything-off"] {
        let (_, state) = participation(&client, challenge).await.expect("participation");
        assert_eq!(state, "已完成", "{challenge}");
    }
    let streak = eventually("the streak on its card", STEP, || async {
        let script = "const s = document.querySelector('[data-challenge-id=morning-let-the-light-in] [data-testid=streak]'); return s ? s.textContent : null;";
        match client.execute(script, vec![]).await.map_err(|e| e.to_string())? {
            serde_json::Value::String(text) => Ok(text),
            other => Err(other.to_string()),
        }
    })
    .await;
    assert!(streak.contains("已连续 1 天") && streak.contains("今天已完成"), "{streak}");
    screenshot(&client, "loop-challenges-390x844-zh.png").await;

    // A self-reported task: a file that is not a photo is refused; a photo of the clean filter
    // completes it.
    let not_a_photo = dir.path().join("receipt.jpg");
    std::fs::write(&not_a_photo, b"%PDF-1.7 not a picture").expect("write");
    let photo = dir.path().join("filter.png");
    image::RgbImage::from_fn(1600, 1200, |x, y| {
        image::Rgb([(x % 200) as u8 + 40, (y % 180) as u8 + 40, 170])
    })
    .save(&photo)
    .expect("write the photo");
    let choose = |path: std::path::PathBuf| {
        let client = client.clone();
        async move {
            let css = "[data-challenge-id=coming-home-clean-filter] [data-testid=task-photo]";
            eventually("the photo chosen", STEP, || async {
                let input = client.find(fantoccini::Locator::Css(css)).await.map_err(|e| e.to_string())?;
                input.send_keys(&path.display().to_string()).await.map_err(|e| e.to_string())
            })
            .await;
        }
    };
    choose(not_a_photo).await;
    let refused = eventually("the refusal", STEP, || async {
        let text = text_of(&client, "task-said").await?;
        if text.contains("不是照片") { Ok(text) } else { Err(text) }
    })
    .await;
    assert_eq!(refused, "这个文件不是照片，请选择 JPEG、PNG 或 WebP 图片。");
    let card = "document.querySelector('[data-challenge-id=coming-home-clean-filter]').scrollIntoView();";
    client.execute(card, vec![]).await.expect("scroll");
    screenshot(&client, "loop-task-refused-390x844-zh.png").await;
    choose(photo).await;
    let (points, _) = celebrated(&client, "清洗空调滤网", (&url, &user_token)).await;
    assert_eq!(points, "40 积分已到账。");
    click(&client, "[data-testid=celebrate-close]").await;

    // Points exactly once, however often it syncs.
    until_text(&client, "wallet-balance", "90").await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(text_of(&client, "wallet-balance").await.expect("balance").contains("90"));
    let wallet = api(&url).wallet(&user_token).await.expect("the wallet");
    assert_eq!(wallet.balance, 90, "{wallet:?}");

    // Redeem the 50-point coffee; the counter scans it.
    click(&client, "[data-testid=nav-rewards]").await;
    let entries = "return Array.from(document.querySelectorAll('[data-testid=history-entry]')).map(e => e.textContent);";
    let history = eventually("the history", STEP, || async {
        let found = client.execute(entries, vec![]).await.map_err(|e| e.to_string())?;
        let list: Vec<String> = serde_json::from_value(found).map_err(|e| e.to_string())?;
        if list.len() == 3 { Ok(list) } else { Err(format!("{list:?}")) }
    })
    .await;
    assert!(history[0].contains("完成“清洗空调滤网”") && history[0].contains("+40"), "{history:?}");
    assert!(history[1].contains("完成“出门一键全关”") && history[1].contains("+30"), "{history:?}");
    assert!(history[2].contains("完成“回家有灯”") && history[2].contains("+20"), "{history:?}");
    click(&client, "[data-reward-id=store-coffee] [data-testid=redeem]").await;
    click(&client, "[data-testid=redeem-yes]").await;
    eventually("the code on screen", STEP, || async {
        if dialog_open(&client, "qr-sheet").await { Ok(()) } else { Err("closed".to_owned()) }
    })
    .await;
    consume_newest_code(&url, &user_token, &clerk).await;
    until_text(&client, "qr-status", "已在柜台使用").await;
    click(&client, "[data-testid=qr-done]").await;
    until_text(&client, "rewards-balance", " 40 ").await;

    // Reminded: the daily reminder at this very minute arrives as a desktop notification.
    click(&client, "[data-testid=nav-settings]").await;
    click(&client, "[data-testid=daily-on]").await;
    // Clear of midnight, so that the minute set is still today's when the app checks it.
    let now = loop {
        let minute = hearth_app_lib::clock::local_now().minute;
        if minute < 1438 {
            break minute;
        }
        tokio::time::sleep(Duration::from_secs(5)).await;
    };
    let set_time = format!(
        "const t = document.querySelector('[data-testid=daily-time]'); t.value = '{:02}:{:02}'; t.dispatchEvent(new Event('input', {{ bubbles: true }}));",
        now / 60,
        now % 60
    );
    client.execute(&set_time, vec![]).await.expect("set the time");
    click(&client, "[data-testid=settings-save]").await;
    until_text(&client, "settings-said", "已保存").await;
    eventually("the daily reminder", STEP, || async {
        let titles = notifications.titles();
        if titles.iter().any(|t| t == "今天的居家小习惯") {
            Ok(())
        } else {
            Err(format!("{titles:?}"))
        }
    })
    .await;
    let titles = notifications.titles();
    assert_eq!(
        titles.iter().filter(|t| *t == "挑战完成！").count(),
        3,
        "each completion announced once: {titles:?}"
    );

    // The history and badges in English.
    click(&client, "[data-testid=locale-en]").await;
    click(&client, "[data-testid=nav-rewards]").await;
    let history = eventually("the history with the redemption", STEP, || async {
        let found = client.execute(entries, vec![]).await.map_err(|e| e.to_string())?;
        let list: Vec<String> = serde_json::from_value(found).map_err(|e| e.to_string())?;
        if list.len() == 4 && list[0].contains("Redeemed") { Ok(list) } else { Err(format!("{list:?}")) }
    })
    .await;
    assert!(history[0].contains("−50"), "{history:?}");
    let scroll_to =
        |testid: &str| format!("document.querySelector('[data-testid={testid}]').scrollIntoView();");
    client.execute(&scroll_to("history"), vec![]).await.expect("scroll");
    screenshot(&client, "loop-history-390x844-en.png").await;
    click(&client, "[data-testid=nav-challenges]").await;
    until_text(&client, "badges-count", "3 of 9 earned").await;
    click(&client, "[data-testid=badges-open]").await;
    client.execute(&scroll_to("badges"), vec![]).await.expect("scroll");
    screenshot(&client, "loop-badges-390x844-en.png").await;
    client.close().await.expect("close the session");
    server.stop();
}
