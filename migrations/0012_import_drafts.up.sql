-- Imports under review. A draft holds the text as given and what the admin decided about
-- it; nothing of it is public until it is published, when the resolution, its clauses,
-- links, new people and organisations, and demands are written in one transaction.
CREATE TABLE import_drafts (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    procedure       text NOT NULL CHECK (procedure ~ '^\d{4}/\d{4}\([A-Z]{3}\)$'),
    title           text NOT NULL CHECK (title <> ''),
    adopted_on      date NOT NULL,
    source_text     text NOT NULL,
    rejected        text[] NOT NULL DEFAULT '{}',
    new_entities    jsonb NOT NULL DEFAULT '[]',
    demands         jsonb NOT NULL DEFAULT '[]',
    state           text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'published', 'discarded')),
    created_by      bigint REFERENCES users(id) ON DELETE SET NULL,
    created_by_name text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    published_at    timestamptz,
    version         integer NOT NULL DEFAULT 1
);
CREATE INDEX import_drafts_state_idx ON import_drafts (state, updated_at DESC);
