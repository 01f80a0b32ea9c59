//! Italian (Ticino, Italian-speaking Grisons).

use convivio_core::factor::Factor as F;
use convivio_core::need::NeedCategory as N;

use super::Bank;

pub(super) static BANK: Bank = Bank {
    needs: &[
        (
            N::Respite,
            &[
                "Avrei bisogno di un pomeriggio libero la settimana prossima, anche solo per andare dal parrucchiere.",
                "Non dormo da giorni: qualcuno potrebbe restare con la mamma una notte?",
                "Mia sorella non può più darmi il cambio il sabato. C'è un sostituto?",
            ],
        ),
        (
            N::Information,
            &[
                "Vorrei sapere come funziona l'assegno per grandi invalidi e a chi chiederlo.",
                "Nessuno mi ha spiegato cosa succede dopo la dimissione dall'ospedale.",
                "Quali attività ci sono al centro diurno? Il papà è un po' timido.",
            ],
        ),
        (
            N::Transport,
            &[
                "Martedì abbiamo la visita a Bellinzona alle 9: serve il trasporto, io non guido più.",
                "Il bus per la città passa solo due volte al giorno. Potete accompagnarci in farmacia?",
            ],
        ),
        (
            N::PersonalCare,
            &[
                "Da solo non riesco più a fare la doccia al papà, ha paura di cadere.",
                "Servirebbe aiuto al mattino per vestirla: ci metto più di un'ora.",
            ],
        ),
        (
            N::Health,
            &[
                "Ha una piaga sul tallone che non guarisce. Può venire l'infermiera a vederla?",
                "Da una settimana mangia pochissimo e beve poco. Sono preoccupata.",
                "Il medico ha cambiato le pastiglie e ora è molto confuso la sera.",
            ],
        ),
        (
            N::EmotionalSupport,
            &[
                "Mi sento sola con tutto questo. C'è un gruppo di familiari qui vicino?",
                "Sono stanca e a volte perdo la pazienza. Vorrei parlarne con qualcuno.",
            ],
        ),
        (
            N::PaperworkMoney,
            &[
                "Non capisco la fattura dell'ultimo mese: perché ci sono due ore in più?",
                "Devo compilare il formulario della cassa malati e non so da dove cominciare.",
            ],
        ),
        (
            N::Equipment,
            &[
                "Servirebbe un letto con le sponde: quello di casa è troppo basso.",
                "Il deambulatore si è rotto. Dove posso farlo riparare o noleggiarne un altro?",
            ],
        ),
        (
            N::Other,
            &[
                "Il gatto della mamma deve andare dal veterinario e io quel giorno lavoro.",
                "Ci trasferiamo in paese a fine mese: cosa devo comunicare a voi?",
            ],
        ),
    ],
    went_badly: &[
        (
            F::AbsenceOfInformation,
            &[
                "Nessuno mi ha avvisato che l'orario era cambiato: abbiamo aspettato tutta la mattina.",
                "Hanno cambiato l'operatrice senza dirci niente.",
            ],
        ),
        (
            F::InsufficientTrust,
            &[
                "Non mi sento tranquilla a lasciarlo solo con una persona che non conosco.",
                "Ogni volta viene qualcuno di diverso, non so più di chi fidarmi.",
            ],
        ),
        (
            F::Mistake,
            &[
                "Hanno portato il pasto sbagliato, con il sale, e lui deve mangiare senza.",
                "Hanno dato le gocce della sera al mattino. Per fortuna me ne sono accorta.",
            ],
        ),
        (
            F::InabilityToServe,
            &[
                "Mi hanno detto che per la sera non c'è personale disponibile fino a gennaio.",
                "Non potevano aiutarmi con il bagno: non rientra nel servizio.",
            ],
        ),
        (
            F::InabilityToChange,
            &[
                "Ho chiesto di spostare la visita di mezz'ora, ma dicono che il giro è fisso.",
                "Il menù è sempre lo stesso da mesi, nonostante le nostre richieste.",
            ],
        ),
        (
            F::AbsenceOfClearExpectations,
            &[
                "Non era chiaro cosa avrebbero fatto: pensavo anche le pulizie, invece no.",
                "Non so mai a che ora arrivano, tra le 8 e le 11.",
            ],
        ),
        (
            F::Misbehaviour,
            &[
                "L'operatore è stato sgarbato con la mamma e le ha parlato come a una bambina.",
                "Ha guardato il telefono tutto il tempo.",
            ],
        ),
        (
            F::Blaming,
            &[
                "Mi hanno fatto capire che è colpa mia se la piaga è peggiorata.",
                "Hanno detto che il ritardo era perché non avevo confermato, ma l'avevo fatto.",
            ],
        ),
    ],
    went_well: &[
        (F::Listened, &["Mi hanno ascoltata con calma, senza fretta.", "Hanno chiesto anche come sto io."]),
        (F::KeptPromises, &["Avevano detto giovedì ed è arrivato giovedì, come promesso."]),
        (F::OnTime, &["Puntualissimi, alle 8 in punto.", "Sono arrivati all'ora giusta, anche con la neve."]),
        (F::ExplainedClearly, &["L'infermiera ha spiegato bene come medicare la ferita."]),
        (F::Flexible, &["Hanno spostato la visita senza problemi quando il papà stava male."]),
        (
            F::Convivial,
            &[
                "La mamma ha riso tutto il pomeriggio con la volontaria.",
                "Un caffè insieme e quattro chiacchiere: lui era contento.",
            ],
        ),
    ],
    went_so_so: &["Niente di speciale, il servizio è stato fatto.", "Tutto regolare, ma un po' di fretta."],
    trust_up: &[
        "Mi hanno richiamata lo stesso giorno.",
        "Dopo il malinteso hanno sistemato tutto e si sono scusati.",
        "Ormai conosco le operatrici e mi fido di più.",
    ],
    trust_down: &[
        "Promettono e poi non si fanno sentire.",
        "Ho dovuto telefonare tre volte per avere una risposta.",
        "Dopo l'errore con le medicine sono più diffidente.",
    ],
    trust_same: &["Come sempre, né meglio né peggio.", "Non è cambiato molto da un mese fa."],
    notes_good: &[
        "Mattina tranquilla. La mamma ha fatto tutta la colazione.",
        "Oggi siamo usciti in giardino al sole. Che bello.",
        "Ha riconosciuto la nipote e le ha chiesto della scuola.",
    ],
    notes_hard: &[
        "Notte difficile, si è alzato quattro volte. Sono distrutta.",
        "Oggi ha pianto e non voleva mangiare. Mi sento impotente.",
        "Ho saltato di nuovo la mia visita dal medico. Non c'è mai tempo per me.",
    ],
    notes_plain: &[
        "Giornata come tante: spesa, pranzo, riposino, televisione.",
        "Il fisioterapista ha lasciato degli esercizi da fare ogni giorno.",
        "Piove da tre giorni, siamo rimasti in casa.",
    ],
    staff_first: &[
        "Gentile {name}, abbiamo ricevuto la sua richiesta e la contatteremo entro domani.",
        "Buongiorno {name}, grazie del messaggio: ce ne occupiamo noi.",
    ],
    staff_progress: &["Stiamo organizzando: le confermiamo il giorno appena possibile."],
    staff_met: &[
        "Fatto: l'operatrice passerà giovedì alle 14. Ci dica se va bene.",
        "Abbiamo sistemato tutto. Ci faccia sapere se serve altro.",
    ],
    staff_sorry: &[
        "Ci dispiace molto, {name}. Ne abbiamo parlato con la squadra e non dovrebbe ripetersi.",
        "Grazie di avercelo segnalato: abbiamo verificato cosa è successo.",
    ],
    staff_after_not_met: &[
        "Purtroppo questa volta non ci è possibile. Le proponiamo di sentire la Pro Senectute.",
        "Mi dispiace, {name}: la richiamo lunedì per cercare insieme un'alternativa.",
    ],
    not_met_reasons: &[
        "Non abbiamo personale disponibile di notte nella sua zona.",
        "La prestazione non è coperta dalla cassa malati.",
        "Il trasporto non era possibile con così poco preavviso.",
    ],
    caregiver_replies: &[
        "Grazie mille, va benissimo.",
        "D'accordo, aspetto la vostra chiamata.",
        "Perfetto, grazie.",
    ],
    caregiver_still_waiting: &["Quindi cosa posso fare adesso? Nessuno mi ha più richiamata."],
    other_services: &["Medico di famiglia", "Farmacia del paese", "Pronto soccorso", "Ospedale regionale"],
    professionals: &["Infermiera Laura", "Dottor Bernasconi", "Operatrice Giulia", "Fisioterapista Marco"],
};
