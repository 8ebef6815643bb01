package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/whereas/whereas/internal/i18n"
	"github.com/whereas/whereas/internal/tracker"
)

// TestMessagesInTheReadersLanguage: the messages the server writes in English (error pages,
// notices after a save) reach a Russian or Kazakh reader in their language, through
// web.Say and the msg. entries of the catalogs; dates in them are written as the language
// writes them.
func TestMessagesInTheReadersLanguage(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)

	// page fetches a page in a language, with c's cookies.
	page := func(t *testing.T, c *http.Client, path, lang string, wantStatus int) *goquery.Document {
		t.Helper()
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		resp, body := fetchWith(t, c, w.a.URL+path+sep+"lang="+lang)
		if resp.StatusCode != wantStatus {
			t.Fatalf("GET %s in %s: %d, want %d", path, lang, resp.StatusCode, wantStatus)
		}
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		return doc
	}
	errorPage := func(t *testing.T, doc *goquery.Document, lang, title, message string) {
		t.Helper()
		section := doc.Find(`[data-testid="error"]`)
		if got := strings.TrimSpace(section.Find("h1").Text()); got != title {
			t.Errorf("%s: heading %q, want %q", lang, got, title)
		}
		if got := strings.TrimSpace(section.Find("h1 + p").Text()); got != message {
			t.Errorf("%s: message %q, want %q", lang, got, message)
		}
		if en := englishIn(section, lang); len(en) > 0 {
			t.Errorf("%s: English on the error page: %q", lang, en)
		}
		if got := doc.Find("head title").Text(); !strings.HasPrefix(got, title) {
			t.Errorf("%s: <title> %q", lang, got)
		}
	}

	t.Run("NotFound", func(t *testing.T) {
		anon := browser(t)
		errorPage(t, page(t, anon, "/people/nobody-at-all", "ru", http.StatusNotFound), "ru",
			"Страница не найдена", "По этому адресу не найдено: человек.")
		errorPage(t, page(t, anon, "/organisations/nobody-at-all", "kk", http.StatusNotFound), "kk",
			"Бет табылмады", "Бұл мекенжай бойынша ештеңе табылмады (ұйым).")
		errorPage(t, page(t, anon, "/no/such/page", "ru", http.StatusNotFound), "ru",
			"Страница не найдена", "По этому адресу нет страницы.")
	})

	t.Run("ForbiddenForTheRole", func(t *testing.T) {
		ed := browser(t)
		signIn(t, ed, w.a, "editor@example.org")
		errorPage(t, page(t, ed, "/admin/users", "ru", http.StatusForbidden), "ru",
			"Здесь это сделать нельзя", "Ваша учётная запись (редактор) не может этого сделать: нужна роль «администратор».")
		errorPage(t, page(t, ed, "/admin/users", "kk", http.StatusForbidden), "kk",
			"Мұны мұнда істеуге болмайды", "Сіздің есептік жазбаңыз (редактор) мұны істей алмайды: «әкімші» рөлі қажет.")
	})

	// Retiring a record: the notice on the next page, then the public's 410 with the day
	// it was retired, in the reader's language.
	t.Run("RetiredNoticeAndGonePage", func(t *testing.T) {
		ed := browser(t)
		signIn(t, ed, w.a, "editor@example.org")
		page(t, ed, "/", "ru", http.StatusOK) // the language is kept in a cookie
		before := time.Now().UTC()
		resp, _ := post(t, ed, w.a.URL+"/people/max-bokayev/retire", url.Values{"confirm": {"yes"}})
		after := time.Now().UTC()
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("retire: %d", resp.StatusCode)
		}
		doc := page(t, ed, resp.Header.Get("Location"), "ru", http.StatusOK)
		flash := doc.Find(`[data-testid="flash"]`)
		if got, want := strings.TrimSpace(flash.Text()), "Снято с публикации: запись (человек) больше не видна на публичных страницах. Администратор может её вернуть."; got != want {
			t.Errorf("ru notice %q, want %q", got, want)
		}
		if en := englishIn(flash, "ru"); len(en) > 0 {
			t.Errorf("English in the notice: %q", en)
		}

		// The 410 names the day it was retired: the day of the request (either side of a
		// midnight), as each language writes a date there.
		anon := browser(t)
		for _, c := range []struct {
			lang    i18n.Lang
			title   string
			message func(day time.Time) string
		}{
			{i18n.RU, "Больше не публикуется", func(day time.Time) string {
				return "Запись об этом человеке снята с публикации " + i18n.Day(i18n.RU, day) + " и здесь больше не показывается."
			}},
			{i18n.KK, "Енді жарияланбайды", func(day time.Time) string {
				// after a verb, in the locative: "2024 жылғы 2 мамырда"
				return "Бұл адам туралы жазба " + i18n.DateIn(i18n.KK, tracker.Day(day)) + " жариялаудан алынды, енді мұнда көрсетілмейді."
			}},
		} {
			doc := page(t, anon, "/people/max-bokayev", string(c.lang), http.StatusGone)
			got := strings.TrimSpace(doc.Find(`[data-testid="error"] h1 + p`).Text())
			if got != c.message(before) && got != c.message(after) {
				t.Errorf("%s: 410 says %q, want %q", c.lang, got, c.message(before))
			}
			errorPage(t, doc, string(c.lang), c.title, got)
		}
		// English stays as the API and the tests have always had it
		doc = page(t, anon, "/people/max-bokayev", "en", http.StatusGone)
		if got := doc.Find(`[data-testid="error"] h1 + p`).Text(); !strings.HasPrefix(got, "This person was retired on ") {
			t.Errorf("en: %q", got)
		}
	})

	t.Run("CreatedNotice", func(t *testing.T) {
		ed := browser(t)
		signIn(t, ed, w.a, "editor@example.org")
		page(t, ed, "/", "kk", http.StatusOK)
		resp, body := post(t, ed, w.a.URL+"/organisations/new", url.Values{"name": {"Жаңа кәсіподақ"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("create: %d %s", resp.StatusCode, body)
		}
		doc := page(t, ed, resp.Header.Get("Location"), "kk", http.StatusOK)
		if got := strings.TrimSpace(doc.Find(`[data-testid="flash"]`).Text()); got != "Ұйым жасалды." {
			t.Errorf("kk notice %q", got)
		}
	})
}
