//! Hearth's room preview: true-to-scale smart-home products placed in a photo of the user's room.
//! [`geometry`] turns four points marked on a floor rectangle into the camera's focal length and
//! pose and picks from a pixel to the floor or a wall; [`models`] loads the products' glTF
//! models and catalog from `assets/models/`; [`render`] draws them over the photo (or the demo
//! room) with MSAA, contact shadows, a lamp's light on floor and wall, and a camera's or sensor's
//! floor area; [`editor`] is the screen's state: the photo, the calibration, the wall, and the
//! placed products, edited by picking.
//!
//! It must not own a window or a surface: `Renderer::render(&TextureView, &Scene)` renders into a
//! texture the caller provides, so the shell renders offscreen and serves frames to the webview,
//! and tests render headless on Mesa's lavapipe. Geometry lives in plain functions tested without
//! a GPU.

pub mod editor;
pub mod geometry;
pub mod models;
pub mod render;
