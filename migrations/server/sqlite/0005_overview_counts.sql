-- The agency overview's counts, kept by month as the records change, so the overview reads a
-- few hundred rows instead of counting every tag, rating and need of the period (a year of a
-- large agency is some 40,000 of each: BENCHMARKS.md, "Staff dashboard").
--
-- One row per agency, UTC month (`YYYY-MM`), measure and key:
--   tag    key1 the factor code,  key2 `co_destruction` | `co_creation`; n tags
--   trust  key1 the subject key,  key2 the subject's label as written; n ratings, total their sum
--   need   key1 the category,     key2 the need's status now (`open` when none); n needs
-- A row whose n fell to 0 stays (readers skip it); keys repeat month after month, so few do.
--
-- Triggers keep it, whatever statement changes a row (a device's version, a tombstone, a staff
-- status change, a deletion, the start-up fill of readable columns): the program's write paths
-- need not remember it. The months and conditions are the overview's own: tags by the entry's
-- occurred_at, ratings by occurred_at, needs by recorded_at.
CREATE TABLE overview_counts (
    agency_id TEXT NOT NULL,
    month     TEXT NOT NULL,
    measure   TEXT NOT NULL CHECK (measure IN ('tag', 'trust', 'need')),
    key1      TEXT NOT NULL,
    key2      TEXT NOT NULL,
    n         INTEGER NOT NULL,
    total     INTEGER NOT NULL,
    PRIMARY KEY (agency_id, month, measure, key1, key2)
) WITHOUT ROWID;

-- What one records row counts for: at most one part (a need, or a trust rating).
CREATE VIEW overview_parts AS
    SELECT rowid AS record_rowid, agency_id, substr(recorded_at, 1, 7) AS month, 'need' AS measure,
           coalesce(need_category, '') AS key1, coalesce(need_status, 'open') AS key2, 1 AS n, 0 AS total
    FROM records WHERE entry_kind = 'need' AND recorded_at IS NOT NULL
    UNION ALL
    SELECT rowid, agency_id, substr(occurred_at, 1, 7), 'trust', coalesce(subject, ''),
           coalesce(subject_label, ''), 1, score
    FROM records WHERE entry_kind = 'trust' AND score IS NOT NULL AND occurred_at IS NOT NULL;

INSERT INTO overview_counts (agency_id, month, measure, key1, key2, n, total)
    SELECT agency_id, month, measure, key1, key2, count(*), sum(total) FROM overview_parts
    GROUP BY 1, 2, 3, 4, 5;
INSERT INTO overview_counts (agency_id, month, measure, key1, key2, n, total)
    SELECT agency_id, substr(occurred_at, 1, 7), 'tag', factor,
           CASE co_destruction WHEN 1 THEN 'co_destruction' ELSE 'co_creation' END, count(*), 0
    FROM record_factors GROUP BY 1, 2, 3, 4, 5;

-- A row's old part is taken away before a change (while the table still holds it), its new
-- part added after. Only rows that count, or counted, and only when a counted column changes.
CREATE TRIGGER records_overview_insert AFTER INSERT ON records
WHEN NEW.entry_kind IN ('need', 'trust')
BEGIN
    INSERT INTO overview_counts (agency_id, month, measure, key1, key2, n, total)
        SELECT agency_id, month, measure, key1, key2, n, total FROM overview_parts
        WHERE record_rowid = NEW.rowid
        ON CONFLICT DO UPDATE SET n = n + excluded.n, total = total + excluded.total;
END;

CREATE TRIGGER records_overview_before_update
BEFORE UPDATE OF agency_id, entry_kind, occurred_at, recorded_at, need_category, need_status, score,
                 subject, subject_label ON records
WHEN (OLD.entry_kind IN ('need', 'trust') OR NEW.entry_kind IN ('need', 'trust'))
 AND (OLD.agency_id IS NOT NEW.agency_id OR OLD.entry_kind IS NOT NEW.entry_kind
      OR OLD.occurred_at IS NOT NEW.occurred_at OR OLD.recorded_at IS NOT NEW.recorded_at
      OR OLD.need_category IS NOT NEW.need_category OR OLD.need_status IS NOT NEW.need_status
      OR OLD.score IS NOT NEW.score OR OLD.subject IS NOT NEW.subject
      OR OLD.subject_label IS NOT NEW.subject_label)
BEGIN
    INSERT INTO overview_counts (agency_id, month, measure, key1, key2, n, total)
        SELECT agency_id, month, measure, key1, key2, -n, -total FROM overview_parts
        WHERE record_rowid = OLD.rowid
        ON CONFLICT DO UPDATE SET n = n + excluded.n, total = total + excluded.total;
END;

CREATE TRIGGER records_overview_after_update
AFTER UPDATE OF agency_id, entry_kind, occurred_at, recorded_at, need_category, need_status, score,
                subject, subject_label ON records
WHEN (OLD.entry_kind IN ('need', 'trust') OR NEW.entry_kind IN ('need', 'trust'))
 AND (OLD.agency_id IS NOT NEW.agency_id OR OLD.entry_kind IS NOT NEW.entry_kind
      OR OLD.occurred_at IS NOT NEW.occurred_at OR OLD.recorded_at IS NOT NEW.recorded_at
      OR OLD.need_category IS NOT NEW.need_category OR OLD.need_status IS NOT NEW.need_status
      OR OLD.score IS NOT NEW.score OR OLD.subject IS NOT NEW.subject
      OR OLD.subject_label IS NOT NEW.subject_label)
BEGIN
    INSERT INTO overview_counts (agency_id, month, measure, key1, key2, n, total)
        SELECT agency_id, month, measure, key1, key2, n, total FROM overview_parts
        WHERE record_rowid = NEW.rowid
        ON CONFLICT DO UPDATE SET n = n + excluded.n, total = total + excluded.total;
END;

CREATE TRIGGER records_overview_delete BEFORE DELETE ON records
WHEN OLD.entry_kind IN ('need', 'trust')
BEGIN
    INSERT INTO overview_counts (agency_id, month, measure, key1, key2, n, total)
        SELECT agency_id, month, measure, key1, key2, -n, -total FROM overview_parts
        WHERE record_rowid = OLD.rowid
        ON CONFLICT DO UPDATE SET n = n + excluded.n, total = total + excluded.total;
END;

-- Tags: record_factors rows are deleted and written again with each version of an entry.
CREATE TRIGGER record_factors_overview_insert AFTER INSERT ON record_factors
BEGIN
    INSERT INTO overview_counts (agency_id, month, measure, key1, key2, n, total)
        VALUES (NEW.agency_id, substr(NEW.occurred_at, 1, 7), 'tag', NEW.factor,
                CASE NEW.co_destruction WHEN 1 THEN 'co_destruction' ELSE 'co_creation' END, 1, 0)
        ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER record_factors_overview_delete AFTER DELETE ON record_factors
BEGIN
    INSERT INTO overview_counts (agency_id, month, measure, key1, key2, n, total)
        VALUES (OLD.agency_id, substr(OLD.occurred_at, 1, 7), 'tag', OLD.factor,
                CASE OLD.co_destruction WHEN 1 THEN 'co_destruction' ELSE 'co_creation' END, -1, 0)
        ON CONFLICT DO UPDATE SET n = n - 1;
END;

-- Nothing updates a tag row today; if something does, it moves the count with it.
CREATE TRIGGER record_factors_overview_update AFTER UPDATE ON record_factors
BEGIN
    INSERT INTO overview_counts (agency_id, month, measure, key1, key2, n, total)
        VALUES (OLD.agency_id, substr(OLD.occurred_at, 1, 7), 'tag', OLD.factor,
                CASE OLD.co_destruction WHEN 1 THEN 'co_destruction' ELSE 'co_creation' END, -1, 0)
        ON CONFLICT DO UPDATE SET n = n - 1;
    INSERT INTO overview_counts (agency_id, month, measure, key1, key2, n, total)
        VALUES (NEW.agency_id, substr(NEW.occurred_at, 1, 7), 'tag', NEW.factor,
                CASE NEW.co_destruction WHEN 1 THEN 'co_destruction' ELSE 'co_creation' END, 1, 0)
        ON CONFLICT DO UPDATE SET n = n + 1;
END;

-- Only the overview's trust by month read this index; the counts above replace it.
DROP INDEX records_trust_period;
