//! Hearth's Tauri shell: the window, the commands the UI calls, the local store (through
//! tauri-plugin-sql), the background worker that drives `hearth-client`'s sync engine, sign-in
//! with the session in secure storage, the room preview's host, the voice, notifications
//! (reminders, celebrations, help requests), the virtual home, rewards and proof photos.
//!
//! Modules run one way (`scripts/import-cycles.py` checks it): commands and the features'
//! commands on top; below them the services every feature reaches from the app handle
//! (`session`, `challenges`, `profile`, `uploads`, `clock`); below those the sync worker,
//! which announces each synced account through `hooks` and knows no feature (this file
//! subscribes celebrations, reminders and help deliveries); at the bottom the local store, the
//! account and the error type. The sync engine and the typed client of the server's API are
//! `hearth-client`'s: the shell drives them and holds no HTTP code of its own.
//!
//! The shell owns I/O on the device. It holds no business rules (those are in `hearth-core`)
//! and no screens (those are in `hearth-ui`). The app is built generic over the Tauri runtime so
//! tests drive the real commands, plugins and capabilities on Tauri's mock runtime.

pub mod account;
pub mod celebrate;
pub mod challenges;
pub mod clock;
pub mod commands;
pub mod community;
pub mod config;
pub mod error;
pub mod family;
pub mod guides;
pub mod help;
pub mod home;
pub mod hooks;
pub mod league;
pub mod links;
pub mod notify;
pub mod preview;
pub mod profile;
pub mod qr;
pub mod reminders;
pub mod rewards;
pub mod session;
pub mod store;
pub mod sync;
pub mod tasks;
pub mod uploads;
pub mod voice;

use tauri::{AppHandle, Manager, Runtime};

pub use config::ShellConfig;
pub use error::{Error, Result};

/// Registers Hearth's plugins, state, commands and start-up work on `builder`. `store_url` is
/// the local store the context preloads ([`store::store_url`]); its migrations are registered
/// under it.
pub fn configure<R: Runtime>(
    builder: tauri::Builder<R>,
    config: ShellConfig,
    store_url: &str,
) -> tauri::Builder<R> {
    configure_with_voice(builder, config, store_url, std::sync::Arc::new(voice::SystemVoice::new()))
}

/// [`configure`] with the voice that speaks guides and reads aloud (tests record instead).
pub fn configure_with_voice<R: Runtime>(
    builder: tauri::Builder<R>,
    config: ShellConfig,
    store_url: &str,
    voice: std::sync::Arc<dyn voice::Speaker>,
) -> tauri::Builder<R> {
    let sql = tauri_plugin_sql::Builder::new().add_migrations(store_url, store::migrations());
    let export_dir = config.export_dir.clone();
    builder
        // Must come before the SQL plugin: it sets a damaged store file aside before the SQL
        // plugin opens it.
        .plugin(store::guard())
        .plugin(sql.build())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_deep_link::init())
        .manage(sync::SyncState::default())
        .manage(sync::EngineCell::default())
        .manage(account::AccountState::default())
        .manage(home::HomeHost::default())
        .manage(reminders::ReminderHost::default())
        .manage(after_sync::<R>())
        .manage(links::OpeningLink::default())
        .invoke_handler(tauri::generate_handler![
            commands::list_challenges,
            commands::sync_status,
            commands::sync_now,
            commands::get_settings,
            commands::set_locale,
            commands::sign_in,
            commands::sign_up,
            commands::request_password_reset,
            commands::reset_password,
            commands::password_strength,
            commands::sign_out,
            commands::sign_out_everywhere,
            commands::set_display_name,
            commands::account_time_zone,
            commands::set_time_zone,
            commands::change_password,
            commands::change_email,
            commands::confirm_email,
            commands::sessions,
            commands::end_session,
            commands::current_account,
            commands::queued_changes,
            commands::discard_change,
            commands::my_challenges,
            commands::join_challenge,
            commands::leave_challenge,
            commands::record_events,
            commands::save_draft,
            commands::list_drafts,
            commands::delete_draft,
            commands::community_feed,
            commands::wallet,
            preview::preview_state,
            preview::preview_use_demo,
            preview::preview_import_photo,
            preview::preview_calibrate,
            preview::preview_set_wall,
            preview::preview_place,
            preview::preview_move,
            preview::preview_rotate,
            preview::preview_remove,
            preview::preview_set_light,
            preview::preview_export,
            preview::preview_share,
            guides::guides,
            guides::guide_current,
            guides::guide_start,
            guides::guide_input,
            guides::guide_close,
            guides::voice_settings,
            guides::set_voice_settings,
            guides::speak,
            help::senior_mode,
            help::set_senior_mode,
            help::ask_for_help,
            help::help_requests,
            home::home_state,
            home::home_act,
            reminders::reminder_settings,
            reminders::set_reminder_settings,
            rewards::rewards,
            rewards::redeem_reward,
            rewards::redemptions,
            rewards::redemption_qr,
            rewards::wallet_history,
            celebrate::share_completion,
            help::device_usage_consent,
            help::set_device_usage_consent,
            tasks::report_task,
            league::league,
            league::join_league,
            league::leave_league,
            family::my_household,
            family::create_household,
            family::invite_to_household,
            family::join_household,
            family::set_member_role,
            family::set_family_contacts,
            family::set_member_senior_mode,
            family::remove_member,
            family::set_up_senior,
            family::senior_sign_in_code,
            family::sign_in_with_code,
            links::opening_link,
        ])
        // Rendered room-preview frames for the webview's <img>; rendering runs off the UI thread.
        .register_asynchronous_uri_scheme_protocol(preview::SCHEME, |context, request, responder| {
            let app = context.app_handle().clone();
            tauri::async_runtime::spawn(async move {
                responder.respond(preview::serve(&app, &request).await);
            });
        })
        .setup(move |app| {
            links::keep_opening_link(app.handle());
            links::forward_arriving_links(app.handle());
            app.manage(preview::PreviewHost::new(export_dir)?);
            app.manage(guides::GuideHost::new(voice)?);
            let restoring = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                if let Err(error) = restoring.state::<guides::GuideHost>().restore(&restoring).await {
                    tracing::warn!(%error, "cannot restore the setup guide");
                }
                guides::spawn_clock(restoring.clone());
                home::spawn_clock(restoring.clone());
                reminders::spawn_clock(restoring);
            });
            if app.state::<store::StoreRecovered>().0 {
                app.state::<sync::SyncState>().mark_store_recovered();
            }
            sync::spawn(app.handle().clone(), config);
            Ok(())
        })
}

/// What follows each sync of the signed-in account: completed challenges are celebrated, new
/// progress or points may put a streak at risk or bring an expiry near, and family members get
/// their seniors' help requests.
fn after_sync<R: Runtime>() -> hooks::AfterSync<R> {
    hooks::AfterSync::default()
        .subscribe("celebrations", |app: AppHandle<R>, account| async move {
            let engine = app.state::<sync::EngineCell>().inner().get()?;
            celebrate::announce(&app, engine, &account).await
        })
        .subscribe("reminders", |app: AppHandle<R>, _account| async move { reminders::check(&app).await })
        .subscribe("help requests", |app: AppHandle<R>, account| async move {
            let engine = app.state::<sync::EngineCell>().inner().get()?;
            help::deliver_incoming(&app, engine, &account).await
        })
}

/// Runs the desktop or mobile app until its last window closes.
#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    let config = ShellConfig::from_env();
    tracing::info!(?config, "starting Hearth");
    let context = tauri::generate_context!("../tauri.conf.json");
    let builder = tauri::Builder::default();
    // First of all: a second start ends here, before any window or store.
    #[cfg(desktop)]
    let builder = builder.plugin(links::single_instance(&context.config().identifier));
    let app = store::store_url(context.config())
        .and_then(|url| Ok(configure(builder, config, &url).build(context)?));
    match app {
        Ok(app) => app.run(|app, event| {
            if let tauri::RunEvent::Exit = event {
                app.state::<sync::SyncState>().stop();
            }
        }),
        Err(error) => {
            tracing::error!(%error, "Hearth could not start");
            std::process::exit(1);
        }
    }
}
