-- Documents behind the claims (issue 18 §1): verdicts, appeals, UN opinions, letters,
-- archived pages. An attachment belongs to exactly one status entry, demand state entry,
-- case or person, and is public or internal. Its bytes live in a blob store (the table
-- attachment_blobs by default, S3-compatible storage with WHEREAS_BLOB_URL) under
-- blob_key; the row keeps what the reader is shown beside the file: its SHA-256, size,
-- the type checked from its content, when it was obtained and where from.
--
-- Removing an attachment retires it (retired_at), like every record: a retired record's
-- attachments stay attached to it and come back with it.
CREATE TABLE attachments (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    status_entry_id       bigint REFERENCES status_entries(id) ON DELETE CASCADE,
    demand_state_entry_id bigint REFERENCES demand_state_entries(id) ON DELETE CASCADE,
    case_id               bigint REFERENCES cases(id) ON DELETE CASCADE,
    person_id             bigint REFERENCES people(id) ON DELETE CASCADE,
    CONSTRAINT attachments_one_owner CHECK (num_nonnulls(status_entry_id, demand_state_entry_id, case_id, person_id) = 1),
    title                 text NOT NULL CHECK (title <> '' AND length(title) <= 300),
    filename              text NOT NULL CHECK (filename <> '' AND length(filename) <= 255),
    -- Checked from the bytes at upload, never taken from the client.
    content_type          text NOT NULL,
    size                  bigint NOT NULL CHECK (size >= 0),
    sha256                text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    visibility            text NOT NULL CHECK (visibility IN ('public', 'internal')),
    source_url            text NOT NULL DEFAULT '' CHECK (source_url = '' OR source_url ~ '^https?://'),
    -- When the file was obtained, to the precision known (as status entries, migration 0021).
    obtained_on           date,
    obtained_precision    text NOT NULL DEFAULT 'day',
    CONSTRAINT attachments_obtained_precision_check CHECK (
        obtained_precision = 'day'
        OR (obtained_precision = 'month' AND obtained_on = date_trunc('month', obtained_on)::date)
        OR (obtained_precision = 'year' AND obtained_on = date_trunc('year', obtained_on)::date)),
    -- Where the bytes are kept in the blob store.
    blob_key              text NOT NULL,
    -- The text inside (PDF, plain text) for search: 'pending' until extracted, then 'done',
    -- 'none' (a type without text, such as a photo) or 'failed'.
    text_state            text NOT NULL DEFAULT 'pending' CHECK (text_state IN ('pending', 'done', 'none', 'failed')),
    text_content          text NOT NULL DEFAULT '',
    text_tsv              tsvector GENERATED ALWAYS AS (to_tsvector('simple', left(text_content, 1000000))) STORED,
    recorded_at           timestamptz NOT NULL DEFAULT now(),
    recorded_by           bigint REFERENCES users(id) ON DELETE SET NULL,
    recorded_by_name      text NOT NULL DEFAULT 'seed data',
    retired_at            timestamptz,
    retired_by            text
);
CREATE INDEX attachments_status_entry_idx ON attachments (status_entry_id) WHERE status_entry_id IS NOT NULL;
CREATE INDEX attachments_demand_state_entry_idx ON attachments (demand_state_entry_id) WHERE demand_state_entry_id IS NOT NULL;
CREATE INDEX attachments_case_idx ON attachments (case_id) WHERE case_id IS NOT NULL;
CREATE INDEX attachments_person_idx ON attachments (person_id) WHERE person_id IS NOT NULL;
CREATE INDEX attachments_text_idx ON attachments USING gin (text_tsv);
CREATE INDEX attachments_text_pending_idx ON attachments (id) WHERE text_state = 'pending';

-- The PostgreSQL blob store: content-addressed by key, so the same file attached twice is
-- kept once.
CREATE TABLE attachment_blobs (
    key  text PRIMARY KEY,
    data bytea NOT NULL
);

-- What the public can see of attachments moves the public data version (cached pages,
-- ETags, dossiers, search); a change to an internal file moves only the staff's.
CREATE FUNCTION whereas_attachments_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    public boolean;
BEGIN
    IF TG_OP = 'INSERT' THEN
        public := EXISTS (SELECT 1 FROM new_rows WHERE visibility = 'public');
    ELSIF TG_OP = 'DELETE' THEN
        public := EXISTS (SELECT 1 FROM old_rows WHERE visibility = 'public');
    ELSE
        public := EXISTS (SELECT to_jsonb(n) FROM new_rows n WHERE n.visibility = 'public'
                          EXCEPT ALL SELECT to_jsonb(o) FROM old_rows o WHERE o.visibility = 'public')
               OR EXISTS (SELECT to_jsonb(o) FROM old_rows o WHERE o.visibility = 'public'
                          EXCEPT ALL SELECT to_jsonb(n) FROM new_rows n WHERE n.visibility = 'public');
    END IF;
    IF public THEN
        UPDATE data_version SET version = version + 1, changed_at = now(), staff_changed_at = now();
    ELSE
        UPDATE data_version SET staff_changed_at = now();
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER attachments_data_inserted AFTER INSERT ON attachments REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION whereas_attachments_changed();
CREATE TRIGGER attachments_data_updated AFTER UPDATE ON attachments REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION whereas_attachments_changed();
CREATE TRIGGER attachments_data_deleted AFTER DELETE ON attachments REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION whereas_attachments_changed();
