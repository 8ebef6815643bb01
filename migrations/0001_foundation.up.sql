-- The foundation: resolutions and their clauses, the people, organisations, legal
-- provisions and cases they name, status history, and the mentions that tie clauses to them.

CREATE TABLE resolutions (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug         text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    procedure    text NOT NULL UNIQUE CHECK (procedure ~ '^\d{4}/\d{4}\([A-Z]{3}\)$'),
    title        text NOT NULL CHECK (title <> ''),
    adopted_on   date NOT NULL,
    source_text  text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE clauses (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    resolution_id bigint NOT NULL REFERENCES resolutions(id) ON DELETE CASCADE,
    kind          text NOT NULL CHECK (kind IN ('citation', 'recital', 'paragraph', 'point')),
    label         text NOT NULL CHECK (label <> ''),
    eid           text NOT NULL CHECK (eid ~ '^[a-z]+_[A-Za-z0-9]+(__point_[a-z]+)?$'),
    position      integer NOT NULL CHECK (position > 0),
    text          text NOT NULL CHECK (text <> ''),
    UNIQUE (resolution_id, eid),
    UNIQUE (resolution_id, position)
);

CREATE TABLE people (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug     text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    name     text NOT NULL CHECK (name <> ''),
    aliases  text[] NOT NULL DEFAULT '{}',
    role     text NOT NULL DEFAULT '',
    place    text NOT NULL DEFAULT '',
    notes    text NOT NULL DEFAULT ''
);

CREATE TABLE organisations (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug     text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    name     text NOT NULL CHECK (name <> ''),
    aliases  text[] NOT NULL DEFAULT '{}',
    kind     text NOT NULL DEFAULT '',
    notes    text NOT NULL DEFAULT ''
);

CREATE TABLE legal_provisions (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug     text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    name     text NOT NULL CHECK (name <> ''),
    aliases  text[] NOT NULL DEFAULT '{}',
    notes    text NOT NULL DEFAULT ''
);

CREATE TABLE cases (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug     text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    title    text NOT NULL CHECK (title <> ''),
    summary  text NOT NULL DEFAULT ''
);

CREATE TABLE case_people (
    case_id   bigint NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    person_id bigint NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    PRIMARY KEY (case_id, person_id)
);
CREATE INDEX case_people_person_idx ON case_people (person_id);

CREATE TABLE case_organisations (
    case_id         bigint NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    organisation_id bigint NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    PRIMARY KEY (case_id, organisation_id)
);
CREATE INDEX case_organisations_organisation_idx ON case_organisations (organisation_id);

CREATE TABLE case_legal_provisions (
    case_id           bigint NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    legal_provision_id bigint NOT NULL REFERENCES legal_provisions(id) ON DELETE CASCADE,
    PRIMARY KEY (case_id, legal_provision_id)
);
CREATE INDEX case_legal_provisions_provision_idx ON case_legal_provisions (legal_provision_id);

-- The controlled vocabulary of case statuses; the Go list in internal/tracker is the same.
CREATE TABLE case_statuses (
    code     text PRIMARY KEY CHECK (code ~ '^[a-z_]+$'),
    label    text NOT NULL,
    position integer NOT NULL UNIQUE
);
INSERT INTO case_statuses (code, label, position) VALUES
    ('under_investigation', 'Under investigation', 1),
    ('charged', 'Charged', 2),
    ('on_trial', 'On trial', 3),
    ('pre_trial_detention', 'Pre-trial detention', 4),
    ('house_arrest', 'House arrest', 5),
    ('imprisoned', 'Imprisoned', 6),
    ('forced_psychiatric_detention', 'Forced psychiatric detention', 7),
    ('released_on_parole', 'Released on parole', 8),
    ('restrictions_on_activity', 'Restrictions on activity', 9),
    ('travel_ban', 'Travel ban', 10),
    ('banned', 'Banned (organisation)', 11),
    ('released', 'Released', 12),
    ('conviction_quashed', 'Conviction quashed', 13),
    ('acquitted', 'Acquitted', 14),
    ('charges_dropped', 'Charges dropped', 15),
    ('in_exile', 'In exile', 16),
    ('deceased', 'Deceased', 17),
    ('unknown', 'Unknown', 18);

-- Status history: rows are only ever added, so a case's past stays readable.
CREATE TABLE status_entries (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id          bigint NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    status           text NOT NULL REFERENCES case_statuses(code),
    effective_on     date NOT NULL,
    note             text NOT NULL DEFAULT '',
    source_url       text NOT NULL DEFAULT '' CHECK (source_url = '' OR source_url ~ '^https?://'),
    source_clause_id bigint REFERENCES clauses(id) ON DELETE SET NULL,
    recorded_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX status_entries_case_idx ON status_entries (case_id, effective_on, id);
CREATE INDEX status_entries_source_clause_idx ON status_entries (source_clause_id) WHERE source_clause_id IS NOT NULL;

-- A mention ties one clause to exactly one entity, with the span of text that named it
-- (start_at/end_at count characters, as PostgreSQL's substr does).
CREATE TABLE mentions (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clause_id          bigint NOT NULL REFERENCES clauses(id) ON DELETE CASCADE,
    person_id          bigint REFERENCES people(id) ON DELETE CASCADE,
    organisation_id    bigint REFERENCES organisations(id) ON DELETE CASCADE,
    legal_provision_id bigint REFERENCES legal_provisions(id) ON DELETE CASCADE,
    case_id            bigint REFERENCES cases(id) ON DELETE CASCADE,
    matched            text NOT NULL CHECK (matched <> ''),
    start_at           integer NOT NULL CHECK (start_at >= 0),
    end_at             integer NOT NULL CHECK (end_at > start_at),
    CHECK (num_nonnulls(person_id, organisation_id, legal_provision_id, case_id) = 1)
);
CREATE INDEX mentions_clause_idx ON mentions (clause_id, start_at);
CREATE INDEX mentions_person_idx ON mentions (person_id) WHERE person_id IS NOT NULL;
CREATE INDEX mentions_organisation_idx ON mentions (organisation_id) WHERE organisation_id IS NOT NULL;
CREATE INDEX mentions_legal_provision_idx ON mentions (legal_provision_id) WHERE legal_provision_id IS NOT NULL;
CREATE INDEX mentions_case_idx ON mentions (case_id) WHERE case_id IS NOT NULL;
CREATE UNIQUE INDEX mentions_unique_idx ON mentions (clause_id, start_at, COALESCE(person_id, 0), COALESCE(organisation_id, 0), COALESCE(legal_provision_id, 0), COALESCE(case_id, 0));

-- mention_refs resolves each mention's entity to its type, slug and name, so pages read
-- mentions with one join instead of four.
CREATE VIEW mention_refs AS
SELECT m.id, m.clause_id, m.matched, m.start_at, m.end_at,
       CASE WHEN m.person_id IS NOT NULL THEN 'person'
            WHEN m.organisation_id IS NOT NULL THEN 'organisation'
            WHEN m.legal_provision_id IS NOT NULL THEN 'legal_provision'
            ELSE 'case' END AS type,
       COALESCE(p.slug, o.slug, l.slug, k.slug) AS slug,
       COALESCE(p.name, o.name, l.name, k.title) AS name
FROM mentions m
LEFT JOIN people p ON p.id = m.person_id
LEFT JOIN organisations o ON o.id = m.organisation_id
LEFT JOIN legal_provisions l ON l.id = m.legal_provision_id
LEFT JOIN cases k ON k.id = m.case_id;
