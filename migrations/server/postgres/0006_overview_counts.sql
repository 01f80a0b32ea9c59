-- The agency overview's counts, kept by month as the records change: the same rows and keys as
-- migrations/server/sqlite/0005_overview_counts.sql, which explains them.
--
-- One difference. Concurrent device batches of one agency commit side by side (postgres/stamp.rs
-- explains why), and counters updated in their transactions would make every batch of the
-- agency queue on the current month's rows again, and deadlock when two take them in different
-- orders. So the triggers only append changes to `overview_deltas`, which no two writers share,
-- and the agency's stamper, which runs alone for its agency after each batch, folds them into
-- `overview_counts`. Readers add the two, so a change is counted from its commit on.
CREATE TABLE overview_counts (
    agency_id uuid NOT NULL,
    month     text NOT NULL,
    measure   text NOT NULL CHECK (measure IN ('tag', 'trust', 'need')),
    key1      text NOT NULL,
    key2      text NOT NULL,
    n         bigint NOT NULL,
    total     bigint NOT NULL,
    PRIMARY KEY (agency_id, month, measure, key1, key2)
);

CREATE TABLE overview_deltas (
    agency_id uuid NOT NULL,
    month     text NOT NULL,
    measure   text NOT NULL,
    key1      text NOT NULL,
    key2      text NOT NULL,
    n         bigint NOT NULL,
    total     bigint NOT NULL
);
CREATE INDEX overview_deltas_agency ON overview_deltas (agency_id, month);

-- What one records row counts for: at most one part (a need, or a trust rating); none for NULL.
CREATE FUNCTION overview_parts(r records)
RETURNS TABLE (agency_id uuid, month text, measure text, key1 text, key2 text, n bigint, total bigint)
LANGUAGE sql STABLE STRICT AS $$
    SELECT r.agency_id, to_char(r.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM'), 'need',
           coalesce(r.need_category, ''), coalesce(r.need_status, 'open'), 1::bigint, 0::bigint
    WHERE r.entry_kind = 'need' AND r.recorded_at IS NOT NULL
    UNION ALL
    SELECT r.agency_id, to_char(r.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM'), 'trust',
           coalesce(r.subject, ''), coalesce(r.subject_label, ''), 1::bigint, r.score::bigint
    WHERE r.entry_kind = 'trust' AND r.score IS NOT NULL AND r.occurred_at IS NOT NULL
$$;

INSERT INTO overview_counts (agency_id, month, measure, key1, key2, n, total)
    SELECT p.agency_id, p.month, p.measure, p.key1, p.key2, count(*), sum(p.total)
    FROM records r CROSS JOIN LATERAL overview_parts(r) p
    GROUP BY 1, 2, 3, 4, 5;
INSERT INTO overview_counts (agency_id, month, measure, key1, key2, n, total)
    SELECT agency_id, to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM'), 'tag', factor,
           CASE WHEN co_destruction THEN 'co_destruction' ELSE 'co_creation' END, count(*), 0
    FROM record_factors GROUP BY 1, 2, 3, 4, 5;

-- A row's new part, less its old one (OLD is NULL on insert, NEW on delete).
CREATE FUNCTION overview_note_record() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO overview_deltas (agency_id, month, measure, key1, key2, n, total)
        SELECT d.agency_id, d.month, d.measure, d.key1, d.key2, sum(d.n), sum(d.total)
        FROM (SELECT * FROM overview_parts(NEW)
              UNION ALL
              SELECT o.agency_id, o.month, o.measure, o.key1, o.key2, -o.n, -o.total
              FROM overview_parts(OLD) o) d
        GROUP BY 1, 2, 3, 4, 5
        HAVING sum(d.n) <> 0 OR sum(d.total) <> 0;
    RETURN NULL;
END $$;

CREATE TRIGGER records_overview_insert AFTER INSERT ON records
    FOR EACH ROW WHEN (NEW.entry_kind IN ('need', 'trust'))
    EXECUTE FUNCTION overview_note_record();
CREATE TRIGGER records_overview_update
    AFTER UPDATE OF agency_id, entry_kind, occurred_at, recorded_at, need_category, need_status, score,
                    subject, subject_label ON records
    FOR EACH ROW WHEN ((OLD.entry_kind IN ('need', 'trust') OR NEW.entry_kind IN ('need', 'trust'))
        AND (OLD.agency_id, OLD.entry_kind, OLD.occurred_at, OLD.recorded_at, OLD.need_category,
             OLD.need_status, OLD.score, OLD.subject, OLD.subject_label)
            IS DISTINCT FROM
            (NEW.agency_id, NEW.entry_kind, NEW.occurred_at, NEW.recorded_at, NEW.need_category,
             NEW.need_status, NEW.score, NEW.subject, NEW.subject_label))
    EXECUTE FUNCTION overview_note_record();
CREATE TRIGGER records_overview_delete AFTER DELETE ON records
    FOR EACH ROW WHEN (OLD.entry_kind IN ('need', 'trust'))
    EXECUTE FUNCTION overview_note_record();

-- Tags: record_factors rows are deleted and written again with each version of an entry.
CREATE FUNCTION overview_note_factor() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO overview_deltas (agency_id, month, measure, key1, key2, n, total)
            VALUES (OLD.agency_id, to_char(OLD.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM'), 'tag', OLD.factor,
                    CASE WHEN OLD.co_destruction THEN 'co_destruction' ELSE 'co_creation' END, -1, 0);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO overview_deltas (agency_id, month, measure, key1, key2, n, total)
            VALUES (NEW.agency_id, to_char(NEW.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM'), 'tag', NEW.factor,
                    CASE WHEN NEW.co_destruction THEN 'co_destruction' ELSE 'co_creation' END, 1, 0);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER record_factors_overview AFTER INSERT OR UPDATE OR DELETE ON record_factors
    FOR EACH ROW EXECUTE FUNCTION overview_note_factor();

-- Only the overview's trust by month read this index; the counts above replace it.
DROP INDEX records_trust_period;
