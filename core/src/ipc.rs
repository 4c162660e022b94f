//! The contract between the UI and the shell: command names, their payloads and the events the
//! shell emits. Both sides compile against these types, so a renamed field breaks the build
//! rather than the screen.

use serde::{Deserialize, Serialize};

use crate::api::ApiCode;
use crate::i18n::Locale;

/// Headers of the commands whose body is raw bytes (a photo), which carry their other
/// arguments as headers.
pub mod header {
    /// The challenge a task report or a shared completion is about.
    pub const CHALLENGE_ID: &str = "hearth-challenge-id";
    /// A shared completion's text, percent-encoded UTF-8 (headers carry bytes, not text).
    pub const CAPTION: &str = "hearth-caption";
}

/// Names of the shell's commands, as the UI invokes them.
pub mod command {
    /// `() -> Vec<Challenge>`: the catalog from the local store, in display order.
    pub const LIST_CHALLENGES: &str = "list_challenges";
    /// `() -> SyncStatus`: connectivity and the last successful sync.
    pub const SYNC_STATUS: &str = "sync_status";
    /// `() -> ()`: ask the sync worker to sync now instead of at its next tick.
    pub const SYNC_NOW: &str = "sync_now";
    /// `() -> Settings`: the user's settings from the local store.
    pub const GET_SETTINGS: &str = "get_settings";
    /// `{ locale: Locale } -> Settings`: remember the chosen language.
    pub const SET_LOCALE: &str = "set_locale";
    /// `{ email, password } -> AccountView`: sign in; the session goes to secure storage.
    pub const SIGN_IN: &str = "sign_in";
    /// `{ email, password, displayName, locale, timeZone } -> AccountView`: create an account at
    /// the server and sign in to it (needs the server: refused `unreachable` offline).
    pub const SIGN_UP: &str = "sign_up";
    /// `{ email } -> ()`: ask the server to mail a one-time code for a new password (the same
    /// answer whether or not the address has an account).
    pub const REQUEST_PASSWORD_RESET: &str = "request_password_reset";
    /// `{ email, code, newPassword } -> AccountView`: set a new password with the mailed code;
    /// every other session of the account ends, and this device is signed in.
    pub const RESET_PASSWORD: &str = "reset_password";
    /// `{ displayName } -> AccountView`: the name others see (queued; works offline).
    pub const SET_DISPLAY_NAME: &str = "set_display_name";
    /// `() -> String`: the account's IANA time zone as it stands on this device.
    pub const ACCOUNT_TIME_ZONE: &str = "account_time_zone";
    /// `{ timeZone } -> String`: the account's time zone, where its days begin and end (queued;
    /// works offline).
    pub const SET_TIME_ZONE: &str = "set_time_zone";
    /// `{ currentPassword, newPassword } -> ()`: change the password (online); every other
    /// session of the account ends.
    pub const CHANGE_PASSWORD: &str = "change_password";
    /// `{ newEmail, password } -> EmailChangeSent`: mail a code to the new address (online); the
    /// account keeps its address until [`CONFIRM_EMAIL`] brings the code back.
    pub const CHANGE_EMAIL: &str = "change_email";
    /// `{ text } -> AccountView`: the code mailed to the new address; the account moves there
    /// (online).
    pub const CONFIRM_EMAIL: &str = "confirm_email";
    /// `() -> Vec<SessionInfo>`: the account's signed-in sessions, this device's marked (online).
    pub const SESSIONS: &str = "sessions";
    /// `{ text } -> ()`: end the session with that id, signing its device out (online).
    pub const END_SESSION: &str = "end_session";
    /// `{ discardPending } -> ()`: end every session of the account, this device's too (online),
    /// then sign out here as [`SIGN_OUT`] does.
    pub const SIGN_OUT_EVERYWHERE: &str = "sign_out_everywhere";
    /// `{ password, email, displayName } -> PasswordStrength`: how guessable a new password is,
    /// for the hint beside the field (worked out on the device; the password goes nowhere).
    pub const PASSWORD_STRENGTH: &str = "password_strength";
    /// `{ discardPending: bool } -> ()`: sign out and remove the account's data from this device.
    /// Refused with `pending-changes` while changes wait, unless `discardPending`.
    pub const SIGN_OUT: &str = "sign_out";
    /// `() -> Option<AccountView>`: who is signed in on this device.
    pub const CURRENT_ACCOUNT: &str = "current_account";
    /// `() -> Vec<QueuedChange>`: the signed-in user's changes waiting for, or refused by, the
    /// server.
    pub const QUEUED_CHANGES: &str = "queued_changes";
    /// `{ opId } -> ()`: drop a change the server refused, once the user has read why.
    pub const DISCARD_CHANGE: &str = "discard_change";
    /// `() -> Vec<ParticipationView>`: the user's challenges, confirmed and pending.
    pub const MY_CHALLENGES: &str = "my_challenges";
    /// `{ challengeId } -> Vec<ParticipationView>`: join a challenge (works offline).
    pub const JOIN_CHALLENGE: &str = "join_challenge";
    /// `{ challengeId } -> Vec<ParticipationView>`: leave a challenge (works offline).
    pub const LEAVE_CHALLENGE: &str = "leave_challenge";
    /// `{ events: Vec<Event> } -> Vec<ParticipationView>`: record what happened at home (the
    /// virtual home's devices, finished guides); works offline.
    pub const RECORD_EVENTS: &str = "record_events";
    /// `{ draft: Draft } -> Draft`: keep a post or story being written (offline too).
    pub const SAVE_DRAFT: &str = "save_draft";
    /// `() -> Vec<Draft>`: the user's drafts, most recently changed first.
    pub const LIST_DRAFTS: &str = "list_drafts";
    /// `{ id } -> ()`: delete a draft.
    pub const DELETE_DRAFT: &str = "delete_draft";
    /// `() -> WalletSummary`: confirmed points (as last synced) and points pending sync.
    pub const WALLET: &str = "wallet";
    /// `{ before: Option<String> } -> FeedView`: a page of the community feed; offline, the
    /// first page as last seen.
    pub const COMMUNITY_FEED: &str = "community_feed";
    /// `() -> PreviewState`: the room preview as it stands.
    pub const PREVIEW_STATE: &str = "preview_state";
    /// `() -> PreviewState`: start again in the demo room.
    pub const PREVIEW_USE_DEMO: &str = "preview_use_demo";
    /// Raw body (the photo's bytes) `-> PreviewState`: use a photo of the user's room.
    pub const PREVIEW_IMPORT_PHOTO: &str = "preview_import_photo";
    /// `{ corners: [[x, y]; 4], widthM, depthM } -> PreviewState`: calibrate on a floor rectangle.
    pub const PREVIEW_CALIBRATE: &str = "preview_calibrate";
    /// `{ from: [x, y], to: [x, y] } -> PreviewState`: the wall standing on this floor line.
    pub const PREVIEW_SET_WALL: &str = "preview_set_wall";
    /// `{ product, at: [x, y] } -> PreviewState`: place a product where the user pointed.
    pub const PREVIEW_PLACE: &str = "preview_place";
    /// `{ id, at: [x, y] } -> PreviewState`: move a placed product.
    pub const PREVIEW_MOVE: &str = "preview_move";
    /// `{ id, degrees } -> PreviewState`: turn a floor product.
    pub const PREVIEW_ROTATE: &str = "preview_rotate";
    /// `{ id } -> PreviewState`: take a product out.
    pub const PREVIEW_REMOVE: &str = "preview_remove";
    /// `{ id, light: Option<PreviewLight> } -> PreviewState`: a light's colour and brightness, or off.
    pub const PREVIEW_SET_LIGHT: &str = "preview_set_light";
    /// `() -> ExportedImage`: the share image at the photo's resolution, saved as a PNG.
    pub const PREVIEW_EXPORT: &str = "preview_export";
    /// `{ text } -> SharedPost`: the picture posted to the community feed (signed in, online).
    pub const PREVIEW_SHARE: &str = "preview_share";
    /// `() -> Vec<GuideSummary>`: the device setup guides.
    pub const GUIDES: &str = "guides";
    /// `() -> Option<GuideView>`: the guide being followed, if any (kept across restarts).
    pub const GUIDE_CURRENT: &str = "guide_current";
    /// `{ guideId, locale } -> GuideView`: start a guide (its first step is spoken).
    pub const GUIDE_START: &str = "guide_start";
    /// `{ input, locale } -> GuideView`: next, repeat, back, help or skip.
    pub const GUIDE_INPUT: &str = "guide_input";
    /// `() -> ()`: stop following the guide.
    pub const GUIDE_CLOSE: &str = "guide_close";
    /// `() -> VoiceSettings`: how the app speaks.
    pub const VOICE_SETTINGS: &str = "voice_settings";
    /// `{ settings } -> VoiceSettings`: change how the app speaks.
    pub const SET_VOICE_SETTINGS: &str = "set_voice_settings";
    /// `{ text, locale } -> VoiceStatus`: read text aloud (the read-aloud control).
    pub const SPEAK: &str = "speak";
    /// `() -> bool`: whether the signed-in user's app shows senior mode.
    pub const SENIOR_MODE: &str = "senior_mode";
    /// `{ enabled } -> bool`: switch senior mode (online).
    pub const SET_SENIOR_MODE: &str = "set_senior_mode";
    /// `() -> HelpRequest`: ask the family for help (online).
    pub const ASK_FOR_HELP: &str = "ask_for_help";
    /// `() -> Vec<HelpRequest>`: the latest help requests, with who was reached and when.
    pub const HELP_REQUESTS: &str = "help_requests";
    /// `() -> HomeView`: the virtual home's devices.
    pub const HOME_STATE: &str = "home_state";
    /// `{ action } -> HomeView`: operate the virtual home; its events count for challenges.
    pub const HOME_ACT: &str = "home_act";
    /// `() -> ReminderSettings`: the daily reminder's time and the quiet hours.
    pub const REMINDER_SETTINGS: &str = "reminder_settings";
    /// `{ settings } -> ReminderSettings`: change them (the reminder is checked at once).
    pub const SET_REMINDER_SETTINGS: &str = "set_reminder_settings";
    /// `() -> Vec<Reward>`: the rewards on offer (online).
    pub const REWARDS: &str = "rewards";
    /// `{ rewardId, redemptionId } -> Redemption`: spend points on a reward (online).
    pub const REDEEM_REWARD: &str = "redeem_reward";
    /// `() -> Vec<Redemption>`: the user's codes, with where each stands.
    pub const REDEMPTIONS: &str = "redemptions";
    /// `{ code } -> String`: the code as a QR image (SVG).
    pub const REDEMPTION_QR: &str = "redemption_qr";
    /// `{ before? } -> Fetched<HistoryPage>`: a page of the wallet's history, newest first
    /// (the first page as last read when offline).
    pub const WALLET_HISTORY: &str = "wallet_history";
    /// `() -> bool`: whether the user lets device use count for challenges (as last synced).
    pub const DEVICE_USAGE_CONSENT: &str = "device_usage_consent";
    /// `{ enabled } -> bool`: grant or withdraw that consent (online).
    pub const SET_DEVICE_USAGE_CONSENT: &str = "set_device_usage_consent";
    /// Raw body (a photo), header `hearth-challenge-id` -> `Vec<ParticipationView>`: a joined
    /// challenge's self-reported task done now, the photo as proof (online).
    pub const REPORT_TASK: &str = "report_task";
    /// `() -> Fetched<Option<LeagueView>>`: the user's weekly-league group this week (none
    /// when they have not joined; as last read when offline).
    pub const LEAGUE: &str = "league";
    /// `() -> LeagueView`: join the weekly league (online).
    pub const JOIN_LEAGUE: &str = "join_league";
    /// `() -> ()`: leave it (online).
    pub const LEAVE_LEAGUE: &str = "leave_league";
    /// `{ challengeId, text } -> SharedPost`: a completed challenge posted to the community
    /// feed (signed in, online).
    pub const SHARE_COMPLETION: &str = "share_completion";
    /// `() -> Fetched<Option<Household>>`: the user's household (none when they belong to
    /// none; as last read when offline).
    pub const MY_HOUSEHOLD: &str = "my_household";
    /// `{ text } -> Household`: create a household with the user as owner (online).
    pub const CREATE_HOUSEHOLD: &str = "create_household";
    /// `{ role } -> ShareCode`: an invitation to the user's household, with its link and QR
    /// code (online; the owner's).
    pub const INVITE_TO_HOUSEHOLD: &str = "invite_to_household";
    /// `{ text } -> Household`: join a household with an invitation code or link (online).
    pub const JOIN_HOUSEHOLD: &str = "join_household";
    /// `{ memberId, role } -> Household`: make a member a senior or a family member (online;
    /// the owner's).
    pub const SET_MEMBER_ROLE: &str = "set_member_role";
    /// `{ seniorId, contactIds } -> Household`: the members a senior's help requests reach
    /// (online).
    pub const SET_FAMILY_CONTACTS: &str = "set_family_contacts";
    /// `{ memberId, enabled } -> bool`: switch a senior's simple view from this device
    /// (online; their contacts and the owner).
    pub const SET_MEMBER_SENIOR_MODE: &str = "set_member_senior_mode";
    /// `{ memberId } -> ()`: remove a member, or leave when it is the user (online).
    pub const REMOVE_MEMBER: &str = "remove_member";
    /// `SetUpSenior -> ShareCode`: set Hearth up for a parent; the code signs their device in
    /// (online).
    pub const SET_UP_SENIOR: &str = "set_up_senior";
    /// `{ memberId } -> ShareCode`: a code that signs one more device in to a senior the
    /// household set up (online).
    pub const SENIOR_SIGN_IN_CODE: &str = "senior_sign_in_code";
    /// `{ text } -> AccountView`: sign this device in with a code (or link) family made for it.
    pub const SIGN_IN_WITH_CODE: &str = "sign_in_with_code";
    /// `() -> Option<String>`: the app address of the `hearth://` link the app was opened
    /// with, once (later calls answer `None`).
    pub const OPENING_LINK: &str = "opening_link";
}

/// The arguments of the commands that take any, as the UI sends them: each struct's fields are
/// the command's parameters in the shell, and a shell test invokes every command with its
/// struct, so the two sides cannot drift apart.
pub mod args {
    use serde::{Deserialize, Serialize};

    use crate::household::InviteRole;

    /// Arguments of [`INVITE_TO_HOUSEHOLD`](super::command::INVITE_TO_HOUSEHOLD).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Invite {
        /// The place offered.
        pub role: InviteRole,
    }

    /// Arguments of commands about one household member.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct OfMember {
        /// The member's account id.
        pub member_id: String,
    }

    /// Arguments of [`SET_MEMBER_ROLE`](super::command::SET_MEMBER_ROLE).
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct SetMemberRole {
        /// The member's account id.
        pub member_id: String,
        /// Their new place.
        pub role: InviteRole,
    }

    /// Arguments of [`SET_FAMILY_CONTACTS`](super::command::SET_FAMILY_CONTACTS).
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct SetFamilyContacts {
        /// The senior.
        pub senior_id: String,
        /// The members their help requests reach.
        pub contact_ids: Vec<String>,
    }

    /// Arguments of [`SET_MEMBER_SENIOR_MODE`](super::command::SET_MEMBER_SENIOR_MODE).
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct SetMemberSeniorMode {
        /// The senior.
        pub member_id: String,
        /// On or off.
        pub enabled: bool,
    }

    use crate::i18n::Locale;

    /// Arguments of [`SET_LOCALE`](super::command::SET_LOCALE).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct SetLocale {
        /// The language to remember.
        pub locale: Locale,
    }

    /// Arguments of [`SIGN_IN`](super::command::SIGN_IN).
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct SignIn {
        /// The account's e-mail address.
        pub email: String,
        /// Its password (never stored on the device).
        pub password: String,
    }

    /// Arguments of [`SIGN_UP`](super::command::SIGN_UP).
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct SignUp {
        /// The e-mail address to sign in with.
        pub email: String,
        /// The new password (never stored on the device).
        pub password: String,
        /// The name others see.
        pub display_name: String,
        /// The account's language (notifications, e-mail).
        pub locale: Locale,
        /// The account's IANA time zone (where its days begin and end).
        pub time_zone: String,
    }

    /// Arguments of [`REQUEST_PASSWORD_RESET`](super::command::REQUEST_PASSWORD_RESET).
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct RequestPasswordReset {
        /// The account's e-mail address.
        pub email: String,
    }

    /// Arguments of [`RESET_PASSWORD`](super::command::RESET_PASSWORD).
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct ResetPassword {
        /// The account's e-mail address.
        pub email: String,
        /// The code from the mail.
        pub code: String,
        /// The new password (never stored on the device).
        pub new_password: String,
    }

    /// Arguments of [`SET_DISPLAY_NAME`](super::command::SET_DISPLAY_NAME).
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct SetDisplayName {
        /// The new name.
        pub display_name: String,
    }

    /// Arguments of [`SET_TIME_ZONE`](super::command::SET_TIME_ZONE).
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct SetTimeZone {
        /// An IANA name, as [`crate::progress::time_zone_names`] spells it.
        pub time_zone: String,
    }

    /// Arguments of [`CHANGE_EMAIL`](super::command::CHANGE_EMAIL).
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct ChangeEmail {
        /// The address to move to.
        pub new_email: String,
        /// The account's password.
        pub password: String,
    }

    /// Arguments of [`CHANGE_PASSWORD`](super::command::CHANGE_PASSWORD).
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct ChangePassword {
        /// The password now.
        pub current_password: String,
        /// The new one.
        pub new_password: String,
    }

    /// Arguments of [`PASSWORD_STRENGTH`](super::command::PASSWORD_STRENGTH): the password and
    /// what else the person typed, which a strong password does not contain.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct PasswordHint {
        /// The password being chosen.
        pub password: String,
        /// The e-mail address typed so far.
        pub email: String,
        /// The display name typed so far.
        pub display_name: String,
    }

    /// Arguments of [`SIGN_OUT`](super::command::SIGN_OUT).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct SignOut {
        /// Sign out even though changes still wait to sync (they are dropped).
        pub discard_pending: bool,
    }

    /// Arguments of the commands about one challenge ([`JOIN_CHALLENGE`](super::command::JOIN_CHALLENGE),
    /// [`LEAVE_CHALLENGE`](super::command::LEAVE_CHALLENGE)).
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct OfChallenge {
        /// The challenge.
        pub challenge_id: String,
    }

    /// Arguments of [`DISCARD_CHANGE`](super::command::DISCARD_CHANGE).
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct DiscardChange {
        /// The refused change.
        pub op_id: String,
    }

    /// Arguments of [`PREVIEW_CALIBRATE`](super::command::PREVIEW_CALIBRATE).
    #[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Calibrate {
        /// The floor rectangle's corners in image pixels, in order around it.
        pub corners: [[f64; 2]; 4],
        /// Its width, in metres.
        pub width_m: f64,
        /// Its depth, in metres.
        pub depth_m: f64,
    }

    /// Arguments of [`PREVIEW_SET_WALL`](super::command::PREVIEW_SET_WALL).
    #[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct SetWall {
        /// One end of the floor line the wall stands on, in image pixels.
        pub from: [f64; 2],
        /// Its other end.
        pub to: [f64; 2],
    }

    /// Arguments of [`PREVIEW_PLACE`](super::command::PREVIEW_PLACE).
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Place {
        /// The product's id.
        pub product: String,
        /// Where the user pointed, in image pixels.
        pub at: [f64; 2],
    }

    /// Arguments of [`PREVIEW_MOVE`](super::command::PREVIEW_MOVE).
    #[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Move {
        /// The placed item.
        pub id: u32,
        /// Where to, in image pixels.
        pub at: [f64; 2],
    }

    /// Arguments of [`PREVIEW_ROTATE`](super::command::PREVIEW_ROTATE).
    #[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Rotate {
        /// The placed item.
        pub id: u32,
        /// Its heading, in degrees.
        pub degrees: f64,
    }

    /// Arguments of the commands about one placed item ([`PREVIEW_REMOVE`](super::command::PREVIEW_REMOVE)).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct OfItem {
        /// The placed item.
        pub id: u32,
    }

    /// Arguments of [`PREVIEW_SET_LIGHT`](super::command::PREVIEW_SET_LIGHT).
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct SetLight {
        /// The placed light.
        pub id: u32,
        /// Its colour and brightness; `None` turns it off.
        pub light: Option<super::PreviewLight>,
    }

    /// Arguments of the commands that take a text ([`PREVIEW_SHARE`](super::command::PREVIEW_SHARE)).
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct WithText {
        /// The text.
        pub text: String,
    }

    /// Arguments of [`GUIDE_START`](super::command::GUIDE_START).
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct GuideStart {
        /// The guide.
        pub guide_id: String,
        /// The language its steps are spoken in.
        pub locale: Locale,
    }

    /// Arguments of [`GUIDE_INPUT`](super::command::GUIDE_INPUT).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct GuideInput {
        /// What the user said or tapped.
        pub input: crate::guide::Input,
        /// The language the answer is spoken in.
        pub locale: Locale,
    }

    /// Arguments of the commands that replace a group of settings
    /// ([`SET_VOICE_SETTINGS`](super::command::SET_VOICE_SETTINGS),
    /// [`SET_REMINDER_SETTINGS`](super::command::SET_REMINDER_SETTINGS)).
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct WithSettings<T> {
        /// The settings as they are to be.
        pub settings: T,
    }

    /// Arguments of [`SPEAK`](super::command::SPEAK).
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Speak {
        /// What to read aloud.
        pub text: String,
        /// Its language.
        pub locale: Locale,
    }

    /// Arguments of the switches ([`SET_SENIOR_MODE`](super::command::SET_SENIOR_MODE),
    /// [`SET_DEVICE_USAGE_CONSENT`](super::command::SET_DEVICE_USAGE_CONSENT)).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Switch {
        /// On or off.
        pub enabled: bool,
    }

    /// Arguments of [`HOME_ACT`](super::command::HOME_ACT).
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct HomeAct {
        /// What to do with the virtual home.
        pub action: crate::home::Action,
    }

    /// Arguments of [`REDEEM_REWARD`](super::command::REDEEM_REWARD).
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Redeem {
        /// The reward.
        pub reward_id: String,
        /// A UUID made once per tap, so a retry spends nothing more.
        pub redemption_id: String,
    }

    /// Arguments of [`REDEMPTION_QR`](super::command::REDEMPTION_QR).
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct RedemptionQr {
        /// The code to draw.
        pub code: String,
    }

    /// Arguments of the paged reads ([`WALLET_HISTORY`](super::command::WALLET_HISTORY),
    /// [`COMMUNITY_FEED`](super::command::COMMUNITY_FEED)).
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct PageBefore {
        /// The previous page's cursor; none for the first page.
        pub before: Option<String>,
    }
}

/// Names of the events the shell emits to the UI.
pub mod event {
    /// Payload [`super::SyncStatus`]: emitted whenever the status or the local catalog changes.
    pub const SYNC_STATUS: &str = "sync-status";
    /// Payload `Option<`[`super::GuideView`]`>`: the guide moved on by itself (a reminder) or
    /// its voice became unavailable or available again.
    pub const GUIDE_CHANGED: &str = "guide-changed";
    /// Payload [`super::HomeView`]: the virtual home's clock ran the plug's schedule.
    pub const HOME_CHANGED: &str = "home-changed";
    /// Payload `String`, an app address such as `/household/join?code=…`: a `hearth://` link
    /// arrived while the app was running (clicked, or a QR code scanned on this device).
    pub const LINK_OPENED: &str = "link-opened";
}

/// Whether the shell can reach the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Connectivity {
    /// No attempt has finished since the app started.
    #[default]
    Connecting,
    /// The last attempt reached the server and got a usable answer.
    Online,
    /// The last attempt did not get a usable answer; the app shows what it has.
    Offline,
}

/// Why the last sync attempt failed, for a plain-words message in the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum SyncProblem {
    /// No connection could be made (no network, server down, wrong address).
    Unreachable,
    /// The server took too long to answer.
    TimedOut,
    /// The server answered with an error status.
    ServerError {
        /// The HTTP status code.
        status: u16,
    },
    /// The server's answer could not be read as what was asked for.
    BadResponse,
    /// The server's answer was larger than the shell accepts.
    TooLarge,
    /// The local store failed to save what arrived.
    LocalStore,
    /// The configured server address is not a usable URL.
    InvalidServerUrl,
    /// The session expired or was signed out elsewhere: sign in again (queued changes wait).
    SignedOut,
}

impl SyncProblem {
    /// The id of the translated message that explains this problem to a user.
    pub fn message_id(self) -> &'static str {
        match self {
            SyncProblem::Unreachable => "sync-problem-unreachable",
            SyncProblem::TimedOut => "sync-problem-timed-out",
            SyncProblem::ServerError { .. } => "sync-problem-server-error",
            SyncProblem::BadResponse => "sync-problem-bad-response",
            SyncProblem::TooLarge => "sync-problem-too-large",
            SyncProblem::LocalStore => "sync-problem-local-store",
            SyncProblem::InvalidServerUrl => "sync-problem-invalid-server-url",
            SyncProblem::SignedOut => "sync-problem-signed-out",
        }
    }
}

/// A code to pass to another person or device, as the family member's screen shows it: an
/// invitation to the household, or a code that signs a parent's device in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShareCode {
    /// The code to type.
    pub code: String,
    /// The `hearth://` link the QR code holds; opening it on the other device fills the code in.
    pub link: String,
    /// The QR code of [`link`](Self::link), as SVG.
    pub qr_svg: String,
    /// Whom it is for (a device sign-in code: the parent's name).
    pub for_name: Option<String>,
    /// When it stops working.
    pub expires_at_ms: i64,
}

/// Who is signed in on this device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountView {
    /// Their id.
    pub user_id: String,
    /// Their e-mail address.
    pub email: String,
    /// Their display name.
    pub display_name: String,
    /// Whether the session is kept in the platform's secure storage (false: this device has
    /// none usable, and the user signs in again next time the app starts).
    pub remembered: bool,
}

/// How hard a new password would be to guess, from 0 (found within a thousand guesses) to 4
/// (beyond 10^10), as zxcvbn estimates it. A hint only: the server's policy is its length and
/// that it is not the e-mail address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PasswordStrength {
    /// 0 to 4.
    pub score: u8,
    /// What makes it weak, when something in particular does.
    pub weakness: Option<PasswordWeakness>,
}

/// What in particular makes a password easy to guess.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PasswordWeakness {
    /// One of the passwords people use most.
    Common,
    /// A word or name from a dictionary, or one of the person's own details.
    Word,
    /// Repeated characters or keyboard rows and sequences (`aaaa`, `qwerty`, `1234`).
    Pattern,
    /// A date or a year.
    Date,
}

/// A post or story being written on this device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Draft {
    /// Its id (a UUIDv7 made on the device; absent when saving a new one).
    #[serde(default)]
    pub id: Option<String>,
    /// Post or family story.
    pub kind: crate::community::PostKind,
    /// The group it is for, if any.
    #[serde(default)]
    pub group_id: Option<String>,
    /// The text so far.
    pub text: String,
    /// When it was last changed (set by the shell).
    #[serde(default)]
    pub updated_at_ms: i64,
}

/// The wallet as the device shows it: what the server confirmed, and apart from it what the
/// device expects once its waiting changes sync.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WalletSummary {
    /// The server's wallet as last synced (none before the first points).
    pub confirmed: Option<crate::ledger::WalletView>,
    /// Points from challenges the waiting changes complete.
    pub pending_points: u64,
}

/// Something read from the server, or (when it cannot be reached) as it was last read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Fetched<T> {
    /// What was read.
    pub value: T,
    /// True when the server could not be reached and this is what was read last.
    pub from_cache: bool,
    /// When it was read from the server.
    pub fetched_at_ms: i64,
}

/// A page of the community feed as the app shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FeedView {
    /// The page.
    pub page: crate::community::FeedPage,
    /// True when the server could not be reached and this is the first page as last seen.
    pub from_cache: bool,
    /// When this page came from the server.
    pub fetched_at_ms: i64,
}

/// A change made on this device that the server has not confirmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueuedChange {
    /// Its id (what `discard_change` takes).
    pub op_id: String,
    /// What it does: `join-challenge`, `leave-challenge`, `record-events`, `change-profile`.
    pub kind: String,
    /// The challenge it is about, if any.
    pub challenge_id: Option<String>,
    /// When it was made on this device.
    pub created_at_ms: i64,
    /// Set once the server refused it: its code and reason.
    pub rejected: Option<Rejection>,
}

/// Why the server refused a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Rejection {
    /// The server's error code (`not-found`, `invalid-field`, ...).
    pub code: ApiCode,
    /// Its reason, in plain words.
    pub reason: String,
}

/// What the home screen shows about syncing.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncStatus {
    /// Whether the server is reachable.
    pub connectivity: Connectivity,
    /// When the local catalog last matched the server, in milliseconds since the Unix epoch.
    pub last_synced_at_ms: Option<i64>,
    /// Why the last attempt failed, when it did.
    pub problem: Option<SyncProblem>,
    /// The local store was unreadable at start-up and was set aside and rebuilt; it re-fills
    /// from the server.
    pub store_recovered: bool,
    /// Whether someone is signed in (their changes sync; without it only the catalog does).
    pub signed_in: bool,
    /// Changes made here that wait for the server.
    pub pending_changes: u64,
    /// Changes the server refused, waiting for the user to read why and discard them.
    pub rejected_changes: u64,
}

/// The user's settings as the UI sees them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    /// The chosen language; `None` follows the system's.
    pub locale: Option<Locale>,
}

/// How a placed product is mounted, as the preview's UI sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PreviewMount {
    /// Stands on the floor.
    Floor,
    /// Hangs on the wall.
    Wall,
}

/// A product the preview offers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PreviewProduct {
    /// Stable id; its name is the translation `product-<id>`.
    pub id: String,
    /// Floor or wall.
    pub mount: PreviewMount,
    /// Whether it gives light (its colour and brightness can be set).
    pub gives_light: bool,
    /// Its true size (width, height, depth) in metres.
    pub size_m: [f32; 3],
}

/// A light's setting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PreviewLight {
    /// sRGB as `#rrggbb`.
    pub colour: String,
    /// 0 to 1.
    pub brightness: f32,
}

/// A product placed in the room.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PreviewItem {
    /// Its id in this preview.
    pub id: u32,
    /// The product's id.
    pub product: String,
    /// Floor or wall.
    pub mount: PreviewMount,
    /// Its turn, in degrees (0 to 359).
    pub yaw_degrees: f32,
    /// Where it is in the image, in the image's pixels (`None` when behind the camera).
    pub at: Option<[f64; 2]>,
    /// Its light, when it gives light and is on.
    pub light: Option<PreviewLight>,
    /// Whether it gives light.
    pub gives_light: bool,
}

/// The room preview as it stands: what the screen shows and what it may do next.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PreviewState {
    /// Changes with every edit: the frame's address carries it, so the webview fetches anew.
    pub revision: u64,
    /// `true` in the demo room, `false` with the user's photo.
    pub demo: bool,
    /// The image's size in pixels: picks are in these pixels.
    pub image_size: [u32; 2],
    /// Whether products can be placed (always in the demo room; after calibration on a photo).
    pub calibrated: bool,
    /// Whether there is a wall to hang products on.
    pub has_wall: bool,
    /// The products placed, in the order placed.
    pub items: Vec<PreviewItem>,
    /// What can be placed.
    pub products: Vec<PreviewProduct>,
}

/// A share image written to the user's pictures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportedImage {
    /// Where it was saved.
    pub path: String,
    /// Its size in pixels.
    pub width: u32,
    /// Its size in pixels.
    pub height: u32,
}

/// The community post a shared picture became.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SharedPost {
    /// The post's id.
    pub post_id: String,
}

/// How the app speaks: rate (1.0 normal, 0.5 slowest, 2.0 fastest) and volume (0 to 1).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VoiceSettings {
    /// Speaking rate, 0.5 to 2.0.
    pub rate: f32,
    /// Volume, 0 to 1.
    pub volume: f32,
}

impl Default for VoiceSettings {
    fn default() -> Self {
        // A little slower than the engine's normal pace: the guides' listeners asked for it.
        VoiceSettings { rate: 0.9, volume: 0.9 }
    }
}

/// A setup guide, as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GuideSummary {
    /// Its id (`plug`, `bulb`, …).
    pub id: String,
    /// What it sets up.
    pub title: crate::i18n::LocalizedText,
    /// How many steps it has.
    pub steps: usize,
}

/// Whether speech works, and if not, why (`no-engine`, `timed-out`, `failed`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VoiceStatus {
    /// False once speaking failed; the guide goes on in large text.
    pub available: bool,
    /// Why not, when not.
    pub problem: Option<String>,
}

impl Default for VoiceStatus {
    fn default() -> Self {
        VoiceStatus { available: true, problem: None }
    }
}

/// A guide being followed, as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GuideView {
    /// The guide's id.
    pub guide_id: String,
    /// What it sets up.
    pub title: crate::i18n::LocalizedText,
    /// The current step (from 0).
    pub step: usize,
    /// How many steps.
    pub step_count: usize,
    /// The current step's instruction.
    pub instruction: crate::i18n::LocalizedText,
    /// The current step's help.
    pub help: crate::i18n::LocalizedText,
    /// What was last said.
    pub prompt: crate::guide::Prompt,
    /// Every step done or skipped.
    pub finished: bool,
    /// Steps left out.
    pub skipped: Vec<usize>,
    /// Whether it can be heard.
    pub voice: VoiceStatus,
}

/// The virtual home, and what the last operation recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HomeView {
    /// The devices.
    pub home: crate::home::VirtualHome,
    /// How many events the last operation recorded for the signed-in user's challenges.
    pub recorded: usize,
    /// Whether anyone is signed in (signed out, operating the home counts for nothing).
    pub signed_in: bool,
    /// How many device events the last operation left unrecorded because the user has not
    /// allowed their devices' use to count (nothing is collected without that consent).
    #[serde(default)]
    pub not_collected: usize,
}

/// How a failed command reaches the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CommandError {
    /// Why, as the UI matches on it.
    pub code: ErrorCode,
    /// What went wrong, for logs and developers; the UI shows a translated message per code.
    pub message: String,
}

wire_codes! {
    /// Why a command failed: every code the shell answers with, and the UI's own for a call
    /// that never reached the shell. The UI turns each into words in one place.
    pub enum ErrorCode {
        // The device.
        /// The local store failed or is not open yet.
        LocalStore = "local-store",
        /// The app's configuration is unusable.
        Config = "config",
        /// The shell failed in a way the user cannot help.
        Internal = "internal",
        /// The call did not reach the shell, or its answer was unreadable (the UI's own code).
        Ipc = "ipc",
        // Reaching the server ([`SyncProblem`]'s).
        /// No connection could be made.
        Unreachable = "unreachable",
        /// The server took too long.
        TimedOut = "timed-out",
        /// The server failed.
        ServerError = "server-error",
        /// The server's answer was unreadable.
        BadResponse = "bad-response",
        /// The server's answer was too large.
        TooLarge = "too-large",
        /// The configured server address is unusable.
        InvalidServerUrl = "invalid-server-url",
        /// Nobody is signed in, or the session ended: sign in (again).
        SignedOut = "signed-out",
        // Refused: what was asked cannot be done.
        /// An argument is malformed or out of range.
        InvalidArgument = "invalid-argument",
        /// No such thing (a challenge, a guide, a reward, a change).
        NotFound = "not-found",
        /// Changes still wait to sync (sign-out asks before dropping them).
        PendingChanges = "pending-changes",
        /// Only a change the server refused can be discarded.
        NotDiscardable = "not-discardable",
        /// The challenge is not in the catalog.
        UnknownChallenge = "unknown-challenge",
        /// The events are malformed.
        InvalidEvents = "invalid-events",
        /// The challenge has not been joined.
        NotJoined = "not-joined",
        /// The challenge is not completed (only a completion is shared).
        NotCompleted = "not-completed",
        /// No setup guide is being followed.
        NoGuide = "no-guide",
        /// A text is empty or too long.
        InvalidText = "invalid-text",
        /// The file is not a photo the app reads.
        NotAPhoto = "not-a-photo",
        /// The photo is larger than accepted.
        PhotoTooLarge = "photo-too-large",
        /// A help request has nobody to reach.
        NoFamilyContacts = "no-family-contacts",
        /// The wallet has fewer points than the reward costs.
        NotEnoughPoints = "not-enough-points",
        // Refused by the server, as it named it.
        /// The e-mail address or the password is wrong.
        WrongCredentials = "wrong-credentials",
        /// Too many tries; try again later.
        RateLimited = "rate-limited",
        /// A password-reset or device sign-in code is wrong, has expired or was used.
        InvalidCode = "invalid-code",
        /// An invitation was used already.
        CodeUsed = "code-used",
        /// An invitation has expired.
        CodeExpired = "code-expired",
        /// A household's owner cannot leave it or stop owning it.
        OwnerCannotLeave = "owner-cannot-leave",
        /// A field broke the server's rules.
        InvalidField = "invalid-field",
        /// The value is already taken (an e-mail address).
        Taken = "taken",
        /// This account may not do this.
        Forbidden = "forbidden",
        /// The challenge was completed already.
        AlreadyCompleted = "already-completed",
        // The room preview's refusals (each is also its message id).
        /// The file is not an image.
        PreviewNotAnImage = "preview-not-an-image",
        /// The image's format is not read.
        PreviewUnsupportedImage = "preview-unsupported-image",
        /// The image is too large.
        PreviewImageTooLarge = "preview-image-too-large",
        /// The image is damaged.
        PreviewDamagedImage = "preview-damaged-image",
        /// The floor rectangle's size is not plausible.
        PreviewBadSize = "preview-bad-size",
        /// A mark is outside the photo.
        PreviewMarkOutside = "preview-mark-outside",
        /// Three marks lie on one line.
        PreviewMarksCollinear = "preview-marks-collinear",
        /// The marks cross.
        PreviewMarksCrossed = "preview-marks-crossed",
        /// No camera could have seen the marks so.
        PreviewMarksImpossible = "preview-marks-impossible",
        /// The floor is not calibrated yet.
        PreviewNotCalibrated = "preview-not-calibrated",
        /// No wall is marked.
        PreviewNoWall = "preview-no-wall",
        /// The point is not on the floor or the wall.
        PreviewMissed = "preview-missed",
        /// The wall line is too short.
        PreviewWallTooShort = "preview-wall-too-short",
        /// No such product or placed item.
        PreviewUnknown = "preview-unknown",
        /// A floor product cannot turn towards the wall.
        PreviewFacesWall = "preview-faces-wall",
        /// The product has no light.
        PreviewNoLight = "preview-no-light",
        /// The room holds as many products as it can.
        PreviewTooMany = "preview-too-many",
        /// The preview could not render (no graphics adapter).
        PreviewRender = "preview-render",
        ..
        /// A code this build does not know.
        Unknown = "unknown",
    }
}

impl ErrorCode {
    /// Whether the server could not be asked (offline, too slow): trying later may work.
    pub fn is_offline(self) -> bool {
        matches!(self, ErrorCode::Unreachable | ErrorCode::TimedOut)
    }
}

impl From<SyncProblem> for ErrorCode {
    fn from(problem: SyncProblem) -> Self {
        match problem {
            SyncProblem::Unreachable => ErrorCode::Unreachable,
            SyncProblem::TimedOut => ErrorCode::TimedOut,
            SyncProblem::ServerError { .. } => ErrorCode::ServerError,
            SyncProblem::BadResponse => ErrorCode::BadResponse,
            SyncProblem::TooLarge => ErrorCode::TooLarge,
            SyncProblem::LocalStore => ErrorCode::LocalStore,
            SyncProblem::InvalidServerUrl => ErrorCode::InvalidServerUrl,
            SyncProblem::SignedOut => ErrorCode::SignedOut,
        }
    }
}

impl From<ApiCode> for ErrorCode {
    /// The server's refusal as the UI meets it: an ended session is `signed-out`, a short
    /// wallet `not-enough-points`, the server's own faults `server-error`, and a request the
    /// server calls malformed (the shell's own defect) `internal`.
    fn from(code: ApiCode) -> Self {
        match code {
            ApiCode::Unauthenticated | ApiCode::SessionExpired => ErrorCode::SignedOut,
            ApiCode::WrongCredentials => ErrorCode::WrongCredentials,
            ApiCode::InvalidCode => ErrorCode::InvalidCode,
            ApiCode::RateLimited => ErrorCode::RateLimited,
            ApiCode::InvalidField => ErrorCode::InvalidField,
            ApiCode::Taken => ErrorCode::Taken,
            ApiCode::Forbidden => ErrorCode::Forbidden,
            ApiCode::NotFound | ApiCode::NotInLeague => ErrorCode::NotFound,
            ApiCode::InsufficientPoints => ErrorCode::NotEnoughPoints,
            ApiCode::AlreadyCompleted => ErrorCode::AlreadyCompleted,
            ApiCode::NoFamilyContacts => ErrorCode::NoFamilyContacts,
            ApiCode::BadImage => ErrorCode::NotAPhoto,
            ApiCode::ImageTooLarge | ApiCode::PayloadTooLarge => ErrorCode::PhotoTooLarge,
            ApiCode::NoConsent | ApiCode::InvalidEvent => ErrorCode::InvalidEvents,
            ApiCode::CodeUsed => ErrorCode::CodeUsed,
            ApiCode::CodeExpired => ErrorCode::CodeExpired,
            ApiCode::OwnerCannotLeave => ErrorCode::OwnerCannotLeave,
            ApiCode::ProofRefused | ApiCode::SessionFull | ApiCode::SessionStarted => {
                ErrorCode::InvalidArgument
            }
            ApiCode::MalformedJson | ApiCode::UnsupportedMediaType | ApiCode::MethodNotAllowed => {
                ErrorCode::Internal
            }
            ApiCode::Unavailable | ApiCode::Internal | ApiCode::Unknown => ErrorCode::ServerError,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_code_reads_back_from_its_wire_spelling_and_unknown_ones_read_as_unknown() {
        for &code in ErrorCode::ALL {
            let wire = serde_json::to_value(code).expect("serializes");
            assert_eq!(wire, serde_json::Value::from(code.as_str()));
            assert_eq!(serde_json::from_value::<ErrorCode>(wire).expect("reads back"), code);
        }
        let error: CommandError =
            serde_json::from_str(r#"{"code":"from-a-newer-shell","message":"m"}"#).expect("reads");
        assert_eq!(error.code, ErrorCode::Unknown);
    }

    #[test]
    fn a_sync_problem_and_its_error_code_are_spelled_alike() {
        for problem in [
            SyncProblem::Unreachable,
            SyncProblem::TimedOut,
            SyncProblem::ServerError { status: 500 },
            SyncProblem::BadResponse,
            SyncProblem::TooLarge,
            SyncProblem::LocalStore,
            SyncProblem::InvalidServerUrl,
            SyncProblem::SignedOut,
        ] {
            let code = ErrorCode::from(problem);
            assert_eq!(format!("sync-problem-{code}"), problem.message_id());
        }
    }

    #[test]
    fn the_servers_refusals_reach_the_ui_as_what_they_mean_for_the_user() {
        assert_eq!(ErrorCode::from(ApiCode::SessionExpired), ErrorCode::SignedOut);
        assert_eq!(ErrorCode::from(ApiCode::InsufficientPoints), ErrorCode::NotEnoughPoints);
        assert_eq!(ErrorCode::from(ApiCode::WrongCredentials), ErrorCode::WrongCredentials);
        assert_eq!(ErrorCode::from(ApiCode::Internal), ErrorCode::ServerError);
        assert_eq!(ErrorCode::from(ApiCode::Unknown), ErrorCode::ServerError);
    }
    use crate::i18n::{Locale, Translator};

    #[test]
    fn every_sync_problem_has_a_message_in_every_locale() {
        let problems = [
            SyncProblem::Unreachable,
            SyncProblem::TimedOut,
            SyncProblem::ServerError { status: 503 },
            SyncProblem::BadResponse,
            SyncProblem::TooLarge,
            SyncProblem::LocalStore,
            SyncProblem::InvalidServerUrl,
            SyncProblem::SignedOut,
        ];
        for locale in Locale::ALL {
            let ids = Translator::message_ids(locale).expect("parses");
            for problem in problems {
                assert!(ids.iter().any(|id| id == problem.message_id()), "{locale:?} lacks {problem:?}");
            }
        }
    }

    #[test]
    fn sync_status_uses_the_wire_spelling_the_ui_expects() {
        let status = SyncStatus {
            connectivity: Connectivity::Offline,
            last_synced_at_ms: Some(1),
            problem: Some(SyncProblem::ServerError { status: 502 }),
            store_recovered: false,
            signed_in: true,
            pending_changes: 3,
            rejected_changes: 1,
        };
        let json = serde_json::to_value(&status).expect("serialises");
        assert_eq!(
            json,
            serde_json::json!({
                "connectivity": "offline",
                "lastSyncedAtMs": 1,
                "problem": {"kind": "server-error", "status": 502},
                "storeRecovered": false,
                "signedIn": true,
                "pendingChanges": 3,
                "rejectedChanges": 1
            })
        );
    }
}
