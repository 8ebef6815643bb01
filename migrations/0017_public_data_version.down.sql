DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['resolutions', 'clauses', 'people', 'organisations', 'legal_provisions',
        'cases', 'case_people', 'case_organisations', 'case_legal_provisions', 'case_statuses',
        'status_entries', 'mentions', 'demand_actions', 'demand_states', 'demands', 'demand_targets', 'demand_state_entries']
    LOOP
        EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', t || '_data_inserted', t);
        EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', t || '_data_updated', t);
        EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', t || '_data_deleted', t);
        EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', t || '_data_truncated', t);
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I
                        FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version()', t || '_bump_version', t);
    END LOOP;
END $$;
DROP FUNCTION IF EXISTS whereas_data_changed();
ALTER TABLE data_version DROP COLUMN IF EXISTS staff_changed_at;
