//! French, as written in Romandy (Valais, Vaud, Jura).

use convivio_core::factor::Factor as F;
use convivio_core::need::NeedCategory as N;

use super::Bank;

pub(super) static BANK: Bank = Bank {
    needs: &[
        (
            N::Respite,
            &[
                "J'aurais besoin d'un après-midi libre la semaine prochaine, je suis à bout.",
                "Quelqu'un pourrait-il rester une nuit avec ma mère ? Je ne dors plus.",
            ],
        ),
        (
            N::Information,
            &[
                "Comment demander l'allocation pour impotent ? Personne n'a su me répondre.",
                "Que se passe-t-il après la sortie de l'hôpital ? Qui viendra chez nous ?",
            ],
        ),
        (
            N::Transport,
            &[
                "Mardi à 9 h nous avons rendez-vous à Sion. Y a-t-il un transport ?",
                "Le car postal ne passe que deux fois par jour. Pouvez-vous nous conduire à la pharmacie ?",
            ],
        ),
        (
            N::PersonalCare,
            &[
                "Seule, je n'arrive plus à doucher mon père, il a peur de tomber.",
                "Il me faudrait de l'aide le matin pour l'habiller, cela prend plus d'une heure.",
            ],
        ),
        (
            N::Health,
            &[
                "La plaie au talon ne guérit pas. L'infirmière peut-elle passer la voir ?",
                "Depuis une semaine elle mange et boit très peu. Je suis inquiète.",
                "Le médecin a changé les comprimés et il est très confus le soir.",
            ],
        ),
        (
            N::EmotionalSupport,
            &[
                "Je me sens seule avec tout ça. Y a-t-il un groupe de proches aidants près d'ici ?",
                "Je suis épuisée et je perds parfois patience. J'aimerais en parler à quelqu'un.",
            ],
        ),
        (
            N::PaperworkMoney,
            &[
                "Je ne comprends pas la facture du mois dernier : pourquoi deux heures de plus ?",
                "Le formulaire de la caisse maladie est trop compliqué. Qui peut m'aider à le remplir ?",
            ],
        ),
        (
            N::Equipment,
            &[
                "Il nous faudrait un lit médicalisé, le sien est beaucoup trop bas.",
                "Le déambulateur est cassé. Où le faire réparer ou en louer un autre ?",
            ],
        ),
        (
            N::Other,
            &[
                "Nous déménageons au village à la fin du mois. Que dois-je vous communiquer ?",
                "Le chat de ma mère doit aller chez le vétérinaire et je travaille ce jour-là.",
            ],
        ),
    ],
    went_badly: &[
        (
            F::AbsenceOfInformation,
            &[
                "Personne ne nous a prévenus du changement d'horaire : nous avons attendu toute la matinée.",
                "On a changé d'aide-soignante sans nous le dire.",
            ],
        ),
        (
            F::InsufficientTrust,
            &[
                "Je n'ose pas le laisser seul avec quelqu'un que je ne connais pas.",
                "Chaque fois c'est une personne différente, je ne sais plus à qui faire confiance.",
            ],
        ),
        (
            F::Mistake,
            &[
                "Le repas était salé alors qu'il doit manger sans sel.",
                "On a donné les gouttes du soir le matin. Heureusement, je m'en suis aperçue.",
            ],
        ),
        (
            F::InabilityToServe,
            &[
                "Pas de personnel le soir avant janvier, m'a-t-on dit.",
                "Ils ne pouvaient pas aider pour le bain : ça ne fait pas partie du mandat.",
            ],
        ),
        (
            F::InabilityToChange,
            &[
                "J'ai demandé de décaler la visite d'une demi-heure, mais la tournée est fixe.",
                "Le menu est le même depuis des mois, malgré nos demandes.",
            ],
        ),
        (
            F::AbsenceOfClearExpectations,
            &[
                "Ce n'était pas clair : je pensais qu'ils feraient aussi le ménage.",
                "Je ne sais jamais quand ils arrivent, entre 8 h et 11 h.",
            ],
        ),
        (
            F::Misbehaviour,
            &[
                "L'employé a été désagréable et a parlé à ma mère comme à une enfant.",
                "Il a regardé son téléphone tout le temps.",
            ],
        ),
        (
            F::Blaming,
            &[
                "On m'a fait comprendre que c'était ma faute si la plaie s'était aggravée.",
                "Soi-disant le retard venait de moi, parce que je n'avais pas confirmé. C'est faux.",
            ],
        ),
    ],
    went_well: &[
        (
            F::Listened,
            &["On m'a écoutée calmement, sans se presser.", "On m'a aussi demandé comment j'allais."],
        ),
        (F::KeptPromises, &["On avait dit jeudi, et elle est venue jeudi, comme promis."]),
        (F::OnTime, &["Ponctuels, à 8 h pile.", "Arrivés à l'heure malgré la neige."]),
        (F::ExplainedClearly, &["L'infirmière m'a bien expliqué comment refaire le pansement."]),
        (F::Flexible, &["Quand mon père était malade, ils ont déplacé la visite sans problème."]),
        (
            F::Convivial,
            &[
                "Ma mère a ri tout l'après-midi avec la bénévole.",
                "Un café ensemble et un brin de causette : il était content.",
            ],
        ),
    ],
    went_so_so: &["Rien de spécial, le travail a été fait.", "Tout était en ordre, mais un peu pressé."],
    trust_up: &[
        "Ils m'ont rappelée le jour même.",
        "Après le malentendu, ils ont tout réglé et se sont excusés.",
        "Je connais maintenant les aides-soignantes et je leur fais davantage confiance.",
    ],
    trust_down: &[
        "Ils promettent puis ne donnent plus de nouvelles.",
        "J'ai dû téléphoner trois fois pour avoir une réponse.",
        "Depuis l'erreur de médicaments, je suis plus méfiante.",
    ],
    trust_same: &["Comme d'habitude, ni mieux ni pire.", "Pas grand-chose n'a changé depuis le mois passé."],
    notes_good: &[
        "Matinée calme. Maman a mangé tout son déjeuner.",
        "Aujourd'hui nous sommes sortis au jardin, au soleil. Quel plaisir.",
        "Il a reconnu sa petite-fille et lui a demandé des nouvelles de l'école.",
    ],
    notes_hard: &[
        "Nuit difficile, il s'est levé quatre fois. Je suis épuisée.",
        "Aujourd'hui elle a pleuré et refusé de manger. Je me sens impuissante.",
        "J'ai encore annulé mon propre rendez-vous chez le médecin. Jamais de temps pour moi.",
    ],
    notes_plain: &[
        "Une journée comme une autre : courses, dîner, sieste, télévision.",
        "Le physiothérapeute a laissé des exercices à faire chaque jour.",
        "Il pleut depuis trois jours, nous sommes restés à la maison.",
    ],
    staff_first: &[
        "Bonjour {name}, nous avons bien reçu votre demande et vous recontactons d'ici demain.",
        "Merci pour votre message, {name}, nous nous en occupons.",
    ],
    staff_progress: &["Nous organisons cela et vous confirmons le jour dès que possible."],
    staff_met: &[
        "C'est réglé : l'aide-soignante passera jeudi à 14 h. Cela vous convient-il ?",
        "Tout est arrangé. Dites-nous s'il vous faut autre chose.",
    ],
    staff_sorry: &[
        "Nous en sommes désolés, {name}. Nous en avons parlé avec l'équipe.",
        "Merci de nous l'avoir signalé, nous avons vérifié ce qui s'est passé.",
    ],
    staff_after_not_met: &[
        "Malheureusement ce n'est pas possible cette fois. Pro Senectute pourrait peut-être vous aider.",
        "Je suis désolée, {name}. Je vous rappelle lundi pour chercher une autre solution ensemble.",
    ],
    not_met_reasons: &[
        "Nous n'avons pas de personnel de nuit dans votre région.",
        "La prestation n'est pas prise en charge par la caisse maladie.",
        "Aucun transport n'était possible dans un délai aussi court.",
    ],
    caregiver_replies: &[
        "Merci beaucoup, ça me va très bien.",
        "D'accord, j'attends votre appel.",
        "Parfait, merci.",
    ],
    caregiver_still_waiting: &["Alors, que puis-je faire maintenant ? Personne ne m'a rappelée."],
    other_services: &["Médecin de famille", "Pharmacie du village", "Urgences", "Hôpital régional"],
    professionals: &["Infirmière Sylvie", "Dr Rochat", "Aide-soignante Chantal", "Physiothérapeute Alain"],
};
