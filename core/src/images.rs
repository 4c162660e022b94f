//! Decoding photos people give the app (room photos, post photos) under one set of rules: the
//! format by content, never by name; JPEG, PNG and WebP only; a size ceiling checked from the
//! header before any pixel is decoded (a decompression bomb is refused, not attempted); and the
//! camera's EXIF orientation applied so the picture stands upright.

use std::io::Cursor;

use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

/// Longest side of a decoded photo, in pixels.
pub const MAX_DECODED_SIDE: u32 = 12_000;
/// Most pixels of a decoded photo (64 megapixels).
pub const MAX_DECODED_PIXELS: u64 = 64_000_000;
/// The formats accepted, by their content.
const ACCEPTED: [ImageFormat; 3] = [ImageFormat::Jpeg, ImageFormat::Png, ImageFormat::WebP];

/// Why a photo cannot be used.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum DecodeError {
    /// Not an image in an accepted format.
    #[error("not a JPEG, PNG or WebP image")]
    NotAnImage,
    /// An image, but in a format not accepted.
    #[error("{0} images are not accepted; send JPEG, PNG or WebP")]
    Unsupported(String),
    /// Larger than the decoder may allocate.
    #[error("the image is too large: {0}")]
    TooLarge(String),
    /// Claims to be an image but does not decode.
    #[error("the image is damaged: {0}")]
    Corrupt(String),
}

/// Decodes `bytes` under the rules above and turns the picture upright.
pub fn decode_upright(bytes: &[u8]) -> Result<DynamicImage, DecodeError> {
    let mut reader =
        ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|_| DecodeError::NotAnImage)?;
    let format = reader.format().ok_or(DecodeError::NotAnImage)?;
    if !ACCEPTED.contains(&format) {
        return Err(DecodeError::Unsupported(format!("{format:?}").to_uppercase()));
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DECODED_SIDE);
    limits.max_image_height = Some(MAX_DECODED_SIDE);
    limits.max_alloc = Some(MAX_DECODED_PIXELS * 4 + 16 * 1024 * 1024);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(decode_error)?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > MAX_DECODED_PIXELS {
        return Err(DecodeError::TooLarge(format!(
            "{width}×{height} px is more than {} megapixels",
            MAX_DECODED_PIXELS / 1_000_000
        )));
    }
    // A missing or unreadable orientation tag means "as stored".
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(decode_error)?;
    image.apply_orientation(orientation);
    Ok(image)
}

fn decode_error(error: image::ImageError) -> DecodeError {
    match error {
        image::ImageError::Limits(e) => DecodeError::TooLarge(e.to_string()),
        image::ImageError::Unsupported(e) => DecodeError::Unsupported(e.to_string()),
        other => DecodeError::Corrupt(other.to_string()),
    }
}
/// Scales `image` down, keeping its shape, until neither side exceeds `side`; never up.
pub fn shrink_to(image: DynamicImage, side: u32, filter: FilterType) -> DynamicImage {
    if image.width() > side || image.height() > side { image.resize(side, side, filter) } else { image }
}

/// The picture without transparency: flattened onto white, as a viewer shows a transparent PNG
/// (JPEG has no alpha).
pub fn flatten(image: DynamicImage) -> DynamicImage {
    if !image.color().has_alpha() {
        return DynamicImage::ImageRgb8(image.into_rgb8());
    }
    let rgba = image.into_rgba8();
    let mut rgb = image::RgbImage::new(rgba.width(), rgba.height());
    for (out, px) in rgb.pixels_mut().zip(rgba.pixels()) {
        let [r, g, b, a] = px.0;
        let blend = |c: u8| ((u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a)) + 127) / 255) as u8;
        *out = image::Rgb([blend(r), blend(g), blend(b)]);
    }
    DynamicImage::ImageRgb8(rgb)
}

/// `image` as a JPEG of `quality`: only pixels, none of the metadata the original carried.
pub fn jpeg(image: &DynamicImage, quality: u8) -> Result<Vec<u8>, DecodeError> {
    let mut out = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality);
    image.write_with_encoder(encoder).map_err(|e| DecodeError::Corrupt(format!("re-encoding: {e}")))?;
    Ok(out)
}

/// A photo the user gives the app, made ready to send: decoded under the rules above, upright,
/// at most `max_side` px, re-encoded as JPEG (so no location or camera data leaves the device).
pub fn for_upload(bytes: &[u8], max_side: u32) -> Result<Vec<u8>, DecodeError> {
    let image = flatten(decode_upright(bytes)?);
    jpeg(&shrink_to(image, max_side, FilterType::CatmullRom), 85)
}
