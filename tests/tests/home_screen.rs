//! The home screen, end to end: the real server, the real app in WebKitGTK, driven through
//! tauri-driver. It checks that the challenges that came from the server are listed at a phone's
//! and a desktop's size, in both languages, and that they stay listed, marked offline, once the
//! server is gone. Screenshots of each state go to the artifacts directory.

use std::time::Duration;

use fantoccini::Client;
use hearth_core::catalog::Catalog;
use hearth_core::i18n::Locale;
use hearth_e2e::{Driver, Server, app_env, axe_violations, eventually, resize, screenshot};
use serde_json::Value;

/// Generous: the first launch of a debug build under Xvfb compiles the wasm in WebKit.
const APP_READY: Duration = Duration::from_secs(90);
const SYNC: Duration = Duration::from_secs(30);

/// What the page shows, read in one script so the values belong to one moment.
#[derive(Debug)]
struct Page {
    lang: String,
    connectivity: String,
    titles: Vec<String>,
    inner_width: i64,
    overflows: bool,
    small_targets: Vec<String>,
    offline_note: bool,
}

async fn read_page(client: &Client) -> Result<Page, String> {
    let script = r#"
        const q = (sel) => Array.from(document.querySelectorAll(sel));
        const status = document.querySelector('[data-testid=sync-status]');
        return {
            lang: document.documentElement.lang,
            connectivity: status ? status.dataset.connectivity : '',
            titles: q('[data-testid=challenge-title]').map(e => e.textContent.trim()),
            innerWidth: window.innerWidth,
            overflows: document.documentElement.scrollWidth > window.innerWidth,
            smallTargets: q('button, a[href]')
                .filter(e => e.getClientRects().length > 0 && !e.classList.contains('skip-link'))
                .filter(e => { const r = e.getBoundingClientRect(); return r.width < 44 || r.height < 44; })
                .map(e => e.outerHTML.slice(0, 80)),
            offlineNote: !!document.querySelector('[data-testid=offline-note]'),
        };
    "#;
    let value = client.execute(script, vec![]).await.map_err(|e| format!("script failed: {e}"))?;
    let text = |key: &str| value.get(key).and_then(Value::as_str).unwrap_or_default().to_owned();
    let strings = |key: &str| -> Vec<String> {
        value
            .get(key)
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
            .unwrap_or_default()
    };
    Ok(Page {
        lang: text("lang"),
        connectivity: text("connectivity"),
        titles: strings("titles"),
        inner_width: value.get("innerWidth").and_then(Value::as_i64).unwrap_or_default(),
        overflows: value.get("overflows").and_then(Value::as_bool).unwrap_or(true),
        small_targets: strings("smallTargets"),
        offline_note: value.get("offlineNote").and_then(Value::as_bool).unwrap_or(false),
    })
}

fn titles_in(catalog: &Catalog, locale: Locale) -> Vec<String> {
    // The screen groups challenges by scene in the scenes' order, keeping catalog order within.
    let mut challenges = catalog.challenges.clone();
    challenges.sort_by_key(|c| c.scene);
    challenges.iter().map(|c| c.title.get(locale).to_owned()).collect()
}

/// Waits until the page lists `expected` titles in `locale` with `connectivity`.
async fn wait_for_listing(
    client: &Client,
    catalog: &Catalog,
    locale: Locale,
    connectivity: &str,
    timeout: Duration,
) -> Page {
    let expected = titles_in(catalog, locale);
    eventually(
        &format!("{} challenges in {} while {connectivity}", expected.len(), locale.tag()),
        timeout,
        || async {
            let page = read_page(client).await?;
            if page.lang == locale.tag() && page.connectivity == connectivity && page.titles == expected {
                Ok(page)
            } else {
                Err(format!("{page:?}"))
            }
        },
    )
    .await
}

fn assert_layout_fits(page: &Page, size: &str) {
    assert!(!page.overflows, "{size}: the page scrolls sideways");
    assert!(page.small_targets.is_empty(), "{size}: touch targets under 44 px: {:?}", page.small_targets);
}

async fn choose_language(client: &Client, locale: Locale) {
    client
        .find(fantoccini::Locator::Css(&format!("[data-testid=locale-{}]", locale.tag())))
        .await
        .expect("the language button")
        .click()
        .await
        .expect("click the language button");
}

#[tokio::test]
async fn the_home_screen_lists_the_servers_challenges_and_keeps_them_offline() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = Server::start(dir.path()).await;
    let body = reqwest::get(format!("{}v1/challenges", server.url))
        .await
        .expect("catalog")
        .text()
        .await
        .expect("body");
    let catalog = Catalog::from_json(&body).expect("the server serves a valid catalog");
    assert!(!catalog.challenges.is_empty());

    let home = dir.path().join("home");
    let driver = Driver::start(&app_env(&server.url, &home)).await;
    let client = driver.session().await;

    // A phone. The first start follows the system's language (negotiated in hearth-core's tests);
    // whichever it is, the synced titles are shown in it.
    resize(&client, 360, 740).await;
    let first = eventually("the synced catalog in the system's language", APP_READY, || async {
        let page = read_page(&client).await?;
        let locale = Locale::from_tag(&page.lang).map_err(|e| e.to_string())?;
        if page.connectivity == "online" && page.titles == titles_in(&catalog, locale) {
            Ok(locale)
        } else {
            Err(format!("{page:?}"))
        }
    })
    .await;
    let page = wait_for_listing(&client, &catalog, first, "online", SYNC).await;
    assert!(page.inner_width <= 400, "not a phone-sized viewport: {} px", page.inner_width);
    assert_layout_fits(&page, "360x740");

    // Choosing a language applies at once.
    choose_language(&client, Locale::ZhCn).await;
    wait_for_listing(&client, &catalog, Locale::ZhCn, "online", SYNC).await;
    screenshot(&client, "home-360x740-zh-CN.png").await;
    choose_language(&client, Locale::En).await;
    wait_for_listing(&client, &catalog, Locale::En, "online", SYNC).await;
    screenshot(&client, "home-360x740-en.png").await;

    // A desktop.
    resize(&client, 1280, 800).await;
    let page = eventually("a desktop-sized viewport", SYNC, || async {
        let page = read_page(&client).await?;
        if page.inner_width >= 1200 { Ok(page) } else { Err(format!("{page:?}")) }
    })
    .await;
    assert_layout_fits(&page, "1280x800");
    wait_for_listing(&client, &catalog, Locale::En, "online", SYNC).await;
    screenshot(&client, "home-1280x800-en.png").await;
    choose_language(&client, Locale::ZhCn).await;
    wait_for_listing(&client, &catalog, Locale::ZhCn, "online", SYNC).await;

    // The server goes away: the app says so and keeps listing what it saved.
    server.stop();
    let page = wait_for_listing(&client, &catalog, Locale::ZhCn, "offline", SYNC).await;
    assert!(page.offline_note, "the offline note is shown");
    screenshot(&client, "home-1280x800-offline-zh-CN.png").await;
    resize(&client, 360, 740).await;
    let page = wait_for_listing(&client, &catalog, Locale::ZhCn, "offline", SYNC).await;
    assert_layout_fits(&page, "360x740 offline");
    screenshot(&client, "home-360x740-offline-zh-CN.png").await;

    // The accessibility check can fail: a picture without a text alternative and a nameless
    // button are found.
    client
        .execute(
            "const d = document.createElement('div'); d.id = 'axe-probe'; \
             d.innerHTML = '<img src=\"128x128.png\"><button type=\"button\"></button>'; \
             document.querySelector('main').append(d);",
            vec![],
        )
        .await
        .expect("add the probe");
    let found = axe_violations(&client).await;
    assert!(found.iter().any(|v| v.starts_with("image-alt")), "{found:?}");
    assert!(found.iter().any(|v| v.starts_with("button-name")), "{found:?}");
    client.execute("document.getElementById('axe-probe').remove();", vec![]).await.expect("remove");
    assert!(axe_violations(&client).await.is_empty());

    client.close().await.expect("close the session");
}
