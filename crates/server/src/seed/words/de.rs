//! German, as written in German-speaking Switzerland (no ß: "Strasse", "gross").

use convivio_core::factor::Factor as F;
use convivio_core::need::NeedCategory as N;

use super::Bank;

pub(super) static BANK: Bank = Bank {
    needs: &[
        (
            N::Respite,
            &[
                "Ich bräuchte nächste Woche einen freien Nachmittag, die Müdigkeit wird zu gross.",
                "Könnte jemand am Wochenende bei meinem Mann bleiben? Ich möchte meine Tochter besuchen.",
            ],
        ),
        (
            N::Information,
            &[
                "Wie beantrage ich die Hilflosenentschädigung? Niemand konnte es mir erklären.",
                "Was passiert nach dem Spitalaustritt? Wer kommt dann zu uns?",
            ],
        ),
        (
            N::Transport,
            &[
                "Am Dienstag um 9 Uhr haben wir einen Termin in Chur. Gibt es einen Fahrdienst?",
                "Das Postauto fährt nur zweimal am Tag. Kann uns jemand zur Apotheke bringen?",
            ],
        ),
        (
            N::PersonalCare,
            &[
                "Allein schaffe ich das Duschen mit meinem Vater nicht mehr, er hat Angst zu stürzen.",
                "Am Morgen bräuchte ich Hilfe beim Anziehen, es dauert über eine Stunde.",
            ],
        ),
        (
            N::Health,
            &[
                "Die Wunde am Fuss heilt nicht. Kann die Pflegefachfrau vorbeischauen?",
                "Seit einer Woche isst und trinkt sie kaum noch. Ich mache mir Sorgen.",
            ],
        ),
        (
            N::EmotionalSupport,
            &[
                "Ich fühle mich mit allem allein. Gibt es eine Angehörigengruppe in der Nähe?",
                "Ich bin erschöpft und werde manchmal ungeduldig. Ich möchte mit jemandem reden.",
            ],
        ),
        (
            N::PaperworkMoney,
            &[
                "Die Rechnung vom letzten Monat verstehe ich nicht: Warum zwei Stunden mehr?",
                "Das Formular der Krankenkasse ist mir zu kompliziert. Wer hilft mir beim Ausfüllen?",
            ],
        ),
        (
            N::Equipment,
            &[
                "Wir bräuchten ein Pflegebett, das jetzige ist viel zu niedrig.",
                "Der Rollator ist kaputt. Wo kann ich ihn reparieren lassen oder einen mieten?",
            ],
        ),
        (
            N::Other,
            &[
                "Wir ziehen Ende Monat ins Dorf hinunter. Was muss ich Ihnen mitteilen?",
                "Die Katze meiner Mutter muss zum Tierarzt, und ich arbeite an dem Tag.",
            ],
        ),
    ],
    went_badly: &[
        (
            F::AbsenceOfInformation,
            &[
                "Niemand hat uns gesagt, dass sich die Zeit geändert hat. Wir haben den ganzen Morgen gewartet.",
                "Die Betreuerin wurde gewechselt, ohne dass man uns informiert hat.",
            ],
        ),
        (
            F::InsufficientTrust,
            &[
                "Ich lasse ihn nicht gern mit jemandem allein, den ich nicht kenne.",
                "Jedes Mal kommt jemand anderes. Ich weiss nicht mehr, wem ich vertrauen kann.",
            ],
        ),
        (
            F::Mistake,
            &[
                "Das Essen war gesalzen, obwohl er salzlos essen muss.",
                "Die Abendtropfen wurden am Morgen gegeben. Zum Glück habe ich es gemerkt.",
            ],
        ),
        (
            F::InabilityToServe,
            &[
                "Für den Abend gibt es bis Januar kein Personal, hiess es.",
                "Beim Baden konnten sie nicht helfen, das gehöre nicht zum Auftrag.",
            ],
        ),
        (
            F::InabilityToChange,
            &[
                "Ich wollte den Besuch um eine halbe Stunde verschieben, aber die Tour sei fix.",
                "Der Menüplan ist seit Monaten derselbe, trotz unserer Wünsche.",
            ],
        ),
        (
            F::AbsenceOfClearExpectations,
            &[
                "Es war nicht klar, was gemacht wird: Ich dachte, auch das Putzen.",
                "Ich weiss nie, wann sie kommen, irgendwann zwischen 8 und 11 Uhr.",
            ],
        ),
        (
            F::Misbehaviour,
            &[
                "Der Mitarbeiter war unfreundlich und hat mit meiner Mutter wie mit einem Kind geredet.",
                "Er war die ganze Zeit am Handy.",
            ],
        ),
        (
            F::Blaming,
            &[
                "Man hat mir zu verstehen gegeben, dass es meine Schuld sei, dass die Wunde schlimmer wurde.",
                "Angeblich war die Verspätung meine Schuld, weil ich nicht bestätigt hätte. Das stimmt nicht.",
            ],
        ),
    ],
    went_well: &[
        (
            F::Listened,
            &["Sie haben mir in Ruhe zugehört, ohne Eile.", "Man hat auch gefragt, wie es mir geht."],
        ),
        (F::KeptPromises, &["Es hiess Donnerstag, und am Donnerstag kam sie, wie versprochen."]),
        (F::OnTime, &["Pünktlich um 8 Uhr da.", "Trotz Schnee kamen sie rechtzeitig."]),
        (F::ExplainedClearly, &["Die Pflegefachfrau hat mir genau erklärt, wie ich den Verband wechsle."]),
        (F::Flexible, &["Als es meinem Vater schlecht ging, haben sie den Besuch problemlos verschoben."]),
        (
            F::Convivial,
            &[
                "Meine Mutter hat mit der Freiwilligen den ganzen Nachmittag gelacht.",
                "Ein Kaffee zusammen und ein Schwatz, er war zufrieden.",
            ],
        ),
    ],
    went_so_so: &["Nichts Besonderes, die Arbeit wurde gemacht.", "Alles in Ordnung, aber etwas gehetzt."],
    trust_up: &[
        "Sie haben noch am selben Tag zurückgerufen.",
        "Nach dem Missverständnis haben sie alles geklärt und sich entschuldigt.",
        "Inzwischen kenne ich die Betreuerinnen und vertraue ihnen mehr.",
    ],
    trust_down: &[
        "Sie versprechen etwas und melden sich dann nicht.",
        "Ich musste dreimal anrufen, bis ich eine Antwort bekam.",
        "Seit dem Fehler mit den Medikamenten bin ich misstrauischer.",
    ],
    trust_same: &[
        "Wie immer, nicht besser und nicht schlechter.",
        "Seit letztem Monat hat sich wenig geändert.",
    ],
    notes_good: &[
        "Ruhiger Morgen. Meine Mutter hat das ganze Frühstück gegessen.",
        "Heute waren wir im Garten an der Sonne. Schön.",
        "Er hat seine Enkelin erkannt und nach der Schule gefragt.",
    ],
    notes_hard: &[
        "Schwierige Nacht, er ist viermal aufgestanden. Ich bin völlig erschöpft.",
        "Heute hat sie geweint und wollte nicht essen. Ich fühle mich hilflos.",
        "Wieder meinen eigenen Arzttermin abgesagt. Für mich bleibt nie Zeit.",
    ],
    notes_plain: &[
        "Ein Tag wie viele: einkaufen, Mittagessen, Mittagsschlaf, Fernsehen.",
        "Der Physiotherapeut hat Übungen für jeden Tag dagelassen.",
        "Seit drei Tagen Regen, wir sind drinnen geblieben.",
    ],
    staff_first: &[
        "Liebe/r {name}, wir haben Ihre Anfrage erhalten und melden uns bis morgen.",
        "Guten Tag {name}, danke für die Nachricht, wir kümmern uns darum.",
    ],
    staff_progress: &["Wir sind am Organisieren und bestätigen Ihnen den Tag so bald wie möglich."],
    staff_met: &[
        "Erledigt: Die Betreuerin kommt am Donnerstag um 14 Uhr. Passt Ihnen das?",
        "Wir haben alles geregelt. Melden Sie sich, wenn Sie noch etwas brauchen.",
    ],
    staff_sorry: &[
        "Das tut uns sehr leid, {name}. Wir haben es im Team besprochen.",
        "Danke für den Hinweis, wir haben abgeklärt, was passiert ist.",
    ],
    staff_after_not_met: &[
        "Leider ist es diesmal nicht möglich. Vielleicht kann die Pro Senectute helfen.",
        "Es tut mir leid, {name}. Ich rufe Sie am Montag an, damit wir eine andere Lösung suchen.",
    ],
    not_met_reasons: &[
        "In Ihrer Region haben wir nachts kein Personal.",
        "Die Leistung wird von der Krankenkasse nicht übernommen.",
        "So kurzfristig war kein Fahrdienst möglich.",
    ],
    caregiver_replies: &[
        "Vielen Dank, das passt sehr gut.",
        "Einverstanden, ich warte auf Ihren Anruf.",
        "Merci vielmal!",
    ],
    caregiver_still_waiting: &["Und was kann ich jetzt tun? Niemand hat mich zurückgerufen."],
    other_services: &["Hausarzt", "Dorfapotheke", "Notfall", "Regionalspital"],
    professionals: &["Pflegefachfrau Ruth", "Dr. Caduff", "Betreuerin Sandra", "Physiotherapeut Beat"],
};
