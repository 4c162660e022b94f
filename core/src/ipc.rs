//! The contract between the UI and the shell: command names, their payloads and the events the
//! shell emits. Both sides compile against these types, so a renamed field breaks the build
//! rather than the screen.

use serde::{Deserialize, Serialize};

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
    pub code: String,
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

/// Arguments of [`command::SET_LOCALE`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SetLocaleArgs {
    /// The language to remember.
    pub locale: Locale,
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
    /// Stable machine-readable code (`local-store`, `invalid-argument`, ...).
    pub code: String,
    /// What went wrong, for logs and developers; the UI shows a translated message per code.
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;
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
