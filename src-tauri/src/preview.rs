//! The room preview's host: the editor's state, the renderer (opened on first use, offscreen;
//! lavapipe where there is no GPU), the commands the screen calls, and the `preview:` URI scheme
//! that serves rendered frames to the webview as PNG images.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use hearth_core::ipc::{ErrorCode, ExportedImage, PreviewLight, PreviewState, SharedPost};
use hearth_preview::editor::Editor;
use hearth_preview::models::Catalog;
use hearth_preview::render::Renderer;
use tauri::http::{Request, Response, StatusCode, header};
use tauri::ipc::InvokeBody;
use tauri::{AppHandle, Manager, Runtime, State};

use crate::{Error, Result};

/// The URI scheme frames are served on: `preview://localhost/frame?w=<width>&rev=<revision>`
/// (`http://preview.localhost/…` on Windows and Android).
pub const SCHEME: &str = "preview";
/// Largest photo accepted from the UI, in bytes (a 48 MP JPEG is about 25 MB).
pub const MAX_PHOTO_BYTES: usize = 40 * 1024 * 1024;
/// Widest frame served; the UI asks for its element's width in device pixels.
pub const MAX_FRAME_WIDTH: u32 = 2560;
const MIN_FRAME_WIDTH: u32 = 64;

/// The preview's state in the shell.
#[derive(Debug)]
pub struct PreviewHost {
    editor: Mutex<Editor>,
    revision: AtomicU64,
    renderer: tokio::sync::OnceCell<std::result::Result<Arc<Renderer>, String>>,
    export_dir: Option<PathBuf>,
}

impl PreviewHost {
    /// A preview in the demo room with the shipped catalog. `export_dir` overrides where share
    /// images go (the user's pictures folder otherwise).
    pub fn new(export_dir: Option<PathBuf>) -> Result<Self> {
        let catalog = Catalog::builtin().map_err(|e| Error::Render(e.to_string()))?;
        Ok(PreviewHost {
            editor: Mutex::new(Editor::new(Arc::new(catalog))),
            revision: AtomicU64::new(1),
            renderer: tokio::sync::OnceCell::new(),
            export_dir,
        })
    }

    fn editor(&self) -> std::sync::MutexGuard<'_, Editor> {
        self.editor.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The state after `edit`, counted as a new revision when it succeeds.
    fn edit(
        &self,
        edit: impl FnOnce(&mut Editor) -> Result<(), hearth_preview::editor::EditError>,
    ) -> Result<PreviewState> {
        let mut editor = self.editor();
        edit(&mut editor).map_err(Error::Preview)?;
        let revision = self.revision.fetch_add(1, Ordering::SeqCst) + 1;
        Ok(editor.state(revision))
    }

    fn state(&self) -> PreviewState {
        self.editor().state(self.revision.load(Ordering::SeqCst))
    }

    async fn renderer(&self) -> Result<Arc<Renderer>> {
        self.renderer
            .get_or_init(|| async {
                let renderer = Renderer::new().await.map_err(|e| e.to_string())?;
                tracing::info!(adapter = renderer.adapter_name(), "room preview renderer ready");
                Ok(Arc::new(renderer))
            })
            .await
            .clone()
            .map_err(Error::Render)
    }

    /// The current scene rendered `width` pixels wide (the height follows the image), as a PNG.
    pub async fn frame_png(&self, width: u32) -> Result<Vec<u8>> {
        let renderer = self.renderer().await?;
        let scene = self.editor().scene();
        let width = width.clamp(MIN_FRAME_WIDTH, MAX_FRAME_WIDTH);
        let (w, h) = scene.image_size;
        let height = ((u64::from(width) * u64::from(h)) / u64::from(w.max(1)))
            .clamp(1, u64::from(MAX_FRAME_WIDTH)) as u32;
        blocking(move || {
            let frame =
                renderer.render_image(&scene, width, height).map_err(|e| Error::Render(e.to_string()))?;
            let mut png = Vec::new();
            // Interactive frames: fast compression matters more than size.
            let encoder = image::codecs::png::PngEncoder::new_with_quality(
                &mut png,
                image::codecs::png::CompressionType::Fast,
                image::codecs::png::FilterType::Sub,
            );
            frame.write_with_encoder(encoder).map_err(|e| Error::Render(e.to_string()))?;
            Ok(png)
        })
        .await
    }
}

/// Runs CPU- or GPU-bound work off the async runtime.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tauri::async_runtime::spawn_blocking(work).await.map_err(|e| Error::Render(e.to_string()))?
}

/// Answers a `preview:` request: `/frame?w=…` is the current frame; anything else is not found.
pub async fn serve<R: Runtime>(app: &AppHandle<R>, request: &Request<Vec<u8>>) -> Response<Vec<u8>> {
    let text = |status: StatusCode, body: String| {
        Response::builder()
            .status(status)
            .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
            .body(body.into_bytes())
            .unwrap_or_default()
    };
    if request.uri().path() != "/frame" {
        return text(StatusCode::NOT_FOUND, "not found".into());
    }
    let width = request
        .uri()
        .query()
        .into_iter()
        .flat_map(|q| form_urlencoded::parse(q.as_bytes()))
        .find(|(key, _)| key == "w")
        .and_then(|(_, value)| value.parse::<u32>().ok())
        .unwrap_or(1280);
    match app.state::<PreviewHost>().frame_png(width).await {
        Ok(png) => Response::builder()
            .header(header::CONTENT_TYPE, "image/png")
            .header(header::CACHE_CONTROL, "no-store")
            .body(png)
            .unwrap_or_default(),
        Err(error) => {
            tracing::error!(%error, "cannot render the room preview");
            text(StatusCode::INTERNAL_SERVER_ERROR, error.to_string())
        }
    }
}

/// The preview as it stands.
#[tauri::command]
pub fn preview_state(host: State<'_, PreviewHost>) -> PreviewState {
    host.state()
}

/// Starts again in the demo room.
#[tauri::command]
pub fn preview_use_demo(host: State<'_, PreviewHost>) -> Result<PreviewState> {
    host.edit(|editor| {
        editor.use_demo();
        Ok(())
    })
}

/// Uses the photo sent as the request's raw body.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn preview_import_photo(
    request: tauri::ipc::Request<'_>,
    host: State<'_, PreviewHost>,
) -> Result<PreviewState> {
    let InvokeBody::Raw(bytes) = request.body() else {
        return Err(Error::Refused(ErrorCode::InvalidArgument));
    };
    if bytes.len() > MAX_PHOTO_BYTES {
        return Err(Error::Preview(hearth_preview::editor::EditError::Photo(
            hearth_core::images::DecodeError::TooLarge(format!("{} MiB", bytes.len() / (1024 * 1024))),
        )));
    }
    // Decoding a large photo takes a while: do it off the runtime, on a copy of the editor, and
    // swap it in only when it worked.
    let bytes = bytes.clone();
    let mut editor = host.editor().clone();
    let editor = blocking(move || {
        editor.import_photo(&bytes).map_err(Error::Preview)?;
        Ok(editor)
    })
    .await?;
    host.edit(|current| {
        *current = editor;
        Ok(())
    })
}

/// Calibrates the photo on a floor rectangle: its corners in the image (in order around it) and
/// its real width and depth in metres.
#[tauri::command]
pub fn preview_calibrate(
    corners: [[f64; 2]; 4],
    width_m: f64,
    depth_m: f64,
    host: State<'_, PreviewHost>,
) -> Result<PreviewState> {
    host.edit(|editor| editor.calibrate(corners, width_m, depth_m))
}

/// Marks the wall standing on the floor line between two points.
#[tauri::command]
pub fn preview_set_wall(from: [f64; 2], to: [f64; 2], host: State<'_, PreviewHost>) -> Result<PreviewState> {
    host.edit(|editor| editor.set_wall(from, to))
}

/// Places a product where the user pointed.
#[tauri::command]
pub fn preview_place(product: String, at: [f64; 2], host: State<'_, PreviewHost>) -> Result<PreviewState> {
    host.edit(|editor| editor.place(&product, at).map(|_| ()))
}

/// Moves a placed product.
#[tauri::command]
pub fn preview_move(id: u32, at: [f64; 2], host: State<'_, PreviewHost>) -> Result<PreviewState> {
    host.edit(|editor| editor.move_to(id, at))
}

/// Turns a floor product.
#[tauri::command]
pub fn preview_rotate(id: u32, degrees: f64, host: State<'_, PreviewHost>) -> Result<PreviewState> {
    host.edit(|editor| editor.rotate(id, degrees))
}

/// Takes a product out.
#[tauri::command]
pub fn preview_remove(id: u32, host: State<'_, PreviewHost>) -> Result<PreviewState> {
    host.edit(|editor| editor.remove(id))
}

/// Sets a light's colour and brightness, or turns it off.
#[tauri::command]
pub fn preview_set_light(
    id: u32,
    light: Option<PreviewLight>,
    host: State<'_, PreviewHost>,
) -> Result<PreviewState> {
    host.edit(|editor| editor.set_light(id, light.as_ref()))
}

/// Renders the share image at the photo's resolution and saves it as a PNG in the user's
/// pictures (`Hearth/room-preview-<time>.png`).
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn preview_export<R: Runtime>(
    app: AppHandle<R>,
    host: State<'_, PreviewHost>,
) -> Result<ExportedImage> {
    let folder = match &host.export_dir {
        Some(dir) => dir.clone(),
        None => app
            .path()
            .picture_dir()
            .or_else(|_| app.path().download_dir())
            .or_else(|_| app.path().app_data_dir())?
            .join("Hearth"),
    };
    let renderer = host.renderer().await?;
    let scene = host.editor().scene();
    let (width, height) = scene.photo.as_ref().map_or(scene.image_size, |p| (p.width(), p.height()));
    let stamp = jiff::Timestamp::now().strftime("%Y%m%d-%H%M%S").to_string();
    let path = folder.join(format!("room-preview-{stamp}.png"));
    let written = path.clone();
    blocking(move || {
        let png = renderer.export_png(&scene).map_err(|e| Error::Render(e.to_string()))?;
        std::fs::create_dir_all(&folder)?;
        // Written beside, then moved into place: a half-written share image is never seen.
        let partial = folder.join(format!(".room-preview-{stamp}.png.part"));
        std::fs::write(&partial, png)?;
        std::fs::rename(&partial, &written)?;
        Ok(())
    })
    .await?;
    Ok(ExportedImage { path: path.display().to_string(), width, height })
}

/// The longest side of a shared picture: the community's photos are at most 2048 px.
const SHARE_SIDE: u32 = 2048;

/// Shares the picture to the community feed as a post with `text` (signed in and online only).
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn preview_share<R: Runtime>(
    app: AppHandle<R>,
    text: String,
    host: State<'_, PreviewHost>,
) -> Result<SharedPost> {
    let account = crate::session::signed_in(&app)?;
    let renderer = host.renderer().await?;
    let scene = host.editor().scene();
    let (w, h) = scene.photo.as_ref().map_or(scene.image_size, |p| (p.width(), p.height()));
    let scale = (f64::from(SHARE_SIDE) / f64::from(w.max(h))).min(1.0);
    let (width, height) = ((f64::from(w) * scale).round() as u32, (f64::from(h) * scale).round() as u32);
    let jpeg = blocking(move || {
        let frame = renderer
            .render_image(&scene, width.max(1), height.max(1))
            .map_err(|e| Error::Render(e.to_string()))?;
        let mut jpeg = Vec::new();
        image::DynamicImage::ImageRgba8(frame)
            .into_rgb8()
            .write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90))
            .map_err(|e| Error::Render(e.to_string()))?;
        Ok(jpeg)
    })
    .await?;
    let cell = app.state::<crate::sync::EngineCell>();
    let engine = cell.get()?;
    let post = crate::community::publish(engine, &account, Some(jpeg), &text).await?;
    Ok(SharedPost { post_id: post.id })
}
