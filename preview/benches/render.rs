//! The renderer's figures: one interactive update (the demo room with five products) at
//! 1280×720 and 1920×1080, and a 3840×2160 export with the process's peak memory. Prints figures
//! with the adapter's name (lavapipe where there is no GPU); asserts nothing.
//!
//!   cargo bench -p hearth-preview --bench render

// A benchmark program: printing its figures is its job.
#![allow(clippy::print_stdout)]

use std::time::{Duration, Instant};

use hearth_preview::render::{Block, Renderer, Scene};
use nalgebra::{Point3, Vector3};

/// The demo room with five products of true size: speaker, lamp, thermostat, camera, plug.
fn five_products() -> Scene {
    let mut scene = Scene::demo_room(1920, 1080);
    let product = |x: f32, z: f32, size: Vector3<f32>, colour: [f32; 3]| Block {
        base: Point3::new(x, 0.0, z),
        size,
        yaw: 0.4,
        colour,
    };
    scene.blocks.extend([
        product(1.2, 2.2, Vector3::new(0.10, 0.15, 0.10), [0.1, 0.1, 0.1]),
        product(3.4, 2.9, Vector3::new(0.30, 1.60, 0.30), [0.9, 0.8, 0.5]),
        product(3.9, 1.0, Vector3::new(0.08, 0.08, 0.03), [0.95, 0.95, 0.95]),
        product(0.3, 3.3, Vector3::new(0.07, 0.12, 0.07), [0.2, 0.2, 0.25]),
        product(2.8, 3.45, Vector3::new(0.05, 0.05, 0.04), [0.9, 0.9, 0.9]),
    ]);
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
