-- Index pages list records in name order a page at a time; these indexes let PostgreSQL
-- read one page of rows in order instead of sorting the whole table.
CREATE INDEX people_name_idx ON people (name, slug);
CREATE INDEX organisations_name_idx ON organisations (name, slug);
CREATE INDEX legal_provisions_name_idx ON legal_provisions (name, slug);
CREATE INDEX cases_title_idx ON cases (title, slug);
CREATE INDEX resolutions_adopted_idx ON resolutions (adopted_on DESC, id DESC);
