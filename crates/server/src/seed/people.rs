//! Who the synthetic caregivers are: a name staff know them by, the language they write in, and
//! a banded profile. Names and places follow the agency's area (Italian-, German- and
//! French-speaking Switzerland, a few English speakers), so the dashboard is tried on names such
//! as "Jürg Lüthi" and "Françoise Crétin" from the start.

use convivio_core::Invalid;
use convivio_core::Lang;
use convivio_core::profile::{AgeBand, CareHours, CaredAgeBand, Condition, ProfileFields, Relation, Sex};
use convivio_core::text::ShortText;
use rand::Rng;
use rand::rngs::StdRng;

use super::pick::{choose, weighted};

/// A synthetic caregiver before the store knows them.
#[derive(Debug, Clone)]
pub(crate) struct Person {
    pub first_name: &'static str,
    pub display_name: String,
    pub lang: Lang,
    pub sex: Sex,
}

struct Names {
    women: &'static [&'static str],
    men: &'static [&'static str],
    surnames: &'static [&'static str],
    places: &'static [&'static str],
}

const IT: Names = Names {
    women: &[
        "Maria",
        "Giulia",
        "Francesca",
        "Anna",
        "Lucia",
        "Paola",
        "Chiara",
        "Elena",
        "Rosa",
        "Silvia",
        "Graziella",
        "Antonella",
        "Nicoletta",
        "Daniela",
    ],
    men: &["Marco", "Giuseppe", "Luca", "Paolo", "Franco", "Sergio", "Mario", "Claudio", "Nicolò"],
    surnames: &[
        "Rossi",
        "Bernasconi",
        "Colombo",
        "Ferrari",
        "Bianchi",
        "Galli",
        "Fontana",
        "Lombardi",
        "Pedrazzini",
        "Rezzonico",
        "Righetti",
        "Guidotti",
        "Dell'Acqua",
        "Bottà",
        "Canepà",
    ],
    places: &[
        "Lugano",
        "Bellinzona",
        "Locarno",
        "Mendrisio",
        "Biasca",
        "Airolo",
        "Faido",
        "Cevio",
        "Acquarossa",
        "Blenio",
        "Brissago",
        "Capriasca",
        "Poschiavo",
        "Mesocco",
    ],
};

const DE: Names = Names {
    women: &[
        "Ursula",
        "Ruth",
        "Verena",
        "Monika",
        "Brigitte",
        "Heidi",
        "Elisabeth",
        "Margrit",
        "Sandra",
        "Käthi",
        "Regula",
    ],
    men: &["Hans", "Peter", "Urs", "Beat", "Thomas", "Markus", "Walter", "Jürg", "Reto"],
    surnames: &[
        "Meier", "Müller", "Schmid", "Keller", "Weber", "Huber", "Brunner", "Baumann", "Zürcher", "Frei",
        "Gerber", "Lüthi", "Bühler", "Caduff", "Näf",
    ],
    places: &[
        "Andermatt",
        "Disentis/Mustér",
        "Ilanz/Glion",
        "Thusis",
        "Davos",
        "Glarus Süd",
        "Altdorf",
        "Meiringen",
        "Frutigen",
        "Zweisimmen",
        "Scuol",
        "Obergoms",
    ],
};

const FR: Names = Names {
    women: &[
        "Chantal",
        "Nathalie",
        "Sylvie",
        "Monique",
        "Françoise",
        "Isabelle",
        "Véronique",
        "Hélène",
        "Josiane",
        "Mélanie",
        "Noëlle",
    ],
    men: &["Jean-Pierre", "Michel", "Pierre", "Alain", "Daniel", "Jacques", "François", "Jérôme"],
    surnames: &[
        "Favre", "Rochat", "Bonvin", "Dubois", "Perrin", "Jaquet", "Berset", "Chappuis", "Gaillard", "Rey",
        "Crétin", "Moret", "Délèze",
    ],
    places: &[
        "Sion",
        "Martigny",
        "Val de Bagnes",
        "Château-d'Œx",
        "Sainte-Croix",
        "Le Chenit",
        "Val-de-Travers",
        "Saignelégier",
        "Porrentruy",
        "Bulle",
        "Anniviers",
        "Évolène",
    ],
};

const EN: Names = Names {
    women: &["Susan", "Margaret", "Helen", "Sarah", "Catherine", "Joanne"],
    men: &["David", "John", "Peter", "Andrew", "Michael"],
    surnames: &["Smith", "Taylor", "Brown", "Wilson", "Clarke", "O'Neill", "Murray"],
    places: &["Lugano", "Locarno", "Davos", "Montreux", "Verbier", "Gstaad"],
};

fn names(lang: Lang) -> &'static Names {
    match lang {
        Lang::It => &IT,
        Lang::De => &DE,
        Lang::Fr => &FR,
        Lang::En => &EN,
    }
}

/// A new caregiver: Italian for half, German for a quarter, French for a fifth, English for
/// the rest; three in four are women, as among family caregivers.
pub(crate) fn person(rng: &mut StdRng) -> Person {
    let lang = weighted(rng, &[(Lang::It, 50), (Lang::De, 25), (Lang::Fr, 20), (Lang::En, 5)]);
    let n = names(lang);
    let woman = rng.random_bool(0.75);
    let first_name = choose(rng, if woman { n.women } else { n.men });
    let surname = choose(rng, n.surnames);
    let sex = if rng.random_bool(0.03) {
        Sex::Undisclosed
    } else if woman {
        Sex::Female
    } else {
        Sex::Male
    };
    Person { first_name, display_name: format!("{first_name} {surname}"), lang, sex }
}

/// A banded profile; a caregiver shares what they choose, so some fields stay empty.
pub(crate) fn profile(rng: &mut StdRng, person: &Person) -> Result<ProfileFields, Invalid> {
    use AgeBand as A;
    use CaredAgeBand as C;
    let relation = weighted(
        rng,
        &[
            (Relation::SpousePartner, 35),
            (Relation::Child, 40),
            (Relation::ChildInLaw, 10),
            (Relation::Sibling, 5),
            (Relation::OtherRelative, 4),
            (Relation::FriendNeighbour, 4),
            (Relation::Other, 2),
        ],
    );
    // A spouse is about the cared-for person's age; a child a generation younger.
    let (age_band, cared_age_band) = match relation {
        Relation::SpousePartner => weighted(
            rng,
            &[((A::From65, C::From65), 30), ((A::From65, C::From75), 35), ((A::From80, C::From85), 25)],
        ),
        Relation::Child | Relation::ChildInLaw => weighted(
            rng,
            &[
                ((A::From50, C::From75), 35),
                ((A::From50, C::From85), 30),
                ((A::From35, C::From75), 15),
                ((A::From65, C::From95), 10),
            ],
        ),
        _ => weighted(
            rng,
            &[((A::From50, C::From75), 40), ((A::Under35, C::Under65), 15), ((A::From65, C::From85), 45)],
        ),
    };
    let mut conditions = vec![weighted(
        rng,
        &[
            (Condition::Dementia, 35),
            (Condition::Frailty, 20),
            (Condition::Stroke, 10),
            (Condition::Heart, 10),
            (Condition::Mobility, 10),
            (Condition::Cancer, 5),
            (Condition::Diabetes, 5),
            (Condition::MentalHealth, 3),
            (Condition::Other, 2),
        ],
    )];
    if rng.random_bool(0.4) {
        conditions.push(choose(
            rng,
            &[Condition::Mobility, Condition::Diabetes, Condition::Heart, Condition::Frailty],
        ));
    }
    conditions.sort();
    conditions.dedup();
    let care_hours = weighted(
        rng,
        &[
            (CareHours::Under10, 10),
            (CareHours::From10, 20),
            (CareHours::From20, 30),
            (CareHours::From35, 25),
            (CareHours::From70, 15),
        ],
    );
    let municipality = match rng.random_bool(0.9) {
        true => Some(ShortText::parse("municipality", choose(rng, names(person.lang).places))?),
        false => None,
    };
    Ok(ProfileFields {
        age_band: rng.random_bool(0.95).then_some(age_band),
        sex: Some(person.sex),
        municipality,
        relation: Some(relation),
        cared_age_band: rng.random_bool(0.9).then_some(cared_age_band),
        cared_conditions: conditions,
        care_hours: rng.random_bool(0.85).then_some(care_hours),
    })
}

/// Two professionals this caregiver deals with, named as they would name them.
pub(crate) fn professionals(rng: &mut StdRng, lang: Lang) -> [&'static str; 2] {
    let all = super::words::Bank::of(lang).professionals;
    let first = rng.random_range(0..all.len());
    let second = (first + rng.random_range(1..all.len())) % all.len();
    [all[first], all[second]]
}
