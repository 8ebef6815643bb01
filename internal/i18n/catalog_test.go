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

// The shipped catalogs are complete: every key of en.toml is in ru.toml and kk.toml, and
// neither holds a key English lacks (a typo'd key would never be shown).
func TestCatalogsComplete(t *testing.T) {
	c := shipped(t)
	for l, keys := range c.Missing() {
		t.Errorf("%s.toml lacks %d keys of en.toml: %v", l, len(keys), keys)
	}
	for _, l := range []i18n.Lang{i18n.RU, i18n.KK} {
		if len(c.Keys(l)) != len(c.Keys(i18n.EN)) {
			t.Errorf("%s.toml has %d keys, en.toml %d", l, len(c.Keys(l)), len(c.Keys(i18n.EN)))
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

// A catalog that lacks a key is reported, and a broken file refuses to load.
func TestCatalogChecks(t *testing.T) {
	dir := fstest.MapFS{
		"en.toml": {Data: []byte("\"a\" = \"A\"\n\"b\" = \"B\"\n")},
		"ru.toml": {Data: []byte("\"a\" = \"А\"\n")},
		"kk.toml": {Data: []byte("\"a\" = \"А\"\n\"b\" = \"Б\"\n")},
	}
	c, err := i18n.LoadCatalog(dir)
	if err != nil {
		t.Fatal(err)
	}
	if m := c.Missing(); len(m) != 1 || len(m[i18n.RU]) != 1 || m[i18n.RU][0] != "b" {
		t.Errorf("Missing() = %v, want ru: [b]", m)
	}
	if s, ok := c.Text(i18n.RU, "b"); ok {
		t.Errorf("ru b = %q, want none (not the English)", s)
	}
	dir["kk.toml"] = &fstest.MapFile{Data: []byte("\"a\" = \n")}
	if _, err := i18n.LoadCatalog(dir); err == nil {
		t.Error("a broken kk.toml loaded")
	}
	delete(dir, "kk.toml")
	if _, err := i18n.LoadCatalog(dir); err == nil {
		t.Error("a missing kk.toml loaded")
	}
}
