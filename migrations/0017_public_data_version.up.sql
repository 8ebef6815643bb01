-- data_version now tells apart what the public can observe from what only staff see. Its
-- version and changed_at move only when a change is visible to the public (pages, API,
-- public dossiers, exports), so an internal note edited by staff leaves every public
-- ETag, cached page and dossier date as it was; staff_changed_at moves on every change,
-- internal ones included, for internal dossiers.
--
-- The triggers look at the rows a statement touched (transition tables): a statement that
-- touched no row, or that changed only staff-only columns (named in the trigger's
-- arguments), bumps staff_changed_at alone. Every trigger updates the one data_version row,
-- whose lock every writing transaction takes first (see internal/postgres/tx.go).
ALTER TABLE data_version ADD COLUMN staff_changed_at timestamptz NOT NULL DEFAULT now();
UPDATE data_version SET staff_changed_at = changed_at;

CREATE FUNCTION whereas_data_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    public boolean;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        public := true;
    ELSIF TG_OP = 'INSERT' THEN
        public := EXISTS (SELECT 1 FROM new_rows);
    ELSIF TG_OP = 'DELETE' THEN
        public := EXISTS (SELECT 1 FROM old_rows);
    ELSE
        public := EXISTS (SELECT to_jsonb(n) - COALESCE(TG_ARGV, '{}') FROM new_rows n
                          EXCEPT ALL SELECT to_jsonb(o) - COALESCE(TG_ARGV, '{}') FROM old_rows o);
    END IF;
    IF public THEN
        UPDATE data_version SET version = version + 1, changed_at = now(), staff_changed_at = now();
    ELSE
        UPDATE data_version SET staff_changed_at = now();
    END IF;
    RETURN NULL;
END $$;

DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT * FROM (VALUES
        ('resolutions', ''), ('clauses', ''), ('people', '''internal_notes'', ''internal_tsv'', ''version'''),
        ('organisations', ''), ('legal_provisions', ''),
        ('cases', '''internal_notes'', ''internal_tsv'', ''version'', ''updated_at'''),
        ('case_people', ''), ('case_organisations', ''), ('case_legal_provisions', ''), ('case_statuses', ''),
        ('status_entries', '''internal_note'''), ('mentions', ''),
        ('demand_actions', ''), ('demand_states', ''), ('demands', ''), ('demand_targets', ''), ('demand_state_entries', '')
    ) AS v (name, internal)
    LOOP
        EXECUTE format('DROP TRIGGER %I ON %I', t.name || '_bump_version', t.name);
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION whereas_data_changed()', t.name || '_data_inserted', t.name);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION whereas_data_changed(%s)', t.name || '_data_updated', t.name, t.internal);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION whereas_data_changed()', t.name || '_data_deleted', t.name);
        EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I
                        FOR EACH STATEMENT EXECUTE FUNCTION whereas_data_changed()', t.name || '_data_truncated', t.name);
    END LOOP;
END $$;
