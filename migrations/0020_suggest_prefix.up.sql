-- Suggestions for name pickers (GET /api/v1/suggest): a name's key looked up exactly or by
-- its beginning within one type of record, and the known words a half-typed word begins.
-- Pattern operator classes, so the beginning is an index range in any collation.
CREATE INDEX search_names_type_key_idx ON search_names (entity_type, key text_pattern_ops);
CREATE INDEX search_vocab_prefix_idx ON search_vocab (word text_pattern_ops);
