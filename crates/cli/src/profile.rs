//! `convivio profile` and `convivio consent`: the caregiver's banded profile and research
//! consent, as the app's settings set them (`Diary::set_profile`, `Diary::give_consent`,
//! `Diary::revoke_consent`). This parses flags and prints.

use std::io::Write;

use chrono::{DateTime, Local, Utc};
use clap::Subcommand;
use convivio_core::consent::Consent;
use convivio_core::profile::ProfileInput;
use convivio_diary::Diary;

#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    /// Change the fields given; the others keep their value. An empty value ("") clears a
    /// field. Every field is optional and banded: no birth date, no exact hours.
    Set(SetArgs),
    /// Print the profile (JSON with --json).
    Show {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, clap::Args)]
pub struct SetArgs {
    /// Your age band: 18-34, 35-49, 50-64, 65-79, 80+.
    #[arg(long)]
    age_band: Option<String>,
    /// female, male, other, undisclosed.
    #[arg(long)]
    sex: Option<String>,
    /// The municipality you live in.
    #[arg(long)]
    municipality: Option<String>,
    /// Your relation to the person you care for: spouse_partner, child, child_in_law, sibling,
    /// other_relative, friend_neighbour, other.
    #[arg(long)]
    relation: Option<String>,
    /// The cared-for person's age band: under_65, 65-74, 75-84, 85-94, 95+.
    #[arg(long)]
    cared_age_band: Option<String>,
    /// One of the cared-for person's main conditions; repeat for several, "" for none. Given at
    /// all, the list replaces the one kept.
    #[arg(long = "cared-condition")]
    cared_conditions: Vec<String>,
    /// Hours of care a week: 0-9, 10-19, 20-34, 35-69, 70+.
    #[arg(long)]
    care_hours: Option<String>,
}

impl SetArgs {
    /// The profile kept, with the fields given here changed.
    fn apply(&self, mut input: ProfileInput) -> ProfileInput {
        let fields = [
            (&self.age_band, &mut input.age_band),
            (&self.sex, &mut input.sex),
            (&self.municipality, &mut input.municipality),
            (&self.relation, &mut input.relation),
            (&self.cared_age_band, &mut input.cared_age_band),
            (&self.care_hours, &mut input.care_hours),
        ];
        for (given, kept) in fields {
            if let Some(value) = given {
                *kept = Some(value.clone());
            }
        }
        if !self.cared_conditions.is_empty() {
            input.cared_conditions =
                self.cared_conditions.iter().filter(|c| !c.trim().is_empty()).cloned().collect();
        }
        input
    }
}

pub fn profile(diary: &mut Diary, command: &ProfileCommand) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match command {
        ProfileCommand::Set(args) => {
            let kept = diary.profile()?.map(|p| ProfileInput::from(&p.fields)).unwrap_or_default();
            let profile = diary.set_profile(&args.apply(kept))?;
            print_fields(&mut out, &ProfileInput::from(&profile.fields))?;
        }
        ProfileCommand::Show { json } => {
            let input = diary.profile()?.map(|p| ProfileInput::from(&p.fields)).unwrap_or_default();
            if *json {
                serde_json::to_writer(&mut out, &input)?;
                writeln!(out)?;
            } else {
                print_fields(&mut out, &input)?;
            }
        }
    }
    Ok(())
}

/// One line per field, "-" for one not given.
fn print_fields(out: &mut impl Write, p: &ProfileInput) -> anyhow::Result<()> {
    let conditions = p.cared_conditions.join(", ");
    let lines = [
        ("age band", p.age_band.as_deref()),
        ("sex", p.sex.as_deref()),
        ("municipality", p.municipality.as_deref()),
        ("relation", p.relation.as_deref()),
        ("cared-for age band", p.cared_age_band.as_deref()),
        ("cared-for conditions", Some(conditions.as_str()).filter(|c| !c.is_empty())),
        ("care hours a week", p.care_hours.as_deref()),
    ];
    for (name, value) in lines {
        writeln!(out, "{name:<21} {}", value.unwrap_or("-"))?;
    }
    Ok(())
}

#[derive(Debug, Subcommand)]
pub enum ConsentCommand {
    /// Agree to research use of the entries you share for research, under version V of the
    /// consent text.
    Give {
        /// The version of the consent text you read, such as 2026-1.
        #[arg(long = "version", value_name = "V")]
        text_version: String,
    },
    /// Withdraw your research consent: no later export includes you.
    Revoke,
    /// Every consent given or withdrawn, oldest first (JSON Lines with --json).
    Show {
        #[arg(long)]
        json: bool,
    },
}

pub fn consent(diary: &mut Diary, command: &ConsentCommand) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match command {
        ConsentCommand::Give { text_version } => {
            let consent = diary.give_consent(text_version)?;
            writeln!(out, "consent given for version {} ({})", consent.text_version.as_str(), consent.id)?;
        }
        ConsentCommand::Revoke => {
            let consent = diary.revoke_consent()?;
            writeln!(out, "consent for version {} withdrawn", consent.text_version.as_str())?;
        }
        ConsentCommand::Show { json } => {
            for consent in diary.consents()? {
                if *json {
                    serde_json::to_writer(&mut out, &consent)?;
                    writeln!(out)?;
                } else {
                    writeln!(out, "{}", consent_line(&consent))?;
                }
            }
        }
    }
    Ok(())
}

/// "version 2026-1  given 2026-12-04 10:14  current", in this computer's time zone.
fn consent_line(c: &Consent) -> String {
    let at = |t: DateTime<Utc>| t.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string();
    let state = c.revoked_at.map_or_else(|| "current".to_owned(), |r| format!("withdrawn {}", at(r)));
    format!("version {}  given {}  {state}", c.text_version.as_str(), at(c.given_at))
}
