//! The caregiver's profile: quasi-identifiers kept only in banded form, so that even the raw
//! record says "65-79, spouse, 20-34 hours a week" and never a birth date.

use serde::{Deserialize, Serialize};

use crate::code::coded;
use crate::text::ShortText;
use crate::{Hlc, Invalid, Owner, RecordId};

coded!(
    /// The caregiver's age band.
    AgeBand { Under35 => "18-34", From35 => "35-49", From50 => "50-64", From65 => "65-79", From80 => "80+" }
);
coded!(
    /// The cared-for person's age band.
    CaredAgeBand { Under65 => "under_65", From65 => "65-74", From75 => "75-84", From85 => "85-94", From95 => "95+" }
);
coded!(
    Sex { Female => "female", Male => "male", Other => "other", Undisclosed => "undisclosed" }
);
coded!(
    /// The caregiver's relation to the cared-for person.
    Relation {
        SpousePartner => "spouse_partner",
        Child => "child",
        ChildInLaw => "child_in_law",
        Sibling => "sibling",
        OtherRelative => "other_relative",
        FriendNeighbour => "friend_neighbour",
        Other => "other",
    }
);
coded!(
    /// The cared-for person's main conditions.
    Condition {
        Dementia => "dementia",
        Frailty => "frailty",
        Stroke => "stroke",
        Heart => "heart",
        Cancer => "cancer",
        Mobility => "mobility",
        MentalHealth => "mental_health",
        Diabetes => "diabetes",
        Other => "other",
    }
);
coded!(
    /// Hours of care given per week.
    CareHours { Under10 => "0-9", From10 => "10-19", From20 => "20-34", From35 => "35-69", From70 => "70+" }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Profile {
    pub id: RecordId,
    pub version: Hlc,
    pub owner: Owner,
    #[serde(flatten)]
    pub fields: ProfileFields,
}

/// Every field is optional: a caregiver shares what they choose.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProfileFields {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_band: Option<AgeBand>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sex: Option<Sex>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub municipality: Option<ShortText>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relation: Option<Relation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cared_age_band: Option<CaredAgeBand>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cared_conditions: Vec<Condition>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub care_hours: Option<CareHours>,
}

/// Raw profile fields from an edge.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileInput {
    pub age_band: Option<String>,
    pub sex: Option<String>,
    pub municipality: Option<String>,
    pub relation: Option<String>,
    pub cared_age_band: Option<String>,
    #[serde(default)]
    pub cared_conditions: Vec<String>,
    pub care_hours: Option<String>,
}

impl From<&ProfileFields> for ProfileInput {
    /// The fields as codes again: what a form shows before the caregiver changes one of them.
    fn from(fields: &ProfileFields) -> Self {
        ProfileInput {
            age_band: fields.age_band.map(|b| b.code().to_owned()),
            sex: fields.sex.map(|s| s.code().to_owned()),
            municipality: fields.municipality.as_ref().map(|m| m.as_str().to_owned()),
            relation: fields.relation.map(|r| r.code().to_owned()),
            cared_age_band: fields.cared_age_band.map(|b| b.code().to_owned()),
            cared_conditions: fields.cared_conditions.iter().map(|c| c.code().to_owned()).collect(),
            care_hours: fields.care_hours.map(|h| h.code().to_owned()),
        }
    }
}

fn optional<T>(
    raw: &Option<String>,
    parse: impl Fn(&str) -> Result<T, Invalid>,
) -> Result<Option<T>, Invalid> {
    match raw.as_deref().map(str::trim) {
        Some(s) if !s.is_empty() => parse(s).map(Some),
        _ => Ok(None),
    }
}

impl ProfileInput {
    pub fn parse(&self) -> Result<ProfileFields, Invalid> {
        let mut cared_conditions = self
            .cared_conditions
            .iter()
            .map(|c| Condition::parse("cared_conditions", c))
            .collect::<Result<Vec<_>, _>>()?;
        cared_conditions.sort();
        cared_conditions.dedup();
        Ok(ProfileFields {
            age_band: optional(&self.age_band, |s| AgeBand::parse("age_band", s))?,
            sex: optional(&self.sex, |s| Sex::parse("sex", s))?,
            municipality: optional(&self.municipality, |s| ShortText::parse("municipality", s))?,
            relation: optional(&self.relation, |s| Relation::parse("relation", s))?,
            cared_age_band: optional(&self.cared_age_band, |s| CaredAgeBand::parse("cared_age_band", s))?,
            cared_conditions,
            care_hours: optional(&self.care_hours, |s| CareHours::parse("care_hours", s))?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_parse_by_code_and_refuse_exact_values() {
        let input = ProfileInput {
            age_band: Some("65-79".into()),
            care_hours: Some("35-69".into()),
            ..Default::default()
        };
        let fields = input.parse().unwrap();
        assert_eq!(fields.age_band, Some(AgeBand::From65));
        let bad = ProfileInput { age_band: Some("67".into()), ..Default::default() };
        let err = bad.parse().unwrap_err();
        assert_eq!(err.field, "age_band");
        assert!(err.rule.contains("18-34"));
    }

    #[test]
    fn fields_read_back_as_codes_parse_to_the_same_fields() {
        let input = ProfileInput {
            age_band: Some("80+".into()),
            sex: Some("female".into()),
            municipality: Some("Sondrio".into()),
            relation: Some("child_in_law".into()),
            cared_age_band: Some("85-94".into()),
            cared_conditions: vec!["stroke".into(), "dementia".into()],
            care_hours: Some("70+".into()),
        };
        let fields = input.parse().unwrap();
        let again = ProfileInput::from(&fields);
        assert_eq!(again.cared_conditions, ["dementia", "stroke"], "sorted as stored");
        assert_eq!(again.parse().unwrap(), fields);
        assert_eq!(ProfileInput::from(&ProfileFields::default()).parse().unwrap(), ProfileFields::default());
    }
}
