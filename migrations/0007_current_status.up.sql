-- Each case's and each person's current status, kept by triggers as history grows, so that
-- index pages can filter, count and sort by it without reading every history.
ALTER TABLE cases ADD COLUMN current_status text NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN current_status text NOT NULL DEFAULT '';

-- The latest entry of a case that no correction replaces.
CREATE FUNCTION whereas_case_status(cid bigint) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT COALESCE((SELECT se.status FROM status_entries se
        WHERE se.case_id = cid AND NOT EXISTS (SELECT 1 FROM status_entries c WHERE c.supersedes_id = se.id)
        ORDER BY se.effective_on DESC, se.id DESC LIMIT 1), '')
$$;

-- A person's status is the latest current entry among their cases.
CREATE FUNCTION whereas_person_status(pid bigint) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT COALESCE((SELECT se.status FROM status_entries se JOIN case_people j ON j.case_id = se.case_id
        WHERE j.person_id = pid AND NOT EXISTS (SELECT 1 FROM status_entries c WHERE c.supersedes_id = se.id)
        ORDER BY se.effective_on DESC, se.id DESC LIMIT 1), '')
$$;

CREATE FUNCTION whereas_status_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE cid bigint;
BEGIN
    cid := CASE WHEN TG_OP = 'DELETE' THEN OLD.case_id ELSE NEW.case_id END;
    UPDATE cases SET current_status = whereas_case_status(cid) WHERE id = cid;
    UPDATE people SET current_status = whereas_person_status(id)
        WHERE id IN (SELECT person_id FROM case_people WHERE case_id = cid);
    RETURN NULL;
END $$;

CREATE FUNCTION whereas_case_people_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE pid bigint;
BEGIN
    pid := CASE WHEN TG_OP = 'DELETE' THEN OLD.person_id ELSE NEW.person_id END;
    UPDATE people SET current_status = whereas_person_status(pid) WHERE id = pid;
    RETURN NULL;
END $$;

CREATE TRIGGER status_entries_current AFTER INSERT OR UPDATE OR DELETE ON status_entries
    FOR EACH ROW EXECUTE FUNCTION whereas_status_changed();
CREATE TRIGGER case_people_current AFTER INSERT OR DELETE ON case_people
    FOR EACH ROW EXECUTE FUNCTION whereas_case_people_changed();

UPDATE cases SET current_status = whereas_case_status(id);
UPDATE people SET current_status = whereas_person_status(id);

CREATE INDEX cases_current_status_idx ON cases (current_status);
CREATE INDEX people_current_status_idx ON people (current_status);
CREATE INDEX case_people_case_idx ON case_people (case_id);
