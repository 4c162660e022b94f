//! The challenge catalog resource: everyone reads it (`GET /v1/challenges`, with an `ETag`);
//! operators add, change and retire challenges. A retired challenge leaves the catalog and takes
//! no new participants; those who joined keep their progress and history.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use hearth_core::account::Role;
use hearth_core::api::ErrorBody;
use hearth_core::catalog::{Catalog, Challenge};
use hearth_core::i18n::LocalizedText;
use sqlx::{Any, AnyConnection, Row};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{Error, Result};
use crate::extract::AppJson;
use crate::session::AuthUser;

/// Routes of this resource.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create)).routes(routes!(update, retire))
}

/// The columns [`challenge_from_row`] reads.
const COLUMNS: &str =
    "id, scene, difficulty, points, title_en, title_zh_cn, description_en, description_zh_cn, rule";

/// The whole catalog, in display order.
#[utoipa::path(get, path = "/v1/challenges", tag = "challenges",
    responses((status = 200, description = "The whole catalog, in display order, with its `ETag`", body = Catalog),
              (status = 304, description = "Unchanged since the version `If-None-Match` names")))]
#[tracing::instrument(skip_all)]
async fn list(State(state): State<AppState>, headers: HeaderMap) -> Result<Response> {
    let rows =
        sqlx::query(&format!("SELECT {COLUMNS} FROM challenges WHERE archived = 0 ORDER BY position, id"))
            .fetch_all(state.db.pool())
            .await?;
    let challenges = rows.iter().map(challenge_from_row).collect::<Result<Vec<_>>>()?;
    crate::etag::json_with_etag(&headers, &Catalog { challenges })
}

fn checked(challenge: &Challenge) -> Result<()> {
    challenge.validate().map_err(|error| match error {
        hearth_core::Error::InvalidChallenge { field, reason, .. } => {
            Error::InvalidField { field: field.to_owned(), reason }
        }
        other => Error::InvalidField { field: "challenge".into(), reason: other.to_string() },
    })
}

#[utoipa::path(post, path = "/v1/challenges", tag = "challenges", security(("bearer" = [])), request_body = Challenge,
    responses((status = 201, description = "Added at the end of the catalog", body = Challenge),
              (status = 403, description = "Operators only", body = ErrorBody),
              (status = 409, description = "A challenge (perhaps retired) has that id", body = ErrorBody),
              (status = 422, description = "A field broke a rule (the field is named)", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn create(
    State(state): State<AppState>,
    user: AuthUser,
    AppJson(challenge): AppJson<Challenge>,
) -> Result<(StatusCode, AppJson<Challenge>)> {
    user.require(Role::Operator)?;
    checked(&challenge)?;
    let mut tx = state.db.pool().begin().await?;
    // Claim the next position with the insert itself (a write first, for SQLite's lock).
    if !insert(&mut tx, &challenge, None, crate::now_ms()).await? {
        return Err(Error::Taken { field: "id" });
    }
    let stored = load(&mut tx, &challenge.id).await?;
    tx.commit().await?;
    tracing::info!(challenge = %challenge.id, "challenge added");
    Ok((StatusCode::CREATED, AppJson(stored)))
}

#[utoipa::path(put, path = "/v1/challenges/{id}", tag = "challenges", security(("bearer" = [])),
    params(("id" = String, Path, description = "The challenge")), request_body = Challenge,
    responses((status = 200, description = "Changed; progress is evaluated by the new rule from now on", body = Challenge),
              (status = 403, description = "Operators only", body = ErrorBody),
              (status = 404, description = "No such challenge in the catalog", body = ErrorBody),
              (status = 422, description = "A field broke a rule, or the body names another id", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn update(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
    AppJson(challenge): AppJson<Challenge>,
) -> Result<AppJson<Challenge>> {
    user.require(Role::Operator)?;
    if challenge.id != id {
        return Err(Error::InvalidField { field: "id".into(), reason: "expected the id in the path".into() });
    }
    checked(&challenge)?;
    let rule = serde_json::to_string(&challenge.rule).map_err(|e| Error::CorruptData(e.to_string()))?;
    let mut tx = state.db.pool().begin().await?;
    let changed = sqlx::query(
        "UPDATE challenges SET scene = $1, difficulty = $2, points = $3, title_en = $4, title_zh_cn = $5, \
         description_en = $6, description_zh_cn = $7, rule = $8, updated_at_ms = $9 WHERE id = $10 AND archived = 0",
    )
    .bind(challenge.scene.as_str())
    .bind(challenge.difficulty.as_str())
    .bind(i64::from(challenge.points))
    .bind(&challenge.title.en)
    .bind(&challenge.title.zh_cn)
    .bind(&challenge.description.en)
    .bind(&challenge.description.zh_cn)
    .bind(rule)
    .bind(crate::now_ms())
    .bind(&id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 0 {
        return Err(Error::NotFound);
    }
    let stored = load(&mut tx, &id).await?;
    tx.commit().await?;
    tracing::info!(challenge = %id, "challenge changed");
    Ok(AppJson(stored))
}

#[utoipa::path(delete, path = "/v1/challenges/{id}", tag = "challenges", security(("bearer" = [])),
    params(("id" = String, Path, description = "The challenge")),
    responses((status = 204, description = "Retired: out of the catalog, no new participants"),
              (status = 403, description = "Operators only", body = ErrorBody),
              (status = 404, description = "No such challenge in the catalog", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn retire(State(state): State<AppState>, user: AuthUser, Path(id): Path<String>) -> Result<StatusCode> {
    user.require(Role::Operator)?;
    let retired =
        sqlx::query("UPDATE challenges SET archived = 1, updated_at_ms = $1 WHERE id = $2 AND archived = 0")
            .bind(crate::now_ms())
            .bind(&id)
            .execute(state.db.pool())
            .await?
            .rows_affected();
    if retired == 0 {
        return Err(Error::NotFound);
    }
    tracing::info!(challenge = %id, "challenge retired");
    Ok(StatusCode::NO_CONTENT)
}

/// Whether the challenge `id` is in the catalog (not retired): only those can be joined.
pub(crate) async fn is_open(conn: &mut AnyConnection, id: &str) -> Result<bool> {
    let found: Option<String> =
        sqlx::query_scalar("SELECT id FROM challenges WHERE id = $1 AND archived = 0")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(found.is_some())
}

/// The challenge `id` (retired or not), or 404.
pub(crate) async fn load(conn: &mut AnyConnection, id: &str) -> Result<Challenge> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM challenges WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(Error::NotFound)?;
    challenge_from_row(&row)
}

fn challenge_from_row(row: &sqlx::any::AnyRow) -> Result<Challenge> {
    let id: String = row.try_get("id")?;
    let corrupt = |what: String| Error::CorruptData(format!("challenge `{id}`: {what}"));
    let scene: String = row.try_get("scene")?;
    let difficulty: String = row.try_get("difficulty")?;
    let points: i64 = row.try_get("points")?;
    let rule: String = row.try_get("rule")?;
    Ok(Challenge {
        scene: scene.parse().map_err(|e| corrupt(format!("{e}")))?,
        difficulty: difficulty.parse().map_err(|e| corrupt(format!("{e}")))?,
        points: u32::try_from(points).map_err(|_| corrupt(format!("points {points} out of range")))?,
        title: LocalizedText { en: row.try_get("title_en")?, zh_cn: row.try_get("title_zh_cn")? },
        description: LocalizedText {
            en: row.try_get("description_en")?,
            zh_cn: row.try_get("description_zh_cn")?,
        },
        rule: serde_json::from_str(&rule).map_err(|e| corrupt(format!("rule: {e}")))?,
        id,
    })
}

/// Inserts one challenge at `position` (after the last when `None`) unless its id already
/// exists; true if it was inserted.
pub(crate) async fn insert(
    conn: &mut AnyConnection,
    challenge: &Challenge,
    position: Option<i64>,
    now_ms: i64,
) -> Result<bool> {
    let rule = serde_json::to_string(&challenge.rule)
        .map_err(|e| Error::CorruptData(format!("rule of `{}`: {e}", challenge.id)))?;
    let inserted = sqlx::query::<Any>(
        "INSERT INTO challenges (id, position, scene, difficulty, points, title_en, title_zh_cn, \
         description_en, description_zh_cn, rule, created_at_ms, updated_at_ms) \
         SELECT $1, COALESCE($2, (SELECT COALESCE(MAX(position), -1) + 1 FROM challenges)), \
         $3, $4, $5, $6, $7, $8, $9, $10, $11, $11 WHERE true ON CONFLICT (id) DO NOTHING",
    )
    .bind(&challenge.id)
    .bind(position)
    .bind(challenge.scene.as_str())
    .bind(challenge.difficulty.as_str())
    .bind(i64::from(challenge.points))
    .bind(&challenge.title.en)
    .bind(&challenge.title.zh_cn)
    .bind(&challenge.description.en)
    .bind(&challenge.description.zh_cn)
    .bind(rule)
    .bind(now_ms)
    .execute(conn)
    .await?
    .rows_affected();
    Ok(inserted == 1)
}
