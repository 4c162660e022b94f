//! Golden images: scenes rendered offscreen (on lavapipe where there is no GPU) compared with
//! reviewed references in `tests/golden/`. A channel may differ by 3 levels (drivers round
//! differently); more than 0.5% of pixels past that fails, and the test writes `<name>-actual.png`
//! and `<name>-difference.png` beside the reference. `HEARTH_UPDATE_GOLDEN=1` rewrites the
//! references instead (look at them before committing).

use std::path::PathBuf;

use hearth_preview::render::{Renderer, Scene};
use image::RgbaImage;

const CHANNEL_TOLERANCE: u8 = 3;
const PIXEL_SHARE_TOLERANCE: f64 = 0.005;

fn golden_path(name: &str, suffix: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(format!("{name}{suffix}.png"))
}

fn check(name: &str, actual: &RgbaImage) {
    let reference = golden_path(name, "");
    if std::env::var_os("HEARTH_UPDATE_GOLDEN").is_some() {
        actual.save(&reference).expect("write the reference");
        return;
    }
    let expected =
        image::open(&reference).unwrap_or_else(|e| panic!("{}: {e}", reference.display())).into_rgba8();
    assert_eq!(expected.dimensions(), actual.dimensions(), "{name}: size");
    let mut difference = RgbaImage::new(actual.width(), actual.height());
    let mut off = 0usize;
    for (x, y, a) in actual.enumerate_pixels() {
        let e = expected.get_pixel(x, y);
        let worst = (0..3).map(|c| a[c].abs_diff(e[c])).max().unwrap_or(0);
        if worst > CHANNEL_TOLERANCE {
            off += 1;
        }
        let shown = worst.saturating_mul(4);
        difference.put_pixel(x, y, image::Rgba([shown, shown, shown, 255]));
    }
    let share = off as f64 / f64::from(actual.width() * actual.height());
    if share > PIXEL_SHARE_TOLERANCE {
        actual.save(golden_path(name, "-actual")).expect("write actual");
        difference.save(golden_path(name, "-difference")).expect("write difference");
        panic!(
            "{name}: {:.2}% of pixels differ (tolerance {:.2}%); see {name}-actual.png and {name}-difference.png",
            share * 100.0,
            PIXEL_SHARE_TOLERANCE * 100.0
        );
    }
}

#[test]
fn the_demo_room_renders_as_reviewed() {
    let renderer = pollster::block_on(Renderer::new()).expect("a graphics adapter (lavapipe without a GPU)");
    eprintln!("rendering on {}", renderer.adapter_name());
    let scene = Scene::demo_room(640, 480);
    let frame = renderer.render_image(&scene, 320, 240).expect("a frame");
    check("demo-room", &frame);
}
