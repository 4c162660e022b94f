//! The end-to-end rig: starts the real `hearth-server`, `tauri-driver` (which starts
//! WebKitWebDriver, which starts the real app) and hands out a WebDriver session. The tests in
//! `tests/` drive the app as a person would and look at what the webview shows.
//!
//! It needs a display (the test command runs it under `xvfb-run` and `dbus-run-session`) and the
//! binaries the test command builds; it says so plainly when either is missing.

pub mod mailbox;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::error::ErrorStatus;

/// Where a binary of the workspace was built, or `HEARTH_<NAME>_BIN` when set.
pub fn binary(name: &str, env: &str) -> PathBuf {
    if let Ok(path) = std::env::var(env) {
        return PathBuf::from(path);
    }
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let path = target.join("debug").join(name);
    assert!(
        path.is_file(),
        "{} is missing: build it first (the README's test command does), or set {env}",
        path.display()
    );
    path
}

/// A loopback port that was free a moment ago.
pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("local address").port()
}

/// Where screenshots and logs of this run go: `HEARTH_E2E_ARTIFACTS`, or beside the target dir.
pub fn artifacts_dir() -> PathBuf {
    let dir = std::env::var("HEARTH_E2E_ARTIFACTS").map(PathBuf::from).unwrap_or_else(|_| {
        std::env::var("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"))
            .join("e2e-artifacts")
    });
    std::fs::create_dir_all(&dir).expect("create the artifacts directory");
    dir
}

/// Polls `check` every 100 ms until it returns `Ok`, or panics after `timeout` naming `what`
/// and the last thing `check` saw instead.
pub async fn eventually<T, F, Fut>(what: &str, timeout: Duration, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, String>>,
{
    let deadline = Instant::now() + timeout;
    loop {
        match check().await {
            Ok(value) => return value,
            Err(seen) => assert!(
                Instant::now() < deadline,
                "timed out after {timeout:?} waiting for {what}; last seen: {seen}"
            ),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn http_ok(url: &str) -> bool {
    reqwest::get(url).await.is_ok_and(|r| r.status().is_success())
}

/// A child process killed (and reaped) on drop.
#[derive(Debug)]
pub struct Process(Child);

impl Process {
    /// Stops the process with SIGTERM, as a service manager would, and waits for it.
    pub fn terminate(mut self) {
        let pid = self.0.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let _ = self.0.wait();
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn log_file(name: &str) -> Stdio {
    let path = artifacts_dir().join(name);
    std::fs::File::create(&path).map_or_else(|_| Stdio::null(), Stdio::from)
}

/// The real server on a SQLite file in `dir`, ready (its `/health` answered).
#[derive(Debug)]
pub struct Server {
    /// Its base URL, ending in `/`.
    pub url: String,
    process: Process,
}

impl Server {
    /// Starts `hearth-server` and waits until it is healthy.
    pub async fn start(dir: &Path) -> Self {
        Self::start_on(dir, free_port()).await
    }

    /// Starts `hearth-server` on `port` (to come back where clients expect it after [`kill`]).
    ///
    /// [`kill`]: Server::kill
    pub async fn start_on(dir: &Path, port: u16) -> Self {
        let mut command = Command::new(binary("hearth-server", "HEARTH_SERVER_BIN"));
        // Mail (password-reset codes) to the test command's SMTP server, when there is one.
        if let Ok(smtp) = std::env::var("HEARTH_TEST_SMTP_URL") {
            command.arg("--smtp-url").arg(smtp);
        }
        let child = command
            .arg("--database-url")
            .arg(format!("sqlite://{}/server.db", dir.display()))
            .arg("--listen")
            .arg(format!("127.0.0.1:{port}"))
            // Photos beside the database, in the test's directory, never in the working tree.
            .arg("--media-dir")
            .arg(dir.join("media"))
            .stdout(log_file("server.log"))
            .stderr(log_file("server.err.log"))
            .spawn()
            .expect("start hearth-server");
        let url = format!("http://127.0.0.1:{port}/");
        let health = format!("{url}health");
        let process = Process(child);
        eventually("hearth-server to be healthy", Duration::from_secs(30), || async {
            if http_ok(&health).await { Ok(()) } else { Err("no healthy answer".to_owned()) }
        })
        .await;
        Self { url, process }
    }

    /// Stops the server (SIGTERM) and waits for it to exit.
    pub fn stop(self) {
        self.process.terminate();
    }

    /// Kills the server (SIGKILL), as a crash or a pulled plug would: requests in flight die
    /// with it and uncommitted transactions roll back.
    pub fn kill(self) {
        drop(self.process);
    }

    /// Its port.
    pub fn port(&self) -> u16 {
        self.url.trim_end_matches('/').rsplit(':').next().and_then(|p| p.parse().ok()).unwrap_or(0)
    }
}

/// `tauri-driver` with the app's environment, ready (its `/status` answered).
#[derive(Debug)]
pub struct Driver {
    /// Its WebDriver URL.
    pub url: String,
    _process: Process,
}

impl Driver {
    /// Starts `tauri-driver`; the app it launches inherits `app_env`.
    pub async fn start(app_env: &[(&str, String)]) -> Self {
        assert!(
            std::env::var_os("DISPLAY").is_some(),
            "no DISPLAY: run the end-to-end tests under xvfb-run (the README's test command does)"
        );
        // A free port can be taken between choosing it and binding it (WebKitWebDriver then
        // exits at once): start again on other ports.
        for attempt in 1..=3 {
            let port = free_port();
            let native_port = free_port();
            let mut command =
                Command::new(std::env::var("TAURI_DRIVER").unwrap_or_else(|_| "tauri-driver".into()));
            command
                .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
                .env("NO_AT_BRIDGE", "1")
                .stdout(log_file("driver-and-app.log"))
                .stderr(log_file("driver-and-app.err.log"));
            for (key, value) in app_env {
                command.env(key, value);
            }
            let mut process =
                Process(command.spawn().expect("start tauri-driver (cargo install tauri-driver)"));
            let url = format!("http://127.0.0.1:{port}");
            let status = format!("{url}/status");
            let deadline = Instant::now() + Duration::from_secs(30);
            while Instant::now() < deadline {
                if http_ok(&status).await {
                    return Self { url, _process: process };
                }
                if process.0.try_wait().ok().flatten().is_some() {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            eprintln!("tauri-driver did not come up on ports {port}/{native_port} (attempt {attempt})");
        }
        panic!("tauri-driver did not start; see driver-and-app.err.log in the artifacts directory");
    }

    /// A WebDriver session on a freshly launched app.
    pub async fn session(&self) -> fantoccini::Client {
        self.session_with_args(&[]).await
    }

    /// [`session`](Self::session) with the app started with `args` (a `hearth://` link, as the
    /// desktop passes one).
    pub async fn session_with_args(&self, args: &[&str]) -> fantoccini::Client {
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "tauri:options".to_owned(),
            serde_json::json!({ "application": binary("hearth-app", "HEARTH_APP_BIN"), "args": args }),
        );
        // tauri-driver speaks plain HTTP on loopback: no TLS stack needed.
        fantoccini::ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities)
            .connect(&self.url)
            .await
            .expect("a WebDriver session with the app")
    }
}

/// Resizes the app's window (the viewport follows).
pub async fn resize(client: &fantoccini::Client, width: u32, height: u32) {
    client.set_window_rect(0, 0, width, height).await.expect("resize the window");
    // The page takes the new width a moment later, and reflows a frame or two after that.
    eventually("the page at its new width", Duration::from_secs(10), || async {
        let seen = client.execute("return window.innerWidth", vec![]).await.map_err(|e| e.to_string())?;
        // The viewport is the window less any frame: a little narrower, never wider.
        let near = |w: u64| w <= u64::from(width) && w + 40 >= u64::from(width);
        if seen.as_u64().is_some_and(near) { Ok(()) } else { Err(format!("{seen} wide")) }
    })
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
}

/// Saves a screenshot of the app as `name` in the artifacts directory, then checks the screen
/// as it is with axe-core ([`assert_accessible`]): every screen the tests look at is checked.
pub async fn screenshot(client: &fantoccini::Client, name: &str) {
    let png = client.screenshot().await.expect("screenshot");
    std::fs::write(artifacts_dir().join(name), png).expect("save screenshot");
    assert_accessible(client, name).await;
}

/// The environment that points the app at `server_url`, syncing every second, with its config,
/// data and cache under `home`.
pub fn app_env(server_url: &str, home: &Path) -> Vec<(&'static str, String)> {
    vec![
        ("HEARTH_SERVER_URL", server_url.to_owned()),
        ("HEARTH_SYNC_INTERVAL_SECS", "1".to_owned()),
        ("HEARTH_SYNC_MAX_BACKOFF_SECS", "1".to_owned()),
        ("XDG_CONFIG_HOME", home.join("config").display().to_string()),
        ("XDG_DATA_HOME", home.join("data").display().to_string()),
        ("XDG_CACHE_HOME", home.join("cache").display().to_string()),
        ("RUST_LOG", "info,hearth_app_lib=debug".to_owned()),
    ]
}

/// The text of the element with `data-testid`, or why it is not there.
pub async fn text_of(client: &fantoccini::Client, testid: &str) -> Result<String, String> {
    let script = format!(
        "const e = document.querySelector('[data-testid={testid}]'); return e ? e.textContent.trim() : null;"
    );
    match client.execute(&script, vec![]).await.map_err(|e| e.to_string())? {
        serde_json::Value::String(text) => Ok(text),
        other => Err(format!("[data-testid={testid}] is {other}")),
    }
}

/// Clicks the element `css` selects once it has stopped moving, finding it again if the page
/// re-rendered it meanwhile (a reactive UI replaces nodes and shifts them as its data arrives;
/// a click aimed while the layout shifts lands where the element used to be).
pub async fn click(client: &fantoccini::Client, css: &str) {
    const TIMEOUT: Duration = Duration::from_secs(15);
    let deadline = Instant::now() + TIMEOUT;
    loop {
        match click_once(client, css).await {
            Ok(()) => return,
            Err(_) if Instant::now() < deadline => tokio::time::sleep(Duration::from_millis(100)).await,
            Err(seen) => {
                // What the screen showed instead is the quickest way to see why.
                let name: String =
                    css.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
                let name = format!("click-failed-{name}.png");
                if let Ok(png) = client.screenshot().await {
                    let _ = std::fs::write(artifacts_dir().join(&name), png);
                }
                panic!(
                    "timed out after {TIMEOUT:?} waiting for a click on {css} (the screen: {name}); last seen: {seen}"
                );
            }
        }
    }
}

async fn click_once(client: &fantoccini::Client, css: &str) -> Result<(), String> {
    let element = client.find(fantoccini::Locator::Css(css)).await.map_err(|e| e.to_string())?;
    let before = element.rectangle().await.map_err(|e| e.to_string())?;
    tokio::time::sleep(Duration::from_millis(150)).await;
    let after = element.rectangle().await.map_err(|e| e.to_string())?;
    if before != after {
        return Err(format!("it moved from {before:?} to {after:?}"));
    }
    match element.click().await {
        Ok(()) => Ok(()),
        // WebKitWebDriver scrolls a target only to the window's edge (under the phone's bottom
        // bar), and not always up the page (an app bar after a long screen); a person would scroll
        // it into plain view first, and so does the next try.
        Err(fantoccini::error::CmdError::Standard(refusal))
            if matches!(
                refusal.error,
                ErrorStatus::ElementNotInteractable | ErrorStatus::ElementClickIntercepted
            ) =>
        {
            let target = serde_json::to_value(&element).map_err(|e| e.to_string())?;
            client
                .execute("arguments[0].scrollIntoView({ block: 'center' });", vec![target])
                .await
                .map_err(|e| e.to_string())?;
            Err(format!("not clickable where it was: {refusal:?}"))
        }
        // Debug, not Display: WebKitWebDriver sends some refusals with an empty message, and only
        // the error's kind then says what happened.
        Err(error) => Err(format!("{error:?}")),
    }
}

/// Replaces the text of the input with `id`.
pub async fn fill(client: &fantoccini::Client, id: &str, value: &str) {
    let field = client.find(fantoccini::Locator::Id(id)).await.unwrap_or_else(|e| panic!("#{id}: {e}"));
    field.clear().await.expect("clear");
    field.send_keys(value).await.expect("type");
}

/// Signs `email` up at the server at `url` with `password`, as the app's sign-up will.
pub async fn sign_up(url: &str, email: &str, password: &str, name: &str) {
    let request = hearth_core::account::SignUpRequest {
        email: email.to_owned(),
        password: password.to_owned(),
        display_name: name.to_owned(),
        locale: None,
        time_zone: None,
    };
    api(url).sign_up(&request).await.unwrap_or_else(|e| panic!("sign up {email}: {e}"));
}

/// What axe-core (from `HEARTH_AXE_JS`, installed by the test command) finds against WCAG 2.0,
/// 2.1 and 2.2 at levels A and AA on the page as it is now: one line per rule broken, naming up
/// to five of the elements that break it.
pub async fn axe_violations(client: &fantoccini::Client) -> Vec<String> {
    let loaded = client.execute("return typeof window.axe === 'object';", vec![]).await.expect("script");
    if loaded != serde_json::Value::Bool(true) {
        let path = std::env::var("HEARTH_AXE_JS")
            .expect("HEARTH_AXE_JS: the path of axe.min.js (scripts/test.sh installs axe-core and sets it)");
        let source = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        client.execute(&format!("{source}\n;return true;"), vec![]).await.expect("inject axe-core");
    }
    let script = r#"
        const done = arguments[arguments.length - 1];
        const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
        axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
            .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at '
                + v.nodes.slice(0, 5).map(n => n.target.join(' ')).join(', '))))
            .catch(e => done(['axe-core failed: ' + e]));
    "#;
    let found = client.execute_async(script, vec![]).await.expect("run axe-core");
    found
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

/// Fails the test when axe-core finds any WCAG 2.2 A or AA violation on `screen`.
pub async fn assert_accessible(client: &fantoccini::Client, screen: &str) {
    let violations = axe_violations(client).await;
    assert!(
        violations.is_empty(),
        "{screen}: {} accessibility violations:\n{}",
        violations.len(),
        violations.join("\n")
    );
}

/// Signs in through the app's own sign-in dialog, and waits until the app shows it signed in.
pub async fn sign_in_through_app(client: &fantoccini::Client, email: &str, password: &str) {
    click(client, "[data-testid=open-sign-in]").await;
    fill(client, "sign-in-email", email).await;
    fill(client, "sign-in-password", password).await;
    click(client, "[data-testid=sign-in-submit]").await;
    eventually("the app signed in", std::time::Duration::from_secs(20), || async {
        text_of(client, "signed-in-as").await.map(|_| ())
    })
    .await;
    // Signing in adds the user's badges and, once read, their wallet above the challenges: wait
    // for the screen to settle, or a click aimed at a card could land where it used to be.
    let settled = "return !document.querySelector('[data-testid=challenge-count]') \
        || !!document.querySelector('[data-testid=wallet-balance]');";
    eventually("the screen settled after signing in", std::time::Duration::from_secs(20), || async {
        let done = client.execute(settled, vec![]).await.map_err(|e| e.to_string())?;
        if done == serde_json::Value::Bool(true) {
            Ok(())
        } else {
            Err("the wallet is not shown yet".to_owned())
        }
    })
    .await;
}

/// A challenge card's progress text and its state note (empty when there is none), or why not.
pub async fn participation(client: &fantoccini::Client, challenge: &str) -> Result<(String, String), String> {
    let script = format!(
        "const card = document.querySelector('[data-challenge-id={challenge}]');
         if (!card) return null;
         const p = card.querySelector('[data-testid=participation]');
         if (!p) return null;
         const state = p.querySelector('[data-testid=participation-state]');
         return [p.querySelector('.progress-text').textContent.trim(), state ? state.textContent.trim() : ''];"
    );
    match client.execute(&script, vec![]).await.map_err(|e| e.to_string())? {
        serde_json::Value::Array(parts) => Ok((
            parts.first().and_then(serde_json::Value::as_str).unwrap_or_default().to_owned(),
            parts.get(1).and_then(serde_json::Value::as_str).unwrap_or_default().to_owned(),
        )),
        other => Err(format!("no participation on {challenge}: {other}")),
    }
}

/// The app's own typed client of the server at `url`, for set-up and checks beside the app.
pub fn api(url: &str) -> hearth_client::Client {
    hearth_client::Client::new(url, Duration::from_secs(30)).expect("the server's address")
}

/// Signs `email` in at the server directly: their account id and a session token.
pub async fn sign_in_at_server(url: &str, email: &str, password: &str) -> (String, String) {
    let request =
        hearth_core::account::SignInRequest { email: email.to_owned(), password: password.to_owned() };
    let signed = api(url).sign_in(&request).await.unwrap_or_else(|e| panic!("sign in {email}: {e}"));
    (signed.profile.id, signed.session.token)
}

/// Gives `email` a role with the server's own command (`hearth-server set-role`), as an
/// operator would, on the server whose SQLite database is in `dir`.
pub fn set_role(dir: &Path, email: &str, role: &str, store: Option<&str>) {
    let mut command = Command::new(binary("hearth-server", "HEARTH_SERVER_BIN"));
    command
        .arg("--database-url")
        .arg(format!("sqlite://{}/server.db", dir.display()))
        .args(["set-role", "--email", email, "--role", role]);
    if let Some(store) = store {
        command.args(["--store-id", store]);
    }
    assert!(command.status().expect("hearth-server set-role").success(), "set-role {email}");
}

/// A real notification daemon (dunst) on the test's D-Bus session, to see the notifications the
/// app actually sends. Stopped when dropped.
#[derive(Debug)]
pub struct Notifications(Child);

impl Notifications {
    /// Starts dunst with its config in `dir` and waits until it owns the notification service.
    pub async fn start(dir: &Path) -> Notifications {
        let config = dir.join("dunstrc");
        std::fs::write(&config, "[global]\n    history_length = 50\n").expect("dunstrc");
        let child = Command::new("dunst")
            .arg("-config")
            .arg(&config)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("dunst (a notification daemon; the test command installs it)");
        eventually("the notification service", Duration::from_secs(10), || async {
            let owner = Command::new("dbus-send")
                .args(["--session", "--print-reply", "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus"])
                .args(["org.freedesktop.DBus.GetNameOwner", "string:org.freedesktop.Notifications"])
                .output()
                .map_err(|e| e.to_string())?;
            if owner.status.success() { Ok(()) } else { Err("not yet".to_owned()) }
        })
        .await;
        Notifications(child)
    }

    /// The titles of every notification shown so far.
    pub fn titles(&self) -> Vec<String> {
        let _ = Command::new("dunstctl").arg("close-all").status();
        let out = Command::new("dunstctl").arg("history").output().expect("dunstctl");
        let history: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
        history["data"][0]
            .as_array()
            .map(|shown| {
                shown.iter().filter_map(|n| n["summary"]["data"].as_str().map(str::to_owned)).collect()
            })
            .unwrap_or_default()
    }
}

impl Drop for Notifications {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the real app against the server at `url` (its files under `home`), opens a WebDriver
/// session at `width`×`height` and waits until the app is on screen. Keep the driver as long as
/// the session.
pub async fn launch(url: &str, home: &Path, width: u32, height: u32) -> (Driver, fantoccini::Client) {
    launch_with(&app_env(url, home), width, height).await
}

/// [`launch`] with the app's whole environment given (an [`app_env`] with additions).
pub async fn launch_with(env: &[(&str, String)], width: u32, height: u32) -> (Driver, fantoccini::Client) {
    launch_with_args(env, &[], width, height).await
}

/// [`launch_with`], the app started with `args` (a `hearth://` link, as the desktop opens one).
pub async fn launch_with_args(
    env: &[(&str, String)],
    args: &[&str],
    width: u32,
    height: u32,
) -> (Driver, fantoccini::Client) {
    let driver = Driver::start(env).await;
    let client = driver.session_with_args(args).await;
    resize(&client, width, height).await;
    eventually("the app", Duration::from_secs(90), || async {
        text_of(&client, "open-sign-in").await.map(|_| ())
    })
    .await;
    (driver, client)
}

/// Grants `amount` points to `user_id` as the operator holding `operator_token`.
pub async fn grant_points(url: &str, operator_token: &str, user_id: &str, amount: u64) {
    let grant = hearth_core::ledger::GrantRequest {
        id: uuid::Uuid::now_v7().to_string(),
        user_id: user_id.to_owned(),
        amount,
        memo: "welcome".to_owned(),
    };
    api(url).grant(operator_token, &grant).await.expect("points granted");
}

/// The store's staff (holding `staff_token`) scan the newest code of the user holding
/// `user_token` at the counter.
pub async fn consume_newest_code(url: &str, user_token: &str, staff_token: &str) {
    let client = api(url);
    let mine = client.my_redemptions(user_token).await.expect("the user's codes");
    let code = mine.first().expect("a code").code.clone();
    let consume = hearth_core::rewards::ConsumeRequest { code };
    client.consume_redemption(staff_token, &consume).await.expect("used at the counter");
}
