DROP INDEX IF EXISTS cases_status_title_idx;
DROP INDEX IF EXISTS people_status_name_idx;
