-- How many people have each role and each place, kept by triggers like status_counts, so
-- the unfiltered people index shows its role and place counts without a pass over every
-- person. Rows are updated in (facet, value) order, so concurrent writers cannot deadlock.
CREATE TABLE people_facet_counts (
    facet text NOT NULL CHECK (facet IN ('role', 'place')),
    value text NOT NULL,
    n     bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (facet, value)
);

CREATE FUNCTION whereas_people_facet_add(f text, v text, delta integer) RETURNS void LANGUAGE sql AS $$
    INSERT INTO people_facet_counts (facet, value, n) VALUES (f, v, delta)
    ON CONFLICT (facet, value) DO UPDATE SET n = people_facet_counts.n + EXCLUDED.n
$$;

CREATE FUNCTION whereas_people_facets_counted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    c record;
BEGIN
    FOR c IN
        SELECT * FROM (
            SELECT 'place' AS f, OLD.place AS v, -1 AS d WHERE TG_OP IN ('DELETE', 'UPDATE')
            UNION ALL SELECT 'place', NEW.place, 1 WHERE TG_OP IN ('INSERT', 'UPDATE')
            UNION ALL SELECT 'role', OLD.role, -1 WHERE TG_OP IN ('DELETE', 'UPDATE')
            UNION ALL SELECT 'role', NEW.role, 1 WHERE TG_OP IN ('INSERT', 'UPDATE')
        ) ch ORDER BY f, v
    LOOP
        PERFORM whereas_people_facet_add(c.f, c.v, c.d);
    END LOOP;
    RETURN NULL;
END $$;

CREATE TRIGGER people_facets_counted AFTER INSERT OR DELETE OR UPDATE OF role, place ON people
    FOR EACH ROW EXECUTE FUNCTION whereas_people_facets_counted();

CREATE FUNCTION whereas_people_facets_recount() RETURNS void LANGUAGE sql AS $$
    DELETE FROM people_facet_counts;
    INSERT INTO people_facet_counts (facet, value, n)
        SELECT 'role', role, count(*) FROM people GROUP BY 2
        UNION ALL SELECT 'place', place, count(*) FROM people GROUP BY 2;
$$;
SELECT whereas_people_facets_recount();
