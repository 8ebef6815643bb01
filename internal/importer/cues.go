package importer

import (
	"regexp"
	"strings"
)

// What a candidate's cue says about them. "civil society activist Max Bokayev" gives the
// role "civil society activist"; "Erlan Baltabay, another trade union activist from
// Shymkent" gives "trade union activist" and the place "Shymkent"; "Shymkent-based activist
// Ardak Ashim" gives the place too. Titles and phrases such as "Mr" or "the case of" say
// nothing of a role.

// roleNouns are the cue words that name a role, with their singular.
var roleNouns = map[string]string{
	"activist": "activist", "activists": "activist", "journalist": "journalist", "journalists": "journalist",
	"lawyer": "lawyer", "lawyers": "lawyer", "blogger": "blogger", "bloggers": "blogger",
	"human rights defender": "human rights defender", "human rights defenders": "human rights defender",
	"trade unionist": "trade unionist", "trade unionists": "trade unionist", "union leader": "union leader", "union leaders": "union leader",
	"poet": "poet", "poets": "poet", "businessman": "businessman", "businesswoman": "businesswoman", "businessmen": "businessman",
	"writer": "writer", "writers": "writer", "politician": "politician", "politicians": "politician",
}

// reQualifier is the words before a role noun that belong to the role: "civil society"
// activist, "trade" union leader.
var reQualifier = regexp.MustCompile(`(?i)\b((?:civil society|trade union|trade|human rights|women's rights|opposition|environmental|independent|anti-corruption|labour|labor|land rights|political|civic|religious|youth)\s+)$`)

// roleFromCue is the role a cue found before a name gives: the cue's role noun in the
// singular, with the words before it that qualify it. before is the text up to the cue.
func roleFromCue(cue, before string) string {
	role, ok := roleNouns[strings.ToLower(cue)]
	if !ok {
		return ""
	}
	if m := reQualifier.FindStringSubmatch(before); m != nil && !strings.HasPrefix(role, strings.ToLower(strings.TrimSpace(m[1]))) {
		role = strings.ToLower(m[1]) + role
	}
	return role
}

// roleAfterName is the role phrase of "Name, a trade union leader": the words the
// expression caught, made singular at the end.
func roleAfterName(phrase string) string {
	words := strings.Fields(strings.ToLower(phrase))
	if len(words) == 0 {
		return ""
	}
	if s, ok := roleNouns[words[len(words)-1]]; ok {
		words[len(words)-1] = s
	}
	return strings.Join(words, " ")
}

var (
	placeName = `(\p{Lu}[\p{Ll}’'\-]+(?:\s+\p{Lu}[\p{Ll}’'\-]+)?)`
	// "from Almaty", "based in Shymkent", "a native of Aktau", after the name or its role.
	rePlaceAfter = regexp.MustCompile(`^[^;.]{0,80}?\b(?:from|based in|native of|resident of|living in)\s+` + placeName)
	// "Shymkent-based activist": just before the cue.
	rePlaceBefore = regexp.MustCompile(`(\p{Lu}[\p{Ll}]+)-based\s+(?:[\p{Ll}\-]+\s+){0,3}$`)
	months        = map[string]bool{"January": true, "February": true, "March": true, "April": true, "May": true, "June": true, "July": true,
		"August": true, "September": true, "October": true, "November": true, "December": true}
)

// placeNear is the place the words around a name give: "X-based" just before the cue
// (before is the text up to the cue), or "from X" in the same sentence after the name or
// its role (after is the text from there on). "" when they give none.
func placeNear(before, after string) string {
	if m := rePlaceBefore.FindStringSubmatch(before); m != nil && !notNames[m[1]] {
		return m[1]
	}
	if m := rePlaceAfter.FindStringSubmatch(after); m != nil {
		p := m[1]
		if first := strings.Fields(p)[0]; !months[first] && !notNames[first] {
			return p
		}
	}
	return ""
}
