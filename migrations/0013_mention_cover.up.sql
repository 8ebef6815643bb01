-- Lists count the clauses citing each person or case they show: with the clause in the
-- index, that count reads the index alone instead of visiting a table page per mention.
CREATE INDEX mentions_person_clause_idx ON mentions (person_id, clause_id) WHERE person_id IS NOT NULL;
CREATE INDEX mentions_case_clause_idx ON mentions (case_id, clause_id) WHERE case_id IS NOT NULL;
DROP INDEX mentions_person_idx;
DROP INDEX mentions_case_idx;
