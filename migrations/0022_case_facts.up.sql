-- The facts a case is about (issue 13 §3), each optional: when the person was detained, the
-- charges (legal provisions, each with optional detail such as "part 2"), the court and its
-- case number, the verdict's date, the sentence in words and in months, when release is
-- due, the next hearing, and the place of detention. The facility is internal unless staff
-- mark it public: public_facility, derived, is what the public may see of it, and is the
-- only facility column the public data version compares, so editing a facility staff keep
-- internal leaves every public page, ETag and dossier date as it was.
ALTER TABLE cases
    ADD COLUMN detained_on     date,
    ADD COLUMN court           text NOT NULL DEFAULT '',
    ADD COLUMN case_number     text NOT NULL DEFAULT '',
    ADD COLUMN verdict_on      date,
    -- Sources often give a detention or a verdict only as a month or a year: as for status
    -- entries (migration 0021), the date stored is the period's first day.
    ADD COLUMN detained_on_precision text NOT NULL DEFAULT 'day' CHECK (detained_on_precision IN ('year', 'month', 'day')),
    ADD COLUMN verdict_on_precision  text NOT NULL DEFAULT 'day' CHECK (verdict_on_precision IN ('year', 'month', 'day')),
    ADD COLUMN sentence        text NOT NULL DEFAULT '',
    ADD COLUMN sentence_months integer CHECK (sentence_months >= 0),
    ADD COLUMN release_due_on  date,
    ADD COLUMN next_hearing_on date,
    ADD COLUMN facility        text NOT NULL DEFAULT '',
    ADD COLUMN facility_public boolean NOT NULL DEFAULT false,
    ADD COLUMN public_facility text GENERATED ALWAYS AS (CASE WHEN facility_public THEN facility ELSE '' END) STORED,
    ADD CONSTRAINT cases_verdict_after_detention CHECK (verdict_on >= detained_on);

CREATE TABLE case_charges (
    case_id            bigint NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    position           integer NOT NULL CHECK (position >= 1),
    legal_provision_id bigint NOT NULL REFERENCES legal_provisions(id) ON DELETE CASCADE,
    detail             text NOT NULL DEFAULT '',
    PRIMARY KEY (case_id, position)
);
CREATE INDEX case_charges_provision_idx ON case_charges (legal_provision_id);

-- The staff dashboard's queue of hearings and releases coming up.
CREATE INDEX cases_next_hearing_idx ON cases (next_hearing_on) WHERE next_hearing_on IS NOT NULL;
CREATE INDEX cases_release_due_idx ON cases (release_due_on) WHERE release_due_on IS NOT NULL;

-- Cases: the facility and its flag are staff-only columns (public_facility stands for them).
DROP TRIGGER cases_data_updated ON cases;
CREATE TRIGGER cases_data_updated AFTER UPDATE ON cases REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION whereas_data_changed('internal_notes', 'internal_tsv', 'version', 'updated_at', 'facility', 'facility_public');

CREATE TRIGGER case_charges_data_inserted AFTER INSERT ON case_charges REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION whereas_data_changed();
CREATE TRIGGER case_charges_data_updated AFTER UPDATE ON case_charges REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION whereas_data_changed();
CREATE TRIGGER case_charges_data_deleted AFTER DELETE ON case_charges REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION whereas_data_changed();
CREATE TRIGGER case_charges_data_truncated AFTER TRUNCATE ON case_charges
    FOR EACH STATEMENT EXECUTE FUNCTION whereas_data_changed();
