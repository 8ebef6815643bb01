package server_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/postgres/postgrestest"
	"github.com/whereas/whereas/internal/tracker"
)

// TestNamesPerScript (issue 17 §2): a record has its name in Russian and Kazakh Cyrillic
// beside its Latin one; the API says them (null where not known), staff set them, a Latin
// spelling in them is refused, and search finds a record by every one of them.
func TestNamesPerScript(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	ctx := context.Background()
	const token = "names-token-0123456789abcdefghijklmnopqrstu"
	if err := w.db.CreateAPIToken(ctx, actorFor("test"), "editor@example.org", "names", token); err != nil {
		t.Fatal(err)
	}
	names := func(path string) map[string]any {
		t.Helper()
		var out struct{ Names map[string]any }
		getJSON(t, w.b, path, 200, &out)
		return out.Names
	}

	t.Run("SeedNamesInTheAPI", func(t *testing.T) {
		if n := names("/api/v1/people/nurbek-kushakbaev"); n["ru"] != "Нурбек Кушакбаев" || n["kk"] != "Нұрбек Құшақбаев" {
			t.Errorf("Kushakbaev names = %v", n)
		}
		if n := names("/api/v1/people/vadim-kuramshin"); n["ru"] != "Вадим Курамшин" || n["kk"] != nil {
			t.Errorf("Kuramshin names = %v, want kk null (not known)", n)
		}
		if n := names("/api/v1/legal-provisions/criminal-code-article-174"); !strings.Contains(n["kk"].(string), "174-бабы") {
			t.Errorf("article 174 names = %v", n)
		}
		var list struct {
			Items []struct {
				Slug  string
				Names map[string]any
			}
		}
		getJSON(t, w.b, "/api/v1/people?per_page=50", 200, &list)
		found := false
		for _, it := range list.Items {
			if it.Slug == "ardak-ashim" {
				found = it.Names["kk"] == "Ардақ Әшім"
			}
		}
		if !found {
			t.Errorf("the people list does not give Ardak Ashim's Kazakh name: %+v", list.Items)
		}
	})

	t.Run("StaffSetThemAndSearchFindsThem", func(t *testing.T) {
		code, body := apiDo(t, "PATCH", w.a.URL+"/api/v1/people/vadim-kuramshin", token, `{"version": 1, "name_kk": "Вадим Құрамшин"}`)
		if code != 200 {
			t.Fatalf("PATCH name_kk: %d %v", code, body)
		}
		if n := names("/api/v1/people/vadim-kuramshin"); n["kk"] != "Вадим Құрамшин" || n["ru"] != "Вадим Курамшин" {
			t.Errorf("after PATCH: %v (the Russian name must be kept)", n)
		}
		var hits struct {
			Groups []struct {
				Items []struct{ Slug, Matched string }
			}
		}
		// The ILO's Kazakh name is in no alias: only its name field can find it.
		getJSON(t, w.b, "/api/v1/search?q="+url.QueryEscape("Халықаралық еңбек ұйымы"), 200, &hits)
		if len(hits.Groups) == 0 || len(hits.Groups[0].Items) == 0 || hits.Groups[0].Items[0].Slug != "ilo" ||
			hits.Groups[0].Items[0].Matched != "Халықаралық еңбек ұйымы" {
			t.Errorf("search for the Kazakh name: %+v", hits)
		}
		entries, _ := w.db.Activity(ctx, "person", "vadim-kuramshin", 5)
		if len(entries) == 0 || !strings.Contains(entries[0].After, "Вадим Құрамшин") {
			t.Errorf("audit entry lacks the name: %+v", entries)
		}
	})

	t.Run("LatinRefused", func(t *testing.T) {
		code, body := apiDo(t, "PATCH", w.a.URL+"/api/v1/organisations/ilo", token, `{"version": 1, "name_ru": "ILO"}`)
		fields, _ := body["fields"].(map[string]any)
		if code != 422 || fields["name_ru"] == nil {
			t.Errorf("Latin name_ru: %d %v", code, body)
		}
		if n := names("/api/v1/organisations/ilo"); n["ru"] != "Международная организация труда" {
			t.Errorf("a refused write changed the name: %v", n)
		}
	})
}

// TestNamesMigration: records that existed before migration 39 take their Cyrillic names
// from their aliases, Kazakh letters deciding which is which.
func TestNamesMigration(t *testing.T) {
	t.Parallel()
	db, dbURL := postgrestest.OpenSeeded(t)
	// Down to the version before 39, however many migrations came after it.
	version, _, err := postgres.MigrateVersion(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	if err := postgres.MigrateDown(dbURL, int(version)-38); err != nil {
		t.Fatal(err)
	}
	if err := postgres.MigrateUp(dbURL); err != nil {
		t.Fatal(err)
	}
	for slug, want := range map[string]tracker.ScriptNames{
		"ardak-ashim":     {RU: "Ардак Ашим", KK: "Ардақ Әшім"},
		"max-bokayev":     {RU: "Макс Бокаев"},
		"vadim-kuramshin": {RU: "Вадим Курамшин"},
		"talgat-ayan":     {RU: "Талгат Аян"},
	} {
		d, err := db.Person(context.Background(), slug)
		if err != nil {
			t.Fatal(err)
		}
		if d.Person.Names != want {
			t.Errorf("%s from aliases: %+v, want %+v", slug, d.Person.Names, want)
		}
	}
}
