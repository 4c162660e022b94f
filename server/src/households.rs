//! Households: create one, invite family with single-use codes, join, name a senior's family
//! contacts, remove members. Every route checks that the caller belongs to the household and,
//! where it matters, that they own it.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use hearth_core::api::ErrorBody;
use hearth_core::household::{
    CreateHousehold, CreateInvite, Household, HouseholdRole, INVITE_CODE_BYTES, INVITE_LIFETIME_MS, Invite,
    JoinHousehold, Member, SetFamilyContacts, SetMemberRole, canonical_invite_code, format_code,
    normalize_name,
};
use sqlx::{AnyConnection, Row};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{Error, Result};
use crate::extract::AppJson;
use crate::session::{AuthUser, hash_token};

/// Most family contacts one senior may have: a help request notifies every one of them.
pub const MAX_FAMILY_CONTACTS: usize = 10;

/// Routes of this resource.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create))
        .routes(routes!(mine))
        .routes(routes!(invite))
        .routes(routes!(join))
        .routes(routes!(set_contacts))
        .routes(routes!(remove_member))
        .routes(routes!(set_role))
}

/// The caller's household and role in it, or 404.
pub(crate) async fn membership(conn: &mut AnyConnection, user_id: &str) -> Result<(String, HouseholdRole)> {
    let row = sqlx::query("SELECT household_id, role FROM household_members WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(Error::NotFound)?;
    let role: String = row.try_get("role")?;
    Ok((
        row.try_get("household_id")?,
        HouseholdRole::from_storage(&role)
            .ok_or_else(|| Error::CorruptData(format!("household role `{role}`")))?,
    ))
}

/// The caller's household, their role and `member_id`'s, or 404 unless both belong to it.
async fn fellow_member(
    conn: &mut AnyConnection,
    caller_id: &str,
    member_id: &str,
) -> Result<(String, HouseholdRole, HouseholdRole)> {
    let (household_id, caller_role) = membership(conn, caller_id).await?;
    let (member_household, member_role) = membership(conn, member_id).await?;
    if member_household != household_id {
        return Err(Error::NotFound);
    }
    Ok((household_id, caller_role, member_role))
}

pub(crate) async fn load(conn: &mut AnyConnection, household_id: &str) -> Result<Household> {
    let name: String = sqlx::query_scalar("SELECT name FROM households WHERE id = $1")
        .bind(household_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(Error::NotFound)?;
    let rows = sqlx::query(
        "SELECT m.user_id, u.display_name, m.role, CASE WHEN u.set_up_by = m.household_id THEN 1 ELSE 0 END AS by_family \
         FROM household_members m JOIN users u ON u.id = m.user_id \
         WHERE m.household_id = $1 ORDER BY CASE m.role WHEN 'owner' THEN 0 ELSE 1 END, m.joined_at_ms, m.user_id",
    )
    .bind(household_id)
    .fetch_all(&mut *conn)
    .await?;
    let contacts: Vec<(String, String)> = sqlx::query_as(
        "SELECT senior_id, contact_id FROM family_contacts WHERE household_id = $1 ORDER BY contact_id",
    )
    .bind(household_id)
    .fetch_all(&mut *conn)
    .await?;
    let members = rows
        .iter()
        .map(|row| {
            let user_id: String = row.try_get("user_id")?;
            let role: String = row.try_get("role")?;
            Ok(Member {
                family_contacts: contacts
                    .iter()
                    .filter(|(s, _)| *s == user_id)
                    .map(|(_, c)| c.clone())
                    .collect(),
                user_id,
                display_name: row.try_get("display_name")?,
                set_up_by_family: row.try_get::<i64, _>("by_family")? == 1,
                role: HouseholdRole::from_storage(&role)
                    .ok_or_else(|| Error::CorruptData(format!("household role `{role}`")))?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Household { id: household_id.to_owned(), name, members })
}

/// Creates a household owned by `owner_id` in the caller's transaction (a write first); its id.
/// Someone who belongs to a household already is refused [`Error::Taken`].
pub(crate) async fn create_in(
    tx: &mut AnyConnection,
    owner_id: &str,
    name: &str,
    now_ms: i64,
) -> Result<String> {
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query("INSERT INTO households (id, name, owner_id, created_at_ms) VALUES ($1, $2, $3, $4)")
        .bind(&id)
        .bind(name)
        .bind(owner_id)
        .bind(now_ms)
        .execute(&mut *tx)
        .await?;
    add_member_in(tx, &id, owner_id, HouseholdRole::Owner, now_ms).await?;
    Ok(id)
}

/// Adds `user_id` to a household as `role`; someone who belongs to one already is refused
/// [`Error::Taken`].
pub(crate) async fn add_member_in(
    tx: &mut AnyConnection,
    household_id: &str,
    user_id: &str,
    role: HouseholdRole,
    now_ms: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO household_members (household_id, user_id, role, joined_at_ms) VALUES ($1, $2, $3, $4)",
    )
    .bind(household_id)
    .bind(user_id)
    .bind(role.as_str())
    .bind(now_ms)
    .execute(&mut *tx)
    .await
    .map_err(|e| crate::error::taken_on_unique(e, "household"))?;
    Ok(())
}

/// Makes `contact_id` one of the senior's family contacts (both members of the household, which
/// the caller has checked).
pub(crate) async fn add_contact_in(
    tx: &mut AnyConnection,
    household_id: &str,
    senior_id: &str,
    contact_id: &str,
) -> Result<()> {
    sqlx::query("INSERT INTO family_contacts (household_id, senior_id, contact_id) VALUES ($1, $2, $3)")
        .bind(household_id)
        .bind(senior_id)
        .bind(contact_id)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

#[utoipa::path(post, path = "/v1/households", tag = "households", security(("bearer" = [])), request_body = CreateHousehold,
    responses((status = 201, description = "Created, with the caller as owner", body = Household),
              (status = 409, description = "The caller already belongs to a household", body = ErrorBody),
              (status = 422, description = "A bad name", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn create(
    State(state): State<AppState>,
    user: AuthUser,
    AppJson(request): AppJson<CreateHousehold>,
) -> Result<(StatusCode, AppJson<Household>)> {
    let name = normalize_name(&request.name)?;
    let mut tx = state.db.pool().begin().await?;
    let id = create_in(&mut tx, &user.user_id, &name, crate::now_ms()).await?;
    let household = load(&mut tx, &id).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, AppJson(household)))
}

#[utoipa::path(get, path = "/v1/households/mine", tag = "households", security(("bearer" = [])),
    responses((status = 200, description = "The caller's household", body = Household),
              (status = 404, description = "The caller belongs to none", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn mine(State(state): State<AppState>, user: AuthUser) -> Result<AppJson<Household>> {
    let mut conn = state.db.pool().acquire().await?;
    let (household_id, _) = membership(&mut conn, &user.user_id).await?;
    Ok(AppJson(load(&mut conn, &household_id).await?))
}

#[utoipa::path(post, path = "/v1/households/mine/invites", tag = "households", security(("bearer" = [])), request_body = CreateInvite,
    responses((status = 201, description = "A single-use code to pass on", body = Invite),
              (status = 403, description = "Only the owner invites", body = ErrorBody),
              (status = 404, description = "The caller belongs to no household", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn invite(
    State(state): State<AppState>,
    user: AuthUser,
    AppJson(request): AppJson<CreateInvite>,
) -> Result<(StatusCode, AppJson<Invite>)> {
    let invited = HouseholdRole::from(request.role);
    let mut conn = state.db.pool().acquire().await?;
    let (household_id, role) = membership(&mut conn, &user.user_id).await?;
    if role != HouseholdRole::Owner {
        return Err(Error::Forbidden);
    }
    let mut bytes = [0u8; INVITE_CODE_BYTES];
    getrandom::fill(&mut bytes).map_err(|e| Error::Task(format!("no randomness for a code: {e}")))?;
    let code = format_code(&bytes);
    let canonical = canonical_invite_code(&code).ok_or_else(|| Error::Task("a code of our own".into()))?;
    let expires_at_ms = crate::now_ms() + INVITE_LIFETIME_MS;
    sqlx::query(
        "INSERT INTO household_invites (code_hash, household_id, role, created_by, expires_at_ms) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(hash_token(&canonical))
    .bind(&household_id)
    .bind(invited.as_str())
    .bind(&user.user_id)
    .bind(expires_at_ms)
    .execute(&mut *conn)
    .await?;
    Ok((StatusCode::CREATED, AppJson(Invite { code, role: invited, expires_at_ms })))
}

#[utoipa::path(post, path = "/v1/households/join", tag = "households", security(("bearer" = [])), request_body = JoinHousehold,
    responses((status = 200, description = "Joined", body = Household),
              (status = 404, description = "No such code", body = ErrorBody),
              (status = 409, description = "The code was used, or the caller already belongs to a household", body = ErrorBody),
              (status = 410, description = "The code has expired", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn join(
    State(state): State<AppState>,
    user: AuthUser,
    AppJson(request): AppJson<JoinHousehold>,
) -> Result<AppJson<Household>> {
    let now = crate::now_ms();
    // Read as meant (case, spaces, dashes, O for 0); an invitation from before codes were short
    // (a 43-character token) is read as typed.
    let code_hash =
        hash_token(&canonical_invite_code(&request.code).unwrap_or_else(|| request.code.trim().to_owned()));
    let mut tx = state.db.pool().begin().await?;
    // Claim the code first (a guarded write): two people racing for one code, one wins.
    let claimed = sqlx::query(
        "UPDATE household_invites SET used_by = $1, used_at_ms = $2 \
         WHERE code_hash = $3 AND used_by IS NULL AND expires_at_ms > $2",
    )
    .bind(&user.user_id)
    .bind(now)
    .bind(&code_hash)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let row = sqlx::query(
        "SELECT household_id, role, used_by, expires_at_ms FROM household_invites WHERE code_hash = $1",
    )
    .bind(&code_hash)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::NotFound)?;
    if claimed == 0 {
        let used_by: Option<String> = row.try_get("used_by")?;
        return Err(if used_by.is_some() { Error::CodeUsed } else { Error::CodeExpired });
    }
    let household_id: String = row.try_get("household_id")?;
    let role: String = row.try_get("role")?;
    let role = HouseholdRole::from_storage(&role)
        .ok_or_else(|| Error::CorruptData(format!("invite role `{role}`")))?;
    add_member_in(&mut tx, &household_id, &user.user_id, role, now).await?;
    let household = load(&mut tx, &household_id).await?;
    tx.commit().await?;
    Ok(AppJson(household))
}

#[utoipa::path(put, path = "/v1/households/mine/seniors/{id}/contacts", tag = "households", security(("bearer" = [])),
    params(("id" = String, Path, description = "The senior")), request_body = SetFamilyContacts,
    responses((status = 200, description = "The household with the senior's new contacts", body = Household),
              (status = 403, description = "Only the owner or the senior", body = ErrorBody),
              (status = 404, description = "No such senior in the caller's household", body = ErrorBody),
              (status = 422, description = "A contact is not another member", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn set_contacts(
    State(state): State<AppState>,
    user: AuthUser,
    Path(senior_id): Path<String>,
    AppJson(request): AppJson<SetFamilyContacts>,
) -> Result<AppJson<Household>> {
    if request.contact_ids.len() > MAX_FAMILY_CONTACTS {
        return Err(Error::InvalidField {
            field: "contactIds".into(),
            reason: format!("expected at most {MAX_FAMILY_CONTACTS} contacts"),
        });
    }
    let mut tx = state.db.pool().begin().await?;
    // Clear first (a write, for SQLite's lock); the checks below roll it back if they fail.
    sqlx::query("DELETE FROM family_contacts WHERE senior_id = $1")
        .bind(&senior_id)
        .execute(&mut *tx)
        .await?;
    let (household_id, caller_role) = membership(&mut tx, &user.user_id).await?;
    let household = load(&mut tx, &household_id).await?;
    let senior = household
        .members
        .iter()
        .find(|m| m.user_id == senior_id && m.role == HouseholdRole::Senior)
        .ok_or(Error::NotFound)?;
    if caller_role != HouseholdRole::Owner && user.user_id != senior.user_id {
        return Err(Error::Forbidden);
    }
    let mut contacts = request.contact_ids.clone();
    contacts.sort();
    contacts.dedup();
    for (i, contact) in contacts.iter().enumerate() {
        if *contact == senior_id || !household.members.iter().any(|m| m.user_id == *contact) {
            return Err(Error::InvalidField {
                field: format!("contactIds[{i}]"),
                reason: "expected another member of the household".into(),
            });
        }
        add_contact_in(&mut tx, &household_id, &senior_id, contact).await?;
    }
    let household = load(&mut tx, &household_id).await?;
    tx.commit().await?;
    Ok(AppJson(household))
}

#[utoipa::path(delete, path = "/v1/households/mine/members/{id}", tag = "households", security(("bearer" = [])),
    params(("id" = String, Path, description = "The member")),
    responses((status = 204, description = "Removed (or left)"),
              (status = 403, description = "Only the owner removes others", body = ErrorBody),
              (status = 404, description = "No such member", body = ErrorBody),
              (status = 409, description = "The owner cannot leave their own household", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn remove_member(
    State(state): State<AppState>,
    user: AuthUser,
    Path(member_id): Path<String>,
) -> Result<StatusCode> {
    let mut tx = state.db.pool().begin().await?;
    // Their contacts go with them (a write first, for SQLite's lock).
    sqlx::query("DELETE FROM family_contacts WHERE senior_id = $1 OR contact_id = $1")
        .bind(&member_id)
        .execute(&mut *tx)
        .await?;
    let (_, caller_role, member_role) = fellow_member(&mut tx, &user.user_id, &member_id).await?;
    if member_role == HouseholdRole::Owner {
        return Err(Error::OwnerCannotLeave);
    }
    if caller_role != HouseholdRole::Owner && user.user_id != member_id {
        return Err(Error::Forbidden);
    }
    sqlx::query("DELETE FROM household_members WHERE user_id = $1")
        .bind(&member_id)
        .execute(&mut *tx)
        .await?;
    crate::profiles::release_from_family(&mut tx, &member_id).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(put, path = "/v1/households/mine/members/{id}/role", tag = "households", security(("bearer" = [])),
    params(("id" = String, Path, description = "The member")), request_body = SetMemberRole,
    responses((status = 200, description = "The household with the member's new place", body = Household),
              (status = 403, description = "Only the owner changes places", body = ErrorBody),
              (status = 404, description = "No such member in the caller's household", body = ErrorBody),
              (status = 409, description = "`owner-cannot-leave`: the owner stays owner", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn set_role(
    State(state): State<AppState>,
    user: AuthUser,
    Path(member_id): Path<String>,
    AppJson(request): AppJson<SetMemberRole>,
) -> Result<AppJson<Household>> {
    let role = HouseholdRole::from(request.role);
    let mut tx = state.db.pool().begin().await?;
    // The change writes first (SQLite's lock); the checks after it roll it back when they fail.
    // The owner's own row is never changed here.
    sqlx::query("UPDATE household_members SET role = $1 WHERE user_id = $2 AND role <> $3")
        .bind(role.as_str())
        .bind(&member_id)
        .bind(HouseholdRole::Owner.as_str())
        .execute(&mut *tx)
        .await?;
    if role != HouseholdRole::Senior {
        // Only seniors have family contacts, and only they take device codes from family.
        sqlx::query("DELETE FROM family_contacts WHERE senior_id = $1")
            .bind(&member_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM device_sign_ins WHERE user_id = $1")
            .bind(&member_id)
            .execute(&mut *tx)
            .await?;
    }
    let (household_id, caller_role, member_role) = fellow_member(&mut tx, &user.user_id, &member_id).await?;
    if caller_role != HouseholdRole::Owner {
        return Err(Error::Forbidden);
    }
    if member_role == HouseholdRole::Owner {
        return Err(Error::OwnerCannotLeave);
    }
    let household = load(&mut tx, &household_id).await?;
    tx.commit().await?;
    Ok(AppJson(household))
}
