//! The harness the server's integration suites share.

#![allow(dead_code, unused_macros)]

use std::sync::atomic::{AtomicU32, Ordering};

use hearth_server::{Config, Server};
use image::ImageEncoder as _;
use sqlx::Connection;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The password every test account signs up with.
pub const PASSWORD: &str = "warm home 2026";

/// A database for one test, removed when dropped (PostgreSQL) or with its directory (SQLite).
pub enum TestDb {
    Sqlite { _dir: tempfile::TempDir, url: String },
    Postgres { admin_url: String, name: String, url: String },
}

impl TestDb {
    pub fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        // A nested path: the server must create the directories too.
        let url = format!("sqlite://{}/data/hearth.db", dir.path().display());
        TestDb::Sqlite { _dir: dir, url }
    }

    pub async fn postgres() -> Self {
        let admin_url = match std::env::var("HEARTH_TEST_POSTGRES_URL") {
            Ok(url) => url,
            Err(_) => panic!(
                "HEARTH_TEST_POSTGRES_URL is not set: run the README's test command, which \
                 installs and starts PostgreSQL, or point it at a role with CREATEDB"
            ),
        };
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "hearth_test_{}_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed),
            hearth_server::now_ms()
        );
        let mut admin = sqlx::PgConnection::connect(&admin_url).await.expect("connect to PostgreSQL");
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await.expect("create db");
        let base = admin_url.rsplit_once('/').map_or(admin_url.as_str(), |(base, _)| base);
        let url = format!("{base}/{name}");
        TestDb::Postgres { admin_url, name, url }
    }

    pub fn url(&self) -> &str {
        match self {
            TestDb::Sqlite { url, .. } | TestDb::Postgres { url, .. } => url,
        }
    }

    pub async fn drop_database(self) {
        if let TestDb::Postgres { admin_url, name, .. } = self {
            let mut admin = sqlx::PgConnection::connect(&admin_url).await.expect("connect");
            // FORCE cannot end an autovacuum worker that happens to be on the database (it is
            // not ours to signal); it finishes in moments, so try again briefly. A leftover test
            // database is untidy, not a failure of the code under test.
            for attempt in 1..=20 {
                match sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut admin)
                    .await
                {
                    Ok(_) => return,
                    Err(error) if attempt == 20 => eprintln!("could not drop test database {name}: {error}"),
                    Err(_) => tokio::time::sleep(std::time::Duration::from_millis(100)).await,
                }
            }
        }
    }
}

/// A running server and the means to stop it.
pub struct Running {
    pub base: String,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<hearth_server::Result<()>>,
    db: hearth_server::Db,
    media: tempfile::TempDir,
}

impl Running {
    pub async fn start(url: &str) -> Self {
        Self::start_with(Config::for_database(url)).await
    }

    /// Starts a server with `config`, its photos in a directory of its own.
    pub async fn start_with(mut config: Config) -> Self {
        let media = tempfile::tempdir().expect("media dir");
        config.media_dir = media.path().to_owned();
        let server = Server::bind(&config).await.expect("server starts");
        let base = format!("http://{}", server.local_addr().expect("bound"));
        let db = server.state().db.clone();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(server.run(async move {
            let _ = stopped.await;
        }));
        Self { base, stop: Some(stop), task, db, media }
    }

    pub async fn get(&self, path: &str) -> (u16, String) {
        let response = reqwest::get(format!("{}{path}", self.base)).await.expect("request");
        (response.status().as_u16(), response.text().await.expect("body"))
    }

    /// Sends `body` (if any) as JSON with the bearer `token` (if any); returns status, body and
    /// headers.
    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<&str>,
    ) -> (u16, String, reqwest::header::HeaderMap) {
        let mut request = reqwest::Client::new().request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.header("content-type", "application/json").body(body.to_owned());
        }
        let response = request.send().await.expect("request");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        (status, response.text().await.expect("body"), headers)
    }

    /// Sends `body` (if any) as JSON with the bearer `token`; returns the status and the answer
    /// parsed as JSON (`null` when empty).
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: Option<serde_json::Value>,
    ) -> (u16, serde_json::Value) {
        let body = body.map(|b| b.to_string());
        let (status, text, _) = self.send(method, path, Some(token), body.as_deref()).await;
        let value = if text.is_empty() {
            serde_json::Value::Null
        } else {
            serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{path} answered {status} with non-JSON: {e}: {text}"))
        };
        (status, value)
    }

    /// Signs up `email` with [`PASSWORD`], a display name, and any `extra` fields, expecting 201.
    pub async fn sign_up(&self, email: &str, extra: serde_json::Value) -> hearth_core::account::SignedIn {
        let mut body = serde_json::json!({ "email": email, "password": PASSWORD, "displayName": email });
        if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
            body.extend(extra.clone());
        }
        let request: hearth_core::account::SignUpRequest = serde_json::from_value(body).expect("a sign-up");
        self.client().sign_up(&request).await.unwrap_or_else(|e| panic!("sign up {email}: {e}"))
    }

    /// The typed client of this server (the one the app uses), for steps that are not what a
    /// test is about.
    pub fn client(&self) -> hearth_client::Client {
        hearth_client::Client::new(&self.base, std::time::Duration::from_secs(30)).expect("client")
    }

    /// Uploads `bytes` as a photo with the bearer `token`; the status and the JSON answer.
    pub async fn upload_photo(
        &self,
        token: &str,
        bytes: Vec<u8>,
        content_type: &str,
    ) -> (u16, serde_json::Value) {
        self.upload_photo_keyed(token, bytes, content_type, None).await
    }

    /// [`Running::upload_photo`], under the idempotency key `key` when given.
    pub async fn upload_photo_keyed(
        &self,
        token: &str,
        bytes: Vec<u8>,
        content_type: &str,
        key: Option<&str>,
    ) -> (u16, serde_json::Value) {
        let mut request = reqwest::Client::new()
            .post(format!("{}/v1/photos", self.base))
            .bearer_auth(token)
            .header("content-type", content_type);
        if let Some(key) = key {
            request = request.header("idempotency-key", key);
        }
        let response = request.body(bytes).send().await.expect("request");
        let status = response.status().as_u16();
        (status, serde_json::from_str(&response.text().await.expect("body")).expect("JSON"))
    }

    /// Where this server keeps photo files.
    pub fn media_dir(&self) -> &std::path::Path {
        self.media.path()
    }

    pub fn db(&self) -> &hearth_server::Db {
        &self.db
    }

    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.task.await.expect("server task").expect("server stopped cleanly");
    }
}

/// Runs each scenario on SQLite and on PostgreSQL.
macro_rules! on_both_databases {
    ($($scenario:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $scenario() {
                    super::$scenario(super::TestDb::sqlite()).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $scenario() {
                    super::$scenario(super::TestDb::postgres().await).await;
                }
            )*
        }
    };
}

/// A JPEG of `width`×`height`, with an EXIF orientation tag of 6 (turn 90° clockwise) when
/// `rotated`.
pub fn jpeg(width: u32, height: u32, rotated: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let pixels =
        image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x % 251) as u8, (y % 241) as u8, 60]));
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .write_image(pixels.as_raw(), width, height, image::ExtendedColorType::Rgb8)
        .expect("encode");
    if !rotated {
        return out;
    }
    let mut exif = b"Exif\0\0MM\0\x2a\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01\0\x06\0\0\0\0\0\0".to_vec();
    exif.extend_from_slice(b"GPS 31.2304N 121.4737E"); // trailing bytes a leak would carry along
    let mut with_exif = out[..2].to_vec();
    with_exif.extend_from_slice(&[0xFF, 0xE1]);
    with_exif.extend_from_slice(&u16::try_from(exif.len() + 2).expect("short").to_be_bytes());
    with_exif.extend_from_slice(&exif);
    with_exif.extend_from_slice(&out[2..]);
    with_exif
}

/// Awards `amount` points to `user_id` straight through the ledger (as a completion would).
pub async fn award(server: &Running, user_id: &str, amount: u64) {
    let request = hearth_server::ledger::TransferRequest {
        id: uuid::Uuid::now_v7().to_string(),
        kind: hearth_core::ledger::TransferKind::Award,
        user_id: user_id.to_owned(),
        amount,
        memo: "test".into(),
        challenge_id: None,
        reward_id: None,
    };
    hearth_server::ledger::apply(server.db(), &request, hearth_server::now_ms()).await.expect("award");
}

/// A server on `db` that mails through the test command's SMTP server, allowing more attempts
/// per client than a person makes (the per-address and per-account limits have tests of their own).
pub async fn start_mailing(db: &TestDb) -> Running {
    let mut config = Config::for_database(db.url());
    config.smtp_url = Some(hearth_e2e::mailbox::smtp_url());
    config.auth_burst = 1000;
    Running::start_with(config).await
}

/// An address no other test (on either database) uses: they share one mailbox.
pub fn unique_address(what: &str) -> String {
    format!("{what}-{}@example.com", uuid::Uuid::now_v7().simple())
}

/// A six-digit code that is not `code`.
pub fn other_code(code: &str) -> String {
    if code == "000000" { "000001".into() } else { "000000".into() }
}
