//! Photos the UI hands the shell as a raw IPC body (a task's proof, a completion's picture):
//! reading the request's headers, and making the photo ready to upload: checked under the
//! shared decoding rules, upright, small, and re-encoded so that no location or camera data
//! leaves the device.

use hearth_core::images::{DecodeError, for_upload};
use hearth_core::ipc::ErrorCode;

use crate::{Error, Result};

/// Largest proof photo accepted from the UI, in bytes (the server accepts up to 20 MiB; what
/// leaves the device is re-encoded and far smaller).
pub const MAX_PROOF_BYTES: usize = 20 * 1024 * 1024;
/// Longest side of the photo that is sent.
const PROOF_SIDE: u32 = 2048;

fn refused_photo(error: &DecodeError) -> Error {
    Error::Refused(match error {
        DecodeError::TooLarge(_) => ErrorCode::PhotoTooLarge,
        _ => ErrorCode::NotAPhoto,
    })
}

/// The value of the request's header `name` (refused as an invalid argument if absent).
pub fn header(request: &tauri::ipc::Request<'_>, name: &str) -> Result<String> {
    request
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .ok_or_else(|| Error::Refused(ErrorCode::InvalidArgument))
}

/// A photo from the UI made ready to upload: at most [`MAX_PROOF_BYTES`] in, decoded under the
/// shared rules off the async runtime, turned upright, at most 2048 px, re-encoded as JPEG.
pub async fn prepare_photo(bytes: Vec<u8>) -> Result<Vec<u8>> {
    if bytes.len() > MAX_PROOF_BYTES {
        return Err(Error::Refused(ErrorCode::PhotoTooLarge));
    }
    tauri::async_runtime::spawn_blocking(move || for_upload(&bytes, PROOF_SIDE))
        .await
        .map_err(|_| Error::Refused(ErrorCode::NotAPhoto))?
        .map_err(|e| refused_photo(&e))
}
