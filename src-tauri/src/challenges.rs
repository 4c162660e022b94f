//! The challenges service: the local catalog, and the user's challenges as the device shows them
//! (the server's confirmed state with waiting changes laid over it, streaks judged in the user's
//! time zone). The commands of challenges, tasks and celebrations read through it.

use hearth_client::engine::{Account, Engine};
use hearth_core::catalog::{Aggregation, Challenge};
use hearth_core::progress::{Participation, streak_state};
use hearth_core::sync::overlay::{self, ParticipationView};
use hearth_core::sync::protocol::OpKind;
use tauri::{AppHandle, Runtime};

use crate::error::Result;
use crate::{session, store};

/// The signed-in user's challenges, judged against the local catalog.
pub async fn mine<R: Runtime>(app: &AppHandle<R>) -> Result<Vec<ParticipationView>> {
    let (account, engine) = session::signed_in_engine(app)?;
    mine_for(&account, engine, &local_catalog(app).await?).await
}

/// The signed-in user's challenges: the server's confirmed state with waiting changes laid over
/// it, judged against `catalog` (the local one).
pub async fn mine_for(
    account: &Account,
    engine: &Engine,
    catalog: &[Challenge],
) -> Result<Vec<ParticipationView>> {
    let confirmed: Vec<Participation> =
        engine.confirmed(&account.user_id, "participation").await?.into_iter().map(|(_, p)| p).collect();
    let pending = engine.pending_ops(&account.user_id).await?;
    let mut views = overlay::participations(&confirmed, &pending, catalog);
    let tz = crate::profile::time_zone_of(engine, &account.user_id).await?;
    let now = hearth_client::engine::now_ms();
    for view in &mut views {
        let is_streak = catalog
            .iter()
            .any(|c| c.id == view.challenge_id && matches!(c.rule.aggregation, Aggregation::Streak { .. }));
        if is_streak {
            view.streak = streak_state(&view.progress, view.pending_events > 0, &tz, now);
        }
    }
    Ok(views)
}

/// The local catalog.
pub async fn local_catalog<R: Runtime>(app: &AppHandle<R>) -> Result<Vec<Challenge>> {
    store::list_challenges(&store::pool(app).await?).await
}

/// Queues `kind` for the signed-in user, wakes the worker, and answers with the new view.
pub async fn change<R: Runtime>(app: &AppHandle<R>, kind: OpKind) -> Result<Vec<ParticipationView>> {
    session::enqueue(app, kind).await?;
    mine(app).await
}
