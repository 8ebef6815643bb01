-- Indexes only: nothing is lost.
DROP INDEX search_vocab_prefix_idx;
DROP INDEX search_names_type_key_idx;
