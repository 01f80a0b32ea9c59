import type { Dictionary } from "./types";

/** Italiano. */
export const it: Dictionary = {
  "app.tagline": "Il tuo diario di cura. Resta su questo dispositivo.",
  "lang.label": "Lingua",
  "status.loading": "Apertura in corso…",
  "status.busy": "Attendi un momento…",

  "passphrase.show": "Mostra la frase segreta mentre scrivi",

  "create.title": "Crea il tuo diario",
  "create.intro":
    "Il tuo diario è conservato su questo dispositivo e chiuso con una frase segreta che conosci solo tu.",
  "create.passphrase": "Scegli una frase segreta",
  "create.passphraseHint":
    "Qualche parola che ricorderai, per esempio il verso di una canzone. Almeno 8 caratteri; più è lunga, più è sicura.",
  "create.confirm": "Scrivi di nuovo la stessa frase segreta",
  "create.warning":
    "Importante: se dimentichi questa frase segreta, nessuno potrà più aprire il tuo diario, nemmeno il servizio di assistenza. Scrivila e conservala in un luogo sicuro.",
  "create.submit": "Crea il mio diario",
  "create.mismatch": "Le due frasi segrete non sono uguali. Scrivile di nuovo.",
  "create.done": "Il tuo diario è pronto.",

  "unlock.title": "Apri il tuo diario",
  "unlock.intro": "Scrivi la tua frase segreta per aprire il diario.",
  "unlock.passphrase": "Frase segreta",
  "unlock.submit": "Apri il mio diario",
  "unlock.done": "Il tuo diario è aperto.",

  "main.lock": "Chiudi il diario",
  "main.locked": "Il tuo diario è chiuso.",

  "note.title": "Scrivi una nota",
  "note.text": "La tua nota",
  "note.textHint": "Come va oggi? Scrivi quanto vuoi, anche poche parole.",
  "note.mood": "Come ti senti?",
  "note.mood.1": "1 – molto giù",
  "note.mood.2": "2 – giù",
  "note.mood.3": "3 – così così",
  "note.mood.4": "4 – bene",
  "note.mood.5": "5 – molto bene",
  "note.burden": "Quanto pesa oggi l'assistenza?",
  "note.burden.1": "1 – molto leggera",
  "note.burden.2": "2 – leggera",
  "note.burden.3": "3 – media",
  "note.burden.4": "4 – pesante",
  "note.burden.5": "5 – molto pesante",
  "note.optional": "(facoltativo)",
  "note.noScore": "Preferisco non dirlo",
  "note.submit": "Salva la nota",
  "note.saved": "La tua nota è salvata.",

  "sharing.legend": "Chi può leggerla?",
  "sharing.private": "Solo io",
  "sharing.private.help": "Resta su questo dispositivo e non viene mai inviata a nessuno.",
  "sharing.agency": "Io e il servizio di assistenza",
  "sharing.agency.help": "Il personale del servizio può leggerla e risponderti.",
  "sharing.research": "Il servizio di assistenza e la ricerca",
  "sharing.research.help":
    "Il servizio può leggerla. Se hai accettato di partecipare alla ricerca, potrà anche essere studiata senza il tuo nome.",

  "timeline.title": "Il tuo diario",
  "timeline.empty": "Non hai ancora scritto nulla. Le tue note appariranno qui, dalla più recente.",
  "timeline.more": "Mostra le voci precedenti",
  "timeline.end": "Sei arrivato alla tua prima voce.",
  "timeline.loading": "Caricamento delle voci…",
  "timeline.mood": "Umore {value} su 5",
  "timeline.burden": "Carico {value} su 5",
  "timeline.sharedWith": "Chi può leggerla: {who}",

  "kind.note": "Nota",
  "kind.need": "Bisogno",
  "kind.experience": "Esperienza con il servizio",
  "kind.trust": "Fiducia",

  "error.checkField": "Controlla il campo segnalato.",
  "error.unexpected": "Qualcosa non ha funzionato. Riprova.",
  "error.details": "Dettagli tecnici",
  "error.wrongPassphrase": "Questa frase segreta non apre il diario. Controllala e riprova.",
  "error.noDiary": "Su questo dispositivo non c'è ancora un diario. Creane prima uno.",
  "error.alreadyExists":
    "Su questo dispositivo c'è già un diario. Aprilo con la tua frase segreta.",
  "error.notFound": "Non è stato possibile trovarlo. Forse è stato eliminato.",
  "error.locked": "Il tuo diario è chiuso. Aprilo prima con la tua frase segreta.",
  "error.storage":
    "Qualcosa non ha funzionato durante il salvataggio o la lettura del diario. Non è andato perso nulla. Riprova.",
  "error.rule.required": "Per favore, compila questo campo.",
  "error.rule.empty": "Questo campo è ancora vuoto. Scrivi qualcosa qui.",
  "error.rule.tooLong": "È troppo lungo. Usa al massimo {max} caratteri.",
  "error.rule.tooShort": "È troppo corto. Usa almeno {min} caratteri.",
  "error.rule.outOfRange": "Scegli un numero da {min} a {max}.",
  "error.rule.badFormat":
    "Il diario non riesce a leggerlo così come è scritto. Controlla, per favore.",
  "error.rule.inFuture": "Questa data è troppo avanti nel futuro. Controllala, per favore.",
  "error.rule.tooEarly": "Questa data è troppo indietro nel passato. Controllala, per favore.",
  "error.rule.unknownChoice": "Scegli una delle possibilità indicate.",
  "error.rule.notAllowed": "Questo non si può usare qui. Cambialo e riprova.",
  "error.rule.other": "Qui c'è qualcosa che non va. Controlla e riprova.",
};
