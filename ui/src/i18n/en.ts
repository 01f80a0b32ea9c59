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

  "kind.note": "Note",
  "kind.need": "Need",
  "kind.experience": "Service experience",
  "kind.trust": "Trust",

  "error.checkField": "Please check the marked field.",
  "error.unexpected": "Something went wrong. Please try again.",
} as const;
