//! Hearth's domain: the challenge catalog and its validation, challenge progress (counts, streaks
//! of local days, durations, streaks at risk), badges, the weekly league, reminders and warnings,
//! the virtual home, ledger rules, accounts, households and the community's rules, the device
//! setup guides, the locales and their translations, and the wire types shared by the server,
//! the shell and the UI (the API's bodies, the sync protocol, the UI-to-shell contract in `ipc`).
//!
//! This crate owns rules and types only. It performs no I/O (no files, sockets, clocks or
//! databases) and builds for `wasm32-unknown-unknown`, so the UI, the shell and the server all
//! depend on it and it depends on none of them.

#[macro_use]
mod codes;

pub mod account;
pub mod api;
pub mod badges;
pub mod catalog;
pub mod community;
pub mod error;
pub mod fields;
pub mod guide;
pub mod home;
pub mod household;
pub mod i18n;
#[cfg(feature = "images")]
pub mod images;
pub mod ipc;
pub mod league;
pub mod ledger;
pub mod progress;
pub mod reminders;
pub mod rewards;
pub mod sync;
pub mod text;

pub use error::{Error, Result};
