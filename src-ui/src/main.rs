//! Hearth's UI: Leptos components compiled to wasm and loaded by the shell's webview.
//!
//! Components render and translate; they hold no business rules (those are in `hearth-core`) and
//! reach the shell only through [`api`], the one typed module over Tauri's `invoke`.

mod account;
mod api;
mod app;
mod challenges;
mod devices;
mod errors;
mod frame;
mod household;
mod i18n;
mod league;
mod paths;
mod preview;
mod queue;
mod recover;
mod rewards;
mod scroll;
mod senior;
mod settings;
mod setup;
mod share_card;
mod sign_in_code;
mod sign_up;
mod state;
mod widgets;
mod your_account;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
