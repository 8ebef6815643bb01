DROP INDEX IF EXISTS people_place_idx;
DROP INDEX IF EXISTS people_role_idx;
ALTER TABLE legal_provisions DROP COLUMN IF EXISTS tsv;
ALTER TABLE organisations DROP COLUMN IF EXISTS tsv;
ALTER TABLE cases DROP COLUMN IF EXISTS internal_tsv, DROP COLUMN IF EXISTS tsv;
ALTER TABLE people DROP COLUMN IF EXISTS internal_tsv, DROP COLUMN IF EXISTS tsv;
ALTER TABLE clauses DROP COLUMN IF EXISTS tsv;
DROP TABLE IF EXISTS search_vocab;
DROP TABLE IF EXISTS search_names;
DROP FUNCTION IF EXISTS whereas_unaccent(text);
-- The extensions stay: other schemas may use them, and they hold no data of ours.
