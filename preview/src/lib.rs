//! Hearth's room preview renderer (not built yet; see the room-preview issue).
//!
//! It will own: true-to-scale product models (glTF/GLB from `assets/`), the room photo and its
//! floor and wall calibration (a homography from four marked floor points to camera pose and
//! focal length), placing and picking products on those planes, lighting matched to the photo, a
//! smart lamp's colour cast, a camera's field of view and a sensor's range drawn on the floor,
//! MSAA, compositing over the photo, and share images at the photo's resolution.
//!
//! It must not own a window or a surface: `Renderer::render(&TextureView, &Scene)` renders into a
//! texture the caller provides, so the shell renders offscreen and serves frames to the webview,
//! and tests render headless on Mesa's lavapipe. Geometry lives in plain functions tested without
//! a GPU.
