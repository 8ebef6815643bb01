DROP INDEX IF EXISTS people_place_status_role_idx;
DROP INDEX IF EXISTS people_role_place_status_idx;
DROP INDEX IF EXISTS people_status_role_place_idx;
