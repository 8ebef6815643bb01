DROP INDEX IF EXISTS clauses_tsv_latin_idx;
ALTER TABLE clauses DROP COLUMN IF EXISTS tsv_latin;
DROP FUNCTION IF EXISTS whereas_translit(text);
