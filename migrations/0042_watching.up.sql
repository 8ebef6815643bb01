-- Watching a person, case or resolution (issue 18 §3): who watches what, the changes that
-- make news, the mail queue that carries it, and the staff's weekly digest.
--
-- A change writes a row in watch_events in the same transaction as the change itself (the
-- triggers below), so a crash between the write and the email loses nothing: the mail
-- worker turns each event into one email per watcher, and the email waits in mail_outbox
-- until an SMTP server has taken it.

-- A watch: a staff account, or a visitor's email address (confirmed before any news is
-- sent to it), watching exactly one person, case or resolution, written to in lang.
CREATE TABLE watches (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id       bigint REFERENCES users(id) ON DELETE CASCADE,
    email         text CHECK (email = lower(email) AND email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' AND length(email) <= 254),
    CONSTRAINT watches_one_watcher CHECK (num_nonnulls(user_id, email) = 1),
    person_id     bigint REFERENCES people(id) ON DELETE CASCADE,
    case_id       bigint REFERENCES cases(id) ON DELETE CASCADE,
    resolution_id bigint REFERENCES resolutions(id) ON DELETE CASCADE,
    CONSTRAINT watches_one_record CHECK (num_nonnulls(person_id, case_id, resolution_id) = 1),
    lang          text NOT NULL DEFAULT 'en' CHECK (lang IN ('en', 'ru', 'kk')),
    -- A visitor's confirmation token, kept as its SHA-256 only (like API tokens), until
    -- the link in the confirmation email is followed; staff watches start confirmed.
    confirm_hash  bytea UNIQUE,
    confirmed_at  timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX watches_unique_idx ON watches (COALESCE(user_id, 0), COALESCE(email, ''),
    COALESCE(person_id, 0), COALESCE(case_id, 0), COALESCE(resolution_id, 0));
CREATE INDEX watches_person_idx ON watches (person_id) WHERE person_id IS NOT NULL;
CREATE INDEX watches_case_idx ON watches (case_id) WHERE case_id IS NOT NULL;
CREATE INDEX watches_resolution_idx ON watches (resolution_id) WHERE resolution_id IS NOT NULL;

-- Unsubscribe tokens: one for each email sent, kept as SHA-256 only; any of them ends its
-- watch, without signing in.
CREATE TABLE watch_tokens (
    token_hash bytea PRIMARY KEY,
    watch_id   bigint NOT NULL REFERENCES watches(id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX watch_tokens_watch_idx ON watch_tokens (watch_id);

-- Changes that make news, written by the triggers below; done_at once the mail worker has
-- queued its emails. internal: a change only staff can see (an internal note).
CREATE TABLE watch_events (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind                  text NOT NULL CHECK (kind IN ('status', 'demand_state', 'case_edit', 'person_edit', 'stage')),
    person_id             bigint REFERENCES people(id) ON DELETE CASCADE,
    case_id               bigint REFERENCES cases(id) ON DELETE CASCADE,
    resolution_id         bigint REFERENCES resolutions(id) ON DELETE CASCADE,
    status_entry_id       bigint REFERENCES status_entries(id) ON DELETE CASCADE,
    demand_state_entry_id bigint REFERENCES demand_state_entries(id) ON DELETE CASCADE,
    internal              boolean NOT NULL DEFAULT false,
    created_at            timestamptz NOT NULL DEFAULT now(),
    done_at               timestamptz
);
CREATE INDEX watch_events_pending_idx ON watch_events (id) WHERE done_at IS NULL;

-- The mail queue. A message is claimed by pushing next_attempt_at past the time a send
-- may take (FOR UPDATE SKIP LOCKED, so two servers never take the same one), then marked
-- sent, or given up (failed_at) after too many attempts or a day.
CREATE TABLE mail_outbox (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind            text NOT NULL CHECK (kind IN ('change', 'confirm', 'digest')),
    recipient       text NOT NULL CHECK (recipient <> ''),
    subject         text NOT NULL,
    text_body       text NOT NULL,
    html_body       text NOT NULL,
    headers         jsonb NOT NULL DEFAULT '{}',
    watch_id        bigint REFERENCES watches(id) ON DELETE SET NULL,
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    created_at      timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz,
    failed_at       timestamptz,
    last_error      text NOT NULL DEFAULT ''
);
CREATE INDEX mail_outbox_due_idx ON mail_outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX mail_outbox_failed_idx ON mail_outbox (failed_at) WHERE failed_at IS NOT NULL;

-- Visitors' requests to watch, to throttle confirmation emails per address and per client.
CREATE TABLE watch_requests (
    at     timestamptz NOT NULL DEFAULT now(),
    email  text NOT NULL,
    client text NOT NULL
);
CREATE INDEX watch_requests_email_idx ON watch_requests (email, at);
CREATE INDEX watch_requests_client_idx ON watch_requests (client, at);

-- Site-wide settings admins change on a page: whether visitors may watch. site_id names
-- this site, made once and kept by backups, in ids meant to differ from every other
-- site's (the entries of its Atom feeds), so two sites never share one.
CREATE TABLE site_settings (
    id              boolean PRIMARY KEY DEFAULT true CHECK (id),
    site_id         uuid NOT NULL DEFAULT gen_random_uuid(),
    visitor_watches boolean NOT NULL DEFAULT false,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    updated_by      text NOT NULL DEFAULT ''
);
INSERT INTO site_settings DEFAULT VALUES;

-- Each staff member's weekly digest: on unless turned off; last_sent_at keeps a restart
-- from sending it twice.
CREATE TABLE staff_digests (
    user_id      bigint PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    enabled      boolean NOT NULL DEFAULT true,
    lang         text NOT NULL DEFAULT 'en' CHECK (lang IN ('en', 'ru', 'kk')),
    last_sent_at timestamptz
);

-- The triggers: events are written only while someone watches anything, so bulk loads
-- on a site nobody watches cost one lookup per statement.
CREATE FUNCTION whereas_watch_entries() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM watches) THEN
        RETURN NULL;
    END IF;
    IF TG_TABLE_NAME = 'status_entries' THEN
        INSERT INTO watch_events (kind, case_id, status_entry_id)
            SELECT 'status', case_id, id FROM new_rows ORDER BY id;
    ELSIF TG_TABLE_NAME = 'demand_state_entries' THEN
        INSERT INTO watch_events (kind, demand_state_entry_id)
            SELECT 'demand_state', id FROM new_rows ORDER BY id;
    ELSE
        -- a resolution: news only when it is a new stage of a procedure already known
        INSERT INTO watch_events (kind, resolution_id)
            SELECT 'stage', n.id FROM new_rows n
            WHERE EXISTS (SELECT 1 FROM resolutions o WHERE o.procedure = n.procedure AND o.id <> n.id)
            ORDER BY n.id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER status_entries_watched AFTER INSERT ON status_entries REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION whereas_watch_entries();
CREATE TRIGGER demand_state_entries_watched AFTER INSERT ON demand_state_entries REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION whereas_watch_entries();
CREATE TRIGGER resolutions_watched AFTER INSERT ON resolutions REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION whereas_watch_entries();

-- An edit of a person or case: public when a field the public sees changed, internal when
-- only the internal notes did; derived columns (current status, versions, search vectors)
-- and retiring make no news.
CREATE FUNCTION whereas_watch_edits() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    skip text[] := ARRAY['version', 'tsv', 'internal_tsv', 'internal_notes', 'current_status', 'retired_at', 'retired_by',
                         'updated_at', 'facility'];
    public boolean;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM watches) OR OLD.retired_at IS DISTINCT FROM NEW.retired_at THEN
        RETURN NULL;
    END IF;
    public := (to_jsonb(NEW) - skip) IS DISTINCT FROM (to_jsonb(OLD) - skip);
    IF NOT public AND OLD.internal_notes IS NOT DISTINCT FROM NEW.internal_notes THEN
        RETURN NULL;
    END IF;
    IF TG_TABLE_NAME = 'people' THEN
        INSERT INTO watch_events (kind, person_id, internal) VALUES ('person_edit', NEW.id, NOT public);
    ELSE
        INSERT INTO watch_events (kind, case_id, internal) VALUES ('case_edit', NEW.id, NOT public);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER people_watched AFTER UPDATE ON people FOR EACH ROW EXECUTE FUNCTION whereas_watch_edits();
CREATE TRIGGER cases_watched AFTER UPDATE ON cases FOR EACH ROW EXECUTE FUNCTION whereas_watch_edits();
