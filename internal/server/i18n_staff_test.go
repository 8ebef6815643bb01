package server_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/PuerkitoBio/goquery"

	"github.com/whereas/whereas/internal/tracker"
)

// staffOthersParts are the parts of the staff pages that templates other than staff.templ and
// twofactor.templ write: dates.templ's date fields, feedback.templ's error-summary frame,
// picker.templ's pickers, entity.templ's lists and pager, records.templ's address field and
// new-record links; and the layout's notice of what was saved, a message of the server's. They are translated with their own templates (issue 17); these tests
// leave them out and check everything else.
var staffOthersParts = []string{
	`label[for="effective_on"]`, `#effective_on-hint`, `label[for="dated_by"]`, `#dated_by-hint`,
	`label[for="verified_on"]`, `#verified_on-hint`,
	`#error-summary-title`, `[data-testid="error-summary"] > p`,
	`[data-picker]`,
	`[data-testid="summary-list"]`, `nav.pager[aria-label="Pages"]`,
	`label[for="slug"]`, `#slug-hint`, `[data-testid="new-record-links"]`,
	`[data-testid="flash"]`, // the server's notices, in helper G's msg. catalog
}

// staffProcedure is a Parliament procedure reference, "2019/2610(RSP)": an identifier, the same
// in every language, that an option's text cannot mark as such.
var staffProcedure = regexp.MustCompile(`[0-9]{4}/[0-9]{4}\([A-Z]+\)`)

// staffLabel is a clause's label ("A" of recital A) or a short code: an identifier, not
// a word to translate.
var staffLabel = regexp.MustCompile(`\b[A-Z]{1,2}\b`)

// staffEnglish is englishIn over sel without staffOthersParts, and without content that
// cannot be marked as such: procedure references and clause labels in an option's text,
// and the content given (a name in a page title, what staff typed offered in a list).
func staffEnglish(sel *goquery.Selection, lang string, content ...string) []string {
	own := sel.Clone()
	own.Find(strings.Join(staffOthersParts, ", ")).Remove()
	var out []string
	for _, s := range englishIn(own, lang) {
		rest := staffLabel.ReplaceAllString(staffProcedure.ReplaceAllString(s, ""), "")
		for _, c := range content {
			rest = strings.ReplaceAll(rest, c, "")
		}
		if staffLatin(rest) {
			out = append(out, s)
		}
	}
	return out
}

// staffLatin reports whether s holds a Latin-script word that is not a neutral name.
func staffLatin(s string) bool {
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }) {
		for _, r := range w {
			if unicode.In(r, unicode.Latin) && !neutralWords[w] {
				return true
			}
		}
	}
	return false
}

// staffInLang is path with ?lang=l added: the first page in a language sets the cookie that
// keeps it for the forms posted after.
func staffInLang(path, l string) string {
	if strings.Contains(path, "?") {
		return path + "&lang=" + l
	}
	return path + "?lang=" + l
}

// staffGet gets path with c and reads the page, wanting status.
func staffGet(t *testing.T, c *http.Client, srv *httptest.Server, path string, status int) *goquery.Document {
	t.Helper()
	resp, body := fetchWith(t, c, srv.URL+path)
	if resp.StatusCode != status {
		t.Fatalf("GET %s = %d, staffWant %d\n%s", path, resp.StatusCode, status, body)
	}
	return doc(t, body)
}

// staffPost posts form to path with c and reads the page, wanting status.
func staffPost(t *testing.T, c *http.Client, srv *httptest.Server, path string, form url.Values, status int) *goquery.Document {
	t.Helper()
	resp, body := post(t, c, srv.URL+path, form)
	if resp.StatusCode != status {
		t.Fatalf("POST %s = %d, staffWant %d\n%s", path, resp.StatusCode, status, body)
	}
	return doc(t, body)
}

// staffNoEnglish fails when sel, the part of a page in lang that the staff templates write,
// holds English interface text, content aside; so do its title and the staff bar; and the
// page says its language.
func staffNoEnglish(t *testing.T, d *goquery.Document, sel, lang string, content ...string) {
	t.Helper()
	if l, _ := d.Find("html").Attr("lang"); l != lang {
		t.Errorf("<html lang=%q>, staffWant %q", l, lang)
	}
	part := d.Find(sel)
	if part.Length() == 0 {
		t.Fatalf("no %s on the page", sel)
	}
	if en := staffEnglish(part, lang, content...); len(en) > 0 {
		t.Errorf("%s: English in %s: %q", lang, sel, en)
	}
	if en := staffEnglish(d.Find("head title, .staff-bar"), lang, content...); len(en) > 0 {
		t.Errorf("%s: English in the title or the staff bar: %q", lang, en)
	}
}

// staffText is the folded text of the first element sel finds.
func staffText(d *goquery.Document, sel string) string {
	return strings.Join(strings.Fields(d.Find(sel).First().Text()), " ")
}

// staffWant is what a staff page says, in each language, where a reader would notice.
type staffWant map[string]string

// TestStaffStatusFormInRussianAndKazakh is issue 17's "Done when" for the status form: a
// staff member working in Russian or Kazakh who types a date the form cannot read gets
// the form back (422) in their language, the message beside the field and in the summary
// translated, what they typed kept, and no English but content.
func TestStaffStatusFormInRussianAndKazakh(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	const slug = "max-bokayev-case"
	wantError := map[string]staffWant{
		"ru": {"format": "Укажите дату в виде года (2018), месяца (2018-05) или дня (2018-05-14).", "missing": "Укажите дату, с которой это действует"},
		"kk": {"format": "Күнді жыл (2018), ай (2018-05) немесе күн (2018-05-14) түрінде жазыңыз.", "missing": "Бұл қай күннен бастап күшіне енгенін көрсетіңіз"},
	}
	// The case page's title is the case's; an earlier entry of its history is offered by
	// what its date rests on, the seed's own phrase in the page's language.
	caseContent := []string{"Max Bokayev — criminal case"}
	offered := staffWant{"ru": "По данным резолюции от 14 марта 2019 г.", "kk": "Қарардың деректері бойынша (2019 жылғы 14 наурыз)"}
	heading := staffWant{"ru": "Добавить в историю статусов", "kk": "Мәртебе тарихына қосу"}
	for _, l := range []string{"ru", "kk"} {
		t.Run(l, func(t *testing.T) {
			c := browser(t)
			signIn(t, c, w.a, "editor@example.org")
			page := staffGet(t, c, w.a, staffInLang("/cases/"+slug, l), http.StatusOK)
			staffNoEnglish(t, page, "#add-status", l, caseContent...)
			if got := staffText(page, "#add-status-h"); got != heading[l] {
				t.Errorf("status form heading %q, staffWant %q", got, heading[l])
			}
			version, _ := page.Find(`#add-status input[name="version"]`).Attr("value")
			if got := page.Find(`#add-status select[name="supersedes"] option`).Eq(1).Text(); !strings.HasPrefix(got, offered[l]) {
				t.Errorf("an earlier entry is offered as %q, want it to start %q", got, offered[l])
			}

			for _, tc := range []struct{ typed, msg string }{{"14 May 2018", "format"}, {"", "missing"}} {
				form := url.Values{"version": {version}, "status": {"released"}, "effective_on": {tc.typed},
					"source_url": {"https://example.org/report"}, "note": {"Заметка остаётся"}}
				d := staffPost(t, c, w.a, "/cases/"+slug+"/statuses", form, http.StatusUnprocessableEntity)
				staffNoEnglish(t, d, "#add-status", l, caseContent...)
				beside := staffText(d, `[data-testid="effective_on-error"]`)
				if beside == "" || staffLatin(beside) || !strings.HasPrefix(beside, wantError[l][tc.msg]) {
					t.Errorf("date %q: the message beside the field is %q, staffWant %q…", tc.typed, beside, wantError[l][tc.msg])
				}
				if summary := staffText(d, `[data-testid="error-summary"] a[href="#effective_on"]`); summary != beside {
					t.Errorf("date %q: the error summary says %q, the field %q", tc.typed, summary, beside)
				}
				if v, _ := d.Find("#effective_on").Attr("value"); v != tc.typed {
					t.Errorf("the date typed was not kept: %q", v)
				}
				if got := staffText(d, "#note"); got != "Заметка остаётся" {
					t.Errorf("the note typed was not kept: %q", got)
				}
				if sel := d.Find(`#status option[selected]`); sel.AttrOr("value", "") != "released" || staffLatin(sel.Text()) {
					t.Errorf("the status chosen: %q %q", sel.AttrOr("value", ""), sel.Text())
				}
			}
		})
	}
}

// TestStaffPagesInRussianAndKazakh: the sign-in page, the dashboard, every work queue, the
// person and case forms, accounts, API tokens, the activity log, two-factor sign-in and
// the link editor speak Russian and Kazakh, with content (names, addresses, what staff
// typed) marked as such.
func TestStaffPagesInRussianAndKazakh(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	for _, l := range []string{"ru", "kk"} {
		t.Run(l, func(t *testing.T) {
			t.Run("SignIn", func(t *testing.T) {
				c := browser(t)
				d := staffGet(t, c, w.a, staffInLang("/sign-in", l), http.StatusOK)
				staffNoEnglish(t, d, "main", l)
				if got := staffText(d, "main h1"); got != (staffWant{"ru": "Вход", "kk": "Кіру"})[l] {
					t.Errorf("sign-in heading %q", got)
				}
				d = staffPost(t, c, w.a, "/sign-in", url.Values{"email": {"editor@example.org"}, "password": {"not the password at all"}}, http.StatusUnauthorized)
				staffNoEnglish(t, d, "main", l)
				refused := staffWant{"ru": "Неверный адрес электронной почты или пароль.", "kk": "Электрондық пошта немесе құпиясөз қате."}[l]
				if got := staffText(d, `[data-testid="email-error"]`); got != refused {
					t.Errorf("refused sign-in says %q, staffWant %q", got, refused)
				}
				if v, _ := d.Find("#email").Attr("value"); v != "editor@example.org" {
					t.Errorf("the email typed was not kept: %q", v)
				}
			})

			admin := browser(t)
			signIn(t, admin, w.a, "admin@example.org")
			staffGet(t, admin, w.a, staffInLang("/staff", l), http.StatusOK) // the cookie keeps l from here

			t.Run("DashboardAndQueues", func(t *testing.T) {
				d := staffGet(t, admin, w.a, "/staff", http.StatusOK)
				staffNoEnglish(t, d, "main", l)
				stale := staffWant{"ru": "Без обновлений 180 дней", "kk": "180 күн бойы жаңартылмаған"}[l]
				if got := staffText(d, "#stale-h"); got != stale {
					t.Errorf("stale heading %q, staffWant %q", got, stale)
				}
				if got := staffText(d, `.staff-bar`); !strings.HasPrefix(got, staffWant{"ru": "Вы вошли как admin@example.org (администратор)", "kk": "Сіз admin@example.org ретінде кірдіңіз (әкімші)"}[l]) {
					t.Errorf("staff bar %q", got)
				}
				if d := staffGet(t, admin, w.a, "/staff?days=1", http.StatusOK); staffText(d, "#stale-h") != (staffWant{"ru": "Без обновлений 1 день", "kk": "1 күн бойы жаңартылмаған"})[l] {
					t.Errorf("stale heading for one day: %q", staffText(d, "#stale-h"))
				}
				for _, q := range tracker.Queues {
					d := staffGet(t, admin, w.a, "/staff/queues/"+string(q.Name), http.StatusOK)
					staffNoEnglish(t, d, "main", l)
				}
				d = staffGet(t, admin, w.a, "/staff/queues/unassessed-demands", http.StatusOK)
				total := staffWant{"ru": "20 записей", "kk": "20 жазба"}[l]
				if got := staffText(d, `[data-testid="queue-total"]`); got != total {
					t.Errorf("queue total %q, staffWant %q", got, total)
				}
				if got := staffText(d, `[data-testid="queue-item"] .meta`); got != (staffWant{"ru": "2019/2610(RSP), пункт 2", "kk": "2019/2610(RSP), 2-тармақ"})[l] {
					t.Errorf("queue item detail %q", got)
				}
			})

			t.Run("PersonAndCaseForms", func(t *testing.T) {
				d := staffGet(t, admin, w.a, "/people/max-bokayev/edit", http.StatusOK)
				staffNoEnglish(t, d, "main", l, "Max Bokayev")
				if got := staffText(d, "main h1"); got != (staffWant{"ru": "Правка: Max Bokayev", "kk": "Өңдеу: Max Bokayev"})[l] {
					t.Errorf("person form heading %q", got)
				}
				member := d.Find(`#affiliation-roles option[value="member"]`)
				if got := member.AttrOr("label", ""); got != (staffWant{"ru": "член", "kk": "мүше"})[l] {
					t.Errorf("the role suggestion member is labelled %q (its value stays %q)", got, member.AttrOr("value", ""))
				}
				for _, path := range []string{"/people/new", "/cases/new", "/cases/max-bokayev-case/edit"} {
					staffNoEnglish(t, staffGet(t, admin, w.a, path, http.StatusOK), "main", l, "Max Bokayev — criminal case")
				}
			})

			t.Run("AccountsAndTokens", func(t *testing.T) {
				tokenName := staffWant{"ru": "ночной импорт", "kk": "түнгі импорт"}[l]
				d := staffPost(t, admin, w.a, "/staff/tokens", url.Values{"name": {tokenName}, "expires_in": {"30"}}, http.StatusOK)
				staffNoEnglish(t, d, "main", l)
				d = staffGet(t, admin, w.a, "/staff/tokens", http.StatusOK)
				staffNoEnglish(t, d, "main", l)
				if got := staffText(d, `[data-testid="token"] [data-testid="token-state"]`); !strings.Contains(got, tokenName) || staffLatin(got) {
					t.Errorf("token state %q", got)
				}
				d = staffGet(t, admin, w.a, "/admin/users", http.StatusOK)
				staffNoEnglish(t, d, "main", l)
				disable := staffWant{"ru": "Отключить editor@example.org…", "kk": "editor@example.org есептік жазбасын өшіру…"}[l]
				if got := staffText(d, `form[action="/admin/users/disable"] button`); got != disable {
					t.Errorf("disable button %q, staffWant %q", got, disable)
				}
				staffNoEnglish(t, staffGet(t, admin, w.a, "/staff/2fa", http.StatusOK), "main", l)
			})

			t.Run("ActivityAndLinks", func(t *testing.T) {
				d := staffGet(t, admin, w.a, "/admin/activity", http.StatusOK)
				staffNoEnglish(t, d, "main", l)
				if d.Find(`[data-testid="activity-entry"]`).Length() == 0 {
					t.Error("the activity log is empty")
				}
				d = staffGet(t, admin, w.a, "/admin/activity?from=2024-13-01", http.StatusBadRequest)
				staffNoEnglish(t, d, "main", l)
				staffNoEnglish(t, staffGet(t, admin, w.a, "/resolutions/2019-2610-rsp/clauses/rec_H/links", http.StatusOK), "main", l)
			})
		})
	}
}

// TestStaffConflictInRussianAndKazakh: an edit that crossed another's save comes back with
// the merge explained in the reader's language, who saved it left as it is.
func TestStaffConflictInRussianAndKazakh(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	editor, admin := browser(t), browser(t)
	signIn(t, editor, w.b, "editor@example.org")
	signIn(t, admin, w.a, "admin@example.org")
	const slug = "max-bokayev"
	for _, l := range []string{"ru", "kk"} {
		staffGet(t, editor, w.b, staffInLang("/people/"+slug+"/edit", l), http.StatusOK)
		mine := editPersonForm(t, editor, w.b, slug)
		theirs := editPersonForm(t, admin, w.a, slug)
		theirs.Set("role", "union organiser "+l)
		if resp, body := post(t, admin, w.a.URL+"/people/"+slug+"/edit", theirs); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("the other save: %d %s", resp.StatusCode, body)
		}
		mine.Set("role", "former union leader "+l)
		d := staffPost(t, editor, w.b, "/people/"+slug+"/edit", mine, http.StatusConflict)
		staffNoEnglish(t, d, "main", l, "Max Bokayev")
		if got := staffText(d, `[data-testid="conflict"] p`); !strings.Contains(got, "admin@example.org") || !strings.Contains(got, staffWant{"ru": "сохранил(а) эту запись о человеке", "kk": "осы адам туралы жазбаны сақтады"}[l]) {
			t.Errorf("%s: the conflict says %q", l, got)
		}
		if got := staffText(d, `[data-testid="merge-table"] tr[data-field="role"] th`); got != (staffWant{"ru": "Роль", "kk": "Рөлі"})[l] {
			t.Errorf("%s: the role row is labelled %q", l, got)
		}

		// A save that crossed another on other fields is merged, and the next page says so.
		mine = editPersonForm(t, editor, w.b, slug)
		theirs = editPersonForm(t, admin, w.a, slug)
		theirs.Set("internal_notes", "Адвокат: А. Пример "+l)
		if resp, body := post(t, admin, w.a.URL+"/people/"+slug+"/edit", theirs); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("the other save: %d %s", resp.StatusCode, body)
		}
		mine.Set("place", "Атырау "+l)
		resp, body := post(t, editor, w.b.URL+"/people/"+slug+"/edit", mine)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: the merged save: %d %s", l, resp.StatusCode, body)
		}
		d = staffGet(t, editor, w.b, resp.Header.Get("Location"), http.StatusOK)
		notice := staffWant{"ru": "Сохранено. admin@example.org (", "kk": "Сақталды. Сіз өңдеп жатқанда admin@example.org ("}[l]
		kept := staffWant{"ru": "их изменения в полях Служебные заметки (только для сотрудников) сохранены вместе с вашими.",
			"kk": "олардың Қызметтік жазбалар (тек қызметкерлерге) өрістеріндегі өзгерістері сіздікімен бірге сақталды."}[l]
		if got := staffText(d, `[data-testid="flash"]`); !strings.HasPrefix(got, notice) || !strings.HasSuffix(got, kept) || staffLatin(strings.NewReplacer("admin@example.org", "", "UTC", "").Replace(got)) {
			t.Errorf("%s: the notice of the merged save says %q", l, got)
		}
	}
}
