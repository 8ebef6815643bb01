DROP INDEX IF EXISTS search_names_words_idx;
ALTER TABLE search_names DROP COLUMN IF EXISTS words;
