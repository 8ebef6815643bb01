package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/whereas/whereas/web"
)

// TestImportReviewKeepsTypedText presses one button of the review page after typing in
// parts of the form that button does not use: what was typed comes back, and the page
// says what was saved with the common notice.
func TestImportReviewKeepsTypedText(t *testing.T) {
	t.Parallel()
	w, admin, draft := newDraft(t)
	page := openReview(t, admin, w.a.URL, draft)
	candidate := func(p *reviewPage, name string) *goquery.Selection {
		return p.doc.Find(`fieldset.candidate`).FilterFunction(func(_ int, s *goquery.Selection) bool { return s.Find("legend").Text() == name })
	}
	first := candidate(page, "Galym Ageleuov").Find(`button[name="at"]`).AttrOr("value", "")
	second := page.doc.Find(`button[name="at"]`).Eq(1).AttrOr("value", "")
	secondName := page.doc.Find(`fieldset.candidate legend`).Eq(1).Text()
	if first == "" || second == "" || first == second {
		t.Fatalf("candidates %q and %q", first, second)
	}
	typed := func(f url.Values) {
		f.Set(second+"-aliases", "Кириллица Второй")
		f.Set("new-name", "Oraz Serikbay")
		f.Set("new-place", "Shymkent")
		f.Set("wording", "half-typed words")
	}

	t.Run("SaveDecisionsKeepsTypedText", func(t *testing.T) {
		status, next := page.press(`[data-testid="save-decisions"]`, typed)
		if status != http.StatusSeeOther {
			t.Fatalf("save: %d", status)
		}
		if strings.Contains(next.path, "done=") || !strings.Contains(next.doc.Find(`[data-testid="flash"]`).Text(), "Your decisions are saved") {
			t.Errorf("the notice: %q at %s", next.doc.Find(`[data-testid="flash"]`).Text(), next.path)
		}
		if got := candidate(next, secondName).Find(`textarea[name="` + second + `-aliases"]`).Text(); got != "Кириллица Второй" {
			t.Errorf("aliases typed for %s: %q", secondName, got)
		}
		if next.doc.Find(`input[name="new-name"]`).AttrOr("value", "") != "Oraz Serikbay" || next.doc.Find(`input[name="new-place"]`).AttrOr("value", "") != "Shymkent" {
			t.Error("the form for someone else lost what was typed")
		}
		if strings.TrimSpace(next.doc.Find(`#demand-wording`).Text()) != "half-typed words" {
			t.Errorf("the demand's wording: %q", next.doc.Find(`#demand-wording`).Text())
		}
		// Read once: the page read again is as the draft stands.
		if again := openReview(t, admin, w.a.URL, draft); again.doc.Find(`input[name="new-name"]`).AttrOr("value", "") != "" {
			t.Error("the typed text is shown again on the next visit")
		}
	})

	t.Run("CreatingOnePersonKeepsWhatWasTypedForAnother", func(t *testing.T) {
		status, next := page.press(`button[name="at"][value="`+first+`"]`, typed)
		if status != http.StatusSeeOther {
			t.Fatalf("create: %d\n%s", status, next.doc.Find(`[role="alert"]`).Text())
		}
		// The list of candidates is one shorter: the text follows its candidate.
		if got := candidate(next, secondName).Find(`textarea`).Text(); got != "Кириллица Второй" {
			t.Errorf("aliases typed for %s after creating another: %q", secondName, got)
		}
		if next.doc.Find(`input[name="new-name"]`).AttrOr("value", "") != "Oraz Serikbay" || strings.TrimSpace(next.doc.Find(`#demand-wording`).Text()) != "half-typed words" {
			t.Error("creating a person lost what was typed elsewhere")
		}
		page = next
	})

	t.Run("AddingADemandKeepsTheCreationForms", func(t *testing.T) {
		status, next := page.press(`[data-testid="add-demand"]`, func(f url.Values) {
			f.Set("new-name", "Oraz Serikbay")
			f.Set("clause", "para_1")
			f.Set("action", "other")
			f.Set("wording", "Condemns the killing of protesters")
		})
		if status != http.StatusSeeOther {
			t.Fatalf("add demand: %d\n%s", status, next.doc.Find(`[role="alert"]`).Text())
		}
		if next.doc.Find(`input[name="new-name"]`).AttrOr("value", "") != "Oraz Serikbay" {
			t.Error("adding a demand lost the name typed for someone else")
		}
		if strings.TrimSpace(next.doc.Find(`#demand-wording`).Text()) != "" {
			t.Error("the added demand's form is not cleared")
		}
		if !strings.Contains(next.doc.Find(`[data-testid="flash"]`).Text(), "Demand added") {
			t.Errorf("the notice: %q", next.doc.Find(`[data-testid="flash"]`).Text())
		}
	})
}

// TestImportDemandTargetsByName adds demands on the review page whose targets are picked by
// name, as a browser without JavaScript sends them.
func TestImportDemandTargetsByName(t *testing.T) {
	t.Parallel()
	w, admin, draft := newDraft(t)
	page := openReview(t, admin, w.a.URL, draft)
	demand := func(typ, names string) func(url.Values) {
		return func(f url.Values) {
			f.Set("new-name", "Kept Name")
			f.Set("clause", "para_1")
			f.Set("action", "other")
			f.Set("wording", "Condemns the killing of protesters")
			f.Set("target_type", typ)
			f.Set(web.TargetPickerName+"_names", names)
		}
	}
	field := web.TargetPickerName

	t.Run("NoMatchIsAnErrorBesideTheFieldWithTheInputKept", func(t *testing.T) {
		status, next := page.press(`[data-testid="add-demand"]`, demand("organisation", "Zzyzx Qwerty Union"))
		if status != http.StatusUnprocessableEntity || !strings.Contains(next.doc.Find(`[data-testid="`+field+`-error"]`).Text(), "No organisation matches") {
			t.Fatalf("no match: %d %q", status, next.doc.Find(`[data-testid="`+field+`-error"]`).Text())
		}
		if next.doc.Find(`[data-testid="error-summary"] a[href="#`+field+`"]`).Length() != 1 {
			t.Error("the error summary does not link the field")
		}
		if next.doc.Find(`#`+field).Text() != "Zzyzx Qwerty Union" || next.doc.Find(`#demand-target-type option[selected]`).AttrOr("value", "") != "organisation" ||
			strings.TrimSpace(next.doc.Find(`#demand-wording`).Text()) != "Condemns the killing of protesters" || next.doc.Find(`input[name="new-name"]`).AttrOr("value", "") != "Kept Name" {
			t.Error("the input is not kept")
		}
		if next.doc.Find(`[data-testid="draft-demand"]`).Length() != 0 {
			t.Error("a demand was added")
		}
	})

	t.Run("ATypoIsOfferedNeverTakenSilently", func(t *testing.T) {
		status, next := page.press(`[data-testid="add-demand"]`, demand("organisation", "Forbs Kazakstan"))
		ask := next.doc.Find(`[data-testid="` + field + `-ask-0"]`)
		if status != http.StatusUnprocessableEntity || !strings.Contains(ask.Text(), "Did you mean") || ask.Find(`input[value="forbes-kazakhstan"]`).Length() != 1 {
			t.Errorf("a typo: %d, asked %q", status, ask.Text())
		}
	})

	t.Run("SeveralMatchesAskWhich", func(t *testing.T) {
		// "Kazakhstan" is a word of several organisations' names.
		status, next := page.press(`[data-testid="add-demand"]`, demand("organisation", "Kazakhstan"))
		ask := next.doc.Find(`[data-testid="` + field + `-ask-0"]`)
		if status != http.StatusUnprocessableEntity || ask.Find(`input[type=radio]`).Length() < 3 {
			t.Fatalf("several: %d, asked %q", status, ask.Text())
		}
		// Chosen on the page as it came back: the demand is added for that record.
		status, next = next.press(`[data-testid="add-demand"]`, func(f url.Values) {
			f.Set(field+"_pick_0", "dvk")
		})
		if status != http.StatusSeeOther || !strings.Contains(next.doc.Find(`[data-testid="draft-demand"]`).Text(), "Democratic Choice of Kazakhstan") {
			t.Fatalf("after choosing: %d %q", status, next.doc.Find(`[data-testid="draft-demand"]`).Text())
		}
		page = next
	})

	t.Run("ACyrillicNameIsTaken", func(t *testing.T) {
		status, next := page.press(`[data-testid="add-demand"]`, func(f url.Values) {
			demand("person", "Бокаев")(f)
			f.Set("action", "release")
		})
		if status != http.StatusSeeOther {
			t.Fatalf("add: %d %s", status, next.doc.Find(`.field-error, [role="alert"]`).Text())
		}
		var found bool
		next.doc.Find(`[data-testid="draft-demand"]`).Each(func(_ int, s *goquery.Selection) {
			found = found || strings.Contains(s.Text(), "Max Bokayev")
		})
		if !found {
			t.Errorf("the demand's targets: %q", next.doc.Find(`[data-testid="draft-demand"]`).Text())
		}
	})
}
