-- How many people and cases have each current status, kept by triggers, so that the status
-- counts beside an index page cost one small read instead of a pass over every record.
-- Writers that move a record between two statuses update the two rows in code order, so
-- two such writers cannot wait on each other in a cycle.
CREATE TABLE status_counts (
    entity text NOT NULL CHECK (entity IN ('person', 'case')),
    status text NOT NULL,
    n      bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (entity, status)
);

CREATE FUNCTION whereas_status_count_add(ent text, st text, delta integer) RETURNS void LANGUAGE sql AS $$
    INSERT INTO status_counts (entity, status, n) VALUES (ent, st, delta)
    ON CONFLICT (entity, status) DO UPDATE SET n = status_counts.n + EXCLUDED.n
$$;

CREATE FUNCTION whereas_status_counted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE ent text := CASE TG_TABLE_NAME WHEN 'people' THEN 'person' ELSE 'case' END;
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM whereas_status_count_add(ent, NEW.current_status, 1);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM whereas_status_count_add(ent, OLD.current_status, -1);
    ELSIF OLD.current_status IS DISTINCT FROM NEW.current_status THEN
        IF OLD.current_status < NEW.current_status THEN
            PERFORM whereas_status_count_add(ent, OLD.current_status, -1);
            PERFORM whereas_status_count_add(ent, NEW.current_status, 1);
        ELSE
            PERFORM whereas_status_count_add(ent, NEW.current_status, 1);
            PERFORM whereas_status_count_add(ent, OLD.current_status, -1);
        END IF;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER people_status_counted AFTER INSERT OR DELETE OR UPDATE OF current_status ON people
    FOR EACH ROW EXECUTE FUNCTION whereas_status_counted();
CREATE TRIGGER cases_status_counted AFTER INSERT OR DELETE OR UPDATE OF current_status ON cases
    FOR EACH ROW EXECUTE FUNCTION whereas_status_counted();

-- Recount from scratch: after bulk loads that switch triggers off, and to check the triggers.
CREATE FUNCTION whereas_status_recount() RETURNS void LANGUAGE sql AS $$
    DELETE FROM status_counts;
    INSERT INTO status_counts (entity, status, n)
        SELECT 'person', current_status, count(*) FROM people GROUP BY 2
        UNION ALL SELECT 'case', current_status, count(*) FROM cases GROUP BY 2;
$$;
SELECT whereas_status_recount();
