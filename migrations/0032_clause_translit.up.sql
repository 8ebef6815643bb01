-- Clause text found across scripts (issue 15 §1): a Cyrillic query ("Жанаозен", "Жаңаөзен")
-- finds recitals that say "Zhanaozen", and a Latin query finds text written in Cyrillic.
-- whereas_translit writes Russian and Kazakh Cyrillic in Latin letters as the translit
-- package's Latin does (internal/translit); each clause keeps a second vector of its text
-- so transliterated, without stemming, which a query transliterated the same way searches.
CREATE FUNCTION whereas_translit(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT translate(
        replace(replace(replace(replace(replace(replace(replace(replace(replace(lower($1),
            'щ', 'shch'), 'ж', 'zh'), 'х', 'kh'), 'ц', 'ts'), 'ч', 'ch'), 'ш', 'sh'), 'ю', 'yu'), 'я', 'ya'), 'ё', 'e'),
        'абвгдезийклмнопрстуфыэәғқңөұүһієїўъь',
        'abvgdeziyklmnoprstufyeagknouuhieiu') $$;

ALTER TABLE clauses ADD COLUMN tsv_latin tsvector
    GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, whereas_unaccent(whereas_translit(text)))) STORED;
CREATE INDEX clauses_tsv_latin_idx ON clauses USING gin (tsv_latin);
