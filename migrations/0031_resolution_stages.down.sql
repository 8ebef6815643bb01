DROP INDEX IF EXISTS demands_carried_from_key;
ALTER TABLE demands DROP COLUMN IF EXISTS carried_from;
ALTER TABLE import_drafts DROP COLUMN IF EXISTS stage, DROP COLUMN IF EXISTS reference, DROP COLUMN IF EXISTS text_date;
-- A procedure is one row again: the later stages of a procedure are deleted, with their
-- clauses, links and demands (the row first stored is kept).
DELETE FROM resolutions r USING resolutions o WHERE o.procedure = r.procedure AND o.id < r.id;
DROP INDEX IF EXISTS resolutions_procedure_stage_key;
ALTER TABLE resolutions ADD CONSTRAINT resolutions_procedure_key UNIQUE (procedure);
ALTER TABLE resolutions DROP COLUMN IF EXISTS stage, DROP COLUMN IF EXISTS reference, DROP COLUMN IF EXISTS text_date,
    DROP COLUMN IF EXISTS official_url, DROP COLUMN IF EXISTS version;
