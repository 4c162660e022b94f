//! Hearth's typed client of the server's HTTP API, and the offline-first sync engine built on it.
//!
//! - [`Client`]: one `reqwest` client (timeouts, user agent), one method per endpoint, taking
//!   and answering `hearth-core`'s wire types; an error answer becomes [`ApiError`] with the
//!   server's [`ApiCode`](hearth_core::api::ApiCode), a transport failure or an unreadable,
//!   oversized answer its own [`ClientError`]. Nothing here logs a token or a body.
//! - [`engine`]: the device's outbox, push and pull over the device's SQLite store (the schema
//!   is [`engine::MIGRATIONS`]); no Tauri types, so the shell drives it in the app and tests
//!   drive it directly against a real server.
//!
//! Below the shell and the end-to-end tests; above `hearth-core` only.

pub mod engine;
mod error;

use std::time::Duration;

use hearth_core::account::{
    Account as AccountRecord, EmailChangeConfirm, EmailChangeRequest, EmailChangeSent, PasswordChange,
    PasswordResetConfirm, PasswordResetRequest, PasswordResetSent, Profile, ProfileChange, SessionInfo,
    SetRole, SignInRequest, SignUpRequest, SignedIn,
};
use hearth_core::api::Health;
use hearth_core::catalog::{Catalog, Challenge};
use hearth_core::community::{
    Blocked, Comment, CommentPage, CreateComment, CreateExpertSession, CreateGroup, CreatePost, CreateReport,
    Decide, ExpertSession, FeedPage, Group, ModerationQueue, Photo, Post, Report, SetReaction,
};
use hearth_core::household::{
    CreateHousehold, CreateInvite, DeviceSignIn, DeviceSignInCode, HelpRequest, Household, IncomingHelp,
    Invite, JoinHousehold, SeniorSetUp, SetFamilyContacts, SetMemberRole, SetSeniorMode, SetUpSenior,
};
use hearth_core::league::LeagueView;
use hearth_core::ledger::{GrantRequest, HistoryPage, Transfer, WalletView};
use hearth_core::progress::{EventBatch, IngestResult, Participation};
use hearth_core::rewards::{ConsumeRequest, RedeemRequest, Redemption, Reward, RewardCatalog};
use hearth_core::sync::protocol::{PullResponse, PushRequest, PushResponse};
use reqwest::{Method, RequestBuilder, Response, Url};
use serde::Serialize;
use serde::de::DeserializeOwned;

pub use error::{ApiError, ClientError};

/// The client's result type.
pub type Result<T, E = ClientError> = std::result::Result<T, E>;

/// Largest JSON answer read unless the client is told otherwise.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 2 * 1024 * 1024;
/// Largest photo downloaded (the server keeps photos far smaller).
const MAX_PHOTO_BYTES: usize = 16 * 1024 * 1024;
/// Largest error answer read (its code and sentence are all that is wanted).
const MAX_ERROR_BYTES: usize = 64 * 1024;
/// The header carrying an upload's idempotency key.
const IDEMPOTENCY_KEY: &str = "idempotency-key";

/// Who is signed in on a device: whose data to read and write, and the session token that
/// proves it (never logged: `Debug` hides it).
#[derive(Clone, PartialEq, Eq)]
pub struct Account {
    /// Their id.
    pub user_id: String,
    /// Their session token.
    pub token: String,
}

impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account").field("user_id", &self.user_id).field("token", &"***").finish()
    }
}

/// An answer together with the server's clock when it sent it (its `Date` header, in ms since
/// the epoch), for measuring how far off this device's clock is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dated<T> {
    /// The answer.
    pub value: T,
    /// The server's time, when it said.
    pub server_time_ms: Option<i64>,
}

/// One page's position and size in a paged read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Page<'a> {
    /// The `nextCursor` of the page before (none: the first page).
    pub cursor: Option<&'a str>,
    /// Items per page (none: the server's default).
    pub limit: Option<u32>,
}

/// The server's HTTP API, typed.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    base: Url,
    max_response_bytes: usize,
}

impl Client {
    /// A client of the server at `server_url` (http or https), every request bounded by
    /// `timeout` and connecting within at most 5 s.
    pub fn new(server_url: &str, timeout: Duration) -> Result<Self> {
        let base = Url::parse(server_url)
            .ok()
            .filter(|url| matches!(url.scheme(), "http" | "https") && !url.cannot_be_a_base())
            .ok_or_else(|| ClientError::InvalidUrl(format!("`{server_url}` is not an http(s) URL")))?;
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(5)))
            // The device's own name, so the account's list of signed-in devices says which is which.
            .user_agent(hearth_core::account::app_user_agent(
                env!("CARGO_PKG_VERSION"),
                std::env::consts::OS,
                &whoami::devicename(),
            ))
            .build()
            .map_err(|e| ClientError::InvalidUrl(format!("HTTP client: {e}")))?;
        Ok(Self { http, base, max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES })
    }

    /// The same client, reading JSON answers of at most `bytes`.
    #[must_use]
    pub fn with_max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// The server's base URL.
    pub fn server_url(&self) -> &str {
        self.base.as_str()
    }

    // Health and clock

    /// Whether the server and its database answer (a degraded server answers 503).
    pub async fn health(&self) -> Result<Health> {
        self.json(self.request(Method::GET, &["health"], None)).await
    }

    /// The server's clock now (its `Date` header), whatever its health.
    pub async fn server_time(&self) -> Result<Option<i64>> {
        let response = self.request(Method::GET, &["health"], None).send().await?;
        Ok(date_of(&response))
    }

    // Accounts and sessions

    /// Creates an account and signs it in.
    pub async fn sign_up(&self, request: &SignUpRequest) -> Result<SignedIn> {
        self.json(body(self.request(Method::POST, &["v1", "auth", "sign-up"], None), request)?).await
    }

    /// Signs in with an e-mail address and a password.
    pub async fn sign_in(&self, request: &SignInRequest) -> Result<SignedIn> {
        self.json(body(self.request(Method::POST, &["v1", "auth", "sign-in"], None), request)?).await
    }

    /// Asks for a one-time code by e-mail to set a new password (the same answer whether or not
    /// the address has an account).
    pub async fn request_password_reset(&self, request: &PasswordResetRequest) -> Result<PasswordResetSent> {
        let path = ["v1", "auth", "password-reset"];
        self.json(body(self.request(Method::POST, &path, None), request)?).await
    }

    /// Sets a new password with the mailed code; every other session ends, and this is a new one.
    pub async fn confirm_password_reset(&self, request: &PasswordResetConfirm) -> Result<SignedIn> {
        let path = ["v1", "auth", "password-reset", "confirm"];
        self.json(body(self.request(Method::POST, &path, None), request)?).await
    }

    /// Changes the password, given the current one; every other session of the account ends.
    pub async fn change_password(&self, token: &str, request: &PasswordChange) -> Result<()> {
        self.empty(body(self.request(Method::POST, &["v1", "me", "password"], Some(token)), request)?).await
    }

    /// Asks to move the account to another address, given the password: a code goes there.
    pub async fn change_email(&self, token: &str, request: &EmailChangeRequest) -> Result<EmailChangeSent> {
        self.json(body(self.request(Method::POST, &["v1", "me", "email"], Some(token)), request)?).await
    }

    /// Moves the account to the address the code was mailed to.
    pub async fn confirm_email(&self, token: &str, request: &EmailChangeConfirm) -> Result<Profile> {
        let path = ["v1", "me", "email", "confirm"];
        self.json(body(self.request(Method::POST, &path, Some(token)), request)?).await
    }

    /// Ends this session.
    pub async fn sign_out(&self, token: &str) -> Result<()> {
        self.empty(self.request(Method::POST, &["v1", "auth", "sign-out"], Some(token))).await
    }

    /// Ends every session of the account.
    pub async fn sign_out_everywhere(&self, token: &str) -> Result<()> {
        self.empty(self.request(Method::POST, &["v1", "auth", "sign-out-everywhere"], Some(token))).await
    }

    /// The account's signed-in sessions, newest first.
    pub async fn sessions(&self, token: &str) -> Result<Vec<SessionInfo>> {
        self.json(self.request(Method::GET, &["v1", "me", "sessions"], Some(token))).await
    }

    /// Ends one of the account's sessions (signs that device out).
    pub async fn end_session(&self, token: &str, id: &str) -> Result<()> {
        self.empty(self.request(Method::DELETE, &["v1", "me", "sessions", id], Some(token))).await
    }

    /// The caller's profile.
    pub async fn me(&self, token: &str) -> Result<Profile> {
        self.json(self.request(Method::GET, &["v1", "me"], Some(token))).await
    }

    /// Changes the caller's profile.
    pub async fn change_me(&self, token: &str, change: &ProfileChange) -> Result<Profile> {
        self.json(body(self.request(Method::PATCH, &["v1", "me"], Some(token)), change)?).await
    }

    /// Operators: the account with this e-mail address.
    pub async fn find_account(&self, token: &str, email: &str) -> Result<AccountRecord> {
        let request =
            self.request_with(Method::GET, &["v1", "admin", "accounts"], &[("email", email)], Some(token));
        self.json(request).await
    }

    /// Operators: gives an account a role.
    pub async fn set_role(&self, token: &str, user_id: &str, role: &SetRole) -> Result<AccountRecord> {
        let request = self.request(Method::PUT, &["v1", "admin", "accounts", user_id, "role"], Some(token));
        self.json(body(request, role)?).await
    }

    // Challenges and progress

    /// The challenge catalog.
    pub async fn challenges(&self) -> Result<Catalog> {
        self.json(self.request(Method::GET, &["v1", "challenges"], None)).await
    }

    /// Operators: adds a challenge.
    pub async fn create_challenge(&self, token: &str, challenge: &Challenge) -> Result<Challenge> {
        self.json(body(self.request(Method::POST, &["v1", "challenges"], Some(token)), challenge)?).await
    }

    /// Operators: changes a challenge.
    pub async fn update_challenge(&self, token: &str, challenge: &Challenge) -> Result<Challenge> {
        let request = self.request(Method::PUT, &["v1", "challenges", &challenge.id], Some(token));
        self.json(body(request, challenge)?).await
    }

    /// Operators: retires a challenge.
    pub async fn retire_challenge(&self, token: &str, id: &str) -> Result<()> {
        self.empty(self.request(Method::DELETE, &["v1", "challenges", id], Some(token))).await
    }

    /// Joins a challenge (joining again answers the same participation).
    pub async fn join_challenge(&self, token: &str, id: &str) -> Result<Participation> {
        self.json(self.request(Method::POST, &["v1", "challenges", id, "join"], Some(token))).await
    }

    /// Leaves a challenge.
    pub async fn leave_challenge(&self, token: &str, id: &str) -> Result<()> {
        self.empty(self.request(Method::POST, &["v1", "challenges", id, "leave"], Some(token))).await
    }

    /// The caller's challenges and their progress.
    pub async fn my_challenges(&self, token: &str) -> Result<Vec<Participation>> {
        self.json(self.request(Method::GET, &["v1", "me", "challenges"], Some(token))).await
    }

    /// Records what happened at home.
    pub async fn record_events(&self, token: &str, batch: &EventBatch) -> Result<IngestResult> {
        self.json(body(self.request(Method::POST, &["v1", "events"], Some(token)), batch)?).await
    }

    // Points and rewards

    /// The caller's points.
    pub async fn wallet(&self, token: &str) -> Result<WalletView> {
        self.json(self.request(Method::GET, &["v1", "wallet"], Some(token))).await
    }

    /// A page of the caller's points history, newest first.
    pub async fn wallet_history(&self, token: &str, page: Page<'_>) -> Result<HistoryPage> {
        let query = page.query("before");
        self.json(self.request_with(Method::GET, &["v1", "wallet", "history"], &query, Some(token))).await
    }

    /// Operators: gives a user points.
    pub async fn grant(&self, token: &str, grant: &GrantRequest) -> Result<Transfer> {
        self.json(body(self.request(Method::POST, &["v1", "operator", "grants"], Some(token)), grant)?).await
    }

    /// The rewards on offer.
    pub async fn rewards(&self) -> Result<RewardCatalog> {
        self.json(self.request(Method::GET, &["v1", "rewards"], None)).await
    }

    /// Operators: adds a reward.
    pub async fn add_reward(&self, token: &str, reward: &Reward) -> Result<Reward> {
        self.json(body(self.request(Method::POST, &["v1", "rewards"], Some(token)), reward)?).await
    }

    /// Operators: changes a reward.
    pub async fn change_reward(&self, token: &str, reward: &Reward) -> Result<Reward> {
        let request = self.request(Method::PUT, &["v1", "rewards", &reward.id], Some(token));
        self.json(body(request, reward)?).await
    }

    /// Operators: retires a reward.
    pub async fn retire_reward(&self, token: &str, id: &str) -> Result<()> {
        self.empty(self.request(Method::DELETE, &["v1", "rewards", id], Some(token))).await
    }

    /// Spends points on a reward; a retry with the same redemption id answers the same code.
    pub async fn redeem(&self, token: &str, reward_id: &str, request: &RedeemRequest) -> Result<Redemption> {
        let call = self.request(Method::POST, &["v1", "rewards", reward_id, "redeem"], Some(token));
        self.json(body(call, request)?).await
    }

    /// The caller's reward codes, newest first.
    pub async fn my_redemptions(&self, token: &str) -> Result<Vec<Redemption>> {
        self.json(self.request(Method::GET, &["v1", "me", "redemptions"], Some(token))).await
    }

    /// Store staff: uses a code at the counter.
    pub async fn consume_redemption(&self, token: &str, request: &ConsumeRequest) -> Result<Redemption> {
        let call = self.request(Method::POST, &["v1", "staff", "redemptions", "consume"], Some(token));
        self.json(body(call, request)?).await
    }

    // League

    /// The caller's group in this week's league (`not-in-league` when they have not joined).
    pub async fn league(&self, token: &str) -> Result<LeagueView> {
        self.json(self.request(Method::GET, &["v1", "league"], Some(token))).await
    }

    /// Joins the weekly league.
    pub async fn join_league(&self, token: &str) -> Result<LeagueView> {
        self.json(self.request(Method::POST, &["v1", "league", "join"], Some(token))).await
    }

    /// Leaves the weekly league.
    pub async fn leave_league(&self, token: &str) -> Result<()> {
        self.empty(self.request(Method::POST, &["v1", "league", "leave"], Some(token))).await
    }

    // Households and help

    /// Creates a household with the caller as its owner.
    pub async fn create_household(&self, token: &str, request: &CreateHousehold) -> Result<Household> {
        self.json(body(self.request(Method::POST, &["v1", "households"], Some(token)), request)?).await
    }

    /// The caller's household.
    pub async fn my_household(&self, token: &str) -> Result<Household> {
        self.json(self.request(Method::GET, &["v1", "households", "mine"], Some(token))).await
    }

    /// Invites someone into the caller's household.
    pub async fn invite(&self, token: &str, request: &CreateInvite) -> Result<Invite> {
        let call = self.request(Method::POST, &["v1", "households", "mine", "invites"], Some(token));
        self.json(body(call, request)?).await
    }

    /// Joins a household with an invite's code.
    pub async fn join_household(&self, token: &str, request: &JoinHousehold) -> Result<Household> {
        self.json(body(self.request(Method::POST, &["v1", "households", "join"], Some(token)), request)?)
            .await
    }

    /// Names a senior's family contacts.
    pub async fn set_family_contacts(
        &self,
        token: &str,
        senior_id: &str,
        request: &SetFamilyContacts,
    ) -> Result<Household> {
        let path = ["v1", "households", "mine", "seniors", senior_id, "contacts"];
        self.json(body(self.request(Method::PUT, &path, Some(token)), request)?).await
    }

    /// Switches a member's senior mode.
    pub async fn set_senior_mode(
        &self,
        token: &str,
        member_id: &str,
        request: &SetSeniorMode,
    ) -> Result<Profile> {
        let path = ["v1", "households", "mine", "members", member_id, "senior-mode"];
        self.json(body(self.request(Method::PUT, &path, Some(token)), request)?).await
    }

    /// Changes a member's place in the caller's household (the owner's call).
    pub async fn set_member_role(
        &self,
        token: &str,
        member_id: &str,
        request: &SetMemberRole,
    ) -> Result<Household> {
        let path = ["v1", "households", "mine", "members", member_id, "role"];
        self.json(body(self.request(Method::PUT, &path, Some(token)), request)?).await
    }

    /// Sets Hearth up for a parent: their account in the caller's household, and a code for
    /// their device.
    pub async fn set_up_senior(&self, token: &str, request: &SetUpSenior) -> Result<SeniorSetUp> {
        let call = self.request(Method::POST, &["v1", "households", "mine", "seniors"], Some(token));
        self.json(body(call, request)?).await
    }

    /// A code that signs one more device in to a senior the household set up.
    pub async fn senior_sign_in_code(&self, token: &str, senior_id: &str) -> Result<DeviceSignInCode> {
        let path = ["v1", "households", "mine", "members", senior_id, "sign-in-code"];
        self.json(self.request(Method::POST, &path, Some(token))).await
    }

    /// Signs this device in with a code family made for it.
    pub async fn device_sign_in(&self, request: &DeviceSignIn) -> Result<SignedIn> {
        self.json(body(self.request(Method::POST, &["v1", "auth", "device-sign-in"], None), request)?).await
    }

    /// Removes a member from the caller's household (or the caller themself).
    pub async fn remove_member(&self, token: &str, member_id: &str) -> Result<()> {
        self.empty(self.request(
            Method::DELETE,
            &["v1", "households", "mine", "members", member_id],
            Some(token),
        ))
        .await
    }

    /// Asks the caller's family contacts for help.
    pub async fn ask_for_help(&self, token: &str) -> Result<HelpRequest> {
        self.json(self.request(Method::POST, &["v1", "help-requests"], Some(token))).await
    }

    /// The caller's latest help requests.
    pub async fn help_requests(&self, token: &str) -> Result<Vec<HelpRequest>> {
        self.json(self.request(Method::GET, &["v1", "help-requests"], Some(token))).await
    }

    /// Help requests addressed to the caller.
    pub async fn incoming_help(&self, token: &str) -> Result<Vec<IncomingHelp>> {
        self.json(self.request(Method::GET, &["v1", "help-requests", "incoming"], Some(token))).await
    }

    /// Tells the server a help request reached the caller.
    pub async fn help_reached(&self, token: &str, id: &str) -> Result<IncomingHelp> {
        self.json(self.request(Method::POST, &["v1", "help-requests", id, "reached"], Some(token))).await
    }

    // Community

    /// Uploads a photo (a JPEG, PNG or WebP); with `idempotency_key`, a repeat answers the
    /// photo made the first time.
    pub async fn upload_photo(
        &self,
        token: &str,
        image: Vec<u8>,
        idempotency_key: Option<&str>,
    ) -> Result<Photo> {
        let mut request = self
            .request(Method::POST, &["v1", "photos"], Some(token))
            .header(reqwest::header::CONTENT_TYPE, "image/jpeg")
            .body(image);
        if let Some(key) = idempotency_key {
            request = request.header(IDEMPOTENCY_KEY, key);
        }
        self.json(request).await
    }

    /// A photo the caller may see, as a JPEG.
    pub async fn photo(&self, token: &str, id: &str) -> Result<Vec<u8>> {
        self.bytes(self.request(Method::GET, &["v1", "photos", id], Some(token))).await
    }

    /// A photo's thumbnail, as a JPEG.
    pub async fn photo_thumbnail(&self, token: &str, id: &str) -> Result<Vec<u8>> {
        self.bytes(self.request(Method::GET, &["v1", "photos", id, "thumbnail"], Some(token))).await
    }

    /// Publishes a post or a story.
    pub async fn create_post(&self, token: &str, post: &CreatePost) -> Result<Post> {
        self.json(body(self.request(Method::POST, &["v1", "posts"], Some(token)), post)?).await
    }

    /// A page of the caller's feed (or of one group's posts), newest first.
    pub async fn feed(&self, token: &str, group: Option<&str>, page: Page<'_>) -> Result<FeedPage> {
        let mut query = page.query("before");
        query.extend(group.map(|g| ("group", g.to_owned())));
        self.json(self.request_with(Method::GET, &["v1", "feed"], &query, Some(token))).await
    }

    /// One post the caller may see.
    pub async fn post(&self, token: &str, id: &str) -> Result<Post> {
        self.json(self.request(Method::GET, &["v1", "posts", id], Some(token))).await
    }

    /// Deletes the caller's post (or, for moderators, anyone's).
    pub async fn delete_post(&self, token: &str, id: &str) -> Result<()> {
        self.empty(self.request(Method::DELETE, &["v1", "posts", id], Some(token))).await
    }

    /// Sets the caller's reaction to a post.
    pub async fn react(&self, token: &str, post_id: &str, reaction: &SetReaction) -> Result<Post> {
        let call = self.request(Method::PUT, &["v1", "posts", post_id, "reaction"], Some(token));
        self.json(body(call, reaction)?).await
    }

    /// Takes the caller's reaction back.
    pub async fn unreact(&self, token: &str, post_id: &str) -> Result<()> {
        self.empty(self.request(Method::DELETE, &["v1", "posts", post_id, "reaction"], Some(token))).await
    }

    /// Comments on a post.
    pub async fn add_comment(&self, token: &str, post_id: &str, comment: &CreateComment) -> Result<Comment> {
        let call = self.request(Method::POST, &["v1", "posts", post_id, "comments"], Some(token));
        self.json(body(call, comment)?).await
    }

    /// A page of a post's comments, oldest first.
    pub async fn comments(&self, token: &str, post_id: &str, page: Page<'_>) -> Result<CommentPage> {
        let query = page.query("after");
        self.json(self.request_with(Method::GET, &["v1", "posts", post_id, "comments"], &query, Some(token)))
            .await
    }

    /// Deletes the caller's comment (or, for moderators, anyone's).
    pub async fn delete_comment(&self, token: &str, id: &str) -> Result<()> {
        self.empty(self.request(Method::DELETE, &["v1", "comments", id], Some(token))).await
    }

    /// Reports a post or a comment (a repeat answers the first report).
    pub async fn report(&self, token: &str, report: &CreateReport) -> Result<Report> {
        self.json(body(self.request(Method::POST, &["v1", "reports"], Some(token)), report)?).await
    }

    /// Moderators: what waits for a decision.
    pub async fn moderation_queue(&self, token: &str) -> Result<ModerationQueue> {
        self.json(self.request(Method::GET, &["v1", "moderation", "queue"], Some(token))).await
    }

    /// Moderators: decides a report.
    pub async fn decide(&self, token: &str, decision: &Decide) -> Result<()> {
        self.empty(body(
            self.request(Method::POST, &["v1", "moderation", "decisions"], Some(token)),
            decision,
        )?)
        .await
    }

    /// Blocks a user: the caller no longer sees them.
    pub async fn block(&self, token: &str, user_id: &str) -> Result<()> {
        self.empty(self.request(Method::PUT, &["v1", "blocks", user_id], Some(token))).await
    }

    /// Unblocks a user.
    pub async fn unblock(&self, token: &str, user_id: &str) -> Result<()> {
        self.empty(self.request(Method::DELETE, &["v1", "blocks", user_id], Some(token))).await
    }

    /// The users the caller blocked.
    pub async fn blocks(&self, token: &str) -> Result<Vec<Blocked>> {
        self.json(self.request(Method::GET, &["v1", "blocks"], Some(token))).await
    }

    /// Creates an interest group.
    pub async fn create_group(&self, token: &str, group: &CreateGroup) -> Result<Group> {
        self.json(body(self.request(Method::POST, &["v1", "groups"], Some(token)), group)?).await
    }

    /// The interest groups.
    pub async fn groups(&self, token: &str) -> Result<Vec<Group>> {
        self.json(self.request(Method::GET, &["v1", "groups"], Some(token))).await
    }

    /// Joins an interest group.
    pub async fn join_group(&self, token: &str, id: &str) -> Result<Group> {
        self.json(self.request(Method::PUT, &["v1", "groups", id, "membership"], Some(token))).await
    }

    /// Leaves an interest group.
    pub async fn leave_group(&self, token: &str, id: &str) -> Result<()> {
        self.empty(self.request(Method::DELETE, &["v1", "groups", id, "membership"], Some(token))).await
    }

    /// Experts: schedules a live session.
    pub async fn schedule_expert_session(
        &self,
        token: &str,
        session: &CreateExpertSession,
    ) -> Result<ExpertSession> {
        self.json(body(self.request(Method::POST, &["v1", "expert-sessions"], Some(token)), session)?).await
    }

    /// The expert sessions to come.
    pub async fn expert_sessions(&self, token: &str) -> Result<Vec<ExpertSession>> {
        self.json(self.request(Method::GET, &["v1", "expert-sessions"], Some(token))).await
    }

    /// Takes a place in an expert session.
    pub async fn attend(&self, token: &str, id: &str) -> Result<ExpertSession> {
        self.json(self.request(Method::PUT, &["v1", "expert-sessions", id, "rsvp"], Some(token))).await
    }

    /// Gives the place back.
    pub async fn cancel_attendance(&self, token: &str, id: &str) -> Result<()> {
        self.empty(self.request(Method::DELETE, &["v1", "expert-sessions", id, "rsvp"], Some(token))).await
    }

    // Sync

    /// Pushes queued ops; the answer has one result per op, in order.
    pub async fn push(&self, token: &str, request: &PushRequest) -> Result<PushResponse> {
        self.json(body(self.request(Method::POST, &["v1", "sync", "push"], Some(token)), request)?).await
    }

    /// Pulls up to `limit` changes after `cursor`, with the server's clock.
    pub async fn pull(&self, token: &str, cursor: i64, limit: u32) -> Result<Dated<PullResponse>> {
        let query = [("after", cursor.to_string()), ("limit", limit.to_string())];
        let response =
            self.send(self.request_with(Method::GET, &["v1", "sync", "pull"], &query, Some(token))).await?;
        let server_time_ms = date_of(&response);
        let value = decode(&read_limited(response, self.max_response_bytes).await?)?;
        Ok(Dated { value, server_time_ms })
    }

    // Plumbing

    fn request(&self, method: Method, path: &[&str], token: Option<&str>) -> RequestBuilder {
        self.request_with(method, path, &[] as &[(&str, &str)], token)
    }

    /// A request to the path made of `segments` (each percent-encoded as one segment) with the
    /// `query` pairs, as `token`'s bearer when given.
    fn request_with<V: AsRef<str>>(
        &self,
        method: Method,
        segments: &[&str],
        query: &[(&str, V)],
        token: Option<&str>,
    ) -> RequestBuilder {
        let mut url = self.base.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query.iter().map(|(k, v)| (*k, v.as_ref())));
        }
        let request = self.http.request(method, url);
        match token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    }

    /// Sends `request`: a success answer, or the error answer as [`ApiError`].
    async fn send(&self, request: RequestBuilder) -> Result<Response> {
        let response = request.send().await?;
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        let retry_after_secs = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse().ok());
        let detail = read_limited(response, MAX_ERROR_BYTES)
            .await
            .ok()
            .and_then(|body| serde_json::from_slice::<hearth_core::api::ErrorBody>(&body).ok())
            .map(|body| body.error);
        Err(ClientError::Api(match detail {
            Some(detail) => ApiError {
                status: status.as_u16(),
                code: detail.code,
                message: detail.message,
                field: detail.field,
                retry_after_secs,
            },
            None => ApiError {
                status: status.as_u16(),
                code: hearth_core::api::ApiCode::Unknown,
                message: status.to_string(),
                field: None,
                retry_after_secs,
            },
        }))
    }

    async fn json<T: DeserializeOwned>(&self, request: RequestBuilder) -> Result<T> {
        let response = self.send(request).await?;
        decode(&read_limited(response, self.max_response_bytes).await?)
    }

    async fn empty(&self, request: RequestBuilder) -> Result<()> {
        self.send(request).await.map(drop)
    }

    async fn bytes(&self, request: RequestBuilder) -> Result<Vec<u8>> {
        read_limited(self.send(request).await?, MAX_PHOTO_BYTES).await
    }
}

impl Page<'_> {
    /// The page as query pairs, its cursor under `cursor_name`.
    fn query(self, cursor_name: &'static str) -> Vec<(&'static str, String)> {
        let mut query = Vec::new();
        query.extend(self.cursor.map(|c| (cursor_name, c.to_owned())));
        query.extend(self.limit.map(|l| ("limit", l.to_string())));
        query
    }
}

/// `request` with `value` as its JSON body.
fn body<B: Serialize>(request: RequestBuilder, value: &B) -> Result<RequestBuilder> {
    let json =
        serde_json::to_vec(value).map_err(|e| ClientError::BadResponse(format!("request body: {e}")))?;
    Ok(request.header(reqwest::header::CONTENT_TYPE, "application/json").body(json))
}

fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T> {
    // An empty 2xx answer reads as JSON `null` (for the endpoints that answer nothing).
    let body = if body.is_empty() { b"null".as_slice() } else { body };
    serde_json::from_slice(body).map_err(|e| ClientError::BadResponse(e.to_string()))
}

/// The body of `response`, refusing more than `limit` bytes (declared or actual), read in chunks
/// so that an answer without (or lying about) its length cannot exhaust memory.
async fn read_limited(mut response: Response, limit: usize) -> Result<Vec<u8>> {
    if response.content_length().is_some_and(|len| len > limit as u64) {
        return Err(ClientError::TooLarge { limit });
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        if body.len() + chunk.len() > limit {
            return Err(ClientError::TooLarge { limit });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// The server's clock from an answer's `Date` header, in ms since the epoch.
fn date_of(response: &Response) -> Option<i64> {
    response
        .headers()
        .get(reqwest::header::DATE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v).ok())
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .and_then(|d| i64::try_from(d.as_millis()).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_path_segment_is_encoded_on_its_own_and_the_base_path_is_kept() {
        let client = Client::new("http://example.test/api/", Duration::from_secs(1)).expect("client");
        let request = client
            .request_with(Method::GET, &["v1", "rewards", "a/b?c"], &[("before", "x&y")], Some("t"))
            .build()
            .expect("builds");
        assert_eq!(request.url().as_str(), "http://example.test/api/v1/rewards/a%2Fb%3Fc?before=x%26y");
        let bare = Client::new("http://example.test", Duration::from_secs(1)).expect("client");
        let request = bare.request(Method::GET, &["health"], None).build().expect("builds");
        assert_eq!(request.url().as_str(), "http://example.test/health");
        assert!(request.headers().get(reqwest::header::AUTHORIZATION).is_none());
    }

    #[test]
    fn only_http_addresses_make_a_client() {
        for bad in ["ftp://example.test/", "mailto:someone@example.test", "not a url", ""] {
            assert!(
                matches!(Client::new(bad, Duration::from_secs(1)), Err(ClientError::InvalidUrl(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn an_account_never_shows_its_token() {
        let account = Account { user_id: "u1".into(), token: "secret-token".into() };
        assert!(!format!("{account:?}").contains("secret-token"));
    }
}
