package i18n

import (
	"fmt"
	"io/fs"
	"slices"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
)

// Catalog is the interface's texts in every language, read from one TOML file per
// language (web/locales/en.toml, ru.toml, kk.toml) that a translator edits without Go.
type Catalog struct {
	bundle     *i18n.Bundle
	localizers map[Lang]*i18n.Localizer
	keys       map[Lang][]string
}

// LoadCatalog reads every language's file from dir ("en.toml" ...). A file that is missing
// or does not parse is an error: the server must not start with half a language.
func LoadCatalog(dir fs.FS) (*Catalog, error) {
	c := &Catalog{bundle: i18n.NewBundle(EN.Tag()), localizers: map[Lang]*i18n.Localizer{}, keys: map[Lang][]string{}}
	c.bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	for _, l := range Langs {
		name := string(l) + ".toml"
		data, err := fs.ReadFile(dir, name)
		if err != nil {
			return nil, fmt.Errorf("catalog %s: %w", name, err)
		}
		mf, err := c.bundle.ParseMessageFileBytes(data, name)
		if err != nil {
			return nil, fmt.Errorf("catalog %s: %w", name, err)
		}
		for _, m := range mf.Messages {
			c.keys[l] = append(c.keys[l], m.ID)
		}
		slices.Sort(c.keys[l])
		c.localizers[l] = i18n.NewLocalizer(c.bundle, string(l))
	}
	return c, nil
}

// Keys are the message ids l's file holds, sorted.
func (c *Catalog) Keys(l Lang) []string { return c.keys[l] }

// Missing lists, per language, the keys of the English catalog its file lacks.
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

// Text is message id in l, or false if l's file lacks it (never another language's text
// silently: the completeness check keeps that from shipping).
func (c *Catalog) Text(l Lang, id string) (string, bool) {
	if _, found := slices.BinarySearch(c.keys[l], id); !found {
		return "", false
	}
	s, err := c.localizers[l].Localize(&i18n.LocalizeConfig{MessageID: id})
	return s, err == nil
}
