package i18n

import (
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
)

// Catalog is the interface's texts in every language, read from TOML files a translator
// edits without Go: one folder per language (web/locales/en, ru, kk), one file per part of
// the site (vocabulary.toml, layout.toml, ...), the same file names in every folder.
//
// A message is a string ("key" = "text") or, for a count, a table of CLDR plural forms
// (one/few/many/other for Russian, one/other for English and Kazakh) with {{.Count}} in it.
// Other values are named as {{.Name}}.
type Catalog struct {
	bundle     *i18n.Bundle
	localizers map[Lang]*i18n.Localizer
	keys       map[Lang][]string
	plurals    map[Lang]map[string][]Form // the forms each plural message gives
	raw        map[Lang]map[string]string // each plain message's text, values unfilled
}

// LoadCatalog reads every language's folder from dir. A folder that is missing, a file that
// does not parse, or a key given twice is an error: the server must not start with half a
// language or with a text that depends on which file was read last.
func LoadCatalog(dir fs.FS) (*Catalog, error) {
	c := &Catalog{bundle: i18n.NewBundle(EN.Tag()), localizers: map[Lang]*i18n.Localizer{},
		keys: map[Lang][]string{}, plurals: map[Lang]map[string][]Form{}, raw: map[Lang]map[string]string{}}
	c.bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	for _, l := range Langs {
		files, err := fs.Glob(dir, string(l)+"/*.toml")
		if err != nil || len(files) == 0 {
			return nil, fmt.Errorf("catalog %s: no %s/*.toml files", l, l)
		}
		seen := map[string]string{}
		c.plurals[l] = map[string][]Form{}
		c.raw[l] = map[string]string{}
		for _, name := range files {
			data, err := fs.ReadFile(dir, name)
			if err != nil {
				return nil, fmt.Errorf("catalog %s: %w", name, err)
			}
			// go-i18n takes the language from the file's name: give it "ru.toml".
			mf, err := c.bundle.ParseMessageFileBytes(data, string(l)+".toml")
			if err != nil {
				return nil, fmt.Errorf("catalog %s: %w", name, err)
			}
			for _, m := range mf.Messages {
				if other, dup := seen[m.ID]; dup {
					return nil, fmt.Errorf("catalog %s: key %q is in %s too", name, m.ID, other)
				}
				seen[m.ID] = name
				c.keys[l] = append(c.keys[l], m.ID)
				if forms := pluralForms(m); forms != nil {
					c.plurals[l][m.ID] = forms
				} else {
					c.raw[l][m.ID] = m.Other
				}
			}
		}
		slices.Sort(c.keys[l])
		c.localizers[l] = i18n.NewLocalizer(c.bundle, string(l))
	}
	return c, nil
}

// pluralForms are the plural forms a message gives, or nil for a plain message.
func pluralForms(m *i18n.Message) []Form {
	var forms []Form
	for _, f := range []struct {
		form Form
		text string
	}{{One, m.One}, {Few, m.Few}, {Many, m.Many}, {Other, m.Other}} {
		if f.text != "" {
			forms = append(forms, f.form)
		}
	}
	if len(forms) == 1 && forms[0] == Other {
		return nil
	}
	return forms
}

// Keys are the message ids l's files hold, sorted.
func (c *Catalog) Keys(l Lang) []string { return c.keys[l] }

// Missing lists, per language, the keys of the English catalog its files lack.
func (c *Catalog) Missing() map[Lang][]string {
	out := map[Lang][]string{}
	for _, l := range Langs[1:] {
		for _, k := range c.keys[EN] {
			if _, found := slices.BinarySearch(c.keys[l], k); !found {
				out[l] = append(out[l], k)
			}
		}
	}
	return out
}

// Extra lists, per language, the keys its files hold that English lacks: a typo'd key
// that no page would ever show.
func (c *Catalog) Extra() map[Lang][]string {
	out := map[Lang][]string{}
	for _, l := range Langs[1:] {
		for _, k := range c.keys[l] {
			if _, found := slices.BinarySearch(c.keys[EN], k); !found {
				out[l] = append(out[l], k)
			}
		}
	}
	return out
}

// PluralGaps lists the plural messages that lack a form their language's counts need
// (Russian "5 пунктов" needs many), as "ru count.clauses: many", and those English gives
// as a plural that another language gives as plain text.
func (c *Catalog) PluralGaps() []string {
	var out []string
	for _, l := range Langs {
		need := map[Form]bool{}
		for n := 0; n <= 1000; n++ {
			need[PluralForm(l, n)] = true
		}
		for id := range c.plurals[EN] {
			forms, ok := c.plurals[l][id]
			if !ok {
				if l != EN && slices.Contains(c.keys[l], id) {
					out = append(out, fmt.Sprintf("%s %s: not a plural", l, id))
				}
				continue
			}
			var lack []string
			for _, f := range []Form{One, Few, Many, Other} {
				if need[f] && !slices.Contains(forms, f) {
					lack = append(lack, formName(f))
				}
			}
			if len(lack) > 0 {
				out = append(out, fmt.Sprintf("%s %s: %s", l, id, strings.Join(lack, ", ")))
			}
		}
	}
	slices.Sort(out)
	return out
}

func formName(f Form) string {
	switch f {
	case One:
		return "one"
	case Few:
		return "few"
	case Many:
		return "many"
	}
	return "other"
}

// Has reports whether l's files hold message id.
func (c *Catalog) Has(l Lang, id string) bool {
	_, found := slices.BinarySearch(c.keys[l], id)
	return found
}

// Text is message id in l with data's values put in ({{.Name}}), or false if l's files lack
// it (never another language's text silently: the completeness check keeps that from
// shipping).
func (c *Catalog) Text(l Lang, id string, data ...map[string]any) (string, bool) {
	if !c.Has(l, id) {
		return "", false
	}
	cfg := &i18n.LocalizeConfig{MessageID: id}
	if len(data) > 0 {
		cfg.TemplateData = data[0]
	}
	s, err := c.localizers[l].Localize(cfg)
	return s, err == nil
}

// Count is plural message id in l for the count n, with {{.Count}} and data's values put in.
func (c *Catalog) Count(l Lang, id string, n int, data map[string]any) (string, bool) {
	if !c.Has(l, id) {
		return "", false
	}
	td := map[string]any{"Count": n}
	for k, v := range data {
		td[k] = v
	}
	s, err := c.localizers[l].Localize(&i18n.LocalizeConfig{MessageID: id, PluralCount: n, TemplateData: td})
	return s, err == nil
}

// Raw is message id of l as its file writes it, values unfilled ({{.Name}} kept): for
// matching English messages by their text (web.Say).
func (c *Catalog) Raw(l Lang, id string) (string, bool) {
	s, ok := c.raw[l][id]
	return s, ok
}
