//! The demo household (`hearth-server demo`, which `scripts/run.sh` runs) on SQLite and
//! PostgreSQL: each demo account signs in with the demo password and finds what the demo
//! promises, and applying it again changes nothing.

#[macro_use]
mod common;

use common::{Running, TestDb};
use hearth_core::account::{Role, SignInRequest};
use hearth_core::household::{Household, HouseholdRole};
use hearth_server::demo;
use reqwest::Method;

async fn sign_in(server: &Running, email: &str) -> hearth_core::account::SignedIn {
    let request = SignInRequest { email: email.into(), password: demo::PASSWORD.into() };
    server.client().sign_in(&request).await.unwrap_or_else(|e| panic!("{email} signs in: {e}"))
}

async fn the_demo_household_is_there_once(db: TestDb) {
    let server = Running::start(db.url()).await;
    let now = hearth_server::now_ms();
    assert!(demo::apply(server.db(), now).await.expect("applies"), "applied the first time");
    assert!(!demo::apply(server.db(), now).await.expect("applies"), "and only once");

    let consumer = sign_in(&server, demo::CONSUMER.email).await;
    let senior = sign_in(&server, demo::SENIOR.email).await;
    let staff = sign_in(&server, demo::STAFF.email).await;
    assert_eq!(consumer.profile.role, Role::Consumer);
    assert!(senior.profile.senior_mode, "the senior opens the simple view");
    assert_eq!(staff.profile.role, Role::Staff);

    let client = server.client();
    let wallet = client.wallet(&consumer.session.token).await.expect("wallet");
    assert_eq!(wallet.balance, 320, "points for a first reward");
    let joined = client.my_challenges(&consumer.session.token).await.expect("challenges");
    assert_eq!(joined.len(), 2, "{joined:?}");

    let (status, household) =
        server.call(Method::GET, "/v1/households/mine", &senior.session.token, None).await;
    assert_eq!(status, 200, "{household}");
    let household: Household = serde_json::from_value(household).expect("household");
    let member = |id: &str| household.members.iter().find(|m| m.user_id == id).expect("a member");
    assert_eq!(member(&consumer.profile.id).role, HouseholdRole::Owner);
    assert_eq!(member(&senior.profile.id).role, HouseholdRole::Senior);
    assert_eq!(member(&senior.profile.id).family_contacts, vec![consumer.profile.id.clone()]);
    assert!(household.members.iter().all(|m| m.user_id != staff.profile.id), "staff are not family");

    // The senior's help request reaches her family contact.
    let (status, asked) = server.call(Method::POST, "/v1/help-requests", &senior.session.token, None).await;
    assert_eq!(status, 201, "{asked}");
    let (status, incoming) =
        server.call(Method::GET, "/v1/help-requests/incoming", &consumer.session.token, None).await;
    assert_eq!(status, 200, "{incoming}");
    assert_eq!(incoming.as_array().map(Vec::len), Some(1), "{incoming}");

    server.stop().await;
    db.drop_database().await;
}

on_both_databases!(the_demo_household_is_there_once);
