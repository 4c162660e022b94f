//! One-tap help for seniors, and senior mode switched by family: a senior's help request goes to
//! each of their family contacts; each contact's device marks it reached once shown, and the
//! senior sees who was reached and when. A family member who is the senior's contact (or the
//! household's owner) may switch the senior's mode on or off.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use hearth_core::account::{Profile, ProfileChange};
use hearth_core::api::ErrorBody;
use hearth_core::household::{HelpContact, HelpRequest, HouseholdRole, IncomingHelp, SetSeniorMode};
use sqlx::Row;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{Error, Result};
use crate::extract::AppJson;
use crate::session::AuthUser;

/// How many of a senior's latest requests they see.
const RECENT: i64 = 20;
/// How far back a family member's incoming requests go: a week.
const INCOMING_WINDOW_MS: i64 = 7 * 24 * 60 * 60 * 1000;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(ask, mine))
        .routes(routes!(incoming))
        .routes(routes!(reached))
        .routes(routes!(set_senior_mode))
}

/// The requests' contacts, by request.
async fn contacts_of(conn: &mut sqlx::AnyConnection, request_id: &str) -> Result<Vec<HelpContact>> {
    let rows = sqlx::query(
        "SELECT d.contact_id, u.display_name, d.reached_at_ms FROM help_deliveries d \
         JOIN users u ON u.id = d.contact_id WHERE d.request_id = $1 ORDER BY u.display_name, d.contact_id",
    )
    .bind(request_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(HelpContact {
                user_id: row.try_get("contact_id")?,
                display_name: row.try_get("display_name")?,
                reached_at_ms: row.try_get("reached_at_ms")?,
            })
        })
        .collect()
}

#[utoipa::path(post, path = "/v1/help-requests", tag = "households", security(("bearer" = [])),
    responses((status = 201, description = "Sent to each of the caller's family contacts", body = HelpRequest),
              (status = 409, description = "`no-family-contacts`: the caller has no family contacts to reach", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn ask(State(state): State<AppState>, user: AuthUser) -> Result<(StatusCode, AppJson<HelpRequest>)> {
    let id = uuid::Uuid::now_v7().to_string();
    let now = crate::now_ms();
    let mut tx = state.db.pool().begin().await?;
    // Write first (SQLite's lock); rolled back below when there is nobody to ask.
    sqlx::query("INSERT INTO help_requests (id, senior_id, created_at_ms) VALUES ($1, $2, $3)")
        .bind(&id)
        .bind(&user.user_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    let delivered = sqlx::query(
        "INSERT INTO help_deliveries (request_id, contact_id) \
         SELECT $1, f.contact_id FROM family_contacts f JOIN household_members m \
         ON m.user_id = f.senior_id AND m.household_id = f.household_id AND m.role = $3 \
         WHERE f.senior_id = $2",
    )
    .bind(&id)
    .bind(&user.user_id)
    .bind(HouseholdRole::Senior.as_str())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if delivered == 0 {
        return Err(Error::NoFamilyContacts);
    }
    let contacts = contacts_of(&mut tx, &id).await?;
    tx.commit().await?;
    // Who asked is personal: the log keeps the request's id and how many it went to.
    tracing::info!(request = %id, contacts = contacts.len(), "help requested");
    Ok((StatusCode::CREATED, AppJson(HelpRequest { id, created_at_ms: now, contacts })))
}

#[utoipa::path(get, path = "/v1/help-requests", tag = "households", security(("bearer" = [])),
    responses((status = 200, description = "The caller's latest requests, newest first, with who was reached and when", body = [HelpRequest])))]
#[tracing::instrument(skip_all)]
async fn mine(State(state): State<AppState>, user: AuthUser) -> Result<AppJson<Vec<HelpRequest>>> {
    let mut conn = state.db.pool().acquire().await?;
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT id, created_at_ms FROM help_requests WHERE senior_id = $1 ORDER BY created_at_ms DESC, id DESC LIMIT $2",
    )
    .bind(&user.user_id)
    .bind(RECENT)
    .fetch_all(&mut *conn)
    .await?;
    let mut requests = Vec::with_capacity(rows.len());
    for (id, created_at_ms) in rows {
        let contacts = contacts_of(&mut conn, &id).await?;
        requests.push(HelpRequest { id, created_at_ms, contacts });
    }
    Ok(AppJson(requests))
}

#[utoipa::path(get, path = "/v1/help-requests/incoming", tag = "households", security(("bearer" = [])),
    responses((status = 200, description = "Requests addressed to the caller in the last week, newest first", body = [IncomingHelp])))]
#[tracing::instrument(skip_all)]
async fn incoming(State(state): State<AppState>, user: AuthUser) -> Result<AppJson<Vec<IncomingHelp>>> {
    let since = crate::now_ms() - INCOMING_WINDOW_MS;
    let rows = sqlx::query(
        "SELECT r.id, r.senior_id, u.display_name, r.created_at_ms, d.reached_at_ms FROM help_deliveries d \
         JOIN help_requests r ON r.id = d.request_id JOIN users u ON u.id = r.senior_id \
         WHERE d.contact_id = $1 AND r.created_at_ms >= $2 ORDER BY r.created_at_ms DESC, r.id DESC LIMIT 50",
    )
    .bind(&user.user_id)
    .bind(since)
    .fetch_all(state.db.pool())
    .await?;
    let found = rows
        .iter()
        .map(|row| {
            Ok(IncomingHelp {
                id: row.try_get("id")?,
                senior_id: row.try_get("senior_id")?,
                senior_name: row.try_get("display_name")?,
                created_at_ms: row.try_get("created_at_ms")?,
                reached_at_ms: row.try_get("reached_at_ms")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(AppJson(found))
}

#[utoipa::path(post, path = "/v1/help-requests/{id}/reached", tag = "households", security(("bearer" = [])),
    params(("id" = String, Path, description = "The request")),
    responses((status = 200, description = "Marked reached (the first time counts)", body = IncomingHelp),
              (status = 404, description = "No such request addressed to the caller", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn reached(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> Result<AppJson<IncomingHelp>> {
    let mut tx = state.db.pool().begin().await?;
    let marked = sqlx::query(
        "UPDATE help_deliveries SET reached_at_ms = COALESCE(reached_at_ms, $1) WHERE request_id = $2 AND contact_id = $3",
    )
    .bind(crate::now_ms())
    .bind(&id)
    .bind(&user.user_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if marked == 0 {
        return Err(Error::NotFound);
    }
    let row = sqlx::query(
        "SELECT r.id, r.senior_id, u.display_name, r.created_at_ms, d.reached_at_ms FROM help_deliveries d \
         JOIN help_requests r ON r.id = d.request_id JOIN users u ON u.id = r.senior_id \
         WHERE d.request_id = $1 AND d.contact_id = $2",
    )
    .bind(&id)
    .bind(&user.user_id)
    .fetch_one(&mut *tx)
    .await?;
    let help = IncomingHelp {
        id: row.try_get("id")?,
        senior_id: row.try_get("senior_id")?,
        senior_name: row.try_get("display_name")?,
        created_at_ms: row.try_get("created_at_ms")?,
        reached_at_ms: row.try_get("reached_at_ms")?,
    };
    tx.commit().await?;
    Ok(AppJson(help))
}

#[utoipa::path(put, path = "/v1/households/mine/members/{id}/senior-mode", tag = "households", security(("bearer" = [])),
    params(("id" = String, Path, description = "The senior")), request_body = SetSeniorMode,
    responses((status = 200, description = "The senior's profile with the new mode", body = Profile),
              (status = 403, description = "Only the household's owner or the senior's family contacts", body = ErrorBody),
              (status = 404, description = "No such senior in the caller's household", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn set_senior_mode(
    State(state): State<AppState>,
    user: AuthUser,
    Path(senior_id): Path<String>,
    AppJson(request): AppJson<SetSeniorMode>,
) -> Result<AppJson<Profile>> {
    let mut tx = state.db.pool().begin().await?;
    // The change writes first (SQLite's lock); the checks after it roll it back when they fail.
    let change = ProfileChange { senior_mode: Some(request.enabled), ..ProfileChange::default() };
    let profile = crate::profiles::change(&mut tx, &senior_id, &change).await?;
    let allowed: Option<(String, i64)> = sqlx::query_as(
        "SELECT caller.role, CASE WHEN EXISTS (SELECT 1 FROM family_contacts f WHERE f.senior_id = $2 \
         AND f.contact_id = $1) THEN 1 ELSE 0 END AS contact \
         FROM household_members caller JOIN household_members senior ON senior.household_id = caller.household_id \
         WHERE caller.user_id = $1 AND senior.user_id = $2 AND senior.role = $3",
    )
    .bind(&user.user_id)
    .bind(&senior_id)
    .bind(HouseholdRole::Senior.as_str())
    .fetch_optional(&mut *tx)
    .await?;
    let Some((caller_role, contact)) = allowed else { return Err(Error::NotFound) };
    if caller_role != HouseholdRole::Owner.as_str() && contact != 1 {
        return Err(Error::Forbidden);
    }
    tx.commit().await?;
    tracing::info!(enabled = request.enabled, "senior mode switched by family");
    Ok(AppJson(profile))
}
