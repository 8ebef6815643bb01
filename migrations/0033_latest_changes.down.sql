DROP INDEX IF EXISTS demand_state_entries_latest_idx;
DROP INDEX IF EXISTS status_entries_latest_idx;
