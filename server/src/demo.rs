//! The demo household a newcomer can try Hearth with, applied once by the server's `demo`
//! command (which `scripts/run.sh` runs) and never otherwise: a consumer with points and joined
//! challenges who owns the household, a senior in it (senior mode on) with the consumer as her
//! family contact, and a member of store staff. Every demo account has [`PASSWORD`].

use hearth_core::account::{DEFAULT_TIME_ZONE, Profile, Role, SetRole};
use hearth_core::catalog::{Catalog, SHIPPED_SEEDS};
use hearth_core::household::HouseholdRole;
use hearth_core::i18n::Locale;
use hearth_core::ledger::TransferKind;
use hearth_core::progress::DAY_MS;

use crate::db::Db;
use crate::error::Result;
use crate::ledger::TransferRequest;
use crate::{admin, auth, households, participation, profiles, seed};

/// The password of every demo account (the demo runs on a local server only).
pub const PASSWORD: &str = "hearth-demo-2026";

/// Who the demo's accounts are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoAccount {
    /// The e-mail address to sign in with.
    pub email: &'static str,
    /// The name others see.
    pub display_name: &'static str,
    /// Who they are, for the sign-in list `scripts/run.sh` prints.
    pub about: &'static str,
}

/// The consumer: points, two challenges joined, owner of the household.
pub const CONSUMER: DemoAccount = DemoAccount {
    email: "li.wei@demo.hearth.example",
    display_name: "李伟",
    about: "a consumer with points and joined challenges, owner of the household",
};
/// The senior: senior mode on, her son as family contact.
pub const SENIOR: DemoAccount = DemoAccount {
    email: "wang.fang@demo.hearth.example",
    display_name: "王芳",
    about: "a senior (senior mode on) whose help requests reach Li Wei",
};
/// Store staff at the flagship store.
pub const STAFF: DemoAccount = DemoAccount {
    email: "staff@demo.hearth.example",
    display_name: "张敏",
    about: "store staff at the Shanghai flagship store",
};

/// Every demo account, in the order they are listed.
pub const ACCOUNTS: [DemoAccount; 3] = [CONSUMER, SENIOR, STAFF];

/// The store the staff member works at.
const STORE_ID: &str = "sh-flagship";
/// Points the consumer starts with: enough for a first reward.
const STARTING_POINTS: u64 = 320;
const SEED_NAME: &str = "demo-v1";

/// Applies the demo household unless this database has it; whether it was applied now.
pub async fn apply(db: &Db, now_ms: i64) -> Result<bool> {
    let mut tx = db.pool().begin().await?;
    if !seed::mark_applied(&mut tx, SEED_NAME, now_ms).await? {
        return Ok(false);
    }
    let hash = auth::hash_password(PASSWORD.to_owned()).await?;
    let mut ids = Vec::new();
    for account in ACCOUNTS {
        let profile = Profile {
            id: uuid::Uuid::now_v7().to_string(),
            email: account.email.to_owned(),
            display_name: account.display_name.to_owned(),
            role: Role::Consumer,
            locale: Locale::ZhCn,
            time_zone: DEFAULT_TIME_ZONE.to_owned(),
            device_usage_consent: false,
            senior_mode: false,
        };
        auth::insert_account(&mut tx, &profile, &hash, now_ms).await?;
        ids.push(profile.id);
    }
    let [consumer, senior, _staff] = [&ids[0], &ids[1], &ids[2]];
    admin::set_role(&mut tx, STAFF.email, &SetRole { role: Role::Staff, store_id: Some(STORE_ID.into()) })
        .await?;

    let household = households::create_in(&mut tx, consumer, "李家", now_ms).await?;
    households::add_member_in(&mut tx, &household, senior, HouseholdRole::Senior, now_ms).await?;
    households::add_contact_in(&mut tx, &household, senior, consumer).await?;
    let simple_view = hearth_core::account::ProfileChange { senior_mode: Some(true), ..Default::default() };
    profiles::change(&mut tx, senior, &simple_view).await?;

    // The first two shipped challenges, joined two days ago so their windows have begun.
    let catalog = Catalog::from_json(SHIPPED_SEEDS[0].1)?;
    for challenge in catalog.challenges.iter().take(2) {
        participation::join_in(&mut tx, consumer, &challenge.id, now_ms - 2 * DAY_MS, now_ms).await?;
    }
    let welcome = TransferRequest {
        id: uuid::Uuid::now_v7().to_string(),
        kind: TransferKind::Award,
        user_id: consumer.clone(),
        amount: STARTING_POINTS,
        memo: "Demo: welcome points".into(),
        challenge_id: None,
        reward_id: None,
    };
    crate::ledger::apply_in(&mut tx, &welcome, now_ms).await?;
    tx.commit().await?;
    tracing::info!(accounts = ACCOUNTS.len(), "applied the demo household");
    Ok(true)
}
