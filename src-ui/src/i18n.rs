//! The UI's language: the current locale as a signal in context, and translation through the
//! Fluent messages in `hearth-core`.

use std::sync::LazyLock;

use fluent_bundle::FluentValue;
use hearth_core::i18n::{Locale, Translator};
use leptos::prelude::*;

static TRANSLATORS: LazyLock<[Translator; 2]> =
    LazyLock::new(|| [Translator::new(Locale::ZhCn), Translator::new(Locale::En)]);

fn translator(locale: Locale) -> &'static Translator {
    &TRANSLATORS[locale.pick(1, 0)]
}

/// The current language, shared through context.
#[derive(Debug, Clone, Copy)]
pub struct I18n {
    /// The locale every string renders in.
    pub locale: RwSignal<Locale>,
}

impl I18n {
    /// The message `id` in the current locale (reactive).
    pub fn t(&self, id: &str) -> String {
        translator(self.locale.get()).t(id)
    }

    /// The message `id`, or `fallback` where the resource has no `id` (for ids built from data).
    pub fn t_or(&self, id: &str, fallback: &str) -> String {
        let translator = translator(self.locale.get());
        translator.t(if translator.has(id) { id } else { fallback })
    }

    /// The message `id` with arguments, in the current locale (reactive).
    pub fn t_with(&self, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        translator(self.locale.get()).t_with(id, args)
    }
}

/// The [`I18n`] provided by [`crate::app::App`].
pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

/// The system's preferred languages, most preferred first.
pub fn system_languages() -> Vec<String> {
    let Some(window) = web_sys::window() else {
        return Vec::new();
    };
    window.navigator().languages().iter().filter_map(|tag| tag.as_string()).collect()
}

/// A timestamp in the reader's locale: the time alone if it is today, else date and time.
pub fn format_timestamp(ms: i64, locale: Locale) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    let today = js_sys::Date::new_0();
    let same_day = date.to_date_string() == today.to_date_string();
    let options = js_sys::Object::new();
    let set = |key: &str, value: &str| {
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    };
    set("timeStyle", "short");
    if !same_day {
        set("dateStyle", "medium");
    }
    date.to_locale_string(locale.tag(), &options).into()
}

/// A calendar date in the reader's locale ("25 Nov 2026", "2026年11月25日").
pub fn format_date(ms: i64, locale: Locale) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
    date.to_locale_date_string(locale.tag(), &options).into()
}
