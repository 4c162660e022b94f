//! Self-reported tasks: the user says they did a task (aired the bedroom, cleaned a filter) and
//! gives a photo as proof. The photo is checked and made small on the device (decoded under the
//! shared rules, upright, at most 2048 px, re-encoded as JPEG so no location or camera data
//! leaves it) and kept with the task's event in the outbox, offline too; the sync uploads the
//! photo and sends the event naming it. The server counts it once, and only with that photo.

use hearth_core::ipc::ErrorCode;
use hearth_core::progress::{Event, is_self_reported};
use hearth_core::sync::overlay::ParticipationView;
use tauri::ipc::InvokeBody;
use tauri::{AppHandle, Runtime};

use crate::uploads::{header, prepare_photo};
use crate::{Error, Result};

/// Reports the self-reported task of a joined challenge (named by the `hearth-challenge-id`
/// header) as done now, with the request's raw body as the proof photo. Works offline: the photo
/// waits on the device with the event until a sync uploads both.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn report_task<R: Runtime>(
    app: AppHandle<R>,
    request: tauri::ipc::Request<'_>,
) -> Result<Vec<ParticipationView>> {
    let (account, engine) = crate::session::signed_in_engine(&app)?;
    let challenge_id = header(&request, hearth_core::ipc::header::CHALLENGE_ID)?;
    let InvokeBody::Raw(bytes) = request.body() else {
        return Err(Error::Refused(ErrorCode::NotAPhoto));
    };
    let catalog = crate::challenges::local_catalog(&app).await?;
    let challenge = catalog
        .iter()
        .find(|c| c.id == challenge_id && is_self_reported(&c.rule.trigger))
        .ok_or_else(|| Error::Refused(ErrorCode::NotFound))?;
    let mine = crate::challenges::mine_for(&account, engine, &catalog).await?;
    if !mine.iter().any(|p| p.challenge_id == challenge.id && p.completed_at_ms.is_none()) {
        return Err(Error::Refused(ErrorCode::NotJoined));
    }
    let jpeg = prepare_photo(bytes.clone()).await?;
    let event = Event {
        id: uuid::Uuid::now_v7().to_string(),
        kind: challenge.rule.trigger.clone(),
        occurred_at_ms: hearth_client::engine::now_ms(),
        duration_minutes: None,
        proof_photo_id: None,
    };
    engine.enqueue_proof(&account.user_id, event, &jpeg).await?;
    tracing::info!(challenge = %challenge.id, "self-reported task recorded");
    crate::session::queued(&app).await;
    crate::challenges::mine_for(&account, engine, &catalog).await
}
