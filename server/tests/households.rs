//! Households on SQLite and PostgreSQL: an owner invites family with single-use codes, sets up a
//! senior's family contacts, and removes members; nobody sees or changes another household.

#[macro_use]
mod common;

use common::{Running, TestDb};
use hearth_core::account::{Profile, SignedIn};
use hearth_core::household::{
    DeviceSignInCode, HelpRequest, Household, HouseholdRole, IncomingHelp, Invite, SeniorSetUp,
};
use reqwest::Method;
use serde_json::{Value, json};

async fn sign_up(server: &Running, email: &str) -> (String, String) {
    let signed = server.sign_up(email, json!({})).await;
    (signed.profile.id, signed.session.token)
}

async fn call(
    server: &Running,
    method: Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> (u16, String) {
    let body = body.map(|b| b.to_string());
    let (status, text, _) = server.send(method, path, Some(token), body.as_deref()).await;
    (status, text)
}

async fn invite(server: &Running, token: &str, role: &str) -> Invite {
    let (status, text) =
        call(server, Method::POST, "/v1/households/mine/invites", token, Some(json!({ "role": role }))).await;
    assert_eq!(status, 201, "{text}");
    serde_json::from_str(&text).expect("invite")
}

async fn join(server: &Running, token: &str, code: &str) -> (u16, String) {
    call(server, Method::POST, "/v1/households/join", token, Some(json!({ "code": code }))).await
}

async fn a_family_sets_up_a_seniors_contacts(db: TestDb) {
    let server = Running::start(db.url()).await;
    let (owner, owner_token) = sign_up(&server, "daughter@example.com").await;
    let (senior, senior_token) = sign_up(&server, "mother@example.com").await;
    let (son, son_token) = sign_up(&server, "son@example.com").await;
    let (_, stranger_token) = sign_up(&server, "stranger@example.com").await;

    let (status, text) =
        call(&server, Method::POST, "/v1/households", &owner_token, Some(json!({ "name": " 王家 " }))).await;
    assert_eq!(status, 201, "{text}");
    let created: Household = serde_json::from_str(&text).expect("household");
    assert_eq!(created.name, "王家");
    assert_eq!(created.members[0].role, HouseholdRole::Owner);

    let code = invite(&server, &owner_token, "senior").await.code;
    assert_eq!(join(&server, &senior_token, &code).await.0, 200);
    // Single use.
    assert_eq!(join(&server, &stranger_token, &code).await.0, 409);
    let code = invite(&server, &owner_token, "member").await.code;
    // Short enough to read out: four groups of four, taken as typed from a phone call.
    assert_eq!(code.split('-').map(str::len).collect::<Vec<_>>(), [4, 4, 4, 4], "{code}");
    let typed = code.to_lowercase().replace('-', " ").replace('0', "o").replace('1', "l");
    assert_eq!(join(&server, &son_token, &typed).await.0, 200);

    // Only the owner invites; owners cannot be invited.
    assert_eq!(
        call(
            &server,
            Method::POST,
            "/v1/households/mine/invites",
            &son_token,
            Some(json!({ "role": "member" }))
        )
        .await
        .0,
        403
    );
    assert_eq!(
        call(
            &server,
            Method::POST,
            "/v1/households/mine/invites",
            &owner_token,
            Some(json!({ "role": "owner" }))
        )
        .await
        .0,
        422
    );

    // The owner names the senior's contacts; the senior may change them too; others may not.
    let path = format!("/v1/households/mine/seniors/{senior}/contacts");
    let (status, text) =
        call(&server, Method::PUT, &path, &owner_token, Some(json!({ "contactIds": [owner, son, owner] })))
            .await;
    assert_eq!(status, 200, "{text}");
    let household: Household = serde_json::from_str(&text).expect("household");
    let mother = household.members.iter().find(|m| m.user_id == senior).expect("senior");
    let mut expected = vec![owner.clone(), son.clone()];
    expected.sort();
    assert_eq!(mother.family_contacts, expected);
    assert_eq!(
        call(&server, Method::PUT, &path, &son_token, Some(json!({ "contactIds": [son] }))).await.0,
        403
    );
    assert_eq!(
        call(&server, Method::PUT, &path, &senior_token, Some(json!({ "contactIds": [son] }))).await.0,
        200
    );
    // Contacts must be other members; the target must be a senior of this household.
    let (status, text) =
        call(&server, Method::PUT, &path, &owner_token, Some(json!({ "contactIds": ["someone-else"] })))
            .await;
    assert_eq!(status, 422, "{text}");
    assert!(text.contains("contactIds[0]"), "{text}");
    assert_eq!(
        call(&server, Method::PUT, &path, &owner_token, Some(json!({ "contactIds": [senior] }))).await.0,
        422
    );
    let not_senior = format!("/v1/households/mine/seniors/{son}/contacts");
    assert_eq!(
        call(&server, Method::PUT, &not_senior, &owner_token, Some(json!({ "contactIds": [owner] }))).await.0,
        404
    );

    // A stranger sees no household and cannot touch this one.
    assert_eq!(call(&server, Method::GET, "/v1/households/mine", &stranger_token, None).await.0, 404);
    assert_eq!(
        call(&server, Method::PUT, &path, &stranger_token, Some(json!({ "contactIds": [] }))).await.0,
        404
    );
    let remove_son = format!("/v1/households/mine/members/{son}");
    assert_eq!(call(&server, Method::DELETE, &remove_son, &stranger_token, None).await.0, 404);

    // The son leaves: he is no longer anyone's contact. The owner cannot leave.
    assert_eq!(call(&server, Method::DELETE, &remove_son, &son_token, None).await.0, 204);
    let (_, text) = call(&server, Method::GET, "/v1/households/mine", &senior_token, None).await;
    let household: Household = serde_json::from_str(&text).expect("household");
    assert_eq!(household.members.len(), 2);
    assert!(household.members.iter().all(|m| m.family_contacts.is_empty()), "{text}");
    let remove_owner = format!("/v1/households/mine/members/{owner}");
    assert_eq!(call(&server, Method::DELETE, &remove_owner, &owner_token, None).await.0, 409);
    server.stop().await;
    db.drop_database().await;
}

async fn codes_expire_and_accounts_belong_to_one_household(db: TestDb) {
    let server = Running::start(db.url()).await;
    let (_, a) = sign_up(&server, "a@example.com").await;
    let (_, b) = sign_up(&server, "b@example.com").await;
    let (_, c) = sign_up(&server, "c@example.com").await;
    assert_eq!(call(&server, Method::POST, "/v1/households", &a, Some(json!({ "name": "A" }))).await.0, 201);
    assert_eq!(call(&server, Method::POST, "/v1/households", &b, Some(json!({ "name": "B" }))).await.0, 201);
    // One household per account.
    assert_eq!(call(&server, Method::POST, "/v1/households", &a, Some(json!({ "name": "A2" }))).await.0, 409);
    let code = invite(&server, &a, "member").await.code;
    assert_eq!(join(&server, &b, &code).await.0, 409, "b already has a household");
    // The failed join did not use up the code.
    assert_eq!(join(&server, &c, &code).await.0, 200);
    let late = invite(&server, &a, "member").await.code;
    sqlx::query("UPDATE household_invites SET expires_at_ms = 1 WHERE used_by IS NULL")
        .execute(server.db().pool())
        .await
        .expect("expire");
    let (_, d) = sign_up(&server, "d@example.com").await;
    assert_eq!(join(&server, &d, &late).await.0, 410);
    assert_eq!(join(&server, &d, "not-a-code").await.0, 404);
    assert_eq!(call(&server, Method::POST, "/v1/households", &d, Some(json!({ "name": "" }))).await.0, 422);
    server.stop().await;
    db.drop_database().await;
}

on_both_databases!(
    a_family_sets_up_a_seniors_contacts,
    codes_expire_and_accounts_belong_to_one_household,
    a_seniors_help_request_reaches_their_family_and_family_switch_senior_mode,
    family_set_up_a_parent_whose_devices_sign_in_with_one_time_codes,
    the_owner_makes_a_member_a_senior_and_back,
);

async fn family_set_up_a_parent_whose_devices_sign_in_with_one_time_codes(db: TestDb) {
    // More codes from one address than the per-client limit allows a person.
    let mut config = hearth_server::Config::for_database(db.url());
    config.auth_burst = 100;
    let server = Running::start_with(config).await;
    let (daughter, daughter_token) = sign_up(&server, "daughter@example.com").await;
    let (son, son_token) = sign_up(&server, "son@example.com").await;
    let (_, stranger_token) = sign_up(&server, "stranger@example.com").await;
    let mum = json!({ "displayName": "妈妈", "email": "Mum@Example.com " });
    // Only from a household.
    let (status, _) =
        call(&server, Method::POST, "/v1/households/mine/seniors", &daughter_token, Some(mum.clone())).await;
    assert_eq!(status, 404);
    call(&server, Method::POST, "/v1/households", &daughter_token, Some(json!({ "name": "王家" }))).await;
    let code = invite(&server, &daughter_token, "member").await.code;
    assert_eq!(join(&server, &son_token, &code).await.0, 200);

    // The son sets Hearth up for Mum: she is a senior, in senior mode, with him as her contact.
    let (status, text) =
        call(&server, Method::POST, "/v1/households/mine/seniors", &son_token, Some(mum.clone())).await;
    assert_eq!(status, 201, "{text}");
    let set_up: SeniorSetUp = serde_json::from_str(&text).expect("set up");
    let mum_id = set_up.sign_in.user_id.clone();
    let member = set_up.household.members.iter().find(|m| m.user_id == mum_id).expect("Mum is a member");
    assert_eq!(member.role, HouseholdRole::Senior);
    assert!(member.set_up_by_family);
    assert_eq!(member.family_contacts, vec![son.clone()]);
    assert!(set_up.household.members.iter().filter(|m| m.user_id != mum_id).all(|m| !m.set_up_by_family));
    // The same address again is an account already.
    let (status, _) = call(&server, Method::POST, "/v1/households/mine/seniors", &son_token, Some(mum)).await;
    assert_eq!(status, 409);

    // Her phone signs in with the code as typed (lower case, spaces); nobody knows a password.
    let typed = set_up.sign_in.code.to_lowercase().replace('-', " ");
    let (status, text, _) = server
        .send(Method::POST, "/v1/auth/device-sign-in", None, Some(&json!({ "code": typed }).to_string()))
        .await;
    assert_eq!(status, 200, "{text}");
    let signed: SignedIn = serde_json::from_str(&text).expect("signed in");
    assert_eq!(signed.profile.id, mum_id);
    assert_eq!(signed.profile.email, "mum@example.com");
    assert!(signed.profile.senior_mode, "her app opens in the simple view");
    // Single use; a wrong code and a non-code get the same answer.
    for code in [set_up.sign_in.code.as_str(), "ZZZZ-ZZZZ", "not a code"] {
        let (status, text, _) = server
            .send(Method::POST, "/v1/auth/device-sign-in", None, Some(&json!({ "code": code }).to_string()))
            .await;
        assert_eq!(status, 422, "{code}: {text}");
        assert!(text.contains("invalid-code"), "{text}");
    }

    // A second device: her contact or the owner may make a code; nobody else.
    let path = format!("/v1/households/mine/members/{mum_id}/sign-in-code");
    let (status, text) = call(&server, Method::POST, &path, &daughter_token, None).await;
    assert_eq!(status, 201, "the owner: {text}");
    let second: DeviceSignInCode = serde_json::from_str(&text).expect("code");
    assert_eq!(second.display_name, "妈妈");
    assert_eq!(call(&server, Method::POST, &path, &stranger_token, None).await.0, 404);
    // Only for a senior the household set up: nobody signs in as another member.
    let daughters = format!("/v1/households/mine/members/{daughter}/sign-in-code");
    assert_eq!(call(&server, Method::POST, &daughters, &son_token, None).await.0, 404);
    let sons = format!("/v1/households/mine/members/{son}/sign-in-code");
    assert_eq!(call(&server, Method::POST, &sons, &daughter_token, None).await.0, 404);
    // An expired code does not sign in.
    sqlx::query("UPDATE device_sign_ins SET expires_at_ms = 1 WHERE used_at_ms IS NULL")
        .execute(server.db().pool())
        .await
        .expect("expire");
    let (status, _, _) = server
        .send(
            Method::POST,
            "/v1/auth/device-sign-in",
            None,
            Some(&json!({ "code": second.code }).to_string()),
        )
        .await;
    assert_eq!(status, 422);
    // The codes are kept as MACs, never as typed.
    let stored: Vec<String> = sqlx::query_scalar("SELECT code_hash FROM device_sign_ins")
        .fetch_all(server.db().pool())
        .await
        .expect("codes");
    assert!(stored.iter().all(|h| h.len() == 64 && !h.contains(&second.code.replace('-', ""))));
    // One code works at a time: a newer one replaces the older.
    let code_of = |text: String| serde_json::from_str::<DeviceSignInCode>(&text).expect("code").code;
    let third = code_of(call(&server, Method::POST, &path, &son_token, None).await.1);
    let fourth = code_of(call(&server, Method::POST, &path, &son_token, None).await.1);
    let redeem = |code: String| {
        let server = &server;
        async move {
            let body = json!({ "code": code }).to_string();
            server.send(Method::POST, "/v1/auth/device-sign-in", None, Some(&body)).await
        }
    };
    assert_eq!(redeem(third).await.0, 422, "replaced");
    let (status, text, _) = redeem(fourth).await;
    assert_eq!(status, 200, "{text}");
    let mum_token = serde_json::from_str::<SignedIn>(&text).expect("signed in").session.token;
    // A senior does not set up accounts.
    let other = json!({ "displayName": "阿姨", "email": "auntie@example.com" });
    assert_eq!(
        call(&server, Method::POST, "/v1/households/mine/seniors", &mum_token, Some(other)).await.0,
        403
    );
    // Once she is a family member (not a senior), family make no codes for her.
    let role = format!("/v1/households/mine/members/{mum_id}/role");
    assert_eq!(
        call(&server, Method::PUT, &role, &daughter_token, Some(json!({ "role": "member" }))).await.0,
        200
    );
    assert_eq!(call(&server, Method::POST, &path, &daughter_token, None).await.0, 404);
    // Password sign-in is no way in to her account.
    let (status, _, _) = server
        .send(
            Method::POST,
            "/v1/auth/sign-in",
            None,
            Some(&json!({ "email": "mum@example.com", "password": "" }).to_string()),
        )
        .await;
    assert!(status == 401 || status == 422, "{status}");
    server.stop().await;
    db.drop_database().await;
}

async fn the_owner_makes_a_member_a_senior_and_back(db: TestDb) {
    let server = Running::start(db.url()).await;
    let (owner, owner_token) = sign_up(&server, "owner@example.com").await;
    let (grandpa, grandpa_token) = sign_up(&server, "grandpa@example.com").await;
    call(&server, Method::POST, "/v1/households", &owner_token, Some(json!({ "name": "Home" }))).await;
    let code = invite(&server, &owner_token, "member").await.code;
    assert_eq!(join(&server, &grandpa_token, &code).await.0, 200);
    let role = format!("/v1/households/mine/members/{grandpa}/role");
    // Only the owner.
    assert_eq!(
        call(&server, Method::PUT, &role, &grandpa_token, Some(json!({ "role": "senior" }))).await.0,
        403
    );
    let (status, text) =
        call(&server, Method::PUT, &role, &owner_token, Some(json!({ "role": "senior" }))).await;
    assert_eq!(status, 200, "{text}");
    let household: Household = serde_json::from_str(&text).expect("household");
    assert_eq!(household.members[1].role, HouseholdRole::Senior);
    let contacts = format!("/v1/households/mine/seniors/{grandpa}/contacts");
    let (status, _) =
        call(&server, Method::PUT, &contacts, &owner_token, Some(json!({ "contactIds": [owner] }))).await;
    assert_eq!(status, 200);
    // Back to a family member: his contacts go.
    let (_, text) = call(&server, Method::PUT, &role, &owner_token, Some(json!({ "role": "member" }))).await;
    let household: Household = serde_json::from_str(&text).expect("household");
    assert_eq!(household.members[1].role, HouseholdRole::Member);
    assert!(household.members[1].family_contacts.is_empty());
    // The owner stays owner; no role may be made owner; unknown members are not found.
    let own = format!("/v1/households/mine/members/{owner}/role");
    assert_eq!(
        call(&server, Method::PUT, &own, &owner_token, Some(json!({ "role": "senior" }))).await.0,
        409
    );
    assert_eq!(
        call(&server, Method::PUT, &role, &owner_token, Some(json!({ "role": "owner" }))).await.0,
        422
    );
    let nobody = "/v1/households/mine/members/nobody/role";
    assert_eq!(
        call(&server, Method::PUT, nobody, &owner_token, Some(json!({ "role": "senior" }))).await.0,
        404
    );
    server.stop().await;
    db.drop_database().await;
}

async fn a_seniors_help_request_reaches_their_family_and_family_switch_senior_mode(db: TestDb) {
    let server = Running::start(db.url()).await;
    let (owner, owner_token) = sign_up(&server, "daughter@example.com").await;
    let (senior, senior_token) = sign_up(&server, "grandma@example.com").await;
    let (_, son_token) = sign_up(&server, "son@example.com").await;
    let (_, stranger_token) = sign_up(&server, "stranger@example.com").await;
    call(&server, Method::POST, "/v1/households", &owner_token, Some(json!({ "name": "王家" }))).await;
    let code = invite(&server, &owner_token, "senior").await.code;
    assert_eq!(join(&server, &senior_token, &code).await.0, 200);
    let code = invite(&server, &owner_token, "member").await.code;
    assert_eq!(join(&server, &son_token, &code).await.0, 200);

    // No contacts yet: nobody to ask, and nothing recorded.
    let (status, text) = call(&server, Method::POST, "/v1/help-requests", &senior_token, None).await;
    assert_eq!(status, 409, "{text}");
    assert!(text.contains("\"no-family-contacts\""), "{text}");
    let contacts = format!("/v1/households/mine/seniors/{senior}/contacts");
    let (status, _) =
        call(&server, Method::PUT, &contacts, &owner_token, Some(json!({ "contactIds": [owner] }))).await;
    assert_eq!(status, 200);

    let (status, text) = call(&server, Method::POST, "/v1/help-requests", &senior_token, None).await;
    assert_eq!(status, 201, "{text}");
    let asked: HelpRequest = serde_json::from_str(&text).expect("request");
    assert_eq!(asked.contacts.len(), 1);
    assert_eq!((asked.contacts[0].user_id.as_str(), asked.contacts[0].reached_at_ms), (owner.as_str(), None));

    // The contact's device finds it, shows it, marks it reached; others cannot see or mark it.
    let (_, text) = call(&server, Method::GET, "/v1/help-requests/incoming", &owner_token, None).await;
    let incoming: Vec<IncomingHelp> = serde_json::from_str(&text).expect("incoming");
    assert_eq!(incoming.len(), 1);
    assert_eq!((incoming[0].senior_id.as_str(), incoming[0].reached_at_ms), (senior.as_str(), None));
    let (_, text) = call(&server, Method::GET, "/v1/help-requests/incoming", &son_token, None).await;
    assert_eq!(text, "[]", "not the son's: he is not a contact");
    let reached = format!("/v1/help-requests/{}/reached", asked.id);
    assert_eq!(call(&server, Method::POST, &reached, &son_token, None).await.0, 404);
    assert_eq!(call(&server, Method::POST, &reached, &stranger_token, None).await.0, 404);
    let (status, text) = call(&server, Method::POST, &reached, &owner_token, None).await;
    assert_eq!(status, 200, "{text}");
    let first: IncomingHelp = serde_json::from_str(&text).expect("reached");
    let again: IncomingHelp =
        serde_json::from_str(&call(&server, Method::POST, &reached, &owner_token, None).await.1)
            .expect("again");
    assert_eq!(first.reached_at_ms, again.reached_at_ms, "the first time counts");
    let (_, text) = call(&server, Method::GET, "/v1/help-requests", &senior_token, None).await;
    let mine: Vec<HelpRequest> = serde_json::from_str(&text).expect("mine");
    assert_eq!(
        mine[0].contacts[0].reached_at_ms, first.reached_at_ms,
        "the senior sees who was reached and when"
    );

    // Senior mode: the senior's contact (or the owner) switches it; the son may not; strangers
    // do not find the senior at all; the senior's own profile shows it.
    let mode = format!("/v1/households/mine/members/{senior}/senior-mode");
    let (status, text) =
        call(&server, Method::PUT, &mode, &owner_token, Some(json!({ "enabled": true }))).await;
    assert_eq!(status, 200, "{text}");
    assert!(serde_json::from_str::<Profile>(&text).expect("profile").senior_mode);
    assert_eq!(call(&server, Method::PUT, &mode, &son_token, Some(json!({ "enabled": false }))).await.0, 403);
    assert_eq!(
        call(&server, Method::PUT, &mode, &stranger_token, Some(json!({ "enabled": false }))).await.0,
        404
    );
    let owner_as_target = format!("/v1/households/mine/members/{owner}/senior-mode");
    assert_eq!(
        call(&server, Method::PUT, &owner_as_target, &owner_token, Some(json!({ "enabled": true }))).await.0,
        404,
        "only seniors"
    );
    let (_, text) = call(&server, Method::GET, "/v1/me", &senior_token, None).await;
    assert!(serde_json::from_str::<Profile>(&text).expect("me").senior_mode);
    // The senior may switch it off themselves.
    let (status, text) =
        call(&server, Method::PATCH, "/v1/me", &senior_token, Some(json!({ "seniorMode": false }))).await;
    assert_eq!(status, 200, "{text}");
    assert!(!serde_json::from_str::<Profile>(&text).expect("me").senior_mode);
    server.stop().await;
    db.drop_database().await;
}
