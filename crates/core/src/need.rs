//! Needs: what a caregiver asks the agency for, and how far the agency has got with it.

use serde::{Deserialize, Serialize};

use crate::code::coded;
use crate::lang::{Labels, Lang};
use crate::text::LongText;

coded!(
    /// What kind of help is needed.
    NeedCategory {
        Respite => "respite",
        Information => "information",
        Transport => "transport",
        PersonalCare => "personal_care",
        Health => "health",
        EmotionalSupport => "emotional_support",
        PaperworkMoney => "paperwork_money",
        Equipment => "equipment",
        Other => "other",
    }
);

impl NeedCategory {
    pub fn label(self, lang: Lang) -> &'static str {
        let l = match self {
            NeedCategory::Respite => Labels { it: "Sollievo", en: "Respite", de: "Entlastung", fr: "Répit" },
            NeedCategory::Information => {
                Labels { it: "Informazioni", en: "Information", de: "Information", fr: "Information" }
            }
            NeedCategory::Transport => {
                Labels { it: "Trasporto", en: "Transport", de: "Fahrdienst", fr: "Transport" }
            }
            NeedCategory::PersonalCare => Labels {
                it: "Cura della persona",
                en: "Personal care",
                de: "Körperpflege",
                fr: "Soins personnels",
            },
            NeedCategory::Health => Labels { it: "Salute", en: "Health", de: "Gesundheit", fr: "Santé" },
            NeedCategory::EmotionalSupport => Labels {
                it: "Sostegno emotivo",
                en: "Emotional support",
                de: "Seelische Unterstützung",
                fr: "Soutien émotionnel",
            },
            NeedCategory::PaperworkMoney => Labels {
                it: "Pratiche e denaro",
                en: "Paperwork and money",
                de: "Formulare und Geld",
                fr: "Démarches et argent",
            },
            NeedCategory::Equipment => {
                Labels { it: "Ausili", en: "Equipment", de: "Hilfsmittel", fr: "Matériel" }
            }
            NeedCategory::Other => Labels { it: "Altro", en: "Other", de: "Anderes", fr: "Autre" },
        };
        l.get(lang)
    }
}

coded!(
    /// How soon help is needed.
    Urgency {
        Low => "low",
        Medium => "medium",
        High => "high",
    }
);

coded!(
    /// Where the agency stands with a need. Set by staff, never by the caregiver.
    NeedStatus {
        Open => "open",
        Acknowledged => "acknowledged",
        InProgress => "in_progress",
        Met => "met",
        NotMet => "not_met",
    }
);

impl NeedStatus {
    /// Whether the need is finished with, one way or the other.
    pub fn is_final(self) -> bool {
        matches!(self, NeedStatus::Met | NeedStatus::NotMet)
    }

    /// The moves staff may make: forward through the steps, straight to a final state, or
    /// reopening a closed need (it came back). Standing still is not a change.
    pub fn can_move_to(self, next: NeedStatus) -> bool {
        use NeedStatus::*;
        match (self, next) {
            (a, b) if a == b => false,
            (Met | NotMet, Open) => true,
            (Met | NotMet, _) => false,
            (_, Open) => false,
            (InProgress, Acknowledged) => false,
            _ => true,
        }
    }
}

/// The caregiver's part of a need entry. Its status lives in need status change records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Need {
    pub category: NeedCategory,
    pub urgency: Urgency,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<LongText>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_category_is_refused() {
        let err = NeedCategory::parse("category", " ").unwrap_err();
        assert_eq!(err.field, "category");
        assert_eq!(err.rule, "must not be empty");
    }

    #[test]
    fn an_unknown_category_lists_the_choices() {
        let err = NeedCategory::parse("category", "holiday").unwrap_err();
        assert!(err.rule.starts_with("must be one of respite, information"), "{}", err.rule);
    }

    #[test]
    fn categories_have_labels_in_every_language() {
        for c in NeedCategory::ALL {
            for lang in Lang::ALL {
                assert!(!c.label(lang).is_empty());
            }
        }
    }

    #[test]
    fn statuses_move_forward_or_reopen() {
        use NeedStatus::*;
        assert!(Open.can_move_to(Acknowledged));
        assert!(Open.can_move_to(NotMet));
        assert!(Acknowledged.can_move_to(InProgress));
        assert!(InProgress.can_move_to(Met));
        assert!(Met.can_move_to(Open));
        assert!(!Met.can_move_to(InProgress));
        assert!(!InProgress.can_move_to(Acknowledged));
        assert!(!Open.can_move_to(Open));
    }
}
