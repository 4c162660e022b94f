//! Desktop and mobile notifications. On Linux the shell talks to the desktop's notification
//! service through notify-rust (the crate the notification plugin itself uses) so it can set an
//! urgency, which the plugin does not expose; elsewhere it goes through the plugin.

use tauri::{AppHandle, Runtime};
#[cfg(not(target_os = "linux"))]
use tauri_plugin_notification::NotificationExt;

/// How much a notification may interrupt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    /// A reminder: the desktop's normal handling.
    Normal,
    /// Must not wait (a help request): stays until dismissed, shown in do-not-disturb.
    Critical,
}

/// Shows a notification; the error says why it could not be shown.
pub fn show<R: Runtime>(app: &AppHandle<R>, title: &str, body: &str, urgency: Urgency) -> Result<(), String> {
    #[cfg(target_os = "linux")]
    {
        let _ = app;
        let level = match urgency {
            Urgency::Normal => notify_rust::Urgency::Normal,
            Urgency::Critical => notify_rust::Urgency::Critical,
        };
        notify_rust::Notification::new()
            .appname("Hearth")
            .summary(title)
            .body(body)
            .urgency(level)
            .show()
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = urgency;
        app.notification().builder().title(title).body(body).show().map_err(|e| e.to_string())
    }
}
