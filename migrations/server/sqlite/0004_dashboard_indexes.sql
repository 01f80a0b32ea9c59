-- Indexes for the staff dashboard at the size of a large agency (1,000 caregivers, 200,000
-- entries: BENCHMARKS.md). Each covers one page's query, so SQLite reads the index alone. A
-- partial index's own condition column (`entry_kind`) is in the key too: SQLite counts an index
-- as covering only when it holds every column the query names.

-- Warnings, "falling trust": each caregiver's ratings of each subject, newest first.
CREATE INDEX records_trust_series ON records
    (agency_id, entry_kind, caregiver_id, subject, occurred_at DESC, id DESC, score, subject_label)
    WHERE entry_kind = 'trust';
-- Overview, trust by month.
CREATE INDEX records_trust_period ON records
    (agency_id, entry_kind, occurred_at, subject, score, subject_label)
    WHERE entry_kind = 'trust';
-- Overview, needs by outcome and waiting times.
CREATE INDEX records_needs_period ON records
    (agency_id, entry_kind, recorded_at, need_category, need_status, first_reply_at, need_status_at)
    WHERE entry_kind = 'need';
-- Caregivers list: open needs per caregiver.
CREATE INDEX records_caregiver_needs ON records (caregiver_id, entry_kind, need_status)
    WHERE entry_kind = 'need';
-- Overview, tags by month; warnings, recurring factors (the factor and the record come with the
-- table's primary key).
CREATE INDEX record_factors_period ON record_factors
    (agency_id, occurred_at, co_destruction, caregiver_id, subject);
