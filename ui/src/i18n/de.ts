import type { Dictionary } from "./types";

/** Deutsch. */
export const de: Dictionary = {
  "app.tagline": "Ihr Pflegetagebuch. Es bleibt auf diesem Gerät.",
  "lang.label": "Sprache",
  "status.loading": "Wird geöffnet…",
  "status.busy": "Bitte warten…",

  "passphrase.show": "Passphrase beim Tippen anzeigen",

  "create.title": "Tagebuch anlegen",
  "create.intro":
    "Ihr Tagebuch wird auf diesem Gerät aufbewahrt und mit einer Passphrase verschlossen, die nur Sie kennen.",
  "create.passphrase": "Wählen Sie eine Passphrase",
  "create.passphraseHint":
    "Ein paar Wörter, die Sie sich merken können, zum Beispiel eine Liedzeile. Mindestens 8 Zeichen; länger ist sicherer.",
  "create.confirm": "Dieselbe Passphrase noch einmal eingeben",
  "create.warning":
    "Wichtig: Wenn Sie diese Passphrase vergessen, kann niemand Ihr Tagebuch wieder öffnen, auch der Pflegedienst nicht. Schreiben Sie sie auf und bewahren Sie sie sicher auf.",
  "create.submit": "Mein Tagebuch anlegen",
  "create.mismatch": "Die beiden Passphrasen sind nicht gleich. Bitte geben Sie sie erneut ein.",
  "create.done": "Ihr Tagebuch ist bereit.",

  "unlock.title": "Tagebuch öffnen",
  "unlock.intro": "Geben Sie Ihre Passphrase ein, um Ihr Tagebuch zu öffnen.",
  "unlock.passphrase": "Passphrase",
  "unlock.submit": "Mein Tagebuch öffnen",
  "unlock.done": "Ihr Tagebuch ist geöffnet.",

  "main.lock": "Tagebuch verschließen",
  "main.locked": "Ihr Tagebuch ist verschlossen.",

  "note.title": "Notiz schreiben",
  "note.text": "Ihre Notiz",
  "note.textHint": "Wie geht es heute? Schreiben Sie so viel oder so wenig Sie möchten.",
  "note.mood": "Wie ist Ihre Stimmung?",
  "note.mood.1": "1 – sehr schlecht",
  "note.mood.2": "2 – schlecht",
  "note.mood.3": "3 – mittel",
  "note.mood.4": "4 – gut",
  "note.mood.5": "5 – sehr gut",
  "note.burden": "Wie schwer fällt Ihnen die Pflege heute?",
  "note.burden.1": "1 – sehr leicht",
  "note.burden.2": "2 – leicht",
  "note.burden.3": "3 – mittel",
  "note.burden.4": "4 – schwer",
  "note.burden.5": "5 – sehr schwer",
  "note.optional": "(freiwillig)",
  "note.noScore": "Keine Angabe",
  "note.submit": "Notiz speichern",
  "note.saved": "Ihre Notiz ist gespeichert.",

  "sharing.legend": "Wer darf das lesen?",
  "sharing.private": "Nur ich",
  "sharing.private.help": "Bleibt auf diesem Gerät und wird nie an jemanden gesendet.",
  "sharing.agency": "Ich und der Pflegedienst",
  "sharing.agency.help": "Die Mitarbeitenden des Pflegedienstes können es lesen und Ihnen antworten.",
  "sharing.research": "Der Pflegedienst und die Forschung",
  "sharing.research.help":
    "Der Pflegedienst kann es lesen. Wenn Sie der Teilnahme an der Forschung zugestimmt haben, kann es außerdem ohne Ihren Namen ausgewertet werden.",

  "timeline.title": "Ihr Tagebuch",
  "timeline.empty": "Noch nichts geschrieben. Ihre Notizen erscheinen hier, die neueste zuerst.",
  "timeline.more": "Ältere Einträge anzeigen",
  "timeline.end": "Sie sind bei Ihrem ersten Eintrag angekommen.",
  "timeline.loading": "Einträge werden geladen…",
  "timeline.mood": "Stimmung {value} von 5",
  "timeline.burden": "Belastung {value} von 5",
  "timeline.sharedWith": "Wer es lesen darf: {who}",
  "timeline.journey.only_here": "Nur auf diesem Gerät",
  "timeline.journey.waiting": "Wartet darauf, gesendet zu werden",
  "timeline.journey.received": "Bei der Agentur angekommen",
  "timeline.journey.read": "Gelesen von {name}, {when}",
  "timeline.journey.answered": "Die Agentur hat geantwortet, {when}",

  "kind.note": "Notiz",
  "kind.need": "Bedarf",
  "kind.experience": "Erfahrung mit dem Dienst",
  "kind.trust": "Vertrauen",

  "sync.title": "Ihr Pflegedienst",
  "sync.connected": "Verbunden mit {agency}.",
  "sync.notConnected":
    "Dieses Tagebuch ist noch mit keinem Pflegedienst verbunden. Was Sie mit dem Pflegedienst teilen, wartet auf diesem Gerät, bis Sie sich verbinden.",
  "sync.last": "Zuletzt abgeglichen: {when}",
  "sync.never": "Noch nie abgeglichen.",
  "sync.justNow": "gerade eben",
  "sync.waiting.none": "Es wartet nichts darauf, gesendet zu werden.",
  "sync.waiting.one": "1 Eintrag wartet darauf, gesendet zu werden.",
  "sync.waiting.other": "{count} Einträge warten darauf, gesendet zu werden.",
  "sync.problem": "Der letzte Versuch hat nicht geklappt.",
  "sync.now": "Jetzt abgleichen",
  "sync.syncing": "Abgleich mit dem Pflegedienst…",
  "sync.done": "Mit Ihrem Pflegedienst abgeglichen.",
  "sync.details": "Einzelheiten der Verbindung",
  "sync.server": "Adresse des Servers: {url}",
  "sync.device": "Nummer dieses Geräts: {id}",

  "enrol.title": "Mit Ihrem Pflegedienst verbinden",
  "enrol.againTitle": "Mit einem neuen Code erneut verbinden",
  "enrol.intro": "Ihr Pflegedienst gibt Ihnen die Adresse seines Servers und einen Code, der nur einmal gilt.",
  "enrol.server": "Adresse des Servers",
  "enrol.serverHint": "Zum Beispiel https://pflegedienst.example",
  "enrol.code": "Einmal-Code",
  "enrol.codeHint": "Geben Sie ihn so ein, wie der Pflegedienst ihn geschrieben hat, zum Beispiel ABCD-EFGH.",
  "enrol.submit": "Verbinden",
  "enrol.done": "Ihr Tagebuch ist jetzt mit {agency} verbunden.",

  "error.checkField": "Bitte prüfen Sie das markierte Feld.",
  "error.unexpected": "Etwas ist schiefgegangen. Bitte versuchen Sie es erneut.",
  "error.details": "Technische Einzelheiten",
  "error.wrongPassphrase":
    "Diese Passphrase öffnet dieses Tagebuch nicht. Bitte prüfen Sie sie und versuchen Sie es noch einmal.",
  "error.noDiary": "Auf diesem Gerät gibt es noch kein Tagebuch. Bitte legen Sie zuerst eines an.",
  "error.alreadyExists":
    "Auf diesem Gerät gibt es schon ein Tagebuch. Bitte öffnen Sie es mit Ihrer Passphrase.",
  "error.notFound": "Das wurde nicht gefunden. Vielleicht wurde es entfernt.",
  "error.locked": "Ihr Tagebuch ist verschlossen. Bitte öffnen Sie es zuerst mit Ihrer Passphrase.",
  "error.storage":
    "Beim Speichern oder Lesen Ihres Tagebuchs ist etwas schiefgegangen. Es ist nichts verloren gegangen. Bitte versuchen Sie es noch einmal.",
  "error.notEnrolled":
    "Dieses Tagebuch ist noch mit keinem Pflegedienst verbunden. Verbinden Sie es mit dem Code, den Ihnen der Pflegedienst gegeben hat.",
  "error.alreadyEnrolled": "Dieses Tagebuch ist bereits mit einem Pflegedienst verbunden.",
  "error.revoked":
    "Ihr Pflegedienst hat dieses Gerät getrennt, es wird nichts mehr gesendet. Ihr Tagebuch bleibt auf diesem Gerät. Bitten Sie den Pflegedienst um einen neuen Code, um sich wieder zu verbinden.",
  "error.unauthorized":
    "Der Server des Pflegedienstes erkennt dieses Gerät nicht mehr. Ihr Tagebuch bleibt auf diesem Gerät. Bitten Sie den Pflegedienst um einen neuen Code, um sich wieder zu verbinden.",
  "error.badServerUrl":
    "Diese Adresse kann das Tagebuch nicht verwenden. Sie muss mit https:// beginnen (http:// nur für einen Server auf diesem Computer).",
  "error.codeRefused":
    "Der Server des Pflegedienstes hat diesen Code nicht angenommen. Prüfen Sie ihn oder bitten Sie den Pflegedienst um einen neuen.",
  "error.tooManyRequests":
    "Zu viele Versuche in kurzer Zeit. Bitte warten Sie einige Minuten und versuchen Sie es dann erneut.",
  "error.unreachable":
    "Der Server des Pflegedienstes war nicht erreichbar. Es ist nichts verloren: Ihre Einträge warten auf diesem Gerät und werden später gesendet.",
  "error.timedOut":
    "Der Server des Pflegedienstes hat zu lange nicht geantwortet. Es ist nichts verloren: Das Tagebuch versucht es erneut.",
  "error.connectionLost":
    "Die Verbindung zum Server des Pflegedienstes ist abgebrochen. Es ist nichts verloren: Das Tagebuch versucht es erneut und sendet weniger auf einmal.",
  "error.serverError":
    "Der Server des Pflegedienstes hatte ein Problem. Es ist nichts verloren: Das Tagebuch versucht es später erneut.",
  "error.syncLater":
    "Das Tagebuch und der Server des Pflegedienstes konnten sich diesmal nicht einigen. Es ist nichts verloren: Das Tagebuch versucht es später erneut.",
  "error.tooLarge":
    "Ein Eintrag ist größer, als der Server des Pflegedienstes annimmt. Bitte sagen Sie dem Pflegedienst Bescheid.",
  "error.updateApp":
    "Diese Version von Convivio ist zu alt für den Server des Pflegedienstes. Bitte aktualisieren Sie die App.",
  "error.rule.required": "Bitte füllen Sie dieses Feld aus.",
  "error.rule.empty": "Dieses Feld ist noch leer. Bitte schreiben Sie etwas hinein.",
  "error.rule.tooLong": "Das ist zu lang. Bitte verwenden Sie höchstens {max} Zeichen.",
  "error.rule.tooShort": "Das ist zu kurz. Bitte verwenden Sie mindestens {min} Zeichen.",
  "error.rule.outOfRange": "Bitte wählen Sie eine Zahl von {min} bis {max}.",
  "error.rule.badFormat": "Das Tagebuch kann diese Angabe so nicht lesen. Bitte prüfen Sie sie.",
  "error.rule.inFuture": "Dieses Datum liegt zu weit in der Zukunft. Bitte prüfen Sie es.",
  "error.rule.tooEarly": "Dieses Datum liegt zu weit in der Vergangenheit. Bitte prüfen Sie es.",
  "error.rule.unknownChoice": "Bitte wählen Sie eine der angezeigten Möglichkeiten.",
  "error.rule.notAllowed":
    "Das ist hier nicht möglich. Bitte ändern Sie es und versuchen Sie es noch einmal.",
  "error.rule.other":
    "Hier stimmt etwas nicht. Bitte prüfen Sie es und versuchen Sie es noch einmal.",
};
