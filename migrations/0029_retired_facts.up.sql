-- A retired record is no public fact (issue 13 §1).
--
-- A person's current status is the latest current entry among their cases that are not
-- retired: a case retired as a mistake no longer says the person was released.
CREATE OR REPLACE FUNCTION whereas_person_status(pid bigint) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT COALESCE((SELECT se.status FROM status_entries se JOIN case_people j ON j.case_id = se.case_id
        JOIN cases k ON k.id = se.case_id AND k.retired_at IS NULL
        WHERE j.person_id = pid AND NOT EXISTS (SELECT 1 FROM status_entries c WHERE c.supersedes_id = se.id)
        ORDER BY se.effective_on DESC, se.id DESC LIMIT 1), '')
$$;

-- Retiring or restoring a case moves its people's current status.
CREATE FUNCTION whereas_case_retired() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE people SET current_status = whereas_person_status(id)
        WHERE id IN (SELECT person_id FROM case_people WHERE case_id = NEW.id);
    RETURN NULL;
END $$;
CREATE TRIGGER cases_retired_status AFTER UPDATE OF retired_at ON cases
    FOR EACH ROW WHEN (OLD.retired_at IS DISTINCT FROM NEW.retired_at) EXECUTE FUNCTION whereas_case_retired();

-- A demand's targets leave out retired records, as clause links do (migration 0019).
CREATE OR REPLACE VIEW demand_target_refs AS
SELECT t.id, t.demand_id,
       CASE WHEN t.person_id IS NOT NULL THEN 'person'
            WHEN t.organisation_id IS NOT NULL THEN 'organisation'
            WHEN t.legal_provision_id IS NOT NULL THEN 'legal_provision'
            ELSE 'case' END AS type,
       COALESCE(p.slug, o.slug, l.slug, k.slug) AS slug,
       COALESCE(p.name, o.name, l.name, k.title) AS name
FROM demand_targets t
LEFT JOIN people p ON p.id = t.person_id
LEFT JOIN organisations o ON o.id = t.organisation_id
LEFT JOIN legal_provisions l ON l.id = t.legal_provision_id
LEFT JOIN cases k ON k.id = t.case_id
WHERE COALESCE(p.retired_at, o.retired_at, l.retired_at, k.retired_at) IS NULL;

UPDATE people SET current_status = whereas_person_status(id) WHERE current_status <> whereas_person_status(id);
