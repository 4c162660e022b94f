//! Where each screen was scrolled to: coming back to a screen (the back button, a back gesture)
//! returns to the same place in it, as a new visit starts at its top (the router's part).
//! Below every screen: it knows addresses, not features.

use std::collections::HashMap;

use leptos::ev;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// How many frames a return waits for its screen to grow tall enough (its data arriving) before
/// it scrolls as far as it can.
const PATIENCE_FRAMES: u32 = 90;

/// Keeps each address's scroll position while the calling routes are shown, and restores it when
/// the history brings the address back.
pub fn remember() {
    let Some(window) = web_sys::window() else { return };
    // The browser's own restoration would run before the screen is drawn again.
    if let Ok(history) = window.history() {
        let _ = history.set_scroll_restoration(web_sys::ScrollRestoration::Manual);
    }
    let location = use_location();
    let positions = StoredValue::new(HashMap::<String, f64>::new());
    let scrolled = window_event_listener(ev::scroll, move |_| {
        let y = web_sys::window().and_then(|w| w.scroll_y().ok()).unwrap_or_default();
        positions.update_value(|p| {
            p.insert(location.pathname.get_untracked(), y);
        });
    });
    // Listened to after the router, which has already taken the new address.
    let returned = window_event_listener(ev::popstate, move |_| {
        let target = positions.with_value(|p| p.get(&location.pathname.get_untracked()).copied());
        scroll_when_tall_enough(target.unwrap_or_default(), PATIENCE_FRAMES);
    });
    on_cleanup(move || {
        scrolled.remove();
        returned.remove();
    });
}

/// Scrolls to `y` once the page is tall enough for it, or as far as it goes after `frames`.
fn scroll_when_tall_enough(y: f64, frames: u32) {
    request_animation_frame(move || {
        let Some(window) = web_sys::window() else { return };
        let room = window
            .document()
            .and_then(|d| d.document_element())
            .map(|root| f64::from(root.scroll_height() - root.client_height()))
            .unwrap_or_default();
        if room >= y || frames == 0 {
            window.scroll_to_with_x_and_y(0.0, y);
        } else {
            scroll_when_tall_enough(y, frames - 1);
        }
    });
}
