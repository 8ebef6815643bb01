-- data_version counts changes to the published data. Every statement that writes a content
-- table bumps it, so a server can tell with one cheap query whether a page it rendered
-- earlier is still current (and two servers on one database agree), and pages can say when
-- the data last changed.
CREATE TABLE data_version (
    id         boolean PRIMARY KEY DEFAULT true CHECK (id),
    version    bigint NOT NULL DEFAULT 1,
    changed_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO data_version DEFAULT VALUES;

CREATE FUNCTION bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_version SET version = version + 1, changed_at = now();
    RETURN NULL;
END $$;

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['resolutions', 'clauses', 'people', 'organisations', 'legal_provisions',
        'cases', 'case_people', 'case_organisations', 'case_legal_provisions', 'case_statuses',
        'status_entries', 'mentions']
    LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I
                        FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version()', t || '_bump_version', t);
    END LOOP;
END $$;
