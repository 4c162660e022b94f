//! The room preview's state as the user edits it: the room (the demo room, or the user's photo
//! and its calibration), the wall, and the placed products. Every edit is checked and either
//! applies whole or changes nothing; picks are pixels of the image.

use std::sync::Arc;

use hearth_core::images::DecodeError;
use hearth_core::ipc::{ErrorCode, PreviewItem, PreviewLight, PreviewMount, PreviewProduct, PreviewState};
use nalgebra::{Point2, Point3};

use crate::geometry::{CalibrationError, Camera, FloorMarks, Plane};
use crate::models::{Catalog, Mount, Product};
use crate::render::{LampLight, Placed, Scene, room_photo};

/// Size of the demo room's image (its pixels are the picks' pixels).
pub const DEMO_SIZE: (u32, u32) = (1280, 720);
/// Most products one preview holds.
pub const MAX_ITEMS: usize = 24;
/// A lamp's light when it is placed: warm white, bright.
pub const DEFAULT_LIGHT: (&str, f32) = ("#ffd9a0", 0.8);
/// Wall products are hung at least this high (their centre) and at most this high.
const WALL_HEIGHT_M: (f64, f64) = (0.05, 3.5);
/// The demo room's floor: x from, x to, z from, z to (metres).
const DEMO_ROOM_M: (f64, f64, f64, f64) = (0.0, 4.0, 0.0, 3.5);
/// The shortest wall line the user may mark.
const MIN_WALL_LINE_M: f64 = 0.3;

/// Why an edit was refused. The room is unchanged.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EditError {
    /// The photo cannot be used.
    #[error(transparent)]
    Photo(#[from] DecodeError),
    /// The floor marks cannot calibrate a camera.
    #[error(transparent)]
    Calibration(#[from] CalibrationError),
    /// Products need a calibrated floor first.
    #[error("mark the floor rectangle before placing products")]
    NotCalibrated,
    /// A wall product needs a wall.
    #[error("mark the wall before hanging this product")]
    NoWall,
    /// The point is not on the floor (or the wall) as the camera sees it.
    #[error("that point is not on the {0}")]
    Missed(&'static str),
    /// The two wall points are too close together.
    #[error("mark two points at least {MIN_WALL_LINE_M} m apart where the wall meets the floor")]
    WallTooShort,
    /// No such product in the catalog.
    #[error("there is no product {0:?}")]
    UnknownProduct(String),
    /// No such placed product.
    #[error("no placed product has id {0}")]
    UnknownItem(u32),
    /// Only floor products turn; wall products face out from their wall.
    #[error("wall products face out from the wall and cannot be turned")]
    FacesWall,
    /// The product gives no light.
    #[error("this product gives no light")]
    NoLight,
    /// The preview already holds as many products as it may.
    #[error("at most {MAX_ITEMS} products fit in one preview")]
    TooMany,
    /// A value out of range or malformed.
    #[error("{0}")]
    Invalid(String),
}

impl EditError {
    /// A stable code the UI translates.
    pub fn code(&self) -> ErrorCode {
        match self {
            EditError::Photo(DecodeError::NotAnImage) => ErrorCode::PreviewNotAnImage,
            EditError::Photo(DecodeError::Unsupported(_)) => ErrorCode::PreviewUnsupportedImage,
            EditError::Photo(DecodeError::TooLarge(_)) => ErrorCode::PreviewImageTooLarge,
            EditError::Photo(DecodeError::Corrupt(_)) => ErrorCode::PreviewDamagedImage,
            EditError::Calibration(CalibrationError::BadSize) => ErrorCode::PreviewBadSize,
            EditError::Calibration(CalibrationError::OutsidePhoto(_)) => ErrorCode::PreviewMarkOutside,
            EditError::Calibration(CalibrationError::Collinear) => ErrorCode::PreviewMarksCollinear,
            EditError::Calibration(CalibrationError::NotConvex) => ErrorCode::PreviewMarksCrossed,
            EditError::Calibration(CalibrationError::Impossible) => ErrorCode::PreviewMarksImpossible,
            EditError::NotCalibrated => ErrorCode::PreviewNotCalibrated,
            EditError::NoWall => ErrorCode::PreviewNoWall,
            EditError::Missed(_) => ErrorCode::PreviewMissed,
            EditError::WallTooShort => ErrorCode::PreviewWallTooShort,
            EditError::UnknownProduct(_) | EditError::UnknownItem(_) => ErrorCode::PreviewUnknown,
            EditError::FacesWall => ErrorCode::PreviewFacesWall,
            EditError::NoLight => ErrorCode::PreviewNoLight,
            EditError::TooMany => ErrorCode::PreviewTooMany,
            EditError::Invalid(_) => ErrorCode::InvalidArgument,
        }
    }
}

/// The room the products are placed in.
#[derive(Debug, Clone)]
enum Room {
    /// The demo room, drawn from geometry.
    Demo,
    /// The user's photo, and its camera once the floor is marked.
    Photo { image: Arc<image::RgbaImage>, camera: Option<Camera> },
}

/// A product placed in the room.
#[derive(Debug, Clone)]
struct Item {
    id: u32,
    product: Arc<Product>,
    position: Point3<f64>,
    yaw: f64,
    light: Option<LampLight>,
}

/// The preview being edited.
#[derive(Debug, Clone)]
pub struct Editor {
    catalog: Arc<Catalog>,
    room: Room,
    wall: Option<Plane>,
    items: Vec<Item>,
    next_id: u32,
}

impl Editor {
    /// A new preview in the demo room.
    pub fn new(catalog: Arc<Catalog>) -> Self {
        let demo = Scene::demo_room(DEMO_SIZE.0, DEMO_SIZE.1);
        Editor { catalog, room: Room::Demo, wall: demo.wall, items: Vec::new(), next_id: 1 }
    }

    /// Starts again in the demo room.
    pub fn use_demo(&mut self) {
        *self = Editor::new(Arc::clone(&self.catalog));
    }

    /// Starts again on the user's photo (JPEG, PNG or WebP, upright from its EXIF orientation).
    /// The floor must then be marked before products can be placed.
    pub fn import_photo(&mut self, bytes: &[u8]) -> Result<(), EditError> {
        let image = room_photo(bytes)?;
        *self = Editor {
            catalog: Arc::clone(&self.catalog),
            room: Room::Photo { image: Arc::new(image), camera: None },
            wall: None,
            items: Vec::new(),
            next_id: self.next_id,
        };
        Ok(())
    }

    /// The image's size in pixels.
    pub fn image_size(&self) -> (u32, u32) {
        match &self.room {
            Room::Demo => DEMO_SIZE,
            Room::Photo { image, .. } => image.dimensions(),
        }
    }

    /// Calibrates the photo from four floor marks (pixels, in order around a rectangle) and the
    /// rectangle's size. Products placed before are taken out: their places were measured with
    /// the old calibration.
    pub fn calibrate(&mut self, corners: [[f64; 2]; 4], width_m: f64, depth_m: f64) -> Result<(), EditError> {
        let (w, h) = self.image_size();
        let Room::Photo { camera, .. } = &mut self.room else {
            return Err(EditError::Invalid("the demo room needs no calibration".into()));
        };
        if !(0.1..=30.0).contains(&width_m) || !(0.1..=30.0).contains(&depth_m) {
            return Err(EditError::Calibration(CalibrationError::BadSize));
        }
        let marks = FloorMarks { corners: corners.map(|[x, y]| Point2::new(x, y)), width_m, depth_m };
        *camera = Some(Camera::calibrate(&marks, w, h)?);
        self.wall = None;
        self.items.clear();
        Ok(())
    }

    fn camera(&self) -> Result<Camera, EditError> {
        match &self.room {
            Room::Demo => Ok(Scene::demo_room(DEMO_SIZE.0, DEMO_SIZE.1).camera),
            Room::Photo { camera, .. } => camera.ok_or(EditError::NotCalibrated),
        }
    }

    fn floor_point(&self, at: [f64; 2]) -> Result<Point3<f64>, EditError> {
        let camera = self.camera()?;
        self.check_pixel(at)?;
        Plane::FLOOR.hit(&camera.ray(Point2::new(at[0], at[1]))).ok_or(EditError::Missed("floor"))
    }

    fn check_pixel(&self, [x, y]: [f64; 2]) -> Result<(), EditError> {
        let (w, h) = self.image_size();
        if x.is_finite()
            && y.is_finite()
            && (0.0..=f64::from(w)).contains(&x)
            && (0.0..=f64::from(h)).contains(&y)
        {
            Ok(())
        } else {
            Err(EditError::Invalid(format!("the point ({x}, {y}) is outside the {w}×{h} image")))
        }
    }

    /// Marks the wall standing on the floor line between two pixels.
    pub fn set_wall(&mut self, from: [f64; 2], to: [f64; 2]) -> Result<(), EditError> {
        let (a, b) = (self.floor_point(from)?, self.floor_point(to)?);
        if (b - a).norm() < MIN_WALL_LINE_M {
            return Err(EditError::WallTooShort);
        }
        let mut wall = Plane::wall(a, b).ok_or(EditError::WallTooShort)?;
        // Facing the camera, so wall products face into the room.
        if wall.normal.dot(&(self.camera()?.centre() - wall.point)) < 0.0 {
            wall.normal = -wall.normal;
        }
        // Wall products hung before stay where they were on the old wall: take them out.
        self.items.retain(|item| item.product.mount == Mount::Floor);
        self.wall = Some(wall);
        Ok(())
    }

    /// Where a product of `mount` goes when the user points at `at`, and which way it faces.
    fn placement(&self, mount: Mount, at: [f64; 2], yaw: f64) -> Result<(Point3<f64>, f64), EditError> {
        let (point, yaw) = self.placement_anywhere(mount, at, yaw)?;
        // The demo room has walls all round: nothing goes through them.
        let inside = (DEMO_ROOM_M.0..=DEMO_ROOM_M.1).contains(&point.x)
            && (DEMO_ROOM_M.2..=DEMO_ROOM_M.3).contains(&point.z);
        if matches!(self.room, Room::Demo) && !inside {
            return Err(EditError::Missed(if mount == Mount::Floor { "floor" } else { "wall" }));
        }
        Ok((point, yaw))
    }

    fn placement_anywhere(
        &self,
        mount: Mount,
        at: [f64; 2],
        yaw: f64,
    ) -> Result<(Point3<f64>, f64), EditError> {
        match mount {
            Mount::Floor => Ok((self.floor_point(at)?, yaw)),
            Mount::Wall => {
                let camera = self.camera()?;
                self.check_pixel(at)?;
                let wall = self.wall.ok_or(EditError::NoWall)?;
                let mut point =
                    wall.hit(&camera.ray(Point2::new(at[0], at[1]))).ok_or(EditError::Missed("wall"))?;
                if point.y < WALL_HEIGHT_M.0 {
                    return Err(EditError::Missed("wall"));
                }
                point.y = point.y.min(WALL_HEIGHT_M.1);
                Ok((point, wall.normal.x.atan2(wall.normal.z)))
            }
        }
    }

    /// Places `product` where the user pointed; returns its id. A light starts on, warm white.
    pub fn place(&mut self, product: &str, at: [f64; 2]) -> Result<u32, EditError> {
        let product =
            Arc::clone(self.catalog.get(product).ok_or_else(|| EditError::UnknownProduct(product.into()))?);
        if self.items.len() >= MAX_ITEMS {
            return Err(EditError::TooMany);
        }
        // Floor products start facing the camera.
        let camera = self.camera()?;
        let (position, yaw) = self.placement(product.mount, at, 0.0)?;
        let towards_camera = camera.centre() - position;
        let yaw = match product.mount {
            Mount::Floor => towards_camera.x.atan2(towards_camera.z),
            Mount::Wall => yaw,
        };
        let light = (!product.lights_m.is_empty())
            .then(|| light_from(DEFAULT_LIGHT.0, DEFAULT_LIGHT.1))
            .transpose()?;
        let id = self.next_id;
        self.next_id += 1;
        self.items.push(Item { id, product, position, yaw, light });
        Ok(id)
    }

    fn item(&mut self, id: u32) -> Result<&mut Item, EditError> {
        self.items.iter_mut().find(|item| item.id == id).ok_or(EditError::UnknownItem(id))
    }

    /// Moves a placed product to where the user points (on the floor or its wall).
    pub fn move_to(&mut self, id: u32, at: [f64; 2]) -> Result<(), EditError> {
        let (mount, yaw) = {
            let item = self.item(id)?;
            (item.product.mount, item.yaw)
        };
        let (position, yaw) = self.placement(mount, at, yaw)?;
        let item = self.item(id)?;
        item.position = position;
        item.yaw = yaw;
        Ok(())
    }

    /// Turns a floor product to `degrees` (0: facing +Z).
    pub fn rotate(&mut self, id: u32, degrees: f64) -> Result<(), EditError> {
        if !degrees.is_finite() {
            return Err(EditError::Invalid("the angle must be a number".into()));
        }
        let item = self.item(id)?;
        if item.product.mount == Mount::Wall {
            return Err(EditError::FacesWall);
        }
        item.yaw = degrees.rem_euclid(360.0).to_radians();
        Ok(())
    }

    /// Takes a placed product out.
    pub fn remove(&mut self, id: u32) -> Result<(), EditError> {
        let before = self.items.len();
        self.items.retain(|item| item.id != id);
        if self.items.len() == before { Err(EditError::UnknownItem(id)) } else { Ok(()) }
    }

    /// Sets a light's colour (`#rrggbb`) and brightness (0 to 1), or turns it off.
    pub fn set_light(&mut self, id: u32, light: Option<&PreviewLight>) -> Result<(), EditError> {
        let light = light.map(|l| light_from(&l.colour, l.brightness)).transpose()?;
        let item = self.item(id)?;
        if item.product.lights_m.is_empty() {
            return Err(EditError::NoLight);
        }
        item.light = light;
        Ok(())
    }

    /// The scene to render: the room with its products.
    pub fn scene(&self) -> Scene {
        let (w, h) = self.image_size();
        let mut scene = match &self.room {
            Room::Demo => Scene::demo_room(w, h),
            Room::Photo { image, camera } => {
                // Before calibration the photo shows alone; any camera will do.
                let camera = camera.unwrap_or(Scene::demo_room(w, h).camera);
                Scene {
                    camera,
                    image_size: (w, h),
                    blocks: Vec::new(),
                    products: Vec::new(),
                    wall: None,
                    areas: Vec::new(),
                    background: [0.0; 3],
                    photo: Some(Arc::clone(image)),
                }
            }
        };
        scene.wall = self.wall;
        scene.products = self
            .items
            .iter()
            .map(|item| Placed {
                product: Arc::clone(&item.product),
                position: item.position.cast::<f32>(),
                yaw: item.yaw as f32,
                light: item.light,
            })
            .collect();
        scene
    }

    /// The preview as the UI shows it (`revision` is the shell's count of edits).
    pub fn state(&self, revision: u64) -> PreviewState {
        let camera = self.camera().ok();
        let (w, h) = self.image_size();
        let mount = |mount: Mount| match mount {
            Mount::Floor => PreviewMount::Floor,
            Mount::Wall => PreviewMount::Wall,
        };
        PreviewState {
            revision,
            demo: matches!(self.room, Room::Demo),
            image_size: [w, h],
            calibrated: camera.is_some(),
            has_wall: self.wall.is_some(),
            items: self
                .items
                .iter()
                .map(|item| {
                    // The handle sits at the product's middle, not its foot.
                    let model = &item.product.model;
                    let middle = Point3::new(item.position.x, item.position.y, item.position.z)
                        + nalgebra::Vector3::y() * f64::from((model.min.y + model.max.y) / 2.0);
                    PreviewItem {
                        id: item.id,
                        product: item.product.id.clone(),
                        mount: mount(item.product.mount),
                        yaw_degrees: (item.yaw.to_degrees().rem_euclid(360.0)) as f32,
                        at: camera.and_then(|c| c.project(middle)).map(|p| [p.x, p.y]),
                        light: item
                            .light
                            .map(|l| PreviewLight { colour: hex_of(l.colour), brightness: l.brightness }),
                        gives_light: !item.product.lights_m.is_empty(),
                    }
                })
                .collect(),
            products: self
                .catalog
                .products
                .iter()
                .map(|p| PreviewProduct {
                    id: p.id.clone(),
                    mount: mount(p.mount),
                    gives_light: !p.lights_m.is_empty(),
                    size_m: p.size_m,
                })
                .collect(),
        }
    }
}

/// sRGB 0–255 to linear.
fn linear(c: u8) -> f32 {
    let c = f32::from(c) / 255.0;
    if c <= 0.04045 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
}

/// Linear to sRGB 0–255.
fn srgb(c: f32) -> u8 {
    let c = c.clamp(0.0, 1.0);
    let s = if c <= 0.003_130_8 { c * 12.92 } else { 1.055 * c.powf(1.0 / 2.4) - 0.055 };
    (s * 255.0).round() as u8
}

fn hex_of(colour: [f32; 3]) -> String {
    let [r, g, b] = colour.map(srgb);
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// A light from `#rrggbb` and a brightness from 0 to 1.
fn light_from(colour: &str, brightness: f32) -> Result<LampLight, EditError> {
    let invalid = || EditError::Invalid(format!("{colour:?} is not a colour like #ffcc88"));
    let digits = colour.strip_prefix('#').filter(|d| d.len() == 6 && d.is_ascii()).ok_or_else(invalid)?;
    let channel = |i: usize| u8::from_str_radix(&digits[i..i + 2], 16).map(linear).map_err(|_| invalid());
    if !(0.0..=1.0).contains(&brightness) {
        return Err(EditError::Invalid(format!("brightness {brightness} is not between 0 and 1")));
    }
    Ok(LampLight { colour: [channel(0)?, channel(2)?, channel(4)?], brightness })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn editor() -> Editor {
        Editor::new(Arc::new(Catalog::builtin().expect("the catalog")))
    }

    /// The demo room's pixel of a world point.
    fn pixel(editor: &Editor, x: f64, y: f64, z: f64) -> [f64; 2] {
        let p = editor.camera().expect("a camera").project(Point3::new(x, y, z)).expect("in view");
        [p.x, p.y]
    }

    #[test]
    fn products_land_where_the_user_points_on_the_floor_and_the_wall() {
        let mut editor = editor();
        let lamp = editor.place("lamp", pixel(&editor, 1.0, 0.0, 2.5)).expect("placed");
        let camera = editor.place("camera", pixel(&editor, 0.6, 0.9, 3.5)).expect("hung");
        let state = editor.state(7);
        assert_eq!(state.revision, 7);
        assert_eq!(state.items.len(), 2);
        let items = &editor.items;
        assert!((items[0].position - Point3::new(1.0, 0.0, 2.5)).norm() < 1e-6);
        assert!((items[1].position - Point3::new(0.6, 0.9, 3.5)).norm() < 1e-6);
        // The camera faces into the room (the demo wall faces -Z): yaw π.
        assert!((items[1].yaw.abs() - std::f64::consts::PI).abs() < 1e-9, "{}", items[1].yaw);
        // The lamp starts on, warm white.
        assert_eq!(state.items[0].light, Some(PreviewLight { colour: "#ffd9a0".into(), brightness: 0.8 }));
        assert!(state.items[1].light.is_none() && !state.items[1].gives_light);
        // Moving follows the pointer; turning sets the angle; removing takes it out.
        editor.move_to(lamp, pixel(&editor, 2.5, 0.0, 2.0)).expect("moved");
        assert!((editor.items[0].position - Point3::new(2.5, 0.0, 2.0)).norm() < 1e-6);
        editor.rotate(lamp, 450.0).expect("turned");
        assert!((editor.state(0).items[0].yaw_degrees - 90.0).abs() < 1e-3);
        assert_eq!(editor.rotate(camera, 10.0), Err(EditError::FacesWall));
        editor.remove(camera).expect("removed");
        assert_eq!(editor.remove(camera), Err(EditError::UnknownItem(camera)));
        assert_eq!(editor.scene().products.len(), 1);
    }

    #[test]
    fn bad_edits_change_nothing() {
        let mut editor = editor();
        let lamp = editor.place("lamp", pixel(&editor, 1.0, 0.0, 2.5)).expect("placed");
        let before = editor.state(0);
        // Beyond the demo room's back wall there is no floor to stand on; outside the image
        // there is nothing.
        assert_eq!(editor.place("speaker", [640.0, 0.0]), Err(EditError::Missed("floor")));
        assert!(matches!(editor.place("speaker", [-5.0, 10.0]), Err(EditError::Invalid(_))));
        assert!(matches!(editor.place("speaker", [f64::NAN, 10.0]), Err(EditError::Invalid(_))));
        assert_eq!(editor.place("sofa", [640.0, 600.0]), Err(EditError::UnknownProduct("sofa".into())));
        assert!(matches!(editor.move_to(lamp, [640.0, 0.0]), Err(EditError::Missed(_))));
        let red = PreviewLight { colour: "red".into(), brightness: 0.5 };
        assert!(matches!(editor.set_light(lamp, Some(&red)), Err(EditError::Invalid(_))));
        let too_bright = PreviewLight { colour: "#ff0000".into(), brightness: 1.5 };
        assert!(matches!(editor.set_light(lamp, Some(&too_bright)), Err(EditError::Invalid(_))));
        assert_eq!(editor.state(0), before);
        assert_eq!(
            editor.calibrate([[0.0; 2]; 4], 1.0, 1.0).map_err(|e| e.code().as_str()),
            Err("invalid-argument")
        );
    }

    #[test]
    fn a_photo_needs_its_floor_marked_then_its_wall() {
        let mut editor = editor();
        let mut png = Vec::new();
        image::RgbaImage::from_pixel(800, 600, image::Rgba([120, 110, 100, 255]))
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .expect("a PNG");
        assert_eq!(editor.import_photo(b"nope").map_err(|e| e.code().as_str()), Err("preview-not-an-image"));
        assert!(editor.state(0).demo, "a refused photo leaves the demo room");
        editor.import_photo(&png).expect("a photo");
        let state = editor.state(0);
        assert!(!state.demo && !state.calibrated && !state.has_wall);
        assert_eq!(state.image_size, [800, 600]);
        assert_eq!(editor.place("lamp", [400.0, 500.0]), Err(EditError::NotCalibrated));
        // Collinear marks are refused; a rug seen in perspective calibrates.
        let line = [[100.0, 500.0], [300.0, 500.0], [500.0, 500.0], [700.0, 500.0]];
        assert_eq!(
            editor.calibrate(line, 2.0, 1.5).map_err(|e| e.code().as_str()),
            Err("preview-marks-collinear")
        );
        let rug = [[250.0, 520.0], [550.0, 520.0], [500.0, 400.0], [300.0, 400.0]];
        editor.calibrate(rug, 2.0, 1.5).expect("calibrated");
        assert!(editor.state(0).calibrated);
        editor.place("speaker", [400.0, 470.0]).expect("on the floor");
        assert_eq!(editor.place("thermostat", [400.0, 200.0]), Err(EditError::NoWall));
        // The wall along the rug's far edge, then a thermostat on it.
        assert_eq!(editor.set_wall([399.0, 400.0], [401.0, 400.0]), Err(EditError::WallTooShort));
        editor.set_wall([300.0, 400.0], [500.0, 400.0]).expect("a wall");
        let id = editor.place("thermostat", [400.0, 300.0]).expect("on the wall");
        let item = editor.items.iter().find(|i| i.id == id).expect("placed");
        let wall = editor.wall.expect("a wall");
        assert!(wall.normal.dot(&(item.position - wall.point)).abs() < 1e-9, "on the wall plane");
        assert!(item.position.y > 0.1);
        let scene = editor.scene();
        assert!(scene.photo.is_some() && scene.wall.is_some());
        assert_eq!(scene.products.len(), 2);
    }

    #[test]
    fn colours_go_to_linear_and_back() {
        for hex in ["#000000", "#ffffff", "#ffd9a0", "#1a80c4"] {
            let light = light_from(hex, 0.5).expect("a colour");
            assert_eq!(hex_of(light.colour), hex);
        }
    }
}
