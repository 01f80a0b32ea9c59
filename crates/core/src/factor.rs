//! Factor tags: what made a service experience go wrong or right.
//!
//! The "co-destruction" tags are Järvi et al.'s causes of value co-destruction, which the
//! Place4Carers study found in home care; the "co-creation" tags are their positive
//! counterparts, so a caregiver can say what worked as easily as what failed. Codes are stable
//! (they are stored, synced and exported); labels are the plain words a caregiver sees.

use serde::{Deserialize, Serialize};

use crate::Invalid;
use crate::lang::{Labels, Lang};

/// Which way a factor pulls the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Polarity {
    CoDestruction,
    CoCreation,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Factor {
    AbsenceOfInformation,
    InsufficientTrust,
    Mistake,
    InabilityToServe,
    InabilityToChange,
    AbsenceOfClearExpectations,
    Misbehaviour,
    Blaming,
    Listened,
    KeptPromises,
    OnTime,
    ExplainedClearly,
    Flexible,
    Convivial,
}

/// One row per factor: code, polarity and the caregiver's words in each language.
struct Row {
    factor: Factor,
    code: &'static str,
    polarity: Polarity,
    labels: Labels,
}

const fn row(factor: Factor, code: &'static str, polarity: Polarity, labels: Labels) -> Row {
    Row { factor, code, polarity, labels }
}

use Polarity::{CoCreation, CoDestruction};

const TABLE: [Row; 14] = [
    row(
        Factor::AbsenceOfInformation,
        "absence_of_information",
        CoDestruction,
        Labels {
            it: "Nessuno mi ha detto cosa sarebbe successo",
            en: "Nobody told me what would happen",
            de: "Niemand hat mir gesagt, was passieren würde",
            fr: "Personne ne m'a dit ce qui allait se passer",
        },
    ),
    row(
        Factor::InsufficientTrust,
        "insufficient_trust",
        CoDestruction,
        Labels {
            it: "Non mi fido abbastanza di loro",
            en: "I do not trust them enough",
            de: "Ich vertraue ihnen nicht genug",
            fr: "Je ne leur fais pas assez confiance",
        },
    ),
    row(
        Factor::Mistake,
        "mistake",
        CoDestruction,
        Labels {
            it: "Hanno commesso un errore",
            en: "They made a mistake",
            de: "Es ist ein Fehler passiert",
            fr: "Ils ont fait une erreur",
        },
    ),
    row(
        Factor::InabilityToServe,
        "inability_to_serve",
        CoDestruction,
        Labels {
            it: "Non hanno potuto aiutarmi con ciò di cui avevo bisogno",
            en: "They could not help with what I needed",
            de: "Sie konnten mir bei meinem Anliegen nicht helfen",
            fr: "Ils n'ont pas pu m'aider pour ce dont j'avais besoin",
        },
    ),
    row(
        Factor::InabilityToChange,
        "inability_to_change",
        CoDestruction,
        Labels {
            it: "Non è stato possibile cambiare il modo di fare",
            en: "Things could not be changed to fit us",
            de: "Es ließ sich nichts an unsere Lage anpassen",
            fr: "Rien n'a pu être adapté à notre situation",
        },
    ),
    row(
        Factor::AbsenceOfClearExpectations,
        "absence_of_clear_expectations",
        CoDestruction,
        Labels {
            it: "Non era chiaro cosa aspettarsi",
            en: "It was not clear what to expect",
            de: "Es war unklar, was man erwarten konnte",
            fr: "On ne savait pas à quoi s'attendre",
        },
    ),
    row(
        Factor::Misbehaviour,
        "misbehaviour",
        CoDestruction,
        Labels {
            it: "Qualcuno si è comportato male",
            en: "Someone behaved badly",
            de: "Jemand hat sich schlecht verhalten",
            fr: "Quelqu'un s'est mal comporté",
        },
    ),
    row(
        Factor::Blaming,
        "blaming",
        CoDestruction,
        Labels {
            it: "Mi hanno dato la colpa",
            en: "I was blamed",
            de: "Man hat mir die Schuld gegeben",
            fr: "On m'a rejeté la faute",
        },
    ),
    row(
        Factor::Listened,
        "listened",
        CoCreation,
        Labels {
            it: "Mi hanno ascoltato",
            en: "They listened to me",
            de: "Man hat mir zugehört",
            fr: "On m'a écouté",
        },
    ),
    row(
        Factor::KeptPromises,
        "kept_promises",
        CoCreation,
        Labels {
            it: "Hanno mantenuto le promesse",
            en: "They kept their promises",
            de: "Zusagen wurden eingehalten",
            fr: "Ils ont tenu leurs promesses",
        },
    ),
    row(
        Factor::OnTime,
        "on_time",
        CoCreation,
        Labels {
            it: "Sono arrivati puntuali",
            en: "They came on time",
            de: "Sie kamen pünktlich",
            fr: "Ils sont arrivés à l'heure",
        },
    ),
    row(
        Factor::ExplainedClearly,
        "explained_clearly",
        CoCreation,
        Labels {
            it: "Hanno spiegato con chiarezza",
            en: "They explained things clearly",
            de: "Sie haben alles klar erklärt",
            fr: "Ils ont expliqué clairement",
        },
    ),
    row(
        Factor::Flexible,
        "flexible",
        CoCreation,
        Labels {
            it: "Sono stati flessibili",
            en: "They were flexible",
            de: "Sie waren flexibel",
            fr: "Ils ont été souples",
        },
    ),
    row(
        Factor::Convivial,
        "convivial",
        CoCreation,
        Labels {
            it: "Era un rapporto cordiale e umano",
            en: "It felt warm and human",
            de: "Es war herzlich und menschlich",
            fr: "C'était chaleureux et humain",
        },
    ),
];

impl Factor {
    pub const ALL: [Factor; 14] = {
        let mut all = [Factor::Mistake; 14];
        let mut i = 0;
        while i < TABLE.len() {
            all[i] = TABLE[i].factor;
            i += 1;
        }
        all
    };

    fn row(self) -> &'static Row {
        // The table lists the variants in declaration order; a test pins this.
        &TABLE[self as usize]
    }

    /// The stable code stored, synced and exported.
    pub fn code(self) -> &'static str {
        self.row().code
    }

    pub fn polarity(self) -> Polarity {
        self.row().polarity
    }

    /// The caregiver's words for this factor.
    pub fn label(self, lang: Lang) -> &'static str {
        self.row().labels.get(lang)
    }

    pub fn from_code(code: &str) -> Option<Factor> {
        TABLE.iter().find(|r| r.code == code).map(|r| r.factor)
    }

    /// Parses a list of codes: unknown codes are an error naming the code, repeats are dropped,
    /// and the result is sorted so equal sets compare equal.
    pub fn parse_list(field: &str, codes: &[String]) -> Result<Vec<Factor>, Invalid> {
        let mut out = Vec::with_capacity(codes.len());
        for code in codes {
            let code = code.trim();
            let factor = Factor::from_code(code).ok_or_else(|| {
                let known: Vec<&str> = TABLE.iter().map(|r| r.code).collect();
                Invalid::new(
                    field,
                    crate::Rule::UnknownChoice,
                    format!("unknown factor code '{code}'; known codes: {}", known.join(", ")),
                )
            })?;
            out.push(factor);
        }
        out.sort();
        out.dedup();
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_follows_declaration_order() {
        for (i, r) in TABLE.iter().enumerate() {
            assert_eq!(r.factor as usize, i, "{} is out of place", r.code);
        }
    }

    #[test]
    fn codes_match_their_serde_names() {
        for f in Factor::ALL {
            assert_eq!(serde_json::to_value(f).unwrap(), serde_json::json!(f.code()));
            assert_eq!(Factor::from_code(f.code()), Some(f));
        }
    }

    #[test]
    fn codes_are_frozen() {
        // Codes are stored on devices and in exports: renaming one is a data migration.
        let codes: Vec<&str> = Factor::ALL.iter().map(|f| f.code()).collect();
        assert_eq!(
            codes.join(","),
            "absence_of_information,insufficient_trust,mistake,inability_to_serve,inability_to_change,\
             absence_of_clear_expectations,misbehaviour,blaming,listened,kept_promises,on_time,\
             explained_clearly,flexible,convivial"
        );
    }

    #[test]
    fn every_factor_has_a_distinct_label_in_every_language() {
        for lang in Lang::ALL {
            let mut labels: Vec<&str> = Factor::ALL.iter().map(|f| f.label(lang)).collect();
            assert!(labels.iter().all(|l| !l.is_empty()));
            labels.sort();
            labels.dedup();
            assert_eq!(labels.len(), Factor::ALL.len(), "{lang:?} repeats a label");
        }
    }

    #[test]
    fn eight_factors_destroy_and_six_create() {
        let destroy = Factor::ALL.iter().filter(|f| f.polarity() == Polarity::CoDestruction).count();
        assert_eq!(destroy, 8);
    }

    #[test]
    fn an_unknown_code_names_the_field_and_the_code() {
        let err = Factor::parse_list("factors", &["listened".into(), "rude".into()]).unwrap_err();
        assert_eq!(err.field, "factors");
        assert!(err.rule.contains("'rude'"));
    }

    #[test]
    fn repeated_codes_collapse() {
        let list =
            Factor::parse_list("factors", &["mistake".into(), "listened".into(), "mistake".into()]).unwrap();
        assert_eq!(list, vec![Factor::Mistake, Factor::Listened]);
    }
}
