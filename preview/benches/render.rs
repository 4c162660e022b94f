//! The renderer's figures: one interactive update (the demo room with five products) at
//! 1280×720 and 1920×1080, and a 3840×2160 export with the process's peak memory. Prints figures
//! with the adapter's name (lavapipe where there is no GPU); asserts nothing.
//!
//!   cargo bench -p hearth-preview --bench render

// A benchmark program: printing its figures is its job.
#![allow(clippy::print_stdout)]

use std::time::{Duration, Instant};

use std::sync::Arc;

use hearth_preview::models::Catalog;
use hearth_preview::render::{LampLight, Placed, Renderer, Scene};
use nalgebra::Point3;

/// The demo room with five product models of true size, with their shadows, the lamp's light and
/// the camera's view: speaker, lamp, thermostat, camera, plug.
fn five_products() -> Scene {
    let catalog = Catalog::builtin().expect("the catalog");
    let mut scene = Scene::demo_room(1920, 1080);
    let facing_room = std::f32::consts::PI;
    let place = |id: &str, position: Point3<f32>, yaw: f32| Placed {
        product: Arc::clone(catalog.get(id).expect(id)),
        position,
        yaw,
        light: (id == "lamp").then_some(LampLight { colour: [1.0, 0.6, 0.3], brightness: 0.8 }),
    };
    scene.products = vec![
        place("speaker", Point3::new(1.6, 0.0, 2.2), 0.4),
        place("lamp", Point3::new(1.0, 0.0, 3.0), 0.0),
        place("thermostat", Point3::new(0.4, 1.2, 3.5), facing_room),
        place("camera", Point3::new(3.6, 1.35, 3.5), facing_room),
        place("plug", Point3::new(2.8, 0.3, 3.5), facing_room),
    ];
    scene
}

/// The best and median of `runs` timings of `work`.
fn time(runs: usize, mut work: impl FnMut()) -> (Duration, Duration) {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            work();
            started.elapsed()
        })
        .collect();
    times.sort();
    (times[0], times[runs / 2])
}

/// The process's peak resident memory (VmHWM), in MiB.
fn peak_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
    let renderer = pollster::block_on(Renderer::new()).expect("a graphics adapter");
    println!("adapter: {}", renderer.adapter_name());
    let scene = five_products();
    for (w, h, target) in [(1280, 720, "≤ 100 ms on lavapipe"), (1920, 1080, "≤ 16.7 ms on a GPU")] {
        // Warm up (pipelines, allocations), then time render + read back.
        let _ = renderer.render_image(&scene, w, h).expect("frame");
        let (best, median) = time(10, || {
            renderer.render_image(&scene, w, h).expect("frame");
        });
        println!(
            "update {w}x{h}: median {:.1} ms, best {:.1} ms (render and read back; target {target})",
            median.as_secs_f64() * 1e3,
            best.as_secs_f64() * 1e3
        );
    }
    let before = peak_mib();
    // A 4K room photo behind the products: the share image comes at the photo's resolution.
    let mut scene = scene;
    scene.photo = Some(std::sync::Arc::new(image::RgbaImage::from_pixel(
        3840,
        2160,
        image::Rgba([200, 190, 170, 255]),
    )));
    let (best, median) = time(3, || {
        renderer.export_png(&scene).expect("export");
    });
    println!(
        "export 3840x2160 over a 4K photo to PNG: median {:.0} ms, best {:.0} ms (target ≤ 2,000 ms); peak memory {:.0} MiB (before the exports: {:.0} MiB)",
        median.as_secs_f64() * 1e3,
        best.as_secs_f64() * 1e3,
        peak_mib(),
        before
    );
}
