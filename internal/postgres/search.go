package postgres

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/whereas/whereas/internal/tracker"
	"github.com/whereas/whereas/internal/translit"
)

// nameRow is one name of an entity as the search index holds it.
type nameRow struct {
	typ        tracker.EntityType
	id         int64
	slug, name string
	names      []string
}

// entityNamesSQL reads every name and alias of every entity, or of one (type, id).
const entityNamesSQL = `
SELECT 'person', id, slug, name, aliases || ARRAY[name_ru, name_kk] FROM people WHERE retired_at IS NULL AND ($1 = '' OR ($1 = 'person' AND id = $2))
UNION ALL SELECT 'organisation', id, slug, name, aliases || ARRAY[name_ru, name_kk] FROM organisations WHERE retired_at IS NULL AND ($1 = '' OR ($1 = 'organisation' AND id = $2))
UNION ALL SELECT 'legal_provision', id, slug, name, aliases || ARRAY[name_ru, name_kk] FROM legal_provisions WHERE retired_at IS NULL AND ($1 = '' OR ($1 = 'legal_provision' AND id = $2))
UNION ALL SELECT 'case', id, slug, title, '{}'::text[] FROM cases WHERE retired_at IS NULL AND ($1 = '' OR ($1 = 'case' AND id = $2))`

// writeNames puts the search keys of rows into search_names with COPY.
func writeNames(ctx context.Context, tx pgx.Tx, rows []nameRow) error {
	var out [][]any
	for _, r := range rows {
		seen := map[string]bool{}
		for _, n := range append([]string{r.name}, r.names...) {
			k := translit.Key(n)
			if k == "" || seen[k] {
				continue
			}
			seen[k] = true
			out = append(out, []any{string(r.typ), r.id, r.slug, r.name, n, k})
		}
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"search_names"}, []string{"entity_type", "entity_id", "entity_slug", "entity_name", "name", "key"}, pgx.CopyFromRows(out)); err != nil {
		return err
	}
	words := map[string]bool{}
	for _, o := range out {
		for _, w := range strings.Fields(o[5].(string)) {
			words[w] = true
		}
	}
	list := make([]string, 0, len(words))
	for w := range words {
		list = append(list, w)
	}
	_, err := tx.Exec(ctx, `INSERT INTO search_vocab (word) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING`, list)
	return err
}

func readNames(ctx context.Context, tx pgx.Tx, typ tracker.EntityType, id int64) ([]nameRow, error) {
	rows, _ := tx.Query(ctx, entityNamesSQL, string(typ), id)
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (nameRow, error) {
		var r nameRow
		return r, row.Scan(&r.typ, &r.id, &r.slug, &r.name, &r.names)
	})
}

// refreshNames rewrites the search keys of one entity after its names changed.
func refreshNames(ctx context.Context, tx pgx.Tx, typ tracker.EntityType, slug string) error {
	var id int64
	if err := tx.QueryRow(ctx, `SELECT id FROM `+entityTables[typ].table+` WHERE slug = $1`, slug).Scan(&id); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM search_names WHERE entity_type = $1 AND entity_id = $2`, string(typ), id); err != nil {
		return err
	}
	rows, err := readNames(ctx, tx, typ, id)
	if err != nil {
		return err
	}
	return writeNames(ctx, tx, rows)
}

// RebuildSearchNames recomputes every search key, in one transaction.
func (db *DB) RebuildSearchNames(ctx context.Context) (int, error) {
	n := 0
	err := db.writeUntracked(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM search_names; DELETE FROM search_vocab`); err != nil {
			return err
		}
		rows, err := readNames(ctx, tx, "", 0)
		if err != nil {
			return err
		}
		n = len(rows)
		return writeNames(ctx, tx, rows)
	})
	return n, translate(err, "search index")
}

// EnsureSearchNames builds the name index when it is missing, as after a restore or on a
// database loaded before search existed; otherwise it does nothing.
func (db *DB) EnsureSearchNames(ctx context.Context) error {
	var missing bool
	err := db.pool.QueryRow(ctx, `SELECT NOT EXISTS (SELECT 1 FROM search_names)
		AND (EXISTS (SELECT 1 FROM people) OR EXISTS (SELECT 1 FROM organisations) OR EXISTS (SELECT 1 FROM cases))`).Scan(&missing)
	if err != nil || !missing {
		return translate(err, "search index")
	}
	_, err = db.RebuildSearchNames(ctx)
	return err
}

// typoWordsSQL finds the indexed words within one typo (words of 4-5 letters) or two
// (longer words) of each query word that is not itself a known word: a name spelt as some
// record has it is taken as meant, not widened to its neighbours (Bokayev is not Tokayev).
// A known word of eight letters or more is still widened by one typo: names in Kazakh
// Cyrillic made common misspellings of Latin names real words ("Қазақстан" gives
// "kazakstan", one letter from "kazakhstan", which "Forbs Kazakstan" means).
// Each comes with the query word it is close to.
// Numbers are never widened: "article 174" is not close to Article 274, nor 1740 to 1741.
const typoWordsSQL = `
SELECT DISTINCT qw.w, v.word FROM unnest(string_to_array($1, ' ')) AS qw(w)
  CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM search_vocab known WHERE known.word = qw.w) AS known) k
  JOIN search_vocab v
  ON length(qw.w) >= 4 AND qw.w !~ '[0-9]' AND v.word !~ '[0-9]' AND (NOT k.known OR length(qw.w) >= 8)
 AND length(v.word) BETWEEN length(qw.w) - 2 AND length(qw.w) + 2
 AND v.word <> qw.w AND levenshtein(v.word, qw.w) <= CASE WHEN k.known THEN 1 WHEN length(qw.w) >= 6 THEN 2 ELSE 1 END
LIMIT 20`

// nameSearchSQL finds names by key ($1): the same key first (tier 3), then names holding
// the query as whole words (tier 2), then names holding a query word or a word within two
// typos of one (tier 1), ranked by trigram similarity. $2 is the array of all those words,
// which the GIN index on each key's words serves exactly; a similarity search over every
// key would not scale, as short names share too many trigrams. Exact keys are always found;
// of the names holding a word, at most 100 are ranked. The best name of each record counts,
// and the best 60 records come back, each person with their details (personDetailsSQL).
// $3 are the query's words holding a digit: a name must hold each of them exactly (Article
// 274 is no close name for "article 174"). Each name's row is read once (a name found both
// ways is ranked the same twice, and DISTINCT ON keeps one).
// The typo words are found first, by a query of their own: found inside this statement,
// the array was unknown when the statement was planned, and PostgreSQL read names in table
// order instead of through the index, slower, and ranking another 100 of a common surname.
var nameSearchSQL = `
SELECT b.entity_type, b.entity_slug, b.entity_name, b.name, b.tier, b.score, ` + personDetailColumns + ` FROM (
SELECT entity_type, entity_id, entity_slug, entity_name, name, tier, score FROM (
  SELECT DISTINCT ON (entity_type, entity_id) entity_type, entity_id, entity_slug, entity_name, name, tier, score FROM (
    SELECT s.entity_type, s.entity_id, s.entity_slug, s.entity_name, s.name,
           CASE WHEN s.key = $1 THEN 3
                WHEN (' ' || s.key || ' ') LIKE ('% ' || $1 || ' %') THEN 2
                ELSE 1 END AS tier,
           similarity(s.key, $1) AS score
    FROM (
      (SELECT entity_type, entity_id, entity_slug, entity_name, name, key FROM search_names WHERE key = $1)
      UNION ALL
      -- a surname thousands share: rank a bounded sample of them, not every one
      (SELECT entity_type, entity_id, entity_slug, entity_name, name, key FROM search_names
       WHERE words && $2::text[] AND words @> $3::text[] LIMIT 100)) s
  ) m
  ORDER BY entity_type, entity_id, tier DESC, score DESC
) best ORDER BY tier DESC, score DESC, entity_name LIMIT 60) b` + personDetailsSQL("CASE WHEN b.entity_type = 'person' THEN b.entity_id END") + `
ORDER BY b.tier DESC, b.score DESC, b.entity_name`

// textSearchSQL finds clauses and notes by full-text search. Each kind of record offers at
// most its first 100 matches for ranking (a word found in tens of thousands of clauses, or
// in every case named after a common surname, would otherwise cost more than the page is
// worth). The snippet is made in Go (tracker.Highlight) from the body of the 40 returned,
// which costs a tenth of ts_headline.
// Internal notes are searched only in the text for signed-in staff (textSearchSQL[true]).
// Two texts rather than a parameter: with "$2 AND ..." in the notes' branches, only a plan
// made for each value could drop them, so PostgreSQL planned the query anew on every
// search (1.5 ms at 100,000 people, as long as running it for a rare word); without it,
// the statement's plan is made once and kept.
// Clauses are also searched in Latin letters ($2, the query as translit.Latin writes it,
// against the clause text transliterated the same way, migration 0032), so that a query
// in Cyrillic finds a text in Latin letters and the other way round.
var textSearchSQL = map[bool]string{false: textSearch(false), true: textSearch(true)}

func textSearch(staff bool) string {
	internal := ""
	if staff {
		internal = `
  UNION ALL
  SELECT 'person', NULL, p.slug, p.name, p.internal_notes, ts_rank(p.internal_tsv, q.q), true, p.id
  FROM (SELECT p.* FROM people p, q WHERE p.retired_at IS NULL AND p.internal_tsv @@ q.q LIMIT 100) p, q
  UNION ALL
  SELECT 'case', NULL, k.slug, k.title, k.internal_notes, ts_rank(k.internal_tsv, q.q), true, NULL
  FROM (SELECT k.* FROM cases k, q WHERE k.retired_at IS NULL AND k.internal_tsv @@ q.q LIMIT 100) k, q`
	}
	return `
WITH q AS (SELECT websearch_to_tsquery('english', whereas_unaccent($1)) AS q, plainto_tsquery('simple', $2) AS ql),
hits AS (
  SELECT 'clause' AS type, c.resolution_id AS res, c.eid AS slug, initcap(c.kind) || ' ' || c.label AS name,
         c.text AS body, greatest(ts_rank(c.tsv, q.q), ts_rank(c.tsv_latin, q.ql)) AS rank, false AS internal, NULL::bigint AS pid
  FROM (SELECT c.* FROM clauses c, q WHERE c.tsv @@ q.q OR c.tsv_latin @@ q.ql LIMIT 100) c, q
  UNION ALL
  SELECT 'person', NULL, p.slug, p.name, p.role || ' · ' || p.place || ' · ' || p.notes, ts_rank(p.tsv, q.q), false, p.id
  FROM (SELECT p.* FROM people p, q WHERE p.retired_at IS NULL AND p.tsv @@ q.q LIMIT 100) p, q
  UNION ALL
  SELECT 'case', NULL, k.slug, k.title, k.title || ' · ' || k.summary, ts_rank(k.tsv, q.q), false, NULL
  FROM (SELECT k.* FROM cases k, q WHERE k.retired_at IS NULL AND k.tsv @@ q.q LIMIT 100) k, q` + internal + `
  UNION ALL
  SELECT 'organisation', NULL, o.slug, o.name, o.kind || ' · ' || o.notes, ts_rank(o.tsv, q.q), false, NULL FROM organisations o, q WHERE o.retired_at IS NULL AND o.tsv @@ q.q
  UNION ALL
  SELECT 'legal_provision', NULL, l.slug, l.name, concat_ws(' · ', NULLIF(l.citation, ''), NULLIF(l.jurisdiction, ''), l.notes), ts_rank(l.tsv, q.q), false, NULL FROM legal_provisions l, q WHERE l.retired_at IS NULL AND l.tsv @@ q.q
  ORDER BY rank DESC, name LIMIT 40
)
-- A clause's resolution is looked up for the 40 hits returned only, each by its key
-- ("OFFSET 0" keeps PostgreSQL from hashing every resolution to join 40 rows), and so are
-- a person's details (personDetailsSQL).
SELECT h.type, COALESCE(r.slug || '#' || h.slug, h.slug), h.name, r.title, r.adopted_on, h.body, h.rank, h.internal, ` + personDetailColumns + `
FROM hits h LEFT JOIN LATERAL (SELECT r.slug, r.title, r.adopted_on FROM resolutions r WHERE r.id = h.res OFFSET 0) r ON true` + personDetailsSQL("h.pid") + `
ORDER BY h.rank DESC, 3`
}

// personDetailsSQL reads what tells people of the same name apart, for a search's person
// hit whose id is idExpr (NULL for other hits): role, place, current status with the entry
// that set it, and the years of the resolutions citing them. Joined to the rows each search
// query returns, so the details travel in the same round trip as the hits.
func personDetailsSQL(idExpr string) string {
	return `
LEFT JOIN LATERAL (
  SELECT x.role, x.place, x.current_status, cur.effective_on, COALESCE(cur.effective_precision, 'day') AS effective_precision, COALESCE(cur.dated_by, '') AS dated_by,
         COALESCE((SELECT array_agg(DISTINCT extract(year FROM r.adopted_on)::int ORDER BY extract(year FROM r.adopted_on)::int)
                   FROM mentions m JOIN clauses c ON c.id = m.clause_id JOIN resolutions r ON r.id = c.resolution_id
                   WHERE m.person_id = x.id), '{}') AS years
  FROM people x ` + personSinceSQL + ` WHERE x.id = ` + idExpr + ` AND x.retired_at IS NULL) d ON true`
}

// personDetailColumns are the columns of personDetailsSQL, as personDetails scans them.
const personDetailColumns = `d.role, d.place, d.current_status, d.effective_on, d.effective_precision, d.dated_by, d.years`

// personDetails are a hit's personDetailColumns: all nil for a hit that is no person.
type personDetails struct {
	role, place, status, datedBy *string
	precision                    *tracker.Precision
	since                        *time.Time
	years                        []int
}

func (d *personDetails) targets() []any {
	return []any{&d.role, &d.place, &d.status, &d.since, &d.precision, &d.datedBy, &d.years}
}

// set gives h the details, when it is a person's hit.
func (d *personDetails) set(h *tracker.SearchHit) {
	if d.role == nil {
		return
	}
	h.Role, h.Place, h.Status, h.DatedBy, h.Years = *d.role, deref(d.place), tracker.Status(deref(d.status)), deref(d.datedBy), d.years
	if d.since != nil && h.Status != "" {
		h.Since = tracker.MakeWhen(*d.since, deref(d.precision))
	}
}

// typoWords finds, for each word of key that no record has, the known words within a typo
// or two of it (typoWordsSQL), keyed by that word.
func (db *DB) typoWords(ctx context.Context, key string) (map[string][]string, error) {
	rows, _ := db.read(ctx).Query(ctx, typoWordsSQL, key)
	out := map[string][]string{}
	var typed, word string
	_, err := pgx.ForEachRow(rows, []any{&typed, &word}, func() error {
		out[typed] = append(out[typed], word)
		return nil
	})
	return out, err
}

// Search finds people, organisations, legal provisions, cases and clauses by name (through
// transliteration keys, typos allowed) and by text, with the details of each person found,
// in two round trips (the typo words, then the rest). Internal notes are searched only when
// staff is true.
//
// more says the search found more than it returns (the name query's 60 rows or the text
// query's 40 were all used), so that no count of its hits reads as the whole.
func (db *DB) Search(ctx context.Context, query string, staff bool) (hits []tracker.SearchHit, more bool, err error) {
	key := translit.Key(query)
	nameRows, textRows := 0, 0
	var words []string
	if key != "" {
		// Words within two typos of the query's, found first so that the name query can
		// look them up, with the query's own words, in the index of key words.
		near, err := db.typoWords(ctx, key)
		if err != nil {
			return nil, false, translate(err, "search")
		}
		for _, ws := range near {
			words = append(words, ws...)
		}
		words = append(words, strings.Fields(key)...)
	}
	digits := []string{}
	for _, w := range strings.Fields(key) {
		if strings.ContainsAny(w, "0123456789") {
			digits = append(digits, w)
		}
	}
	b := &pgx.Batch{}
	if key != "" {
		b.Queue(nameSearchSQL, key, words, digits).Query(func(rows pgx.Rows) error {
			var typ, slug, name, matched string
			var tier int
			var score float64
			var d personDetails
			_, err := pgx.ForEachRow(rows, append([]any{&typ, &slug, &name, &matched, &tier, &score}, d.targets()...), func() error {
				nameRows++
				h := tracker.SearchHit{Type: tracker.EntityType(typ), Slug: slug, Name: name, Score: float64(tier) + score}
				switch {
				case tier == 3 && matched == name:
					h.Match = tracker.MatchName
				case tier == 3:
					h.Match, h.Alias = tracker.MatchAlias, matched
				case tier == 2:
					h.Match, h.Alias = tracker.MatchPart, matched
				default:
					h.Match, h.Alias = tracker.MatchClose, matched
				}
				d.set(&h)
				hits = append(hits, h)
				return nil
			})
			return err
		})
	}
	b.Queue(textSearchSQL[staff], query, translit.Latin(query)).Query(func(rows pgx.Rows) error {
		var typ, slug, name, snippet string
		var resTitle *string
		var resDate *time.Time
		var rank float64
		var internal bool
		var d personDetails
		_, err := pgx.ForEachRow(rows, append([]any{&typ, &slug, &name, &resTitle, &resDate, &snippet, &rank, &internal}, d.targets()...), func() error {
			textRows++
			h := tracker.SearchHit{Type: tracker.EntityType(typ), Slug: slug, Name: name, Match: tracker.MatchText,
				Snippet: tracker.Highlight(snippet, query), Score: rank, Internal: internal}
			if resTitle != nil && resDate != nil {
				h.Name = tracker.ClauseHitName(*resTitle, *resDate, name)
				kind, label, _ := strings.Cut(name, " ") // "Recital J", as the query writes it
				h.ResolutionTitle, h.ResolutionDate, h.ClauseKind, h.ClauseLabel = *resTitle, *resDate, tracker.ClauseKind(strings.ToLower(kind)), label
			}
			d.set(&h)
			hits = append(hits, h)
			return nil
		})
		return err
	})
	docRows := 0
	b.Queue(documentSearchSQL[staff], query).Query(func(rows pgx.Rows) error {
		var d tracker.DocumentHit
		var title, snippet string
		var rank float64
		var internal bool
		_, err := pgx.ForEachRow(rows, []any{&d.ID, &title, &d.Filename, &d.OwnerType, &d.OwnerSlug, &d.OwnerName, &snippet, &rank, &internal}, func() error {
			docRows++
			doc := d
			if doc.OwnerType == tracker.DemandEntity {
				doc.OwnerName = tracker.Shorten(doc.OwnerName, 120)
			}
			hits = append(hits, tracker.SearchHit{Type: tracker.DocumentEntity, Slug: strconv.FormatInt(d.ID, 10), Name: title,
				Match: tracker.MatchText, Snippet: snippet, Score: rank, Internal: internal, Document: &doc})
			return nil
		})
		return err
	})
	if err := db.read(ctx).SendBatch(ctx, b).Close(); err != nil {
		return nil, false, translate(err, "search")
	}
	more = nameRows >= nameSearchLimit || textRows >= textSearchLimit || docRows >= documentSearchLimit
	return tracker.RankHits(hits), more, nil
}

// The LIMITs of nameSearchSQL, textSearchSQL and documentSearchSQL: a search that fills
// one may have found more.
const nameSearchLimit, textSearchLimit, documentSearchLimit = 60, 40, 20

// documentSearchSQL finds attachments by the text inside them (text_tsv, made with the
// 'simple' configuration, as the files are in any language), each with the record it
// belongs to and a snippet ts_headline marks the words in with \x01 and \x02. Retired
// attachments are never found. The public (documentSearchSQL[false]) finds public files
// only, and none whose record is retired: the person, the case, or the case of the status
// entry it belongs to (demands are never retired); signed-in staff find every file.
// ts_headline reads only the 20 files returned, and the first 100,000 characters of each,
// so a snippet costs the same for a short letter and a verdict of a thousand pages.
var documentSearchSQL = map[bool]string{false: documentSearch(false), true: documentSearch(true)}

func documentSearch(staff bool) string {
	visible, public := "", ""
	if !staff {
		visible, public = ` AND a.visibility = 'public'`, ` AND p.retired_at IS NULL AND k.retired_at IS NULL`
	}
	return `
WITH q AS (SELECT websearch_to_tsquery('simple', $1) AS q),
hits AS (
  SELECT a.id, a.title, a.filename, a.text_content, ts_rank(a.text_tsv, q.q) AS rank, a.visibility = 'internal' AS internal,
         CASE WHEN a.person_id IS NOT NULL THEN 'person' WHEN dm.id IS NOT NULL THEN 'demand' ELSE 'case' END AS owner_type,
         COALESCE(p.slug, dm.slug, k.slug) AS owner_slug, COALESCE(p.name, dm.wording, k.title) AS owner_name
  FROM (SELECT a.* FROM attachments a, q WHERE a.retired_at IS NULL AND a.text_tsv @@ q.q` + visible + ` LIMIT 200) a
  CROSS JOIN q
  LEFT JOIN status_entries se ON se.id = a.status_entry_id
  LEFT JOIN demand_state_entries ds ON ds.id = a.demand_state_entry_id
  LEFT JOIN demands dm ON dm.id = ds.demand_id
  LEFT JOIN cases k ON k.id = COALESCE(a.case_id, se.case_id)
  LEFT JOIN people p ON p.id = a.person_id
  WHERE true` + public + `
  ORDER BY rank DESC, a.id LIMIT 20
)
SELECT h.id, h.title, h.filename, h.owner_type, h.owner_slug, h.owner_name,
       ts_headline('simple', left(h.text_content, 100000), q.q, 'StartSel=' || chr(1) || ', StopSel=' || chr(2) || ', MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "'),
       h.rank, h.internal
FROM hits h, q ORDER BY h.rank DESC, h.id`
}

// ExplainSearch shows how PostgreSQL runs a search's two queries, for the benchmark report.
func (db *DB) ExplainSearch(ctx context.Context, query string) (string, error) {
	var b strings.Builder
	for _, q := range []struct {
		title, sql string
		args       []any
	}{
		{"typo words", typoWordsSQL, []any{translit.Key(query)}},
		{"names", nameSearchSQL, []any{translit.Key(query), strings.Fields(translit.Key(query)), []string{}}},
		{"text", textSearchSQL[false], []any{query, translit.Latin(query)}},
	} {
		rows, _ := db.read(ctx).Query(ctx, "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) "+q.sql, q.args...)
		lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return "", translate(err, "explain")
		}
		b.WriteString("-- " + q.title + " query for " + query + "\n" + strings.Join(lines, "\n") + "\n\n")
	}
	return b.String(), nil
}
