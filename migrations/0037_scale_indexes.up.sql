-- Indexes for the scale report (issue 16 §5), at 100,000 people and a million mentions:
-- - the people each resolution names are counted (resolutions index, home page) from the
--   index alone, instead of reading each of some 500 mentions a resolution has from the
--   table: 10.9 ms for a page of 20 resolutions, 3.7 ms with it;
-- - a people index filtered by role and place reads its first page in name order from an
--   index, instead of walking every person in name order until 50 pass the filter (6,370
--   rows read for "journalists in Almaty": 10.8 ms, 0.8 ms with it).
CREATE INDEX mentions_clause_person_idx ON mentions (clause_id, person_id) WHERE person_id IS NOT NULL;
CREATE INDEX people_live_role_place_name_idx ON people (role, place, name, slug) WHERE retired_at IS NULL;
