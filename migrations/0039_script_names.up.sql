-- Names per script (issue 17 §2): a person, organisation or law has, beside its Latin name
-- (name), its name in Russian Cyrillic and in Kazakh Cyrillic where known ('' where not).
-- Existing records take them from their aliases: the first alias with a letter only Kazakh
-- writes (ә ғ қ ң ө ұ ү һ і) is the Kazakh name; the first other Cyrillic one, the Russian.
-- The aliases stay as they are: search finds every spelling, as before.
ALTER TABLE people ADD COLUMN name_ru text NOT NULL DEFAULT '' CHECK (length(name_ru) <= 200),
                   ADD COLUMN name_kk text NOT NULL DEFAULT '' CHECK (length(name_kk) <= 200);
ALTER TABLE organisations ADD COLUMN name_ru text NOT NULL DEFAULT '' CHECK (length(name_ru) <= 200),
                          ADD COLUMN name_kk text NOT NULL DEFAULT '' CHECK (length(name_kk) <= 200);
ALTER TABLE legal_provisions ADD COLUMN name_ru text NOT NULL DEFAULT '' CHECK (length(name_ru) <= 200),
                             ADD COLUMN name_kk text NOT NULL DEFAULT '' CHECK (length(name_kk) <= 200);

UPDATE people SET
    name_kk = COALESCE((SELECT a FROM unnest(aliases) WITH ORDINALITY u(a, i) WHERE a ~ '[әғқңөұүһіӘҒҚҢӨҰҮҺІ]' ORDER BY i LIMIT 1), ''),
    name_ru = COALESCE((SELECT a FROM unnest(aliases) WITH ORDINALITY u(a, i) WHERE a ~ '[А-Яа-яЁё]' AND a !~ '[әғқңөұүһіӘҒҚҢӨҰҮҺІ]' ORDER BY i LIMIT 1), '');
UPDATE organisations SET
    name_kk = COALESCE((SELECT a FROM unnest(aliases) WITH ORDINALITY u(a, i) WHERE a ~ '[әғқңөұүһіӘҒҚҢӨҰҮҺІ]' ORDER BY i LIMIT 1), ''),
    name_ru = COALESCE((SELECT a FROM unnest(aliases) WITH ORDINALITY u(a, i) WHERE a ~ '[А-Яа-яЁё]' AND a !~ '[әғқңөұүһіӘҒҚҢӨҰҮҺІ]' ORDER BY i LIMIT 1), '');
UPDATE legal_provisions SET
    name_kk = COALESCE((SELECT a FROM unnest(aliases) WITH ORDINALITY u(a, i) WHERE a ~ '[әғқңөұүһіӘҒҚҢӨҰҮҺІ]' ORDER BY i LIMIT 1), ''),
    name_ru = COALESCE((SELECT a FROM unnest(aliases) WITH ORDINALITY u(a, i) WHERE a ~ '[А-Яа-яЁё]' AND a !~ '[әғқңөұүһіӘҒҚҢӨҰҮҺІ]' ORDER BY i LIMIT 1), '');
