//! Writes the product models in `assets/models/` as binary glTF (GLB): simple shapes at the
//! products' true sizes in metres, Y up, the front facing +Z. Floor products stand on y = 0
//! centred on the origin; wall products have their back on z = 0, centred on the origin.
//!
//! `cargo run -p hearth-preview --example product_models -- assets/models` rewrites them; the
//! preview's tests check every file against the sizes `assets/models/products.json` declares.

// A generator: saying what it wrote is its job.
#![allow(clippy::print_stdout)]

use std::borrow::Cow;
use std::f32::consts::{FRAC_PI_2, PI, TAU};

use gltf::json;
use json::validation::Checked::Valid;
use json::validation::USize64;

/// One coloured part of a model: triangles with their normals.
#[derive(Default)]
struct Part {
    positions: Vec<[f32; 3]>,
    normals: Vec<[f32; 3]>,
    indices: Vec<u32>,
}

impl Part {
    fn quad(&mut self, corners: [[f32; 3]; 4], normal: [f32; 3]) {
        let base = self.positions.len() as u32;
        self.positions.extend(corners);
        self.normals.extend([normal; 4]);
        self.indices.extend([0, 1, 2, 0, 2, 3].map(|i| base + i));
    }

    /// A box from its centre and size.
    fn cuboid(mut self, centre: [f32; 3], size: [f32; 3]) -> Self {
        let [cx, cy, cz] = centre;
        let [hx, hy, hz] = size.map(|s| s / 2.0);
        let p = |x: f32, y: f32, z: f32| [cx + x * hx, cy + y * hy, cz + z * hz];
        self.quad([p(-1., 1., -1.), p(-1., 1., 1.), p(1., 1., 1.), p(1., 1., -1.)], [0., 1., 0.]);
        self.quad([p(-1., -1., -1.), p(1., -1., -1.), p(1., -1., 1.), p(-1., -1., 1.)], [0., -1., 0.]);
        self.quad([p(1., -1., -1.), p(1., 1., -1.), p(1., 1., 1.), p(1., -1., 1.)], [1., 0., 0.]);
        self.quad([p(-1., -1., -1.), p(-1., -1., 1.), p(-1., 1., 1.), p(-1., 1., -1.)], [-1., 0., 0.]);
        self.quad([p(-1., -1., 1.), p(1., -1., 1.), p(1., 1., 1.), p(-1., 1., 1.)], [0., 0., 1.]);
        self.quad([p(-1., -1., -1.), p(-1., 1., -1.), p(1., 1., -1.), p(1., -1., -1.)], [0., 0., -1.]);
        self
    }

    /// A capped frustum (a cylinder when the radii agree) along `axis` (0: X, 1: Y, 2: Z) from
    /// `start` for `length`, radius `r0` at the start and `r1` at the end.
    fn frustum(mut self, start: [f32; 3], axis: usize, length: f32, r0: f32, r1: f32) -> Self {
        const SEGMENTS: u32 = 32;
        // Local (u, v, w) with w along the axis, mapped onto x, y, z.
        let local = |u: f32, v: f32, w: f32| {
            let mut out = [0.0; 3];
            out[(axis + 1) % 3] = u;
            out[(axis + 2) % 3] = v;
            out[axis] = w;
            out
        };
        let place = |u: f32, v: f32, w: f32| {
            let offset = local(u, v, w);
            [0, 1, 2].map(|i| start[i] + offset[i])
        };
        let slope = (r0 - r1) / length;
        let norm = (1.0 + slope * slope).sqrt();
        for i in 0..SEGMENTS {
            let (a0, a1) = (TAU * i as f32 / SEGMENTS as f32, TAU * (i + 1) as f32 / SEGMENTS as f32);
            let base = self.positions.len() as u32;
            for (a, r, w) in [(a0, r0, 0.0), (a1, r0, 0.0), (a1, r1, length), (a0, r1, length)] {
                self.positions.push(place(r * a.cos(), r * a.sin(), w));
                self.normals.push(local(a.cos() / norm, a.sin() / norm, slope / norm));
            }
            self.indices.extend([0, 1, 2, 0, 2, 3].map(|k| base + k));
            for (r, w, sign) in [(r0, 0.0, -1.0f32), (r1, length, 1.0)] {
                let base = self.positions.len() as u32;
                self.positions.extend([
                    place(0.0, 0.0, w),
                    place(r * a0.cos(), r * a0.sin(), w),
                    place(r * a1.cos(), r * a1.sin(), w),
                ]);
                self.normals.extend([local(0.0, 0.0, sign); 3]);
                self.indices.extend([base, base + 1, base + 2]);
            }
        }
        self
    }

    fn cylinder(self, start: [f32; 3], axis: usize, length: f32, radius: f32) -> Self {
        self.frustum(start, axis, length, radius, radius)
    }

    /// A UV sphere.
    fn sphere(mut self, centre: [f32; 3], radius: f32) -> Self {
        const RINGS: u32 = 12;
        const SEGMENTS: u32 = 24;
        let base = self.positions.len() as u32;
        for ring in 0..=RINGS {
            let polar = PI * ring as f32 / RINGS as f32 - FRAC_PI_2;
            for segment in 0..=SEGMENTS {
                let azimuth = TAU * segment as f32 / SEGMENTS as f32;
                let n = [polar.cos() * azimuth.cos(), polar.sin(), polar.cos() * azimuth.sin()];
                self.positions.push([0, 1, 2].map(|i| centre[i] + radius * n[i]));
                self.normals.push(n);
            }
        }
        for ring in 0..RINGS {
            for segment in 0..SEGMENTS {
                let a = base + ring * (SEGMENTS + 1) + segment;
                let b = a + SEGMENTS + 1;
                self.indices.extend([a, b, a + 1, a + 1, b, b + 1]);
            }
        }
        self
    }
}

/// A part with its material: base colour and emission (linear RGB).
struct Piece(Part, [f32; 3], [f32; 3]);

fn matte(part: Part, colour: [f32; 3]) -> Piece {
    Piece(part, colour, [0.0; 3])
}

fn glowing(part: Part, colour: [f32; 3]) -> Piece {
    Piece(part, colour, colour)
}

const WHITE: [f32; 3] = [0.85, 0.85, 0.83];
const CHARCOAL: [f32; 3] = [0.06, 0.06, 0.07];
const FABRIC: [f32; 3] = [0.35, 0.36, 0.38];
const METAL: [f32; 3] = [0.55, 0.55, 0.56];
const GLASS: [f32; 3] = [0.02, 0.03, 0.05];
const WARM_LIGHT: [f32; 3] = [1.0, 0.95, 0.85];

fn models() -> Vec<(&'static str, Vec<Piece>)> {
    let part = Part::default;
    vec![
        // A cylindrical smart speaker, Ø 100 mm × 172 mm.
        (
            "speaker",
            vec![
                matte(part().cylinder([0.0, 0.0, 0.0], 1, 0.16, 0.05), FABRIC),
                matte(part().cylinder([0.0, 0.16, 0.0], 1, 0.012, 0.048), CHARCOAL),
            ],
        ),
        // A table lamp with a smart bulb: Ø 280 mm shade, 440 mm tall.
        (
            "lamp",
            vec![
                matte(part().cylinder([0.0, 0.0, 0.0], 1, 0.02, 0.075), METAL),
                matte(part().cylinder([0.0, 0.02, 0.0], 1, 0.25, 0.008), METAL),
                glowing(part().sphere([0.0, 0.3, 0.0], 0.03), WARM_LIGHT),
                matte(part().frustum([0.0, 0.26, 0.0], 1, 0.18, 0.14, 0.1), [0.93, 0.9, 0.84]),
            ],
        ),
        // A round wall thermostat, Ø 84 mm × 30 mm.
        (
            "thermostat",
            vec![
                matte(part().cylinder([0.0, 0.0, 0.0], 2, 0.022, 0.042), METAL),
                matte(part().cylinder([0.0, 0.0, 0.022], 2, 0.008, 0.036), GLASS),
            ],
        ),
        // A wall-mounted indoor camera: plate, arm, head with lens; 60 × 90 × 110 mm.
        (
            "camera",
            vec![
                matte(part().cuboid([0.0, -0.035, 0.005], [0.05, 0.05, 0.01]), WHITE),
                matte(part().cylinder([0.0, -0.035, 0.01], 2, 0.03, 0.008), WHITE),
                matte(part().cuboid([0.0, 0.0, 0.07], [0.06, 0.06, 0.07]), WHITE),
                matte(part().cylinder([0.0, 0.0, 0.105], 2, 0.005, 0.015), GLASS),
            ],
        ),
        // A smart door lock's inside unit with its thumb turn; 70 × 170 × 65 mm.
        (
            "door-lock",
            vec![
                matte(part().cuboid([0.0, 0.0, 0.0175], [0.07, 0.17, 0.035]), CHARCOAL),
                matte(part().cuboid([0.0, 0.02, 0.05], [0.018, 0.06, 0.03]), METAL),
            ],
        ),
        // A smart plug in a wall socket; 50 × 50 × 65 mm.
        (
            "plug",
            vec![
                matte(part().cuboid([0.0, 0.0, 0.0325], [0.05, 0.05, 0.065]), WHITE),
                glowing(part().cylinder([0.0, 0.012, 0.0645], 2, 0.0005, 0.004), [0.2, 0.6, 1.0]),
            ],
        ),
        // A 2 m LED light strip on the wall, 12 mm × 4 mm.
        ("light-strip", vec![glowing(part().cuboid([0.0, 0.0, 0.002], [2.0, 0.012, 0.004]), WARM_LIGHT)]),
        // A curtain motor under its rail bracket: Ø 50 mm × 300 mm, 60 mm from the wall.
        (
            "curtain-motor",
            vec![
                matte(part().cuboid([0.0, 0.0, 0.005], [0.04, 0.04, 0.01]), METAL),
                matte(part().cylinder([-0.15, 0.0, 0.035], 0, 0.3, 0.025), WHITE),
            ],
        ),
        // A motion sensor with its lens; 45 × 45 × 45 mm.
        (
            "motion-sensor",
            vec![
                matte(part().cuboid([0.0, 0.0, 0.0175], [0.045, 0.045, 0.035]), WHITE),
                matte(part().sphere([0.0, 0.0, 0.035], 0.01), [0.8, 0.8, 0.8]),
            ],
        ),
    ]
}

/// Appends `bytes` to the binary chunk (aligned to 4) as a new buffer view.
fn push_bytes(
    bin: &mut Vec<u8>,
    root: &mut json::Root,
    bytes: &[u8],
    target: json::buffer::Target,
) -> json::Index<json::buffer::View> {
    while !bin.len().is_multiple_of(4) {
        bin.push(0);
    }
    let view = root.push(json::buffer::View {
        buffer: json::Index::new(0),
        byte_length: USize64::from(bytes.len()),
        byte_offset: Some(USize64::from(bin.len())),
        byte_stride: None,
        extensions: None,
        extras: Default::default(),
        name: None,
        target: Some(Valid(target)),
    });
    bin.extend_from_slice(bytes);
    view
}

fn accessor(
    root: &mut json::Root,
    view: json::Index<json::buffer::View>,
    count: usize,
    component: json::accessor::ComponentType,
    kind: json::accessor::Type,
    bounds: Option<([f32; 3], [f32; 3])>,
) -> json::Index<json::Accessor> {
    root.push(json::Accessor {
        buffer_view: Some(view),
        byte_offset: None,
        count: USize64::from(count),
        component_type: Valid(json::accessor::GenericComponentType(component)),
        extensions: None,
        extras: Default::default(),
        type_: Valid(kind),
        min: bounds.map(|(min, _)| json::Value::from(min.to_vec())),
        max: bounds.map(|(_, max)| json::Value::from(max.to_vec())),
        name: None,
        normalized: false,
        sparse: None,
    })
}

fn glb(name: &str, pieces: Vec<Piece>) -> Vec<u8> {
    use json::accessor::{ComponentType, Type};
    use json::buffer::Target;
    let mut root = json::Root::default();
    root.asset.generator = Some("hearth-preview product_models".into());
    let mut bin = Vec::new();
    let mut primitives = Vec::new();
    let flat = |v: &[[f32; 3]]| v.iter().flatten().flat_map(|f| f.to_le_bytes()).collect::<Vec<u8>>();
    for Piece(part, colour, emission) in pieces {
        let mut min = [f32::MAX; 3];
        let mut max = [f32::MIN; 3];
        for p in &part.positions {
            for i in 0..3 {
                min[i] = min[i].min(p[i]);
                max[i] = max[i].max(p[i]);
            }
        }
        let view = push_bytes(&mut bin, &mut root, &flat(&part.positions), Target::ArrayBuffer);
        let positions =
            accessor(&mut root, view, part.positions.len(), ComponentType::F32, Type::Vec3, Some((min, max)));
        let view = push_bytes(&mut bin, &mut root, &flat(&part.normals), Target::ArrayBuffer);
        let normals = accessor(&mut root, view, part.normals.len(), ComponentType::F32, Type::Vec3, None);
        let bytes = part.indices.iter().flat_map(|i| i.to_le_bytes()).collect::<Vec<u8>>();
        let view = push_bytes(&mut bin, &mut root, &bytes, Target::ElementArrayBuffer);
        let indices = accessor(&mut root, view, part.indices.len(), ComponentType::U32, Type::Scalar, None);
        let material = root.push(json::Material {
            pbr_metallic_roughness: json::material::PbrMetallicRoughness {
                base_color_factor: json::material::PbrBaseColorFactor([colour[0], colour[1], colour[2], 1.0]),
                ..Default::default()
            },
            emissive_factor: json::material::EmissiveFactor(emission),
            ..Default::default()
        });
        primitives.push(json::mesh::Primitive {
            attributes: [
                (Valid(json::mesh::Semantic::Positions), positions),
                (Valid(json::mesh::Semantic::Normals), normals),
            ]
            .into(),
            extensions: None,
            extras: Default::default(),
            indices: Some(indices),
            material: Some(material),
            mode: Valid(json::mesh::Mode::Triangles),
            targets: None,
        });
    }
    while !bin.len().is_multiple_of(4) {
        bin.push(0);
    }
    root.push(json::Buffer {
        byte_length: USize64::from(bin.len()),
        extensions: None,
        extras: Default::default(),
        name: None,
        uri: None,
    });
    let mesh = root.push(json::Mesh {
        extensions: None,
        extras: Default::default(),
        name: Some(name.into()),
        primitives,
        weights: None,
    });
    let node = root.push(json::Node { mesh: Some(mesh), name: Some(name.into()), ..Default::default() });
    let scene = root.push(json::Scene {
        extensions: None,
        extras: Default::default(),
        name: None,
        nodes: vec![node],
    });
    root.scene = Some(scene);
    let mut text = json::serialize::to_string(&root).expect("serialisable");
    while !text.len().is_multiple_of(4) {
        text.push(' ');
    }
    let length = u32::try_from(12 + 8 + text.len() + 8 + bin.len()).expect("a small model");
    let glb = gltf::binary::Glb {
        header: gltf::binary::Header { magic: *b"glTF", version: 2, length },
        json: Cow::Owned(text.into_bytes()),
        bin: Some(Cow::Owned(bin)),
    };
    glb.to_vec().expect("a GLB")
}

fn main() {
    let folder = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "assets/models".into()));
    for (name, pieces) in models() {
        let path = folder.join(format!("{name}.glb"));
        std::fs::write(&path, glb(name, pieces)).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        println!("wrote {}", path.display());
    }
}
