DROP INDEX IF EXISTS people_live_role_place_name_idx;
DROP INDEX IF EXISTS mentions_clause_person_idx;
