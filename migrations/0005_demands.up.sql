-- What a resolution demands, demand by demand, and whether each has been met: a dated,
-- sourced history like a case's, never overwritten.

CREATE TABLE demand_actions (
    code     text PRIMARY KEY CHECK (code ~ '^[a-z_]+$'),
    label    text NOT NULL,
    position integer NOT NULL UNIQUE
);
INSERT INTO demand_actions (code, label, position) VALUES
    ('release', 'Release', 1),
    ('quash_conviction', 'Quash conviction', 2),
    ('amend_or_repeal_law', 'Amend or repeal law', 3),
    ('investigate', 'Investigate', 4),
    ('review_case', 'Review case', 5),
    ('end_practice', 'End practice', 6),
    ('lift_restrictions', 'Lift restrictions', 7),
    ('engage_in_dialogue', 'Engage in dialogue', 8),
    ('other', 'Other', 9);

CREATE TABLE demand_states (
    code     text PRIMARY KEY CHECK (code ~ '^[a-z_]+$'),
    label    text NOT NULL,
    position integer NOT NULL UNIQUE
);
INSERT INTO demand_states (code, label, position) VALUES
    ('not_met', 'Not met', 1),
    ('partly_met', 'Partly met', 2),
    ('met', 'Met', 3),
    ('superseded', 'Superseded', 4),
    ('unknown', 'Unknown', 5);

CREATE TABLE demands (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug       text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    clause_id  bigint NOT NULL REFERENCES clauses(id) ON DELETE CASCADE,
    position   integer NOT NULL CHECK (position > 0),
    action     text NOT NULL REFERENCES demand_actions(code),
    wording    text NOT NULL CHECK (wording <> ''),
    start_at   integer NOT NULL CHECK (start_at >= 0),
    end_at     integer NOT NULL CHECK (end_at > start_at),
    version    integer NOT NULL DEFAULT 1,
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (clause_id, position)
);

CREATE TABLE demand_targets (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    demand_id          bigint NOT NULL REFERENCES demands(id) ON DELETE CASCADE,
    person_id          bigint REFERENCES people(id) ON DELETE CASCADE,
    organisation_id    bigint REFERENCES organisations(id) ON DELETE CASCADE,
    legal_provision_id bigint REFERENCES legal_provisions(id) ON DELETE CASCADE,
    case_id            bigint REFERENCES cases(id) ON DELETE CASCADE,
    CHECK (num_nonnulls(person_id, organisation_id, legal_provision_id, case_id) = 1)
);
CREATE INDEX demand_targets_demand_idx ON demand_targets (demand_id);
CREATE INDEX demand_targets_person_idx ON demand_targets (person_id) WHERE person_id IS NOT NULL;
CREATE INDEX demand_targets_organisation_idx ON demand_targets (organisation_id) WHERE organisation_id IS NOT NULL;
CREATE INDEX demand_targets_legal_provision_idx ON demand_targets (legal_provision_id) WHERE legal_provision_id IS NOT NULL;
CREATE INDEX demand_targets_case_idx ON demand_targets (case_id) WHERE case_id IS NOT NULL;
CREATE UNIQUE INDEX demand_targets_unique_idx ON demand_targets (demand_id, COALESCE(person_id, 0), COALESCE(organisation_id, 0), COALESCE(legal_provision_id, 0), COALESCE(case_id, 0));

CREATE TABLE demand_state_entries (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    demand_id        bigint NOT NULL REFERENCES demands(id) ON DELETE CASCADE,
    state            text NOT NULL REFERENCES demand_states(code),
    effective_on     date NOT NULL,
    note             text NOT NULL DEFAULT '',
    source_url       text NOT NULL DEFAULT '' CHECK (source_url = '' OR source_url ~ '^https?://'),
    source_clause_id bigint REFERENCES clauses(id) ON DELETE SET NULL,
    recorded_at      timestamptz NOT NULL DEFAULT now(),
    recorded_by      bigint REFERENCES users(id) ON DELETE SET NULL,
    recorded_by_name text NOT NULL DEFAULT 'seed data',
    supersedes_id    bigint REFERENCES demand_state_entries(id)
);
CREATE INDEX demand_state_entries_demand_idx ON demand_state_entries (demand_id, effective_on, id);
CREATE INDEX demand_state_entries_supersedes_idx ON demand_state_entries (supersedes_id) WHERE supersedes_id IS NOT NULL;
CREATE INDEX demand_state_entries_clause_idx ON demand_state_entries (source_clause_id) WHERE source_clause_id IS NOT NULL;

-- demand_target_refs resolves each target to its type, slug and name.
CREATE VIEW demand_target_refs AS
SELECT t.id, t.demand_id,
       CASE WHEN t.person_id IS NOT NULL THEN 'person'
            WHEN t.organisation_id IS NOT NULL THEN 'organisation'
            WHEN t.legal_provision_id IS NOT NULL THEN 'legal_provision'
            ELSE 'case' END AS type,
       COALESCE(p.slug, o.slug, l.slug, k.slug) AS slug,
       COALESCE(p.name, o.name, l.name, k.title) AS name
FROM demand_targets t
LEFT JOIN people p ON p.id = t.person_id
LEFT JOIN organisations o ON o.id = t.organisation_id
LEFT JOIN legal_provisions l ON l.id = t.legal_provision_id
LEFT JOIN cases k ON k.id = t.case_id;

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['demand_actions', 'demand_states', 'demands', 'demand_targets', 'demand_state_entries']
    LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I
                        FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version()', t || '_bump_version', t);
    END LOOP;
END $$;
