//! Reports of posts and comments, holding what enough people reported, and the operators' moderation queue and decisions.

use axum::extract::State;
use axum::http::StatusCode;
use hearth_core::account::Role;
use hearth_core::api::ErrorBody;
use hearth_core::community::{
    Author, CreateReport, Decide, Decision, MAX_REPORT_NOTE_CHARS, Moderation, ModerationItem,
    ModerationQueue, Report, ReportReason, ReportStatus, ReportTarget,
};
use hearth_core::fields::{Lines, normalize_text};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool, Row};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{Error, Result};
use crate::extract::AppJson;
use crate::session::AuthUser;

use super::comments::{comment_visible, moderate_comment};
use super::*;

/// Routes of this resource.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(report)).routes(routes!(moderation_queue)).routes(routes!(decide))
}

// Reports and moderation

fn report_from_row(row: &AnyRow) -> Result<Report> {
    let id: String = row.try_get("id")?;
    let corrupt = |what: &str| Error::CorruptData(format!("report `{id}`: {what}"));
    let kind: String = row.try_get("target_kind")?;
    let reason: String = row.try_get("reason")?;
    let status: String = row.try_get("status")?;
    Ok(Report {
        target_kind: ReportTarget::from_storage(&kind).ok_or_else(|| corrupt("target"))?,
        target_id: row.try_get("target_id")?,
        reason: ReportReason::from_storage(&reason).ok_or_else(|| corrupt("reason"))?,
        note: row.try_get("note")?,
        status: ReportStatus::from_storage(&status).ok_or_else(|| corrupt("status"))?,
        created_at_ms: row.try_get("created_at_ms")?,
        id,
    })
}

const REPORT_COLUMNS: &str = "id, target_kind, target_id, reason, note, status, created_at_ms";

/// The author of a post or comment `viewer` may see, or 404.
async fn reportable_author(pool: &AnyPool, viewer: &str, kind: ReportTarget, id: &str) -> Result<String> {
    let sql = match kind {
        ReportTarget::Post => {
            format!("SELECT p.author_id FROM posts p WHERE p.id = $2 AND {visible}", visible = visible())
        }
        ReportTarget::Comment => format!(
            "SELECT c.author_id FROM comments c JOIN posts p ON p.id = c.post_id \
             WHERE c.id = $2 AND {} AND {}",
            visible(),
            comment_visible()
        ),
    };
    sqlx::query_scalar(&sql).bind(viewer).bind(id).fetch_optional(pool).await?.ok_or(Error::NotFound)
}

#[utoipa::path(post, path = "/v1/reports", tag = "community", security(("bearer" = [])), request_body = CreateReport,
    responses((status = 201, description = "Reported; operators will look at it", body = Report),
              (status = 200, description = "The caller had reported it already", body = Report),
              (status = 404, description = "No such post or comment the caller can see", body = ErrorBody),
              (status = 422, description = "A bad field, or the caller's own content", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn report(
    State(state): State<AppState>,
    user: AuthUser,
    AppJson(request): AppJson<CreateReport>,
) -> Result<(StatusCode, AppJson<Report>)> {
    let note = normalize_text(&request.note, "note", 0, MAX_REPORT_NOTE_CHARS, Lines::Many)?;
    if request.reason == ReportReason::Other && note.is_empty() {
        return Err(invalid("note", "say what is wrong when the reason is `other`"));
    }
    let kind = request.target_kind.as_str();
    let existing = sqlx::query(&format!(
        "SELECT {REPORT_COLUMNS} FROM reports WHERE reporter_id = $1 AND target_kind = $2 AND target_id = $3"
    ))
    .bind(&user.user_id)
    .bind(kind)
    .bind(&request.target_id)
    .fetch_optional(state.db.pool())
    .await?;
    if let Some(row) = existing {
        // Reported before (a retry, or the content is held now): the same report.
        return Ok((StatusCode::OK, AppJson(report_from_row(&row)?)));
    }
    let author =
        reportable_author(state.db.pool(), &user.user_id, request.target_kind, &request.target_id).await?;
    if author == user.user_id {
        return Err(invalid("targetId", "this is your own; delete it instead"));
    }
    let mut tx = state.db.pool().begin().await?;
    let created = sqlx::query(
        "INSERT INTO reports (id, reporter_id, target_kind, target_id, reason, note, created_at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (reporter_id, target_kind, target_id) DO NOTHING",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(&user.user_id)
    .bind(kind)
    .bind(&request.target_id)
    .bind(request.reason.as_str())
    .bind(&note)
    .bind(crate::now_ms())
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if created {
        let open: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM reports WHERE target_kind = $1 AND target_id = $2 AND status = $3",
        )
        .bind(kind)
        .bind(&request.target_id)
        .bind(ReportStatus::Open.as_str())
        .fetch_one(&mut *tx)
        .await?;
        let now = moderation_of(&mut tx, request.target_kind, &request.target_id).await?;
        moderate(&mut tx, request.target_kind, &request.target_id, now, now.after_reports(open)).await?;
    }
    let row = sqlx::query(&format!(
        "SELECT {REPORT_COLUMNS} FROM reports WHERE reporter_id = $1 AND target_kind = $2 AND target_id = $3"
    ))
    .bind(&user.user_id)
    .bind(kind)
    .bind(&request.target_id)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, AppJson(report_from_row(&row)?)))
}

#[utoipa::path(get, path = "/v1/moderation/queue", tag = "community", security(("bearer" = [])),
    responses((status = 200, description = "Content with open reports, the most reported first", body = ModerationQueue),
              (status = 403, description = "Operators only", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn moderation_queue(State(state): State<AppState>, user: AuthUser) -> Result<AppJson<ModerationQueue>> {
    user.require(Role::Operator)?;
    let mut conn = state.db.pool().acquire().await?;
    let targets: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT target_kind, target_id, COUNT(*) AS n FROM reports WHERE status = $1 \
         GROUP BY target_kind, target_id ORDER BY n DESC, MIN(created_at_ms) LIMIT 100",
    )
    .bind(ReportStatus::Open.as_str())
    .fetch_all(&mut *conn)
    .await?;
    let mut items = Vec::with_capacity(targets.len());
    for (kind, target_id, _) in targets {
        let target_kind = ReportTarget::from_storage(&kind)
            .ok_or_else(|| Error::CorruptData(format!("report target `{kind}`")))?;
        let table = match target_kind {
            ReportTarget::Post => "posts",
            ReportTarget::Comment => "comments",
        };
        let row = sqlx::query(&format!(
            "SELECT t.author_id, u.display_name, t.body, t.moderation FROM {table} t JOIN users u ON u.id = t.author_id \
             WHERE t.id = $1"
        ))
        .bind(&target_id)
        .fetch_one(&mut *conn)
        .await?;
        let moderation: String = row.try_get("moderation")?;
        let reports = sqlx::query(&format!(
            "SELECT {REPORT_COLUMNS} FROM reports WHERE target_kind = $1 AND target_id = $2 AND status = $3 \
             ORDER BY created_at_ms, id"
        ))
        .bind(&kind)
        .bind(&target_id)
        .bind(ReportStatus::Open.as_str())
        .fetch_all(&mut *conn)
        .await?;
        let moderation = super::stored_moderation(&moderation, format_args!("{kind} `{target_id}`"))?;
        items.push(ModerationItem {
            target_kind,
            target_id,
            author: Author { id: row.try_get("author_id")?, display_name: row.try_get("display_name")? },
            text: row.try_get("body")?,
            held_for_review: moderation == Moderation::Held,
            reports: reports.iter().map(report_from_row).collect::<Result<_>>()?,
        });
    }
    Ok(AppJson(ModerationQueue { items }))
}

#[utoipa::path(post, path = "/v1/moderation/decisions", tag = "community", security(("bearer" = [])), request_body = Decide,
    responses((status = 204, description = "Decided; every open report on it is closed"),
              (status = 403, description = "Operators only", body = ErrorBody),
              (status = 404, description = "No open report on that content", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn decide(
    State(state): State<AppState>,
    user: AuthUser,
    AppJson(request): AppJson<Decide>,
) -> Result<StatusCode> {
    user.require(Role::Operator)?;
    let status = match request.decision {
        Decision::Remove => ReportStatus::Removed,
        Decision::Dismiss => ReportStatus::Dismissed,
    };
    let mut tx = state.db.pool().begin().await?;
    let closed = sqlx::query(
        "UPDATE reports SET status = $1, decided_by = $2, decided_at_ms = $3 \
         WHERE target_kind = $4 AND target_id = $5 AND status = $6",
    )
    .bind(status.as_str())
    .bind(&user.user_id)
    .bind(crate::now_ms())
    .bind(request.target_kind.as_str())
    .bind(&request.target_id)
    .bind(ReportStatus::Open.as_str())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if closed == 0 {
        return Err(Error::NotFound);
    }
    let now = moderation_of(&mut tx, request.target_kind, &request.target_id).await?;
    let next = now.after_decision(request.decision);
    moderate(&mut tx, request.target_kind, &request.target_id, now, next).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Where the post or comment `id` stands in moderation (in the caller's transaction).
async fn moderation_of(conn: &mut AnyConnection, kind: ReportTarget, id: &str) -> Result<Moderation> {
    let sql = match kind {
        ReportTarget::Post => "SELECT moderation FROM posts WHERE id = $1",
        ReportTarget::Comment => "SELECT moderation FROM comments WHERE id = $1",
    };
    let stored: String =
        sqlx::query_scalar(sql).bind(id).fetch_optional(&mut *conn).await?.ok_or(Error::NotFound)?;
    super::stored_moderation(&stored, format_args!("{} `{id}`", kind.as_str()))
}

/// Moves the post or comment `id` from `from` to `to` (nothing when they are the same); a
/// comment keeps its post's count right.
async fn moderate(
    conn: &mut AnyConnection,
    kind: ReportTarget,
    id: &str,
    from: Moderation,
    to: Moderation,
) -> Result<()> {
    if from == to {
        return Ok(());
    }
    match kind {
        ReportTarget::Post => {
            sqlx::query("UPDATE posts SET moderation = $1 WHERE id = $2 AND moderation = $3")
                .bind(to.as_str())
                .bind(id)
                .bind(from.as_str())
                .execute(&mut *conn)
                .await?;
        }
        ReportTarget::Comment => {
            moderate_comment(conn, id, from, to).await?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
