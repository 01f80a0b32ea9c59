//! The agency's service catalogue: what a home-care agency in Ticino offers, in Italian, as its
//! staff would write it. One service was withdrawn two and a half months ago: it stays in the
//! catalogue (`active` false) so older experiences keep its name, and none are recorded after.

use chrono::{DateTime, Duration, Utc};
use convivio_core::catalogue::CatalogueItem;
use convivio_core::text::{LongText, ShortText};
use convivio_core::{Invalid, NodeId, Owner, Record, RecordId};
use rand::rngs::StdRng;

use super::clock::{record_id, version};

const SERVICES: [(&str, &str); 8] = [
    ("Assistenza domiciliare", "Aiuto a casa per l'igiene personale, i pasti e le piccole faccende."),
    (
        "Pasti a domicilio",
        "Un pasto caldo consegnato a casa ogni giorno, anche per diete senza sale o per diabetici.",
    ),
    (
        "Trasporto sociale",
        "Accompagnamento in auto a visite mediche, terapie e commissioni, con autisti volontari.",
    ),
    ("Telesoccorso", "Un pulsante d'allarme al polso, collegato giorno e notte con la centrale."),
    ("Centro diurno", "Giornate in compagnia al centro: attività, pranzo e riposo, con trasporto."),
    (
        "Infermiere a domicilio",
        "Cure infermieristiche a casa su prescrizione medica: medicazioni, iniezioni, controlli.",
    ),
    ("Sollievo notturno", "Una persona di fiducia resta la notte, perché chi assiste possa dormire."),
    ("Servizio lavanderia", "Ritiro e consegna della biancheria una volta alla settimana."),
];

/// The service that is no longer offered.
const WITHDRAWN: &str = "Servizio lavanderia";

/// One service as the rest of the seed needs it.
#[derive(Debug, Clone)]
pub(crate) struct Service {
    pub id: RecordId,
    pub name: &'static str,
    /// When it stopped being offered, if it did.
    pub withdrawn_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
pub(crate) struct Catalogue {
    pub services: Vec<Service>,
    /// What the agency writes: each item, and the withdrawn one's later version.
    pub records: Vec<Record>,
}

impl Catalogue {
    pub(crate) fn make(
        rng: &mut StdRng,
        agency_id: uuid::Uuid,
        node: NodeId,
        now: DateTime<Utc>,
    ) -> Result<Self, Invalid> {
        let created = now - Duration::days(400);
        let withdrawn_at = now - Duration::days(75);
        let mut services = Vec::new();
        let mut records = Vec::new();
        for (i, (name, description)) in SERVICES.into_iter().enumerate() {
            let at = created + Duration::minutes(i as i64 * 7);
            let item = CatalogueItem {
                id: record_id(rng, at),
                version: version(at, node),
                owner: Owner::agency(agency_id),
                name: ShortText::parse("name", name)?,
                description: Some(LongText::parse("description", description)?),
                active: true,
            };
            let withdrawn = name == WITHDRAWN;
            services.push(Service { id: item.id, name, withdrawn_at: withdrawn.then_some(withdrawn_at) });
            if withdrawn {
                let later =
                    CatalogueItem { version: version(withdrawn_at, node), active: false, ..item.clone() };
                records.push(Record::CatalogueItem(item));
                records.push(Record::CatalogueItem(later));
            } else {
                records.push(Record::CatalogueItem(item));
            }
        }
        Ok(Catalogue { services, records })
    }

    /// The services a caregiver could pick at `at`.
    pub(crate) fn offered_at(&self, at: DateTime<Utc>) -> impl Iterator<Item = &Service> {
        self.services.iter().filter(move |s| s.withdrawn_at.is_none_or(|w| at < w))
    }

    pub(crate) fn named(&self, name: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.name == name)
    }

    /// How many items the catalogue has (not versions).
    pub(crate) fn len(&self) -> usize {
        self.services.len()
    }
}
