//! Request extractors that answer bad input in the API's own error shape.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::Error;

/// JSON in and out. Unlike axum's `Json`, a body that is not JSON is a 400 `malformed-json`, and
/// JSON of the wrong shape is a 422 `invalid-field` naming the offending field (`items[2].id`).
#[derive(Debug, Clone, Copy, Default)]
pub struct AppJson<T>(pub T);

impl<T, S> FromRequest<S> for AppJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Error;

    async fn from_request(request: Request, state: &S) -> Result<Self, Error> {
        let is_json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"));
        if !is_json {
            return Err(Error::UnsupportedMediaType);
        }
        let bytes = Bytes::from_request(request, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                Error::PayloadTooLarge
            } else {
                Error::MalformedJson(rejection.body_text())
            }
        })?;
        parse(&bytes).map(AppJson)
    }
}

/// A raw body (an upload) whose refusal, when it is larger than the route allows or is cut off,
/// comes in the API's error shape.
#[derive(Debug, Clone)]
pub struct RawBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for RawBody {
    type Rejection = Error;

    async fn from_request(request: Request, state: &S) -> Result<Self, Error> {
        Bytes::from_request(request, state).await.map(RawBody).map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                Error::PayloadTooLarge
            } else {
                Error::BadImage(format!("the upload did not arrive whole: {}", rejection.body_text()))
            }
        })
    }
}

/// A query string; one that does not fit `T` is a 422 `invalid-field` naming the parameter.
#[derive(Debug, Clone, Copy, Default)]
pub struct AppQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> axum::extract::FromRequestParts<S> for AppQuery<T> {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, _state: &S) -> Result<Self, Error> {
        let query = parts.uri.query().unwrap_or_default();
        let deserializer = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(deserializer).map(AppQuery).map_err(|error| {
            let path = error.path().to_string();
            let message = error.into_inner().to_string();
            Error::InvalidField { field: field_name(&path, &message), reason: message }
        })
    }
}

/// A page size from a query's `limit`: `default` when absent, refused unless it is 1 to `max`.
/// Every paged read (feeds, comments, the wallet's history, sync pulls) sizes its pages here.
pub fn page_limit(limit: Option<u32>, default: u32, max: u32) -> Result<u32, Error> {
    match limit {
        None => Ok(default),
        Some(n) if (1..=max).contains(&n) => Ok(n),
        Some(_) => Err(Error::InvalidField { field: "limit".into(), reason: format!("expected 1 to {max}") }),
    }
}

fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    // Syntax first (trailing garbage after the document is malformed too), then the shape.
    let mut value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| Error::MalformedJson(e.to_string()))?;
    // Every body is an object; serde would also take a struct's fields as an array.
    if !value.is_object() {
        return Err(Error::InvalidField { field: ".".into(), reason: "expected a JSON object".into() });
    }
    whole_numbers_as_integers(&mut value);
    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        let message = error.into_inner().to_string();
        Error::InvalidField { field: field_name(&path, &message), reason: message }
    })
}

/// JSON has one number type, and the document's JSON Schema counts `2.0` as the integer 2 (as
/// OpenAPI 3.1 says); serde's integers take only `2`. Whole numbers written with a fraction are
/// therefore read as the integers they are; any other number stays as it came.
fn whole_numbers_as_integers(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Number(number) if number.is_f64() => {
            // Only where the integer is exact: from 2^53 a float no longer says which it was.
            const EXACT: f64 = 9_007_199_254_740_992.0;
            if let Some(f) = number.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < EXACT) {
                *number = serde_json::Number::from(f as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(whole_numbers_as_integers),
        Value::Object(fields) => fields.values_mut().for_each(whole_numbers_as_integers),
        Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => {}
    }
}

/// The field to blame: the path where deserializing failed, or for "missing field `x`" errors
/// (reported at the parent), the field they name.
fn field_name(path: &str, message: &str) -> String {
    let named = message.strip_prefix("missing field `").and_then(|rest| rest.split('`').next());
    match (path, named) {
        (".", Some(name)) => name.to_owned(),
        (path, Some(name)) => format!("{path}.{name}"),
        (path, None) => path.to_owned(),
    }
}

impl<T: Serialize> IntoResponse for AppJson<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Payload {
        name: String,
        items: Vec<Item>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Item {
        count: u32,
    }

    fn field_of(json: &str) -> String {
        match parse::<Payload>(json.as_bytes()) {
            Err(Error::InvalidField { field, .. }) => field,
            other => panic!("expected an invalid field, got {other:?}"),
        }
    }

    #[test]
    fn the_offending_field_is_named() {
        assert_eq!(field_of(r#"{"name": 3, "items": []}"#), "name");
        assert_eq!(field_of(r#"{"name": "a", "items": [{"count": 1}, {"count": -1}]}"#), "items[1].count");
        assert_eq!(field_of(r#"{"items": []}"#), "name");
        assert_eq!(field_of(r#"{"name": "a", "items": [], "admin": true}"#), "admin");
    }

    #[test]
    fn whole_numbers_with_a_fraction_are_integers_and_others_are_not() {
        let count = |json: &str| parse::<Item>(json.as_bytes()).map(|item| item.count);
        assert_eq!(count(r#"{"count": 4110.0}"#).ok(), Some(4110));
        assert_eq!(count(r#"{"count": 4.11e3}"#).ok(), Some(4110));
        assert_eq!(count(r#"{"count": 7}"#).ok(), Some(7));
        for json in [r#"{"count": 4110.5}"#, r#"{"count": -1.0}"#, r#"{"count": 1e300}"#] {
            assert!(matches!(count(json), Err(Error::InvalidField { .. })), "{json}");
        }
    }

    #[test]
    fn syntax_errors_and_trailing_garbage_are_malformed() {
        assert_eq!(field_of(r#"["a", []]"#), ".");
        for json in ["{", r#"{"name": "a", "items": []} extra"#, "", "nul"] {
            assert!(matches!(parse::<Payload>(json.as_bytes()), Err(Error::MalformedJson(_))), "{json:?}");
        }
    }
}
