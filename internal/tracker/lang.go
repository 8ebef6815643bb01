package tracker

import (
	"strings"
	"unicode"
)

// kazakhLetters are the Cyrillic letters Kazakh writes and Russian does not.
const kazakhLetters = "әғқңөұүһіӘҒҚҢӨҰҮҺІ"

// ScriptLang is the language tag a name written in another script than the page's English
// should carry, so screen readers read it with the right voice: "kk" for Cyrillic with a
// letter only Kazakh uses (ә ғ қ ң ө ұ ү һ і), "ru" for other Cyrillic, and "" for a name in
// Latin letters (or in a script it cannot tell).
func ScriptLang(name string) string {
	cyrillic := false
	for _, r := range name {
		if strings.ContainsRune(kazakhLetters, r) {
			return "kk"
		}
		cyrillic = cyrillic || unicode.Is(unicode.Cyrillic, r)
	}
	if cyrillic {
		return "ru"
	}
	return ""
}
