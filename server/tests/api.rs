//! The API against real databases: a SQLite file, and the PostgreSQL server the test command
//! starts (`HEARTH_TEST_POSTGRES_URL`, a role allowed to create databases). Each test gets a fresh
//! database and a real server on a loopback port, driven over HTTP.

#[macro_use]
mod common;

use common::{Running, TestDb};
use hearth_core::api::{ErrorBody, Health, HealthState};
use hearth_core::catalog::Catalog;
use hearth_server::{Config, Server};

fn shipped_catalog() -> Catalog {
    Catalog::shipped().expect("seed is valid")
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
    server.db().close().await;
    let (status, body) = server.get("/health").await;
    assert_eq!(status, 503, "{body}");
    let health: Health = serde_json::from_str(&body).expect("health body");
    assert_eq!(health.database, HealthState::Unavailable);
    // Other routes say "unavailable" in the API's error shape, without internals.
    let (status, body) = server.get("/v1/challenges").await;
    assert_eq!(status, 503, "{body}");
    let error: ErrorBody = serde_json::from_str(&body).expect("error body");
    assert_eq!(error.error.code.as_str(), "unavailable");
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
        .execute(server.db().pool())
        .await
        .expect("delete");
    server.stop().await;

    let server = Running::start(db.url()).await;
    let (_, body) = server.get("/v1/challenges").await;
    let catalog = Catalog::from_json(&body).expect("a valid catalog");
    assert_eq!(catalog.challenges.len(), shipped_catalog().challenges.len() - 1);
    assert!(catalog.challenges.iter().all(|c| c.id != removed), "{removed} came back");
    server.stop().await;
    db.drop_database().await;
}

async fn unknown_routes_and_methods_answer_in_the_error_shape(db: TestDb) {
    let server = Running::start(db.url()).await;
    let (status, body) = server.get("/v1/no-such-thing").await;
    assert_eq!(status, 404);
    let error: ErrorBody = serde_json::from_str(&body).expect("error body");
    assert_eq!(error.error.code.as_str(), "not-found");

    let response = reqwest::Client::new()
        .patch(format!("{}/v1/challenges", server.base))
        .body("{not json")
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 405);
    let error: ErrorBody = serde_json::from_str(&response.text().await.expect("body")).expect("shape");
    assert_eq!(error.error.code.as_str(), "method-not-allowed");
    server.stop().await;
    db.drop_database().await;
}

async fn corrupt_rows_are_a_500_that_leaks_nothing(db: TestDb) {
    let server = Running::start(db.url()).await;
    sqlx::query("UPDATE challenges SET rule = $1")
        .bind("SELECT secret FROM internals")
        .execute(server.db().pool())
        .await
        .expect("corrupt the rules");
    let (status, body) = server.get("/v1/challenges").await;
    assert_eq!(status, 500);
    assert!(!body.contains("SELECT") && !body.contains("rule"), "internals leaked: {body}");
    server.stop().await;
    db.drop_database().await;
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
    let path = db.url().strip_prefix("sqlite://").expect("sqlite url").to_owned();
    let server = Running::start(db.url()).await;
    assert!(std::path::Path::new(&path).is_file(), "{path} was not created");
    server.stop().await;
}

#[tokio::test]
async fn an_unsupported_database_url_is_refused_at_start() {
    let err =
        Server::bind(&Config::for_database("mysql://root:pw@localhost/hearth")).await.expect_err("refused");
    assert!(err.to_string().contains("expected sqlite:// or postgres://"), "{err}");
    assert!(!err.to_string().contains(":pw@"), "password leaked: {err}");
}
