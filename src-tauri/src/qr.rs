//! QR codes as SVG: reward codes for a store's counter, invitations and sign-in links for a
//! phone's camera. Below the features.

use hearth_core::ipc::ErrorCode;

use crate::error::{Error, Result};

/// `code` as a QR image (SVG), dark on light with a quiet zone, big enough for a phone's camera
/// or a counter's scanner.
pub fn svg(code: &str) -> Result<String> {
    if code.is_empty() || code.len() > 512 {
        return Err(Error::Refused(ErrorCode::InvalidArgument));
    }
    let qr = qrcode::QrCode::with_error_correction_level(code.as_bytes(), qrcode::EcLevel::M)
        .map_err(|_| Error::Refused(ErrorCode::InvalidArgument))?;
    Ok(qr
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(320, 320)
        .dark_color(qrcode::render::svg::Color("#000000"))
        .light_color(qrcode::render::svg::Color("#ffffff"))
        .quiet_zone(true)
        .build())
}
