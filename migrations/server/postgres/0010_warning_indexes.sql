-- The early warnings' two narrow reads, each from an index of only the rows it wants.
--
-- Recurring factors read co-destruction tags alone, oldest first: the period index held every
-- tag and PostgreSQL chose to scan the table and sort instead. This one is half the size, in
-- the rule's order, and replaces it (the overview counts tags in overview_counts now).
DROP INDEX record_factors_period;
CREATE INDEX record_factors_destruction ON record_factors (agency_id, occurred_at, record_id)
    INCLUDE (factor, caregiver_id, subject) WHERE co_destruction;

-- Needs marked not met with no message after: a few rows, where the rule used to read every
-- not-met need of the agency from the table to compare two of its times.
CREATE INDEX records_unanswered_not_met ON records (agency_id, need_status_at, id)
    WHERE entry_kind = 'need' AND need_status = 'not_met'
      AND (last_reply_at IS NULL OR last_reply_at < need_status_at);
