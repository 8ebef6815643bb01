-- Search: names by transliteration key (computed by Whereas's translit package, one row per
-- name or alias) with trigram indexes for typos, and full-text search over clause texts
-- and notes, accents ignored. Internal notes have vectors of their own, searched for staff only.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;

-- unaccent() is only STABLE; with its dictionary named it can be IMMUTABLE, as an index needs.
CREATE FUNCTION whereas_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;

CREATE TABLE search_names (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    entity_type text NOT NULL CHECK (entity_type IN ('person', 'organisation', 'legal_provision', 'case')),
    entity_id   bigint NOT NULL,
    entity_slug text NOT NULL,
    entity_name text NOT NULL,
    name        text NOT NULL,
    key         text NOT NULL
);
CREATE INDEX search_names_key_trgm_idx ON search_names USING gin (key gin_trgm_ops);
CREATE INDEX search_names_key_idx ON search_names (key text_pattern_ops);
CREATE INDEX search_names_entity_idx ON search_names (entity_type, entity_id);

-- Every word of every key, for finding a word within two typos (Levenshtein) of a query's.
CREATE TABLE search_vocab (
    word text PRIMARY KEY
);
CREATE INDEX search_vocab_length_idx ON search_vocab (length(word));

ALTER TABLE clauses ADD COLUMN tsv tsvector
    GENERATED ALWAYS AS (to_tsvector('english', whereas_unaccent(text))) STORED;
CREATE INDEX clauses_tsv_idx ON clauses USING gin (tsv);

ALTER TABLE people ADD COLUMN tsv tsvector
    GENERATED ALWAYS AS (to_tsvector('english', whereas_unaccent(role || ' ' || place || ' ' || notes))) STORED,
    ADD COLUMN internal_tsv tsvector
    GENERATED ALWAYS AS (to_tsvector('english', whereas_unaccent(internal_notes))) STORED;
CREATE INDEX people_tsv_idx ON people USING gin (tsv);
CREATE INDEX people_internal_tsv_idx ON people USING gin (internal_tsv);

ALTER TABLE cases ADD COLUMN tsv tsvector
    GENERATED ALWAYS AS (to_tsvector('english', whereas_unaccent(title || ' ' || summary))) STORED,
    ADD COLUMN internal_tsv tsvector
    GENERATED ALWAYS AS (to_tsvector('english', whereas_unaccent(internal_notes))) STORED;
CREATE INDEX cases_tsv_idx ON cases USING gin (tsv);
CREATE INDEX cases_internal_tsv_idx ON cases USING gin (internal_tsv);

ALTER TABLE organisations ADD COLUMN tsv tsvector
    GENERATED ALWAYS AS (to_tsvector('english', whereas_unaccent(kind || ' ' || notes))) STORED;
CREATE INDEX organisations_tsv_idx ON organisations USING gin (tsv);

ALTER TABLE legal_provisions ADD COLUMN tsv tsvector
    GENERATED ALWAYS AS (to_tsvector('english', whereas_unaccent(notes))) STORED;
CREATE INDEX legal_provisions_tsv_idx ON legal_provisions USING gin (tsv);

-- Filters on the people and cases indexes.
CREATE INDEX people_role_idx ON people (role);
CREATE INDEX people_place_idx ON people (place);
