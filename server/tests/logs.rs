//! What the server logs about refused requests: a user's typo is not an operator's alarm.
//! One test in this binary, since it installs the process's global log subscriber.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::{PASSWORD, Running, TestDb};
use serde_json::json;

/// Log output kept in memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn lines(&self) -> Vec<String> {
        let bytes = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
        String::from_utf8_lossy(&bytes).lines().map(str::to_owned).collect()
    }
}

#[tokio::test]
async fn refused_requests_are_logged_below_error_and_name_their_cause() {
    let captured = Captured::default();
    let writer = captured.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .init();
    let db = TestDb::sqlite();
    let server = Running::start(db.url()).await;
    let sign_up = json!({ "email": "lin@example.com", "password": PASSWORD, "displayName": "Lin" });
    let (status, _, _) =
        server.send(reqwest::Method::POST, "/v1/auth/sign-up", None, Some(&sign_up.to_string())).await;
    assert_eq!(status, 201);
    // A wrong password, an e-mail that cannot be one, no session, a body that is not JSON.
    let wrong = json!({ "email": "lin@example.com", "password": "not the password" });
    let typo = json!({ "email": "lin@", "password": PASSWORD, "displayName": "Lin" });
    let refused = [
        (reqwest::Method::POST, "/v1/auth/sign-in", Some(wrong.to_string()), 401),
        (reqwest::Method::POST, "/v1/auth/sign-up", Some(typo.to_string()), 422),
        (reqwest::Method::GET, "/v1/me", None, 401),
        (reqwest::Method::POST, "/v1/auth/sign-in", Some("{not json".to_owned()), 400),
    ];
    for (method, path, body, expected) in refused {
        let (status, _, _) = server.send(method, path, None, body.as_deref()).await;
        assert_eq!(status, expected, "{path}");
    }
    server.stop().await;
    db.drop_database().await;
    let lines = captured.lines();
    let errors: Vec<_> = lines.iter().filter(|l| l.contains(" ERROR ")).collect();
    assert!(errors.is_empty(), "refusals logged as errors: {errors:#?}");
    let refusals = lines.iter().filter(|l| l.contains(" DEBUG ") && l.contains("request refused")).count();
    assert_eq!(refusals, 4, "each refusal is logged once, at debug, with its cause: {lines:#?}");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("request refused")
                && l.contains("the e-mail address or the password is wrong"))
    );
}
