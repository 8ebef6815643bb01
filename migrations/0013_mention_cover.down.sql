CREATE INDEX mentions_person_idx ON mentions (person_id) WHERE person_id IS NOT NULL;
CREATE INDEX mentions_case_idx ON mentions (case_id) WHERE case_id IS NOT NULL;
DROP INDEX mentions_person_clause_idx;
DROP INDEX mentions_case_clause_idx;
