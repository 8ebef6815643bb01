ALTER TABLE import_drafts DROP COLUMN rejected_demands;
