# The staff dashboard, English. Keys are shared with it/staff.ftl; a test checks both have all.
app-name = Convivio
skip-to-content = Skip to content
nav-queue = Review queue
nav-caregivers = Caregivers
nav-warnings = Early warnings
nav-overview = Overview
nav-catalogue = Services
nav-staff = Staff
nav-audit = Audit log
nav-account = My account
nav-sign-out = Sign out
signed-in-as = Signed in as { $name }

sign-in-title = Sign in
sign-in-intro = Sign in with the username and password the agency gave you.
field-username = Username
field-password = Password
rule-required = is required
sign-in-button = Sign in
sign-in-failed = The username or password is not right. Check them and try again.
sign-in-locked = Too many failed attempts. Try again after { $time }.
signed-out = You are signed out.
session-ended = Your session ended. Sign in again to go on.

error-not-found-title = Page not found
error-not-found = There is no such page, or it is not part of your agency.
error-forbidden-title = Not allowed
error-forbidden = Your role does not allow this page.
error-csrf = This form has expired or did not come from this dashboard. Reload the page and try again.
error-server-title = Something went wrong
error-server = The server could not do this. Try again in a few minutes.
error-back = Back to the review queue
error-invalid-title = Please check the form

queue-title = Review queue
queue-intro = Entries caregivers have shared with the agency, newest first.
queue-filters = Filters
filter-kind = Kind
filter-factor = Factor
filter-urgency = Urgency
filter-status = Need status
filter-caregiver = Caregiver
filter-from = From
filter-until = Until
filter-text = Words
filter-unread = Unread only
filter-overdue = Overdue only
filter-any = Any
filter-apply = Apply filters
filter-clear = Clear filters
queue-empty = No entries match these filters.
queue-mark-read = Mark selected as read
queue-select = Select { $what }
queue-next = Next page
queue-first = First page
queue-unread = Unread
queue-overdue = Overdue
column-when = When
column-caregiver = Caregiver
column-kind = Kind
column-summary = Entry
column-status = Status
marked-read = { $count ->
    [one] One entry marked as read.
   *[other] { $count } entries marked as read.
}

kind-need = Need
kind-experience = Service experience
kind-trust = Trust rating
kind-note = Note

urgency-low = Low
urgency-medium = Medium
urgency-high = High

status-open = Open
status-acknowledged = Acknowledged
status-in_progress = In progress
status-met = Met
status-not_met = Not met

target-agency = The agency
target-service = A service
target-professional = A professional
target-research_team = The research team

sharing-agency = Shared with the agency
sharing-research = Shared with the agency and research

entry-title = { $kind } from { $name }
entry-occurred = Happened
entry-recorded = Written down
entry-sharing = Shared
entry-category = Category
entry-urgency = Urgency
entry-text = Text
entry-service = Service
entry-visit = Visit date
entry-rating = Rating
entry-went-well = What went well
entry-went-badly = What went badly
entry-factors = What made the difference
entry-target = About
entry-score = Trust
entry-reason = Why
entry-mood = Mood
entry-burden = Burden
entry-out-of-five = { $n } out of 5
entry-versions = Earlier versions
entry-version-of = Version of { $time }
entry-no-versions = This entry was not changed.
entry-readers = Read by
entry-thread = Messages
entry-no-messages = No messages yet.
entry-from-caregiver = { $name } (caregiver)
entry-from-staff = { $name } (agency)
entry-reply = Reply to the caregiver
entry-reply-button = Send reply
entry-reply-sent = Your reply is on its way; the caregiver gets it at their next sync.
entry-need = Need follow-up
entry-status-now = Status: { $status }
entry-status-history = Status history
entry-status-change = Change status
entry-status-reason = Reason (required for "not met")
entry-status-button = Save status
entry-status-saved = Status saved; the caregiver sees it at their next sync.
entry-due = Expected reply by
entry-due-default = (agency default for this urgency)
entry-due-button = Save date
entry-due-reset = Use the agency default
entry-due-saved = Expected-reply date saved.
entry-overdue = Overdue since { $time }
entry-caregiver-page = All of { $name }'s entries
