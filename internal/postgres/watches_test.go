package postgres_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/postgres/postgrestest"
	"github.com/whereas/whereas/internal/tracker"
)

// TestNewsReachesTheRightWatchers checks which change tells which watcher: the triggers
// write an event with the change, and the worker's QueueNews turns it into one email per
// watcher, never telling visitors of internal changes or retired records.
func TestNewsReachesTheRightWatchers(t *testing.T) {
	t.Parallel()
	db, url := postgrestest.OpenSeeded(t)
	ctx := context.Background()
	postgrestest.Exec(t, url, `INSERT INTO users (email, role, password_hash) VALUES ('staff@example.org', 'editor', 'x')`)
	// staff watch the person and the resolution; a visitor (confirmed) the person and the case;
	// another visitor has not confirmed.
	postgrestest.Exec(t, url, `INSERT INTO watches (user_id, person_id, confirmed_at)
		SELECT u.id, p.id, now() FROM users u, people p WHERE u.email = 'staff@example.org' AND p.slug = 'max-bokayev'`)
	postgrestest.Exec(t, url, `INSERT INTO watches (user_id, resolution_id, confirmed_at)
		SELECT u.id, r.id, now() FROM users u, resolutions r WHERE u.email = 'staff@example.org' AND r.slug = '2019-2610-rsp'`)
	postgrestest.Exec(t, url, `INSERT INTO watches (email, person_id, confirmed_at, lang) SELECT 'v@example.net', id, now(), 'ru' FROM people WHERE slug = 'max-bokayev'`)
	postgrestest.Exec(t, url, `INSERT INTO watches (email, case_id, confirmed_at) SELECT 'v@example.net', id, now() FROM cases WHERE slug = 'max-bokayev-case'`)
	postgrestest.Exec(t, url, `INSERT INTO watches (email, case_id) SELECT 'pending@example.net', id FROM cases WHERE slug = 'max-bokayev-case'`)

	// news runs the worker's step and says, per recipient, which changes it was told of.
	n := 0
	news := func() map[string][]string {
		t.Helper()
		got := map[string][]string{}
		_, err := db.QueueNews(ctx, 100, func() string { n++; return strings.Repeat("t", n) }, func(nt tracker.Notice, token string) (tracker.Mail, error) {
			got[nt.Recipient] = append(got[nt.Recipient], string(nt.News.Kind)+":"+string(nt.Watch.Kind))
			if nt.Recipient == "v@example.net" && nt.Watch.Lang != "ru" && nt.Watch.Kind == tracker.WatchPerson {
				t.Errorf("the visitor's language: %q", nt.Watch.Lang)
			}
			return tracker.Mail{Kind: tracker.MailChange, To: nt.Recipient, Subject: "s", Text: token}, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	check := func(what string, got map[string][]string, want map[string][]string) {
		t.Helper()
		for k, v := range got {
			slices.Sort(v)
			got[k] = v
		}
		for k, v := range want {
			if !slices.Equal(got[k], v) {
				t.Errorf("%s: %s was told %v, want %v", what, k, got[k], v)
			}
		}
		for k := range got {
			if _, ok := want[k]; !ok {
				t.Errorf("%s: %s was told %v, want nothing", what, k, got[k])
			}
		}
	}

	postgrestest.Exec(t, url, `INSERT INTO status_entries (case_id, status, effective_on) SELECT id, 'released', '2021-02-08' FROM cases WHERE slug = 'max-bokayev-case'`)
	check("a status", news(), map[string][]string{"staff@example.org": {"status:person"}, "v@example.net": {"status:case"}})

	postgrestest.Exec(t, url, `INSERT INTO demand_state_entries (demand_id, state, effective_on) SELECT id, 'met', '2021-02-08' FROM demands WHERE slug = '2019-2610-rsp-para-1-1'`)
	check("a demand state", news(), map[string][]string{"staff@example.org": {"demand_state:person"}, "v@example.net": {"demand_state:person"}})

	postgrestest.Exec(t, url, `UPDATE people SET internal_notes = 'moved to another prison' WHERE slug = 'max-bokayev'`)
	check("an internal edit", news(), map[string][]string{"staff@example.org": {"person_edit:person"}})

	postgrestest.Exec(t, url, `UPDATE people SET role = 'Poet' WHERE slug = 'max-bokayev'`)
	check("a public edit", news(), map[string][]string{"staff@example.org": {"person_edit:person"}, "v@example.net": {"person_edit:person"}})

	postgrestest.Exec(t, url, `UPDATE cases SET retired_at = now(), retired_by = 'test' WHERE slug = 'max-bokayev-case'`)
	check("retiring", news(), map[string][]string{})
	postgrestest.Exec(t, url, `INSERT INTO status_entries (case_id, status, effective_on) SELECT id, 'imprisoned', '2021-03-01' FROM cases WHERE slug = 'max-bokayev-case'`)
	check("a status of a retired case", news(), map[string][]string{"staff@example.org": {"status:person"}})

	postgrestest.Exec(t, url, `INSERT INTO resolutions (slug, procedure, title, adopted_on, source_text, stage, reference)
		SELECT 'later-text', procedure, title, adopted_on, source_text, 'motion', 'B9-0001/2019' FROM resolutions WHERE slug = '2019-2610-rsp'`)
	check("a new stage", news(), map[string][]string{"staff@example.org": {"stage:resolution"}})

	if n := postgrestest.Count(t, url, `SELECT count(*) FROM watch_tokens`); n != 9 {
		t.Errorf("%d unsubscribe tokens kept, want one per email (9)", n)
	}
	if n := postgrestest.Count(t, url, `SELECT count(*) FROM watch_tokens WHERE token_hash = $1`, postgres.HashToken("t")); n != 1 {
		t.Error("tokens are kept as their hash")
	}
	if n := postgrestest.Count(t, url, `SELECT count(*) FROM watch_events WHERE done_at IS NULL`); n != 0 {
		t.Errorf("%d changes left unmailed", n)
	}
}
