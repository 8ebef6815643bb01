DROP INDEX IF EXISTS cases_updated_idx;
DROP INDEX IF EXISTS status_entries_supersedes_idx;
ALTER TABLE status_entries DROP COLUMN IF EXISTS internal_note, DROP COLUMN IF EXISTS supersedes_id,
                           DROP COLUMN IF EXISTS recorded_by_name, DROP COLUMN IF EXISTS recorded_by;
ALTER TABLE cases DROP COLUMN IF EXISTS updated_at, DROP COLUMN IF EXISTS internal_notes, DROP COLUMN IF EXISTS version;
ALTER TABLE people DROP COLUMN IF EXISTS internal_notes, DROP COLUMN IF EXISTS version;
DROP TABLE IF EXISTS audit_log;
DROP TABLE IF EXISTS api_tokens;
DROP TABLE IF EXISTS sign_in_failures;
DROP TABLE IF EXISTS sessions;
DROP TABLE IF EXISTS users;
