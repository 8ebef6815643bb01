-- Loses only which version each audit entry produced; the entries themselves stay.
DROP INDEX audit_log_record_version_idx;
ALTER TABLE audit_log DROP COLUMN record_version;
