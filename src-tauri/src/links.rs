//! `hearth://` links: an invitation's QR code or a parent's sign-in code opens the app at the
//! screen that takes it. On Linux and Windows the link arrives as the app's argument (the
//! desktop entry's `%u`), read by tauri-plugin-deep-link; the UI asks for it once it is up. A
//! link opened while Hearth runs starts a second process, which tauri-plugin-single-instance
//! turns back: it hands the link to the running app (its window comes to the front and the UI is
//! told, [`event::LINK_OPENED`]) and ends. Below the features: it knows app addresses only as
//! text.

use std::sync::Mutex;

use hearth_core::ipc::event;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tauri_plugin_deep_link::DeepLinkExt;

/// The app address of the link the app was opened with, until the UI takes it.
#[derive(Debug, Default)]
pub struct OpeningLink(Mutex<Option<String>>);

/// The screens a link may open: taking an invitation, and signing in with a code from family.
/// Nothing else is reachable from outside the app (a web page can open any `hearth://` link).
const LINKABLE: [&str; 2] = ["/household/join", "/sign-in/family"];

/// The app address a `hearth://` link names: `hearth://household/join?code=X` is
/// `/household/join?code=X`. Other schemes, and screens not [`LINKABLE`], name none.
pub fn app_address(link: &url::Url) -> Option<String> {
    if link.scheme() != "hearth" {
        return None;
    }
    let mut address = format!("/{}{}", link.host_str().unwrap_or_default(), link.path());
    if !LINKABLE.contains(&address.as_str()) {
        return None;
    }
    if let Some(query) = link.query() {
        address.push('?');
        address.push_str(query);
    }
    Some(address)
}

/// Keeps the link the app was opened with, if any, for the UI. With `HEARTH_REGISTER_LINKS` set
/// (`scripts/run.sh` sets it; installed packages register through their desktop entry), this
/// binary is first made the desktop's handler of `hearth://` links.
pub fn keep_opening_link<R: Runtime>(app: &AppHandle<R>) {
    #[cfg(desktop)]
    if std::env::var_os("HEARTH_REGISTER_LINKS").is_some()
        && let Err(error) = app.deep_link().register_all()
    {
        tracing::warn!(%error, "cannot make this app the handler of hearth:// links");
    }
    let links = match app.deep_link().get_current() {
        Ok(links) => links.unwrap_or_default(),
        Err(error) => {
            tracing::warn!(%error, "cannot read the link the app was opened with");
            Vec::new()
        }
    };
    let address = links.iter().find_map(app_address);
    if address.is_some() {
        tracing::info!("opened with a hearth:// link");
    }
    *app.state::<OpeningLink>().0.lock().unwrap_or_else(|p| p.into_inner()) = address;
}

/// Hands a link opened while Hearth runs to the UI, as [`event::LINK_OPENED`].
pub fn forward_arriving_links<R: Runtime>(app: &AppHandle<R>) {
    let handle = app.clone();
    app.deep_link().on_open_url(move |opened| {
        let Some(address) = opened.urls().iter().find_map(app_address) else { return };
        tracing::info!("a hearth:// link arrived");
        if let Err(error) = handle.emit(event::LINK_OPENED, address) {
            tracing::warn!(%error, "cannot hand the link to the UI");
        }
    });
}

/// One Hearth per store: a second start with the same store (its config folder) hands its
/// arguments, a `hearth://` link, to the running one, whose window comes to the front, and
/// ends. Two stores (two people's accounts on one desktop, or the end-to-end tests' devices)
/// run side by side. Must be the first plugin, before the deep-link plugin.
#[cfg(desktop)]
pub fn single_instance<R: Runtime>(identifier: &str) -> tauri::plugin::TauriPlugin<R> {
    tauri_plugin_single_instance::Builder::new()
        .dbus_id(instance_name(identifier, dirs::config_dir().as_deref()))
        .callback(|app, _args, _cwd| {
            if let Some(window) = app.get_webview_window("main") {
                let shown =
                    window.unminimize().and_then(|()| window.show()).and_then(|()| window.set_focus());
                if let Err(error) = shown {
                    tracing::warn!(%error, "cannot bring the window to the front");
                }
            }
        })
        .build()
}

/// The D-Bus name of the instance whose store is under `config`: the app's identifier and a
/// digest of the folder (a name's parts allow only letters, digits, `_` and `-`).
#[cfg(desktop)]
fn instance_name(identifier: &str, config: Option<&std::path::Path>) -> String {
    use sha2::Digest as _;
    let folder = config.map(|c| c.to_string_lossy().into_owned()).unwrap_or_default();
    let digest = sha2::Sha256::digest(folder.as_bytes());
    format!("{identifier}.store{}", hex::encode(&digest[..8]))
}

/// The app address of the link the app was opened with, once; `None` after that or without one.
#[tauri::command]
pub fn opening_link<R: Runtime>(app: AppHandle<R>) -> Option<String> {
    app.state::<OpeningLink>().0.lock().unwrap_or_else(|p| p.into_inner()).take()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_name_app_addresses() {
        let link = url::Url::parse("hearth://household/join?code=ab-c_d").expect("a link");
        assert_eq!(app_address(&link).as_deref(), Some("/household/join?code=ab-c_d"));
        let link = url::Url::parse("hearth://sign-in/family?code=7KQ2-M9XD").expect("a link");
        assert_eq!(app_address(&link).as_deref(), Some("/sign-in/family?code=7KQ2-M9XD"));
        assert_eq!(app_address(&url::Url::parse("https://example.com/x").expect("a url")), None);
        let elsewhere = url::Url::parse("hearth://settings?x=1").expect("a link");
        assert_eq!(app_address(&elsewhere), None, "only the linkable screens");
    }

    #[cfg(desktop)]
    #[test]
    fn each_store_has_its_own_instance() {
        let mine = instance_name("app.hearth.companion", Some(std::path::Path::new("/home/mei/.config")));
        let again = instance_name("app.hearth.companion", Some(std::path::Path::new("/home/mei/.config")));
        let theirs = instance_name("app.hearth.companion", Some(std::path::Path::new("/home/li/.config")));
        assert_eq!(mine, again);
        assert_ne!(mine, theirs);
        assert!(
            mine.starts_with("app.hearth.companion.store")
                && mine.len() == "app.hearth.companion.store".len() + 16
        );
        assert!(
            mine.split('.').all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric()))
        );
    }
}
