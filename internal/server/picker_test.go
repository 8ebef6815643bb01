package server_test

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/whereas/whereas/internal/synth"
	"github.com/whereas/whereas/internal/tracker"
)

// TestPickByNameWithoutScript saves the case edit form as a browser without JavaScript
// sends it: names typed one per line are settled by the server.
func TestPickByNameWithoutScript(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	ctx := context.Background()
	// A namesake of Aset Mataev, so that his name alone means two people.
	if err := w.db.LoadSynthetic(ctx, synth.Data{People: []tracker.Person{
		{Slug: "aset-mataev-aktau", Name: "Aset Matayev", Aliases: []string{}, Role: "teacher", Place: "Aktau"}}}); err != nil {
		t.Fatal(err)
	}
	editor := browser(t)
	signIn(t, editor, w.a, "editor@example.org")
	const slug = "elena-semenova-case"
	form := func(people ...string) url.Values {
		c, err := w.db.Case(ctx, slug)
		if err != nil {
			t.Fatal(err)
		}
		v := url.Values{"version": {itoa(int64(c.Case.Version))}, "title": {"Kept title " + people[0]}, "people": {"elena-semenova"},
			"people_names": {strings.Join(people, "\n")}}
		for _, l := range c.Case.LegalProvisions {
			v.Add("legal_provisions", l.Slug)
		}
		return v
	}
	people := func() []string {
		c, _ := w.db.Case(ctx, slug)
		var out []string
		for _, p := range c.Case.People {
			out = append(out, p.Slug)
		}
		slices.Sort(out)
		return out
	}
	doc := func(body string) *goquery.Document {
		d, err := goquery.NewDocumentFromReader(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		return d
	}

	t.Run("ANameThatMatchesOneRecordIsTaken", func(t *testing.T) {
		resp, body := post(t, editor, w.a.URL+"/cases/"+slug+"/edit", form("Бокаев", "Лариса Харькова"))
		if resp.StatusCode != 303 {
			t.Fatalf("save: %d %s", resp.StatusCode, body)
		}
		if got := people(); !slices.Equal(got, []string{"elena-semenova", "larisa-kharkova", "max-bokayev"}) {
			t.Errorf("people after typing Бокаев and Лариса Харькова: %v", got)
		}
		_, page := fetchWith(t, editor, w.a.URL+"/cases/"+slug+"/edit")
		chosen := doc(page).Find(`[data-testid="people-chosen"] li`)
		if chosen.Length() != 3 || !strings.Contains(chosen.Text(), "Max Bokayev · civil society activist · Atyrau") {
			t.Errorf("the form lists the case's people as %q", chosen.Text())
		}
	})

	t.Run("SeveralMatchesAskWhichWithTheInputKept", func(t *testing.T) {
		resp, body := post(t, editor, w.a.URL+"/cases/"+slug+"/edit", form("Aset Mataev"))
		if resp.StatusCode != 422 {
			t.Fatalf("an ambiguous name: %d, want 422", resp.StatusCode)
		}
		d := doc(body)
		if v, _ := d.Find(`#title`).Attr("value"); v != "Kept title Aset Mataev" {
			t.Errorf("title not kept: %q", v)
		}
		ask := d.Find(`[data-testid="people-ask-0"]`)
		var choices []string
		ask.Find(`input[type=radio]`).Each(func(_ int, s *goquery.Selection) { choices = append(choices, s.AttrOr("value", "")) })
		slices.Sort(choices)
		if !slices.Equal(choices, []string{"-", "aset-mataev", "aset-mataev-aktau"}) || !strings.Contains(ask.Text(), "teacher · Aktau") {
			t.Fatalf("choices for Aset Mataev: %v in %q", choices, ask.Text())
		}
		if !strings.Contains(d.Find(`[data-testid="people-error"]`).Text(), "Choose below") {
			t.Errorf("no error beside the field: %q", d.Find(`[data-testid="people-error"]`).Text())
		}
		if got := people(); slices.Contains(got, "aset-mataev") || slices.Contains(got, "aset-mataev-aktau") {
			t.Errorf("an ambiguous name was saved: %v", got)
		}
		// The form comes back as it was sent, with the choice to make.
		next := url.Values{}
		d.Find(`form.form input, form.form textarea`).Each(func(_ int, s *goquery.Selection) {
			name, _ := s.Attr("name")
			typ, _ := s.Attr("type")
			if name == "" || (typ == "checkbox" || typ == "radio") && !s.Is("[checked]") {
				return
			}
			if s.Is("textarea") {
				next.Add(name, s.Text())
			} else {
				next.Add(name, s.AttrOr("value", ""))
			}
		})
		// Sent again without choosing: asked again.
		if resp, _ := post(t, editor, w.a.URL+"/cases/"+slug+"/edit", next); resp.StatusCode != 422 {
			t.Errorf("sent again without a choice: %d, want 422", resp.StatusCode)
		}
		next.Set("people_pick_0", "aset-mataev-aktau")
		if resp, body := post(t, editor, w.a.URL+"/cases/"+slug+"/edit", next); resp.StatusCode != 303 {
			t.Fatalf("after choosing: %d %s", resp.StatusCode, body)
		}
		if got := people(); !slices.Contains(got, "aset-mataev-aktau") || slices.Contains(got, "aset-mataev") {
			t.Errorf("people after choosing the teacher from Aktau: %v", got)
		}
	})

	t.Run("ATypoIsOfferedNeverTakenSilently", func(t *testing.T) {
		resp, body := post(t, editor, w.a.URL+"/cases/"+slug+"/edit", form("Kharkva"))
		ask := doc(body).Find(`[data-testid="people-ask-0"]`)
		if resp.StatusCode != 422 || !strings.Contains(ask.Text(), "Did you mean") || ask.Find(`input[value="larisa-kharkova"]`).Length() != 1 {
			t.Errorf("a typo: %d, asked %q", resp.StatusCode, ask.Text())
		}
		v := form("Kharkva")
		v.Set("people_ask", "Kharkva")
		v.Set("people_pick_0", "-")
		v.Del("people_names")
		if resp, body := post(t, editor, w.a.URL+"/cases/"+slug+"/edit", v); resp.StatusCode != 303 {
			t.Errorf("leaving the typo out: %d %s", resp.StatusCode, body)
		}
	})

	t.Run("NoMatchIsAnErrorBesideTheFieldWithTheInputKept", func(t *testing.T) {
		before := people()
		resp, body := post(t, editor, w.a.URL+"/cases/"+slug+"/edit", form("Zzyzx Qwerty"))
		d := doc(body)
		if resp.StatusCode != 422 || !strings.Contains(d.Find(`[data-testid="people-error"]`).Text(), "No person matches “Zzyzx Qwerty”") {
			t.Errorf("an unknown name: %d, error %q", resp.StatusCode, d.Find(`[data-testid="people-error"]`).Text())
		}
		if got := d.Find(`textarea#people`).Text(); got != "Zzyzx Qwerty" {
			t.Errorf("the typed name is not kept: %q", got)
		}
		if v, _ := d.Find(`#people`).Attr("aria-describedby"); !strings.Contains(v, "people-error") {
			t.Errorf("the box is not described by its error: %q", v)
		}
		if d.Find(`[data-testid="people-chosen"] input[value="elena-semenova"][checked]`).Length() != 1 {
			t.Error("the records already chosen are not kept")
		}
		if got := people(); !slices.Equal(got, before) {
			t.Errorf("something was saved: %v, was %v", got, before)
		}
	})

	t.Run("SlugsAreStillAccepted", func(t *testing.T) {
		v := form("talgat-ayan")
		v.Set("people", "elena-semenova\nardak-ashim")
		if resp, body := post(t, editor, w.a.URL+"/cases/"+slug+"/edit", v); resp.StatusCode != 303 {
			t.Fatalf("slugs: %d %s", resp.StatusCode, body)
		}
		if got := people(); !slices.Equal(got, []string{"ardak-ashim", "elena-semenova", "talgat-ayan"}) {
			t.Errorf("people from slugs: %v", got)
		}
	})

	t.Run("AClauseLinkIsPickedByName", func(t *testing.T) {
		base := w.a.URL + "/resolutions/2019-2610-rsp/clauses/rec_H/links"
		resp, body := post(t, editor, base, url.Values{"type": {"person"}, "record_names": {"Aset Mataev"}, "matched": {"Aset Mataev"}})
		d := doc(body)
		if resp.StatusCode != 422 || d.Find(`[data-testid="record-ask-0"] input[value="aset-mataev-aktau"]`).Length() != 1 {
			t.Fatalf("an ambiguous name to link: %d, asked %q", resp.StatusCode, d.Find(`[data-testid="record-ask-0"]`).Text())
		}
		if v, _ := d.Find(`#matched`).Attr("value"); v != "Aset Mataev" {
			t.Errorf("the words to link are not kept: %q", v)
		}
		resp, body = post(t, editor, base, url.Values{"type": {"legal_provision"}, "record_names": {"Zzyzx Act"}, "matched": {"arbitrary criminal prosecutions"}})
		if resp.StatusCode != 422 || !strings.Contains(doc(body).Find(`[data-testid="record-error"]`).Text(), "No legal provision matches “Zzyzx Act”") {
			t.Errorf("a name matching no law: %d %q", resp.StatusCode, doc(body).Find(`[data-testid="record-error"]`).Text())
		}
		if resp, body := post(t, editor, base, url.Values{"type": {"legal_provision"}, "record_names": {"Criminal libel"}, "matched": {"arbitrary criminal prosecutions"}}); resp.StatusCode != 303 {
			t.Fatalf("link by name: %d %s", resp.StatusCode, body)
		}
		if l, _ := w.db.LegalProvision(ctx, "criminal-libel"); len(l.Clauses) != 2 {
			t.Errorf("criminal libel cited by %d clauses after the link by name, want 2", len(l.Clauses))
		}
	})
}
