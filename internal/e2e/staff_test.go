package e2e_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/whereas/whereas/internal/auth"
	"github.com/whereas/whereas/internal/e2e"
	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/postgres/postgrestest"
	"github.com/whereas/whereas/internal/server"
	"github.com/whereas/whereas/internal/tracker"
)

const staffPassword = "browser test passphrase"

// startStaffApp is startApp with an admin account.
func startStaffApp(t *testing.T) string {
	t.Helper()
	base, _ := startStaffAppWithDB(t)
	return base
}

// startStaffAppWithDB is startStaffApp that also hands over its database, for a test that
// changes records behind the browser's back.
func startStaffAppWithDB(t *testing.T) (string, *postgres.DB) {
	t.Helper()
	db, _ := postgrestest.OpenSeeded(t)
	hash, err := auth.Hash(staffPassword)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateUser(context.Background(), postgres.Actor{Name: "test"}, "admin@example.org", tracker.RoleAdmin, hash); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(server.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)), server.Options{PageCacheBytes: 1 << 20}))
	t.Cleanup(srv.Close)
	return srv.URL, db
}

// signInBrowser signs in through the sign-in page. The tabs of one browser share cookies,
// so each subtest that signs in also signs out before it ends.
func signInBrowser(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	do(t, ctx,
		chromedp.Navigate(base+"/sign-in"),
		chromedp.WaitVisible(chromedp.CSS(`#email`)),
		chromedp.SendKeys(chromedp.CSS(`#email`), "admin@example.org"),
		chromedp.SendKeys(chromedp.CSS(`#password`), staffPassword),
		chromedp.Click(chromedp.CSS(`form[action="/sign-in"] button[type="submit"]`)),
	)
	// Wait for the page the sign-in leads to, loaded, not for "signed in as" alone: a new tab
	// shares the browser's cookies, so the sign-in page itself may already say it, and a
	// navigation started then was aborted by the sign-in's own redirect (net::ERR_ABORTED).
	waitJS(t, ctx, `location.pathname !== "/sign-in" && document.readyState === "complete" && !!document.querySelector('[data-testid="signed-in-as"]')`)
}

func TestStaffBrowser(t *testing.T) {
	browser := e2e.NewBrowser(t)
	base := startStaffApp(t)

	t.Run("SignInUpdateStatusSeeItSignOut", func(t *testing.T) {
		ctx := e2e.NewTab(t, browser)
		do(t, ctx, chromedp.Navigate(base+"/"), chromedp.Click(chromedp.CSS(`a[href="/sign-in"]`)), chromedp.WaitVisible(chromedp.CSS(`#email`)))
		signInBrowser(t, ctx, base)
		if loc := location(t, ctx); loc != base+"/staff" {
			t.Fatalf("after sign-in: %s", loc)
		}
		do(t, ctx,
			chromedp.Navigate(base+"/cases/aset-mataev-case"),
			chromedp.WaitVisible(chromedp.CSS(`#add-status`)),
			chromedp.SetValue(chromedp.CSS(`#status`), "released"),
			chromedp.SetValue(chromedp.CSS(`#effective_on`), "2020-10-01"),
			chromedp.SendKeys(chromedp.CSS(`#note`), "Released on parole, according to his lawyer."),
			chromedp.SendKeys(chromedp.CSS(`#source_url`), "https://example.org/mataev"),
			chromedp.Click(chromedp.CSS(`#add-status button[type="submit"]`)),
		)
		waitJS(t, ctx, `document.querySelectorAll('[data-testid="timeline"] li').length === 2`)
		timeline := eval[string](t, ctx, `document.querySelector('[data-testid="timeline"]').innerText`)
		if !strings.Contains(timeline, "Released on parole, according to his lawyer.") || !strings.Contains(timeline, "admin@example.org") {
			t.Errorf("timeline after the update:\n%s", timeline)
		}
		current := eval[string](t, ctx, `document.querySelector('[data-testid="current-status"]').innerText`)
		if !strings.Contains(current, "Released") {
			t.Errorf("current status = %q", current)
		}
		signOutBrowser(t, ctx)
		do(t, ctx, chromedp.Navigate(base+"/cases/aset-mataev-case"), chromedp.WaitVisible(chromedp.CSS("main")))
		if eval[bool](t, ctx, `!!document.querySelector("#add-status")`) {
			t.Error("the status form is still there after sign-out")
		}
		if !strings.Contains(eval[string](t, ctx, `document.querySelector('[data-testid="current-status"]').innerText`), "Released") {
			t.Error("the public page does not show the new status")
		}
	})

	t.Run("ValidationErrorBesideItsField", func(t *testing.T) {
		ctx := e2e.NewTab(t, browser)
		signInBrowser(t, ctx, base)
		future := time.Now().AddDate(1, 0, 0).Format(time.DateOnly)
		do(t, ctx,
			chromedp.Navigate(base+"/cases/elena-semenova-case"),
			chromedp.WaitVisible(chromedp.CSS(`#add-status`)),
			chromedp.SetValue(chromedp.CSS(`#status`), "released"),
			chromedp.SetValue(chromedp.CSS(`#effective_on`), future),
			chromedp.SendKeys(chromedp.CSS(`#note`), "typed before the mistake"),
			chromedp.SendKeys(chromedp.CSS(`#source_url`), "https://example.org/semenova"),
			chromedp.Click(chromedp.CSS(`#add-status button[type="submit"]`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="effective_on-error"]`)),
		)
		msg := eval[string](t, ctx, `document.querySelector('[data-testid="effective_on-error"]').innerText`)
		described := eval[string](t, ctx, `document.getElementById("effective_on").getAttribute("aria-describedby")`)
		kept := eval[string](t, ctx, `document.getElementById("note").value`)
		if !strings.Contains(msg, "future") || !strings.HasPrefix(described, "effective_on-error") || kept != "typed before the mistake" {
			t.Errorf("error %q, described by %q, note kept %q", msg, described, kept)
		}
		signOutBrowser(t, ctx)
	})

	t.Run("StaffPagesPassAxe", func(t *testing.T) {
		ctx := e2e.NewTab(t, browser)
		do(t, ctx, chromedp.Navigate(base+"/sign-in"), chromedp.WaitVisible(chromedp.CSS("main")))
		checkAxe(t, ctx, "/sign-in")
		signInBrowser(t, ctx, base)
		for _, path := range []string{"/staff", "/cases/dvk-ban", "/cases/dvk-ban/edit", "/people/max-bokayev/edit",
			"/resolutions/2019-2610-rsp/clauses/rec_A/links", "/admin/users", "/admin/activity", "/staff/tokens", "/staff/2fa"} {
			do(t, ctx, chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS("main")))
			checkAxe(t, ctx, path)
		}
		signOutBrowser(t, ctx)
	})
}

func signOutBrowser(t *testing.T, ctx context.Context) {
	t.Helper()
	do(t, ctx, chromedp.Click(chromedp.CSS(`.staff-bar form[action="/sign-out"] button`)), chromedp.WaitVisible(chromedp.CSS(`a[href="/sign-in"]`)))
}

func checkAxe(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	if n := eval[int](t, ctx, `document.querySelectorAll("h1").length`); n != 1 {
		t.Errorf("%s: %d h1 elements", path, n)
	}
	for _, v := range runAxe(t, ctx).Violations {
		if v.Impact == "serious" || v.Impact == "critical" {
			t.Errorf("%s: %s (%s): %s, at %v", path, v.ID, v.Impact, v.Help, v.Nodes)
		}
	}
}

func TestScoreboardBrowser(t *testing.T) {
	browser := e2e.NewBrowser(t)
	base := startStaffApp(t)
	ctx := e2e.NewTab(t, browser)

	count := func(state string) string {
		t.Helper()
		return strings.TrimSpace(eval[string](t, ctx, `document.querySelector('[data-testid="score-counts"] li[data-state="`+state+`"] .count').textContent`))
	}
	do(t, ctx,
		chromedp.Navigate(base+"/resolutions/2019-2610-rsp"),
		chromedp.Click(chromedp.CSS(`.page-head a[href="/resolutions/2019-2610-rsp/scoreboard"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="score-counts"]`)),
	)
	if count("met") != "0" || count("not_met") != "9" {
		t.Fatalf("scoreboard before: met %s, not met %s", count("met"), count("not_met"))
	}
	checkAxe(t, ctx, "/resolutions/2019-2610-rsp/scoreboard")

	// A visitor narrows it to the demands not met, then goes back to all of them.
	do(t, ctx, chromedp.Navigate(base+"/resolutions/2019-2610-rsp/scoreboard?state=not_met"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="state-filter"]`)))
	if n := eval[int](t, ctx, `document.querySelectorAll('[data-testid="score-paragraph"] .demand-list .status[data-state="not_met"]').length`); n != 9 {
		t.Errorf("filtered scoreboard shows %d not-met demands, want 9", n)
	}
	checkAxe(t, ctx, "/resolutions/2019-2610-rsp/scoreboard?state=not_met")
	do(t, ctx, chromedp.Click(chromedp.CSS(`[data-testid="state-filter"] a[href="/resolutions/2019-2610-rsp/scoreboard"]`)), chromedp.WaitVisible(chromedp.CSS(`#score-para_3`)))

	// A visitor follows a demand to its page.
	do(t, ctx, chromedp.Click(chromedp.CSS(`#score-para_3 a[href="/demands/2019-2610-rsp-para-3-4"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="demand-state"]`)))
	if h := eval[string](t, ctx, `document.querySelector("h1").textContent`); h != "Quash conviction" {
		t.Errorf("demand page h1 = %q", h)
	}
	checkAxe(t, ctx, "/demands/2019-2610-rsp-para-3-4")

	// Staff record that it was partly met; the scoreboard counts it at once.
	signInBrowser(t, ctx, base)
	do(t, ctx,
		chromedp.Navigate(base+"/demands/2019-2610-rsp-para-3-4"),
		chromedp.WaitVisible(chromedp.CSS(`#add-state`)),
		chromedp.SetValue(chromedp.CSS(`#state`), "partly_met"),
		chromedp.SetValue(chromedp.CSS(`#effective_on`), "2020-06-01"),
		chromedp.SendKeys(chromedp.CSS(`#note`), "One of the three convictions quashed."),
		chromedp.SendKeys(chromedp.CSS(`#source_url`), "https://example.org/quashed"),
		chromedp.Click(chromedp.CSS(`#add-state button[type="submit"]`)),
	)
	waitJS(t, ctx, `document.querySelectorAll('[data-testid="timeline"] li').length === 2`)
	checkAxe(t, ctx, "/demands/2019-2610-rsp-para-3-4 (staff)")
	signOutBrowser(t, ctx)
	do(t, ctx, chromedp.Navigate(base+"/resolutions/2019-2610-rsp/scoreboard"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="score-counts"]`)))
	if count("partly_met") != "1" || count("unknown") != "19" {
		t.Errorf("scoreboard after: partly met %s, unknown %s", count("partly_met"), count("unknown"))
	}
}
