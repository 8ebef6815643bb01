-- Staff create, edit and retire every kind of record (issue 13 §1).
--
-- Retiring replaces deleting: a retired record keeps its row, links and history, but leaves
-- the public lists, counts, search, exports and clause links; its address answers 410.
-- retired_by is the staff member's email as the audit log names them.
ALTER TABLE people ADD COLUMN born_on date CHECK (born_on IS NULL OR born_on >= DATE '1850-01-01'),
                   ADD COLUMN retired_at timestamptz,
                   ADD COLUMN retired_by text;
ALTER TABLE cases ADD COLUMN retired_at timestamptz,
                  ADD COLUMN retired_by text;
-- Organisations and legal provisions gain a version, so their edits merge like a person's.
ALTER TABLE organisations ADD COLUMN version integer NOT NULL DEFAULT 1,
                          ADD COLUMN retired_at timestamptz,
                          ADD COLUMN retired_by text;
ALTER TABLE legal_provisions ADD COLUMN version integer NOT NULL DEFAULT 1,
                             ADD COLUMN jurisdiction text NOT NULL DEFAULT '',
                             ADD COLUMN citation text NOT NULL DEFAULT '',
                             ADD COLUMN official_url text NOT NULL DEFAULT '' CHECK (official_url = '' OR official_url ~ '^https?://'),
                             ADD COLUMN retired_at timestamptz,
                             ADD COLUMN retired_by text;

-- A person's place in an organisation: member, chair, deputy chair, lawyer…
CREATE TABLE affiliations (
    person_id       bigint NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    organisation_id bigint NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    role            text NOT NULL DEFAULT 'member' CHECK (role <> '' AND length(role) <= 200),
    PRIMARY KEY (person_id, organisation_id)
);
CREATE INDEX affiliations_organisation_idx ON affiliations (organisation_id);

-- Affiliations are public: their changes move the public data version (see 0017).
CREATE TRIGGER affiliations_data_inserted AFTER INSERT ON affiliations REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION whereas_data_changed();
CREATE TRIGGER affiliations_data_updated AFTER UPDATE ON affiliations REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION whereas_data_changed();
CREATE TRIGGER affiliations_data_deleted AFTER DELETE ON affiliations REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION whereas_data_changed();
CREATE TRIGGER affiliations_data_truncated AFTER TRUNCATE ON affiliations
    FOR EACH STATEMENT EXECUTE FUNCTION whereas_data_changed();

-- The version columns of organisations and provisions are staff-only, like a person's.
DROP TRIGGER organisations_data_updated ON organisations;
CREATE TRIGGER organisations_data_updated AFTER UPDATE ON organisations REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION whereas_data_changed('version');
DROP TRIGGER legal_provisions_data_updated ON legal_provisions;
CREATE TRIGGER legal_provisions_data_updated AFTER UPDATE ON legal_provisions REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION whereas_data_changed('version');

-- A retired person or case is counted in no facet (migration 0011).
CREATE OR REPLACE FUNCTION whereas_facets_of(ent text, r record) RETURNS TABLE (facet text, value text) LANGUAGE plpgsql AS $$
BEGIN
    IF r.retired_at IS NOT NULL THEN
        RETURN;
    END IF;
    facet := 'status'; value := r.current_status; RETURN NEXT;
    IF ent = 'person' THEN
        facet := 'role'; value := r.role; RETURN NEXT;
        facet := 'place'; value := r.place; RETURN NEXT;
    END IF;
END $$;
DROP TRIGGER people_facets_counted ON people;
CREATE TRIGGER people_facets_counted AFTER INSERT OR DELETE OR UPDATE OF current_status, role, place, retired_at ON people
    FOR EACH ROW EXECUTE FUNCTION whereas_facets_counted();
DROP TRIGGER cases_facets_counted ON cases;
CREATE TRIGGER cases_facets_counted AFTER INSERT OR DELETE OR UPDATE OF current_status, retired_at ON cases
    FOR EACH ROW EXECUTE FUNCTION whereas_facets_counted();
CREATE OR REPLACE FUNCTION whereas_facet_recount() RETURNS void LANGUAGE sql AS $$
    DELETE FROM facet_counts;
    INSERT INTO facet_counts (entity, facet, value, n)
        SELECT 'person', 'status', current_status, count(*) FROM people WHERE retired_at IS NULL GROUP BY 3
        UNION ALL SELECT 'person', 'role', role, count(*) FROM people WHERE retired_at IS NULL GROUP BY 3
        UNION ALL SELECT 'person', 'place', place, count(*) FROM people WHERE retired_at IS NULL GROUP BY 3
        UNION ALL SELECT 'case', 'status', current_status, count(*) FROM cases WHERE retired_at IS NULL GROUP BY 3;
$$;

-- Clauses no longer show links to retired records.
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
LEFT JOIN cases k ON k.id = m.case_id
WHERE COALESCE(p.retired_at, o.retired_at, l.retired_at, k.retired_at) IS NULL;

-- Legal provisions' new public texts are searched with their notes.
ALTER TABLE legal_provisions DROP COLUMN tsv;
ALTER TABLE legal_provisions ADD COLUMN tsv tsvector
    GENERATED ALWAYS AS (to_tsvector('english', whereas_unaccent(jurisdiction || ' ' || citation || ' ' || notes))) STORED;
CREATE INDEX legal_provisions_tsv_idx ON legal_provisions USING gin (tsv);
