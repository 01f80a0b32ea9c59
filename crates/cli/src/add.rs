//! `convivio add <kind>`: one flag per entry field, turned into the same `EntryInput` the app sends.

use clap::{Args, Subcommand};
use convivio_core::entry::EntryInput;

/// Fields every kind has.
#[derive(Debug, Clone, Args)]
pub struct Common {
    /// Who may see it: private, agency or research.
    #[arg(long)]
    sharing: Option<String>,
    /// When it happened, e.g. 2026-11-28T10:00:00+01:00 (default: now).
    #[arg(long)]
    occurred_at: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum AddCommand {
    /// A free note about the day.
    Note {
        #[arg(long)]
        text: String,
        /// 1 (low) to 5 (good).
        #[arg(long)]
        mood: Option<i64>,
        /// 1 (light) to 5 (heavy).
        #[arg(long)]
        burden: Option<i64>,
        #[command(flatten)]
        common: Common,
    },
    /// Something you need from the agency.
    Need {
        /// respite, information, transport, personal_care, health, emotional_support, paperwork_money, equipment, other
        #[arg(long)]
        category: String,
        /// low, medium or high (default medium).
        #[arg(long)]
        urgency: Option<String>,
        #[arg(long)]
        text: Option<String>,
        #[command(flatten)]
        common: Common,
    },
    /// How a visit or service went.
    Experience {
        #[arg(long)]
        service: String,
        #[arg(long)]
        service_id: Option<String>,
        /// YYYY-MM-DD (default: the day it happened).
        #[arg(long)]
        visit_date: Option<String>,
        /// 1 to 5.
        #[arg(long)]
        rating: i64,
        #[arg(long)]
        went_well: Option<String>,
        #[arg(long)]
        went_badly: Option<String>,
        /// A factor code; repeat for several.
        #[arg(long = "factor")]
        factors: Vec<String>,
        #[command(flatten)]
        common: Common,
    },
    /// How much you trust someone.
    Trust {
        /// agency, service, professional or research_team.
        #[arg(long)]
        target: String,
        #[arg(long)]
        target_name: Option<String>,
        /// 1 to 5.
        #[arg(long)]
        score: i64,
        #[arg(long)]
        reason: Option<String>,
        /// A factor code; repeat for several.
        #[arg(long = "factor")]
        factors: Vec<String>,
        #[command(flatten)]
        common: Common,
    },
}

impl AddCommand {
    pub fn to_input(&self) -> EntryInput {
        let with = |kind: &str, common: &Common| EntryInput {
            kind: kind.to_owned(),
            sharing: common.sharing.clone(),
            occurred_at: common.occurred_at.clone(),
            ..Default::default()
        };
        match self {
            AddCommand::Note { text, mood, burden, common } => EntryInput {
                text: Some(text.clone()),
                mood: mood.map(Into::into),
                burden: burden.map(Into::into),
                ..with("note", common)
            },
            AddCommand::Need { category, urgency, text, common } => EntryInput {
                category: Some(category.clone()),
                urgency: urgency.clone(),
                text: text.clone(),
                ..with("need", common)
            },
            AddCommand::Experience {
                service,
                service_id,
                visit_date,
                rating,
                went_well,
                went_badly,
                factors,
                common,
            } => EntryInput {
                service: Some(service.clone()),
                service_id: service_id.clone(),
                visit_date: visit_date.clone(),
                rating: Some((*rating).into()),
                went_well: went_well.clone(),
                went_badly: went_badly.clone(),
                factors: factors.clone(),
                ..with("experience", common)
            },
            AddCommand::Trust { target, target_name, score, reason, factors, common } => EntryInput {
                target: Some(target.clone()),
                target_name: target_name.clone(),
                score: Some((*score).into()),
                reason: reason.clone(),
                factors: factors.clone(),
                ..with("trust", common)
            },
        }
    }
}
