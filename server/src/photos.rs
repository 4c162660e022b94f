//! Photos: uploads go through the image crate before anything is kept. What is not an image, or
//! would decode too large, is refused; what is kept is turned upright (EXIF orientation), scaled
//! to at most [`MAX_SIDE`] px, given a [`THUMB_SIDE`] px thumbnail, and re-encoded as JPEG, which
//! drops every byte of metadata the upload carried (EXIF, GPS, XMP, ICC). Files live in the media
//! directory under the photo's id; the database remembers who uploaded them and which post took
//! them.

use std::path::{Path as FsPath, PathBuf};

use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hearth_core::api::ErrorBody;
use hearth_core::community::Photo;
use hearth_core::images::{decode_upright, flatten, shrink_to};
use image::DynamicImage;
use image::imageops::FilterType;
use sqlx::Row as _;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{Error, Result};
use crate::extract::{AppJson, RawBody};
use crate::session::AuthUser;

/// Largest upload accepted, in bytes (a 48-megapixel phone JPEG is about 12 MiB).
pub const MAX_UPLOAD_BYTES: usize = 20 * 1024 * 1024;
/// Longest side of a stored photo.
pub const MAX_SIDE: u32 = 2048;
/// Longest side of a thumbnail.
pub const THUMB_SIDE: u32 = 400;
/// JPEG quality of what is stored: visually lossless at these sizes.
const JPEG_QUALITY: u8 = 85;

/// Routes of this resource.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(upload))
        .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES))
        .routes(routes!(full))
        .routes(routes!(thumbnail))
}

/// A photo ready to store: both JPEG files and their sizes.
#[derive(Debug)]
pub struct Processed {
    /// The full image, at most [`MAX_SIDE`] px on its long side.
    pub full: Vec<u8>,
    /// The thumbnail, at most [`THUMB_SIDE`] px.
    pub thumb: Vec<u8>,
    /// Sizes of both.
    pub photo: Photo,
}

/// Why an upload was refused: the shared decoding rules' error.
pub use hearth_core::images::DecodeError as PhotoError;

impl From<PhotoError> for Error {
    fn from(error: PhotoError) -> Self {
        match error {
            PhotoError::TooLarge(_) => Error::ImageTooLarge(error.to_string()),
            other => Error::BadImage(other.to_string()),
        }
    }
}

/// Decodes, checks, turns upright, scales and re-encodes one upload. CPU-bound: call it off the
/// async runtime.
pub fn process(bytes: &[u8]) -> Result<Processed, PhotoError> {
    let image = flatten(decode_upright(bytes)?);
    let full = shrink_to(image, MAX_SIDE, FilterType::CatmullRom);
    let thumb = shrink_to(full.clone(), THUMB_SIDE, FilterType::Triangle);
    Ok(Processed {
        photo: Photo {
            id: String::new(),
            width: full.width(),
            height: full.height(),
            thumb_width: thumb.width(),
            thumb_height: thumb.height(),
        },
        full: encode(&full)?,
        thumb: encode(&thumb)?,
    })
}

fn encode(image: &DynamicImage) -> Result<Vec<u8>, PhotoError> {
    hearth_core::images::jpeg(image, JPEG_QUALITY)
}

/// Where photo files live: `<dir>/<id>.jpg` and `<dir>/<id>.thumb.jpg`.
#[derive(Debug)]
pub struct MediaStore {
    dir: PathBuf,
}

impl MediaStore {
    /// Opens (creating) the directory.
    pub fn open(dir: &FsPath) -> Result<Self> {
        std::fs::create_dir_all(dir)?;
        Ok(Self { dir: dir.to_owned() })
    }

    fn path(&self, id: &str, thumb: bool) -> PathBuf {
        self.dir.join(if thumb { format!("{id}.thumb.jpg") } else { format!("{id}.jpg") })
    }

    /// Writes both files of a photo, each to a temporary name first and renamed into place, so
    /// that a crash never leaves half a photo under its real name.
    fn save(&self, id: &str, processed: &Processed) -> std::io::Result<()> {
        for (thumb, bytes) in [(false, &processed.full), (true, &processed.thumb)] {
            let path = self.path(id, thumb);
            let partial = path.with_extension("partial");
            std::fs::write(&partial, bytes)?;
            std::fs::rename(&partial, &path)?;
        }
        Ok(())
    }

    /// Removes both files of a photo; missing files are not an error.
    pub fn remove(&self, id: &str) {
        for thumb in [false, true] {
            match std::fs::remove_file(self.path(id, thumb)) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(error) => tracing::warn!(photo = id, %error, "could not remove a photo file"),
            }
        }
    }
}

#[utoipa::path(post, path = "/v1/photos", tag = "community", security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "A UUID the client made for this photo: sent again, the same photo is answered")),
    request_body(content = Vec<u8>, content_type = "image/jpeg", description = "A JPEG, PNG or WebP image, at most 20 MiB"),
    responses((status = 201, description = "Stored; list its id in a new post", body = Photo),
              (status = 200, description = "Uploaded before under the same Idempotency-Key (a retry): that photo", body = Photo),
              (status = 413, description = "The upload or its decoded image is too large", body = ErrorBody),
              (status = 422, description = "Not an image, an unaccepted format, or damaged", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn upload(
    State(state): State<AppState>,
    user: AuthUser,
    headers: HeaderMap,
    RawBody(body): RawBody,
) -> Result<(StatusCode, AppJson<Photo>)> {
    let client_key = match headers.get(IDEMPOTENCY_KEY) {
        None => None,
        Some(value) => Some(
            value
                .to_str()
                .ok()
                .and_then(|key| uuid::Uuid::parse_str(key).ok())
                .ok_or_else(|| Error::InvalidField {
                    field: IDEMPOTENCY_KEY.into(),
                    reason: "expected a UUID".into(),
                })?
                .to_string(),
        ),
    };
    if let Some(key) = &client_key
        && let Some(photo) = uploaded_under(&state, &user.user_id, key).await?
    {
        return Ok((StatusCode::OK, AppJson(photo)));
    }
    if body.is_empty() {
        return Err(Error::BadImage(PhotoError::NotAnImage.to_string()));
    }
    let id = uuid::Uuid::now_v7().to_string();
    // Decoding holds up to a few hundred MiB: a few at a time, the rest wait their turn.
    let _permit = state.photo_permits.acquire().await.map_err(|e| Error::Task(e.to_string()))?;
    let media = state.media.clone();
    let file_id = id.clone();
    let mut processed = tokio::task::spawn_blocking(move || -> Result<Processed> {
        let processed = process(&body)?;
        media.save(&file_id, &processed)?;
        Ok(processed)
    })
    .await
    .map_err(|e| Error::Task(e.to_string()))??;
    processed.photo.id = id;
    let photo = processed.photo;
    // A retry racing the first upload under the same key stores nothing: the first one's
    // photo is the answer.
    let stored = sqlx::query(
        "INSERT INTO photos (id, owner_id, width, height, thumb_width, thumb_height, created_at_ms, client_key) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (owner_id, client_key) DO NOTHING",
    )
    .bind(&photo.id)
    .bind(&user.user_id)
    .bind(i64::from(photo.width))
    .bind(i64::from(photo.height))
    .bind(i64::from(photo.thumb_width))
    .bind(i64::from(photo.thumb_height))
    .bind(crate::now_ms())
    .bind(&client_key)
    .execute(state.db.pool())
    .await;
    match stored {
        Ok(done) if done.rows_affected() == 1 => Ok((StatusCode::CREATED, AppJson(photo))),
        Ok(_) => {
            state.media.remove(&photo.id);
            let key = client_key.as_deref().unwrap_or_default();
            let first = uploaded_under(&state, &user.user_id, key).await?.ok_or(Error::NotFound)?;
            Ok((StatusCode::OK, AppJson(first)))
        }
        Err(error) => {
            state.media.remove(&photo.id);
            Err(error.into())
        }
    }
}

/// The header naming an upload's idempotency key.
const IDEMPOTENCY_KEY: &str = "idempotency-key";

/// The photo `owner` uploaded under `key`, if any.
async fn uploaded_under(state: &AppState, owner: &str, key: &str) -> Result<Option<Photo>> {
    let row = sqlx::query(
        "SELECT id, width, height, thumb_width, thumb_height FROM photos WHERE owner_id = $1 AND client_key = $2",
    )
    .bind(owner)
    .bind(key)
    .fetch_optional(state.db.pool())
    .await?;
    row.map(|row| photo_from_row(&row.try_get::<String, _>("id")?, &row)).transpose()
}

/// Photo `id` with its sizes from a row holding `width`, `height`, `thumb_width` and
/// `thumb_height`.
pub(crate) fn photo_from_row(id: &str, row: &sqlx::any::AnyRow) -> Result<Photo> {
    let size = |column: &str| -> Result<u32> {
        let value: i64 = row.try_get(column)?;
        u32::try_from(value).map_err(|_| Error::CorruptData(format!("photo {id} {column}")))
    };
    Ok(Photo {
        id: id.to_owned(),
        width: size("width")?,
        height: size("height")?,
        thumb_width: size("thumb_width")?,
        thumb_height: size("thumb_height")?,
    })
}

#[utoipa::path(get, path = "/v1/photos/{id}", tag = "community", security(("bearer" = [])),
    params(("id" = String, Path, description = "The photo")),
    responses((status = 200, description = "The JPEG", content_type = "image/jpeg"),
              (status = 404, description = "No such photo, or not one the caller may see", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn full(State(state): State<AppState>, user: AuthUser, Path(id): Path<String>) -> Result<Response> {
    serve(&state, &user, &id, false).await
}

#[utoipa::path(get, path = "/v1/photos/{id}/thumbnail", tag = "community", security(("bearer" = [])),
    params(("id" = String, Path, description = "The photo")),
    responses((status = 200, description = "The thumbnail JPEG", content_type = "image/jpeg"),
              (status = 404, description = "No such photo, or not one the caller may see", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn thumbnail(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> Result<Response> {
    serve(&state, &user, &id, true).await
}

/// Sends a photo's file if the caller uploaded it or may see the post that took it.
async fn serve(state: &AppState, user: &AuthUser, id: &str, thumb: bool) -> Result<Response> {
    let (owner_id, post_id): (String, Option<String>) =
        sqlx::query_as("SELECT owner_id, post_id FROM photos WHERE id = $1")
            .bind(id)
            .fetch_optional(state.db.pool())
            .await?
            .ok_or(Error::NotFound)?;
    let allowed = match post_id {
        Some(post_id) => crate::audience::is_post_visible(state.db.pool(), &user.user_id, &post_id).await?,
        None => owner_id == user.user_id,
    };
    if !allowed {
        return Err(Error::NotFound);
    }
    let bytes = tokio::fs::read(state.media.path(id, thumb)).await.map_err(|error| {
        // The row exists but the file does not: the media directory lost it.
        Error::CorruptData(format!("photo {id} file: {error}"))
    })?;
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/jpeg"));
    // A photo never changes under its id; only people allowed to see it get it.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=31536000, immutable"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    Ok(response)
}

#[cfg(test)]
mod tests {
    use image::{ImageEncoder, Rgb, RgbImage, Rgba, RgbaImage};

    use super::*;

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let mut out = Vec::new();
        let image = RgbImage::from_fn(width, height, |x, y| Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
            .write_image(image.as_raw(), width, height, image::ExtendedColorType::Rgb8)
            .expect("encode");
        out
    }

    /// Inserts an APP1 EXIF segment with one IFD0 entry, Orientation = `value`, right after SOI.
    fn with_exif_orientation(jpeg: &[u8], value: u16) -> Vec<u8> {
        let mut tiff = Vec::new();
        tiff.extend_from_slice(b"MM\0\x2a\0\0\0\x08"); // big-endian TIFF header, IFD0 at 8
        tiff.extend_from_slice(&1u16.to_be_bytes()); // one entry
        tiff.extend_from_slice(&0x0112u16.to_be_bytes()); // Orientation
        tiff.extend_from_slice(&3u16.to_be_bytes()); // SHORT
        tiff.extend_from_slice(&1u32.to_be_bytes()); // count 1
        tiff.extend_from_slice(&value.to_be_bytes());
        tiff.extend_from_slice(&[0, 0]); // padding of the value field
        tiff.extend_from_slice(&0u32.to_be_bytes()); // no next IFD
        let mut app1 = b"Exif\0\0".to_vec();
        app1.extend_from_slice(&tiff);
        let mut out = jpeg[..2].to_vec();
        out.extend_from_slice(&[0xFF, 0xE1]);
        out.extend_from_slice(&u16::try_from(app1.len() + 2).expect("small").to_be_bytes());
        out.extend_from_slice(&app1);
        out.extend_from_slice(&jpeg[2..]);
        out
    }

    #[test]
    fn large_photos_are_scaled_and_thumbnailed_keeping_their_shape() {
        let processed = process(&jpeg(3000, 1500)).expect("processed");
        assert_eq!((processed.photo.width, processed.photo.height), (2048, 1024));
        assert_eq!((processed.photo.thumb_width, processed.photo.thumb_height), (400, 200));
        let back = image::load_from_memory(&processed.full).expect("a JPEG");
        assert_eq!((back.width(), back.height()), (2048, 1024));
        let thumb = image::load_from_memory(&processed.thumb).expect("a JPEG");
        assert_eq!((thumb.width(), thumb.height()), (400, 200));
    }

    #[test]
    fn small_photos_keep_their_size() {
        let processed = process(&jpeg(640, 480)).expect("processed");
        assert_eq!((processed.photo.width, processed.photo.height), (640, 480));
        assert_eq!((processed.photo.thumb_width, processed.photo.thumb_height), (400, 300));
        let tiny = process(&jpeg(120, 90)).expect("processed");
        assert_eq!((tiny.photo.thumb_width, tiny.photo.thumb_height), (120, 90), "never scaled up");
    }

    #[test]
    fn exif_orientation_is_applied_and_all_metadata_dropped() {
        let upload = with_exif_orientation(&jpeg(300, 100), 6); // 6: rotate 90° clockwise
        assert!(upload.windows(4).any(|w| w == b"Exif"));
        let processed = process(&upload).expect("processed");
        assert_eq!((processed.photo.width, processed.photo.height), (100, 300), "turned upright");
        for file in [&processed.full, &processed.thumb] {
            assert!(!file.windows(4).any(|w| w == b"Exif"), "no EXIF left");
            assert!(!file.windows(4).any(|w| w == b"http"), "no XMP left");
        }
    }

    #[test]
    fn transparent_pngs_are_flattened_onto_white() {
        let image = RgbaImage::from_pixel(10, 10, Rgba([0, 0, 0, 0]));
        let mut png = Vec::new();
        image::codecs::png::PngEncoder::new(&mut png)
            .write_image(image.as_raw(), 10, 10, image::ExtendedColorType::Rgba8)
            .expect("encode");
        let processed = process(&png).expect("processed");
        let back = image::load_from_memory(&processed.full).expect("a JPEG").into_rgb8();
        assert!(back.pixels().all(|p| p.0.iter().all(|&c| c > 245)), "white, not black");
    }

    #[test]
    fn what_is_not_an_accepted_image_is_refused_plainly() {
        assert_eq!(process(b"hello, this is text").expect_err("text"), PhotoError::NotAnImage);
        assert_eq!(process(b"").expect_err("empty"), PhotoError::NotAnImage);
        let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;";
        assert!(matches!(process(gif).expect_err("gif"), PhotoError::Unsupported(f) if f.contains("GIF")));
        // A JPEG whose frame header is garbage. (A JPEG cut off mid-scan still decodes, with
        // its missing rows grey: the decoder is lenient there, and uploads cut off in transit
        // are refused before decoding because the body is shorter than announced.)
        let mut damaged = jpeg(200, 200);
        let sof = damaged.windows(2).position(|w| w == [0xFF, 0xC0]).expect("a baseline frame");
        damaged[sof + 4..sof + 12].fill(0);
        assert!(matches!(process(&damaged).expect_err("damaged"), PhotoError::Corrupt(_)));
    }

    #[test]
    fn decompression_bombs_are_refused_before_decoding() {
        // A valid PNG header claiming 20000×20000 pixels: refused from its header alone.
        let mut png = Vec::new();
        png.extend_from_slice(b"\x89PNG\r\n\x1a\n");
        let mut ihdr = b"IHDR".to_vec();
        ihdr.extend_from_slice(&20_000u32.to_be_bytes());
        ihdr.extend_from_slice(&20_000u32.to_be_bytes());
        ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
        png.extend_from_slice(&13u32.to_be_bytes());
        png.extend_from_slice(&ihdr);
        png.extend_from_slice(&crc32fast::hash(&ihdr).to_be_bytes());
        assert!(matches!(process(&png).expect_err("bomb"), PhotoError::TooLarge(_)));
    }
}
