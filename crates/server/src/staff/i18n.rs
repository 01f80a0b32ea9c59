//! The dashboard's words: Fluent files embedded at build time (`crates/server/locales/<lang>/`),
//! one per language, looked up through [`Tr`]. Italian and English; each member chooses.
//! Domain labels that the caregiver's app shares (factor tags, need categories) come from
//! `convivio-core`, so staff read the same words the caregiver chose from.

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use chrono_tz::Europe::Rome;
use convivio_core::Lang;
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{Loader, static_loader};
use unic_langid::{LanguageIdentifier, langid};

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // No Unicode isolation marks around arguments: the pages are one direction, and the
        // marks would end up in copied text and in tests' expectations.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static IT: LanguageIdentifier = langid!("it");
static EN: LanguageIdentifier = langid!("en");

/// The dashboard's languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UiLang {
    It,
    En,
}

impl UiLang {
    pub const ALL: [UiLang; 2] = [UiLang::It, UiLang::En];

    pub fn code(self) -> &'static str {
        match self {
            UiLang::It => "it",
            UiLang::En => "en",
        }
    }

    /// A stored or requested code; Italian (the agencies' language) when unknown.
    pub fn from_code(code: &str) -> UiLang {
        if code.eq_ignore_ascii_case("en") { UiLang::En } else { UiLang::It }
    }

    /// The first of ours in an `Accept-Language` header, for visitors not signed in.
    pub fn from_accept(header: Option<&str>) -> UiLang {
        header
            .into_iter()
            .flat_map(|h| h.split(','))
            .map(|tag| tag.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
            .find_map(|tag| match tag.get(..2) {
                Some("it") => Some(UiLang::It),
                Some("en") => Some(UiLang::En),
                _ => None,
            })
            .unwrap_or(UiLang::It)
    }

    pub fn domain(self) -> Lang {
        match self {
            UiLang::It => Lang::It,
            UiLang::En => Lang::En,
        }
    }

    fn id(self) -> &'static LanguageIdentifier {
        match self {
            UiLang::It => &IT,
            UiLang::En => &EN,
        }
    }
}

/// Words in one language, for a page.
#[derive(Debug, Clone, Copy)]
pub struct Tr {
    pub lang: UiLang,
}

impl Tr {
    pub fn new(lang: UiLang) -> Tr {
        Tr { lang }
    }

    /// The text of `key`.
    pub fn t(&self, key: &str) -> String {
        LOCALES.lookup(self.lang.id(), key)
    }

    /// The text of `key` with named arguments.
    pub fn with(&self, key: &str, args: &[(&str, &str)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue<'_>> = args
            .iter()
            .map(|(k, v)| (Cow::Owned((*k).to_owned()), FluentValue::from((*v).to_owned())))
            .collect();
        LOCALES.lookup_with_args(self.lang.id(), key, &args)
    }

    /// The text of `key` with one argument.
    pub fn t1(&self, key: &str, name: &str, value: impl ToString) -> String {
        self.with(key, &[(name, &value.to_string())])
    }

    /// The text of `key` with two arguments.
    pub fn t2(&self, key: &str, a: (&str, &str), b: (&str, &str)) -> String {
        self.with(key, &[a, b])
    }

    /// The text of `key` with a count, for plurals.
    pub fn count(&self, key: &str, count: usize) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue<'_>> =
            HashMap::from([(Cow::Borrowed("count"), FluentValue::from(count as f64))]);
        LOCALES.lookup_with_args(self.lang.id(), key, &args)
    }

    /// A time as staff read it: the agency's local time (Europe/Rome covers Italy and
    /// Switzerland), day first.
    pub fn time(&self, t: DateTime<Utc>) -> String {
        t.with_timezone(&Rome).format("%d/%m/%Y %H:%M").to_string()
    }

    /// A date without the time.
    pub fn date(&self, t: DateTime<Utc>) -> String {
        t.with_timezone(&Rome).format("%d/%m/%Y").to_string()
    }

    /// The label of a coded value (`status-not_met`, `kind-need`, ...).
    pub fn code(&self, prefix: &str, code: &str) -> String {
        self.t(&format!("{prefix}-{code}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(ftl: &str) -> Vec<&str> {
        ftl.lines()
            .filter(|l| !l.starts_with(['#', ' ']) && l.contains(" ="))
            .filter_map(|l| l.split(" =").next())
            .collect()
    }

    #[test]
    fn italian_and_english_have_the_same_keys() {
        let en = keys(include_str!("../../locales/en/staff.ftl"));
        let it = keys(include_str!("../../locales/it/staff.ftl"));
        assert!(en.len() > 50, "{}", en.len());
        let missing_it: Vec<_> = en.iter().filter(|k| !it.contains(k)).collect();
        let missing_en: Vec<_> = it.iter().filter(|k| !en.contains(k)).collect();
        assert!(
            missing_it.is_empty() && missing_en.is_empty(),
            "it lacks {missing_it:?}, en lacks {missing_en:?}"
        );
    }

    #[test]
    fn every_key_resolves_in_both_languages_with_arguments_filled_in() {
        for key in keys(include_str!("../../locales/en/staff.ftl")) {
            for lang in UiLang::ALL {
                let args = [
                    ("name", "Anna"),
                    ("time", "10:00"),
                    ("status", "x"),
                    ("kind", "y"),
                    ("n", "3"),
                    ("what", "z"),
                    ("count", "2"),
                    ("days", "4"),
                    ("about", "a"),
                    ("from", "4"),
                    ("to", "2"),
                    ("factor", "f"),
                    ("times", "3"),
                    ("min", "12"),
                ];
                let text = Tr::new(lang).with(key, &args);
                assert!(
                    !text.is_empty() && !text.contains("Unknown localization"),
                    "{key} in {lang:?}: {text}"
                );
            }
        }
        assert_eq!(Tr::new(UiLang::It).count("marked-read", 3), "3 voci segnate come lette.");
        assert_eq!(Tr::new(UiLang::En).count("marked-read", 1), "One entry marked as read.");
    }

    #[test]
    fn visitors_get_the_first_language_we_speak() {
        assert_eq!(UiLang::from_accept(Some("de-CH, en;q=0.8, it;q=0.5")), UiLang::En);
        assert_eq!(UiLang::from_accept(Some("fr")), UiLang::It);
        assert_eq!(UiLang::from_accept(None), UiLang::It);
    }
}
