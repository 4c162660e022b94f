//! Every screen's address. Screens link with these; the route table in [`frame`](crate::frame)
//! matches the same paths. Below every screen: it knows no feature.
//!
//! The addresses are the app's deep links: the window's back button, a phone's back gesture and
//! a link from outside (a notification, a shared card) all go through them.

use leptos_router::location::Url;

/// The catalog of challenges (where the app opens).
pub const CHALLENGES: &str = "/challenges";
/// The league table.
pub const LEAGUE: &str = "/league";
/// Rewards and the points history.
pub const REWARDS: &str = "/rewards";
/// My home: the ways to add to the home (the room preview, device setup), then its devices.
pub const HOME: &str = "/home";
/// The room preview.
pub const PREVIEW: &str = "/home/preview";
/// Setting up a device with a spoken guide.
pub const SETUP: &str = "/home/setup";
/// The settings.
pub const SETTINGS: &str = "/settings";
/// Creating an account.
pub const SIGN_UP: &str = "/sign-up";
/// Setting a new password with a mailed code.
pub const RESET_PASSWORD: &str = "/reset-password";
/// Your household and family. `/household/join?code=` (where an invitation's QR link opens)
/// shows it with the code filled in.
pub const HOUSEHOLD: &str = "/household";
/// Signing a device in with a code from family (`?code=`), where its QR link opens.
pub const FAMILY_SIGN_IN: &str = "/sign-in/family";
/// Senior mode's one-tap help.
pub const HELP: &str = "/help";
/// Senior mode's home of four tiles.
pub const SENIOR_HOME: &str = "/";

/// One challenge's details.
pub fn challenge(id: &str) -> String {
    format!("{CHALLENGES}/{}", Url::escape(id))
}

/// The challenge id in a `:id` segment of [`challenge`]'s address.
pub fn challenge_id(segment: &str) -> String {
    Url::unescape(segment)
}
