DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['resolutions', 'clauses', 'people', 'organisations', 'legal_provisions',
        'cases', 'case_people', 'case_organisations', 'case_legal_provisions', 'case_statuses',
        'status_entries', 'mentions']
    LOOP
        EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', t || '_bump_version', t);
    END LOOP;
END $$;
DROP FUNCTION IF EXISTS bump_data_version();
DROP TABLE IF EXISTS data_version;
