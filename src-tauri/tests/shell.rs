//! The shell on Tauri's mock runtime, with its real plugins, commands, capabilities and local
//! SQLite store, syncing from a real `hearth-server` on loopback (and, for bad answers, from small
//! axum servers that answer wrongly on purpose). Commands are invoked through IPC as the webview
//! would, so the capability checks apply.

use std::path::Path;
use std::time::{Duration, Instant};

use hearth_app_lib::voice::{RecordingVoice, Speaker, SystemVoice, VoiceError};
use hearth_app_lib::{ShellConfig, configure_with_voice};
use hearth_client::Client;
use hearth_core::account::{ProfileChange, SignInRequest, SignUpRequest, SignedIn};
use hearth_core::catalog::{Catalog, Challenge};
use hearth_core::guide::{Input, Prompt};
use hearth_core::i18n::Locale;
use hearth_core::ipc::{
    AccountView, Connectivity, Draft, ExportedImage, FeedView, Fetched, GuideSummary, GuideView, HomeView,
    PreviewMount, PreviewState, QueuedChange, Settings, SharedPost, SyncProblem, SyncStatus, VoiceSettings,
    VoiceStatus, WalletSummary, command,
};
use hearth_core::league::LeagueView;
use hearth_core::ledger::GrantRequest;
use hearth_core::progress::StreakState;
use hearth_core::reminders::ReminderSettings;
use hearth_core::sync::overlay::ParticipationView;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use tauri::test::{INVOKE_KEY, MockRuntime, mock_builder};
use tauri::webview::InvokeRequest;
use tauri::{Manager, WebviewWindow};

/// The app under test, on a store in `dir`.
struct TestApp {
    app: tauri::App<MockRuntime>,
    webview: WebviewWindow<MockRuntime>,
}

impl TestApp {
    fn start(dir: &Path, server_url: &str) -> Self {
        Self::start_with(dir, server_url, None)
    }

    fn start_with(dir: &Path, server_url: &str, export_dir: Option<&Path>) -> Self {
        Self::start_full(dir, server_url, export_dir, RecordingVoice::new())
    }

    fn start_full(
        dir: &Path,
        server_url: &str,
        export_dir: Option<&Path>,
        voice: std::sync::Arc<dyn hearth_app_lib::voice::Speaker>,
    ) -> Self {
        let mut context = tauri::generate_context!("../tauri.conf.json", test = true);
        let store_url = format!("sqlite:{}", dir.join("hearth.db").display());
        context.config_mut().plugins.0.insert("sql".into(), json!({ "preload": [store_url] }));
        let config = ShellConfig {
            server_url: server_url.to_owned(),
            sync_interval: Duration::from_millis(200),
            max_backoff: Duration::from_millis(400),
            request_timeout: Duration::from_secs(3),
            export_dir: export_dir.map(Path::to_path_buf),
            ..ShellConfig::default()
        };
        let mut app = configure_with_voice(mock_builder(), config, &store_url, voice)
            .build(context)
            .expect("the app builds");
        // Setup (windows from the config, the sync worker) runs when the event loop starts; one
        // iteration of the mock runtime's loop starts it.
        #[allow(deprecated)]
        app.run_iteration(|_, _| {});
        let webview = app.get_webview_window("main").expect("the main window from tauri.conf.json");
        Self { app, webview }
    }

    fn invoke<T: DeserializeOwned>(&self, cmd: &str, args: Value) -> Result<T, Value> {
        self.invoke_body(cmd, tauri::ipc::InvokeBody::Json(args))
    }

    fn invoke_body<T: DeserializeOwned>(&self, cmd: &str, body: tauri::ipc::InvokeBody) -> Result<T, Value> {
        self.invoke_with_headers(cmd, body, &[])
    }

    fn invoke_with_headers<T: DeserializeOwned>(
        &self,
        cmd: &str,
        body: tauri::ipc::InvokeBody,
        headers: &[(&'static str, &str)],
    ) -> Result<T, Value> {
        let mut header_map = tauri::http::HeaderMap::new();
        for (name, value) in headers {
            header_map.insert(*name, value.parse().expect("a header value"));
        }
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: tauri::ipc::CallbackFn(0),
            error: tauri::ipc::CallbackFn(1),
            url: "tauri://localhost".parse().expect("url"),
            body,
            headers: header_map,
            invoke_key: INVOKE_KEY.to_string(),
        };
        tauri::test::get_ipc_response(&self.webview, request)
            .map(|body| body.deserialize::<T>().expect("response of the declared type"))
    }

    fn challenges(&self) -> Vec<Challenge> {
        self.invoke(command::LIST_CHALLENGES, json!({})).expect("list_challenges")
    }

    fn status(&self) -> SyncStatus {
        self.invoke(command::SYNC_STATUS, json!({})).expect("sync_status")
    }

    /// Polls the status until `done` holds; readiness, not a fixed sleep.
    fn wait_for(&self, what: &str, done: impl Fn(&SyncStatus) -> bool) -> SyncStatus {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let status = self.status();
            if done(&status) {
                return status;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}; last status {status:?}");
            std::thread::sleep(Duration::from_millis(25));
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.app.state::<hearth_app_lib::sync::SyncState>().stop();
    }
}

/// A server's serving future, boxed so real and fake servers share one type.
type Serving = std::pin::Pin<Box<dyn Future<Output = ()> + Send>>;

/// A server on loopback, run on its own thread and runtime, stopped on drop.
struct TestServer {
    url: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TestServer {
    /// The real hearth-server on a SQLite file in `dir`.
    fn real(dir: &Path) -> Self {
        Self::real_on(dir, std::net::SocketAddr::from(([127, 0, 0, 1], 0)))
    }

    /// The real hearth-server on a SQLite file in `dir`, listening on `listen` (the address of
    /// one stopped before: the server is back where the app expects it).
    fn real_on(dir: &Path, listen: std::net::SocketAddr) -> Self {
        let mut config = hearth_server::Config::for_database(format!("sqlite://{}/server.db", dir.display()));
        config.listen = listen;
        // Photos in this test's directory, not shared with other tests.
        config.media_dir = dir.join("media");
        Self::spawn(move |stopped| async move {
            let server = hearth_server::Server::bind(&config).await.expect("hearth-server starts");
            let addr = server.local_addr().expect("bound");
            let serving: Serving = Box::pin(async move { server.run(stopped).await.expect("server ran") });
            (addr, serving)
        })
    }

    /// A server that answers every request with `status` and `body`.
    fn answering(status: u16, body: Vec<u8>) -> Self {
        Self::spawn(move |stopped| async move {
            let status = axum::http::StatusCode::from_u16(status).expect("status");
            let app = axum::Router::new().fallback(move || {
                let body = body.clone();
                async move { (status, body) }
            });
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
            let addr = listener.local_addr().expect("bound");
            let serving: Serving = Box::pin(async move {
                axum::serve(listener, app).with_graceful_shutdown(stopped).await.expect("served");
            });
            (addr, serving)
        })
    }

    fn spawn<F, Fut>(start: F) -> Self
    where
        F: FnOnce(Serving) -> Fut + Send + 'static,
        Fut: Future<Output = (std::net::SocketAddr, Serving)>,
    {
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let (ready, addr) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Runtime::new().expect("runtime");
            runtime.block_on(async move {
                let (addr, serve) = start(Box::pin(async move {
                    let _ = stopped.await;
                }))
                .await;
                ready.send(addr).expect("report address");
                serve.await;
            });
        });
        let addr = addr.recv_timeout(Duration::from_secs(30)).expect("server started");
        Self { url: format!("http://{addr}/"), stop: Some(stop), thread: Some(thread) }
    }

    fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            thread.join().expect("server thread");
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn shipped_catalog() -> Vec<Challenge> {
    Catalog::shipped().expect("seed").challenges
}

/// A port nothing listens on: bound, then released.
fn unreachable_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    format!("http://{addr}/")
}

#[test]
fn syncs_the_server_catalog_and_keeps_listing_it_once_the_server_is_gone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = TestServer::real(dir.path());
    let app = TestApp::start(dir.path(), &server.url);

    let status = app.wait_for("the first sync", |s| s.connectivity == Connectivity::Online);
    assert!(status.last_synced_at_ms.is_some() && status.problem.is_none(), "{status:?}");
    assert_eq!(app.challenges(), shipped_catalog());

    server.stop();
    app.invoke::<()>(command::SYNC_NOW, json!({})).expect("sync_now");
    let status = app.wait_for("offline", |s| s.connectivity == Connectivity::Offline);
    assert_eq!(status.problem, Some(SyncProblem::Unreachable));
    assert!(status.last_synced_at_ms.is_some(), "the last sync time survives going offline");
    assert_eq!(app.challenges(), shipped_catalog(), "the saved catalog is still listed");
}

#[test]
fn the_chosen_language_is_remembered_across_restarts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = TestApp::start(dir.path(), &unreachable_url());
    let settings: Settings = app.invoke(command::GET_SETTINGS, json!({})).expect("get_settings");
    assert_eq!(settings.locale, None, "a new install follows the system language");
    let settings: Settings = app.invoke(command::SET_LOCALE, json!({ "locale": "en" })).expect("set_locale");
    assert_eq!(settings.locale, Some(Locale::En));
    let refused = app.invoke::<Settings>(command::SET_LOCALE, json!({ "locale": "fr" }));
    assert!(refused.is_err(), "an unsupported locale is refused: {refused:?}");
    drop(app);

    let app = TestApp::start(dir.path(), &unreachable_url());
    let settings: Settings = app.invoke(command::GET_SETTINGS, json!({})).expect("get_settings");
    assert_eq!(settings.locale, Some(Locale::En));
}

#[test]
fn bad_answers_leave_the_saved_catalog_untouched_and_say_why() {
    let dir = tempfile::tempdir().expect("tempdir");
    {
        let server = TestServer::real(dir.path());
        let app = TestApp::start(dir.path(), &server.url);
        app.wait_for("the first sync", |s| s.connectivity == Connectivity::Online);
    }
    let mut invalid = serde_json::to_value(Catalog { challenges: shipped_catalog() }).expect("json");
    invalid["challenges"][0]["points"] = json!(0);
    // 3 MiB of otherwise valid JSON: over the shell's 2 MiB limit.
    let oversized = format!(r#"{{"challenges": [], "padding": "{}"}}"#, "x".repeat(3 * 1024 * 1024));
    let cases: Vec<(&str, TestServer, SyncProblem)> = vec![
        (
            "malformed JSON",
            TestServer::answering(200, br#"{"challenges": [{"id": "#.to_vec()),
            SyncProblem::BadResponse,
        ),
        (
            "not a catalog",
            TestServer::answering(200, b"<html>captive portal</html>".to_vec()),
            SyncProblem::BadResponse,
        ),
        (
            "a rule broken",
            TestServer::answering(200, invalid.to_string().into_bytes()),
            SyncProblem::BadResponse,
        ),
        ("oversized", TestServer::answering(200, oversized.into_bytes()), SyncProblem::TooLarge),
        (
            "a server error",
            TestServer::answering(503, b"down for maintenance".to_vec()),
            SyncProblem::ServerError { status: 503 },
        ),
        ("wrong path", TestServer::answering(404, Vec::new()), SyncProblem::ServerError { status: 404 }),
    ];
    for (what, server, expected) in cases {
        let app = TestApp::start(dir.path(), &server.url);
        let status = app.wait_for(what, |s| s.problem.is_some());
        assert_eq!(status.problem, Some(expected), "{what}");
        assert_eq!(status.connectivity, Connectivity::Offline, "{what}");
        assert!(status.last_synced_at_ms.is_some(), "{what}: the last good sync is still shown");
        assert_eq!(app.challenges(), shipped_catalog(), "{what} changed the saved catalog");
    }

    let app = TestApp::start(dir.path(), "not a url");
    let status = app.wait_for("an invalid server URL", |s| s.problem.is_some());
    assert_eq!(status.problem, Some(SyncProblem::InvalidServerUrl));
    assert_eq!(app.challenges(), shipped_catalog());
}

#[test]
fn a_damaged_local_store_is_set_aside_and_refilled_from_the_server() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("hearth.db"), b"this was a database once").expect("write");
    let server = TestServer::real(dir.path());
    let app = TestApp::start(dir.path(), &server.url);
    let status = app.wait_for("the first sync", |s| s.connectivity == Connectivity::Online);
    assert!(status.store_recovered, "the UI is told the store was rebuilt");
    assert_eq!(app.challenges(), shipped_catalog());
    let set_aside = std::fs::read_dir(dir.path())
        .expect("read dir")
        .filter_map(|e| e.ok())
        .any(|e| e.file_name().to_string_lossy().starts_with("hearth.db.damaged-"));
    assert!(set_aside, "the damaged file is kept aside, not deleted");
}

/// Every command that takes arguments accepts the struct the UI sends (`hearth_core::ipc::args`):
/// a renamed or retyped field would fail here as Tauri's "invalid args", never as a screen that
/// silently does nothing. What each command then answers is the other tests' business.
#[test]
fn every_command_accepts_the_arguments_the_ui_sends() {
    use hearth_core::ipc::args;
    let dir = tempfile::tempdir().expect("tempdir");
    let app = TestApp::start(dir.path(), &unreachable_url());
    fn to<T: serde::Serialize>(arguments: &T) -> Value {
        serde_json::to_value(arguments).expect("arguments serialize")
    }
    let challenge = args::OfChallenge { challenge_id: "no-such-challenge".into() };
    let calls: Vec<(&str, Value)> = vec![
        (command::SET_LOCALE, to(&args::SetLocale { locale: Locale::En })),
        (command::SIGN_IN, to(&args::SignIn { email: "a@example.com".into(), password: "x".into() })),
        (command::SIGN_OUT, to(&args::SignOut { discard_pending: false })),
        (command::JOIN_CHALLENGE, to(&challenge)),
        (command::LEAVE_CHALLENGE, to(&challenge)),
        (command::DISCARD_CHANGE, to(&args::DiscardChange { op_id: "op".into() })),
        (
            command::PREVIEW_CALIBRATE,
            to(&args::Calibrate { corners: [[0.0; 2]; 4], width_m: 1.0, depth_m: 1.0 }),
        ),
        (command::PREVIEW_SET_WALL, to(&args::SetWall { from: [0.0; 2], to: [1.0; 2] })),
        (command::PREVIEW_PLACE, to(&args::Place { product: "none".into(), at: [0.0; 2] })),
        (command::PREVIEW_MOVE, to(&args::Move { id: 9, at: [0.0; 2] })),
        (command::PREVIEW_ROTATE, to(&args::Rotate { id: 9, degrees: 90.0 })),
        (command::PREVIEW_REMOVE, to(&args::OfItem { id: 9 })),
        (command::PREVIEW_SET_LIGHT, to(&args::SetLight { id: 9, light: None })),
        (command::PREVIEW_SHARE, to(&args::WithText { text: "x".into() })),
        (command::GUIDE_START, to(&args::GuideStart { guide_id: "none".into(), locale: Locale::En })),
        (command::GUIDE_INPUT, to(&args::GuideInput { input: Input::Repeat, locale: Locale::En })),
        (command::SET_VOICE_SETTINGS, to(&args::WithSettings { settings: VoiceSettings::default() })),
        (command::SPEAK, to(&args::Speak { text: String::new(), locale: Locale::En })),
        (command::SET_SENIOR_MODE, to(&args::Switch { enabled: false })),
        (command::SET_DEVICE_USAGE_CONSENT, to(&args::Switch { enabled: false })),
        (command::HOME_ACT, to(&args::HomeAct { action: hearth_core::home::Action::AllLightsOff })),
        (command::SET_REMINDER_SETTINGS, to(&args::WithSettings { settings: ReminderSettings::default() })),
        (command::REDEEM_REWARD, to(&args::Redeem { reward_id: "r".into(), redemption_id: "x".into() })),
        (command::REDEMPTION_QR, to(&args::RedemptionQr { code: "HEARTH-1".into() })),
        (command::WALLET_HISTORY, to(&args::PageBefore { before: None })),
        (command::COMMUNITY_FEED, to(&args::PageBefore { before: None })),
    ];
    for (name, arguments) in calls {
        if let Err(Value::String(refusal)) = app.invoke::<Value>(name, arguments.clone()) {
            assert!(!refusal.contains("invalid args"), "{name} does not take {arguments}: {refusal}");
        }
    }
}

#[test]
fn the_webview_may_not_use_sql_or_notifications_directly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = TestApp::start(dir.path(), &unreachable_url());
    let store_url = format!("sqlite:{}", dir.path().join("hearth.db").display());
    let sql = app
        .invoke::<Value>("plugin:sql|select", json!({ "db": store_url, "query": "SELECT 1", "values": [] }));
    let denied = |result: &Result<Value, Value>| {
        result.as_ref().err().and_then(Value::as_str).is_some_and(|e| e.contains("not allowed"))
    };
    assert!(denied(&sql), "raw SQL from the webview must be denied by the capabilities: {sql:?}");
    let notify = app.invoke::<Value>("plugin:notification|notify", json!({ "options": { "title": "x" } }));
    assert!(denied(&notify), "notifications from the webview must be denied: {notify:?}");
    // The UI's own commands are allowed.
    assert!(app.invoke::<Vec<Challenge>>(command::LIST_CHALLENGES, json!({})).is_ok());
}

/// What signing `email` up asks for (the password every test account has).
fn sign_up_request(email: &str, time_zone: Option<String>) -> SignUpRequest {
    SignUpRequest {
        email: email.to_owned(),
        password: "warm home 2026".to_owned(),
        display_name: "Mei".to_owned(),
        locale: None,
        time_zone,
    }
}

/// Signs `email` up at `server` (the way the app's own sign-up screen will); answers the id.
fn sign_up(server: &TestServer, email: &str) -> String {
    api(server, async |c| c.sign_up(&sign_up_request(email, None)).await).expect("sign up").profile.id
}

#[test]
fn the_session_lives_in_secure_storage_never_in_the_store_and_sign_out_removes_every_trace() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = TestServer::real(dir.path());
    let user_id = sign_up(&server, "mei@example.com");
    let app = TestApp::start(dir.path(), &server.url);
    app.wait_for("the first sync", |s| s.connectivity == Connectivity::Online && !s.signed_in);
    let current: Option<AccountView> =
        app.invoke(command::CURRENT_ACCOUNT, json!({})).expect("current_account");
    assert_eq!(current, None);

    let wrong = app.invoke::<AccountView>(
        command::SIGN_IN,
        json!({ "email": "mei@example.com", "password": "nope nope nope" }),
    );
    assert_eq!(wrong.expect_err("refused")["code"], "wrong-credentials");
    let view: AccountView = app
        .invoke(command::SIGN_IN, json!({ "email": "MEI@example.com", "password": "warm home 2026" }))
        .expect("sign_in");
    assert_eq!(
        (view.user_id.as_str(), view.email.as_str(), view.remembered),
        (user_id.as_str(), "mei@example.com", true)
    );
    let token = keyring::Entry::new("app.hearth.companion", &user_id)
        .and_then(|entry| entry.get_password())
        .expect("the session is in the platform's secure storage");
    app.wait_for("the account's first sync", |s| {
        s.signed_in && s.problem.is_none() && s.pending_changes == 0
    });
    let store = std::fs::read(dir.path().join("hearth.db")).expect("store file");
    let wal = std::fs::read(dir.path().join("hearth.db-wal")).unwrap_or_default();
    let leaks = |bytes: &[u8]| bytes.windows(token.len()).any(|w| w == token.as_bytes());
    assert!(!leaks(&store) && !leaks(&wal), "the token is not in the SQLite store");
    let queued: Vec<QueuedChange> = app.invoke(command::QUEUED_CHANGES, json!({})).expect("queued_changes");
    assert!(queued.is_empty());
    drop(app);

    // A restart finds the session in secure storage.
    let app = TestApp::start(dir.path(), &server.url);
    app.wait_for("the restored account", |s| s.signed_in);
    let current: Option<AccountView> =
        app.invoke(command::CURRENT_ACCOUNT, json!({})).expect("current_account");
    assert_eq!(current.map(|c| c.user_id), Some(user_id.clone()));

    app.invoke::<()>(command::SIGN_OUT, json!({ "discardPending": false })).expect("sign_out");
    let gone = keyring::Entry::new("app.hearth.companion", &user_id).and_then(|entry| entry.get_password());
    assert!(matches!(gone, Err(keyring::Error::NoEntry)), "{gone:?}");
    let current: Option<AccountView> =
        app.invoke(command::CURRENT_ACCOUNT, json!({})).expect("current_account");
    assert_eq!(current, None);
    let refused = app.invoke::<Vec<QueuedChange>>(command::QUEUED_CHANGES, json!({}));
    assert_eq!(refused.expect_err("signed out")["code"], "signed-out");
}

#[test]
fn a_challenge_joined_offline_shows_as_pending_and_is_confirmed_once_synced() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Its completion is announced on the session bus: not while another test reads dunst.
    let _turn = NOTIFICATIONS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let server = TestServer::real(dir.path());
    sign_up(&server, "lin@example.com");
    let app = TestApp::start(dir.path(), &server.url);
    app.wait_for("the first sync", |s| s.connectivity == Connectivity::Online);
    let _: AccountView = app
        .invoke(command::SIGN_IN, json!({ "email": "lin@example.com", "password": "warm home 2026" }))
        .expect("sign_in");
    app.wait_for("the account synced", |s| s.signed_in && s.problem.is_none());
    server.stop();
    app.invoke::<()>(command::SYNC_NOW, json!({})).expect("sync_now");
    app.wait_for("offline", |s| s.connectivity == Connectivity::Offline);

    let unknown =
        app.invoke::<Vec<ParticipationView>>(command::JOIN_CHALLENGE, json!({ "challengeId": "no-such" }));
    assert_eq!(unknown.expect_err("refused")["code"], "unknown-challenge");
    let views: Vec<ParticipationView> = app
        .invoke(command::JOIN_CHALLENGE, json!({ "challengeId": "coming-home-welcome-light" }))
        .expect("join");
    assert_eq!(views.len(), 1);
    assert!(views[0].pending, "shown at once, marked pending");
    let now =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock").as_millis() as i64;
    let event = json!({ "id": "ev-1", "kind": "scene.coming-home.ran", "occurredAtMs": now });
    let views: Vec<ParticipationView> =
        app.invoke(command::RECORD_EVENTS, json!({ "events": [event] })).expect("record");
    assert_eq!(views[0].pending_events, 1);
    let wallet: WalletSummary = app.invoke(command::WALLET, json!({})).expect("wallet");
    assert_eq!(wallet.pending_points, 0, "one of three events completes nothing yet");
    let more = json!([
        { "id": "ev-3", "kind": "scene.coming-home.ran", "occurredAtMs": now + 1_000 },
        { "id": "ev-4", "kind": "scene.coming-home.ran", "occurredAtMs": now + 2_000 },
    ]);
    let _: Vec<ParticipationView> =
        app.invoke(command::RECORD_EVENTS, json!({ "events": more })).expect("record");
    let wallet: WalletSummary = app.invoke(command::WALLET, json!({})).expect("wallet");
    assert_eq!(
        (wallet.pending_points, wallet.confirmed.map_or(0, |w| w.balance)),
        (20, 0),
        "pending, not confirmed"
    );
    let future = json!({ "id": "ev-2", "kind": "scene.coming-home.ran", "occurredAtMs": now + 86_400_000 });
    let refused = app.invoke::<Vec<ParticipationView>>(command::RECORD_EVENTS, json!({ "events": [future] }));
    assert_eq!(refused.expect_err("a day ahead")["code"], "invalid-events");
    let status = app.wait_for("the waiting count", |s| s.pending_changes == 3);
    assert_eq!(status.connectivity, Connectivity::Offline);
    drop(app);

    // The app starts again with the server back: the queued changes sync and are confirmed.
    let server = TestServer::real(dir.path());
    let app = TestApp::start(dir.path(), &server.url);
    app.wait_for("the queue drained", |s| {
        s.signed_in && s.connectivity == Connectivity::Online && s.pending_changes == 0
    });
    let views: Vec<ParticipationView> = app.invoke(command::MY_CHALLENGES, json!({})).expect("my_challenges");
    assert_eq!(views.len(), 1);
    assert_eq!((views[0].pending, views[0].pending_events, views[0].progress.current), (false, 0, 3));
    assert!(views[0].completed_at_ms.is_some());
    let wallet: WalletSummary = app.invoke(command::WALLET, json!({})).expect("wallet");
    assert_eq!(
        (wallet.pending_points, wallet.confirmed.map_or(0, |w| w.balance)),
        (0, 20),
        "confirmed once synced"
    );
}

#[test]
fn drafts_stay_on_the_device_across_restarts_and_the_feed_reads_offline_as_last_seen() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = TestServer::real(dir.path());
    sign_up(&server, "an@example.com");
    sign_up(&server, "bo@example.com");
    // Someone posts; the feed shows it.
    let token = sign_in_token(&server, "bo@example.com");
    let post = hearth_core::community::CreatePost {
        kind: hearth_core::community::PostKind::Post,
        group_id: None,
        text: "Eco mode all week".to_owned(),
        photo_ids: Vec::new(),
    };
    api(&server, async |c| c.create_post(&token, &post).await).expect("posted");
    let app = TestApp::start(dir.path(), &server.url);
    app.wait_for("the first sync", |s| s.connectivity == Connectivity::Online);
    let _: AccountView = app
        .invoke(command::SIGN_IN, json!({ "email": "an@example.com", "password": "warm home 2026" }))
        .expect("sign_in");
    let feed: FeedView = app.invoke(command::COMMUNITY_FEED, json!({})).expect("feed");
    assert_eq!((feed.from_cache, feed.page.posts.len()), (false, 1));

    let draft: Draft = app
        .invoke(
            command::SAVE_DRAFT,
            json!({ "draft": { "kind": "story", "text": "  奶奶学会了用语音开灯 " } }),
        )
        .expect("save_draft");
    assert_eq!(draft.text, "奶奶学会了用语音开灯");
    let id = draft.id.clone().expect("an id");
    let too_long = app.invoke::<Draft>(
        command::SAVE_DRAFT,
        json!({ "draft": { "kind": "post", "text": "x".repeat(2001) } }),
    );
    assert_eq!(too_long.expect_err("refused")["code"], "invalid-text");

    // Offline: the feed as last seen, marked so; drafts still there, also after a restart.
    server.stop();
    let feed: FeedView = app.invoke(command::COMMUNITY_FEED, json!({})).expect("cached feed");
    assert_eq!((feed.from_cache, feed.page.posts[0].text.as_str()), (true, "Eco mode all week"));
    drop(app);
    let app = TestApp::start(dir.path(), &unreachable_url());
    app.wait_for("the restored account", |s| s.signed_in);
    let drafts: Vec<Draft> = app.invoke(command::LIST_DRAFTS, json!({})).expect("list_drafts");
    assert_eq!(drafts.iter().map(|d| d.id.clone()).collect::<Vec<_>>(), vec![Some(id.clone())]);
    app.invoke::<()>(command::DELETE_DRAFT, json!({ "id": id })).expect("delete_draft");
    let drafts: Vec<Draft> = app.invoke(command::LIST_DRAFTS, json!({})).expect("list_drafts");
    assert!(drafts.is_empty());
    let missing = app.invoke::<()>(command::DELETE_DRAFT, json!({ "id": "nope" }));
    assert_eq!(missing.expect_err("refused")["code"], "not-found");
}

/// A frame from the shell's `preview:` scheme, as the webview's `<img>` would fetch it.
fn preview_frame(app: &TestApp, uri: &str) -> (u16, String, Vec<u8>) {
    let request = tauri::http::Request::builder().uri(uri).body(Vec::new()).expect("a request");
    let response = tauri::async_runtime::block_on(hearth_app_lib::preview::serve(app.app.handle(), &request));
    let kind = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    (response.status().as_u16(), kind, response.into_body())
}

fn error_code(error: Value) -> String {
    error["code"].as_str().unwrap_or_default().to_owned()
}

#[test]
fn the_room_preview_places_lights_and_exports_a_lamp_rendered_offscreen() {
    let dir = tempfile::tempdir().expect("tempdir");
    let exports = tempfile::tempdir().expect("tempdir");
    let app = TestApp::start_with(dir.path(), &unreachable_url(), Some(exports.path()));
    let state: PreviewState = app.invoke(command::PREVIEW_STATE, json!({})).expect("state");
    assert!(state.demo && state.calibrated && state.has_wall && state.items.is_empty());
    assert!(state.products.iter().any(|p| p.id == "lamp" && p.gives_light && p.mount == PreviewMount::Floor));
    let (status, kind, empty_room) = preview_frame(&app, "preview://localhost/frame?w=640&rev=1");
    assert_eq!((status, kind.as_str()), (200, "image/png"));
    let empty_room = image::load_from_memory(&empty_room).expect("a PNG").into_rgba8();
    assert_eq!(empty_room.dimensions(), (640, 360), "as wide as asked, as tall as the image's shape");

    // A lamp on the floor in front of the sofa: it starts lit, warm white.
    let placed: PreviewState = app
        .invoke(command::PREVIEW_PLACE, json!({ "product": "lamp", "at": [760.0, 560.0] }))
        .expect("placed");
    assert!(placed.revision > state.revision, "each edit is a new revision (a new frame address)");
    let lamp = placed.items.first().expect("the lamp");
    assert_eq!(lamp.light.as_ref().map(|l| l.colour.as_str()), Some("#ffd9a0"));
    let red = json!({ "id": lamp.id, "light": { "colour": "#ff2010", "brightness": 1.0 } });
    app.invoke::<PreviewState>(command::PREVIEW_SET_LIGHT, red).expect("red light");
    let (_, _, lit) = preview_frame(&app, "preview://localhost/frame?w=640&rev=3");
    let lit = image::load_from_memory(&lit).expect("a PNG").into_rgba8();
    let redder =
        lit.pixels().zip(empty_room.pixels()).filter(|(a, b)| i16::from(a[0]) - i16::from(b[0]) > 15).count();
    assert!(redder > 2_000, "the red lamp colours the room around it: {redder} pixels redder");
    // Turned, moved, exported at the image's full size.
    app.invoke::<PreviewState>(command::PREVIEW_ROTATE, json!({ "id": lamp.id, "degrees": 45.0 }))
        .expect("turned");
    app.invoke::<PreviewState>(command::PREVIEW_MOVE, json!({ "id": lamp.id, "at": [700.0, 600.0] }))
        .expect("moved");
    let exported: ExportedImage = app.invoke(command::PREVIEW_EXPORT, json!({})).expect("exported");
    assert!(exported.path.starts_with(&exports.path().display().to_string()));
    let saved = image::open(&exported.path).expect("the saved PNG");
    assert_eq!((saved.width(), saved.height(), exported.width), (1280, 720, 1280));
    let removed: PreviewState =
        app.invoke(command::PREVIEW_REMOVE, json!({ "id": lamp.id })).expect("removed");
    assert!(removed.items.is_empty());
}

#[test]
fn the_room_preview_refuses_bad_photos_marks_and_ids_and_keeps_what_it_had() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = TestApp::start(dir.path(), &unreachable_url());
    let raw = |bytes: &[u8]| tauri::ipc::InvokeBody::Raw(bytes.to_vec());
    let refused =
        app.invoke_body::<PreviewState>(command::PREVIEW_IMPORT_PHOTO, raw(b"<html>not a photo</html>"));
    assert_eq!(refused.map_err(error_code), Err("preview-not-an-image".to_owned()));
    let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;";
    let refused = app.invoke_body::<PreviewState>(command::PREVIEW_IMPORT_PHOTO, raw(gif));
    assert_eq!(refused.map_err(error_code), Err("preview-unsupported-image".to_owned()));
    let refused = app.invoke::<PreviewState>(command::PREVIEW_IMPORT_PHOTO, json!({ "photo": "base64?" }));
    assert_eq!(refused.map_err(error_code), Err("invalid-argument".to_owned()));
    let state: PreviewState = app.invoke(command::PREVIEW_STATE, json!({})).expect("state");
    assert!(state.demo, "refused photos leave the demo room as it was");

    let mut png = Vec::new();
    image::RgbaImage::from_pixel(800, 600, image::Rgba([150, 120, 90, 255]))
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .expect("a PNG");
    let photo: PreviewState = app.invoke_body(command::PREVIEW_IMPORT_PHOTO, raw(&png)).expect("a photo");
    assert_eq!((photo.demo, photo.calibrated, photo.image_size), (false, false, [800, 600]));
    // Before calibration the photo shows alone, and nothing can be placed.
    let (status, _, frame) = preview_frame(&app, "preview://localhost/frame?w=400");
    assert_eq!(status, 200);
    assert_eq!(image::load_from_memory(&frame).expect("a PNG").into_rgba8().dimensions(), (400, 300));
    let refused =
        app.invoke::<PreviewState>(command::PREVIEW_PLACE, json!({ "product": "lamp", "at": [400, 500] }));
    assert_eq!(refused.map_err(error_code), Err("preview-not-calibrated".to_owned()));
    let line =
        json!({ "corners": [[100, 500], [300, 500], [500, 500], [700, 500]], "widthM": 2.0, "depthM": 1.5 });
    let refused = app.invoke::<PreviewState>(command::PREVIEW_CALIBRATE, line);
    assert_eq!(refused.map_err(error_code), Err("preview-marks-collinear".to_owned()));
    let wrong_type = json!({ "corners": "four corners", "widthM": 2.0, "depthM": 1.5 });
    assert!(app.invoke::<PreviewState>(command::PREVIEW_CALIBRATE, wrong_type).is_err());
    let rug =
        json!({ "corners": [[250, 520], [550, 520], [500, 400], [300, 400]], "widthM": 2.0, "depthM": 1.5 });
    let calibrated: PreviewState = app.invoke(command::PREVIEW_CALIBRATE, rug).expect("calibrated");
    assert!(calibrated.calibrated && !calibrated.has_wall);
    let refused =
        app.invoke::<PreviewState>(command::PREVIEW_PLACE, json!({ "product": "plug", "at": [400, 300] }));
    assert_eq!(refused.map_err(error_code), Err("preview-no-wall".to_owned()));
    let refused = app.invoke::<PreviewState>(command::PREVIEW_REMOVE, json!({ "id": 999 }));
    assert_eq!(refused.map_err(error_code), Err("preview-unknown".to_owned()));
    let after: PreviewState = app.invoke(command::PREVIEW_STATE, json!({})).expect("state");
    assert_eq!(after.revision, calibrated.revision, "refused edits are not revisions");
    let (status, _, _) = preview_frame(&app, "preview://localhost/elsewhere");
    assert_eq!(status, 404);
}

#[test]
fn a_room_preview_is_shared_to_the_community_feed_when_signed_in() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = TestServer::real(dir.path());
    sign_up(&server, "yun@example.com");
    let app = TestApp::start(dir.path(), &server.url);
    app.wait_for("the first sync", |s| s.connectivity == Connectivity::Online);
    let refused = app.invoke::<SharedPost>(command::PREVIEW_SHARE, json!({ "text": "My lamp" }));
    assert_eq!(refused.map_err(error_code), Err("signed-out".to_owned()));
    let _: AccountView = app
        .invoke(command::SIGN_IN, json!({ "email": "yun@example.com", "password": "warm home 2026" }))
        .expect("sign_in");
    let _: PreviewState = app
        .invoke(command::PREVIEW_PLACE, json!({ "product": "lamp", "at": [760.0, 560.0] }))
        .expect("placed");
    let shared: SharedPost =
        app.invoke(command::PREVIEW_SHARE, json!({ "text": "  The lamp by the sofa  " })).expect("shared");
    let feed: FeedView = app.invoke(command::COMMUNITY_FEED, json!({})).expect("feed");
    let post = feed.page.posts.first().expect("the shared post");
    assert_eq!((post.id.as_str(), post.text.as_str()), (shared.post_id.as_str(), "The lamp by the sofa"));
    assert_eq!(post.photos.len(), 1);
    assert_eq!((post.photos[0].width, post.photos[0].height), (1280, 720), "the picture at full size");
    // Offline: a plain refusal, nothing half-posted.
    drop(server);
    let offline = app.invoke::<SharedPost>(command::PREVIEW_SHARE, json!({ "text": "again" }));
    assert_eq!(offline.map_err(error_code), Err("unreachable".to_owned()));
}

/// Polls `check` until it gives a value: the voice speaks in the background.
fn soon<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Some(value) = check() {
            return value;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_setup_guide_is_spoken_step_by_step_and_picks_up_where_it_was_after_a_restart() {
    let dir = tempfile::tempdir().expect("tempdir");
    let voice = RecordingVoice::new();
    let app = TestApp::start_full(dir.path(), &unreachable_url(), None, voice.clone());
    let guides: Vec<GuideSummary> = app.invoke(command::GUIDES, json!({})).expect("guides");
    let ids: Vec<&str> = guides.iter().map(|g| g.id.as_str()).collect();
    assert_eq!(ids, ["plug", "bulb", "thermostat", "lock", "camera", "speaker"]);
    assert_eq!(app.invoke::<Option<GuideView>>(command::GUIDE_CURRENT, json!({})).expect("current"), None);

    let view: GuideView =
        app.invoke(command::GUIDE_START, json!({ "guideId": "plug", "locale": "en" })).expect("start");
    assert_eq!((view.step, view.step_count, view.finished), (0, 4, false));
    let said = soon("the first step spoken", || voice.said().first().cloned());
    assert!(said.0.starts_with("Step 1 of 4. Plug the smart plug"), "{}", said.0);
    assert_eq!(said.1, Locale::En);
    let view: GuideView =
        app.invoke(command::GUIDE_INPUT, json!({ "input": "next", "locale": "zh-CN" })).expect("next");
    assert_eq!(view.step, 1);
    let view: GuideView =
        app.invoke(command::GUIDE_INPUT, json!({ "input": "help", "locale": "zh-CN" })).expect("help");
    assert_eq!(view.prompt, Prompt::Help { index: 1 });
    let said = soon("the help spoken in Chinese", || {
        voice.said().into_iter().find(|(text, locale, _)| *locale == Locale::ZhCn && text.contains("五秒钟"))
    });
    assert!(said.0.starts_with("如果灯不闪"), "{}", said.0);
    let wrong = app.invoke::<GuideView>(command::GUIDE_INPUT, json!({ "input": "jump", "locale": "en" }));
    assert!(wrong.is_err(), "an unknown input is refused");
    let unknown =
        app.invoke::<GuideView>(command::GUIDE_START, json!({ "guideId": "toaster", "locale": "en" }));
    assert_eq!(unknown.map_err(error_code), Err("not-found".to_owned()));

    // A restart: the guide is where it was.
    drop(app);
    let app = TestApp::start_full(dir.path(), &unreachable_url(), None, RecordingVoice::new());
    let current = soon("the restored guide", || {
        app.invoke::<Option<GuideView>>(command::GUIDE_CURRENT, json!({})).expect("current")
    });
    assert_eq!((current.guide_id.as_str(), current.step), ("plug", 1));
    for _ in 0..3 {
        app.invoke::<GuideView>(command::GUIDE_INPUT, json!({ "input": "next", "locale": "en" }))
            .expect("next");
    }
    let done: Option<GuideView> = app.invoke(command::GUIDE_CURRENT, json!({})).expect("current");
    assert!(done.expect("still shown").finished);
    app.invoke::<()>(command::GUIDE_CLOSE, json!({})).expect("close");
    assert_eq!(app.invoke::<Option<GuideView>>(command::GUIDE_CURRENT, json!({})).expect("current"), None);

    // Voice settings are checked and kept.
    let slow = json!({ "settings": { "rate": 0.6, "volume": 1.0 } });
    let kept: VoiceSettings = app.invoke(command::SET_VOICE_SETTINGS, slow).expect("settings");
    assert_eq!(kept, VoiceSettings { rate: 0.6, volume: 1.0 });
    let wild = json!({ "settings": { "rate": 9.0, "volume": 1.0 } });
    assert!(app.invoke::<VoiceSettings>(command::SET_VOICE_SETTINGS, wild).is_err());
    assert_eq!(app.invoke::<VoiceSettings>(command::VOICE_SETTINGS, json!({})).expect("settings"), kept);
}

#[test]
fn without_a_working_voice_a_guide_goes_on_in_text_and_says_voice_is_unavailable() {
    let dir = tempfile::tempdir().expect("tempdir");
    let voice = RecordingVoice::failing(VoiceError::Unavailable("no speech-dispatcher".into()));
    let app = TestApp::start_full(dir.path(), &unreachable_url(), None, voice);
    let view: GuideView =
        app.invoke(command::GUIDE_START, json!({ "guideId": "lock", "locale": "en" })).expect("start");
    assert!(view.voice.available, "not known yet");
    let view = soon("the voice marked unavailable", || {
        let view: Option<GuideView> = app.invoke(command::GUIDE_CURRENT, json!({})).expect("current");
        view.filter(|v| !v.voice.available)
    });
    assert_eq!(view.voice.problem.as_deref(), Some("no-engine"));
    let view: GuideView =
        app.invoke(command::GUIDE_INPUT, json!({ "input": "next", "locale": "en" })).expect("next");
    assert_eq!(view.step, 1, "the guide goes on without voice");
    let status: VoiceStatus =
        app.invoke(command::SPEAK, json!({ "text": "Hello", "locale": "en" })).expect("read aloud answers");
    assert!(!status.available);
}

/// The real speech engine (speech-dispatcher with espeak-ng) speaking a guide's step into a
/// PulseAudio null sink, recorded with parec and measured with sox: sound of a plausible length.
#[test]
fn the_system_voice_speaks_a_step_out_loud() {
    let dir = tempfile::tempdir().expect("tempdir");
    let wav = dir.path().join("step.wav");
    let mut recorder = std::process::Command::new("parec")
        .args(["-d", "null.monitor", "--file-format=wav"])
        .arg(&wav)
        .spawn()
        .expect("parec (scripts/with-test-audio.sh provides the null sink)");
    std::thread::sleep(Duration::from_millis(300));
    let voice = SystemVoice::new();
    let step = "Plug the smart plug into a wall socket near your Wi-Fi router.";
    let started = Instant::now();
    let spoken = voice.speak(step, Locale::En, VoiceSettings::default());
    let took = started.elapsed();
    std::thread::sleep(Duration::from_millis(300));
    // SIGTERM, so parec writes the WAV header's lengths before it exits.
    let _ = std::process::Command::new("kill").arg(recorder.id().to_string()).status();
    let _ = recorder.wait();
    spoken.expect("spoken by speech-dispatcher");
    assert!(took > Duration::from_secs(1), "speaking waits until the sentence has been said: {took:?}");
    let stat = std::process::Command::new("sox").arg(&wav).args(["-n", "stat"]).output().expect("sox");
    let report = String::from_utf8_lossy(&stat.stderr).into_owned();
    let figure = |label: &str| -> f64 {
        report
            .lines()
            .find(|l| l.starts_with(label))
            .and_then(|l| l.split(':').nth(1))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or_else(|| panic!("{label} in {report}"))
    };
    let (seconds, rms) = (figure("Length (seconds)"), figure("RMS     amplitude"));
    assert!((2.0..20.0).contains(&seconds), "a sentence takes seconds to say: {seconds} s");
    assert!(rms > 0.02, "and it is not silence: RMS {rms}");
}

/// The daemon the test rig starts has espeak-ng's module and uses it: the package that brings it is
/// only a Recommends of speech-dispatcher, and without it no utterance ever reports its end.
#[test]
fn speech_dispatcher_speaks_through_its_espeak_ng_module() {
    let report = hearth_app_lib::voice::engine_report();
    assert!(report.contains("uses the output module espeak-ng"), "{report}");
    assert!(!report.contains("missing"), "{report}");
}

/// What the log says when espeak-ng's module is missing names the package, and the module that
/// speech-dispatcher fell back to.
#[test]
fn a_missing_espeak_ng_module_is_named_in_the_log() {
    use hearth_app_lib::voice::{describe_dispatcher, module_in_reply};
    let chosen = module_in_reply("251-espeak-ng-mbrola-generic\r\n251 OK GET RETURNED\r\n");
    assert_eq!(chosen, Some("espeak-ng-mbrola-generic"));
    let said = describe_dispatcher(chosen, &["espeak-ng-mbrola-generic".to_owned()]);
    assert!(said.contains("uses the output module espeak-ng-mbrola-generic"), "{said}");
    assert!(said.contains("install speech-dispatcher-espeak-ng"), "{said}");
    let fine = describe_dispatcher(Some("espeak-ng"), &["espeak-ng".to_owned(), "dummy".to_owned()]);
    assert!(!fine.contains("missing"), "{fine}");
    assert_eq!(module_in_reply("300 ERR UNKNOWN COMMAND\r\n"), None);
    assert_eq!(module_in_reply(""), None);
}

/// The work after a sync is hooks the features subscribe: each runs in order, and one that fails
/// neither stops the others nor the sync.
#[test]
fn a_failing_after_sync_hook_does_not_stop_the_others() {
    use std::sync::{Arc, Mutex};

    use hearth_app_lib::hooks::AfterSync;
    use hearth_client::engine::Account;
    let app = mock_builder().build(tauri::test::mock_context(tauri::test::noop_assets())).expect("app");
    let ran = Arc::new(Mutex::new(Vec::new()));
    let log = |name: &'static str, answer: Result<usize, ()>| {
        let ran = ran.clone();
        move |_app: tauri::AppHandle<MockRuntime>, account: Account| {
            let ran = ran.clone();
            async move {
                ran.lock().expect("log").push(format!("{name} for {}", account.user_id));
                answer.map_err(|()| hearth_app_lib::Error::Refused(hearth_core::ipc::ErrorCode::Internal))
            }
        }
    };
    let hooks = AfterSync::default()
        .subscribe("first", log("first", Ok(2)))
        .subscribe("broken", log("broken", Err(())))
        .subscribe("last", log("last", Ok(0)));
    let account = Account { user_id: "u1".into(), token: "t".into() };
    let failed = tauri::async_runtime::block_on(hooks.run(app.handle(), &account));
    assert_eq!(failed, 1);
    assert_eq!(*ran.lock().expect("log"), ["first for u1", "broken for u1", "last for u1"]);
}

/// Runs `call` with the app's own typed client of `server` to its end (set-up and checks).
fn api<T>(server: &TestServer, call: impl AsyncFnOnce(&Client) -> T) -> T {
    let client = Client::new(&server.url, Duration::from_secs(30)).expect("client");
    tokio::runtime::Runtime::new().expect("runtime").block_on(call(&client))
}

/// Signs `email` in at `server` directly (not through the app) and answers the session token.
fn sign_in_token(server: &TestServer, email: &str) -> String {
    let request = SignInRequest { email: email.to_owned(), password: "warm home 2026".to_owned() };
    let signed: SignedIn = api(server, async |c| c.sign_in(&request).await).expect("sign in");
    signed.session.token
}

/// The tests that watch notifications share the session bus's one notification service: they
/// take turns.
static NOTIFICATIONS: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Starts dunst (a real notification daemon) on this test's D-Bus session and waits until it
/// owns the notification service's name. Hold [`NOTIFICATIONS`] meanwhile.
fn start_dunst(dir: &Path) -> std::process::Child {
    let config = dir.join("dunstrc");
    std::fs::write(&config, "[global]\n    history_length = 20\n").expect("dunstrc");
    // A notification sent while no test held the service (an app finishing a sync as its test
    // ended) may have had D-Bus start a dunst of its own: stop it, so the history is this test's.
    let _ = std::process::Command::new("pkill").args(["-x", "dunst"]).status();
    soon("the notification service released", || {
        let owner = std::process::Command::new("dbus-send")
            .args(["--session", "--print-reply", "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus"])
            .args(["org.freedesktop.DBus.NameHasOwner", "string:org.freedesktop.Notifications"])
            .output()
            .ok()?;
        String::from_utf8_lossy(&owner.stdout).contains("boolean false").then_some(())
    });
    let dunst = std::process::Command::new("dunst")
        .arg("-config")
        .arg(&config)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("dunst (a notification daemon; the test command installs it)");
    soon("the notification service on the session bus", || {
        std::process::Command::new("dbus-send")
            .args([
                "--session",
                "--print-reply",
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.GetNameOwner",
                "string:org.freedesktop.Notifications",
            ])
            .output()
            .ok()
            .filter(|out| out.status.success())
    });
    dunst
}

/// What dunst has shown so far (closing what is on screen moves it into the history).
fn dunst_history() -> String {
    let _ = std::process::Command::new("dunstctl").arg("close-all").status();
    let history = std::process::Command::new("dunstctl").arg("history").output().expect("dunstctl");
    String::from_utf8_lossy(&history.stdout).into_owned()
}

/// The titles of the notifications in dunst's history.
fn summaries(history: &str) -> Vec<String> {
    let history: Value = serde_json::from_str(history).unwrap_or(Value::Null);
    history["data"][0]
        .as_array()
        .map(|shown| shown.iter().filter_map(|n| n["summary"]["data"].as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

/// A family member's app, signed in, shows a senior's help request through the desktop's real
/// notification service (dunst, on this test's D-Bus session) and tells the server it reached
/// them; the senior's view of the request then says when.
#[test]
fn a_family_members_app_shows_a_seniors_help_request_as_a_desktop_notification() {
    let dir = tempfile::tempdir().expect("tempdir");
    let _turn = NOTIFICATIONS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut dunst = start_dunst(dir.path());
    let server = TestServer::real(dir.path());
    let daughter = sign_up(&server, "daughter@example.com");
    let grandma = sign_up(&server, "grandma@example.com");
    let token = |email: &str| sign_in_token(&server, email);
    let (daughter_token, grandma_token) = (token("daughter@example.com"), token("grandma@example.com"));
    api(&server, async |c| {
        use hearth_core::household::{
            CreateHousehold, CreateInvite, InviteRole, JoinHousehold, SetFamilyContacts,
        };
        c.create_household(&daughter_token, &CreateHousehold { name: "王家".into() }).await?;
        let invite = c.invite(&daughter_token, &CreateInvite { role: InviteRole::Senior }).await?;
        c.join_household(&grandma_token, &JoinHousehold { code: invite.code }).await?;
        let contacts = SetFamilyContacts { contact_ids: vec![daughter.clone()] };
        c.set_family_contacts(&daughter_token, &grandma, &contacts).await?;
        c.ask_for_help(&grandma_token).await
    })
    .expect("a household whose senior asked for help");

    let app = TestApp::start(dir.path(), &server.url);
    app.wait_for("the first sync", |s| s.connectivity == Connectivity::Online);
    let _: AccountView = app
        .invoke(command::SIGN_IN, json!({ "email": "daughter@example.com", "password": "warm home 2026" }))
        .expect("sign_in");
    let reached = soon("the request marked reached by the daughter's app", || {
        let mine = api(&server, async |c| c.help_requests(&grandma_token).await).expect("help requests");
        mine.first()?.contacts.first()?.reached_at_ms
    });
    assert!(reached > 0);
    let shown = dunst_history();
    let _ = dunst.kill();
    let _ = dunst.wait();
    assert!(shown.contains("asked for help"), "the notification as dunst received it: {shown}");
    assert!(shown.contains("Please call them back"), "{shown}");
    // Critical urgency: dunst keeps it on screen until dismissed (no timeout).
    let history: Value = serde_json::from_str(&shown).expect("dunst's history is JSON");
    let help = history["data"][0]
        .as_array()
        .and_then(|shown| {
            shown.iter().find(|n| n["summary"]["data"].as_str().is_some_and(|s| s.contains("asked for help")))
        })
        .expect("the help request among the notifications");
    assert_eq!(help["appname"]["data"], "Hearth");
    assert_eq!(help["timeout"]["data"], 0, "it waits to be dismissed: {help}");
}

#[test]
fn operating_the_virtual_home_counts_for_a_joined_challenge_and_the_home_is_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = TestServer::real(dir.path());
    sign_up(&server, "wei@example.com");
    let app = TestApp::start(dir.path(), &server.url);
    app.wait_for("the first sync", |s| s.connectivity == Connectivity::Online);
    // Signed out, the home works but counts for nothing.
    let view: HomeView =
        app.invoke(command::HOME_ACT, json!({ "action": { "kind": "curtain", "open": true } })).expect("act");
    assert_eq!((view.recorded, view.signed_in, view.home.curtain_open), (0, false, true));
    let _: AccountView = app
        .invoke(command::SIGN_IN, json!({ "email": "wei@example.com", "password": "warm home 2026" }))
        .expect("sign_in");
    let _: Vec<ParticipationView> = app
        .invoke(command::JOIN_CHALLENGE, json!({ "challengeId": "leaving-everything-off" }))
        .expect("join");
    // Device use counts only with the user's consent, kept on their profile.
    let consent: bool = app.invoke(command::DEVICE_USAGE_CONSENT, json!({})).expect("consent");
    assert!(!consent, "not until asked");
    // Without it, device events never leave the device.
    let _: HomeView = app
        .invoke(command::HOME_ACT, json!({ "action": { "kind": "curtain", "open": false } }))
        .expect("close");
    let view: HomeView = app
        .invoke(command::HOME_ACT, json!({ "action": { "kind": "curtain", "open": true } }))
        .expect("open");
    assert_eq!((view.recorded, view.not_collected), (0, 1), "nothing queued");
    let granted: bool =
        app.invoke(command::SET_DEVICE_USAGE_CONSENT, json!({ "enabled": true })).expect("grant");
    let consent: bool = app.invoke(command::DEVICE_USAGE_CONSENT, json!({})).expect("consent");
    assert!(granted && consent);
    let view: HomeView =
        app.invoke(command::HOME_ACT, json!({ "action": { "kind": "leaving" } })).expect("leaving");
    assert!(view.home.locked && !view.home.ac_on && view.home.lights.iter().all(|on| !on));
    // The door locked and the leaving scene; and, between 20:00 and 23:00, lights off by bedtime.
    let minute = hearth_app_lib::clock::local_now().minute;
    let bedtime =
        (hearth_core::home::BEDTIME_FROM_MINUTE..hearth_core::home::BEDTIME_BY_MINUTE).contains(&minute);
    assert_eq!(view.recorded, 2 + usize::from(bedtime), "{view:?}");
    // Synced, the server counts it.
    let counted = soon("the server's count", || {
        let mine: Vec<ParticipationView> = app.invoke(command::MY_CHALLENGES, json!({})).expect("mine");
        mine.into_iter()
            .find(|p| p.challenge_id == "leaving-everything-off" && !p.pending && p.pending_events == 0)
            .filter(|p| p.progress.current == 1)
    });
    assert_eq!(counted.progress.target, 5);
    let wrong = app.invoke::<HomeView>(
        command::HOME_ACT,
        json!({ "action": { "kind": "light", "room": 9, "on": true } }),
    );
    assert_eq!(wrong.map_err(error_code), Err("invalid-argument".to_owned()));
    let garbage = app.invoke::<HomeView>(command::HOME_ACT, json!({ "action": { "kind": "teleport" } }));
    assert!(garbage.is_err());
    // The home is kept across a restart.
    drop(app);
    let app = TestApp::start(dir.path(), &unreachable_url());
    let view: HomeView = app.invoke(command::HOME_STATE, json!({})).expect("state");
    assert!(view.home.locked && view.home.curtain_open);
}

#[test]
fn the_daily_reminder_comes_at_its_time_once_and_waits_out_quiet_hours() {
    let dir = tempfile::tempdir().expect("tempdir");
    let _turn = NOTIFICATIONS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut dunst = start_dunst(dir.path());
    let app = TestApp::start(dir.path(), &unreachable_url());
    let none: ReminderSettings = app.invoke(command::REMINDER_SETTINGS, json!({})).expect("settings");
    assert_eq!(none, ReminderSettings::default(), "no reminder until the user chooses one");
    let now = minute_clear_of_midnight();
    // Due now, but quiet hours cover now: nothing.
    let quiet =
        json!({ "settings": { "dailyMinute": now, "quietFrom": now, "quietTo": (now + 120) % 1440 } });
    let _: ReminderSettings = app.invoke(command::SET_REMINDER_SETTINGS, quiet).expect("quiet");
    assert!(!dunst_history().contains("home routines"), "held during quiet hours");
    // Quiet hours moved away: it comes, once.
    let open = json!({ "settings": { "dailyMinute": now, "quietFrom": (now + 120) % 1440, "quietTo": (now + 240) % 1440 } });
    let _: ReminderSettings = app.invoke(command::SET_REMINDER_SETTINGS, open.clone()).expect("open");
    let reminders =
        || summaries(&dunst_history()).into_iter().filter(|s| s == "Your home routines for today").count();
    assert_eq!(reminders(), 1);
    let _: ReminderSettings = app.invoke(command::SET_REMINDER_SETTINGS, open).expect("again");
    assert_eq!(reminders(), 1, "once a day");
    let bad = json!({ "settings": { "dailyMinute": 1440 } });
    assert!(app.invoke::<ReminderSettings>(command::SET_REMINDER_SETTINGS, bad).is_err());
    let _ = dunst.kill();
    let _ = dunst.wait();
}

/// The local minute of the day, once at least two minutes remain before midnight (waiting out
/// the last two if need be): a reminder set for "now" must still be due at the next check, not
/// fall into tomorrow.
fn minute_clear_of_midnight() -> u16 {
    loop {
        let minute = hearth_app_lib::clock::local_now().minute;
        if minute < 1438 {
            return minute;
        }
        std::thread::sleep(Duration::from_secs(5));
    }
}

/// Makes `email` an operator or store staff, as the server's `set-role` command does.
fn set_role(dir: &Path, email: &str, role: &str, store: Option<&str>) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let url = format!("sqlite://{}/server.db", dir.display());
        let pool = sqlx::SqlitePool::connect(&url).await.expect("the server's database");
        sqlx::query("UPDATE users SET role = $1, store_id = $2 WHERE email = $3")
            .bind(role)
            .bind(store)
            .bind(email)
            .execute(&pool)
            .await
            .expect("set the role");
    });
}

#[test]
fn a_reward_is_redeemed_online_shown_as_a_qr_code_and_seen_consumed_at_the_counter() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = TestServer::real(dir.path());
    let shopper = sign_up(&server, "shopper@example.com");
    sign_up(&server, "operator@example.com");
    sign_up(&server, "clerk@example.com");
    set_role(dir.path(), "operator@example.com", "operator", None);
    set_role(dir.path(), "clerk@example.com", "staff", Some("shanghai-1"));
    let token = |email: &str| sign_in_token(&server, email);
    let grant = GrantRequest {
        id: uuid::Uuid::now_v7().to_string(),
        user_id: shopper.clone(),
        amount: 250,
        memo: "welcome".into(),
    };
    let operator = token("operator@example.com");
    api(&server, async |c| c.grant(&operator, &grant).await).expect("granted");

    let app = TestApp::start(dir.path(), &server.url);
    app.wait_for("the first sync", |s| s.connectivity == Connectivity::Online);
    let rewards: Vec<hearth_core::rewards::Reward> =
        app.invoke(command::REWARDS, json!({})).expect("rewards");
    assert!(rewards.iter().any(|r| r.id == "bulb-coupon-20"), "{rewards:?}");
    let signed_out = app.invoke::<Value>(
        command::REDEEM_REWARD,
        json!({ "rewardId": "bulb-coupon-20", "redemptionId": uuid::Uuid::now_v7().to_string() }),
    );
    assert_eq!(signed_out.map_err(error_code), Err("signed-out".to_owned()));
    let _: AccountView = app
        .invoke(command::SIGN_IN, json!({ "email": "shopper@example.com", "password": "warm home 2026" }))
        .expect("sign_in");
    // 250 points: the 800-point plug is out of reach; the 200-point coupon is not.
    let too_dear = app.invoke::<Value>(
        command::REDEEM_REWARD,
        json!({ "rewardId": "smart-plug", "redemptionId": uuid::Uuid::now_v7().to_string() }),
    );
    assert_eq!(too_dear.map_err(error_code), Err("not-enough-points".to_owned()));
    let once = uuid::Uuid::now_v7().to_string();
    let redeem = json!({ "rewardId": "bulb-coupon-20", "redemptionId": once });
    let code: hearth_core::rewards::Redemption =
        app.invoke(command::REDEEM_REWARD, redeem.clone()).expect("redeemed");
    let again: hearth_core::rewards::Redemption =
        app.invoke(command::REDEEM_REWARD, redeem).expect("retried");
    assert_eq!(code.code, again.code, "a retry spends nothing more and shows the same code");
    let qr: String = app.invoke(command::REDEMPTION_QR, json!({ "code": code.code })).expect("qr");
    assert!(qr.contains("<svg") && qr.contains("#000000"), "an SVG QR code");
    // The counter scans it; the app then sees it used.
    let clerk = token("clerk@example.com");
    let consume = hearth_core::rewards::ConsumeRequest { code: code.code.clone() };
    api(&server, async |c| c.consume_redemption(&clerk, &consume).await).expect("consumed at the counter");
    let mine: Vec<hearth_core::rewards::Redemption> =
        app.invoke(command::REDEMPTIONS, json!({})).expect("mine");
    assert_eq!(mine[0].status, hearth_core::rewards::RedemptionStatus::Consumed);
    // Offline: a plain refusal, no points spent.
    drop(server);
    let offline = app.invoke::<Value>(
        command::REDEEM_REWARD,
        json!({ "rewardId": "store-coffee", "redemptionId": uuid::Uuid::now_v7().to_string() }),
    );
    assert_eq!(offline.map_err(error_code), Err("unreachable".to_owned()));
}

#[test]
fn completing_a_challenge_is_announced_once_on_the_desktop() {
    let dir = tempfile::tempdir().expect("tempdir");
    let _turn = NOTIFICATIONS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut dunst = start_dunst(dir.path());
    let server = TestServer::real(dir.path());
    sign_up(&server, "lan@example.com");
    let app = TestApp::start(dir.path(), &server.url);
    app.wait_for("the first sync", |s| s.connectivity == Connectivity::Online);
    let _: AccountView = app
        .invoke(command::SIGN_IN, json!({ "email": "lan@example.com", "password": "warm home 2026" }))
        .expect("sign_in");
    let _: Vec<ParticipationView> = app
        .invoke(command::JOIN_CHALLENGE, json!({ "challengeId": "coming-home-welcome-light" }))
        .expect("join");
    // Three evenings coming home (the virtual home's scene) complete it.
    for _ in 0..3 {
        let _: HomeView = app
            .invoke(command::HOME_ACT, json!({ "action": { "kind": "coming-home" } }))
            .expect("coming home");
    }
    let completed = |titles: &[String]| titles.iter().filter(|t| *t == "Challenge completed!").count();
    let history = soon("the announcement", || {
        let history = dunst_history();
        (completed(&summaries(&history)) >= 1).then_some(history)
    });
    assert_eq!(completed(&summaries(&history)), 1, "{history}");
    assert!(history.contains("+20 points are in your wallet"), "{history}");
    // Later syncs do not announce it again.
    let _: () = app.invoke(command::SYNC_NOW, json!({})).expect("sync");
    std::thread::sleep(Duration::from_millis(800));
    assert_eq!(completed(&summaries(&dunst_history())), 1, "once");
    let _ = dunst.kill();
    let _ = dunst.wait();

    // The wallet's history names the challenge; the points came once.
    let history: Fetched<hearth_core::ledger::HistoryPage> =
        app.invoke(command::WALLET_HISTORY, json!({})).expect("history");
    let history = history.value;
    assert_eq!(history.entries.len(), 1, "{history:?}");
    assert_eq!(history.entries[0].challenge_id.as_deref(), Some("coming-home-welcome-light"));
    assert_eq!((history.entries[0].signed_amount(), history.next_cursor), (20, None));
    let bad_cursor = app.invoke::<Value>(command::WALLET_HISTORY, json!({ "before": "nonsense" }));
    assert!(bad_cursor.is_err(), "a cursor the server never gave is refused");
    // Shared to the community: a post on the server's feed. Only completed challenges.
    let share = |challenge: &str, text: &str, card: Vec<u8>| {
        let caption =
            percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string();
        app.invoke_with_headers::<Value>(
            command::SHARE_COMPLETION,
            tauri::ipc::InvokeBody::Raw(card),
            &[
                (hearth_core::ipc::header::CHALLENGE_ID, challenge),
                (hearth_core::ipc::header::CAPTION, &caption),
            ],
        )
    };
    let not_done = share("leaving-everything-off", "done!", Vec::new());
    assert_eq!(not_done.map_err(error_code), Err("not-completed".to_owned()));
    let empty = share("coming-home-welcome-light", "   ", Vec::new());
    assert_eq!(empty.map_err(error_code), Err("invalid-text".to_owned()));
    let not_a_card = share("coming-home-welcome-light", "done", b"<svg/>".to_vec());
    assert_eq!(not_a_card.map_err(error_code), Err("not-a-photo".to_owned()));
    // With the card the UI drew: the post carries it as its photo.
    let mut card = Vec::new();
    image::RgbaImage::from_pixel(1080, 1080, image::Rgba([251, 227, 214, 255]))
        .write_to(&mut std::io::Cursor::new(&mut card), image::ImageFormat::Png)
        .expect("a PNG");
    let shared =
        share("coming-home-welcome-light", "三次温暖回家！ Three warm welcomes home", card).expect("shared");
    let feed: hearth_core::ipc::FeedView = app.invoke(command::COMMUNITY_FEED, json!({})).expect("feed");
    let post = feed.page.posts.iter().find(|p| p.id == shared["postId"].as_str().unwrap_or_default());
    assert_eq!(post.map(|p| p.text.as_str()), Some("三次温暖回家！ Three warm welcomes home"), "{feed:?}");
    let photos: Vec<(u32, u32)> = post.iter().flat_map(|p| &p.photos).map(|p| (p.width, p.height)).collect();
    assert_eq!(photos, [(1080, 1080)]);
}

/// An IANA zone where the local time is now between 19:00 and 21:59 (evening, with hours to
/// spare before midnight), so the test holds at any hour of the day it runs.
fn a_zone_where_it_is_evening() -> String {
    let utc_hour = (hearth_client::engine::now_ms() / 3_600_000).rem_euclid(24);
    // Etc/GMT-N is N hours ahead of UTC (the sign is POSIX's, inverted).
    (-12i64..=14)
        .find(|ahead| (19..22).contains(&(utc_hour + ahead).rem_euclid(24)))
        .map(|ahead| if ahead >= 0 { format!("Etc/GMT-{ahead}") } else { format!("Etc/GMT+{}", -ahead) })
        .expect("some zone is in its evening")
}

/// Runs SQL on the test server's database (to set up what only time could otherwise do).
fn server_sql(dir: &Path, sql: &str, binds: &[&str]) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let url = format!("sqlite://{}/server.db", dir.display());
        let pool = sqlx::SqlitePool::connect(&url).await.expect("the server's database");
        let mut query = sqlx::query(sql);
        for bind in binds {
            query = query.bind(*bind);
        }
        query.execute(&pool).await.expect(sql);
    });
}

#[test]
fn a_streak_about_to_break_and_points_about_to_expire_are_each_warned_about_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let _turn = NOTIFICATIONS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut dunst = start_dunst(dir.path());
    let server = TestServer::real(dir.path());
    let zone = a_zone_where_it_is_evening();
    let request = sign_up_request("hui@example.com", Some(zone.to_owned()));
    let signed = api(&server, async |c| c.sign_up(&request).await).expect("sign up");
    let (user_id, token) = (signed.profile.id, signed.session.token);
    let consent = ProfileChange { device_usage_consent: Some(true), ..ProfileChange::default() };
    // Joined two days ago; the curtains opened yesterday evening (local): a one-day streak of
    // "let the light in" that breaks at midnight unless they open today.
    api(&server, async |c| {
        c.change_me(&token, &consent).await?;
        c.join_challenge(&token, "morning-let-the-light-in").await
    })
    .expect("consented and joined");
    let now = hearth_client::engine::now_ms();
    let two_days_ago = (now - 2 * 86_400_000).to_string();
    server_sql(dir.path(), "UPDATE participations SET joined_at_ms = CAST($1 AS INTEGER)", &[&two_days_ago]);
    let yesterday = hearth_core::progress::EventBatch {
        events: vec![hearth_core::progress::Event {
            id: uuid::Uuid::now_v7().to_string(),
            kind: "device.curtain.open".into(),
            occurred_at_ms: now - 86_400_000,
            duration_minutes: None,
            proof_photo_id: None,
        }],
    };
    let result = api(&server, async |c| c.record_events(&token, &yesterday).await).expect("recorded");
    assert_eq!(result.results[0].status, "accepted", "{result:?}");
    // 100 points that expire in three days (set in the database), then 5 more so the wallet the
    // devices sync is recorded with them.
    sign_up(&server, "operator@example.com");
    set_role(dir.path(), "operator@example.com", "operator", None);
    let operator = sign_in_token(&server, "operator@example.com");
    let grant = |amount: u64| {
        let body = GrantRequest {
            id: uuid::Uuid::now_v7().to_string(),
            user_id: user_id.clone(),
            amount,
            memo: "thanks".into(),
        };
        api(&server, async |c| c.grant(&operator, &body).await).expect("granted");
    };
    grant(100);
    let in_three_days = (now + 3 * 86_400_000).to_string();
    server_sql(
        dir.path(),
        "UPDATE ledger_transfers SET expires_at_ms = CAST($1 AS INTEGER)",
        &[&in_three_days],
    );
    grant(5);

    let app = TestApp::start(dir.path(), &server.url);
    app.wait_for("the first sync", |s| s.connectivity == Connectivity::Online);
    let _: AccountView = app
        .invoke(command::SIGN_IN, json!({ "email": "hui@example.com", "password": "warm home 2026" }))
        .expect("sign_in");
    let count = |title: &str| summaries(&dunst_history()).iter().filter(|t| *t == title).count();
    soon("the streak warning", || (count("Keep your streak going") == 1).then_some(()));
    soon("the expiry warning", || (count("Points expiring soon") == 1).then_some(()));
    let shown = dunst_history();
    assert!(shown.contains("1-day streak in “Let the morning in”"), "{shown}");
    assert!(shown.contains("100 points expire on"), "only the lot that expires soon: {shown}");
    // The card says what the warning says: one day so far, not yet today (in the user's zone).
    let mine: Vec<ParticipationView> = app.invoke(command::MY_CHALLENGES, json!({})).expect("mine");
    let card = mine.iter().find(|v| v.challenge_id == "morning-let-the-light-in").expect("joined");
    assert_eq!(card.streak, Some(StreakState { days: 1, done_today: false }), "{card:?}");
    // Later syncs and clock ticks say nothing more.
    let _: () = app.invoke(command::SYNC_NOW, json!({})).expect("sync");
    let settings: ReminderSettings = app.invoke(command::REMINDER_SETTINGS, json!({})).expect("settings");
    let _: ReminderSettings =
        app.invoke(command::SET_REMINDER_SETTINGS, json!({ "settings": settings })).expect("check again");
    std::thread::sleep(Duration::from_millis(800));
    assert_eq!((count("Keep your streak going"), count("Points expiring soon")), (1, 1), "once each");
    let _ = dunst.kill();
    let _ = dunst.wait();
}

#[test]
fn a_self_reported_task_is_proved_with_a_photo_checked_on_the_device_and_counted_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Its completion is announced on the session bus: not while another test reads dunst.
    let _turn = NOTIFICATIONS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let server = TestServer::real(dir.path());
    sign_up(&server, "pei@example.com");
    let app = TestApp::start(dir.path(), &server.url);
    app.wait_for("the first sync", |s| s.connectivity == Connectivity::Online);
    let _: AccountView = app
        .invoke(command::SIGN_IN, json!({ "email": "pei@example.com", "password": "warm home 2026" }))
        .expect("sign_in");
    let report = |challenge: &str, bytes: Vec<u8>| {
        app.invoke_with_headers::<Vec<ParticipationView>>(
            command::REPORT_TASK,
            tauri::ipc::InvokeBody::Raw(bytes),
            &[(hearth_core::ipc::header::CHALLENGE_ID, challenge)],
        )
        .map_err(error_code)
    };
    let mut photo = Vec::new();
    image::RgbaImage::from_pixel(3000, 2000, image::Rgba([90, 140, 200, 255]))
        .write_to(&mut std::io::Cursor::new(&mut photo), image::ImageFormat::Png)
        .expect("a PNG");
    assert_eq!(report("coming-home-clean-filter", photo.clone()), Err("not-joined".to_owned()));
    assert_eq!(
        report("leaving-everything-off", photo.clone()),
        Err("not-found".to_owned()),
        "not self-reported"
    );
    let _: Vec<ParticipationView> = app
        .invoke(command::JOIN_CHALLENGE, json!({ "challengeId": "coming-home-clean-filter" }))
        .expect("join");
    // Not a photo, and too large a file: refused on the device, nothing recorded.
    assert_eq!(
        report("coming-home-clean-filter", b"%PDF-1.7 a receipt".to_vec()),
        Err("not-a-photo".to_owned())
    );
    let huge = vec![0u8; hearth_app_lib::uploads::MAX_PROOF_BYTES + 1];
    assert_eq!(report("coming-home-clean-filter", huge), Err("photo-too-large".to_owned()));
    let status: SyncStatus = app.invoke(command::SYNC_STATUS, json!({})).expect("status");
    assert_eq!(status.rejected_changes, 0);
    // A real photo: uploaded small, the task counts, the challenge completes with its points.
    let mine = report("coming-home-clean-filter", photo.clone()).expect("reported");
    let waiting = mine.iter().find(|p| p.challenge_id == "coming-home-clean-filter").expect("joined");
    assert!(waiting.pending_events == 1 || waiting.completed_at_ms.is_some(), "{waiting:?}");
    soon("the completion", || {
        let mine: Vec<ParticipationView> = app.invoke(command::MY_CHALLENGES, json!({})).expect("mine");
        mine.into_iter().find(|p| p.challenge_id == "coming-home-clean-filter" && p.completed_at_ms.is_some())
    });
    let history: Fetched<hearth_core::ledger::HistoryPage> =
        app.invoke(command::WALLET_HISTORY, json!({})).expect("history");
    assert_eq!(history.value.entries.iter().map(|t| t.signed_amount()).sum::<i128>(), 40);
    // What reached the server is the shrunken JPEG, not the 3000 px PNG.
    let uploads: Vec<_> = std::fs::read_dir(dir.path().join("media"))
        .map(|d| d.filter_map(std::result::Result::ok).collect())
        .unwrap_or_default();
    let full = uploads
        .iter()
        .find(|e| !e.file_name().to_string_lossy().contains("thumb"))
        .expect("the proof on the server");
    let stored = image::open(full.path()).expect("a JPEG");
    assert_eq!((stored.width(), stored.height()), (2048, 1365));

    // Offline: the task is recorded at once, its photo waiting on the device with it.
    let _: Vec<ParticipationView> =
        app.invoke(command::JOIN_CHALLENGE, json!({ "challengeId": "morning-fresh-air" })).expect("join");
    app.wait_for("the join synced", |s| s.pending_changes == 0);
    server.stop();
    let _: () = app.invoke(command::SYNC_NOW, json!({})).expect("sync");
    app.wait_for("offline", |s| s.connectivity == Connectivity::Offline);
    let mine = report("morning-fresh-air", photo).expect("recorded offline");
    let aired = mine.iter().find(|p| p.challenge_id == "morning-fresh-air").expect("joined");
    // (Whether it moves the streak depends on the hour: only mornings count.)
    assert_eq!(aired.pending_events, 1, "{aired:?}");
    app.wait_for("the report waiting", |s| s.pending_changes == 1 && s.rejected_changes == 0);
}

#[test]
fn senior_mode_and_the_consent_change_offline_and_reach_the_server_with_the_next_sync() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = TestServer::real(dir.path());
    let listen: std::net::SocketAddr =
        server.url.trim_start_matches("http://").trim_end_matches('/').parse().expect("address");
    sign_up(&server, "lu@example.com");
    let app = TestApp::start(dir.path(), &server.url);
    app.wait_for("the first sync", |s| s.connectivity == Connectivity::Online);
    let signed: AccountView = app
        .invoke(command::SIGN_IN, json!({ "email": "lu@example.com", "password": "warm home 2026" }))
        .expect("sign_in");
    app.wait_for("the profile synced", |s| s.signed_in && s.connectivity == Connectivity::Online);
    server.stop();
    let _: () = app.invoke(command::SYNC_NOW, json!({})).expect("sync");
    app.wait_for("offline", |s| s.connectivity == Connectivity::Offline);

    // Offline: both switch at once and wait to sync, in the order they were made.
    let senior: bool = app.invoke(command::SET_SENIOR_MODE, json!({ "enabled": true })).expect("senior on");
    let consent: bool =
        app.invoke(command::SET_DEVICE_USAGE_CONSENT, json!({ "enabled": true })).expect("grant");
    let withdrawn: bool =
        app.invoke(command::SET_DEVICE_USAGE_CONSENT, json!({ "enabled": false })).expect("withdraw");
    let regranted: bool =
        app.invoke(command::SET_DEVICE_USAGE_CONSENT, json!({ "enabled": true })).expect("grant again");
    assert_eq!((senior, consent, withdrawn, regranted), (true, true, false, true));
    assert!(app.invoke::<bool>(command::SENIOR_MODE, json!({})).expect("senior"));
    assert_eq!(app.status().pending_changes, 4);

    // The server is back: the profile there is what the device shows.
    let server = TestServer::real_on(dir.path(), listen);
    let _: () = app.invoke(command::SYNC_NOW, json!({})).expect("sync");
    app.wait_for("synced", |s| s.connectivity == Connectivity::Online && s.pending_changes == 0);
    let token = sign_in_token(&server, "lu@example.com");
    let me = api(&server, async |c| c.me(&token).await).expect("profile");
    assert_eq!((me.senior_mode, me.device_usage_consent), (true, true), "{me:?}");
    assert_eq!(me.id, signed.user_id);
    assert!(app.invoke::<bool>(command::DEVICE_USAGE_CONSENT, json!({})).expect("consent"));
}

#[test]
fn the_weekly_league_is_joined_read_and_left_through_the_shell() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = TestServer::real(dir.path());
    sign_up(&server, "qing@example.com");
    let app = TestApp::start(dir.path(), &server.url);
    app.wait_for("the first sync", |s| s.connectivity == Connectivity::Online);
    let signed_out = app.invoke::<Value>(command::LEAGUE, json!({}));
    assert_eq!(signed_out.map_err(error_code), Err("signed-out".to_owned()));
    let _: AccountView = app
        .invoke(command::SIGN_IN, json!({ "email": "qing@example.com", "password": "warm home 2026" }))
        .expect("sign_in");
    let league = |app: &TestApp| -> Fetched<Option<LeagueView>> {
        app.invoke(command::LEAGUE, json!({})).expect("league")
    };
    assert!(league(&app).value.is_none(), "not until the user opts in");
    let joined: LeagueView = app.invoke(command::JOIN_LEAGUE, json!({})).expect("join");
    assert_eq!(joined.standings.len(), 1);
    assert!(joined.standings[0].is_you && joined.standings[0].display_name == "Mei");
    let read = league(&app);
    assert_eq!((read.value.map(|v| v.week), read.from_cache), (Some(joined.week.clone()), false));
    // Offline: the table as last read, said to be so; leaving needs the server.
    drop(server);
    let kept = league(&app);
    assert!(kept.from_cache && kept.value.is_some_and(|v| v.week == joined.week));
    let offline = app.invoke::<Value>(command::LEAVE_LEAGUE, json!({}));
    assert_eq!(offline.map_err(error_code), Err("unreachable".to_owned()));
}
