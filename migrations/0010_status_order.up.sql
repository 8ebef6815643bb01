-- A list filtered by status, in name order, read straight from one index.
CREATE INDEX IF NOT EXISTS people_status_name_idx ON people (current_status, name, slug);
CREATE INDEX IF NOT EXISTS cases_status_title_idx ON cases (current_status, title, slug);
