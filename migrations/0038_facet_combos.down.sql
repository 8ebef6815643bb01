-- Back to the trigger and the recount of migrations 0011 and 0019.
CREATE OR REPLACE FUNCTION whereas_facets_counted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ent text := CASE TG_TABLE_NAME WHEN 'people' THEN 'person' ELSE 'case' END;
    c record;
BEGIN
    FOR c IN
        SELECT f, v, sum(d) AS d FROM (
            SELECT o.facet AS f, o.value AS v, -1 AS d FROM whereas_facets_of(ent, OLD) o WHERE TG_OP <> 'INSERT'
            UNION ALL
            SELECT n.facet, n.value, 1 FROM whereas_facets_of(ent, NEW) n WHERE TG_OP <> 'DELETE'
        ) ch GROUP BY f, v HAVING sum(d) <> 0 ORDER BY f, v
    LOOP
        PERFORM whereas_facet_add(ent, c.f, c.v, c.d::integer);
    END LOOP;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION whereas_facet_recount() RETURNS void LANGUAGE sql AS $$
    DELETE FROM facet_counts;
    INSERT INTO facet_counts (entity, facet, value, n)
        SELECT 'person', 'status', current_status, count(*) FROM people WHERE retired_at IS NULL GROUP BY 3
        UNION ALL SELECT 'person', 'role', role, count(*) FROM people WHERE retired_at IS NULL GROUP BY 3
        UNION ALL SELECT 'person', 'place', place, count(*) FROM people WHERE retired_at IS NULL GROUP BY 3
        UNION ALL SELECT 'case', 'status', current_status, count(*) FROM cases WHERE retired_at IS NULL GROUP BY 3;
$$;

DROP FUNCTION IF EXISTS whereas_facet_combo_of(record);
DROP TABLE IF EXISTS people_facet_combos;
