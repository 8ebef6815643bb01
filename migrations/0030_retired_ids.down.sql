DROP INDEX IF EXISTS people_retired_idx;
