DROP TRIGGER IF EXISTS people_facets_counted ON people;
DROP TRIGGER IF EXISTS cases_facets_counted ON cases;
DROP FUNCTION IF EXISTS whereas_facet_recount();
DROP FUNCTION IF EXISTS whereas_facets_counted();
DROP FUNCTION IF EXISTS whereas_facets_of(text, record);
DROP FUNCTION IF EXISTS whereas_facet_add(text, text, text, integer);
DROP TABLE IF EXISTS facet_counts;
