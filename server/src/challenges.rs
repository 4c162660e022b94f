//! The challenge catalog resource: `GET /v1/challenges`, and its storage.

use axum::Json;
use axum::extract::State;
use hearth_core::catalog::{Catalog, Challenge};
use hearth_core::i18n::LocalizedText;
use sqlx::{Any, AnyConnection, Row};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{Error, Result};

/// Routes of this resource.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list))
}

/// The columns [`challenge_from_row`] reads.
const COLUMNS: &str =
    "id, scene, difficulty, points, title_en, title_zh_cn, description_en, description_zh_cn, rule";

/// The whole catalog, in display order.
#[utoipa::path(get, path = "/v1/challenges", tag = "challenges",
    responses((status = 200, description = "The whole catalog, in display order", body = Catalog)))]
#[tracing::instrument(skip_all, err)]
async fn list(State(state): State<AppState>) -> Result<Json<Catalog>> {
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM challenges ORDER BY position, id"))
        .fetch_all(state.db.pool())
        .await?;
    let challenges = rows.iter().map(challenge_from_row).collect::<Result<Vec<_>>>()?;
    Ok(Json(Catalog { challenges }))
}

/// The challenge `id`, or 404.
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

/// Inserts one challenge at `position` unless its id already exists.
pub(crate) async fn insert(
    conn: &mut AnyConnection,
    challenge: &Challenge,
    position: i64,
    now_ms: i64,
) -> Result<()> {
    let rule = serde_json::to_string(&challenge.rule)
        .map_err(|e| Error::CorruptData(format!("rule of `{}`: {e}", challenge.id)))?;
    sqlx::query::<Any>(
        "INSERT INTO challenges (id, position, scene, difficulty, points, title_en, title_zh_cn, \
         description_en, description_zh_cn, rule, created_at_ms, updated_at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) ON CONFLICT (id) DO NOTHING",
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
    .await?;
    Ok(())
}
