-- The words of each name key, for finding names that hold any of a set of words (the
-- query's and their typo neighbours) with an exact array index instead of a pattern.
ALTER TABLE search_names ADD COLUMN words text[] GENERATED ALWAYS AS (string_to_array(key, ' ')) STORED;
CREATE INDEX search_names_words_idx ON search_names USING gin (words);
