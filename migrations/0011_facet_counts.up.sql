-- How many people and cases have each current status, and how many people each role and
-- each place, kept by triggers, so that the counts beside an unfiltered index, and its
-- total, cost one small read instead of a pass over every record. A writer that moves a
-- record from one value to another updates the rows in (facet, value) order, so two
-- writers cannot wait on each other in a cycle.
CREATE TABLE facet_counts (
    entity text NOT NULL CHECK (entity IN ('person', 'case')),
    facet  text NOT NULL CHECK (facet IN ('status', 'role', 'place')),
    value  text NOT NULL,
    n      bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (entity, facet, value)
);

CREATE FUNCTION whereas_facet_add(ent text, f text, v text, delta integer) RETURNS void LANGUAGE sql AS $$
    INSERT INTO facet_counts (entity, facet, value, n) VALUES (ent, f, v, delta)
    ON CONFLICT (entity, facet, value) DO UPDATE SET n = facet_counts.n + EXCLUDED.n
$$;

-- The facets of a person (status, role, place) or a case (status) as (facet, value) rows.
CREATE FUNCTION whereas_facets_of(ent text, r record) RETURNS TABLE (facet text, value text) LANGUAGE plpgsql AS $$
BEGIN
    facet := 'status'; value := r.current_status; RETURN NEXT;
    IF ent = 'person' THEN
        facet := 'role'; value := r.role; RETURN NEXT;
        facet := 'place'; value := r.place; RETURN NEXT;
    END IF;
END $$;

CREATE FUNCTION whereas_facets_counted() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE TRIGGER people_facets_counted AFTER INSERT OR DELETE OR UPDATE OF current_status, role, place ON people
    FOR EACH ROW EXECUTE FUNCTION whereas_facets_counted();
CREATE TRIGGER cases_facets_counted AFTER INSERT OR DELETE OR UPDATE OF current_status ON cases
    FOR EACH ROW EXECUTE FUNCTION whereas_facets_counted();

-- Count again from scratch: after bulk loads that switch the triggers off.
CREATE FUNCTION whereas_facet_recount() RETURNS void LANGUAGE sql AS $$
    DELETE FROM facet_counts;
    INSERT INTO facet_counts (entity, facet, value, n)
        SELECT 'person', 'status', current_status, count(*) FROM people GROUP BY 3
        UNION ALL SELECT 'person', 'role', role, count(*) FROM people GROUP BY 3
        UNION ALL SELECT 'person', 'place', place, count(*) FROM people GROUP BY 3
        UNION ALL SELECT 'case', 'status', current_status, count(*) FROM cases GROUP BY 3;
$$;
SELECT whereas_facet_recount();
