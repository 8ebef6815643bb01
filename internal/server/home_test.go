package server_test

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/whereas/whereas/internal/postgres/postgrestest"
	"github.com/whereas/whereas/internal/server"
	"github.com/whereas/whereas/internal/tracker"
)

// TestHomePage: the home page is a few figures and the latest news, not a list of
// everyone (issue 15 §2); each figure leads to a list of exactly that many.
func TestHomePage(t *testing.T) {
	t.Parallel()
	db, dbURL := postgrestest.OpenSeeded(t)
	// A change known to its month, newer than every seed entry, for a person; a correction
	// of it that replaces it; and a change of a retired case, which is no public fact.
	postgrestest.Exec(t, dbURL, `INSERT INTO status_entries (case_id, status, effective_on, effective_precision)
		SELECT k.id, 'charged', '2024-05-01', 'month' FROM cases k WHERE k.slug = 'max-bokayev-case'`)
	postgrestest.Exec(t, dbURL, `INSERT INTO status_entries (case_id, status, effective_on, effective_precision, supersedes_id)
		SELECT case_id, 'released', '2024-06-01', 'month', id FROM status_entries WHERE effective_on = '2024-05-01'`)
	postgrestest.Exec(t, dbURL, `INSERT INTO status_entries (case_id, status, effective_on, effective_precision)
		SELECT k.id, 'acquitted', '2025-01-01', 'year' FROM cases k WHERE k.slug = 'forbes-kazakhstan-ratel-investigation'`)
	postgrestest.Exec(t, dbURL, `UPDATE cases SET retired_at = now() WHERE slug = 'forbes-kazakhstan-ratel-investigation'`)
	// A person with no live case has no status: counted, and linked, as "No status recorded".
	postgrestest.Exec(t, dbURL, `UPDATE cases SET retired_at = now() WHERE slug = 'talgat-ayan-case'`)
	srv := httptest.NewServer(server.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)), server.Options{}))
	t.Cleanup(srv.Close)
	doc := getDoc(t, srv, "/", 200)

	t.Run("StatusCountsLeadToListsOfThatMany", func(t *testing.T) {
		items := doc.Find(`[data-testid="status-counts"] li`)
		if items.Length() < 3 {
			t.Fatalf("%d status counts", items.Length())
		}
		sum := 0
		items.Each(func(_ int, li *goquery.Selection) {
			n, err := strconv.Atoi(li.Find(".count").Text())
			if err != nil {
				t.Fatalf("count %q: %v", li.Find(".count").Text(), err)
			}
			sum += n
			href, _ := li.Find("a").Attr("href")
			if !strings.HasPrefix(href, "/people?status=") {
				t.Errorf("status count links to %s", href)
			}
			list := getDoc(t, srv, href, 200)
			if got := list.Find(`[data-testid="count"]`).Text(); !strings.HasSuffix(got, " of "+strconv.Itoa(n)) {
				t.Errorf("%s: home says %d, the list %q", href, n, got)
			}
		})
		if doc.Find(`[data-testid="status-counts"] a[href="/people?status=none"]`).Length() != 1 {
			t.Error("no linked count of people with no status recorded")
		}
		var people struct{ Total int }
		getJSON(t, srv, "/api/v1/people", 200, &people)
		if sum != people.Total {
			t.Errorf("status counts add up to %d, want every person: %d", sum, people.Total)
		}
	})

	t.Run("HeldNowIsTheDetainedStatusesSummed", func(t *testing.T) {
		held := 0
		doc.Find(`[data-testid="status-counts"] li`).Each(func(_ int, li *goquery.Selection) {
			href, _ := li.Find("a").Attr("href")
			code := strings.TrimPrefix(href, "/people?status=")
			if code != "" && tracker.Status(code).Tone() == tracker.ToneDetained {
				n, _ := strconv.Atoi(li.Find(".count").Text())
				held += n
			}
		})
		text := strings.Join(strings.Fields(doc.Find(`[data-testid="held"]`).Text()), " ")
		if held == 0 || text != strconv.Itoa(held)+" people are currently detained or imprisoned." {
			t.Errorf("held now reads %q, want %d people", text, held)
		}
		if doc.Find(`#held-h ~ ul a[href="/people?status=imprisoned"]`).Length() != 1 {
			t.Error("held now does not link to the imprisoned people")
		}
	})

	t.Run("LatestChangesNewestFirstAsPreciseAsKnown", func(t *testing.T) {
		changes := doc.Find(`[data-testid="change"]`)
		if changes.Length() == 0 || changes.Length() > 10 {
			t.Fatalf("%d changes listed", changes.Length())
		}
		first := strings.Join(strings.Fields(changes.First().Text()), " ")
		if !strings.HasPrefix(first, "June 2024 Max Bokayev: Released") {
			t.Errorf("the newest change reads %q, want the correction of June 2024 to Max Bokayev", first)
		}
		if strings.Contains(doc.Find(`[data-testid="changes"]`).Text(), "Acquitted") {
			t.Error("a retired case's change is on the home page")
		}
		if strings.Contains(doc.Find(`[data-testid="changes"]`).Text(), "Charged") {
			t.Error("a replaced entry is on the home page")
		}
		var last tracker.When
		changes.Each(func(i int, li *goquery.Selection) {
			dt, _ := li.Find("time").First().Attr("datetime")
			w, err := tracker.ParseWhen(dt)
			if err != nil {
				t.Fatalf("change %d dated %q: %v", i, dt, err)
			}
			if i > 0 && w.Start.After(last.Start) {
				t.Errorf("change %d (%s) is newer than the one before it", i, dt)
			}
			last = w
			// A date the source does not give reads as what it rests on, never as a day.
			if li.Find("time.dated-by").Length() == 1 && !strings.HasPrefix(li.Find("time").Text(), "Reported by") {
				t.Errorf("change %d: %q", i, li.Find("time").Text())
			}
		})
	})

	t.Run("NotAListOfEveryone", func(t *testing.T) {
		if n := doc.Find(`main a[href^="/people/"]`).Length(); n > 10 {
			t.Errorf("%d links to people on the home page", n)
		}
	})

	t.Run("ResolutionFiguresAreTheScoreboard's", func(t *testing.T) {
		var list struct {
			Items []struct {
				Unassessed int `json:"demands_unassessed"`
			}
		}
		getJSON(t, srv, "/api/v1/resolutions", 200, &list)
		if len(list.Items) != 1 {
			t.Fatalf("%d resolutions", len(list.Items))
		}
		card := doc.Find(".resolution-card")
		if got, want := card.Find(`[data-testid="unassessed"]`).Text(), strconv.Itoa(list.Items[0].Unassessed)+" not yet assessed"; got != want {
			t.Errorf("home card says %q, the API %q", got, want)
		}
	})
}
