DROP INDEX IF EXISTS audit_log_creations_idx;
DROP INDEX IF EXISTS demand_state_entries_recorded_idx;
DROP INDEX IF EXISTS status_entries_recorded_idx;
