-- Public lists and their counts read only records that are not retired (migration 0019), so
-- the facet indexes hold only those: a count by status, role or place is then answered from
-- the index alone again, as before retirement existed. With retired_at outside the index each
-- count read the table's pages (at 100,000 people, 7,000 people of one status: 79 ms instead
-- of 1.6 ms). Staff views that also show retired records are rare and may read the table.
DROP INDEX IF EXISTS people_status_role_place_idx;
DROP INDEX IF EXISTS people_role_place_status_idx;
DROP INDEX IF EXISTS people_place_status_role_idx;
DROP INDEX IF EXISTS people_current_status_idx;
DROP INDEX IF EXISTS people_role_idx;
DROP INDEX IF EXISTS people_place_idx;
DROP INDEX IF EXISTS people_status_name_idx;
DROP INDEX IF EXISTS cases_current_status_idx;
DROP INDEX IF EXISTS cases_status_title_idx;
CREATE INDEX people_live_status_role_place_idx ON people (current_status, role, place) WHERE retired_at IS NULL;
CREATE INDEX people_live_role_place_status_idx ON people (role, place, current_status) WHERE retired_at IS NULL;
CREATE INDEX people_live_place_status_role_idx ON people (place, current_status, role) WHERE retired_at IS NULL;
CREATE INDEX people_live_status_name_idx ON people (current_status, name, slug) WHERE retired_at IS NULL;
CREATE INDEX cases_live_status_title_idx ON cases (current_status, title, slug) WHERE retired_at IS NULL;
