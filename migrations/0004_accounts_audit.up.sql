-- Staff accounts, sessions, sign-in throttling, API tokens, the audit log, and what editing
-- needs on the records themselves: a version for conflict checks and internal notes.

CREATE TABLE users (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email         text NOT NULL UNIQUE CHECK (email = lower(email) AND email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
    role          text NOT NULL CHECK (role IN ('editor', 'admin')),
    password_hash text NOT NULL,
    disabled_at   timestamptz,
    session_epoch integer NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- alexedwards/scs sessions, kept here so that several app servers share them.
CREATE TABLE sessions (
    token  text PRIMARY KEY,
    data   bytea NOT NULL,
    expiry timestamptz NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions (expiry);

-- Failed sign-ins, by account and by client address, for throttling across servers.
CREATE TABLE sign_in_failures (
    key text NOT NULL,
    at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sign_in_failures_key_idx ON sign_in_failures (key, at);

CREATE TABLE api_tokens (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         text NOT NULL CHECK (name <> ''),
    token_hash   bytea NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at   timestamptz
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

-- Every change to the data, written in the same transaction as the change itself.
CREATE TABLE audit_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    user_id     bigint REFERENCES users(id) ON DELETE SET NULL,
    actor       text NOT NULL,
    action      text NOT NULL,
    entity_type text NOT NULL,
    entity_slug text NOT NULL,
    before      jsonb,
    after       jsonb
);
CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_slug, at DESC);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC);

ALTER TABLE people ADD COLUMN version integer NOT NULL DEFAULT 1,
                   ADD COLUMN internal_notes text NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN version integer NOT NULL DEFAULT 1,
                  ADD COLUMN internal_notes text NOT NULL DEFAULT '',
                  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE status_entries ADD COLUMN recorded_by bigint REFERENCES users(id) ON DELETE SET NULL,
                           ADD COLUMN recorded_by_name text NOT NULL DEFAULT 'seed data',
                           ADD COLUMN supersedes_id bigint REFERENCES status_entries(id),
                           ADD COLUMN internal_note text NOT NULL DEFAULT '';
CREATE INDEX status_entries_supersedes_idx ON status_entries (supersedes_id) WHERE supersedes_id IS NOT NULL;
CREATE INDEX cases_updated_idx ON cases (updated_at DESC);
