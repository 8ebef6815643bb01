DROP TRIGGER IF EXISTS people_facets_counted ON people;
DROP FUNCTION IF EXISTS whereas_people_facets_recount();
DROP FUNCTION IF EXISTS whereas_people_facets_counted();
DROP FUNCTION IF EXISTS whereas_people_facet_add(text, text, integer);
DROP TABLE IF EXISTS people_facet_counts;
