//! Who is signed in on this device. The session token lives in the platform's secure storage
//! (the Secret Service on Linux, the Keychain on Apple platforms, the Credential Manager on
//! Windows) through the `keyring` crate, never in the SQLite store; the store keeps only who the
//! account is (id, e-mail, name), which the app shows before it is online.
//!
//! Where no secure storage is usable (no Secret Service running, a platform without one), the
//! token is held in memory for this run only and the user is told they will sign in again.

use std::sync::Mutex;

use hearth_client::{Account, Client};
use hearth_core::account::{
    PasswordResetConfirm, PasswordResetRequest, SignInRequest, SignUpRequest, SignedIn,
};
use hearth_core::ipc::args::PasswordHint;
use hearth_core::ipc::{AccountView, ErrorCode, PasswordStrength, PasswordWeakness};
use sqlx::SqlitePool;

use crate::error::{Error, Result};

/// The service name entries are filed under.
const SERVICE: &str = "app.hearth.companion";

/// The signed-in account, shared by the commands and the sync worker.
#[derive(Debug, Default)]
pub struct AccountState {
    current: Mutex<Option<(AccountView, Account)>>,
}

impl AccountState {
    /// The account to sync for, if someone is signed in.
    pub fn account(&self) -> Option<Account> {
        self.lock().as_ref().map(|(_, account)| account.clone())
    }

    /// Who is signed in, for the UI.
    pub fn view(&self) -> Option<AccountView> {
        self.lock().as_ref().map(|(view, _)| view.clone())
    }

    fn set(&self, value: Option<(AccountView, Account)>) {
        *self.lock() = value;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<(AccountView, Account)>> {
        self.current.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The platform's secure storage for session tokens.
pub mod vault {
    use super::SERVICE;

    /// Stores `token` for `user_id`; false if this device has no usable secure storage.
    pub async fn save(user_id: &str, token: &str) -> bool {
        let (user_id, token) = (user_id.to_owned(), token.to_owned());
        let saved = tokio::task::spawn_blocking(move || {
            keyring::Entry::new(SERVICE, &user_id).and_then(|entry| entry.set_password(&token))
        })
        .await;
        match saved {
            Ok(Ok(())) => true,
            Ok(Err(error)) => {
                tracing::warn!(%error, "no secure storage for the session; it lasts until the app closes");
                false
            }
            Err(error) => {
                tracing::warn!(%error, "the secure storage task failed");
                false
            }
        }
    }

    /// The token stored for `user_id`, if any.
    pub async fn load(user_id: &str) -> Option<String> {
        let user_id = user_id.to_owned();
        let loaded = tokio::task::spawn_blocking(move || {
            keyring::Entry::new(SERVICE, &user_id).and_then(|entry| entry.get_password())
        })
        .await;
        match loaded {
            Ok(Ok(token)) => Some(token),
            Ok(Err(keyring::Error::NoEntry)) => None,
            Ok(Err(error)) => {
                tracing::warn!(%error, "cannot read the session from secure storage");
                None
            }
            Err(_) => None,
        }
    }

    /// Removes the token stored for `user_id` (nothing stored is fine).
    pub async fn delete(user_id: &str) {
        let user_id = user_id.to_owned();
        let deleted = tokio::task::spawn_blocking(move || {
            keyring::Entry::new(SERVICE, &user_id).and_then(|entry| entry.delete_credential())
        })
        .await;
        if let Ok(Err(error)) = deleted
            && !matches!(error, keyring::Error::NoEntry)
        {
            tracing::warn!(%error, "cannot remove the session from secure storage");
        }
    }
}

const ACCOUNT_KEY: &str = "account";

/// Restores the account signed in when the app last ran, if its session is in secure storage.
pub async fn restore(pool: &SqlitePool, state: &AccountState) -> Result<()> {
    let stored: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
        .bind(ACCOUNT_KEY)
        .fetch_optional(pool)
        .await?;
    let Some(stored) = stored else { return Ok(()) };
    let view: AccountView =
        serde_json::from_str(&stored).map_err(|e| Error::CorruptRecord(format!("account: {e}")))?;
    match vault::load(&view.user_id).await {
        Some(token) => {
            let account = Account { user_id: view.user_id.clone(), token };
            state.set(Some((AccountView { remembered: true, ..view }, account)));
        }
        None => tracing::info!("the last session is not in secure storage; sign in again"),
    }
    Ok(())
}

/// Signs in at the server, keeps the session in secure storage and remembers who signed in.
pub async fn sign_in(
    client: &Client,
    pool: &SqlitePool,
    state: &AccountState,
    request: &SignInRequest,
) -> Result<AccountView> {
    // A refusal carries the server's own code (`wrong-credentials`, `rate-limited`, ...).
    let signed = client.sign_in(request).await?;
    keep(pool, state, signed).await
}

/// Creates the account at the server and signs in to it as [`sign_in`] does. A taken address is
/// refused `taken`, a broken rule `invalid-field`, no server `unreachable`.
pub async fn sign_up(
    client: &Client,
    pool: &SqlitePool,
    state: &AccountState,
    request: &SignUpRequest,
) -> Result<AccountView> {
    let signed = client.sign_up(request).await?;
    keep(pool, state, signed).await
}

/// Asks the server to mail a one-time code for a new password to `email`.
pub async fn request_password_reset(client: &Client, email: &str) -> Result<()> {
    client.request_password_reset(&PasswordResetRequest { email: email.to_owned() }).await?;
    Ok(())
}

/// Sets a new password with the mailed code and signs in as [`sign_in`] does; the server ends
/// every other session of the account. A wrong, expired or used code is refused `invalid-code`.
pub async fn reset_password(
    client: &Client,
    pool: &SqlitePool,
    state: &AccountState,
    request: &PasswordResetConfirm,
) -> Result<AccountView> {
    let signed = client.confirm_password_reset(request).await?;
    keep(pool, state, signed).await
}

/// Shows the signed-in account on this device as `change` leaves it from now on (a new name, a
/// new address; the caller has told the server, or queued it).
pub async fn amend(
    pool: &SqlitePool,
    state: &AccountState,
    change: impl FnOnce(&mut AccountView),
) -> Result<AccountView> {
    let mut current = state.lock().clone().ok_or(Error::Refused(ErrorCode::SignedOut))?;
    change(&mut current.0);
    remember(pool, &current.0).await?;
    state.set(Some(current.clone()));
    Ok(current.0)
}

/// Keeps who is signed in, for the next start.
async fn remember(pool: &SqlitePool, view: &AccountView) -> Result<()> {
    let stored = serde_json::to_string(view).map_err(|e| Error::CorruptRecord(e.to_string()))?;
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(ACCOUNT_KEY)
    .bind(stored)
    .execute(pool)
    .await?;
    Ok(())
}

/// Keeps a new session: its token in secure storage, who it is in the store and in `state`.
pub(crate) async fn keep(pool: &SqlitePool, state: &AccountState, signed: SignedIn) -> Result<AccountView> {
    let remembered = vault::save(&signed.profile.id, &signed.session.token).await;
    let view = AccountView {
        user_id: signed.profile.id.clone(),
        email: signed.profile.email.clone(),
        display_name: signed.profile.display_name.clone(),
        remembered,
    };
    remember(pool, &view).await?;
    state.set(Some((view.clone(), Account { user_id: signed.profile.id, token: signed.session.token })));
    Ok(view)
}

/// Where to sign out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Where {
    /// This device: its session ends at the server when reachable (offline, it expires on its own).
    Here,
    /// Every device of the account: the server must be reached, or nothing changes.
    Everywhere,
}

/// Ends the session at the server (every session of the account, for [`Where::Everywhere`]),
/// removes it from secure storage and every record of the account from this device.
pub async fn sign_out(
    engine: &hearth_client::engine::Engine,
    pool: &SqlitePool,
    state: &AccountState,
    discard_pending: bool,
    scope: Where,
) -> Result<()> {
    let Some(account) = state.account() else { return Ok(()) };
    let pending = engine.pending_count(&account.user_id).await?;
    if pending > 0 && !discard_pending {
        return Err(Error::Refused(ErrorCode::PendingChanges));
    }
    match scope {
        // Offline is fine: the session expires on its own, and the token is gone from here.
        Where::Here => {
            if let Err(error) = engine.client().sign_out(&account.token).await {
                tracing::info!(%error, "signed out on this device only; the server did not end the session");
            }
        }
        Where::Everywhere => engine.client().sign_out_everywhere(&account.token).await?,
    }
    vault::delete(&account.user_id).await;
    engine.forget(&account.user_id).await?;
    sqlx::query("DELETE FROM settings WHERE key = $1").bind(ACCOUNT_KEY).execute(pool).await?;
    state.set(None);
    Ok(())
}

/// How guessable `hint.password` is, judged with what else the person typed (a password made of
/// one's own name or address is weak).
pub fn password_strength(hint: &PasswordHint) -> PasswordStrength {
    use zxcvbn::feedback::Warning;
    // The address, the app's name, and the words of the address's local part and of the name,
    // apart and run together ("mei.lin" and "Mei Lin" both make "meilin").
    let local_part = hint.email.split('@').next().unwrap_or_default();
    let mut inputs = vec![hint.email.to_lowercase(), "hearth".to_owned()];
    for text in [local_part, hint.display_name.as_str()] {
        let words: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        inputs.push(words.concat());
        inputs.extend(words);
    }
    let inputs: Vec<&str> = inputs.iter().map(String::as_str).collect();
    // zxcvbn's work grows with the length; past 64 characters a password is strong anyway.
    let judged: String = hint.password.chars().take(64).collect();
    let estimate = zxcvbn::zxcvbn(&judged, &inputs);
    let weakness = estimate.feedback().and_then(|f| f.warning()).map(|warning| match warning {
        Warning::ThisIsATop10Password
        | Warning::ThisIsATop100Password
        | Warning::ThisIsACommonPassword
        | Warning::ThisIsSimilarToACommonlyUsedPassword => PasswordWeakness::Common,
        Warning::AWordByItselfIsEasyToGuess
        | Warning::NamesAndSurnamesByThemselvesAreEasyToGuess
        | Warning::CommonNamesAndSurnamesAreEasyToGuess => PasswordWeakness::Word,
        Warning::RecentYearsAreEasyToGuess | Warning::DatesAreOftenEasyToGuess => PasswordWeakness::Date,
        _ => PasswordWeakness::Pattern,
    });
    PasswordStrength { score: u8::from(estimate.score()), weakness }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strength(password: &str) -> PasswordStrength {
        password_strength(&PasswordHint {
            password: password.into(),
            email: "mei.lin@example.com".into(),
            display_name: "Mei Lin".into(),
        })
    }

    #[test]
    fn the_hint_tells_weak_from_strong_and_knows_what_was_typed() {
        assert_eq!(
            strength("password"),
            PasswordStrength { score: 0, weakness: Some(PasswordWeakness::Common) }
        );
        assert_eq!(strength("xkxkxkxkxkxk").weakness, Some(PasswordWeakness::Pattern));
        assert!(strength("copper kettle under moonlight").score == 4);
        // Made of the person's own details: weak, though long enough for the policy.
        assert!(strength("meilin2026").score <= 1, "{:?}", strength("meilin2026"));
    }
}
