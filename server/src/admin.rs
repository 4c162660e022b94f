//! Operators' account administration: find an account by e-mail and set its role (and, for
//! staff, its store). The first operator is made from the command line
//! (`hearth-server set-role`), which shares [`set_role`] with the endpoint.

use axum::extract::{Path, State};
use hearth_core::account::{Account, Role, SetRole, normalize_email};
use hearth_core::api::ErrorBody;
use serde::Deserialize;
use sqlx::{AnyConnection, Row};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{Error, Result};
use crate::extract::{AppJson, AppQuery};
use crate::session::AuthUser;

/// Routes of this resource.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(find)).routes(routes!(change_role))
}

async fn load(conn: &mut AnyConnection, column: &str, value: &str) -> Result<Account> {
    let row = sqlx::query(&format!(
        "SELECT id, email, display_name, role, store_id FROM users WHERE {column} = $1"
    ))
    .bind(value)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(Error::NotFound)?;
    let role: String = row.try_get("role")?;
    Ok(Account {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        display_name: row.try_get("display_name")?,
        role: Role::from_storage(&role).ok_or_else(|| Error::CorruptData(format!("role `{role}`")))?,
        store_id: row.try_get("store_id")?,
    })
}

/// Sets the role (and store) of the account with `email`; the change applies to its very next
/// request, since every request reads the role afresh.
pub async fn set_role(conn: &mut AnyConnection, email: &str, change: &SetRole) -> Result<Account> {
    let email = normalize_email(email)?;
    let store = change.store()?;
    let changed = sqlx::query("UPDATE users SET role = $1, store_id = $2 WHERE email = $3")
        .bind(change.role.as_str())
        .bind(store)
        .bind(&email)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    if changed == 0 {
        return Err(Error::NotFound);
    }
    load(conn, "email", &email).await
}

/// Which account to find.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct FindQuery {
    /// Its e-mail address.
    email: String,
}

#[utoipa::path(get, path = "/v1/admin/accounts", tag = "auth", security(("bearer" = [])), params(FindQuery),
    responses((status = 200, description = "The account with that address", body = Account),
              (status = 403, description = "Operators only", body = ErrorBody),
              (status = 404, description = "No account has that address", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn find(
    State(state): State<AppState>,
    user: AuthUser,
    AppQuery(query): AppQuery<FindQuery>,
) -> Result<AppJson<Account>> {
    user.require(Role::Operator)?;
    let email = normalize_email(&query.email)?;
    let mut conn = state.db.pool().acquire().await?;
    Ok(AppJson(load(&mut conn, "email", &email).await?))
}

#[utoipa::path(put, path = "/v1/admin/accounts/{id}/role", tag = "auth", security(("bearer" = [])),
    params(("id" = String, Path, description = "The account")), request_body = SetRole,
    responses((status = 200, description = "The account with its new role", body = Account),
              (status = 403, description = "Operators only", body = ErrorBody),
              (status = 404, description = "No such account", body = ErrorBody),
              (status = 422, description = "A bad store, or an operator demoting themselves", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn change_role(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
    AppJson(change): AppJson<SetRole>,
) -> Result<AppJson<Account>> {
    user.require(Role::Operator)?;
    if id == user.user_id && change.role != Role::Operator {
        // Another operator must do it: nobody locks the last operator out by a slip.
        return Err(Error::InvalidField {
            field: "role".into(),
            reason: "you cannot demote yourself".into(),
        });
    }
    let mut conn = state.db.pool().acquire().await?;
    let account = load(&mut conn, "id", &id).await?;
    let account = set_role(&mut conn, &account.email, &change).await?;
    tracing::info!(account = %account.id, role = account.role.as_str(), by = %user.user_id, "role changed");
    Ok(AppJson(account))
}
