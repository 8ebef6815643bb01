-- The names per script go; those taken from aliases are still aliases, those typed in
-- the name fields are lost (the README's migration table says so).
ALTER TABLE people DROP COLUMN name_ru, DROP COLUMN name_kk;
ALTER TABLE organisations DROP COLUMN name_ru, DROP COLUMN name_kk;
ALTER TABLE legal_provisions DROP COLUMN name_ru, DROP COLUMN name_kk;
