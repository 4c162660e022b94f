//! Hearth's room preview renderer. Built so far: the room's geometry ([`geometry`]): from four
//! points marked on a floor rectangle to the camera's focal length and pose, and picking from a
//! pixel to the floor or a wall. To come (see the room-preview issue): true-to-scale product
//! models (glTF/GLB from `assets/`), lighting matched to the photo, a smart lamp's colour cast,
//! a camera's field of view and a sensor's range drawn on the floor, MSAA, compositing over the
//! photo, and share images at the photo's resolution.
//!
//! It must not own a window or a surface: `Renderer::render(&TextureView, &Scene)` renders into a
//! texture the caller provides, so the shell renders offscreen and serves frames to the webview,
//! and tests render headless on Mesa's lavapipe. Geometry lives in plain functions tested without
//! a GPU.

pub mod geometry;
pub mod render;
