-- Indexes for the staff dashboard at the size of a large agency (1,000 caregivers, 200,000
-- entries: BENCHMARKS.md); the same as migrations/server/sqlite/0004_dashboard_indexes.sql,
-- which explains each, with INCLUDE for the columns read but not searched. Index-only scans
-- also need the visibility map that (auto)vacuum keeps.

CREATE INDEX records_trust_series ON records
    (agency_id, caregiver_id, subject, occurred_at DESC, id DESC) INCLUDE (score, subject_label)
    WHERE entry_kind = 'trust';
CREATE INDEX records_trust_period ON records
    (agency_id, occurred_at) INCLUDE (subject, score, subject_label)
    WHERE entry_kind = 'trust';
CREATE INDEX records_needs_period ON records
    (agency_id, recorded_at) INCLUDE (need_category, need_status, first_reply_at, need_status_at)
    WHERE entry_kind = 'need';
CREATE INDEX records_caregiver_needs ON records (caregiver_id, need_status)
    WHERE entry_kind = 'need';
CREATE INDEX record_factors_period ON record_factors
    (agency_id, occurred_at) INCLUDE (co_destruction, factor, caregiver_id, subject, record_id);
