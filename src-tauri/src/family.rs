//! The household on the device: creating one, inviting family (a code, its `hearth://` link and
//! a QR code of it), joining, members' places and a senior's family contacts, switching a
//! senior's simple view, removing and leaving; and setting Hearth up for a parent, whose device
//! then signs in with a one-time code. All online (the household lives on the server); the
//! household as last read is shown offline.

use hearth_core::api::ApiCode;
use hearth_core::household::{
    CreateHousehold, CreateInvite, DeviceSignIn, DeviceSignInCode, Household, InviteRole, JoinHousehold,
    SetFamilyContacts, SetMemberRole, SetSeniorMode, SetUpSenior, join_link, sign_in_link,
};
use hearth_core::ipc::{AccountView, ErrorCode, Fetched, ShareCode};
use tauri::{AppHandle, Manager, Runtime};

use crate::account::{self, AccountState};
use crate::error::{Error, Result};
use crate::sync::{EngineCell, SyncState};
use crate::{session, store};

/// The code in what was typed or scanned: the code itself, or a `hearth://` link holding it.
fn code_in(typed: &str) -> String {
    let typed = typed.trim();
    typed
        .split_once('?')
        .and_then(|(_, query)| {
            form_urlencoded::parse(query.as_bytes())
                .find(|(key, _)| key == "code")
                .map(|(_, v)| v.into_owned())
        })
        .unwrap_or_else(|| typed.to_owned())
}

fn device_code(code: DeviceSignInCode) -> Result<ShareCode> {
    let link = sign_in_link(&code.code);
    Ok(ShareCode {
        qr_svg: crate::qr::svg(&link)?,
        link,
        code: code.code,
        for_name: Some(code.display_name),
        expires_at_ms: code.expires_at_ms,
    })
}

/// The user's household; `None` when they belong to none. As last read (and marked so) when
/// the server cannot be reached.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn my_household<R: Runtime>(app: AppHandle<R>) -> Result<Fetched<Option<Household>>> {
    let (account, engine) = session::signed_in_engine(&app)?;
    let fetch = async {
        match engine.client().my_household(&account.token).await {
            Err(error) if error.code() == Some(ApiCode::NotFound) => Ok(None),
            answer => answer.map(Some),
        }
    };
    Ok(engine.fetched_or_cached(&account, "household", hearth_client::engine::now_ms(), fetch).await?)
}

/// Creates a household with the user as its owner.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn create_household<R: Runtime>(app: AppHandle<R>, text: String) -> Result<Household> {
    let (account, engine) = session::signed_in_engine(&app)?;
    Ok(engine.client().create_household(&account.token, &CreateHousehold { name: text }).await?)
}

/// An invitation to the user's household: its code, the link that opens joining with it, and
/// that link as a QR code.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn invite_to_household<R: Runtime>(app: AppHandle<R>, role: InviteRole) -> Result<ShareCode> {
    let (account, engine) = session::signed_in_engine(&app)?;
    let invite = engine.client().invite(&account.token, &CreateInvite { role }).await?;
    let link = join_link(&invite.code);
    Ok(ShareCode {
        qr_svg: crate::qr::svg(&link)?,
        link,
        code: invite.code,
        for_name: None,
        expires_at_ms: invite.expires_at_ms,
    })
}

/// Joins a household with an invitation's code, or the link that holds it.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn join_household<R: Runtime>(app: AppHandle<R>, text: String) -> Result<Household> {
    let (account, engine) = session::signed_in_engine(&app)?;
    let request = JoinHousehold { code: code_in(&text) };
    if request.code.is_empty() {
        return Err(Error::Refused(ErrorCode::InvalidArgument));
    }
    Ok(engine.client().join_household(&account.token, &request).await?)
}

/// Makes a member a senior, or a family member again.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn set_member_role<R: Runtime>(
    app: AppHandle<R>,
    member_id: String,
    role: InviteRole,
) -> Result<Household> {
    let (account, engine) = session::signed_in_engine(&app)?;
    Ok(engine.client().set_member_role(&account.token, &member_id, &SetMemberRole { role }).await?)
}

/// The members a senior's help requests reach.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn set_family_contacts<R: Runtime>(
    app: AppHandle<R>,
    senior_id: String,
    contact_ids: Vec<String>,
) -> Result<Household> {
    let (account, engine) = session::signed_in_engine(&app)?;
    let request = SetFamilyContacts { contact_ids };
    Ok(engine.client().set_family_contacts(&account.token, &senior_id, &request).await?)
}

/// Switches a senior's simple view from this device; their app follows at its next sync.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn set_member_senior_mode<R: Runtime>(
    app: AppHandle<R>,
    member_id: String,
    enabled: bool,
) -> Result<bool> {
    let (account, engine) = session::signed_in_engine(&app)?;
    let profile =
        engine.client().set_senior_mode(&account.token, &member_id, &SetSeniorMode { enabled }).await?;
    Ok(profile.senior_mode)
}

/// Removes a member (the owner's), or leaves the household when it is the user.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn remove_member<R: Runtime>(app: AppHandle<R>, member_id: String) -> Result<()> {
    let (account, engine) = session::signed_in_engine(&app)?;
    Ok(engine.client().remove_member(&account.token, &member_id).await?)
}

/// Sets Hearth up for a parent: their account, in the household as a senior with the user as
/// their contact; the code answered signs their device in.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn set_up_senior<R: Runtime>(
    app: AppHandle<R>,
    display_name: String,
    email: String,
    locale: Option<hearth_core::i18n::Locale>,
) -> Result<ShareCode> {
    let (account, engine) = session::signed_in_engine(&app)?;
    let set_up =
        engine.client().set_up_senior(&account.token, &SetUpSenior { display_name, email, locale }).await?;
    device_code(set_up.sign_in)
}

/// A code that signs one more device in to a senior the household set up.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn senior_sign_in_code<R: Runtime>(app: AppHandle<R>, member_id: String) -> Result<ShareCode> {
    let (account, engine) = session::signed_in_engine(&app)?;
    device_code(engine.client().senior_sign_in_code(&account.token, &member_id).await?)
}

/// Signs this device in with a code (or the link holding it) that family made for it; the
/// session goes to secure storage as with a password.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn sign_in_with_code<R: Runtime>(app: AppHandle<R>, text: String) -> Result<AccountView> {
    let engine = app.state::<EngineCell>().inner().get()?;
    let pool = store::pool(&app).await?;
    let request = DeviceSignIn { code: code_in(&text) };
    let signed = engine.client().device_sign_in(&request).await?;
    // The code is spent: from here on, a failure must not read as a bad code.
    let view = account::keep(&pool, &app.state::<AccountState>(), signed).await?;
    // Challenges completed from now on are announced on this device; earlier ones are history.
    if let Err(error) =
        crate::celebrate::announce_from(&pool, &view.user_id, hearth_client::engine::now_ms()).await
    {
        tracing::warn!(%error, "cannot mark where announcements start");
    }
    app.state::<SyncState>().sync_now();
    Ok(view)
}
