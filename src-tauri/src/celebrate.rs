//! "Challenge completed" notifications: after each sync, every participation the server now
//! reports completed since the account signed in on this device, and not announced yet, is
//! announced once, with the points it earned. Earlier completions are history, not news.

use std::collections::BTreeSet;

use hearth_client::engine::{Account, Engine};
use hearth_core::i18n::{Locale, Translator};
use hearth_core::ipc::ErrorCode;
use hearth_core::progress::Participation;
use tauri::{AppHandle, Runtime};

use crate::notify::{Urgency, show};
use crate::{Error, Result, store};

fn key(user_id: &str) -> String {
    format!("announced-completions:{user_id}")
}

fn since_key(user_id: &str) -> String {
    format!("announce-completions-since:{user_id}")
}

/// Completions from `now_ms` on are announced for `user_id` (called at sign-in).
pub async fn announce_from(pool: &sqlx::SqlitePool, user_id: &str, now_ms: i64) -> Result<()> {
    store::set_setting(pool, &since_key(user_id), Some(&now_ms.to_string())).await
}

/// Announces newly completed challenges; returns how many were announced.
pub async fn announce<R: Runtime>(app: &AppHandle<R>, engine: &Engine, account: &Account) -> Result<usize> {
    let pool = store::pool(app).await?;
    let since = match store::setting(&pool, &since_key(&account.user_id)).await? {
        Some(ms) => ms.parse::<i64>().map_err(|e| Error::CorruptRecord(format!("announce since: {e}")))?,
        None => {
            // Signed in by an older version: from now on.
            let now = hearth_client::engine::now_ms();
            announce_from(&pool, &account.user_id, now).await?;
            now
        }
    };
    let mut announced: BTreeSet<String> =
        store::setting_json(&pool, &key(&account.user_id)).await?.unwrap_or_default();
    let new: Vec<Participation> = engine
        .confirmed::<Participation>(&account.user_id, "participation")
        .await?
        .into_iter()
        .map(|(_, p)| p)
        .filter(|p| p.completed_at_ms.is_some_and(|at| at >= since) && !announced.contains(&p.challenge_id))
        .collect();
    if new.is_empty() {
        return Ok(0);
    }
    let locale = store::settings(&pool).await?.locale.unwrap_or(Locale::En);
    let translator = Translator::new(locale);
    let catalog = store::list_challenges(&pool).await?;
    let mut shown = 0;
    for participation in &new {
        let Some(challenge) = catalog.iter().find(|c| c.id == participation.challenge_id) else { continue };
        let title = translator.t("challenge-completed-title");
        let body = translator.t_with(
            "challenge-completed-body",
            &[("title", challenge.title.get(locale).to_owned().into()), ("points", challenge.points.into())],
        );
        if let Err(error) = show(app, &title, &body, Urgency::Normal) {
            // Not shown now: not marked, so the next sync tries again.
            tracing::warn!(%error, "cannot announce a completed challenge");
            continue;
        }
        shown += 1;
        announced.insert(participation.challenge_id.clone());
    }
    store::set_setting_json(&pool, &key(&account.user_id), Some(&announced)).await?;
    Ok(shown)
}

/// Shares a completed challenge (named by the `hearth-challenge-id` header) to the community
/// feed as a post with the text of the `hearth-caption` header and, when the request's raw body
/// is not empty, that picture (the card the UI drew; checked and re-encoded like any photo).
/// Signed in and online; only a challenge the server has recorded completed.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn share_completion<R: Runtime>(
    app: AppHandle<R>,
    request: tauri::ipc::Request<'_>,
) -> Result<hearth_core::ipc::SharedPost> {
    let (account, engine) = crate::session::signed_in_engine(&app)?;
    let challenge_id = crate::uploads::header(&request, hearth_core::ipc::header::CHALLENGE_ID)?;
    let text = percent_encoding::percent_decode_str(&crate::uploads::header(
        &request,
        hearth_core::ipc::header::CAPTION,
    )?)
    .decode_utf8()
    .map_err(|_| Error::Refused(ErrorCode::InvalidText))?
    .into_owned();
    let completed = engine
        .confirmed::<Participation>(&account.user_id, "participation")
        .await?
        .into_iter()
        .any(|(_, p)| p.challenge_id == challenge_id && p.completed_at_ms.is_some());
    if !completed {
        return Err(Error::Refused(ErrorCode::NotCompleted));
    }
    let card = match request.body() {
        tauri::ipc::InvokeBody::Raw(bytes) if !bytes.is_empty() => {
            Some(crate::uploads::prepare_photo(bytes.clone()).await?)
        }
        _ => None,
    };
    let post = crate::community::publish(engine, &account, card, &text).await?;
    Ok(hearth_core::ipc::SharedPost { post_id: post.id })
}
