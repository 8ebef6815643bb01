DROP TRIGGER IF EXISTS people_status_counted ON people;
DROP TRIGGER IF EXISTS cases_status_counted ON cases;
DROP FUNCTION IF EXISTS whereas_status_recount();
DROP FUNCTION IF EXISTS whereas_status_counted();
DROP FUNCTION IF EXISTS whereas_status_count_add(text, text, integer);
DROP TABLE IF EXISTS status_counts;
