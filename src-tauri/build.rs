//! Compiles the top-level `tauri.conf.json` and declares the app's own commands, so each one needs
//! an explicit permission in `capabilities/` (nothing is allowed by default).

fn main() {
    let commands = tauri_build::AppManifest::new().commands(&[
        "list_challenges",
        "sync_status",
        "sync_now",
        "get_settings",
        "set_locale",
        "sign_in",
        "sign_out",
        "current_account",
        "queued_changes",
        "discard_change",
        "my_challenges",
        "join_challenge",
        "leave_challenge",
        "record_events",
        "save_draft",
        "list_drafts",
        "delete_draft",
        "community_feed",
        "wallet",
        "preview_state",
        "preview_use_demo",
        "preview_import_photo",
        "preview_calibrate",
        "preview_set_wall",
        "preview_place",
        "preview_move",
        "preview_rotate",
        "preview_remove",
        "preview_set_light",
        "preview_export",
        "preview_share",
        "guides",
        "guide_current",
        "guide_start",
        "guide_input",
        "guide_close",
        "voice_settings",
        "set_voice_settings",
        "speak",
        "senior_mode",
        "set_senior_mode",
        "ask_for_help",
        "help_requests",
    ]);
    tauri_build::try_build(
        tauri_build::Attributes::new().config_path("../tauri.conf.json").app_manifest(commands),
    )
    .expect("failed to run tauri-build");
}
