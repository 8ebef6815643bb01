package web

import (
	"context"
	"regexp"
	"strings"
	"sync"

	"github.com/whereas/whereas/internal/i18n"
)

// Messages the domain and the server write for users (validation messages, error pages:
// tracker.Errorf, tracker.FieldErrors) are written in English, which the API answers with
// as its contract. Pages translate them with Say, by their English text, through the
// catalogs' "msg." keys: a translator sees an ordinary key with its English text, and the
// domain stays free of languages.
//
// An English text with values in it is written with them as {{.Name}}: "Keep the title
// under {{.Max}} characters." matches the message with any value there, and the value is
// put into the translation as it is (or translated itself, where it is a message too).

type sayPattern struct {
	id    string
	re    *regexp.Regexp
	names []string
}

var sayIndex = sync.OnceValues(func() (map[string]string, []sayPattern) {
	exact := map[string]string{}
	var patterns []sayPattern
	reValue := regexp.MustCompile(`\\\{\\\{\\\.([A-Za-z]+)\\\}\\\}`)
	for _, id := range catalog.Keys(i18n.EN) {
		if !strings.HasPrefix(id, "msg.") {
			continue
		}
		english, _ := catalog.Raw(i18n.EN, id)
		if !strings.Contains(english, "{{") {
			exact[english] = id
			continue
		}
		var names []string
		expr := reValue.ReplaceAllStringFunc(regexp.QuoteMeta(english), func(m string) string {
			names = append(names, reValue.FindStringSubmatch(m)[1])
			return `(.+?)`
		})
		patterns = append(patterns, sayPattern{id: id, re: regexp.MustCompile("^" + expr + "$"), names: names})
	}
	return exact, patterns
})

// Say is a message written in English by the domain or the server, in the page's
// language; a message the catalogs do not know is shown as it was written.
func Say(ctx context.Context, english string) string {
	if Lang(ctx) == i18n.EN || english == "" {
		return english
	}
	exact, patterns := sayIndex()
	if id, ok := exact[english]; ok {
		return T(ctx, id)
	}
	for _, p := range patterns {
		m := p.re.FindStringSubmatch(english)
		if m == nil {
			continue
		}
		kv := make([]any, 0, 2*len(p.names))
		for i, name := range p.names {
			kv = append(kv, name, Say(ctx, m[i+1]))
		}
		return T(ctx, p.id, kv...)
	}
	return english
}
