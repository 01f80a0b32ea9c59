# La dashboard del personale, italiano. Stesse chiavi di en/staff.ftl; un test lo controlla.
app-name = Convivio
skip-to-content = Vai al contenuto
nav-queue = Da esaminare
nav-caregivers = Caregiver
nav-warnings = Segnali d'allarme
nav-overview = Panoramica
nav-catalogue = Servizi
nav-staff = Personale
nav-audit = Registro attività
nav-account = Il mio account
nav-sign-out = Esci
signed-in-as = Accesso come { $name }

sign-in-title = Accedi
sign-in-intro = Accedi con il nome utente e la password ricevuti dall'agenzia.
field-username = Nome utente
field-password = Password
rule-required = è obbligatorio
sign-in-button = Accedi
sign-in-failed = Nome utente o password non corretti. Controllali e riprova.
sign-in-locked = Troppi tentativi falliti. Riprova dopo le { $time }.
signed-out = Sei uscito.
session-ended = La sessione è scaduta. Accedi di nuovo per continuare.

error-not-found-title = Pagina non trovata
error-not-found = Questa pagina non esiste o non appartiene alla tua agenzia.
error-forbidden-title = Non consentito
error-forbidden = Il tuo ruolo non consente di aprire questa pagina.
error-csrf = Il modulo è scaduto o non proviene da questa dashboard. Ricarica la pagina e riprova.
error-server-title = Qualcosa è andato storto
error-server = Il server non è riuscito a farlo. Riprova tra qualche minuto.
error-back = Torna alle voci da esaminare
error-invalid-title = Controlla il modulo

queue-title = Da esaminare
queue-intro = Le voci che i caregiver hanno condiviso con l'agenzia, dalla più recente.
queue-filters = Filtri
filter-kind = Tipo
filter-factor = Fattore
filter-urgency = Urgenza
filter-status = Stato del bisogno
filter-caregiver = Caregiver
filter-from = Dal
filter-until = Al
filter-text = Parole
filter-unread = Solo non lette
filter-overdue = Solo in ritardo
filter-any = Qualsiasi
filter-apply = Applica i filtri
filter-clear = Togli i filtri
queue-empty = Nessuna voce corrisponde a questi filtri.
queue-mark-read = Segna come lette le voci scelte
queue-select = Scegli { $what }
queue-next = Pagina successiva
queue-first = Prima pagina
queue-unread = Non letta
queue-overdue = In ritardo
column-when = Quando
column-caregiver = Caregiver
column-kind = Tipo
column-summary = Voce
column-status = Stato
marked-read = { $count ->
    [one] Una voce segnata come letta.
   *[other] { $count } voci segnate come lette.
}

kind-need = Bisogno
kind-experience = Esperienza con un servizio
kind-trust = Fiducia
kind-note = Nota

urgency-low = Bassa
urgency-medium = Media
urgency-high = Alta

status-open = Aperto
status-acknowledged = Preso in carico
status-in_progress = In corso
status-met = Soddisfatto
status-not_met = Non soddisfatto

target-agency = L'agenzia
target-service = Un servizio
target-professional = Un professionista
target-research_team = Il gruppo di ricerca

sharing-agency = Condivisa con l'agenzia
sharing-research = Condivisa con l'agenzia e la ricerca

entry-title = { $kind } di { $name }
entry-occurred = Accaduto
entry-recorded = Annotato
entry-sharing = Condivisione
entry-category = Categoria
entry-urgency = Urgenza
entry-text = Testo
entry-service = Servizio
entry-visit = Data della visita
entry-rating = Valutazione
entry-went-well = Cosa è andato bene
entry-went-badly = Cosa è andato male
entry-factors = Cosa ha fatto la differenza
entry-target = Riguarda
entry-score = Fiducia
entry-reason = Perché
entry-mood = Umore
entry-burden = Carico
entry-out-of-five = { $n } su 5
entry-versions = Versioni precedenti
entry-version-of = Versione del { $time }
entry-no-versions = Questa voce non è stata modificata.
entry-readers = Letta da
entry-thread = Messaggi
entry-no-messages = Ancora nessun messaggio.
entry-from-caregiver = { $name } (caregiver)
entry-from-staff = { $name } (agenzia)
entry-reply = Rispondi al caregiver
entry-reply-button = Invia la risposta
entry-reply-sent = La risposta è in viaggio: il caregiver la riceve alla prossima sincronizzazione.
entry-need = Seguito del bisogno
entry-status-now = Stato: { $status }
entry-status-history = Storia dello stato
entry-status-change = Cambia lo stato
entry-status-reason = Motivo (obbligatorio per "non soddisfatto")
entry-status-button = Salva lo stato
entry-status-saved = Stato salvato: il caregiver lo vede alla prossima sincronizzazione.
entry-due = Risposta attesa entro
entry-due-default = (predefinito dell'agenzia per questa urgenza)
entry-due-button = Salva la data
entry-due-reset = Usa il predefinito dell'agenzia
entry-due-saved = Data di risposta attesa salvata.
entry-overdue = In ritardo dal { $time }
entry-caregiver-page = Tutte le voci di { $name }
