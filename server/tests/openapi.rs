//! The OpenAPI document the server serves matches the routes it serves: every documented
//! operation answers (with anything but "no such route"), and the routes the app relies on are
//! documented with their error shape.

#[macro_use]
mod common;

use common::{Running, TestDb};
use reqwest::Method;
use serde_json::Value;

async fn the_document_describes_exactly_the_served_routes(db: TestDb) {
    let server = Running::start(db.url()).await;
    let (status, text) = server.get("/openapi.json").await;
    assert_eq!(status, 200, "{text}");
    let document: Value = serde_json::from_str(&text).expect("JSON");
    assert!(document["openapi"].as_str().is_some_and(|v| v.starts_with("3.")), "an OpenAPI 3 document");
    let paths = document["paths"].as_object().expect("paths");
    let mut operations = 0;
    for (path, item) in paths {
        for (method, operation) in item.as_object().expect("path item") {
            let method: Method = method.to_uppercase().parse().expect("an HTTP method");
            let concrete = path.replace("{id}", "some-id");
            let (status, _, _) = server.send(method.clone(), &concrete, None, None).await;
            // Without a session, a served protected route says 401 before anything else (an
            // unserved one would say 404 or 405); an open one answers anything but those.
            let responses = &operation["responses"];
            if operation.get("security").is_some() {
                assert_eq!(status, 401, "{method} {path} is documented as protected but answered {status}");
                assert!(responses["401"].is_object(), "{method} {path} does not document its 401");
            } else {
                assert!(
                    status != 404 && status != 405,
                    "{method} {path} is documented but not served ({status})"
                );
            }
            if matches!(method, Method::POST | Method::PUT | Method::PATCH | Method::DELETE) {
                assert!(
                    responses["429"].is_object(),
                    "{method} {path} does not document the write limit's 429"
                );
            }
            if operation["requestBody"]["content"]["application/json"].is_object() {
                for status in ["400", "413", "415"] {
                    assert!(responses[status].is_object(), "{method} {path} reads JSON but lacks {status}");
                }
            }
            assert!(responses["408"].is_object(), "{method} {path} does not document the timeout");
            operations += 1;
        }
    }
    assert!(operations >= 18, "only {operations} operations documented");
    for (path, method) in [
        ("/health", "get"),
        ("/v1/challenges", "get"),
        ("/v1/auth/sign-up", "post"),
        ("/v1/me", "patch"),
        ("/v1/events", "post"),
        ("/v1/wallet/history", "get"),
        ("/v1/rewards/{id}/redeem", "post"),
        ("/v1/staff/redemptions/consume", "post"),
        ("/v1/league", "get"),
        ("/v1/league/join", "post"),
    ] {
        let operation = &document["paths"][path][method];
        assert!(operation.is_object(), "{method} {path} is not documented");
    }
    // Page sizes state their bounds, as the handlers enforce them.
    for (path, max) in [
        ("/v1/feed", 50),
        ("/v1/posts/{id}/comments", 50),
        ("/v1/wallet/history", 100),
        ("/v1/sync/pull", 1000),
    ] {
        let parameters = document["paths"][path]["get"]["parameters"].as_array().expect("parameters");
        let limit = parameters.iter().find(|p| p["name"] == "limit").expect("a limit parameter");
        assert_eq!(
            (limit["schema"]["minimum"].as_i64(), limit["schema"]["maximum"].as_i64()),
            (Some(1), Some(max)),
            "{path}"
        );
    }
    // Error answers reference the one error shape.
    let sign_up = &document["paths"]["/v1/auth/sign-up"]["post"]["responses"]["422"];
    assert!(sign_up.to_string().contains("ErrorBody"), "{sign_up}");
    assert!(document["components"]["schemas"]["ErrorBody"].is_object());
    // The codes an error can carry are listed as they are spelled on the wire.
    let codes: Vec<&str> = document["components"]["schemas"]["ApiCode"]["enum"]
        .as_array()
        .expect("the error codes as an enum")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let spelled: Vec<&str> = hearth_core::api::ApiCode::ALL.iter().map(|code| code.as_str()).collect();
    assert_eq!(codes, spelled);
    assert!(document["components"]["securitySchemes"]["bearer"].is_object());
    the_schemas_spell_fields_as_the_wire_does(&document);
    the_schemas_state_the_rules_core_enforces(&document);
    every_pattern_refuses_nul(&document);
    server.stop().await;
    db.drop_database().await;
}

on_both_databases!(the_document_describes_exactly_the_served_routes);

/// Every property of every schema is spelled in camelCase, as serde writes and reads them: a
/// derive that missed a rename (an enum's fields) would document names the server refuses.
fn the_schemas_spell_fields_as_the_wire_does(document: &Value) {
    fn walk(value: &Value, at: &str) {
        match value {
            Value::Object(map) => {
                if let Some(Value::Object(properties)) = map.get("properties") {
                    for name in properties.keys() {
                        assert!(!name.contains('_'), "{at}: property `{name}` is not in camelCase");
                    }
                }
                map.iter().for_each(|(key, child)| walk(child, &format!("{at}/{key}")));
            }
            Value::Array(items) => items.iter().for_each(|child| walk(child, at)),
            _ => {}
        }
    }
    walk(&document["components"]["schemas"], "#/components/schemas");
}

/// The edge refuses U+0000 in every string, so every pattern the document states must refuse it
/// too, or a client that trusts the document sends what is then refused: each is anchored at both
/// ends (so no NUL slips in after the part it checks) and refuses a lone NUL.
fn every_pattern_refuses_nul(document: &Value) {
    fn walk(value: &Value, at: &str, found: &mut usize) {
        match value {
            Value::Object(map) => {
                if let (Some(Value::String(pattern)), Some(_)) = (map.get("pattern"), map.get("type")) {
                    assert!(
                        pattern.starts_with('^') && pattern.ends_with('$'),
                        "{at}: `{pattern}` is not anchored"
                    );
                    let rule =
                        regex::Regex::new(pattern).unwrap_or_else(|e| panic!("{at}: `{pattern}`: {e}"));
                    assert!(!rule.is_match("\0"), "{at}: `{pattern}` allows NUL");
                    *found += 1;
                }
                map.iter().for_each(|(key, child)| walk(child, &format!("{at}/{key}"), found));
            }
            Value::Array(items) => {
                items.iter().enumerate().for_each(|(i, child)| walk(child, &format!("{at}/{i}"), found))
            }
            _ => {}
        }
    }
    let mut found = 0;
    walk(document, "#", &mut found);
    assert!(found > 20, "only {found} patterns stated");
    let cursor = &document["paths"]["/v1/wallet/history"]["get"]["parameters"];
    let before = cursor.as_array().and_then(|p| p.iter().find(|p| p["name"] == "before")).expect("a cursor");
    let rule = regex::Regex::new(before["schema"]["pattern"].as_str().expect("a pattern")).expect("compiles");
    assert!(rule.is_match("1700000000000:tr-1") && !rule.is_match("1700000000000:tr\0"));
}

/// The bounds the document states are core's, so the two cannot drift apart.
fn the_schemas_state_the_rules_core_enforces(document: &Value) {
    use hearth_core::{account, community, household, ledger, rewards};
    let schemas = &document["components"]["schemas"];
    let bound = |schema: &str, property: &str, keyword: &str| {
        schemas[schema]["properties"][property][keyword]
            .as_u64()
            .unwrap_or_else(|| panic!("{schema}.{property} states no {keyword}"))
    };
    let as_u64 = |n: usize| n as u64;
    for (schema, property, keyword, expected) in [
        ("SignUpRequest", "password", "minLength", as_u64(account::MIN_PASSWORD_CHARS)),
        ("SignUpRequest", "password", "maxLength", as_u64(account::MAX_PASSWORD_CHARS)),
        ("SignUpRequest", "displayName", "maxLength", as_u64(account::MAX_DISPLAY_NAME_CHARS)),
        ("SignUpRequest", "email", "maxLength", as_u64(account::MAX_EMAIL_LEN)),
        ("CreateHousehold", "name", "maxLength", as_u64(household::MAX_HOUSEHOLD_NAME_CHARS)),
        (
            "SetFamilyContacts",
            "contactIds",
            "maxItems",
            as_u64(hearth_server::households::MAX_FAMILY_CONTACTS),
        ),
        ("CreateGroup", "name", "maxLength", as_u64(community::MAX_GROUP_NAME_CHARS)),
        ("CreateGroup", "description", "maxLength", as_u64(community::MAX_DESCRIPTION_CHARS)),
        ("CreatePost", "text", "maxLength", as_u64(community::MAX_POST_CHARS)),
        ("CreatePost", "photoIds", "maxItems", as_u64(community::MAX_PHOTOS_PER_POST)),
        ("CreateComment", "text", "maxLength", as_u64(community::MAX_COMMENT_CHARS)),
        ("CreateReport", "note", "maxLength", as_u64(community::MAX_REPORT_NOTE_CHARS)),
        ("Reward", "points", "maximum", u64::from(rewards::MAX_REWARD_POINTS)),
        ("GrantRequest", "amount", "maximum", ledger::MAX_TRANSFER_POINTS),
        ("EventBatch", "events", "maxItems", as_u64(hearth_server::participation::MAX_EVENTS_PER_BATCH)),
        ("PushRequest", "ops", "maxItems", as_u64(hearth_core::sync::protocol::MAX_OPS_PER_PUSH)),
    ] {
        assert_eq!(bound(schema, property, keyword), expected, "{schema}.{property} {keyword}");
    }
    for (schema, property) in
        [("RedeemRequest", "redemptionId"), ("GrantRequest", "id"), ("PushRequest", "clientId")]
    {
        assert_eq!(schemas[schema]["properties"][property]["format"], "uuid", "{schema}.{property}");
    }
    use hearth_core::fields::{LINE_NOT_BLANK_PATTERN, TEXT_NOT_BLANK_PATTERN, TEXT_PATTERN};
    for (schema, property, pattern) in [
        ("SignUpRequest", "email", account::EMAIL_PATTERN),
        ("PasswordResetRequest", "email", account::EMAIL_PATTERN),
        ("PasswordResetConfirm", "email", account::EMAIL_PATTERN),
        ("EmailChangeRequest", "newEmail", account::EMAIL_PATTERN),
        ("ProfileChange", "displayName", LINE_NOT_BLANK_PATTERN),
        ("SignUpRequest", "displayName", LINE_NOT_BLANK_PATTERN),
        ("CreateHousehold", "name", LINE_NOT_BLANK_PATTERN),
        ("CreateGroup", "name", LINE_NOT_BLANK_PATTERN),
        ("CreateGroup", "description", TEXT_PATTERN),
        ("CreatePost", "text", TEXT_PATTERN),
        ("CreateComment", "text", TEXT_NOT_BLANK_PATTERN),
        ("CreateReport", "note", TEXT_PATTERN),
        ("CreateExpertSession", "title", LINE_NOT_BLANK_PATTERN),
        ("CreateExpertSession", "description", TEXT_PATTERN),
        ("CreateExpertSession", "expertName", LINE_NOT_BLANK_PATTERN),
    ] {
        assert_eq!(schemas[schema]["properties"][property]["pattern"], pattern, "{schema}.{property}");
    }
    // Time zones are the names core accepts, spelled as it spells them.
    let zones: Vec<String> = hearth_core::progress::time_zone_names().collect();
    assert_eq!(schemas["TimeZoneName"]["enum"], serde_json::json!(zones), "TimeZoneName");
    for (schema, property) in [("SignUpRequest", "timeZone"), ("ProfileChange", "timeZone")] {
        let text = schemas[schema]["properties"][property].to_string();
        assert!(text.contains("#/components/schemas/TimeZoneName"), "{schema}.{property}: {text}");
    }
    // An op is its kind's fields and its own (`allOf`).
    let op_id = schemas["Op"]["allOf"]
        .as_array()
        .and_then(|parts| parts.iter().find_map(|p| p["properties"].get("opId")));
    assert_eq!(op_id.map(|id| &id["format"]), Some(&Value::from("uuid")), "Op.opId");
}
