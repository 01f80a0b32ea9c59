/**
 * English: the reference dictionary. Its keys define `MessageKey`, so a key missing from any
 * other language is a type error (and the i18n test catches an empty or mistyped one).
 * Placeholders are `{name}` and must appear in every translation.
 */
export const en = {
  "app.tagline": "Your care diary. It stays on this device.",
  "lang.label": "Language",
  "status.loading": "Opening…",
  "status.busy": "Please wait…",

  "passphrase.show": "Show the passphrase while typing",

  "create.title": "Create your diary",
  "create.intro":
    "Your diary is kept on this device and locked with a passphrase that only you know.",
  "create.passphrase": "Choose a passphrase",
  "create.passphraseHint":
    "A few words you will remember, for example a line from a song. At least 8 characters; longer is safer.",
  "create.confirm": "Type the same passphrase again",
  "create.warning":
    "Important: if you forget this passphrase, nobody can open your diary again, not even the care agency. Write it down and keep it in a safe place.",
  "create.submit": "Create my diary",
  "create.mismatch": "The two passphrases are not the same. Please type them again.",
  "create.done": "Your diary is ready.",

  "unlock.title": "Open your diary",
  "unlock.intro": "Type your passphrase to open your diary.",
  "unlock.passphrase": "Passphrase",
  "unlock.submit": "Open my diary",
  "unlock.done": "Your diary is open.",

  "main.lock": "Lock the diary",
  "main.locked": "Your diary is locked.",

  "note.title": "Write a note",
  "note.text": "Your note",
  "note.textHint": "How are things today? Write as much or as little as you like.",
  "note.mood": "How is your mood?",
  "note.mood.1": "1 – very low",
  "note.mood.2": "2 – low",
  "note.mood.3": "3 – so-so",
  "note.mood.4": "4 – good",
  "note.mood.5": "5 – very good",
  "note.burden": "How heavy does caring feel today?",
  "note.burden.1": "1 – very light",
  "note.burden.2": "2 – light",
  "note.burden.3": "3 – medium",
  "note.burden.4": "4 – heavy",
  "note.burden.5": "5 – very heavy",
  "note.optional": "(optional)",
  "note.noScore": "Rather not say",
  "note.submit": "Save the note",
  "note.saved": "Your note is saved.",

  "sharing.legend": "Who may read this?",
  "sharing.private": "Only me",
  "sharing.private.help": "It stays on this device and is never sent to anyone.",
  "sharing.agency": "Me and the care agency",
  "sharing.agency.help": "The agency's staff can read it and answer you.",
  "sharing.research": "The care agency and research",
  "sharing.research.help":
    "The agency can read it. If you have agreed to take part in research, it may also be studied without your name.",

  "timeline.title": "Your diary",
  "timeline.empty": "Nothing written yet. Your notes will appear here, newest first.",
  "timeline.more": "Show older entries",
  "timeline.end": "You have reached your first entry.",
  "timeline.loading": "Loading entries…",
  "timeline.mood": "Mood {value} of 5",
  "timeline.burden": "Burden {value} of 5",
  "timeline.sharedWith": "Who may read it: {who}",
  "timeline.journey.only_here": "Only on this device",
  "timeline.journey.waiting": "Waiting to be sent",
  "timeline.journey.received": "Received by the agency",
  "timeline.journey.read": "Read by {name} on {when}",
  "timeline.journey.answered": "The agency answered on {when}",

  "kind.note": "Note",
  "kind.need": "Need",
  "kind.experience": "Service experience",
  "kind.trust": "Trust",

  "sync.title": "Your care agency",
  "sync.connected": "Connected to {agency}.",
  "sync.notConnected":
    "This diary is not connected to a care agency yet. What you share with the agency waits on this device until you connect.",
  "sync.last": "Last synced: {when}",
  "sync.never": "Not synced yet.",
  "sync.justNow": "just now",
  "sync.waiting.none": "Nothing is waiting to be sent.",
  "sync.waiting.one": "1 entry is waiting to be sent.",
  "sync.waiting.other": "{count} entries are waiting to be sent.",
  "sync.problem": "The last try did not work.",
  "sync.now": "Sync now",
  "sync.syncing": "Syncing with the agency…",
  "sync.done": "Synced with your care agency.",
  "sync.details": "Connection details",
  "sync.server": "Server address: {url}",
  "sync.device": "Number of this device: {id}",

  "enrol.title": "Connect to your care agency",
  "enrol.againTitle": "Connect again with a new code",
  "enrol.intro": "Your care agency gives you the address of its server and a one-time code.",
  "enrol.server": "Server address",
  "enrol.serverHint": "For example https://agency.example",
  "enrol.code": "One-time code",
  "enrol.codeHint": "Type it as the agency wrote it, for example ABCD-EFGH.",
  "enrol.submit": "Connect",
  "enrol.done": "Your diary is now connected to {agency}.",

  "error.checkField": "Please check the marked field.",
  "error.unexpected": "Something went wrong. Please try again.",
  "error.details": "Technical details",
  "error.wrongPassphrase": "That passphrase does not open this diary. Check it and try again.",
  "error.noDiary": "There is no diary on this device yet. Please create one first.",
  "error.alreadyExists":
    "There is already a diary on this device. Please open it with your passphrase.",
  "error.notFound": "We could not find this. It may have been removed.",
  "error.locked": "Your diary is locked. Please open it with your passphrase first.",
  "error.storage":
    "Something went wrong while saving or reading your diary. Nothing was lost. Please try again.",
  "error.notEnrolled":
    "This diary is not connected to a care agency yet. Connect it with the code the agency gave you.",
  "error.alreadyEnrolled": "This diary is already connected to a care agency.",
  "error.revoked":
    "Your care agency has disconnected this device, so nothing more is sent. Your diary stays on this device. Ask the agency for a new code to connect again.",
  "error.unauthorized":
    "The agency's server no longer recognises this device. Your diary stays on this device. Ask the agency for a new code to connect again.",
  "error.badServerUrl":
    "The diary cannot use this address. It must start with https:// (http:// only for a server on this computer).",
  "error.codeRefused": "The agency's server did not accept this code. Check it, or ask the agency for a new one.",
  "error.tooManyRequests": "Too many tries in a short time. Please wait a few minutes and try again.",
  "error.unreachable":
    "The agency's server could not be reached. Nothing is lost: your entries wait on this device and are sent later.",
  "error.timedOut":
    "The agency's server took too long to answer. Nothing is lost: the diary will try again.",
  "error.connectionLost":
    "The connection to the agency's server broke off. Nothing is lost: the diary will try again, sending less at a time.",
  "error.serverError":
    "The agency's server had a problem. Nothing is lost: the diary will try again later.",
  "error.syncLater":
    "The diary and the agency's server could not agree this time. Nothing is lost: the diary will try again later.",
  "error.tooLarge": "One entry is larger than the agency's server accepts. Please tell the agency.",
  "error.updateApp": "This version of Convivio is too old for the agency's server. Please update the app.",
  "error.rule.required": "Please fill this in.",
  "error.rule.empty": "This is still empty. Please write something here.",
  "error.rule.tooLong": "This is too long. Please keep it to {max} characters or fewer.",
  "error.rule.tooShort": "This is too short. Please use at least {min} characters.",
  "error.rule.outOfRange": "Please choose a number from {min} to {max}.",
  "error.rule.badFormat": "The diary cannot read this as it is written. Please check it.",
  "error.rule.inFuture": "This date is too far in the future. Please check it.",
  "error.rule.tooEarly": "This date is too far in the past. Please check it.",
  "error.rule.unknownChoice": "Please choose one of the options shown.",
  "error.rule.notAllowed": "This cannot be used here. Please change it and try again.",
  "error.rule.other": "Something here is not right. Please check it and try again.",
} as const;
