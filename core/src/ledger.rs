//! The points ledger's rules: which accounts points move between, when awarded points expire,
//! and which of a wallet's points are spent first. The server applies them in its database
//! transactions; these functions decide, without I/O.
//!
//! Points are double-entry: every transfer debits one account and credits another, so the sum of
//! all accounts is always zero. Points enter through the `issuance` account (the only account
//! allowed below zero: it is minus everything ever awarded) and leave a wallet to `spent`
//! (redeemed) or `expired`. A wallet never goes below zero.

use serde::{Deserialize, Serialize};

/// How long awarded points stay spendable: one year, stated up front in the wallet.
pub const POINTS_LIFETIME_MS: i64 = 365 * 24 * 60 * 60 * 1000;
/// How far ahead the wallet warns about points about to expire.
pub const EXPIRY_WARNING_MS: i64 = 30 * 24 * 60 * 60 * 1000;
/// Most points one transfer may move: larger amounts are typos or abuse.
pub const MAX_TRANSFER_POINTS: u64 = 1_000_000;

/// What a ledger account is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AccountKind {
    /// A user's points. Never negative.
    Wallet,
    /// Where awarded points come from: minus everything ever issued.
    Issuance,
    /// Where redeemed points go.
    Spent,
    /// Where expired points go.
    Expired,
}

impl AccountKind {
    /// The storage spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            AccountKind::Wallet => "wallet",
            AccountKind::Issuance => "issuance",
            AccountKind::Spent => "spent",
            AccountKind::Expired => "expired",
        }
    }

    /// The id of the one account of a system kind (`system:issuance`, ...).
    pub fn system_account(self) -> Option<&'static str> {
        match self {
            AccountKind::Wallet => None,
            AccountKind::Issuance => Some("system:issuance"),
            AccountKind::Spent => Some("system:spent"),
            AccountKind::Expired => Some("system:expired"),
        }
    }
}

/// The id of a user's wallet account.
pub fn wallet_account(user_id: &str) -> String {
    format!("wallet:{user_id}")
}

/// Why points move, which fixes the accounts they move between.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum TransferKind {
    /// Points earned (a completed challenge, an operator's grant): issuance → wallet.
    Award,
    /// Points spent on a reward: wallet → spent.
    Redeem,
    /// Points given back (a reward code that expired unused): spent → wallet.
    Refund,
    /// Points past their lifetime: wallet → expired.
    Expire,
}

impl TransferKind {
    /// Every kind.
    pub const ALL: [TransferKind; 4] =
        [TransferKind::Award, TransferKind::Redeem, TransferKind::Refund, TransferKind::Expire];

    /// The storage spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            TransferKind::Award => "award",
            TransferKind::Redeem => "redeem",
            TransferKind::Refund => "refund",
            TransferKind::Expire => "expire",
        }
    }

    /// Parses the storage spelling.
    pub fn from_storage(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether it adds to the wallet (and so opens a lot that expires).
    pub fn credits_wallet(self) -> bool {
        matches!(self, TransferKind::Award | TransferKind::Refund)
    }

    /// The (debited, credited) account ids for `user_id`'s wallet.
    pub fn accounts(self, user_id: &str) -> (String, String) {
        let wallet = wallet_account(user_id);
        let system = |kind: AccountKind| kind.system_account().unwrap_or_default().to_owned();
        match self {
            TransferKind::Award => (system(AccountKind::Issuance), wallet),
            TransferKind::Redeem => (wallet, system(AccountKind::Spent)),
            TransferKind::Refund => (system(AccountKind::Spent), wallet),
            TransferKind::Expire => (wallet, system(AccountKind::Expired)),
        }
    }
}

/// Checks a transfer's amount.
pub fn check_amount(amount: u64) -> Result<(), String> {
    if amount == 0 || amount > MAX_TRANSFER_POINTS {
        return Err(format!("expected 1 to {MAX_TRANSFER_POINTS} points, got {amount}"));
    }
    Ok(())
}

/// A transfer of points as the wallet's history shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Transfer {
    /// Its id.
    pub id: String,
    /// Why the points moved.
    pub kind: TransferKind,
    /// Points moved.
    pub amount: u64,
    /// The note (for an operator's grant, the operator's words; otherwise for support staff).
    pub memo: String,
    /// When it was applied.
    pub created_at_ms: i64,
    /// For points into the wallet: when they expire.
    pub expires_at_ms: Option<i64>,
    /// The challenge whose completion earned them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge_id: Option<String>,
    /// The reward they were spent on (or given back from, for a code that expired unused).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reward_id: Option<String>,
}

impl Transfer {
    /// The change to the wallet: positive for points in, negative for points out.
    pub fn signed_amount(&self) -> i128 {
        if self.kind.credits_wallet() { i128::from(self.amount) } else { -i128::from(self.amount) }
    }
}

/// A page of the wallet's history, newest first (`GET /v1/wallet/history`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct HistoryPage {
    /// The transfers on this page.
    pub entries: Vec<Transfer>,
    /// Pass as `before` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Points credited to a wallet at once, spendable until `expires_at_ms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Lot {
    /// Points in the lot.
    pub amount: u64,
    /// When they expire, in milliseconds since the Unix epoch.
    pub expires_at_ms: i64,
}

/// The lots still (partly) unspent after `debited` points left the wallet, soonest-expiring
/// spent first (so users lose as little as possible to expiry). Sorted by expiry.
pub fn open_lots(credits: &[Lot], debited: u64) -> Vec<Lot> {
    let mut lots: Vec<Lot> = credits.to_vec();
    lots.sort_by_key(|lot| lot.expires_at_ms);
    let mut left_to_take = debited;
    lots.into_iter()
        .filter_map(|mut lot| {
            let take = left_to_take.min(lot.amount);
            left_to_take -= take;
            lot.amount -= take;
            (lot.amount > 0).then_some(lot)
        })
        .collect()
}

/// The open lots that have expired at `now_ms`, as the amount and the latest expiry among them
/// (which makes a stable id for the expiry transfer: retrying it cannot expire twice).
pub fn due_for_expiry(open: &[Lot], now_ms: i64) -> Option<(u64, i64)> {
    let due: Vec<&Lot> = open.iter().filter(|lot| lot.expires_at_ms <= now_ms).collect();
    let amount: u64 = due.iter().map(|lot| lot.amount).sum();
    let latest = due.iter().map(|lot| lot.expires_at_ms).max()?;
    (amount > 0).then_some((amount, latest))
}

/// What the wallet screen shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct WalletView {
    /// Spendable points.
    pub balance: u64,
    /// Points that expire within [`EXPIRY_WARNING_MS`], soonest first.
    pub expiring_soon: Vec<Lot>,
    /// When the soonest-expiring points expire, however far away.
    pub next_expiry_at_ms: Option<i64>,
}

/// The wallet at `now_ms`, from its open lots (after expiry has been applied).
pub fn wallet_view(open: &[Lot], now_ms: i64) -> WalletView {
    let live: Vec<Lot> = open.iter().copied().filter(|lot| lot.expires_at_ms > now_ms).collect();
    WalletView {
        balance: live.iter().map(|lot| lot.amount).sum(),
        expiring_soon: live
            .iter()
            .copied()
            .filter(|lot| lot.expires_at_ms <= now_ms + EXPIRY_WARNING_MS)
            .collect(),
        next_expiry_at_ms: live.iter().map(|lot| lot.expires_at_ms).min(),
    }
}

/// Body of `POST /v1/operator/grants`: points an operator gives a user (a goodwill gesture, a
/// correction).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GrantRequest {
    /// A UUID the operator's tool generates once per grant (a retry is answered with the first).
    #[cfg_attr(feature = "openapi", schema(format = Uuid))]
    pub id: String,
    /// Whom the points go to.
    pub user_id: String,
    /// How many points.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1000000))]
    pub amount: u64,
    /// Why, for the user's history.
    pub memo: String,
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const DAY: i64 = 24 * 60 * 60 * 1000;

    fn lot(amount: u64, day: i64) -> Lot {
        Lot { amount, expires_at_ms: day * DAY }
    }

    #[test]
    fn spending_takes_the_soonest_expiring_points_first() {
        let credits = [lot(50, 300), lot(30, 100), lot(20, 200)];
        assert_eq!(open_lots(&credits, 40), vec![lot(10, 200), lot(50, 300)]);
        assert_eq!(open_lots(&credits, 0), vec![lot(30, 100), lot(20, 200), lot(50, 300)]);
        assert_eq!(open_lots(&credits, 100), vec![]);
    }

    #[test]
    fn only_lots_past_their_expiry_are_due() {
        let open = [lot(30, 100), lot(20, 200), lot(50, 300)];
        assert_eq!(due_for_expiry(&open, 99 * DAY), None);
        assert_eq!(due_for_expiry(&open, 100 * DAY), Some((30, 100 * DAY)));
        assert_eq!(due_for_expiry(&open, 250 * DAY), Some((50, 200 * DAY)));
    }

    #[test]
    fn the_wallet_warns_a_month_ahead() {
        let open = [lot(30, 100), lot(20, 200)];
        let view = wallet_view(&open, 80 * DAY);
        assert_eq!(view.balance, 50);
        assert_eq!(view.expiring_soon, vec![lot(30, 100)]);
        assert_eq!(view.next_expiry_at_ms, Some(100 * DAY));
    }

    #[test]
    fn every_kind_moves_points_between_two_different_accounts() {
        for kind in TransferKind::ALL {
            let (from, to) = kind.accounts("u1");
            assert_ne!(from, to);
            assert!(from == "wallet:u1" || to == "wallet:u1", "{kind:?} touches the wallet");
            assert_eq!(kind.credits_wallet(), to == "wallet:u1");
            assert_eq!(TransferKind::from_storage(kind.as_str()), Some(kind));
        }
    }

    proptest! {
        #[test]
        fn open_lots_hold_exactly_what_was_not_debited(
            amounts in proptest::collection::vec((1u64..1_000, 0i64..1_000), 0..20),
            debit_fraction in 0.0f64..1.2,
        ) {
            let credits: Vec<Lot> = amounts.iter().map(|&(a, d)| lot(a, d)).collect();
            let total: u64 = credits.iter().map(|l| l.amount).sum();
            let debited = ((total as f64) * debit_fraction) as u64;
            let open = open_lots(&credits, debited);
            prop_assert_eq!(open.iter().map(|l| l.amount).sum::<u64>(), total.saturating_sub(debited));
            prop_assert!(open.windows(2).all(|w| w[0].expires_at_ms <= w[1].expires_at_ms));
            // Whatever stays open expires no sooner than anything that was used up.
            if let Some(first) = open.first() {
                let used_up_later = credits.iter().filter(|c| c.expires_at_ms < first.expires_at_ms).map(|c| c.amount).sum::<u64>();
                prop_assert!(used_up_later <= debited);
            }
        }
    }
}
