//! Product models: binary glTF (GLB) files in `assets/models/`, in metres, Y up, the front facing
//! +Z, with the catalog `assets/models/products.json` saying how each is mounted, its true size,
//! where its lights are and what it watches. Loading checks every count and offset against the
//! file before reading, so a damaged or hostile file is an error, never a crash.

use std::sync::Arc;

use nalgebra::{Matrix4, Point3, Vector3};
use serde::Deserialize;

/// Why a model file cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ModelError {
    /// Not a glTF file, or its JSON does not follow glTF 2.0.
    #[error("the model is not a valid glTF file: {0}")]
    Parse(String),
    /// The file points outside itself (the preview only takes self-contained GLB files).
    #[error("the model refers to data outside the file ({0}); only self-contained .glb files are supported")]
    External(String),
    /// A count or offset points past the data, or a required part is missing.
    #[error("the model is damaged: {0}")]
    Damaged(String),
    /// A feature the preview does not draw.
    #[error("the model uses something the preview cannot draw: {0}")]
    Unsupported(String),
    /// More triangles than a product needs.
    #[error("the model has {0} triangles; at most {MAX_TRIANGLES} are allowed")]
    TooLarge(usize),
    /// The catalog itself is malformed or names a model that is not there.
    #[error("the product catalog is invalid: {0}")]
    Catalog(String),
}

/// Most triangles one product model may have.
pub const MAX_TRIANGLES: usize = 200_000;

/// One coloured part of a model, in the model's own frame (metres).
#[derive(Debug, Clone, PartialEq)]
pub struct Mesh {
    /// Vertex positions.
    pub positions: Vec<[f32; 3]>,
    /// Unit normals, one per position.
    pub normals: Vec<[f32; 3]>,
    /// Triangles, three indices each.
    pub indices: Vec<u32>,
    /// Base colour, linear RGB.
    pub colour: [f32; 3],
    /// Light it gives off, linear RGB (a bulb, an LED).
    pub emission: [f32; 3],
}

/// A product's model: its meshes and their bounds.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// The meshes, already placed by the file's node transforms.
    pub meshes: Vec<Mesh>,
    /// Smallest corner of the bounding box.
    pub min: Point3<f32>,
    /// Largest corner of the bounding box.
    pub max: Point3<f32>,
}

impl Model {
    /// Reads a self-contained GLB (or a glTF JSON with no external buffers).
    pub fn from_glb(bytes: &[u8]) -> Result<Self, ModelError> {
        let gltf = gltf::Gltf::from_slice(bytes).map_err(|e| ModelError::Parse(e.to_string()))?;
        let blob = gltf.blob.as_deref().unwrap_or_default();
        let scene = gltf
            .default_scene()
            .or_else(|| gltf.scenes().next())
            .ok_or_else(|| ModelError::Damaged("it has no scene".into()))?;
        let mut meshes = Vec::new();
        let mut triangles = 0usize;
        let mut stack: Vec<(gltf::Node<'_>, Matrix4<f32>)> =
            scene.nodes().map(|node| (node, Matrix4::identity())).collect();
        let mut visited = 0usize;
        while let Some((node, parent)) = stack.pop() {
            visited += 1;
            if visited > 10_000 {
                return Err(ModelError::Damaged("its node tree does not end".into()));
            }
            let transform = parent * Matrix4::from(node.transform().matrix());
            stack.extend(node.children().map(|child| (child, transform)));
            let Some(mesh) = node.mesh() else { continue };
            for primitive in mesh.primitives() {
                let mesh = read_primitive(&primitive, blob, &transform)?;
                triangles += mesh.indices.len() / 3;
                if triangles > MAX_TRIANGLES {
                    return Err(ModelError::TooLarge(triangles));
                }
                meshes.push(mesh);
            }
        }
        let mut min = Point3::new(f32::MAX, f32::MAX, f32::MAX);
        let mut max = Point3::new(f32::MIN, f32::MIN, f32::MIN);
        for p in meshes.iter().flat_map(|m| &m.positions) {
            min = min.inf(&Point3::from(*p));
            max = max.sup(&Point3::from(*p));
        }
        if meshes.is_empty() || !min.iter().chain(max.iter()).all(|v| v.is_finite()) {
            return Err(ModelError::Damaged("it has nothing to draw".into()));
        }
        Ok(Model { meshes, min, max })
    }

    /// Width (x), height (y) and depth (z) of the bounding box, in metres.
    pub fn size(&self) -> Vector3<f32> {
        self.max - self.min
    }
}

/// Checks that `accessor`'s elements lie inside its view and the view inside `blob`.
fn check_accessor(accessor: &gltf::Accessor<'_>, blob: &[u8], what: &str) -> Result<(), ModelError> {
    if accessor.sparse().is_some() {
        return Err(ModelError::Unsupported(format!("sparse {what}")));
    }
    let view = accessor.view().ok_or_else(|| ModelError::Damaged(format!("its {what} have no data")))?;
    match view.buffer().source() {
        gltf::buffer::Source::Bin => {}
        gltf::buffer::Source::Uri(uri) => {
            let shown: String = uri.chars().take(40).collect();
            return Err(ModelError::External(shown));
        }
    }
    let view_end = view.offset().checked_add(view.length());
    if view_end.is_none_or(|end| end > blob.len()) {
        return Err(ModelError::Damaged(format!("its {what} point past the end of the file")));
    }
    let size = accessor.size();
    let stride = view.stride().unwrap_or(size);
    let needed = match accessor.count() {
        0 => Some(0),
        count => (count - 1).checked_mul(stride).and_then(|n| n.checked_add(size)),
    };
    if needed.and_then(|n| n.checked_add(accessor.offset())).is_none_or(|end| end > view.length()) {
        return Err(ModelError::Damaged(format!("its {what} run past their data")));
    }
    Ok(())
}

fn read_primitive(
    primitive: &gltf::Primitive<'_>,
    blob: &[u8],
    transform: &Matrix4<f32>,
) -> Result<Mesh, ModelError> {
    if primitive.mode() != gltf::mesh::Mode::Triangles {
        return Err(ModelError::Unsupported(format!("{:?} primitives (only triangles)", primitive.mode())));
    }
    let positions = primitive
        .get(&gltf::Semantic::Positions)
        .ok_or_else(|| ModelError::Damaged("a mesh has no positions".into()))?;
    check_accessor(&positions, blob, "positions")?;
    let normals = primitive
        .get(&gltf::Semantic::Normals)
        .ok_or_else(|| ModelError::Unsupported("a mesh without normals".into()))?;
    check_accessor(&normals, blob, "normals")?;
    if let Some(indices) = primitive.indices() {
        check_accessor(&indices, blob, "indices")?;
    }
    let reader = primitive.reader(|buffer| match buffer.source() {
        gltf::buffer::Source::Bin => Some(blob),
        gltf::buffer::Source::Uri(_) => None,
    });
    let read = |what: &str| ModelError::Damaged(format!("its {what} cannot be read"));
    let normal_matrix = transform.fixed_view::<3, 3>(0, 0).try_inverse().map(|m| m.transpose());
    let normal_matrix =
        normal_matrix.ok_or_else(|| ModelError::Damaged("a node is flattened to nothing".into()))?;
    let positions: Vec<[f32; 3]> = reader
        .read_positions()
        .ok_or_else(|| read("positions"))?
        .map(|p| transform.transform_point(&Point3::from(p)).into())
        .collect();
    let normals: Vec<[f32; 3]> = reader
        .read_normals()
        .ok_or_else(|| read("normals"))?
        .map(|n| (normal_matrix * Vector3::from(n)).try_normalize(1e-12).unwrap_or_else(Vector3::y).into())
        .collect();
    if normals.len() != positions.len() {
        return Err(ModelError::Damaged("its normals and positions differ in number".into()));
    }
    let indices: Vec<u32> = match reader.read_indices() {
        Some(indices) => indices.into_u32().collect(),
        None => (0..u32::try_from(positions.len()).map_err(|_| read("positions"))?).collect(),
    };
    if !indices.len().is_multiple_of(3) || indices.iter().any(|&i| i as usize >= positions.len()) {
        return Err(ModelError::Damaged("its triangles point at vertices that are not there".into()));
    }
    if indices.len() / 3 > MAX_TRIANGLES {
        return Err(ModelError::TooLarge(indices.len() / 3));
    }
    let material = primitive.material();
    let [r, g, b, _] = material.pbr_metallic_roughness().base_color_factor();
    Ok(Mesh { positions, normals, indices, colour: [r, g, b], emission: material.emissive_factor() })
}

/// How a product is mounted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mount {
    /// Stands on the floor (or a table).
    Floor,
    /// Hangs on a wall, its back against it.
    Wall,
}

/// What a camera sees or a sensor senses, drawn on the floor in front of it.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FloorView {
    /// Half the opening angle, in degrees.
    pub half_angle_deg: f32,
    /// How far it reaches, in metres.
    pub range_m: f32,
    /// The colour it is drawn in, linear RGB.
    pub colour: [f32; 3],
}

/// One product of the catalog with its model.
#[derive(Debug, Clone, PartialEq)]
pub struct Product {
    /// Stable id (`lamp`, `camera`, …), also the key of its name in the translations.
    pub id: String,
    /// How it is mounted.
    pub mount: Mount,
    /// True size (width, height, depth) in metres, as the catalog declares it.
    pub size_m: [f32; 3],
    /// Where its lights are, in the model's frame (empty unless it gives light).
    pub lights_m: Vec<[f32; 3]>,
    /// What it watches, if anything.
    pub floor_view: Option<FloorView>,
    /// Its model.
    pub model: Model,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    id: String,
    model: String,
    mount: Mount,
    size_m: [f32; 3],
    #[serde(default)]
    lights_m: Vec<[f32; 3]>,
    floor_view: Option<FloorView>,
}

/// The products the preview offers.
#[derive(Debug, Clone, PartialEq)]
pub struct Catalog {
    /// In the catalog's order.
    pub products: Vec<Arc<Product>>,
}

/// The model files shipped in `assets/models/`, by file name.
const BUILTIN_MODELS: [(&str, &[u8]); 9] = [
    ("speaker.glb", include_bytes!("../../assets/models/speaker.glb")),
    ("lamp.glb", include_bytes!("../../assets/models/lamp.glb")),
    ("thermostat.glb", include_bytes!("../../assets/models/thermostat.glb")),
    ("camera.glb", include_bytes!("../../assets/models/camera.glb")),
    ("door-lock.glb", include_bytes!("../../assets/models/door-lock.glb")),
    ("plug.glb", include_bytes!("../../assets/models/plug.glb")),
    ("light-strip.glb", include_bytes!("../../assets/models/light-strip.glb")),
    ("curtain-motor.glb", include_bytes!("../../assets/models/curtain-motor.glb")),
    ("motion-sensor.glb", include_bytes!("../../assets/models/motion-sensor.glb")),
];

impl Catalog {
    /// The catalog shipped with the app (`assets/models/`).
    pub fn builtin() -> Result<Self, ModelError> {
        Self::from_parts(include_str!("../../assets/models/products.json"), |file| {
            BUILTIN_MODELS.iter().find(|(name, _)| *name == file).map(|(_, bytes)| bytes.to_vec())
        })
    }

    /// A catalog from its JSON and a way to fetch each model file by name.
    pub fn from_parts(
        json: &str,
        mut model_file: impl FnMut(&str) -> Option<Vec<u8>>,
    ) -> Result<Self, ModelError> {
        let entries: Vec<Entry> =
            serde_json::from_str(json).map_err(|e| ModelError::Catalog(e.to_string()))?;
        let mut products = Vec::with_capacity(entries.len());
        for entry in entries {
            let bytes = model_file(&entry.model)
                .ok_or_else(|| ModelError::Catalog(format!("{}: no model file {}", entry.id, entry.model)))?;
            let model =
                Model::from_glb(&bytes).map_err(|e| ModelError::Catalog(format!("{}: {e}", entry.model)))?;
            products.push(Arc::new(Product {
                id: entry.id,
                mount: entry.mount,
                size_m: entry.size_m,
                lights_m: entry.lights_m,
                floor_view: entry.floor_view,
                model,
            }));
        }
        Ok(Catalog { products })
    }

    /// The product with `id`.
    pub fn get(&self, id: &str) -> Option<&Arc<Product>> {
        self.products.iter().find(|p| p.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_model_has_its_products_true_size() {
        let catalog = Catalog::builtin().expect("the shipped catalog loads");
        assert!(catalog.products.len() >= 8);
        for product in &catalog.products {
            let size = product.model.size();
            let declared = Vector3::from(product.size_m);
            assert!(
                (size - declared).abs().max() <= 0.002,
                "{}: the model measures {size:?} m, the catalog says {declared:?} m",
                product.id
            );
            let (min, max) = (product.model.min, product.model.max);
            match product.mount {
                // Floor products stand on y = 0, centred; wall products have their back on z = 0.
                Mount::Floor => assert!(min.y.abs() < 1e-4 && (min.x + max.x).abs() < 1e-3, "{}", product.id),
                Mount::Wall => assert!(min.z.abs() < 1e-4 && (min.x + max.x).abs() < 1e-3, "{}", product.id),
            }
        }
        for id in
            ["speaker", "lamp", "thermostat", "camera", "door-lock", "plug", "light-strip", "curtain-motor"]
        {
            assert!(catalog.get(id).is_some(), "{id} is in the catalog");
        }
    }

    #[test]
    fn a_model_that_does_not_parse_is_refused_plainly() {
        assert!(matches!(Model::from_glb(b"not a model"), Err(ModelError::Parse(_))));
        let lamp = BUILTIN_MODELS[1].1;
        // Cut off inside the binary chunk: the GLB header's length no longer matches.
        assert!(matches!(Model::from_glb(&lamp[..lamp.len() / 2]), Err(ModelError::Parse(_))));
        // Bytes flipped inside the JSON chunk.
        let mut garbled = lamp.to_vec();
        garbled[40..60].fill(b'#');
        assert!(Model::from_glb(&garbled).is_err());
    }

    /// A glTF JSON whose accessor claims more vertices than its buffer holds, and one whose
    /// buffer lives in another file.
    #[test]
    fn counts_and_offsets_past_the_data_are_refused() {
        let document = |count: usize, uri: &str| {
            format!(
                r#"{{"asset":{{"version":"2.0"}},"scene":0,"scenes":[{{"nodes":[0]}}],"nodes":[{{"mesh":0}}],
                "meshes":[{{"primitives":[{{"attributes":{{"POSITION":0,"NORMAL":0}}}}]}}],
                "buffers":[{{"byteLength":36{uri}}}],
                "bufferViews":[{{"buffer":0,"byteLength":36}}],
                "accessors":[{{"bufferView":0,"componentType":5126,"count":{count},"type":"VEC3",
                  "min":[0,0,0],"max":[1,1,1]}}]}}"#
            )
        };
        let external = document(3, r#","uri":"http://example.invalid/buffer.bin""#);
        assert!(matches!(Model::from_glb(external.as_bytes()), Err(ModelError::External(_))));
        // No binary chunk at all: the view points past the (empty) data.
        let past = document(3_000_000, "");
        assert!(matches!(Model::from_glb(past.as_bytes()), Err(ModelError::Damaged(_))));
    }

    #[test]
    fn a_catalog_naming_a_missing_model_is_refused() {
        let json = r#"[{"id":"lamp","model":"nope.glb","mount":"floor","size_m":[1,1,1]}]"#;
        assert!(matches!(Catalog::from_parts(json, |_| None), Err(ModelError::Catalog(_))));
        assert!(matches!(Catalog::from_parts("{", |_| None), Err(ModelError::Catalog(_))));
    }
}
