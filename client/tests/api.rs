//! The typed client against the real server (in this process, on a SQLite file): answers come
//! back as `hearth-core` types, and every way a call can fail is told apart by its type: the
//! server's own refusal codes, a session that is gone, a server that is not there, an answer
//! too large to read.

use std::time::Duration;

use hearth_client::{Client, ClientError, Page};
use hearth_core::account::{SignInRequest, SignUpRequest};
use hearth_core::api::ApiCode;
use hearth_core::rewards::RedeemRequest;

struct Rig {
    client: Client,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    _dir: tempfile::TempDir,
}

impl Rig {
    async fn start() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut config =
            hearth_server::Config::for_database(format!("sqlite://{}/server.db", dir.path().display()));
        config.media_dir = dir.path().join("media");
        config.listen = "127.0.0.1:0".parse().expect("address");
        let server = hearth_server::Server::bind(&config).await.expect("the server starts");
        let url = format!("http://{}/", server.local_addr().expect("bound"));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(server.run(async move {
            let _ = stopped.await;
        }));
        let client = Client::new(&url, Duration::from_secs(30)).expect("client");
        Self { client, stop: Some(stop), _dir: dir }
    }
}

impl Drop for Rig {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

fn sign_up(email: &str) -> SignUpRequest {
    SignUpRequest {
        email: email.to_owned(),
        password: "warm home 2026".to_owned(),
        display_name: "Mei".to_owned(),
        locale: None,
        time_zone: None,
    }
}

fn api_error(result: Result<impl std::fmt::Debug, ClientError>) -> (u16, ApiCode) {
    match result {
        Err(ClientError::Api(error)) => (error.status, error.code),
        other => panic!("expected the server's refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn answers_are_typed_and_refusals_carry_the_servers_code() {
    let rig = Rig::start().await;
    let api = &rig.client;
    let signed = api.sign_up(&sign_up("mei@example.com")).await.expect("signed up");
    let token = signed.session.token.clone();
    assert_eq!(api.me(&token).await.expect("profile").id, signed.profile.id);
    assert_eq!(api_error(api.sign_up(&sign_up("mei@example.com")).await), (409, ApiCode::Taken));

    let wrong = SignInRequest { email: "mei@example.com".into(), password: "not the password".into() };
    let refused = api.sign_in(&wrong).await;
    assert_eq!(api_error(refused.clone()), (401, ApiCode::WrongCredentials));

    // A reward out of reach is the wallet's shortfall, not any 409.
    let redeem = RedeemRequest { redemption_id: uuid::Uuid::now_v7().to_string() };
    let rewards = api.rewards().await.expect("the catalog").rewards;
    let dearest = rewards.iter().max_by_key(|r| r.points).expect("a reward on offer");
    let short = api_error(api.redeem(&token, &dearest.id, &redeem).await);
    assert_eq!(short, (409, ApiCode::InsufficientPoints));
    // Ids are path segments of their own: a slash cannot reach another route.
    assert_eq!(api_error(api.redeem(&token, "no/such", &redeem).await), (404, ApiCode::NotFound));
    assert_eq!(api_error(api.league(&token).await), (404, ApiCode::NotInLeague));
    assert!(!api.join_league(&token).await.expect("joined").standings.is_empty());
    api.leave_league(&token).await.expect("left");

    let history = api.wallet_history(&token, Page { cursor: None, limit: Some(5) }).await.expect("history");
    assert!(history.entries.is_empty() && history.next_cursor.is_none(), "{history:?}");
    assert_eq!(api.wallet(&token).await.expect("wallet").balance, 0);

    api.sign_out(&token).await.expect("signed out");
    let gone = api.me(&token).await.expect_err("the session ended");
    assert!(gone.is_signed_out() && !gone.is_offline(), "{gone:?}");
    assert_eq!(gone.code(), Some(ApiCode::Unauthenticated));
}

#[tokio::test]
async fn a_server_that_is_not_there_or_answers_too_much_is_its_own_failure() {
    let rig = Rig::start().await;
    let catalog = rig.client.challenges().await.expect("the catalog");
    assert!(!catalog.challenges.is_empty());
    let small = rig.client.clone().with_max_response_bytes(64);
    assert!(matches!(small.challenges().await, Err(ClientError::TooLarge { limit: 64 })));

    // A port nothing listens on (bound, then closed).
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
    let nowhere = Client::new(&format!("http://127.0.0.1:{port}/"), Duration::from_secs(5)).expect("client");
    let offline = nowhere.health().await.expect_err("nothing answers");
    assert!(offline.is_offline() && offline.code().is_none(), "{offline:?}");
    assert_eq!(offline.problem(), hearth_core::ipc::SyncProblem::Unreachable);
    assert_eq!(rig.client.server_time().await.expect("the clock").map(|ms| ms > 0), Some(true));
}
