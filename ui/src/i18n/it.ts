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
  "timeline.journey.only_here": "Solo su questo dispositivo",
  "timeline.journey.waiting": "In attesa di essere inviata",
  "timeline.journey.received": "Ricevuta dall'agenzia",
  "timeline.journey.read": "Letta da {name}, {when}",
  "timeline.journey.answered": "L'agenzia ha risposto, {when}",

  "kind.note": "Nota",
  "kind.need": "Bisogno",
  "kind.experience": "Esperienza con il servizio",
  "kind.trust": "Fiducia",

  "sync.title": "Il tuo servizio di assistenza",
  "sync.connected": "Collegato a {agency}.",
  "sync.notConnected":
    "Questo diario non è ancora collegato a un servizio di assistenza. Ciò che condividi con il servizio aspetta su questo dispositivo finché non ti colleghi.",
  "sync.last": "Ultima sincronizzazione: {when}",
  "sync.never": "Non ancora sincronizzato.",
  "sync.justNow": "proprio ora",
  "sync.waiting.none": "Non c'è nulla in attesa di invio.",
  "sync.waiting.one": "1 voce è in attesa di invio.",
  "sync.waiting.other": "{count} voci sono in attesa di invio.",
  "sync.problem": "L'ultimo tentativo non è riuscito.",
  "sync.now": "Sincronizza ora",
  "sync.syncing": "Sincronizzazione con il servizio…",
  "sync.done": "Sincronizzato con il tuo servizio di assistenza.",
  "sync.details": "Dettagli del collegamento",
  "sync.server": "Indirizzo del server: {url}",
  "sync.device": "Numero di questo dispositivo: {id}",

  "enrol.title": "Collegati al tuo servizio di assistenza",
  "enrol.againTitle": "Collegati di nuovo con un nuovo codice",
  "enrol.intro": "Il tuo servizio di assistenza ti dà l'indirizzo del suo server e un codice da usare una sola volta.",
  "enrol.server": "Indirizzo del server",
  "enrol.serverHint": "Per esempio https://servizio.example",
  "enrol.code": "Codice monouso",
  "enrol.codeHint": "Scrivilo come te l'ha dato il servizio, per esempio ABCD-EFGH.",
  "enrol.submit": "Collegati",
  "enrol.done": "Il tuo diario ora è collegato a {agency}.",

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
  "error.notEnrolled":
    "Questo diario non è ancora collegato a un servizio di assistenza. Collegalo con il codice che ti ha dato il servizio.",
  "error.alreadyEnrolled": "Questo diario è già collegato a un servizio di assistenza.",
  "error.revoked":
    "Il tuo servizio di assistenza ha scollegato questo dispositivo: non viene più inviato nulla. Il tuo diario resta su questo dispositivo. Chiedi al servizio un nuovo codice per collegarti di nuovo.",
  "error.unauthorized":
    "Il server del servizio non riconosce più questo dispositivo. Il tuo diario resta su questo dispositivo. Chiedi al servizio un nuovo codice per collegarti di nuovo.",
  "error.badServerUrl":
    "Il diario non può usare questo indirizzo. Deve cominciare con https:// (http:// solo per un server su questo computer).",
  "error.codeRefused":
    "Il server del servizio non ha accettato questo codice. Controllalo, oppure chiedi al servizio un codice nuovo.",
  "error.tooManyRequests": "Troppi tentativi in poco tempo. Aspetta qualche minuto e riprova.",
  "error.unreachable":
    "Non è stato possibile raggiungere il server del servizio. Non è andato perso nulla: le tue voci aspettano su questo dispositivo e saranno inviate più tardi.",
  "error.timedOut":
    "Il server del servizio ha impiegato troppo a rispondere. Non è andato perso nulla: il diario riproverà.",
  "error.connectionLost":
    "Il collegamento con il server del servizio si è interrotto. Non è andato perso nulla: il diario riproverà, inviando meno dati alla volta.",
  "error.serverError":
    "Il server del servizio ha avuto un problema. Non è andato perso nulla: il diario riproverà più tardi.",
  "error.syncLater":
    "Questa volta il diario e il server del servizio non si sono capiti. Non è andato perso nulla: il diario riproverà più tardi.",
  "error.tooLarge": "Una voce è più grande di quanto accetti il server del servizio. Avvisa il servizio.",
  "error.updateApp": "Questa versione di Convivio è troppo vecchia per il server del servizio. Aggiorna l'app.",
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
