ALTER TABLE legal_provisions DROP COLUMN tsv;
ALTER TABLE legal_provisions ADD COLUMN tsv tsvector
    GENERATED ALWAYS AS (to_tsvector('english', whereas_unaccent(notes))) STORED;
CREATE INDEX legal_provisions_tsv_idx ON legal_provisions USING gin (tsv);

CREATE OR REPLACE VIEW mention_refs AS
SELECT m.id, m.clause_id, m.matched, m.start_at, m.end_at,
       CASE WHEN m.person_id IS NOT NULL THEN 'person'
            WHEN m.organisation_id IS NOT NULL THEN 'organisation'
            WHEN m.legal_provision_id IS NOT NULL THEN 'legal_provision'
            ELSE 'case' END AS type,
       COALESCE(p.slug, o.slug, l.slug, k.slug) AS slug,
       COALESCE(p.name, o.name, l.name, k.title) AS name
FROM mentions m
LEFT JOIN people p ON p.id = m.person_id
LEFT JOIN organisations o ON o.id = m.organisation_id
LEFT JOIN legal_provisions l ON l.id = m.legal_provision_id
LEFT JOIN cases k ON k.id = m.case_id;

DROP TRIGGER people_facets_counted ON people;
CREATE TRIGGER people_facets_counted AFTER INSERT OR DELETE OR UPDATE OF current_status, role, place ON people
    FOR EACH ROW EXECUTE FUNCTION whereas_facets_counted();
DROP TRIGGER cases_facets_counted ON cases;
CREATE TRIGGER cases_facets_counted AFTER INSERT OR DELETE OR UPDATE OF current_status ON cases
    FOR EACH ROW EXECUTE FUNCTION whereas_facets_counted();
CREATE OR REPLACE FUNCTION whereas_facets_of(ent text, r record) RETURNS TABLE (facet text, value text) LANGUAGE plpgsql AS $$
BEGIN
    facet := 'status'; value := r.current_status; RETURN NEXT;
    IF ent = 'person' THEN
        facet := 'role'; value := r.role; RETURN NEXT;
        facet := 'place'; value := r.place; RETURN NEXT;
    END IF;
END $$;
CREATE OR REPLACE FUNCTION whereas_facet_recount() RETURNS void LANGUAGE sql AS $$
    DELETE FROM facet_counts;
    INSERT INTO facet_counts (entity, facet, value, n)
        SELECT 'person', 'status', current_status, count(*) FROM people GROUP BY 3
        UNION ALL SELECT 'person', 'role', role, count(*) FROM people GROUP BY 3
        UNION ALL SELECT 'person', 'place', place, count(*) FROM people GROUP BY 3
        UNION ALL SELECT 'case', 'status', current_status, count(*) FROM cases GROUP BY 3;
$$;

DROP TRIGGER organisations_data_updated ON organisations;
CREATE TRIGGER organisations_data_updated AFTER UPDATE ON organisations REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION whereas_data_changed();
DROP TRIGGER legal_provisions_data_updated ON legal_provisions;
CREATE TRIGGER legal_provisions_data_updated AFTER UPDATE ON legal_provisions REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION whereas_data_changed();

DROP TABLE affiliations;

ALTER TABLE legal_provisions DROP COLUMN version, DROP COLUMN jurisdiction, DROP COLUMN citation, DROP COLUMN official_url,
                             DROP COLUMN retired_at, DROP COLUMN retired_by;
ALTER TABLE organisations DROP COLUMN version, DROP COLUMN retired_at, DROP COLUMN retired_by;
ALTER TABLE cases DROP COLUMN retired_at, DROP COLUMN retired_by;
ALTER TABLE people DROP COLUMN born_on, DROP COLUMN retired_at, DROP COLUMN retired_by;

SELECT whereas_facet_recount();
