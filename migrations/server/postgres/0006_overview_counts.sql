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

-- What a statement changed: the parts of the rows as they are now, less the parts of the same
-- rows as they were. Once per statement, not per row: a batch's rows are written by a few
-- array statements (postgres/readable.rs), and a trigger per row cost a third more time on a
-- seeded agency's writes. Parts that cancel (a row rewritten unchanged, the stamper numbering
-- rows) leave no delta. Only needs and ratings have parts, so other rows are not looked at.
CREATE FUNCTION overview_note_records() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO overview_deltas (agency_id, month, measure, key1, key2, n, total)
            SELECT p.agency_id, p.month, p.measure, p.key1, p.key2, sum(p.n), sum(p.total)
            FROM added r CROSS JOIN LATERAL overview_parts(r) p
            WHERE r.entry_kind IN ('need', 'trust')
            GROUP BY 1, 2, 3, 4, 5;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO overview_deltas (agency_id, month, measure, key1, key2, n, total)
            SELECT p.agency_id, p.month, p.measure, p.key1, p.key2, -sum(p.n), -sum(p.total)
            FROM removed r CROSS JOIN LATERAL overview_parts(r) p
            WHERE r.entry_kind IN ('need', 'trust')
            GROUP BY 1, 2, 3, 4, 5;
    ELSE
        INSERT INTO overview_deltas (agency_id, month, measure, key1, key2, n, total)
            SELECT d.agency_id, d.month, d.measure, d.key1, d.key2, sum(d.n), sum(d.total)
            FROM (SELECT p.* FROM added r CROSS JOIN LATERAL overview_parts(r) p
                  WHERE r.entry_kind IN ('need', 'trust')
                  UNION ALL
                  SELECT p.agency_id, p.month, p.measure, p.key1, p.key2, -p.n, -p.total
                  FROM removed r CROSS JOIN LATERAL overview_parts(r) p
                  WHERE r.entry_kind IN ('need', 'trust')) d
            GROUP BY 1, 2, 3, 4, 5
            HAVING sum(d.n) <> 0 OR sum(d.total) <> 0;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER records_overview_insert AFTER INSERT ON records
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION overview_note_records();
CREATE TRIGGER records_overview_update AFTER UPDATE ON records
    REFERENCING OLD TABLE AS removed NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION overview_note_records();
CREATE TRIGGER records_overview_delete AFTER DELETE ON records
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION overview_note_records();

-- Tags: record_factors rows are deleted and written again with each version of an entry, a
-- batch's in one statement each, so these triggers run once per statement and note each
-- month's and factor's change as one delta, not one per row.
CREATE FUNCTION overview_note_factors() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO overview_deltas (agency_id, month, measure, key1, key2, n, total)
            SELECT agency_id, to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM'), 'tag', factor,
                   CASE WHEN co_destruction THEN 'co_destruction' ELSE 'co_creation' END, -count(*), 0
            FROM removed GROUP BY 1, 2, 3, 4, 5;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO overview_deltas (agency_id, month, measure, key1, key2, n, total)
            SELECT agency_id, to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM'), 'tag', factor,
                   CASE WHEN co_destruction THEN 'co_destruction' ELSE 'co_creation' END, count(*), 0
            FROM added GROUP BY 1, 2, 3, 4, 5;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER record_factors_overview_insert AFTER INSERT ON record_factors
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION overview_note_factors();
CREATE TRIGGER record_factors_overview_update AFTER UPDATE ON record_factors
    REFERENCING OLD TABLE AS removed NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION overview_note_factors();
CREATE TRIGGER record_factors_overview_delete AFTER DELETE ON record_factors
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION overview_note_factors();

-- Only the overview's trust by month read this index; the counts above replace it.
DROP INDEX records_trust_period;
