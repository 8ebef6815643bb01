DROP TABLE IF EXISTS import_drafts;
