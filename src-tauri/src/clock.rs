//! The app's clocks: the device's local time, and periodic ticks (the reminders', the virtual
//! home's and the setup guides') that stop with the app. Below the features that tick.

use std::time::Duration;

use hearth_core::home::LocalTime;
use tauri::{AppHandle, Manager, Runtime};

use crate::sync::SyncState;

/// Now, in the device's time zone: the minute of the day and the day.
pub fn local_now() -> LocalTime {
    LocalTime::at(hearth_client::engine::now_ms(), &jiff::tz::TimeZone::system())
}

/// Runs `tick` every `period` until the app stops: the clocks of the reminders, the virtual home
/// and the setup guides.
pub fn spawn_clock<R, F, Fut>(app: AppHandle<R>, period: Duration, tick: F)
where
    R: Runtime,
    F: Fn(AppHandle<R>) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    tauri::async_runtime::spawn(async move {
        let mut every = tokio::time::interval(period);
        loop {
            every.tick().await;
            if app.state::<SyncState>().is_stopping() {
                break;
            }
            tick(app.clone()).await;
        }
    });
}
