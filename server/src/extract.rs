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
    let read = serde_path_to_error::deserialize(value.clone()).map_err(|error| {
        let path = error.path().to_string();
        let message = error.into_inner().to_string();
        Error::InvalidField { field: field_name(&path, &message), reason: message }
    })?;
    // Only fields the API has: others are ignored by the types that allow them (and refused by
    // the rest), so what they hold is never read.
    match text_with_nul(&value, &mut Vec::new()) {
        Some(field) => Err(Error::InvalidField { field, reason: NUL_REASON.into() }),
        None => Ok(read),
    }
}

/// Text never holds U+0000: PostgreSQL cannot store it, and no name, text or id has a use for it.
/// The document says so of every string ([`NO_NUL_PATTERN`]); bodies, queries and paths with it
/// are refused at the edge.
pub const NO_NUL_PATTERN: &str = "^[^\\u0000]*$";

const NUL_REASON: &str = "text must not contain the NUL character (U+0000)";

/// One step into a JSON value: a field or an index.
enum Step {
    Field(String),
    Index(usize),
}

/// Every field name the API document gives a schema, once the document is made ([`know_fields`]).
static FIELDS: std::sync::OnceLock<std::collections::HashSet<String>> = std::sync::OnceLock::new();

/// Learns the field names of `document`'s schemas, for [`text_with_nul`].
pub fn know_fields(document: &serde_json::Value) {
    fn collect(value: &serde_json::Value, into: &mut std::collections::HashSet<String>) {
        match value {
            serde_json::Value::Object(fields) => {
                if let Some(serde_json::Value::Object(properties)) = fields.get("properties") {
                    into.extend(properties.keys().cloned());
                }
                fields.values().for_each(|v| collect(v, into));
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| collect(v, into)),
            _ => {}
        }
    }
    let mut names = std::collections::HashSet::new();
    collect(document, &mut names);
    let _ = FIELDS.set(names);
}

/// The path (`ops[2].events[0].id`) of the first string in `value` that holds U+0000, looking
/// only under the API's own field names (once known).
fn text_with_nul(value: &serde_json::Value, at: &mut Vec<Step>) -> Option<String> {
    use serde_json::Value;
    let wire = |at: &[Step]| {
        let mut out = String::new();
        for step in at {
            match step {
                Step::Field(f) if out.is_empty() => out.push_str(f),
                Step::Field(f) => out.push_str(&format!(".{f}")),
                Step::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        if out.is_empty() { ".".to_owned() } else { out }
    };
    match value {
        Value::String(text) => text.contains('\0').then(|| wire(at)),
        Value::Array(items) => items.iter().enumerate().find_map(|(i, item)| {
            at.push(Step::Index(i));
            let found = text_with_nul(item, at);
            at.pop();
            found
        }),
        Value::Object(fields) => fields.iter().find_map(|(key, item)| {
            if FIELDS.get().is_some_and(|known| !known.contains(key)) {
                return None;
            }
            at.push(Step::Field(key.clone()));
            let found = text_with_nul(item, at);
            at.pop();
            found
        }),
        Value::Null | Value::Bool(_) | Value::Number(_) => None,
    }
}

/// Refuses a request whose path or query holds U+0000 (`%00`): no resource is named so (a
/// 404), and no query parameter takes it (a 422).
pub async fn refuse_nul(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let uri = request.uri();
    if uri.path().to_ascii_lowercase().contains("%00") {
        return Error::NotFound.into_response();
    }
    if let Some(query) = uri.query()
        && let Some((name, _)) =
            form_urlencoded::parse(query.as_bytes()).find(|(k, v)| k.contains('\0') || v.contains('\0'))
    {
        return Error::InvalidField { field: name.into_owned(), reason: NUL_REASON.into() }.into_response();
    }
    next.run(request).await
}

/// Adds [`NO_NUL_PATTERN`] to every string schema of the document that states no pattern, enum
/// or format of its own (those exclude U+0000 already), so the document says what the edge
/// refuses.
pub fn document_no_nul(document: &mut serde_json::Value) {
    use serde_json::Value;
    match document {
        Value::Object(fields) => {
            let is_string = match fields.get("type") {
                Some(Value::String(kind)) => kind == "string",
                Some(Value::Array(kinds)) => kinds.iter().any(|k| k == "string"),
                _ => false,
            };
            let stated = ["pattern", "enum", "format", "const"].iter().any(|k| fields.contains_key(*k));
            if is_string && !stated {
                fields.insert("pattern".into(), Value::String(NO_NUL_PATTERN.into()));
            }
            fields.values_mut().for_each(document_no_nul);
        }
        Value::Array(items) => items.iter_mut().for_each(document_no_nul),
        Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => {}
    }
}

/// JSON has one number type, and the document's JSON Schema counts `2.0` as the integer 2 (as
/// OpenAPI 3.1 says); serde's integers take only `2`. Whole numbers written with a fraction are
/// therefore read as the integers they are; any other number stays as it came.
fn whole_numbers_as_integers(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Number(number) if number.is_f64() => {
            // Up to 2^53 (JavaScript's safe integers and one more, a favourite boundary): past it a
            // float no longer says which integer was written, and a huge integer literal (which
            // serde reads as a float) must stay out of range.
            const EXACT: f64 = 9_007_199_254_740_992.0;
            if let Some(f) = number.as_f64().filter(|f| f.fract() == 0.0 && f.abs() <= EXACT) {
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
    fn text_with_nul_is_found_where_it_is() {
        let value = serde_json::json!({ "ops": [{ "id": "a" }, { "events": [{ "kind": "x\u{0}y" }] }] });
        assert_eq!(text_with_nul(&value, &mut Vec::new()).as_deref(), Some("ops[1].events[0].kind"));
        assert_eq!(text_with_nul(&serde_json::json!({ "a": ["b", 1, null] }), &mut Vec::new()), None);
        let mut document = serde_json::json!({ "properties": {
            "type": { "type": "string" },
            "id": { "type": "string", "format": "uuid" },
            "name": { "type": ["string", "null"], "pattern": "^a$" },
        } });
        document_no_nul(&mut document);
        assert_eq!(document["properties"]["type"]["pattern"], NO_NUL_PATTERN);
        assert!(document["properties"]["id"].get("pattern").is_none());
        assert_eq!(document["properties"]["name"]["pattern"], "^a$");
    }

    #[test]
    fn whole_numbers_with_a_fraction_are_integers_and_others_are_not() {
        let count = |json: &str| parse::<Item>(json.as_bytes()).map(|item| item.count);
        assert_eq!(count(r#"{"count": 4110.0}"#).ok(), Some(4110));
        assert_eq!(count(r#"{"count": 4.11e3}"#).ok(), Some(4110));
        assert_eq!(count(r#"{"count": 7}"#).ok(), Some(7));
        let mut big: serde_json::Value = serde_json::from_str("9007199254740992.0").expect("a number");
        whole_numbers_as_integers(&mut big);
        assert_eq!(big, serde_json::json!(9_007_199_254_740_992_i64), "2^53 is a whole number too");
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
