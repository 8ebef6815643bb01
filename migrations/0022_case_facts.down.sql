DROP TABLE IF EXISTS case_charges;
DROP TRIGGER IF EXISTS cases_data_updated ON cases;
CREATE TRIGGER cases_data_updated AFTER UPDATE ON cases REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION whereas_data_changed('internal_notes', 'internal_tsv', 'version', 'updated_at');
ALTER TABLE cases
    DROP CONSTRAINT IF EXISTS cases_verdict_after_detention,
    DROP COLUMN IF EXISTS public_facility,
    DROP COLUMN IF EXISTS detained_on,
    DROP COLUMN IF EXISTS court,
    DROP COLUMN IF EXISTS case_number,
    DROP COLUMN IF EXISTS verdict_on,
    DROP COLUMN IF EXISTS detained_on_precision,
    DROP COLUMN IF EXISTS verdict_on_precision,
    DROP COLUMN IF EXISTS sentence,
    DROP COLUMN IF EXISTS sentence_months,
    DROP COLUMN IF EXISTS release_due_on,
    DROP COLUMN IF EXISTS next_hearing_on,
    DROP COLUMN IF EXISTS facility,
    DROP COLUMN IF EXISTS facility_public;
