//! Golden images: scenes rendered offscreen (on lavapipe where there is no GPU) compared with
//! reviewed references in `tests/golden/`. A channel may differ by 3 levels (drivers round
//! differently); more than 0.5% of pixels past that fails, and the test writes `<name>-actual.png`
//! and `<name>-difference.png` beside the reference. `HEARTH_UPDATE_GOLDEN=1` rewrites the
//! references instead (look at them before committing).

use std::path::PathBuf;

use hearth_core::images::DecodeError;
use std::sync::Arc;

use hearth_preview::models::Catalog;
use hearth_preview::render::{LampLight, Placed, Renderer, Scene, exposure_for, room_photo};
use image::RgbaImage;
use nalgebra::Point3;

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
    let mut scene = Scene::demo_room(640, 480);
    scene.products = furnished();
    let frame = renderer.render_image(&scene, 320, 240).expect("a frame");
    check("demo-room", &frame);
}

/// A warm lamp beside the sofa, a speaker on the floor, a camera and a thermostat on the back
/// wall (z = 3.5, facing the room).
fn furnished() -> Vec<Placed> {
    let catalog = Catalog::builtin().expect("the catalog");
    let product = |id: &str| Arc::clone(catalog.get(id).expect(id));
    let facing_room = std::f32::consts::PI;
    vec![
        Placed {
            product: product("lamp"),
            position: Point3::new(1.0, 0.0, 3.0),
            yaw: 0.0,
            light: Some(LampLight { colour: [1.0, 0.55, 0.2], brightness: 1.0 }),
        },
        Placed { product: product("speaker"), position: Point3::new(1.6, 0.0, 2.2), yaw: 0.3, light: None },
        Placed {
            product: product("camera"),
            position: Point3::new(3.6, 1.35, 3.5),
            yaw: facing_room,
            light: None,
        },
        Placed {
            product: product("thermostat"),
            position: Point3::new(0.4, 1.2, 3.5),
            yaw: facing_room,
            light: None,
        },
    ]
}

/// A stand-in for a room photo: a warm wall over a wooden floor, with a window, as a PNG.
fn photo_png() -> Vec<u8> {
    let photo = RgbaImage::from_fn(640, 480, |x, y| {
        let window = (380..560).contains(&x) && (60..220).contains(&y);
        if window {
            image::Rgba([200, 225, 245, 255])
        } else if y < 300 {
            image::Rgba([222, 210, 190, 255])
        } else {
            let grain = if (x / 40 + y / 12) % 2 == 0 { 0 } else { 12 };
            image::Rgba([150 - grain, 110 - grain, 75 - grain, 255])
        }
    });
    let mut png = Vec::new();
    photo.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).expect("encode");
    png
}

#[test]
fn a_product_is_drawn_over_the_room_photo_as_reviewed() {
    let renderer = pollster::block_on(Renderer::new()).expect("a graphics adapter (lavapipe without a GPU)");
    let mut scene = Scene::demo_room(640, 480);
    // Only the sofa-sized box: the photo is the room.
    scene.blocks.retain(|block| (0.5..1.0).contains(&block.size.y));
    assert_eq!(scene.blocks.len(), 1);
    scene.photo = Some(std::sync::Arc::new(room_photo(&photo_png()).expect("a photo")));
    // The lamp lights the photo's floor and wall; the camera's view is drawn on the floor.
    scene.products = furnished();
    let frame = renderer.render_image(&scene, 320, 240).expect("a frame");
    check("photo-room", &frame);
    // The share image comes at the photo's own resolution and shows the same picture.
    let shared =
        image::load_from_memory(&renderer.export_png(&scene).expect("exported")).expect("a PNG").into_rgba8();
    assert_eq!(shared.dimensions(), (640, 480));
    let small = image::imageops::resize(&shared, 320, 240, image::imageops::FilterType::Triangle);
    let close =
        small.pixels().zip(frame.pixels()).filter(|(a, b)| (0..3).all(|c| a[c].abs_diff(b[c]) <= 24)).count();
    assert!(
        close as f64 > 0.97 * f64::from(320 * 240),
        "the export matches the preview: {close} close pixels"
    );
}

#[test]
fn what_is_not_a_usable_photo_is_refused_plainly() {
    assert_eq!(room_photo(b"not a photo"), Err(DecodeError::NotAnImage));
    let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;";
    assert!(matches!(room_photo(gif), Err(DecodeError::Unsupported(f)) if f.contains("GIF")));
    let mut truncated = photo_png();
    truncated.truncate(100);
    assert!(matches!(room_photo(&truncated), Err(DecodeError::Corrupt(_))));
}

#[test]
fn products_are_lit_to_match_the_photo() {
    let dim = RgbaImage::from_pixel(64, 48, image::Rgba([40, 35, 30, 255]));
    let bright = RgbaImage::from_pixel(64, 48, image::Rgba([240, 235, 225, 255]));
    let mid = RgbaImage::from_pixel(64, 48, image::Rgba([118, 118, 118, 255]));
    let (dim, bright, mid) = (exposure_for(&dim), exposure_for(&bright), exposure_for(&mid));
    assert!(dim < mid && mid < bright, "{dim} < {mid} < {bright}");
    assert!((mid - 1.0).abs() < 0.1, "a mid-grey room leaves products as they are: {mid}");
    assert!((0.45..=1.25).contains(&dim) && (0.45..=1.25).contains(&bright));
}

/// The pixel (at 320×240) where a world point of the 640×480 demo camera lands.
fn pixel_of(scene: &Scene, x: f64, y: f64, z: f64) -> (u32, u32) {
    let p = scene.camera.project(Point3::new(x, y, z)).expect("in front of the camera");
    ((p.x / 2.0) as u32, (p.y / 2.0) as u32)
}

/// A plain grey room photo, so any change of colour comes from the scene.
fn grey_photo_scene() -> Scene {
    let mut scene = Scene::demo_room(640, 480);
    scene.blocks.clear();
    scene.photo = Some(Arc::new(RgbaImage::from_pixel(640, 480, image::Rgba([128, 128, 128, 255]))));
    scene
}

#[test]
fn a_red_lamp_casts_red_light_on_the_photos_floor_and_wall() {
    let renderer = pollster::block_on(Renderer::new()).expect("a graphics adapter");
    let catalog = Catalog::builtin().expect("the catalog");
    let mut scene = grey_photo_scene();
    let lamp = Placed {
        product: Arc::clone(catalog.get("lamp").expect("lamp")),
        position: Point3::new(1.0, 0.0, 3.0),
        yaw: 0.0,
        light: None,
    };
    scene.products = vec![lamp.clone()];
    let off = renderer.render_image(&scene, 320, 240).expect("a frame");
    scene.products =
        vec![Placed { light: Some(LampLight { colour: [1.0, 0.1, 0.1], brightness: 1.0 }), ..lamp }];
    let on = renderer.render_image(&scene, 320, 240).expect("a frame");
    // Beside the lamp on the floor, on the wall behind it, and far away on the floor.
    for (place, (x, y)) in [
        ("floor beside the lamp", pixel_of(&scene, 1.35, 0.0, 2.9)),
        ("wall behind the lamp", pixel_of(&scene, 1.0, 0.7, 3.5)),
    ] {
        let (a, b) = (off.get_pixel(x, y), on.get_pixel(x, y));
        assert!(b[0] >= a[0] + 20, "{place}: red rises ({a:?} → {b:?})");
        assert!(b[2].abs_diff(a[2]) <= 12, "{place}: blue stays about the same ({a:?} → {b:?})");
    }
    let (x, y) = pixel_of(&scene, 3.5, 0.0, 0.8);
    let (a, b) = (off.get_pixel(x, y), on.get_pixel(x, y));
    assert!(b[0].abs_diff(a[0]) <= 6, "far away the light has faded ({a:?} → {b:?})");
}

#[test]
fn a_product_casts_a_soft_contact_shadow() {
    let renderer = pollster::block_on(Renderer::new()).expect("a graphics adapter");
    let catalog = Catalog::builtin().expect("the catalog");
    let mut scene = grey_photo_scene();
    let empty = renderer.render_image(&scene, 320, 240).expect("a frame");
    scene.products = vec![Placed {
        product: Arc::clone(catalog.get("speaker").expect("speaker")),
        position: Point3::new(2.0, 0.0, 2.0),
        yaw: 0.0,
        light: None,
    }];
    let with = renderer.render_image(&scene, 320, 240).expect("a frame");
    let luma = |p: &image::Rgba<u8>| u32::from(p[0]) + u32::from(p[1]) + u32::from(p[2]);
    // Just beside the speaker (2.5 cm past its side, towards the camera): darker.
    let (x, y) = pixel_of(&scene, 2.0, 0.0, 1.925);
    assert!(luma(with.get_pixel(x, y)) + 30 < luma(empty.get_pixel(x, y)), "the floor beside it darkens");
    // Half a metre away: untouched.
    let (x, y) = pixel_of(&scene, 2.0, 0.0, 1.4);
    assert!(
        luma(with.get_pixel(x, y)).abs_diff(luma(empty.get_pixel(x, y))) <= 3,
        "further away it does not"
    );
}
