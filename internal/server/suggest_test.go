package server_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/whereas/whereas/internal/synth"
	"github.com/whereas/whereas/internal/tracker"
)

type suggestAnswer struct {
	Items []struct {
		Type, Slug, Name, URL string
		Detail                *string
	}
}

func (a suggestAnswer) slugs() []string {
	var out []string
	for _, it := range a.Items {
		out = append(out, it.Slug)
	}
	return out
}

func TestSuggest(t *testing.T) {
	t.Parallel()
	srv, db := newSeededServer(t)
	suggest := func(typ, q string) suggestAnswer {
		t.Helper()
		var a suggestAnswer
		getJSON(t, srv, "/api/v1/suggest?type="+typ+"&q="+urlQuery(q), http.StatusOK, &a)
		return a
	}

	t.Run("AFewLettersOfAnySpellingFindThePerson", func(t *testing.T) {
		for q, slug := range map[string]string{
			"бокаев": "max-bokayev", "Бок": "max-bokayev", "bokaev": "max-bokayev", "Max Bok": "max-bokayev", "Макс Бо": "max-bokayev",
			"Харьк": "larisa-kharkova", "kharkov": "larisa-kharkova", "Еримбет": "iskander-yerimbetov", "Erimb": "iskander-yerimbetov",
			"Құшақ": "nurbek-kushakbaev", "kushakbay": "nurbek-kushakbaev",
			// typos: one letter wrong, one missing
			"Bokaeb": "max-bokayev", "Kharkva": "larisa-kharkova",
		} {
			a := suggest("person", q)
			if len(a.Items) == 0 || a.Items[0].Slug != slug {
				t.Errorf("%q suggests %v first, want %s", q, a.slugs(), slug)
			}
		}
	})

	t.Run("ItemsCarryWhatTellsNamesakesApart", func(t *testing.T) {
		a := suggest("person", "Бокаев")
		it := a.Items[0]
		if it.Type != "person" || it.Name != "Max Bokayev" || it.URL != "/people/max-bokayev" || it.Detail == nil || *it.Detail != "civil society activist · Atyrau" {
			t.Errorf("first item = %+v (detail %v)", it, it.Detail)
		}
		org := suggest("organisation", "citu").Items
		if len(org) == 0 || org[0].Slug != "cituk" || org[0].Detail == nil || *org[0].Detail != "trade union confederation" {
			t.Errorf("organisation suggestions for citu = %+v", org)
		}
		law := suggest("legal_provision", "Article 17").Items
		if len(law) == 0 || law[0].Slug != "criminal-code-article-174" {
			t.Errorf("law suggestions for Article 17 = %+v", law)
		}
		kase := suggest("case", "Бокаев").Items
		if len(kase) == 0 || kase[0].Slug != "max-bokayev-case" || kase[0].Detail == nil || *kase[0].Detail != "Imprisoned" {
			t.Errorf("case suggestions for Бокаев = %+v", kase)
		}
		if a := suggest("legal_provision", "Kharkova"); len(a.Items) != 0 {
			t.Errorf("a person's name suggests laws: %v", a.slugs())
		}
	})

	t.Run("AtMostTen", func(t *testing.T) {
		var d synth.Data
		for i := range 14 {
			d.People = append(d.People, tracker.Person{Slug: fmt.Sprintf("aigerim-bokaeva-%d", i), Name: "Aigerim Bokaeva", Aliases: []string{}, Place: fmt.Sprintf("Town %d", i)})
		}
		if err := db.LoadSynthetic(context.Background(), d); err != nil {
			t.Fatal(err)
		}
		if a := suggest("person", "Aigerim Bok"); len(a.Items) != 10 {
			t.Errorf("%d suggestions for a name fourteen share, want 10", len(a.Items))
		}
	})

	t.Run("EmptyQueryOffersNothing", func(t *testing.T) {
		for _, q := range []string{"", "   ", "!!!"} {
			if a := suggest("person", q); a.Items == nil || len(a.Items) != 0 {
				t.Errorf("q=%q: %+v, want an empty list", q, a)
			}
		}
	})

	t.Run("BadTypeIs400", func(t *testing.T) {
		for _, typ := range []string{"", "clause", "people", "person'--"} {
			var e map[string]any
			getJSON(t, srv, "/api/v1/suggest?q=Bokayev&type="+urlQuery(typ), http.StatusBadRequest, &e)
			if e["error"] == nil {
				t.Errorf("type=%q: no error in %v", typ, e)
			}
		}
	})
}
