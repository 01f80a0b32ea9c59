import type { Dictionary } from "./types";

/** Français. */
export const fr: Dictionary = {
  "app.tagline": "Votre journal d'aidant. Il reste sur cet appareil.",
  "lang.label": "Langue",
  "status.loading": "Ouverture…",
  "status.busy": "Veuillez patienter…",

  "passphrase.show": "Afficher la phrase secrète pendant la saisie",

  "create.title": "Créer votre journal",
  "create.intro":
    "Votre journal est conservé sur cet appareil et fermé par une phrase secrète que vous seul connaissez.",
  "create.passphrase": "Choisissez une phrase secrète",
  "create.passphraseHint":
    "Quelques mots dont vous vous souviendrez, par exemple un vers de chanson. Au moins 8 caractères ; plus elle est longue, plus elle est sûre.",
  "create.confirm": "Saisissez à nouveau la même phrase secrète",
  "create.warning":
    "Important : si vous oubliez cette phrase secrète, personne ne pourra rouvrir votre journal, pas même le service d'aide. Notez-la et gardez-la en lieu sûr.",
  "create.submit": "Créer mon journal",
  "create.mismatch": "Les deux phrases secrètes ne sont pas identiques. Veuillez les saisir à nouveau.",
  "create.done": "Votre journal est prêt.",

  "unlock.title": "Ouvrir votre journal",
  "unlock.intro": "Saisissez votre phrase secrète pour ouvrir votre journal.",
  "unlock.passphrase": "Phrase secrète",
  "unlock.submit": "Ouvrir mon journal",
  "unlock.done": "Votre journal est ouvert.",

  "main.lock": "Fermer le journal",
  "main.locked": "Votre journal est fermé.",

  "note.title": "Écrire une note",
  "note.text": "Votre note",
  "note.textHint": "Comment ça va aujourd'hui ? Écrivez autant ou aussi peu que vous voulez.",
  "note.mood": "Comment est votre humeur ?",
  "note.mood.1": "1 – très basse",
  "note.mood.2": "2 – basse",
  "note.mood.3": "3 – moyenne",
  "note.mood.4": "4 – bonne",
  "note.mood.5": "5 – très bonne",
  "note.burden": "À quel point l'aide vous pèse-t-elle aujourd'hui ?",
  "note.burden.1": "1 – très légère",
  "note.burden.2": "2 – légère",
  "note.burden.3": "3 – moyenne",
  "note.burden.4": "4 – lourde",
  "note.burden.5": "5 – très lourde",
  "note.optional": "(facultatif)",
  "note.noScore": "Je préfère ne pas répondre",
  "note.submit": "Enregistrer la note",
  "note.saved": "Votre note est enregistrée.",

  "sharing.legend": "Qui peut lire ceci ?",
  "sharing.private": "Moi seulement",
  "sharing.private.help": "Reste sur cet appareil et n'est jamais envoyé à personne.",
  "sharing.agency": "Moi et le service d'aide",
  "sharing.agency.help": "Le personnel du service peut le lire et vous répondre.",
  "sharing.research": "Le service d'aide et la recherche",
  "sharing.research.help":
    "Le service peut le lire. Si vous avez accepté de participer à la recherche, il pourra aussi être étudié sans votre nom.",

  "timeline.title": "Votre journal",
  "timeline.empty": "Rien d'écrit pour l'instant. Vos notes apparaîtront ici, la plus récente en premier.",
  "timeline.more": "Afficher les entrées plus anciennes",
  "timeline.end": "Vous êtes arrivé à votre première entrée.",
  "timeline.loading": "Chargement des entrées…",
  "timeline.mood": "Humeur {value} sur 5",
  "timeline.burden": "Charge {value} sur 5",
  "timeline.sharedWith": "Qui peut le lire : {who}",
  "timeline.journey.only_here": "Seulement sur cet appareil",
  "timeline.journey.waiting": "En attente d'envoi",
  "timeline.journey.received": "Reçue par l'agence",
  "timeline.journey.read": "Lue par {name}, {when}",
  "timeline.journey.answered": "L'agence a répondu, {when}",

  "kind.note": "Note",
  "kind.need": "Besoin",
  "kind.experience": "Expérience avec le service",
  "kind.trust": "Confiance",

  "sync.title": "Votre service d'aide",
  "sync.connected": "Connecté à {agency}.",
  "sync.notConnected":
    "Ce journal n'est pas encore connecté à un service d'aide. Ce que vous partagez avec le service attend sur cet appareil jusqu'à ce que vous vous connectiez.",
  "sync.last": "Dernière synchronisation : {when}",
  "sync.never": "Pas encore synchronisé.",
  "sync.justNow": "à l'instant",
  "sync.waiting.none": "Rien n'attend d'être envoyé.",
  "sync.waiting.one": "1 entrée attend d'être envoyée.",
  "sync.waiting.other": "{count} entrées attendent d'être envoyées.",
  "sync.problem": "La dernière tentative n'a pas abouti.",
  "sync.now": "Synchroniser maintenant",
  "sync.syncing": "Synchronisation avec le service…",
  "sync.done": "Synchronisé avec votre service d'aide.",
  "sync.details": "Détails de la connexion",
  "sync.server": "Adresse du serveur : {url}",
  "sync.device": "Numéro de cet appareil : {id}",

  "enrol.title": "Se connecter à votre service d'aide",
  "enrol.againTitle": "Se connecter à nouveau avec un nouveau code",
  "enrol.intro": "Votre service d'aide vous donne l'adresse de son serveur et un code à usage unique.",
  "enrol.server": "Adresse du serveur",
  "enrol.serverHint": "Par exemple https://service.example",
  "enrol.code": "Code à usage unique",
  "enrol.codeHint": "Saisissez-le tel que le service l'a écrit, par exemple ABCD-EFGH.",
  "enrol.submit": "Se connecter",
  "enrol.done": "Votre journal est maintenant connecté à {agency}.",

  "error.checkField": "Veuillez vérifier le champ signalé.",
  "error.unexpected": "Une erreur s'est produite. Veuillez réessayer.",
  "error.details": "Détails techniques",
  "error.wrongPassphrase": "Cette phrase secrète n'ouvre pas ce journal. Vérifiez-la et réessayez.",
  "error.noDiary": "Il n'y a pas encore de journal sur cet appareil. Veuillez d'abord en créer un.",
  "error.alreadyExists":
    "Il y a déjà un journal sur cet appareil. Ouvrez-le avec votre phrase secrète.",
  "error.notFound": "Nous ne l'avons pas trouvé. Il a peut-être été supprimé.",
  "error.locked": "Votre journal est fermé. Ouvrez-le d'abord avec votre phrase secrète.",
  "error.storage":
    "Un problème est survenu pendant l'enregistrement ou la lecture de votre journal. Rien n'a été perdu. Veuillez réessayer.",
  "error.notEnrolled":
    "Ce journal n'est pas encore connecté à un service d'aide. Connectez-le avec le code que le service vous a donné.",
  "error.alreadyEnrolled": "Ce journal est déjà connecté à un service d'aide.",
  "error.revoked":
    "Votre service d'aide a déconnecté cet appareil : plus rien n'est envoyé. Votre journal reste sur cet appareil. Demandez au service un nouveau code pour vous connecter à nouveau.",
  "error.unauthorized":
    "Le serveur du service ne reconnaît plus cet appareil. Votre journal reste sur cet appareil. Demandez au service un nouveau code pour vous connecter à nouveau.",
  "error.badServerUrl":
    "Le journal ne peut pas utiliser cette adresse. Elle doit commencer par https:// (http:// seulement pour un serveur sur cet ordinateur).",
  "error.codeRefused":
    "Le serveur du service n'a pas accepté ce code. Vérifiez-le, ou demandez un nouveau code au service.",
  "error.tooManyRequests": "Trop de tentatives en peu de temps. Attendez quelques minutes et réessayez.",
  "error.unreachable":
    "Le serveur du service n'a pas pu être joint. Rien n'est perdu : vos entrées attendent sur cet appareil et seront envoyées plus tard.",
  "error.timedOut":
    "Le serveur du service a mis trop de temps à répondre. Rien n'est perdu : le journal réessaiera.",
  "error.connectionLost":
    "La connexion au serveur du service a été coupée. Rien n'est perdu : le journal réessaiera en envoyant moins à la fois.",
  "error.serverError":
    "Le serveur du service a eu un problème. Rien n'est perdu : le journal réessaiera plus tard.",
  "error.syncLater":
    "Le journal et le serveur du service ne se sont pas compris cette fois. Rien n'est perdu : le journal réessaiera plus tard.",
  "error.tooLarge": "Une entrée dépasse ce que le serveur du service accepte. Veuillez prévenir le service.",
  "error.updateApp":
    "Cette version de Convivio est trop ancienne pour le serveur du service. Veuillez mettre à jour l'application.",
  "error.rule.required": "Veuillez remplir ce champ.",
  "error.rule.empty": "Ce champ est encore vide. Veuillez y écrire quelque chose.",
  "error.rule.tooLong": "C'est trop long. Veuillez ne pas dépasser {max} caractères.",
  "error.rule.tooShort": "C'est trop court. Veuillez utiliser au moins {min} caractères.",
  "error.rule.outOfRange": "Veuillez choisir un nombre de {min} à {max}.",
  "error.rule.badFormat":
    "Le journal ne peut pas lire ceci tel que c'est écrit. Veuillez vérifier.",
  "error.rule.inFuture": "Cette date est trop loin dans le futur. Veuillez la vérifier.",
  "error.rule.tooEarly": "Cette date est trop loin dans le passé. Veuillez la vérifier.",
  "error.rule.unknownChoice": "Veuillez choisir l'une des possibilités proposées.",
  "error.rule.notAllowed": "Ce n'est pas possible ici. Veuillez le modifier et réessayer.",
  "error.rule.other": "Quelque chose ne va pas ici. Veuillez vérifier et réessayer.",
};
