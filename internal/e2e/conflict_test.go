package e2e_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/whereas/whereas/internal/e2e"
	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/tracker"
)

// TestConflictPageBrowser walks the conflict page in Chromium: the admin opens a person's
// form, an editor saves the role and the internal notes meanwhile, the admin saves a new
// role and place, sees both values of every field, must choose the role, and saves. The
// editor's internal note survives, and the conflict page passes axe in both its states.
func TestConflictPageBrowser(t *testing.T) {
	browser := e2e.NewBrowser(t)
	base, db := startStaffAppWithDB(t)

	ctx := e2e.NewTab(t, browser)
	signInBrowser(t, ctx, base)
	do(t, ctx, chromedp.Navigate(base+"/people/max-bokayev/edit"), chromedp.WaitVisible(chromedp.CSS(`#role`)))

	// Someone else saves while the form is open.
	d, err := db.Person(context.Background(), "max-bokayev")
	if err != nil {
		t.Fatal(err)
	}
	e := tracker.PersonEditOf(d.Person)
	e.Role, e.InternalNotes = "union organiser", "Prison address: colony 12"
	if _, err := db.UpdatePerson(context.Background(), postgres.Actor{Name: "editor@example.org"}, e); err != nil {
		t.Fatal(err)
	}

	do(t, ctx,
		chromedp.SetValue(chromedp.CSS(`#role`), "former union leader"),
		chromedp.SetValue(chromedp.CSS(`#place`), "Aktau region"),
		chromedp.Click(chromedp.CSS(`main form.form button[type="submit"]`)),
	)
	waitJS(t, ctx, `!!document.querySelector('[data-testid="merge-table"]')`)
	checkAxe(t, ctx, "the conflict page")
	table := eval[string](t, ctx, `document.querySelector('[data-testid="merge-table"]').innerText`)
	for _, want := range []string{"Internal notes (staff only)", "Prison address: colony 12", "former union leader", "union organiser", "Both changed it"} {
		if !strings.Contains(table, want) {
			t.Errorf("the conflict table lacks %q:\n%s", want, table)
		}
	}
	if who := eval[string](t, ctx, `document.querySelector('[data-testid="conflict"]').innerText`); !strings.Contains(who, "editor@example.org") {
		t.Errorf("the conflict page does not say who saved meanwhile: %q", who)
	}
	if kept := eval[string](t, ctx, `document.getElementById("internal_notes").value`); kept != "Prison address: colony 12" {
		t.Errorf("internal notes field = %q, want the other save's note merged in", kept)
	}

	// Saving without a choice is refused; the choice is made by its label, as a user would.
	do(t, ctx, chromedp.Click(chromedp.CSS(`main form.form button[type="submit"]`)))
	waitJS(t, ctx, `!!document.querySelector('[data-testid="choose-role-error"]')`)
	checkAxe(t, ctx, "the conflict page asking for a choice")
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`label[for="choose_role_mine"]`)),
		chromedp.Click(chromedp.CSS(`main form.form button[type="submit"]`)),
	)
	waitJS(t, ctx, `location.pathname === "/people/max-bokayev" && document.readyState !== "loading"`)
	page := eval[string](t, ctx, `document.querySelector("main").innerText`)
	if !strings.Contains(page, "former union leader") || !strings.Contains(page, "Prison address: colony 12") {
		t.Errorf("the person page after the save:\n%s", page)
	}
	d, _ = db.Person(context.Background(), "max-bokayev")
	if p := d.Person; p.Role != "former union leader" || p.Place != "Aktau region" || p.InternalNotes != "Prison address: colony 12" {
		t.Errorf("saved: role %q, place %q, internal notes %q", p.Role, p.Place, p.InternalNotes)
	}

	// A save that conflicts with nothing is merged at once, and the next page says so.
	do(t, ctx, chromedp.Navigate(base+"/people/max-bokayev/edit"), chromedp.WaitVisible(chromedp.CSS(`#notes`)))
	d, _ = db.Person(context.Background(), "max-bokayev")
	e = tracker.PersonEditOf(d.Person)
	e.InternalNotes = "Lawyer: A. Example"
	if _, err := db.UpdatePerson(context.Background(), postgres.Actor{Name: "editor@example.org"}, e); err != nil {
		t.Fatal(err)
	}
	do(t, ctx,
		chromedp.SetValue(chromedp.CSS(`#notes`), "Released in 2023."),
		chromedp.Click(chromedp.CSS(`main form.form button[type="submit"]`)),
	)
	waitJS(t, ctx, `!!document.querySelector('[data-testid="flash"]')`)
	if flash := eval[string](t, ctx, `document.querySelector('[data-testid="flash"]').innerText`); !strings.Contains(flash, "Internal notes") {
		t.Errorf("the notice after a merged save = %q", flash)
	}
	checkAxe(t, ctx, "the person page with the merge notice")
	if d, _ = db.Person(context.Background(), "max-bokayev"); d.Person.InternalNotes != "Lawyer: A. Example" || d.Person.Notes != "Released in 2023." {
		t.Errorf("merged save: internal notes %q, notes %q", d.Person.InternalNotes, d.Person.Notes)
	}
	signOutBrowser(t, ctx)
}
