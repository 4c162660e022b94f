//! Decoding photos people give the app (room photos, post photos) under one set of rules: the
//! format by content, never by name; JPEG, PNG and WebP only; a size ceiling checked from the
//! header before any pixel is decoded (a decompression bomb is refused, not attempted); and the
//! camera's EXIF orientation applied so the picture stands upright.

use std::io::Cursor;

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
