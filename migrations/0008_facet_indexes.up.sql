-- The people index counts status, role and place over the filtered people: these covering
-- indexes let PostgreSQL count from the index alone instead of visiting every row.
CREATE INDEX people_status_role_place_idx ON people (current_status, role, place);
CREATE INDEX people_role_place_status_idx ON people (role, place, current_status);
CREATE INDEX people_place_status_role_idx ON people (place, current_status, role);
