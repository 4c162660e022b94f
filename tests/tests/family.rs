//! Family end to end in the real app: a daughter creates a household, invites her brother with
//! a code, sets Hearth up for their mother, and her phone shows the code and its QR link; the
//! mother's device opens the link (as the desktop passes a `hearth://` link to the app), signs in
//! without a password and turns to the simple view at its next sync; the daughter adds her
//! brother as a contact and switches her mother's simple view off from her own phone, and the
//! mother's app follows. An invitation link opened while Hearth runs (clicked in a mail or a
//! chat) opens in the running app, whose second start only hands the link over. Screenshots at
//! 1280x800 and 360x740 in both languages.

use std::time::Duration;

use hearth_core::household::{
    CreateHousehold, CreateInvite, HouseholdRole, InviteRole, JoinHousehold, join_link,
};
use hearth_e2e::{
    Server, api, app_env, click, eventually, fill, launch, launch_with_args, resize, screenshot,
    sign_in_at_server, sign_in_through_app, sign_up, text_of,
};

const STEP: Duration = Duration::from_secs(20);
const PASSWORD: &str = "warm home 2026";

async fn until_said(client: &fantoccini::Client, wanted: &str) {
    eventually(&format!("the household to say {wanted:?}"), STEP, || async {
        let text = text_of(client, "household-said").await?;
        if text == wanted { Ok(()) } else { Err(text) }
    })
    .await;
}

#[tokio::test]
async fn a_daughter_sets_hearth_up_for_her_mother_whose_device_signs_in_by_its_qr_link() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = Server::start(dir.path()).await;
    let url = server.url.clone();
    sign_up(&url, "mei@example.com", PASSWORD, "李梅").await;
    sign_up(&url, "jun@example.com", PASSWORD, "李军").await;
    let (_, jun_token) = sign_in_at_server(&url, "jun@example.com", PASSWORD).await;

    // The daughter's app: Settings, then her household.
    let (_driver, mei) = launch(&url, &dir.path().join("mei"), 1280, 800).await;
    click(&mei, "[data-testid=locale-en]").await;
    sign_in_through_app(&mei, "mei@example.com", PASSWORD).await;
    click(&mei, "[data-testid=nav-settings]").await;
    click(&mei, "[data-testid=open-household]").await;
    eventually("the create form", STEP, || async { text_of(&mei, "household-create").await.map(|_| ()) })
        .await;
    screenshot(&mei, "household-none-1280x800-en.png").await;
    fill(&mei, "household-name", "The Lis").await;
    click(&mei, "button[data-testid=household-create]").await;
    until_said(&mei, "Your household is ready. Invite your family.").await;

    // An invitation for her brother: he joins with the code her screen shows.
    click(&mei, "[data-testid=household-invite]").await;
    let invite =
        eventually("the invitation", STEP, || async { text_of(&mei, "share-code-text").await }).await;
    let link = mei
        .execute("return document.querySelector('[data-testid=share-qr]').dataset.link", vec![])
        .await
        .expect("the QR code's link");
    assert_eq!(link.as_str(), Some(format!("hearth://household/join?code={invite}").as_str()));
    screenshot(&mei, "household-invite-1280x800-en.png").await;
    api(&url).join_household(&jun_token, &JoinHousehold { code: invite }).await.expect("Jun joins");

    // Hearth for Mum: her account is made here, and the code for her device shown.
    fill(&mei, "parent-name", "妈妈").await;
    fill(&mei, "parent-email", "mum@example.com").await;
    click(&mei, "[data-testid=parent-set-up]").await;
    until_said(&mei, "Their account is ready. Now sign their device in with the code below.").await;
    let code = text_of(&mei, "share-code-text").await.expect("the sign-in code");
    let link = mei
        .execute("return document.querySelector('[data-testid=share-qr]').dataset.link", vec![])
        .await
        .expect("the QR code's link");
    let link = link.as_str().expect("a link").to_owned();
    assert_eq!(link, format!("hearth://sign-in/family?code={code}"));
    // The list shows Mum as a senior set up by family, with Mei as her contact.
    eventually("Mum in the list", STEP, || async {
        let text = text_of(&mei, "member-妈妈").await?;
        if text.contains("Senior") && text.contains("set up by family") && text.contains("李梅") {
            Ok(())
        } else {
            Err(text)
        }
    })
    .await;
    screenshot(&mei, "household-parent-code-1280x800-en.png").await;
    resize(&mei, 360, 740).await;
    click(&mei, "[data-testid=locale-zh-CN]").await;
    screenshot(&mei, "household-parent-code-360x740-zh-CN.png").await;

    // Mum's phone opens the QR link: the code is filled in, and signing in needs no password.
    let mum_env = app_env(&url, &dir.path().join("mum"));
    let (_mum_driver, mum) = launch_with_args(&mum_env, &[&link], 360, 740).await;
    click(&mum, "[data-testid=locale-zh-CN]").await;
    eventually("the code filled in", STEP, || async {
        let value = mum
            .execute("return document.getElementById('family-sign-in-code')?.value", vec![])
            .await
            .map_err(|e| e.to_string())?;
        if value.as_str() == Some(code.as_str()) { Ok(()) } else { Err(format!("{value}")) }
    })
    .await;
    screenshot(&mum, "family-sign-in-360x740-zh-CN.png").await;
    click(&mum, "[data-testid=family-sign-in-submit]").await;
    // At its next sync, her app turns to the simple view.
    eventually("the simple view", STEP, || async { text_of(&mum, "tile-help").await.map(|_| ()) }).await;
    screenshot(&mum, "family-signed-in-senior-360x740-zh-CN.png").await;
    // The code was for one device.
    let again = api(&url).device_sign_in(&hearth_core::household::DeviceSignIn { code: code.clone() }).await;
    assert!(again.is_err(), "a used code signs nothing in");

    // Mei adds Jun as Mum's contact too, then switches Mum's simple view off from her phone.
    click(&mei, "[data-testid=contact-李军]").await;
    click(&mei, "[data-testid=member-妈妈] [data-testid=contacts-save]").await;
    until_said(&mei, "已保存。求助会发给您选定的家人。").await;
    let (_, mei_token) = sign_in_at_server(&url, "mei@example.com", PASSWORD).await;
    let household = api(&url).my_household(&mei_token).await.expect("the household");
    let mum_member = household.members.iter().find(|m| m.display_name == "妈妈").expect("Mum");
    assert_eq!(mum_member.role, HouseholdRole::Senior);
    assert_eq!(mum_member.family_contacts.len(), 2, "{household:?}");
    screenshot(&mei, "household-members-360x740-zh-CN.png").await;
    click(&mei, "[data-testid=member-妈妈] [data-testid=member-simple-off]").await;
    until_said(&mei, "简易模式已关闭。对方的应用下次同步时切换。").await;
    eventually("Mum's standard view", STEP, || async { text_of(&mum, "nav-challenges").await.map(|_| ()) })
        .await;

    // The desktop size in Chinese, and the phone in English.
    resize(&mei, 1280, 800).await;
    screenshot(&mei, "household-members-1280x800-zh-CN.png").await;
    resize(&mei, 360, 740).await;
    click(&mei, "[data-testid=locale-en]").await;
    screenshot(&mei, "household-members-360x740-en.png").await;
    mum.close().await.expect("close Mum's session");
    mei.close().await.expect("close Mei's session");
    server.stop();
}

#[tokio::test]
async fn an_invitation_link_opened_while_hearth_runs_opens_in_the_running_app() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = Server::start(dir.path()).await;
    let url = server.url.clone();
    sign_up(&url, "ping@example.com", PASSWORD, "王平").await;
    sign_up(&url, "an@example.com", PASSWORD, "王安").await;
    let (_, ping) = sign_in_at_server(&url, "ping@example.com", PASSWORD).await;
    let client = api(&url);
    client.create_household(&ping, &CreateHousehold { name: "王家".into() }).await.expect("a household");
    let invite =
        client.invite(&ping, &CreateInvite { role: InviteRole::Member }).await.expect("an invitation");

    // An's Hearth is running, signed in, on its home screen.
    let an_home = dir.path().join("an");
    let (_driver, an) = launch(&url, &an_home, 360, 740).await;
    click(&an, "[data-testid=locale-zh-CN]").await;
    sign_in_through_app(&an, "an@example.com", PASSWORD).await;

    // The link is opened (the desktop starts Hearth with it): that start hands it over and ends.
    let mut second = std::process::Command::new(hearth_e2e::binary("hearth-app", "HEARTH_APP_BIN"));
    second.envs(app_env(&url, &an_home)).arg(join_link(&invite.code));
    let mut second = second.spawn().expect("a second start");
    let ended = tokio::time::timeout(STEP, tokio::task::spawn_blocking(move || second.wait()))
        .await
        .expect("the second start ends by itself")
        .expect("waiting for it")
        .expect("its exit status");
    assert!(ended.success(), "the second start ends well: {ended}");

    // The running app shows the invitation's screen with the code filled in; joining works.
    eventually("the code filled in", STEP, || async {
        let value = an
            .execute("return document.getElementById('household-join-code')?.value", vec![])
            .await
            .map_err(|e| e.to_string())?;
        if value.as_str() == Some(invite.code.as_str()) { Ok(()) } else { Err(format!("{value}")) }
    })
    .await;
    an.execute("document.getElementById('household-join-code').scrollIntoView({ block: 'center' })", vec![])
        .await
        .expect("scroll to the code");
    tokio::time::sleep(Duration::from_millis(500)).await;
    screenshot(&an, "household-join-link-360x740-zh-CN.png").await;
    click(&an, "[data-testid=household-join]").await;
    eventually("joined", STEP, || async { text_of(&an, "household-name-shown").await.map(|_| ()) }).await;
    let household = client.my_household(&ping).await.expect("the household");
    assert_eq!(household.members.len(), 2, "{household:?}");
    an.close().await.expect("close the session");
    server.stop();
}
