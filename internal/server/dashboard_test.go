package server_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/jackc/pgx/v5"

	"github.com/whereas/whereas/internal/tracker"
)

// TestDashboardQueues reads every work queue's count on the dashboard, follows its link and
// reads the queue's pages: each list holds exactly as many records as its count says.
func TestDashboardQueues(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, w.url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	soon := time.Now().AddDate(0, 0, 5).Format(time.DateOnly)
	for _, sql := range []string{
		`INSERT INTO people (slug, name) VALUES ('new-person', 'New Person')`,
		`INSERT INTO cases (slug, title) VALUES ('new-case', 'New case')`,
		`INSERT INTO status_entries (case_id, status, effective_on, recorded_by_name) SELECT id, 'released', '2020-01-02', 'test' FROM cases WHERE slug = 'talgat-ayan-case'`,
		`INSERT INTO import_drafts (procedure, title, adopted_on, source_text, created_by_name) VALUES ('2022/2502(RSP)', 'Kazakhstan', '2022-01-20', 'text', 'admin@example.org')`,
		`UPDATE cases SET next_hearing_on = '` + soon + `' WHERE slug = 'max-bokayev-case'`,
	} {
		if _, err := conn.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	editor := browser(t)
	signIn(t, editor, w.a, "editor@example.org")
	resp, body := fetchWith(t, editor, w.a.URL+"/staff")
	if resp.StatusCode != 200 {
		t.Fatalf("dashboard: %d", resp.StatusCode)
	}
	dash := doc(t, body)
	if n := dash.Find(`[data-testid="queues"] li`).Length(); n != len(tracker.Queues) {
		t.Errorf("%d queues on the dashboard, want %d", n, len(tracker.Queues))
	}
	for _, q := range tracker.Queues {
		t.Run(string(q.Name), func(t *testing.T) {
			li := dash.Find(`[data-testid="queue-` + string(q.Name) + `"]`)
			count, err := strconv.Atoi(strings.TrimSpace(li.Find(`[data-testid="queue-count"]`).Text()))
			if err != nil || count == 0 {
				t.Fatalf("count %q: every queue has work in this test", li.Text())
			}
			href, _ := li.Find("a").Attr("href")
			var titles []string
			for page := 1; ; page++ {
				resp, body := fetchWith(t, editor, w.a.URL+href+"?page="+strconv.Itoa(page))
				if resp.StatusCode != 200 {
					t.Fatalf("%s page %d: %d", href, page, resp.StatusCode)
				}
				d := doc(t, body)
				if got := d.Find(`[data-testid="queue-total"]`).Text(); !strings.HasPrefix(got, strconv.Itoa(count)+" ") {
					t.Errorf("page %d says %q, the dashboard %d", page, got, count)
				}
				d.Find(`[data-testid="queue-item"] a`).Each(func(_ int, s *goquery.Selection) { titles = append(titles, s.Text()) })
				if d.Find(`a[rel="next"]`).Length() == 0 {
					break
				}
			}
			if len(titles) != count {
				t.Errorf("the list holds %d records, the dashboard says %d", len(titles), count)
			}
		})
	}
	for q, want := range map[string]string{"people-without-case": "New Person", "cases-without-status": "New case",
		"unsourced-entries": "Talgat Ayan — criminal case", "coming-up": "Max Bokayev — criminal case", "open-imports": "2022/2502(RSP) Kazakhstan"} {
		if _, body := fetchWith(t, editor, w.a.URL+"/staff/queues/"+q); !strings.Contains(body, want) {
			t.Errorf("%s does not list %q", q, want)
		}
	}
	if resp, _ := fetchWith(t, editor, w.a.URL+"/staff/queues/everything"); resp.StatusCode != 404 {
		t.Errorf("unknown queue: %d", resp.StatusCode)
	}
	if resp, _ := fetchWith(t, browser(t), w.a.URL+"/staff/queues/coming-up"); resp.StatusCode != 303 {
		t.Errorf("anonymous: %d, want a redirect to sign in", resp.StatusCode)
	}
	// Every seed fact is from 2019 or before: after 180 days every case with a history is stale.
	stale := dash.Find(`section[aria-labelledby="stale-h"] li`).Length()
	if stale < 10 {
		t.Errorf("%d cases with no update in 180 days, though every seed fact dates from 2019 or before", stale)
	}
}
