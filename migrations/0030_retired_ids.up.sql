-- The few retired people, so that counts of the people a resolution names can leave them out
-- by comparing ids with one short list instead of reading every named person's row.
CREATE INDEX people_retired_idx ON people (id) WHERE retired_at IS NOT NULL;
