package server_test

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// TestAffiliationsByName saves a person's organisations as a browser without JavaScript
// sends them: each row an organisation typed by name, with a role.
func TestAffiliationsByName(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	ctx := context.Background()
	editor := browser(t)
	signIn(t, editor, w.a, "editor@example.org")
	// A second ministry also called "Ministry of Justice", so that the name means two.
	if resp, body := post(t, editor, w.a.URL+"/organisations/new", url.Values{"name": {"Ministry of Justice of Kyrgyzstan"}, "aliases": {"Ministry of Justice"}, "kind": {"government"}}); resp.StatusCode != 303 {
		t.Fatalf("create organisation: %d %s", resp.StatusCode, body)
	}
	const edit = "/people/max-bokayev/edit"
	open := func(t *testing.T) url.Values {
		t.Helper()
		resp, body := fetchWith(t, editor, w.a.URL+edit)
		if resp.StatusCode != 200 {
			t.Fatalf("edit form: %d", resp.StatusCode)
		}
		return formOf(t, body)
	}
	affiliations := func() []string {
		d, err := w.db.Person(ctx, "max-bokayev")
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, a := range d.Person.Affiliations {
			out = append(out, a.Slug+": "+a.Role)
		}
		slices.Sort(out)
		return out
	}

	t.Run("ACyrillicNameIsTakenWithItsRole", func(t *testing.T) {
		v := open(t)
		if v.Get("affiliation_rows") != "1" || v.Get("affiliation_0_names") != "" {
			t.Fatalf("a person with no organisation opens with one blank row: %v", v)
		}
		v.Set("affiliation_0_names", "Демократический выбор")
		v.Set("affiliation_0_role", "founder")
		if resp, body := post(t, editor, w.a.URL+edit, v); resp.StatusCode != 303 {
			t.Fatalf("save: %d %s", resp.StatusCode, body)
		}
		if got := affiliations(); !slices.Equal(got, []string{"dvk: founder"}) {
			t.Errorf("affiliations: %v", got)
		}
		_, page := fetchWith(t, browser(t), w.a.URL+"/organisations/dvk")
		if !strings.Contains(doc(t, page).Find(`[data-testid="members-h"]`).Text(), "Max Bokayev") {
			t.Error("the organisation's page does not list the person")
		}
		// The form opens with the organisation held, its role, and a blank row.
		v = open(t)
		if v.Get("affiliation_rows") != "2" || v.Get("affiliation_0") != "dvk" || v.Get("affiliation_0_role") != "founder" || v.Get("affiliation_1") != "" {
			t.Errorf("the form reopens as %v", v)
		}
	})

	t.Run("AddAnotherRowKeepsTheInputAndSavesNothing", func(t *testing.T) {
		v := open(t)
		v.Set("role", "Kept role")
		v.Set("affiliation_1_names", "CITUK")
		v.Set("affiliation_1_role", "member")
		v.Set("add_affiliation", "1")
		resp, body := post(t, editor, w.a.URL+edit, v)
		if resp.StatusCode != 200 {
			t.Fatalf("add a row: %d", resp.StatusCode)
		}
		d := doc(t, body)
		if d.Find(`[data-testid^="affiliation-row-"]`).Length() != 3 {
			t.Errorf("rows after adding one: %d, want 3", d.Find(`[data-testid^="affiliation-row-"]`).Length())
		}
		if d.Find(`input[name="affiliation_1"][value="cituk"][checked]`).Length() != 1 || d.Find("#affiliation_1_role").AttrOr("value", "") != "member" || d.Find("#role").AttrOr("value", "") != "Kept role" {
			t.Error("the input is not kept")
		}
		if got := affiliations(); !slices.Equal(got, []string{"dvk: founder"}) {
			t.Errorf("adding a row saved: %v", got)
		}
		// Saved from the form as it came back (the typed name settled to the one record it
		// names), with the role left empty: member.
		next := formOf(t, body)
		next.Set("affiliation_1_role", "")
		next.Set("affiliation_2_names", "ILO")
		next.Set("affiliation_2_role", "deputy chair")
		if resp, body := post(t, editor, w.a.URL+edit, next); resp.StatusCode != 303 {
			t.Fatalf("save: %d %s", resp.StatusCode, body)
		}
		if got := affiliations(); !slices.Equal(got, []string{"cituk: member", "dvk: founder", "ilo: deputy chair"}) {
			t.Errorf("affiliations: %v", got)
		}
	})

	t.Run("SeveralMatchesAskWhichWithTheInputKept", func(t *testing.T) {
		v := open(t)
		v.Set("notes", "Kept notes")
		v.Set("affiliation_3_names", "Ministry of Justice")
		v.Set("affiliation_3_role", "adviser")
		resp, body := post(t, editor, w.a.URL+edit, v)
		if resp.StatusCode != 422 {
			t.Fatalf("an ambiguous name: %d, want 422", resp.StatusCode)
		}
		d := doc(t, body)
		var choices []string
		for _, n := range d.Find(`[data-testid="affiliation_3-ask-0"] input[type=radio]`).Nodes {
			for _, a := range n.Attr {
				if a.Key == "value" {
					choices = append(choices, a.Val)
				}
			}
		}
		slices.Sort(choices)
		if len(choices) != 3 || !slices.Contains(choices, "ministry-of-justice") || !slices.Contains(choices, "-") {
			t.Errorf("choices for Ministry of Justice: %v", choices)
		}
		if !strings.Contains(d.Find(`[data-testid="affiliation_3-error"]`).Text(), "Choose below") || d.Find(`.error-summary a[href="#affiliation_3"]`).Length() != 1 {
			t.Errorf("no error beside the field or in the summary: %q", d.Find(`[data-testid="affiliation_3-error"]`).Text())
		}
		if d.Find("#notes").Text() != "Kept notes" || d.Find("#affiliation_3_role").AttrOr("value", "") != "adviser" {
			t.Error("the input is not kept")
		}
		if got := affiliations(); len(got) != 3 {
			t.Errorf("an ambiguous name saved: %v", got)
		}
		next := formOf(t, body)
		next.Set("affiliation_3_pick_0", "ministry-of-justice")
		if resp, body := post(t, editor, w.a.URL+edit, next); resp.StatusCode != 303 {
			t.Fatalf("after choosing: %d %s", resp.StatusCode, body)
		}
		if got := affiliations(); !slices.Contains(got, "ministry-of-justice: adviser") || len(got) != 4 {
			t.Errorf("affiliations after choosing: %v", got)
		}
	})

	t.Run("ATypoIsOfferedNeverTakenSilently", func(t *testing.T) {
		v := open(t)
		v.Set("affiliation_4_names", "Forbs Kazakstan")
		resp, body := post(t, editor, w.a.URL+edit, v)
		ask := doc(t, body).Find(`[data-testid="affiliation_4-ask-0"]`)
		if resp.StatusCode != 422 || !strings.Contains(ask.Text(), "Did you mean") || ask.Find(`input[value="forbes-kazakhstan"]`).Length() != 1 {
			t.Errorf("a typo: %d, asked %q", resp.StatusCode, ask.Text())
		}
	})

	t.Run("NoMatchIsAnErrorBesideTheFieldWithTheInputKept", func(t *testing.T) {
		v := open(t)
		v.Set("affiliation_4_names", "Zzyzx Qwerty Union")
		resp, body := post(t, editor, w.a.URL+edit, v)
		d := doc(t, body)
		if resp.StatusCode != 422 || !strings.Contains(d.Find(`[data-testid="affiliation_4-error"]`).Text(), "No organisation matches") {
			t.Errorf("no match: %d %q", resp.StatusCode, d.Find(`[data-testid="affiliation_4-error"]`).Text())
		}
		if d.Find("#affiliation_4").AttrOr("value", "") != "Zzyzx Qwerty Union" {
			t.Error("the typed name is not kept")
		}
	})

	t.Run("UntickingRemoves", func(t *testing.T) {
		v := open(t)
		v.Del("affiliation_0") // the first held organisation, unticked; its role stays typed
		if resp, body := post(t, editor, w.a.URL+edit, v); resp.StatusCode != 303 {
			t.Fatalf("save: %d %s", resp.StatusCode, body)
		}
		if got := affiliations(); len(got) != 3 {
			t.Errorf("after unticking one of four: %v", got)
		}
	})

	t.Run("CreatePersonWithAnAffiliation", func(t *testing.T) {
		_, page := fetchWith(t, editor, w.a.URL+"/people/new")
		v := formOf(t, page)
		v.Set("name", "Aigul Utepova")
		v.Set("affiliation_0_names", "Конфедерация независимых профсоюзов")
		v.Set("affiliation_0_role", "chair")
		if resp, body := post(t, editor, w.a.URL+"/people/new", v); resp.StatusCode != 303 || resp.Header.Get("Location") != "/people/aigul-utepova" {
			t.Fatalf("create: %d %s", resp.StatusCode, body)
		}
		_, body := fetchWith(t, browser(t), w.a.URL+"/organisations/cituk")
		if !strings.Contains(doc(t, body).Find(`[data-testid="members-h"]`).Text(), "Aigul Utepova") {
			t.Error("CITUK's page does not list the new person")
		}
	})
}
