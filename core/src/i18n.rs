//! Locales and translations. Hearth ships zh-CN (the first market) and English, both complete.
//!
//! UI strings live in Fluent files under `assets/i18n/`, compiled into this crate so the UI, the
//! shell (notifications) and tests share one source. Authored content (challenge titles, ...)
//! carries its own [`LocalizedText`].

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use serde::{Deserialize, Serialize};
use unic_langid::{LanguageIdentifier, langid};

use crate::{Error, Result};

/// A locale Hearth ships.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Locale {
    /// Simplified Chinese, mainland China: the first market and the default.
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    /// English.
    #[serde(rename = "en")]
    En,
}

impl Locale {
    /// Every shipped locale.
    pub const ALL: [Locale; 2] = [Locale::ZhCn, Locale::En];

    /// The BCP 47 tag, as used on the wire, in storage and in `<html lang>`.
    pub fn tag(self) -> &'static str {
        self.pick("en", "zh-CN")
    }

    /// The locale's own name for itself, for the language switch.
    pub fn native_name(self) -> &'static str {
        self.pick("English", "简体中文")
    }

    /// Picks the English or the Chinese of two values.
    pub fn pick<T>(self, en: T, zh_cn: T) -> T {
        match self {
            Locale::En => en,
            Locale::ZhCn => zh_cn,
        }
    }

    /// A calendar date as this locale writes it in a sentence ("28 November", "11月28日").
    pub fn date(self, date: jiff::civil::Date) -> String {
        date.strftime(self.pick("%-d %B", "%-m月%-d日")).to_string()
    }

    /// Parses a stored tag exactly (`en` or `zh-CN`).
    pub fn from_tag(tag: &str) -> Result<Self> {
        match tag {
            "en" => Ok(Locale::En),
            "zh-CN" => Ok(Locale::ZhCn),
            other => Err(Error::UnsupportedLocale(other.to_owned())),
        }
    }

    /// The best shipped locale for a system's preferred languages (as `navigator.languages`
    /// gives them), falling back to zh-CN: any Chinese maps to zh-CN, any English to `en`.
    pub fn negotiate<'a>(preferred: impl IntoIterator<Item = &'a str>) -> Self {
        preferred
            .into_iter()
            .find_map(|tag| {
                let lang: LanguageIdentifier = tag.parse().ok()?;
                match lang.language.as_str() {
                    "zh" => Some(Locale::ZhCn),
                    "en" => Some(Locale::En),
                    _ => None,
                }
            })
            .unwrap_or_default()
    }

    fn langid(self) -> LanguageIdentifier {
        self.pick(langid!("en"), langid!("zh-CN"))
    }

    fn resource(self) -> &'static str {
        self.pick(include_str!("../../assets/i18n/en.ftl"), include_str!("../../assets/i18n/zh-CN.ftl"))
    }
}

/// Authored text in every shipped locale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LocalizedText {
    /// English.
    pub en: String,
    /// Simplified Chinese.
    #[serde(rename = "zh-CN")]
    pub zh_cn: String,
}

impl LocalizedText {
    /// Text from its English and Chinese.
    pub fn new(en: &str, zh_cn: &str) -> Self {
        Self { en: en.to_owned(), zh_cn: zh_cn.to_owned() }
    }

    /// The text in `locale`.
    pub fn get(&self, locale: Locale) -> &str {
        locale.pick(&self.en, &self.zh_cn)
    }
}

/// The UI strings of one locale.
pub struct Translator {
    locale: Locale,
    bundle: FluentBundle<FluentResource>,
}

impl std::fmt::Debug for Translator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Translator").field("locale", &self.locale).finish_non_exhaustive()
    }
}

impl Translator {
    /// The translator for `locale`. Never fails: a broken message shows its id instead (and
    /// [`Translator::check`], run by the tests, keeps the shipped files free of broken messages).
    pub fn new(locale: Locale) -> Self {
        let (resource, _errors) = match FluentResource::try_new(locale.resource().to_owned()) {
            Ok(resource) => (resource, Vec::new()),
            Err((partial, errors)) => (partial, errors),
        };
        let mut bundle = FluentBundle::new_concurrent(vec![locale.langid()]);
        // Hearth ships no right-to-left locale; isolation marks would only leak invisible
        // characters into labels and test assertions.
        bundle.set_use_isolating(false);
        // Cannot fail: a single resource has no duplicate ids with itself... unless the file
        // defines one id twice, which `check` reports.
        let _ = bundle.add_resource(resource);
        Self { locale, bundle }
    }

    /// The locale this translator speaks.
    pub fn locale(&self) -> Locale {
        self.locale
    }

    /// Whether the resource defines the message `id`.
    pub fn has(&self, id: &str) -> bool {
        self.bundle.has_message(id)
    }

    /// The message `id`, or `id` itself if the message is missing.
    pub fn t(&self, id: &str) -> String {
        self.format(id, None)
    }

    /// The message `id` with named arguments.
    pub fn t_with(&self, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, value.clone());
        }
        self.format(id, Some(&fluent_args))
    }

    fn format(&self, id: &str, args: Option<&FluentArgs<'_>>) -> String {
        let Some(pattern) = self.bundle.get_message(id).and_then(|m| m.value()) else {
            return id.to_owned();
        };
        let mut errors = Vec::new();
        self.bundle.format_pattern(pattern, args, &mut errors).into_owned()
    }

    /// The ids of every message in `locale`'s resource, sorted.
    pub fn message_ids(locale: Locale) -> Result<Vec<String>> {
        let resource = FluentResource::try_new(locale.resource().to_owned()).map_err(|(_, e)| {
            Error::Translation { locale: locale.tag(), reason: format!("syntax errors: {e:?}") }
        })?;
        let mut ids: Vec<String> = resource
            .entries()
            .filter_map(|entry| match entry {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
                _ => None,
            })
            .collect();
        ids.sort();
        Ok(ids)
    }

    /// Checks that `locale`'s resource parses, has no duplicate ids and that every message
    /// has a value.
    pub fn check(locale: Locale) -> Result<()> {
        let ids = Self::message_ids(locale)?;
        if let Some(dup) = ids.windows(2).find(|w| w[0] == w[1]) {
            return Err(Error::Translation {
                locale: locale.tag(),
                reason: format!("message `{}` is defined twice", dup[0]),
            });
        }
        let translator = Self::new(locale);
        for id in &ids {
            if translator.bundle.get_message(id).and_then(|m| m.value()).is_none() {
                return Err(Error::Translation {
                    locale: locale.tag(),
                    reason: format!("message `{id}` has no value"),
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_naturally_in_each_language() {
        let date = jiff::civil::date(2026, 11, 8);
        assert_eq!(Locale::En.date(date), "8 November");
        assert_eq!(Locale::ZhCn.date(date), "11月8日");
    }

    #[test]
    fn every_shipped_resource_is_well_formed() {
        for locale in Locale::ALL {
            Translator::check(locale).expect("translation resource is well formed");
        }
    }

    #[test]
    fn english_and_chinese_define_the_same_messages() {
        let en = Translator::message_ids(Locale::En).expect("en parses");
        let zh = Translator::message_ids(Locale::ZhCn).expect("zh-CN parses");
        let only_en: Vec<_> = en.iter().filter(|id| !zh.contains(id)).collect();
        let only_zh: Vec<_> = zh.iter().filter(|id| !en.contains(id)).collect();
        assert!(only_en.is_empty() && only_zh.is_empty(), "only en: {only_en:?}, only zh-CN: {only_zh:?}");
        assert!(en.len() >= 10, "suspiciously few messages: {en:?}");
    }

    #[test]
    fn messages_format_with_arguments_and_without_isolation_marks() {
        let en = Translator::new(Locale::En);
        let text = en.t_with("points", &[("points", 30.into())]);
        assert_eq!(text, "30 points");
        let zh = Translator::new(Locale::ZhCn);
        assert_eq!(zh.t_with("points", &[("points", 30.into())]), "30 积分");
    }

    #[test]
    fn a_missing_message_shows_its_id() {
        assert_eq!(Translator::new(Locale::En).t("no-such-message"), "no-such-message");
    }

    #[test]
    fn system_languages_negotiate_to_a_shipped_locale() {
        assert_eq!(Locale::negotiate(["en-GB", "zh-CN"]), Locale::En);
        assert_eq!(Locale::negotiate(["zh-Hant-TW"]), Locale::ZhCn);
        assert_eq!(Locale::negotiate(["fr-FR", "en-US"]), Locale::En);
        assert_eq!(Locale::negotiate(["fr-FR", "not a tag"]), Locale::ZhCn);
        assert_eq!(Locale::negotiate([]), Locale::ZhCn);
    }

    #[test]
    fn stored_tags_round_trip() {
        for locale in Locale::ALL {
            assert_eq!(Locale::from_tag(locale.tag()), Ok(locale));
            let json = serde_json::to_string(&locale).expect("serialises");
            assert_eq!(json, format!("\"{}\"", locale.tag()));
        }
        assert!(Locale::from_tag("zh").is_err());
    }
}
