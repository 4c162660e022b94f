//! Conditional GETs for whole-resource reads (the catalogs): the answer carries a strong `ETag`,
//! the SHA-256 of its body, and a request whose `If-None-Match` names it gets `304 Not Modified`
//! with no body. The app re-checks the catalogs on every sync; on a phone network the saving is
//! the whole document.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// `value` as JSON with its `ETag`, or 304 when the request already holds that version.
pub fn json_with_etag<T: Serialize>(request_headers: &HeaderMap, value: &T) -> Result<Response> {
    let body = serde_json::to_vec(value).map_err(|e| Error::CorruptData(format!("serializing: {e}")))?;
    let digest = Sha256::digest(&body);
    let tag = format!(
        "\"{}\"",
        base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, &digest[..18])
    );
    let etag = HeaderValue::from_str(&tag).map_err(|e| Error::CorruptData(e.to_string()))?;
    let matches = request_headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|candidate| candidate.trim().trim_start_matches("W/"))
        .any(|candidate| candidate == tag || candidate == "*");
    // `no-cache`: the client may keep it but must ask (cheaply, with the tag) before using it.
    let cache_control = HeaderValue::from_static("no-cache");
    if matches {
        return Ok((
            StatusCode::NOT_MODIFIED,
            [(header::ETAG, etag), (header::CACHE_CONTROL, cache_control)],
        )
            .into_response());
    }
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("application/json")),
            (header::ETAG, etag),
            (header::CACHE_CONTROL, cache_control),
        ],
        body,
    )
        .into_response())
}
