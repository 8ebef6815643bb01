-- Loses each entry's date precision (the first day of the period stays, read as a day),
-- what undated entries are dated by, and when staff last checked them.
DROP TRIGGER status_entries_data_updated ON status_entries;
CREATE TRIGGER status_entries_data_updated AFTER UPDATE ON status_entries
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION whereas_data_changed('internal_note');
DROP TRIGGER demand_state_entries_data_updated ON demand_state_entries;
CREATE TRIGGER demand_state_entries_data_updated AFTER UPDATE ON demand_state_entries
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION whereas_data_changed();
ALTER TABLE status_entries DROP CONSTRAINT status_entries_effective_precision_check,
    DROP COLUMN effective_precision, DROP COLUMN dated_by, DROP COLUMN verified_on;
ALTER TABLE demand_state_entries DROP CONSTRAINT demand_state_entries_effective_precision_check,
    DROP COLUMN effective_precision, DROP COLUMN dated_by, DROP COLUMN verified_on;
