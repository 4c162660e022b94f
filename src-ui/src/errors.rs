//! The one place a failed command becomes words. The same code reads differently by what the
//! user was doing ("sign in again" while redeeming, "ask someone to add you" for help), so each
//! screen says what it was doing and gets the message id to show.

use hearth_core::api::ApiCode;
use hearth_core::ipc::ErrorCode;

/// What the user was doing when a command failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Doing {
    /// Signing in.
    SigningIn,
    /// Creating an account.
    SigningUp,
    /// Getting back into an account (asking for a code, setting a new password).
    Recovering,
    /// Changing the password in Your account (the new one is checked before it is sent).
    ChangingPassword,
    /// Moving the account to another e-mail address (the address is checked before it is sent).
    ChangingEmail,
    /// Reporting a challenge's task with a photo.
    ReportingTask,
    /// Sharing a completed challenge to the community.
    SharingCompletion,
    /// Editing, exporting or sharing the room preview.
    UsingPreview,
    /// Reading or redeeming rewards.
    Redeeming,
    /// Reading the points history.
    ReadingHistory,
    /// Asking the family for help.
    AskingForHelp,
}

/// The message id explaining `code` to someone who was `doing` this.
pub fn message_id(code: ErrorCode, doing: Doing) -> &'static str {
    use Doing as D;
    use ErrorCode as E;
    match (doing, code) {
        (D::SigningIn, E::WrongCredentials) => "sign-in-error-wrong-credentials",
        (D::SigningIn, E::RateLimited) => "sign-in-error-rate-limited",
        (D::SigningIn, E::InvalidField) => "sign-in-error-invalid",
        (D::SigningIn, c) if c.is_offline() => "sign-in-error-unreachable",
        (D::SigningIn, _) => "sign-in-error-other",
        (D::SigningUp, E::Taken) => "sign-up-error-taken",
        (D::SigningUp, E::RateLimited) => "sign-in-error-rate-limited",
        (D::SigningUp, E::InvalidField) => "sign-up-error-invalid",
        (D::SigningUp, c) if c.is_offline() => "sign-up-error-offline",
        (D::SigningUp, _) => "sign-up-error-other",
        (D::Recovering, E::InvalidCode) => "reset-error-code",
        (D::Recovering, E::RateLimited) => "reset-error-rate-limited",
        (D::Recovering, E::InvalidField) => "sign-up-password-length",
        (D::Recovering, c) if c.is_offline() => "reset-error-offline",
        (D::Recovering, _) => "reset-error-other",
        // The new password was checked on the device: the server's refusal is the current one.
        (D::ChangingPassword, E::InvalidField) => "account-password-wrong",
        (D::ChangingPassword, E::RateLimited) => "sign-in-error-rate-limited",
        (D::ChangingPassword | D::ChangingEmail, c) if c.is_offline() => "account-needs-server",
        (D::ChangingPassword, _) => "account-password-failed",
        (D::ChangingEmail, E::Taken) => "account-email-error-taken",
        // The address was checked on the device: the server's refusal is the password.
        (D::ChangingEmail, E::InvalidField) => "account-email-error-password",
        (D::ChangingEmail, E::InvalidCode) => "account-email-error-code",
        (D::ChangingEmail, E::RateLimited) => "account-email-error-rate-limited",
        (D::ChangingEmail, _) => "account-email-failed",
        (D::ReportingTask, E::NotAPhoto) => "task-not-a-photo",
        (D::ReportingTask, E::PhotoTooLarge) => "task-too-large",
        (D::ReportingTask, _) => "task-error",
        (D::SharingCompletion, c) if c.is_offline() || c == E::SignedOut => "share-error-offline",
        (D::SharingCompletion, _) => "share-error-other",
        // The preview's own refusals are message ids themselves.
        (D::UsingPreview, c) if c.as_str().starts_with("preview-") => c.as_str(),
        (D::UsingPreview, E::SignedOut) => "preview-share-signed-out",
        (D::UsingPreview, c) if c.is_offline() || c == E::ServerError => "preview-share-offline",
        (D::UsingPreview, _) => "preview-failed",
        (D::Redeeming, E::NotEnoughPoints) => "rewards-not-enough",
        (D::Redeeming, E::SignedOut) => "rewards-signed-out",
        (D::Redeeming, _) => "rewards-offline",
        (D::ReadingHistory, c) if c.is_offline() => "history-offline",
        (D::ReadingHistory, _) => "history-error",
        (D::AskingForHelp, E::NoFamilyContacts) => "help-no-contacts",
        (D::AskingForHelp, E::SignedOut) => "help-signed-out",
        (D::AskingForHelp, _) => "help-offline",
    }
}

/// The message id for why the server refused a queued change; `None` when the server's own
/// reason is shown instead.
pub fn refusal_id(code: ApiCode) -> Option<&'static str> {
    match code {
        ApiCode::NotFound => Some("refused-not-found"),
        ApiCode::AlreadyCompleted => Some("refused-already-completed"),
        ApiCode::BadImage | ApiCode::PayloadTooLarge | ApiCode::ImageTooLarge | ApiCode::ProofRefused => {
            Some("refused-photo")
        }
        ApiCode::NoConsent => Some("refused-no-consent"),
        ApiCode::InvalidEvent => Some("refused-invalid-event"),
        _ => None,
    }
}
