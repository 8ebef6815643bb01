-- Each audit entry that moves a person or a case to a new version records that version, so
-- the record as it stood at any version can be read back (the "before" of the edit that
-- left it): an edit made on a form opened at an older version is merged field by field
-- against what that form showed, instead of overwriting what others saved meanwhile.
-- Entries written before this migration have no version; merges across them treat every
-- differing field as changed on both sides.
ALTER TABLE audit_log ADD COLUMN record_version integer;
CREATE INDEX audit_log_record_version_idx ON audit_log (entity_type, entity_slug, record_version) WHERE record_version IS NOT NULL;
