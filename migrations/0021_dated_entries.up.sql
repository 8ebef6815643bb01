-- Dates that mean what they say (issue 13 §4). A status entry's or a demand state entry's
-- effective_on is when it happened, known to a year, a month or a day: the date stored is
-- the first day of that period (2018 → 2018-01-01, May 2018 → 2018-05-01), so ordering by
-- effective_on still works and never puts a "2018" entry after "14 May 2018" on the
-- strength of a day nobody knows. effective_precision says how much of the date is known.
--
-- dated_by, when not empty, says what the date rests on where the source gives no date of
-- the event ("reported by the resolution of 14 March 2019"): pages show it instead of
-- "since …". verified_on is the day staff last checked the entry still holds (staff only).
ALTER TABLE status_entries
    ADD COLUMN effective_precision text NOT NULL DEFAULT 'day',
    ADD COLUMN dated_by text NOT NULL DEFAULT '',
    ADD COLUMN verified_on date,
    ADD CONSTRAINT status_entries_effective_precision_check CHECK (
        effective_precision = 'day'
        OR (effective_precision = 'month' AND effective_on = date_trunc('month', effective_on)::date)
        OR (effective_precision = 'year' AND effective_on = date_trunc('year', effective_on)::date));

ALTER TABLE demand_state_entries
    ADD COLUMN effective_precision text NOT NULL DEFAULT 'day',
    ADD COLUMN dated_by text NOT NULL DEFAULT '',
    ADD COLUMN verified_on date,
    ADD CONSTRAINT demand_state_entries_effective_precision_check CHECK (
        effective_precision = 'day'
        OR (effective_precision = 'month' AND effective_on = date_trunc('month', effective_on)::date)
        OR (effective_precision = 'year' AND effective_on = date_trunc('year', effective_on)::date));

-- verified_on is shown to staff only: checking an entry again is not a public change.
DROP TRIGGER status_entries_data_updated ON status_entries;
CREATE TRIGGER status_entries_data_updated AFTER UPDATE ON status_entries
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION whereas_data_changed('internal_note', 'verified_on');
DROP TRIGGER demand_state_entries_data_updated ON demand_state_entries;
CREATE TRIGGER demand_state_entries_data_updated AFTER UPDATE ON demand_state_entries
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION whereas_data_changed('verified_on');
