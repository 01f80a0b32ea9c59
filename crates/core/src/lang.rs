//! The languages Convivio speaks. Labels that belong to the domain (factor names, need
//! categories) live beside their codes in this crate, so every edge shows the same words.

use serde::{Deserialize, Serialize};

/// A supported language: Italian and English everywhere, German and French in the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    It,
    En,
    De,
    Fr,
}

impl Lang {
    pub const ALL: [Lang; 4] = [Lang::It, Lang::En, Lang::De, Lang::Fr];

    /// Picks a language from a tag such as `it-CH` or `fr`; English when unknown.
    pub fn from_tag(tag: &str) -> Lang {
        match tag.get(..2).map(str::to_ascii_lowercase).as_deref() {
            Some("it") => Lang::It,
            Some("de") => Lang::De,
            Some("fr") => Lang::Fr,
            _ => Lang::En,
        }
    }
}

/// A label in every language, written once as a table row.
#[derive(Debug, Clone, Copy)]
pub struct Labels {
    pub it: &'static str,
    pub en: &'static str,
    pub de: &'static str,
    pub fr: &'static str,
}

impl Labels {
    pub fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::It => self.it,
            Lang::En => self.en,
            Lang::De => self.de,
            Lang::Fr => self.fr,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_pick_the_language_and_fall_back_to_english() {
        assert_eq!(Lang::from_tag("it-CH"), Lang::It);
        assert_eq!(Lang::from_tag("DE"), Lang::De);
        assert_eq!(Lang::from_tag("fr_FR"), Lang::Fr);
        assert_eq!(Lang::from_tag("pt"), Lang::En);
        assert_eq!(Lang::from_tag(""), Lang::En);
    }
}
