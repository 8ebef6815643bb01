package i18n_test

import (
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/whereas/whereas/internal/i18n"
	"github.com/whereas/whereas/internal/tracker"
	"github.com/whereas/whereas/web"
)

func shipped(t *testing.T) *i18n.Catalog {
	t.Helper()
	dir, err := fs.Sub(web.Locales, "locales")
	if err != nil {
		t.Fatal(err)
	}
	c, err := i18n.LoadCatalog(dir)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The shipped catalogs are complete: every key of English is in Russian and Kazakh, and
// neither holds a key English lacks (a typo'd key would never be shown).
func TestCatalogsComplete(t *testing.T) {
	c := shipped(t)
	for l, keys := range c.Missing() {
		t.Errorf("%s lacks %d keys of en: %v", l, len(keys), keys)
	}
	for l, keys := range c.Extra() {
		t.Errorf("%s has %d keys en lacks: %v", l, len(keys), keys)
	}
	for _, g := range c.PluralGaps() {
		t.Errorf("plural message lacks forms: %s", g)
	}
	for _, l := range []i18n.Lang{i18n.RU, i18n.KK} {
		if len(c.Keys(l)) != len(c.Keys(i18n.EN)) {
			t.Errorf("%s has %d keys, en %d", l, len(c.Keys(l)), len(c.Keys(i18n.EN)))
		}
	}
}

// Every status and demand state of the vocabularies is in the catalogs, the English text
// being the label the pages show today, and each translation differs from the English.
func TestVocabulariesTranslated(t *testing.T) {
	c := shipped(t)
	check := func(id, english string) {
		t.Helper()
		en, ok := c.Text(i18n.EN, id)
		if !ok || en != english {
			t.Errorf("en %s = %q (%v), want %q", id, en, ok, english)
		}
		for _, l := range []i18n.Lang{i18n.RU, i18n.KK} {
			if s, ok := c.Text(l, id); !ok || s == "" || s == english {
				t.Errorf("%s %s = %q (%v): not translated", l, id, s, ok)
			}
		}
	}
	for _, s := range tracker.Statuses {
		check("status."+string(s.Code), s.Label)
	}
	for _, s := range tracker.DemandStates {
		check("demand_state."+string(s.Code), s.Label)
	}
	if got, _ := c.Text(i18n.RU, "status.house_arrest"); got != "Домашний арест" {
		t.Errorf("ru house_arrest = %q", got)
	}
}

// A catalog that lacks a key is reported, and a broken file, a key given twice or a
// missing language refuses to load; plural messages must give the forms the language needs.
func TestCatalogChecks(t *testing.T) {
	dir := fstest.MapFS{
		"en/a.toml": {Data: []byte("\"a\" = \"A\"\n\"b\" = \"B\"\n[n]\none = \"{{.Count}} clause\"\nother = \"{{.Count}} clauses\"\n")},
		"ru/a.toml": {Data: []byte("\"a\" = \"А {{.X}}\"\n\"z\" = \"Z\"\n[n]\none = \"{{.Count}} пункт\"\nfew = \"{{.Count}} пункта\"\nother = \"{{.Count}} пункта\"\n")},
		"kk/a.toml": {Data: []byte("\"a\" = \"А\"\n\"b\" = \"Б\"\n[n]\none = \"{{.Count}} тармақ\"\nother = \"{{.Count}} тармақ\"\n")},
	}
	c, err := i18n.LoadCatalog(dir)
	if err != nil {
		t.Fatal(err)
	}
	if m := c.Missing(); len(m) != 1 || len(m[i18n.RU]) != 1 || m[i18n.RU][0] != "b" {
		t.Errorf("Missing() = %v, want ru: [b]", m)
	}
	if e := c.Extra(); len(e) != 1 || len(e[i18n.RU]) != 1 || e[i18n.RU][0] != "z" {
		t.Errorf("Extra() = %v, want ru: [z]", e)
	}
	if g := c.PluralGaps(); len(g) != 1 || g[0] != "ru n: many" {
		t.Errorf("PluralGaps() = %v, want [ru n: many]", g)
	}
	if s, ok := c.Text(i18n.RU, "b"); ok {
		t.Errorf("ru b = %q, want none (not the English)", s)
	}
	if s, _ := c.Text(i18n.RU, "a", map[string]any{"X": "<б>"}); s != "А <б>" {
		t.Errorf("ru a = %q, want the value put in as it is (templ escapes it)", s)
	}
	for n, want := range map[int]string{1: "1 пункт", 3: "3 пункта", 21: "21 пункт"} {
		if s, _ := c.Count(i18n.RU, "n", n, nil); s != want {
			t.Errorf("ru n(%d) = %q, want %q", n, s, want)
		}
	}
	broken := func(name, data string) {
		t.Helper()
		d := fstest.MapFS{}
		for k, v := range dir {
			d[k] = v
		}
		if data == "" {
			delete(d, name)
		} else {
			d[name] = &fstest.MapFile{Data: []byte(data)}
		}
		if _, err := i18n.LoadCatalog(d); err == nil {
			t.Errorf("loaded with %s = %q", name, data)
		}
	}
	broken("kk/a.toml", "\"a\" = \n")
	broken("kk/a.toml", "")
	broken("kk/b.toml", "\"a\" = \"again\"\n")
}
