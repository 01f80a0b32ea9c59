-- The early warnings' two narrow reads, each from an index of only the rows it wants (as in
-- postgres/0010_warning_indexes.sql).
--
-- Recurring factors read co-destruction tags alone, oldest first, covered and in order; the
-- period index held every tag and left the order to a temporary B-tree. It replaces that one.
DROP INDEX record_factors_period;
CREATE INDEX record_factors_destruction ON record_factors
    (agency_id, occurred_at, record_id, factor, caregiver_id, subject) WHERE co_destruction;

-- Needs marked not met with no message after.
CREATE INDEX records_unanswered_not_met ON records (agency_id, need_status_at, id)
    WHERE entry_kind = 'need' AND need_status = 'not_met'
      AND (last_reply_at IS NULL OR last_reply_at < need_status_at);
