DROP INDEX IF EXISTS resolutions_adopted_idx;
DROP INDEX IF EXISTS cases_title_idx;
DROP INDEX IF EXISTS legal_provisions_name_idx;
DROP INDEX IF EXISTS organisations_name_idx;
DROP INDEX IF EXISTS people_name_idx;
