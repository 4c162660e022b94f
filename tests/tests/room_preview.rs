//! The room preview, end to end in the real app: the demo room's frame comes from the shell's
//! offscreen renderer over the `preview:` scheme; a lamp is placed from the keyboard path ("place
//! it in the middle"), a speaker by tapping the picture, the lamp's colour changed, moved with an
//! arrow key, the speaker removed, and the picture saved. Screenshots at a desktop's and a
//! phone's size, in English and Chinese, go to the artifacts directory.

use std::time::Duration;

use fantoccini::Client;
use hearth_e2e::{
    Server, app_env, click, eventually, fill, launch, launch_with, resize, screenshot, sign_in_at_server,
    sign_in_through_app, sign_up, text_of,
};
use serde_json::{Value, json};

const APP_READY: Duration = Duration::from_secs(90);
/// A frame on lavapipe in a debug build, plus the webview fetching it.
const STEP: Duration = Duration::from_secs(30);

/// The frame's address once it has loaded, or why not yet.
async fn loaded_frame(client: &Client) -> Result<String, String> {
    let script = r#"
        const img = document.querySelector('[data-testid=preview-frame]');
        if (!img) return 'no frame element';
        if (!img.complete || img.naturalWidth === 0) return 'loading ' + img.src;
        return { src: img.src, width: img.naturalWidth };
    "#;
    match client.execute(script, vec![]).await.map_err(|e| e.to_string())? {
        Value::Object(frame) => Ok(frame["src"].as_str().unwrap_or_default().to_owned()),
        other => Err(other.to_string()),
    }
}

/// Waits for a frame newer than `before` to load; returns its address.
async fn next_frame(client: &Client, before: &str) -> String {
    eventually("a new frame", STEP, || async {
        let src = loaded_frame(client).await?;
        if src != before { Ok(src) } else { Err(format!("still {src}")) }
    })
    .await
}

/// Where a product's handle sits on the picture (its CSS left/top).
async fn handle_position(client: &Client, product: &str) -> Result<(String, String), String> {
    let script = format!(
        "const h = document.querySelector('[data-testid=preview-handle-{product}]'); \
         return h ? [h.style.left, h.style.top] : null;"
    );
    match client.execute(&script, vec![]).await.map_err(|e| e.to_string())? {
        Value::Array(at) => Ok((at[0].as_str().unwrap_or("").into(), at[1].as_str().unwrap_or("").into())),
        other => Err(format!("no {product} handle: {other}")),
    }
}

/// Buttons on the screen smaller than 44 px either way.
async fn small_buttons(client: &Client) -> Vec<String> {
    let script = r#"
        return Array.from(document.querySelectorAll('main button, nav button'))
            .filter(e => e.getClientRects().length > 0)
            .filter(e => { const r = e.getBoundingClientRect(); return r.width < 44 || r.height < 44; })
            .map(e => e.outerHTML.slice(0, 80));
    "#;
    let value = client.execute(script, vec![]).await.expect("script");
    value.as_array().map(|a| a.iter().map(Value::to_string).collect()).unwrap_or_default()
}

#[tokio::test]
async fn a_shopper_places_lights_moves_and_saves_products_in_the_demo_room() {
    let dir = tempfile::tempdir().expect("tempdir");
    let exports = dir.path().join("pictures");
    let server = Server::start(dir.path()).await;
    sign_up(&server.url, "jun@example.com", "warm home 2026", "Jun").await;
    let mut env = app_env(&server.url, &dir.path().join("home"));
    env.push(("HEARTH_EXPORT_DIR", exports.display().to_string()));
    let (_driver, client) = launch_with(&env, 1280, 800).await;
    click(&client, "[data-testid=locale-en]").await;
    // Signed in, so the picture can be shared too.
    sign_in_through_app(&client, "jun@example.com", "warm home 2026").await;
    // The room preview and device setup are under My home.
    click(&client, "[data-testid=nav-home-devices]").await;
    click(&client, "[data-testid=nav-preview]").await;
    let first = eventually("the demo room's first frame", APP_READY, || loaded_frame(&client)).await;
    assert!(
        first.starts_with("preview://localhost/frame?w="),
        "frames come over the preview scheme: {first}"
    );

    // The keyboard path: choose the lamp, then "place it in the middle".
    click(&client, "[data-testid=preview-product-lamp]").await;
    assert!(text_of(&client, "preview-hint").await.expect("hint").contains("Smart table lamp"));
    click(&client, "[data-testid=preview-place-centre]").await;
    let lit = next_frame(&client, &first).await;
    eventually("the lamp selected", STEP, || async {
        text_of(&client, "preview-selected").await.map(|_| ())
    })
    .await;

    // The pointer path: choose the speaker and tap the picture at a point of the floor.
    click(&client, "[data-testid=preview-product-speaker]").await;
    let tapped = client
        .execute(
            r#"const img = document.querySelector('[data-testid=preview-frame]');
               const r = img.getBoundingClientRect();
               img.dispatchEvent(new MouseEvent('click', { bubbles: true,
                   clientX: r.left + r.width * 900 / 1280, clientY: r.top + r.height * 560 / 720 }));
               return true;"#,
            vec![],
        )
        .await
        .expect("tap");
    assert_eq!(tapped, json!(true));
    let with_speaker = next_frame(&client, &lit).await;
    eventually("the speaker's handle", STEP, || handle_position(&client, "speaker")).await;

    // The lamp turned red: a new frame.
    click(&client, "[data-testid=preview-handle-lamp]").await;
    client
        .execute(
            r#"const input = document.querySelector('[data-testid=preview-light-colour]');
               input.value = '#ff2a10';
               input.dispatchEvent(new Event('change', { bubbles: true }));"#,
            vec![],
        )
        .await
        .expect("colour");
    let red = next_frame(&client, &with_speaker).await;
    eventually("the lamp's colour kept", STEP, || async {
        let value = client
            .execute("return document.querySelector('[data-testid=preview-light-colour]').value;", vec![])
            .await
            .map_err(|e| e.to_string())?;
        if value == json!("#ff2a10") { Ok(()) } else { Err(value.to_string()) }
    })
    .await;

    // Moved with an arrow key: its handle follows.
    let before = handle_position(&client, "lamp").await.expect("lamp handle");
    let handle =
        client.find(fantoccini::Locator::Css("[data-testid=preview-handle-lamp]")).await.expect("handle");
    handle.send_keys("\u{E014}").await.expect("arrow right");
    let moved = next_frame(&client, &red).await;
    let after = eventually("the lamp's handle to move", STEP, || async {
        let at = handle_position(&client, "lamp").await?;
        if at != before { Ok(at) } else { Err(format!("still at {at:?}")) }
    })
    .await;
    assert_ne!(before.0, after.0, "moved sideways");
    screenshot(&client, "room-preview-1280x800-en.png").await;
    assert!(small_buttons(&client).await.is_empty(), "every button is at least 44 px");

    // The speaker removed; the picture saved at the demo image's size.
    click(&client, "[data-testid=preview-handle-speaker]").await;
    click(&client, "[data-testid=preview-remove]").await;
    next_frame(&client, &moved).await;
    eventually("the speaker gone", STEP, || async {
        match handle_position(&client, "speaker").await {
            Err(_) => Ok(()),
            Ok(at) => Err(format!("still at {at:?}")),
        }
    })
    .await;
    click(&client, "[data-testid=preview-export]").await;
    let notice = eventually("the saved picture", STEP, || async {
        let text = text_of(&client, "preview-notice").await?;
        if text.starts_with("Saved to") { Ok(text) } else { Err(text) }
    })
    .await;
    let saved: Vec<_> = std::fs::read_dir(&exports).expect("the export folder").flatten().collect();
    assert_eq!(saved.len(), 1, "one picture saved: {notice}");
    let picture = image::open(saved[0].path()).expect("a PNG");
    assert_eq!((picture.width(), picture.height()), (1280, 720));
    assert!(notice.contains("1280 × 720"), "{notice}");

    // Shared to the community: the post is on the server with the picture.
    fill(&client, "preview-share-caption-input", "Warm light by the sofa").await;
    click(&client, "[data-testid=preview-share]").await;
    eventually("the shared notice", STEP, || async {
        let text = text_of(&client, "preview-notice").await?;
        if text == "Shared to the community feed." { Ok(()) } else { Err(text) }
    })
    .await;
    let (_, token) = sign_in_at_server(&server.url, "jun@example.com", "warm home 2026").await;
    let response = reqwest::Client::new()
        .get(format!("{}v1/feed", server.url))
        .bearer_auth(token)
        .send()
        .await
        .expect("feed");
    let feed: Value = serde_json::from_str(&response.text().await.expect("body")).expect("json");
    let post = &feed["posts"][0];
    assert_eq!(post["text"], "Warm light by the sofa");
    assert_eq!(
        (post["photos"][0]["width"].as_u64(), post["photos"][0]["height"].as_u64()),
        (Some(1280), Some(720))
    );

    // A phone's size, in Chinese.
    resize(&client, 360, 740).await;
    click(&client, "[data-testid=locale-zh-CN]").await;
    eventually("the Chinese hint", STEP, || async {
        let hint = text_of(&client, "preview-hint").await?;
        if hint.contains("选择一个产品") { Ok(()) } else { Err(hint) }
    })
    .await;
    let overflows = client
        .execute("return document.documentElement.scrollWidth > window.innerWidth;", vec![])
        .await
        .expect("script");
    assert_eq!(overflows, json!(false), "no sideways scrolling on a phone");
    screenshot(&client, "room-preview-360x740-zh-CN.png").await;
    client.close().await.expect("close the session");
    server.stop();
}

/// Taps the picture at a point of the image (`size` its pixel size), as a finger would.
async fn tap(client: &Client, at: [f64; 2], size: [f64; 2]) {
    let script = r#"
        const [x, y, w, h] = arguments;
        const img = document.querySelector('[data-testid=preview-frame]');
        const r = img.getBoundingClientRect();
        img.dispatchEvent(new MouseEvent('click', { bubbles: true,
            clientX: r.left + r.width * x / w, clientY: r.top + r.height * y / h }));
    "#;
    client
        .execute(script, vec![json!(at[0]), json!(at[1]), json!(size[0]), json!(size[1])])
        .await
        .expect("tap");
}

/// A stand-in room photo, 1280×720: a wall over a wooden floor meeting it at y = 400, and a rug
/// seen in perspective with its corners at `RUG`.
const RUG: [[f64; 2]; 4] = [[450.0, 600.0], [830.0, 600.0], [760.0, 480.0], [520.0, 480.0]];

fn room_photo(path: &std::path::Path) {
    let inside_rug = |x: f64, y: f64| {
        (480.0..=600.0).contains(&y) && {
            let t = (y - 480.0) / 120.0;
            let (left, right) = (520.0 - 70.0 * t, 760.0 + 70.0 * t);
            (left..=right).contains(&x)
        }
    };
    let photo = image::RgbImage::from_fn(1280, 720, |x, y| {
        let (fx, fy) = (f64::from(x), f64::from(y));
        if inside_rug(fx, fy) {
            image::Rgb([170, 60, 50])
        } else if y < 400 {
            image::Rgb([225, 215, 198])
        } else {
            let grain = if (x / 64 + y / 16) % 2 == 0 { 0 } else { 14 };
            image::Rgb([160 - grain, 118 - grain, 80 - grain])
        }
    });
    photo.save(path).expect("write the photo");
}

#[tokio::test]
async fn a_shopper_marks_their_room_photo_and_hangs_a_thermostat_on_its_wall() {
    let dir = tempfile::tempdir().expect("tempdir");
    let photo = dir.path().join("living-room.jpg");
    room_photo(&photo);
    let not_a_photo = dir.path().join("notes.png");
    std::fs::write(&not_a_photo, "shopping list: bulbs, plug").expect("write");
    let server = Server::start(dir.path()).await;
    let (_driver, client) = launch(&server.url, &dir.path().join("home"), 1280, 800).await;
    click(&client, "[data-testid=locale-en]").await;
    // The room preview and device setup are under My home.
    click(&client, "[data-testid=nav-home-devices]").await;
    click(&client, "[data-testid=nav-preview]").await;
    let demo = eventually("the demo room's first frame", APP_READY, || loaded_frame(&client)).await;

    // A file that is not a photo: said plainly, the demo room stays.
    let input =
        client.find(fantoccini::Locator::Css("[data-testid=preview-photo-input]")).await.expect("input");
    input.send_keys(&not_a_photo.display().to_string()).await.expect("choose the file");
    let said = eventually("the refusal", STEP, || async {
        let text = text_of(&client, "preview-error").await?;
        if text.is_empty() { Err("nothing yet".into()) } else { Ok(text) }
    })
    .await;
    assert_eq!(said, "That file is not a photo. Choose a JPEG, PNG or WebP picture.");
    assert_eq!(loaded_frame(&client).await.expect("frame"), demo, "nothing changed");

    // The photo: then the rug's four corners and its size.
    let input =
        client.find(fantoccini::Locator::Css("[data-testid=preview-photo-input]")).await.expect("input");
    input.send_keys(&photo.display().to_string()).await.expect("choose the photo");
    let on_photo = next_frame(&client, &demo).await;
    eventually("the request to mark the floor", STEP, || async {
        let hint = text_of(&client, "preview-hint").await?;
        if hint.starts_with("Mark the floor first") { Ok(()) } else { Err(hint) }
    })
    .await;
    let size = [1280.0, 720.0];
    for corner in RUG {
        tap(&client, corner, size).await;
    }
    click(&client, ".floor-size button[type=submit]").await;
    eventually("products offered for the marked floor", STEP, || async {
        let hint = text_of(&client, "preview-hint").await?;
        if hint.starts_with("Choose a product") { Ok(()) } else { Err(hint) }
    })
    .await;

    // The wall where it meets the floor, then a thermostat on it and a speaker on the rug.
    click(&client, "[data-testid=preview-product-thermostat]").await;
    let said = text_of(&client, "preview-error").await.expect("error line");
    assert_eq!(said, "Mark the wall before hanging this product.");
    let mark_wall = client
        .find(fantoccini::Locator::XPath("//button[normalize-space()='Mark the wall']"))
        .await
        .expect("the mark-the-wall button");
    mark_wall.click().await.expect("click");
    tap(&client, [300.0, 400.0], size).await;
    tap(&client, [1000.0, 400.0], size).await;
    let walled = next_frame(&client, &on_photo).await;
    click(&client, "[data-testid=preview-product-thermostat]").await;
    tap(&client, [640.0, 300.0], size).await;
    let hung = next_frame(&client, &walled).await;
    eventually("the thermostat's handle", STEP, || handle_position(&client, "thermostat")).await;
    click(&client, "[data-testid=preview-product-speaker]").await;
    tap(&client, [640.0, 540.0], size).await;
    next_frame(&client, &hung).await;
    eventually("the speaker's handle", STEP, || handle_position(&client, "speaker")).await;
    assert_eq!(text_of(&client, "preview-error").await.expect("error line"), "");
    screenshot(&client, "room-preview-photo-1280x800-en.png").await;
    client.close().await.expect("close the session");
    server.stop();
}
