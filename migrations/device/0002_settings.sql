-- Schema version 2: the caregiver's preferences on the device (language, ...), and an index
-- for timeline date ranges.
CREATE TABLE settings (
    key           TEXT    PRIMARY KEY,
    value         TEXT    NOT NULL
);
CREATE INDEX entries_date ON entries (occurred_date);
