package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/whereas/whereas/internal/tracker"
	"github.com/whereas/whereas/internal/translit"
)

// suggestShape is how a suggestion reads a record of one type: the table joined as x (with
// whatever else its detail needs) and the detail that tells namesakes apart, NULL when
// there is none. Table names and expressions are fixed here, never taken from input.
var suggestShape = map[tracker.EntityType]struct{ from, detail string }{
	tracker.PersonEntity:         {"people x", "NULLIF(concat_ws(' · ', NULLIF(x.role, ''), NULLIF(x.place, '')), '')"},
	tracker.OrganisationEntity:   {"organisations x", "NULLIF(x.kind, '')"},
	tracker.LegalProvisionEntity: {"legal_provisions x", "NULL::text"},
	tracker.CaseEntity:           {"cases x LEFT JOIN case_statuses st ON st.code = x.current_status", "st.label"},
}

// fewRecords are the types with few records (tens or hundreds, not the hundred thousand
// people and cases a large database holds): their names are all read to find the words a
// query begins, instead of looking the beginnings up in the shared list of words.
var fewRecords = map[tracker.EntityType]bool{tracker.OrganisationEntity: true, tracker.LegalProvisionEntity: true}

// completionsSQL lists the known words that begin with $1 (the word being typed), by the
// pattern index of migration 0020; the operators keep the index usable in a generic plan.
const completionsSQL = `SELECT word FROM search_vocab WHERE word ~>=~ $1 AND word ~<~ ($1 || '{') LIMIT 200`

// suggestSQL finds the records of one type whose names match a query being typed, by the
// search's own keys (internal/translit) and word lists. $1 is the type, $2 the query's key,
// $3 its words; $4… hold, for each query word in turn, the words that count as it: itself,
// the known words within a typo or two of it and, for the last (still being typed), the
// known words it begins; for a type with few records, one more holds the last word. A name matches when each query word is among
// its words (for a type with few records, the last query word may also begin one of its
// words). Exact keys and names beginning with the query are always found; of names sharing
// a word with thousands of others, at most 100 are ranked. Candidates are ranked from the
// name index alone; only the 10 returned are read from their table, for their detail.
// Retired records have no names in the index (entityNamesSQL), so none is ever offered. Ranked: the whole name, then
// names beginning with the query, then names holding all its words, then the rest; within
// each by trigram similarity, then by name.
func suggestSQL(t tracker.EntityType, words int) string {
	var cond []string
	for i := range words {
		c := fmt.Sprintf("words && $%d::text[]", 4+i)
		if i == words-1 && fewRecords[t] {
			c = fmt.Sprintf(`(%s OR (' ' || key) LIKE ('%% ' || $%d::text || '%%'))`, c, 4+words)
		}
		cond = append(cond, c)
	}
	shape := suggestShape[t]
	// For people and cases the words index alone finds the candidates: combined with the
	// type index (half of all names are people's), a rare word cost 40 ms instead of 0.1.
	// So the type is compared in a form no index serves. Types with few records are read
	// through the type index, as their last word may only begin a word of theirs.
	byType := "(entity_type || '') = $1"
	if fewRecords[t] {
		byType = "entity_type = $1"
	}
	cols := `SELECT entity_id, entity_slug, entity_name, name, key, words FROM search_names WHERE entity_type = $1 AND `
	return `
WITH cand AS (
  (` + cols + `key = $2 LIMIT 50)
  UNION ALL
  (` + cols + `key ~>=~ $2 AND key ~<~ ($2 || '{') LIMIT 50)
  UNION ALL
  (` + strings.Replace(cols, "entity_type = $1", byType, 1) + strings.Join(cond, " AND ") + ` LIMIT 100)
), best AS (
  SELECT DISTINCT ON (entity_id) entity_id, entity_slug, entity_name, name,
         key = $2 AS exact, words @> $3::text[] AS whole,
         CASE WHEN key = $2 THEN 3 WHEN key ~>=~ $2 AND key ~<~ ($2 || '{') THEN 2
              WHEN words @> $3::text[] THEN 1 ELSE 0 END AS tier,
         similarity(key, $2) AS score
  FROM cand ORDER BY entity_id, tier DESC, score DESC
), top AS (
  SELECT * FROM best ORDER BY tier DESC, score DESC, entity_name, entity_slug LIMIT ` + fmt.Sprint(tracker.MaxSuggestions) + `
)
SELECT b.entity_slug, b.entity_name, b.name, b.exact, b.whole, ` + shape.detail + `
FROM top b JOIN ` + shape.from + ` ON x.id = b.entity_id
ORDER BY b.tier DESC, b.score DESC, b.entity_name, b.entity_slug`
}

// maxSuggestWords is how many words of a query a suggestion matches; more add nothing a
// name picker needs.
const maxSuggestWords = 4

// Suggest offers at most tracker.MaxSuggestions records of type t whose names match query,
// a name being typed: in any spelling or script, with typos, the last word possibly
// unfinished. An empty query (or one with no letters) offers nothing.
func (db *DB) Suggest(ctx context.Context, t tracker.EntityType, query string) ([]tracker.Suggestion, error) {
	if _, ok := suggestShape[t]; !ok {
		return nil, tracker.Errorf(tracker.EINVALID, "Unknown record type %q.", t)
	}
	key := translit.Key(query)
	words := strings.Fields(key)
	if len(words) == 0 {
		return nil, nil
	}
	if len(words) > maxSuggestWords {
		words = words[:maxSuggestWords]
		key = strings.Join(words, " ")
	}
	last := words[len(words)-1]
	near, err := db.typoWords(ctx, key)
	if err != nil {
		return nil, translate(err, "suggestions")
	}
	rows, _ := db.read(ctx).Query(ctx, completionsSQL, last)
	begun, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, translate(err, "suggestions")
	}
	args := []any{string(t), key, words}
	for i, w := range words {
		alts := append([]string{w}, near[w]...)
		if i == len(words)-1 {
			alts = append(alts, begun...)
		}
		args = append(args, alts)
	}
	if fewRecords[t] {
		args = append(args, last)
	}
	rows, _ = db.read(ctx).Query(ctx, suggestSQL(t, len(words)), args...)
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (tracker.Suggestion, error) {
		s := tracker.Suggestion{Type: t}
		var exact, whole bool
		var detail *string
		if err := row.Scan(&s.Slug, &s.Name, &s.Matched, &exact, &whole, &detail); err != nil {
			return s, err
		}
		switch {
		case exact && s.Matched == s.Name:
			s.Match = tracker.MatchName
		case exact:
			s.Match = tracker.MatchAlias
		case whole:
			s.Match = tracker.MatchPart
		default:
			s.Match = tracker.MatchClose
		}
		if detail != nil {
			s.Detail = *detail
		}
		return s, nil
	})
	return out, translate(err, "suggestions")
}

// Records reads the records of type t with the given slugs, with the detail suggestions
// show, in the order of slugs; slugs of no record are left out.
func (db *DB) Records(ctx context.Context, t tracker.EntityType, slugs []string) ([]tracker.Suggestion, error) {
	shape, ok := suggestShape[t]
	if !ok {
		return nil, tracker.Errorf(tracker.EINVALID, "Unknown record type %q.", t)
	}
	if len(slugs) == 0 {
		return nil, nil
	}
	name := "x.name"
	if t == tracker.CaseEntity {
		name = "x.title"
	}
	rows, _ := db.read(ctx).Query(ctx, `SELECT x.slug, `+name+`, `+shape.detail+` FROM `+shape.from+`
		JOIN unnest($1::text[]) WITH ORDINALITY AS want(slug, n) ON want.slug = x.slug ORDER BY want.n`, slugs)
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (tracker.Suggestion, error) {
		s := tracker.Suggestion{Type: t, Match: tracker.MatchName}
		var detail *string
		err := row.Scan(&s.Slug, &s.Name, &detail)
		if detail != nil {
			s.Detail = *detail
		}
		s.Matched = s.Name
		return s, err
	})
	return out, translate(err, "records")
}
