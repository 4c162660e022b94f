//! The API against real databases: a SQLite file, and the PostgreSQL server the test command
//! starts (`HEARTH_TEST_POSTGRES_URL`, a role allowed to create databases). Each test gets a fresh
//! database and a real server on a loopback port, driven over HTTP.

use std::sync::atomic::{AtomicU32, Ordering};

use hearth_core::api::{ErrorBody, Health, HealthState};
use hearth_core::catalog::Catalog;
use hearth_server::{Config, Server};
use sqlx::Connection;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// A database for one test, removed when dropped (PostgreSQL) or with its directory (SQLite).
enum TestDb {
    Sqlite {
        _dir: tempfile::TempDir,
        url: String,
    },
    Postgres {
        admin_url: String,
        name: String,
        url: String,
    },
}

impl TestDb {
    fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        // A nested path: the server must create the directories too.
        let url = format!("sqlite://{}/data/hearth.db", dir.path().display());
        TestDb::Sqlite { _dir: dir, url }
    }

    async fn postgres() -> Self {
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
        let mut admin = sqlx::PgConnection::connect(&admin_url)
            .await
            .expect("connect to PostgreSQL");
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await
            .expect("create db");
        let base = admin_url
            .rsplit_once('/')
            .map_or(admin_url.as_str(), |(base, _)| base);
        let url = format!("{base}/{name}");
        TestDb::Postgres {
            admin_url,
            name,
            url,
        }
    }

    fn url(&self) -> &str {
        match self {
            TestDb::Sqlite { url, .. } | TestDb::Postgres { url, .. } => url,
        }
    }

    async fn drop_database(self) {
        if let TestDb::Postgres {
            admin_url, name, ..
        } = self
        {
            let mut admin = sqlx::PgConnection::connect(&admin_url)
                .await
                .expect("connect");
            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut admin)
                .await
                .expect("drop db");
        }
    }
}

/// A running server and the means to stop it.
struct Running {
    base: String,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<hearth_server::Result<()>>,
    db: hearth_server::Db,
}

impl Running {
    async fn start(url: &str) -> Self {
        let server = Server::bind(&Config::for_database(url))
            .await
            .expect("server starts");
        let base = format!("http://{}", server.local_addr().expect("bound"));
        let db = server.state().db.clone();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(server.run(async move {
            let _ = stopped.await;
        }));
        Self {
            base,
            stop: Some(stop),
            task,
            db,
        }
    }

    async fn get(&self, path: &str) -> (u16, String) {
        let response = reqwest::get(format!("{}{path}", self.base))
            .await
            .expect("request");
        (
            response.status().as_u16(),
            response.text().await.expect("body"),
        )
    }

    async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.task
            .await
            .expect("server task")
            .expect("server stopped cleanly");
    }
}

fn shipped_catalog() -> Catalog {
    Catalog::from_json(include_str!("../../assets/seed/challenges.json")).expect("seed is valid")
}

async fn health_reports_a_reachable_database(db: TestDb) {
    let server = Running::start(db.url()).await;
    let (status, body) = server.get("/health").await;
    assert_eq!(status, 200, "{body}");
    let health: Health = serde_json::from_str(&body).expect("health body");
    assert_eq!(health.database, HealthState::Ok);
    server.stop().await;
    db.drop_database().await;
}

async fn health_reports_a_database_that_went_away(db: TestDb) {
    let server = Running::start(db.url()).await;
    server.db.close().await;
    let (status, body) = server.get("/health").await;
    assert_eq!(status, 503, "{body}");
    let health: Health = serde_json::from_str(&body).expect("health body");
    assert_eq!(health.database, HealthState::Unavailable);
    // Other routes say "unavailable" in the API's error shape, without internals.
    let (status, body) = server.get("/v1/challenges").await;
    assert_eq!(status, 503, "{body}");
    let error: ErrorBody = serde_json::from_str(&body).expect("error body");
    assert_eq!(error.error.code, "unavailable");
    server.stop().await;
    db.drop_database().await;
}

async fn the_catalog_is_seeded_on_first_start_and_served_in_order(db: TestDb) {
    let server = Running::start(db.url()).await;
    let (status, body) = server.get("/v1/challenges").await;
    assert_eq!(status, 200, "{body}");
    let catalog = Catalog::from_json(&body).expect("a valid catalog");
    assert_eq!(catalog, shipped_catalog());
    server.stop().await;
    db.drop_database().await;
}

async fn a_restart_neither_reseeds_nor_undoes_operator_changes(db: TestDb) {
    let server = Running::start(db.url()).await;
    let removed = shipped_catalog().challenges[0].id.clone();
    sqlx::query("DELETE FROM challenges WHERE id = $1")
        .bind(&removed)
        .execute(server.db.pool())
        .await
        .expect("delete");
    server.stop().await;

    let server = Running::start(db.url()).await;
    let (_, body) = server.get("/v1/challenges").await;
    let catalog = Catalog::from_json(&body).expect("a valid catalog");
    assert_eq!(
        catalog.challenges.len(),
        shipped_catalog().challenges.len() - 1
    );
    assert!(
        catalog.challenges.iter().all(|c| c.id != removed),
        "{removed} came back"
    );
    server.stop().await;
    db.drop_database().await;
}

async fn unknown_routes_and_methods_answer_in_the_error_shape(db: TestDb) {
    let server = Running::start(db.url()).await;
    let (status, body) = server.get("/v1/no-such-thing").await;
    assert_eq!(status, 404);
    let error: ErrorBody = serde_json::from_str(&body).expect("error body");
    assert_eq!(error.error.code, "not-found");

    let response = reqwest::Client::new()
        .post(format!("{}/v1/challenges", server.base))
        .body("{not json")
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 405);
    let error: ErrorBody =
        serde_json::from_str(&response.text().await.expect("body")).expect("shape");
    assert_eq!(error.error.code, "method-not-allowed");
    server.stop().await;
    db.drop_database().await;
}

async fn corrupt_rows_are_a_500_that_leaks_nothing(db: TestDb) {
    let server = Running::start(db.url()).await;
    sqlx::query("UPDATE challenges SET rule = $1")
        .bind("SELECT secret FROM internals")
        .execute(server.db.pool())
        .await
        .expect("corrupt the rules");
    let (status, body) = server.get("/v1/challenges").await;
    assert_eq!(status, 500);
    assert!(
        !body.contains("SELECT") && !body.contains("rule"),
        "internals leaked: {body}"
    );
    server.stop().await;
    db.drop_database().await;
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

on_both_databases!(
    health_reports_a_reachable_database,
    health_reports_a_database_that_went_away,
    the_catalog_is_seeded_on_first_start_and_served_in_order,
    a_restart_neither_reseeds_nor_undoes_operator_changes,
    unknown_routes_and_methods_answer_in_the_error_shape,
    corrupt_rows_are_a_500_that_leaks_nothing,
);

#[tokio::test]
async fn a_sqlite_database_file_is_created_with_its_directories() {
    let db = TestDb::sqlite();
    let path = db
        .url()
        .strip_prefix("sqlite://")
        .expect("sqlite url")
        .to_owned();
    let server = Running::start(db.url()).await;
    assert!(
        std::path::Path::new(&path).is_file(),
        "{path} was not created"
    );
    server.stop().await;
}

#[tokio::test]
async fn an_unsupported_database_url_is_refused_at_start() {
    let err = Server::bind(&Config::for_database("mysql://root:pw@localhost/hearth"))
        .await
        .expect_err("refused");
    assert!(
        err.to_string()
            .contains("expected sqlite:// or postgres://"),
        "{err}"
    );
    assert!(!err.to_string().contains(":pw@"), "password leaked: {err}");
}
