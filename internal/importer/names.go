package importer

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/whereas/whereas/internal/tracker"
)

// Every name a text gives, cue or no cue: "President Zelenskyy", "Vladimir Putin", "Maria
// Lvova-Belova", "and Erlan Baltabay, another trade union activist". The text is cut into
// words once; runs of capitalised words standing next to each other (only spaces between
// them) are names unless their words belong to the lists below: institutions, states,
// places, treaties, months, the EP's own words. A run is cut at such a word, and what is
// left of two words or more is a person; one word alone is a person only after a title
// ("President Zelenskyy", "judge Ivanov") or in a Russian, Kazakh, Ukrainian, Armenian or
// Georgian surname form ("Tokayev", "Lukashenko", "Kobakhidze"). A run whose words end in
// an organisation's word (Union, Party, Movement, Foundation, Committee, Centre …), or that
// an acronym in brackets follows ("Democratic Choice of Kazakhstan (DVK)"), is an
// organisation, unless it is one of the bodies every resolution names (the EU's and the
// UN's institutions, courts, parliaments). The work grows with the length of the text.

// nameFound is a name in a clause, at byte offsets.
type nameFound struct {
	start, end int
	kind       tracker.EntityType
	cue        string // the title before it ("President"), or what made it an organisation
}

// word is a word of a clause: letters, digits, marks, inner hyphens and apostrophes.
type word struct {
	start, end int    // bytes, without a possessive ’s
	text       string // text[start:end]
	possessive bool   // "Putin’s": the name ends here
	plural     bool   // "Lawyers’": a plural possessive, which may stand inside an organisation's name
	joined     bool   // only spaces stand between this word and the one before
	sentence   bool   // the first word of the clause or of a sentence
}

func (w word) capitalised() bool {
	r, size := utf8.DecodeRuneInString(w.text)
	if !unicode.IsUpper(r) {
		return false
	}
	for _, r := range w.text[size:] {
		if unicode.IsLower(r) {
			return true
		}
	}
	return false
}

func (w word) acronym() bool {
	letters, digits := 0, 0
	for _, r := range w.text {
		switch {
		case unicode.IsLower(r):
			return false
		case unicode.IsLetter(r):
			letters++
		case unicode.IsDigit(r):
			digits++
		}
	}
	return letters >= 2 || letters == 1 && digits > 0 && unicode.IsUpper([]rune(w.text)[0]) // "N1"
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// words cuts a clause into words, in one pass.
func words(text string) []word {
	var out []word
	prevEnd := 0
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(r) {
			i += size
			continue
		}
		start := i
		for i < len(text) {
			r, size = utf8.DecodeRuneInString(text[i:])
			if isWordRune(r) {
				i += size
				continue
			}
			// An inner hyphen, apostrophe, dot or slash: "Lvova-Belova", "O’Flaherty",
			// "Ratel.kz", "Radio Free Europe/Radio Liberty".
			if r == '-' || r == '‐' || r == '\'' || r == '’' || r == '.' || r == '/' && i > start && unicode.IsUpper(rune(text[start])) {
				if n, _ := utf8.DecodeRuneInString(text[i+size:]); i+size < len(text) && unicode.IsLetter(n) {
					i += size
					continue
				}
			}
			break
		}
		w := word{start: start, end: i}
		for _, s := range []string{"’s", "'s", "’", "'"} {
			if strings.HasSuffix(text[start:i], s) && i-len(s) > start {
				w.end, w.possessive = i-len(s), true
				break
			}
		}
		if end := i; end < len(text) && strings.HasSuffix(text[start:i], "s") {
			if r, _ := utf8.DecodeRuneInString(text[end:]); r == '’' || r == '\'' {
				w.possessive, w.plural = true, true // "Lawyers’"
			}
		}
		w.text = text[w.start:w.end]
		gap := text[prevEnd:start]
		if w.plural {
			gap = strings.TrimLeft(gap, "’'")
		}
		w.joined = len(out) > 0 && (!out[len(out)-1].possessive || out[len(out)-1].plural) && strings.TrimFunc(strings.TrimLeft(gap, "’'"), unicode.IsSpace) == ""
		w.sentence = len(out) == 0 || strings.ContainsAny(gap, ".;:!?()“”\"«»")
		out = append(out, w)
		prevEnd = i
	}
	return out
}

// findNames lists the names of people and organisations in a clause, in order.
func findNames(text string) []nameFound {
	ws := words(text)
	var out []nameFound
	list, listKind := -1, noCue // where a list of organisations a plural noun announced may go on after a comma
	for i := 0; i < len(ws); {
		if !ws[i].capitalised() && !ws[i].acronym() {
			i++
			continue
		}
		// The run: capitalised words and acronyms, and the small words of names and
		// organisations between two of them ("Confederation of Independent Trade Unions of
		// Kazakhstan", "Ursula von der Leyen").
		j := i + 1
		for j < len(ws) && ws[j].joined {
			if ws[j].capitalised() || ws[j].acronym() || prefixed(ws[j].text) {
				j++
				continue
			}
			k := j
			for k < len(ws) && ws[k].joined && (connectors[ws[k].text] || particles[ws[k].text]) {
				k++
			}
			if k > j && k < len(ws) && ws[k].joined && ws[k].capitalised() {
				j = k
				continue
			}
			if patronymics[ws[j].text] { // "Makhabat Tazhibek kyzy"
				j++
			}
			break
		}
		cue := cueBefore(ws[:i], ws[i])
		if cue == noCue && list >= 0 && strings.TrimSpace(text[list:ws[i].start]) == "," {
			cue = listKind // "the websites of Kloop, Temirov Live and Ait Ait Dese"
		}
		list = -1
		// "the Media Policy Institute and Adilet Legal Clinic": two names, cut at the "and"
		// after an organisation's word, before "the" or "of", before another organisation's own name
		// (but not in "Xinjiang Production and Construction Corps"), or at every "and" of a
		// list a plural noun announced.
		for from, k := i, i; k <= j; k++ {
			if k < j && !(ws[k].text == "and" && k > from && k+1 < j && (connectors[ws[k+1].text] || orgHeads[ws[k-1].text] || ws[k+1].text == "the" ||
				(cue == listCue || cue == roleListCue) && !oneName(ws[k+1:j]) ||
				!commonWord(ws[k+1]) && slices.ContainsFunc(ws[k+1:j], isHead))) {
				continue
			}
			run := ws[from:k]
			c := cue
			if from > i && cue != listCue && cue != roleListCue {
				c = noCue
			}
			if w := ws[from]; c == noCue && k == from+1 && from > 0 && ws[from-1].text == "the" && w.joined && !w.sentence && !w.possessive &&
				w.capitalised() && !commonWord(w) && !peoples[w.text] && !nameTitles[w.text] && !surnameForm(w.text) && !adjective(text[w.end:]) {
				// "the Basij", "the Mejlis": one word of its own after "the" is no person's name.
				c = strongCue
			}
			if k == j && (c == noCue || c == roleCue || c == roleListCue) && cueAfter(text[ws[j-1].end:]) {
				c = tailCue
			}
			if org, at, ok := organisation(run, text, c); ok {
				out = append(out, people(run[:at], ws[:from])...)
				out = append(out, org)
				if cue == listCue || cue == roleListCue {
					list, listKind = org.end, cue
				}
			} else {
				out = append(out, people(run, ws[:from])...)
			}
			from = k + 1
		}
		i = j
	}
	return out
}

func isHead(w word) bool { return orgHeads[w.text] }

// oneName reports whether the words after an "and" of a list end the name before it:
// common words up to an organisation's word, with no other "and" ("Xinjiang Production and
// Construction Corps", but not "Save Ukraine and Election Monitoring and Democracy Studies
// Centre").
func oneName(rest []word) bool {
	for _, w := range rest {
		switch {
		case w.text == "and" || !commonWord(w):
			return false
		case orgHeads[w.text]:
			return true
		}
	}
	return false
}

// orgCue is what the words around a run say of it.
type orgCue int

const (
	noCue       orgCue = iota
	strongCue          // a noun says what it is: "the media outlet Batumelebi", "the Georgian Dream party"
	listCue            // a plural noun announces a list: "the media outlets Batumelebi and Netgazeti"
	roleCue            // someone's role in it: "the founder of Apple Daily", "the head of the National Security Committee"
	roleListCue        // the role of several: "the websites of Kloop, Temirov Live and Ait Ait Dese"
	tailCue            // a noun after it says what it is: "the Georgian Dream party", "Galym Ageleuov of the Liberty human rights organisation"
)

// cueBefore reads the words before a run: "the (independent media) outlet", "organisations
// such as", "the founder of", "the Netherlands-based".
func cueBefore(before []word, first word) orgCue {
	i := len(before) - 1
	if i < 0 || !first.joined {
		return noCue
	}
	if determiners[before[i].text] {
		if i == 0 || !before[i].joined {
			return noCue
		}
		i--
	}
	w := strings.ToLower(before[i].text)
	switch {
	case orgNouns[w]:
		if strings.HasSuffix(w, "s") && w != "press" {
			return listCue
		}
		return strongCue
	case strings.HasSuffix(w, "-based"):
		return strongCue
	case w == "as" && i > 0 && before[i-1].text == "such":
		for k := i - 2; k >= max(i-5, 0); k-- {
			if orgNouns[strings.ToLower(before[k].text)] {
				return listCue
			}
		}
	case w == "of" && i > 0 && before[i].joined:
		k := i - 1
		if determiners[before[k].text] && k > 0 {
			k--
		}
		if r := strings.ToLower(before[k].text); orgRoles[r] && strings.HasSuffix(r, "s") {
			return roleListCue
		} else if orgRoles[r] {
			return roleCue
		}
	}
	return noCue
}

// cueAfter reads the words after a run: "human rights organisation", "news site", "party".
func cueAfter(after string) bool {
	if len(after) > 120 {
		after = after[:120]
		if i := strings.LastIndexByte(after, ' '); i > 0 {
			after = after[:i]
		}
	}
	if !strings.HasPrefix(after, " ") {
		return false
	}
	fs := strings.Fields(after)
	for n, f := range fs {
		if n > 3 {
			break
		}
		f = strings.TrimRight(f, ",;:.)")
		if orgNouns[f] && !strings.HasSuffix(f, "s") {
			return true
		}
		if !orgModifiers[f] || f != fs[n] {
			break
		}
	}
	return false
}

// organisation finds an organisation's name in a run: from the words before its first
// organisation word ("Viasna Human Rights Centre", "Confederation of Independent Trade
// Unions of Kazakhstan", "Human Rights Centre Viasna") to the run's end, or the whole run
// when an acronym in brackets follows it ("Democratic Choice of Kazakhstan (DVK)") or the
// words around it say what it is (cue). at is where it starts in the run.
func organisation(run []word, text string, cue orgCue) (found nameFound, at int, ok bool) {
	a := 0
	if cue == tailCue { // "Galym Ageleuov of the Liberty": the name is what follows the last "of the"
		for i := len(run) - 1; i > 0; i-- {
			if run[i].text == "of" || run[i].text == "the" {
				a = i + 1
				break
			}
		}
	}
	for a < len(run) && (leading[run[a].text] || connectors[run[a].text] || nameTitles[run[a].text] || titleWords[run[a].text] ||
		strings.HasSuffix(run[a].text, "-based") || run[a].acronym() && orgNouns[strings.ToLower(run[a].text)]) {
		if cue != noCue && orgHeads[run[a].text] && a == len(run)-1 { // "the opposition movement Group 24"
			break
		}
		switch {
		case strings.HasSuffix(run[a].text, "-based") || run[a].acronym(): // "the Netherlands-based Turkmen.news", "the NGO Kloop"
			cue = strongCue
		case run[a].text == "of" && a > 0 && cue == noCue && orgRoles[strings.ToLower(run[a-1].text)]: // "First Deputy Chair of the Mejlis"
			cue = roleCue
		}
		a++
	}
	b := len(run)
	for b > a && (connectors[run[b-1].text] || particles[run[b-1].text]) {
		b--
	}
	if b == a {
		return nameFound{}, 0, false
	}
	if _, ok := match(run[a:b], boilerplateOrgs); ok {
		return nameFound{}, 0, false
	}
	if o, ok := match(run[a:b], knownOrgs); ok {
		a, b = a+o[0], a+o[1]
		cue = strongCue
	}
	h := -1
	for i := a; i < b; i++ {
		// "Union" in "Trade Union law" ends no organisation; "Unions" of a confederation does;
		// so does "Centre" in "Human Rights Centre Viasna".
		if orgHeads[run[i].text] && (i == b-1 || connectors[run[i+1].text] || b-i <= 3 && !slices.ContainsFunc(run[i+1:b], func(w word) bool {
			return commonWord(w) || nameTitles[w.text] // "Party Secretary Chen Quanguo"
		})) {
			h = i
			break
		}
	}
	after := strings.TrimLeftFunc(text[run[b-1].end:], unicode.IsSpace)
	acronym := acronymInBrackets(after)
	switch {
	case h >= 0 && cue == noCue:
		// Back from the organisation's word over its name: "Azerbaijan Democracy and
		// Prosperity Party", not "Leader of the Democratic Party" nor "Tokayev’s Amanat Party".
		s := h
		for s > a && (!run[s-1].possessive || run[s-1].plural) && (!connectors[run[s-1].text] || run[s-1].text == "and" && s-1 > a && run[s-2].capitalised()) {
			s--
		}
		if s > 1 && connectors[run[s-1].text] && legal[run[s-2].text] { // "the Law on Public Association"
			return nameFound{}, 0, false
		}
		a = s
	case cue != noCue:
		// "the movement Alga Karakalpakstan in Norway", "the online magazine Novy Fokus in
		// Khakassia": the place after "in" is not the name's.
		for i := a + 1; i < b; i++ {
			if run[i].text == "in" {
				b = i
				break
			}
		}
	case !acronym:
		return nameFound{}, 0, false
	default:
		for i := a; i < b; i++ {
			if run[i].text == "and" {
				a = i + 1
			}
		}
	}
	org := run[a:b]
	if len(org) == 0 || len(org) == 1 && cue == noCue {
		return nameFound{}, 0, false
	}
	own, head, people := false, false, slices.Contains(placePhrases(org), true)
	ngo := slices.ContainsFunc(org, func(w word) bool { return ngoHeads[w.text] })
	for _, w := range org {
		// "European" is the EU's ("European Commission") unless an organisation's own word
		// follows ("European Trade Union Confederation"); "EU-Kazakhstan Cooperation Council".
		if orgBoilerplate[w.text] && !(w.text == "European" && ngo) || boilerplatePart(w.text) ||
			legal[w.text] && !orgHeads[w.text] && h < 0 && cue != strongCue && cue != tailCue {
			return nameFound{}, 0, false
		}
		head = head || orgHeads[w.text]
		own = own || !commonWord(w) && !w.acronym()
		people = people || peoples[w.text] || places[w.text]
	}
	start, end := org[0].start, org[len(org)-1].end
	if cue == strongCue || cue == tailCue {
		// "the youth movement Oyan, Qazaqstan", "the Alga, Kazakhstan party": a name with a
		// comma before a place.
		if w, ok := commaPlaceAfter(text[end:]); ok && cue == strongCue {
			end += w
		} else if w, ok := commaNameBefore(text[:start]); ok && cue == tailCue && len(org) == 1 && places[org[0].text] {
			start -= w
			people = false
		}
	}
	switch cue {
	case strongCue, listCue, tailCue:
		// Anything but a place or a people ("the Kazakh opposition party" names none), and
		// not the last of a list of words ("the Woman, Life, Freedom movement").
		if !slices.ContainsFunc(org, func(w word) bool { return !places[w.text] && !peoples[w.text] && !connectors[w.text] }) && people ||
			len(org) == 1 && commonWord(org[0]) && strings.HasSuffix(strings.TrimRightFunc(text[:org[0].start], unicode.IsSpace), ",") {
			return nameFound{}, 0, false
		}
	case roleCue, roleListCue:
		// "the head of the National Security Committee", "the founder of Apple Daily", not
		// "the members of the Pamiri minority" nor "the President of the Republic of Kazakhstan".
		if !own && !head || adjective(text[org[len(org)-1].end:]) {
			return nameFound{}, 0, false
		}
	default:
		switch {
		case acronym && !own && !head && !people:
			return nameFound{}, 0, false
		case !acronym && !own && !people && (!ngoHeads[run[h].text] || h-a < 2 && h == len(org)-1+a):
			// "the Security Council" and "the National Assembly" are no organisation to
			// follow; "the Media Policy Institute" and "the World Uyghur Congress" are.
			return nameFound{}, 0, false
		}
	}
	if cue != noCue { // "Group 24"
		rest := strings.TrimLeft(text[end:], " ")
		if d := strings.IndexFunc(rest, func(r rune) bool { return !unicode.IsDigit(r) }); d != 0 && rest != "" && len(rest) < len(text[end:]) {
			if d < 0 {
				d = len(rest)
			}
			if r, _ := utf8.DecodeRuneInString(rest[d:]); !unicode.IsLetter(r) {
				end = len(text) - len(rest) + d
			}
		}
	}
	return nameFound{start: start, end: end, kind: tracker.OrganisationEntity, cue: CueOrganisation}, a, true
}

// commaPlaceAfter reads ", Qazaqstan" after a name, followed by the end of the phrase; w is
// its length in bytes.
func commaPlaceAfter(after string) (w int, ok bool) {
	rest, found := strings.CutPrefix(after, ", ")
	if !found {
		return 0, false
	}
	i := strings.IndexFunc(rest, func(r rune) bool { return !isWordRune(r) })
	if i < 0 {
		i = len(rest)
	}
	next, _ := utf8.DecodeRuneInString(rest[i:])
	if !places[rest[:i]] || unicode.IsLetter(next) || i < len(rest) && next == ' ' && !unicode.IsLower([]rune(rest[i+1:] + "x")[0]) {
		return 0, false
	}
	return len(", ") + i, true
}

// commaNameBefore reads "Alga, " before a place that a noun after names as an
// organisation ("the Alga, Kazakhstan party"); w is its length in bytes.
func commaNameBefore(before string) (w int, ok bool) {
	rest, found := strings.CutSuffix(before, ", ")
	if !found {
		return 0, false
	}
	i := len(rest)
	for i > 0 {
		r, size := utf8.DecodeLastRuneInString(rest[:i])
		if !isWordRune(r) {
			break
		}
		i -= size
	}
	name := word{text: rest[i:]}
	if !name.capitalised() || commonWord(name) {
		return 0, false
	}
	return len(before) - i, true
}

// boilerplatePart reports whether a hyphenated word joins the EU or the UN to another:
// "EU-Kazakhstan", "UN-backed".
func boilerplatePart(s string) bool {
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '‐' }) {
		if part != s && orgBoilerplate[part] {
			return true
		}
	}
	return false
}

// adjective reports whether the word after a name makes it an adjective: "the Pamiri
// minority", "the Karakalpak diaspora". Words that may follow a name are not nouns.
func adjective(after string) bool {
	if !strings.HasPrefix(after, " ") {
		return false
	}
	f, _, _ := strings.Cut(strings.TrimLeft(after, " "), " ")
	r, _ := utf8.DecodeRuneInString(f)
	return unicode.IsLower(r) && !followers[strings.TrimRight(f, ",;:.")]
}

// commonWord reports whether a word is one of the lists': a place, a body, a title, a
// common word of organisations, not a name of its own.
func commonWord(w word) bool {
	return generic[w.text] || orgHeads[w.text] || connectors[w.text] || bodyWords[w.text] || places[w.text] ||
		leading[w.text] || legal[w.text] || calendar[w.text] || titleWords[w.text]
}

// match finds in a run one of a list of names of several words, or of one word that is
// the whole run.
func match(run []word, names [][]string) (span [2]int, ok bool) {
	for i := range run {
		for _, o := range names {
			if (len(o) > 1 || len(run) == 1) && i+len(o) <= len(run) && slices.EqualFunc(run[i:i+len(o)], o, func(w word, s string) bool { return w.text == s }) {
				return [2]int{i, i + len(o)}, true
			}
		}
	}
	return span, false
}

// acronymInBrackets reports whether text starts with "(CITUK)".
func acronymInBrackets(text string) bool {
	inner, _, ok := strings.Cut(strings.TrimPrefix(text, "("), ")")
	if !ok || !strings.HasPrefix(text, "(") || len(inner) < 2 || len(inner) > 12 {
		return false
	}
	return word{text: inner}.acronym() && !strings.ContainsFunc(inner, unicode.IsSpace)
}

// people reads a run as the names of people: cut at the words no name holds, with a title
// kept as the cue of the name after it. before are the clause's words before the run.
func people(run []word, before []word) []nameFound {
	if len(run) == 0 {
		return nil
	}
	var out []nameFound
	cue := ""
	if len(before) > 0 && run[0].joined && lowerTitles[strings.ToLower(before[len(before)-1].text)] {
		cue = before[len(before)-1].text
	}
	var cur []word
	placeNext := false // "the Nagatinsky District Court": a word before a district is a place's
	flush := func() {
		for len(cur) > 0 && particles[cur[len(cur)-1].text] && !patronymics[cur[len(cur)-1].text] {
			cur = cur[:len(cur)-1]
		}
		n := len(cur)
		if n == 0 || n > 5 || n == 1 && cue == "" && (!surnameForm(cur[0].text) || cur[0].sentence || placeNext) {
			cur, cue = nil, ""
			return
		}
		out = append(out, nameFound{start: cur[0].start, end: cur[n-1].end, kind: tracker.PersonEntity, cue: cue})
		cur, cue = nil, ""
	}
	inPlace := placePhrases(run)
	for i, w := range run {
		placeNext = i+1 < len(run) && districts[run[i+1].text]
		switch {
		case len(cur) > 0 && capitalSurname(w): // "Ales BIALIATSKI"
			cur = append(cur, w)
		case nameTitles[w.text]:
			flush()
			cue = w.text
		case notName(w) || connectors[w.text]:
			flush()
		case particles[w.text] && len(cur) == 0:
		case particles[w.text] || prefixed(w.text):
			cur = append(cur, w)
		case !w.capitalised() || inPlace[i]:
			flush()
		default:
			cur = append(cur, w)
			if w.possessive {
				flush()
			}
		}
	}
	flush()
	return out
}

// capitalSurname reports whether a word in capitals is a surname written as some lists
// write them ("Ales BIALIATSKI", "Nasta LOIKA"), not an acronym: four letters or more,
// vowels among them, and none of the lists' words.
func capitalSurname(w word) bool {
	if !w.acronym() || utf8.RuneCountInString(w.text) < 4 || commonWord(w) || orgBoilerplate[w.text] {
		return false
	}
	vowels, letters := 0, 0
	for _, r := range w.text {
		if !unicode.IsLetter(r) {
			return false
		}
		letters++
		if strings.ContainsRune("AEIOUYАЕЁИОУЫЭЮЯІЎӘӨҮҰ", r) {
			vowels++
		}
	}
	return vowels*4 >= letters && vowels < letters
}

// prefixed reports whether a word is a name's particle joined to it: "al-Sisi", "el-Fattah".
func prefixed(s string) bool {
	p, rest, ok := strings.Cut(s, "-")
	r, _ := utf8.DecodeRuneInString(rest)
	return ok && particles[p] && unicode.IsUpper(r)
}

// placePhrases marks the words of a run that belong to a place of several words: "Hong
// Kong", but not "Hoang Thi Minh Hong"; "El Salvador", but not "Alaa Abd El-Fattah".
func placePhrases(run []word) []bool {
	out := make([]bool, len(run))
	for i := range run {
		for _, p := range placesOfWords {
			if i+len(p) <= len(run) && slices.EqualFunc(run[i:i+len(p)], p, func(w word, s string) bool { return w.text == s }) {
				for k := range p {
					out[i+k] = true
				}
			}
		}
	}
	return out
}

// notName reports whether a word is never part of a personal name.
func notName(w word) bool {
	if w.acronym() || leading[w.text] || places[w.text] || bodyWords[w.text] || legal[w.text] || calendar[w.text] || titleWords[w.text] || generic[w.text] {
		return true
	}
	// "Nazarbayev-era", "EU-Kazakhstan": a hyphenated word with a part no name holds.
	if strings.ContainsAny(w.text, "-‐") {
		for _, part := range strings.FieldsFunc(w.text, func(r rune) bool { return r == '-' || r == '‐' }) {
			if places[part] || bodyWords[part] || part == "EU" || part == "UN" ||
				!unicode.IsUpper([]rune(part)[0]) && !particles[part] && !strings.HasPrefix(strings.ToLower(part), "ul") && !syllables(w.text) {
				return true
			}
		}
	}
	return false
}

// syllables reports whether a hyphenated word is a Cantonese or Korean given name, two
// short syllables the second of which is not capitalised: "Hang-tung", "Ka-chiu",
// "Man-yee" (but not "Anti-war" or "Nazarbayev-era").
func syllables(s string) bool {
	a, b, ok := strings.Cut(s, "-")
	n, m := utf8.RuneCountInString(a), utf8.RuneCountInString(b)
	return ok && n >= 2 && n <= 5 && m >= 2 && m <= 5 && !strings.Contains(b, "-") && !prefixes[a]
}

// surnameForm reports whether one word alone looks like a surname of the region the EP's
// urgencies are most often about: Russian, Belarusian, Ukrainian, Kazakh, Armenian, Georgian.
func surnameForm(s string) bool {
	if utf8.RuneCountInString(s) < 5 {
		return false
	}
	for _, end := range []string{"ov", "ova", "ev", "eva", "yev", "yeva", "in", "ina", "sky", "skiy", "skaya", "ski", "enko", "ovich", "evich", "ovna", "evna", "uly", "kyzy", "yan", "shvili", "dze", "bayev", "bekov"} {
		if strings.HasSuffix(s, end) {
			return true
		}
	}
	return false
}

func set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

var (
	// connectors join the words of an organisation's name; particles those of a person's.
	connectors = set("of for the on in against and")
	particles  = set("von van der den de da di du del della la le al el bin ibn ben abu zu ut kyzy uly qizi ogly oglu")
	// patronymics may end a name: "Makhabat Tazhibek kyzy".
	patronymics = set("kyzy uly qizi ogly oglu")
	// titles stand before a name: "President Zelenskyy", "Prime Minister Irakli Kobakhidze".
	nameTitles = set(`Mr Ms Mrs Dr Mx Sir Dame Prof Professor President Vice-President Minister Commissioner Ombudsman Ombudsperson
		Judge Justice Prosecutor Prosecutor-General Patriarch Metropolitan Archbishop Bishop Cardinal Pope Father Pastor Imam Rabbi Sheikh
		Ayatollah Leader Chairman Chairwoman Chairperson Chair Speaker Governor Mayor General Colonel Lieutenant Captain Major Marshal Senator
		Ambassador Secretary-General Secretary Director Director-General Chancellor King Queen Prince Princess Emir Sultan Premier Deputy
		Representative Rapporteur Head Chief Executive Lawyer Journalist Activist Candidate Colleague Counsel Abbot Sister Brother Elder Hegumen`)
	// lowerTitles before a name make a lone surname a name: "judge Ivanov", "leader Navalny".
	lowerTitles = set(`mr ms mrs dr president minister commissioner ombudsman judge prosecutor patriarch leader chairman speaker
		journalist journalists activist activists lawyer lawyers blogger bloggers defender defenders poet writer artist director editor
		photographer singer musician rapper priest pastor imam teacher student professor doctor economist scholar historian politician
		candidate deputy founder co-founder coordinator wife husband son daughter mother father brother sister dissident opponent critic
		prisoner members member mp mps researcher academic businessman businesswoman trade unionist unionists`)
	// titleWords are the other words of titles and offices.
	titleWords = set(`Prime Vice High Presidential Deputy Chief Supreme Acting Former Late Honorary Special Permanent First Grand Chairman`)
	// leading are the capitalised words that start a sentence or a clause, and the EP's verbs.
	leading = set(`The A An This These That Those Its His Her Their Our Your My In On At Of For With By From To And Or But Nor As Since
		While Whereas Having Also Furthermore Moreover However Therefore Thus Hence According Following Despite During After Before Under
		Both All Any Every Each Many Most Several Some Such Other Only Further Between Among Amongst Against Within Without Through Throughout
		Including Regarding Concerning Notwithstanding Until Upon Over Into Onto Via Per Amid Whilst Although Though Because Whether Which
		Who Whom Whose What When Where Why How If It He She They We I You There Here Not No Yes Is Are Was Were Has Have Had Be Been Being
		Will Would Shall Should Can Could Must Might Nos No. Part Annex Page See Calls Urges Condemns Demands Welcomes Expresses Deplores
		Stresses Reiterates Recalls Notes Insists Instructs Asks Encourages Regrets Strongly Reminds Underlines Highlights Considers Believes
		Points Emphasises Emphasizes Denounces Supports Commends Requests Invites Expects Takes Acknowledges Applauds Recognises Recognizes
		Reaffirms Rejects Appeals Pays Salutes Echoes Warns Draws Deems Finds Remains Continues Firmly Resolutely Unequivocally Once Again
		Commits Decides Proposes Agrees Shares Voices Laments Mourns Offers Extends Stands Observes Condemning Calling Urging Deeply Fully
		Vehemently Categorically Equally Similarly Meanwhile Nevertheless Nonetheless Indeed Today Yesterday Recently Currently Previously
		Whereas Considering Recalling Noting Bearing Mindful Taking Reiterating Welcoming Concerned Alarmed Shocked Outraged Appalled
		Dear Ladies Gentlemen Madam Text Texts Adopted Joint Motion Resolution Resolutions Amendment Amendments Recital Paragraph Citation
		Rule Rules Procedure Procedures Debate Debates Statement Urgency Urgencies Plenary Session Sitting Members Member MEP MEPs Group Groups
		Left Renew Greens Verts EPP ECR Patriots Sovereign Identity Democracy Democrats Socialists Christian Conservatives Reformists
		Alliance Liberals Non-attached Behalf Signed Tabled Pursuant Documents Document Report Reports Explanatory Minority Opinion
		Note Notes Footnote Source Sources OJ Ibid Id`)
	// bodyWords name institutions, bodies and groups of people, never a person.
	bodyWords = set(`European Europe's Parliament Parliamentary Council Commission Union Union's EU EEAS External Action Service Delegation
		Delegations States State Foreign Affairs Security Policy Court Courts Justice Auditors Agency Presidency Conference Presidents Committee
		Subcommittee Human Rights Right Freedom Freedoms Sakharov Prize Nobel Peace Laureate Laureates Network Partnership Cooperation
		Co-operation Agreement Agreements Enhanced Association Dialogue Dialogues Strategy Guidelines Mechanism Regime Regimes Sanctions
		Global Magnitsky Instrument Neighbourhood Eastern Western Northern Southern Central Team Eurasian Economic Area Schengen Programme
		Fund Facility Office Offices Bureau Centre Center Institute Ministry Ministries Interior Internal Defence Defense Government Governments
		Administration Authorities Authority Assembly Duma Senate Majilis Mazhilis Mazhlis Milli Majlis Verkhovna Rada Knesset National
		People People's Congress Standing Election Elections Electoral Service Services Intelligence Police Militia Guard Guards Revolutionary
		Corps Armed Forces Force Army Navy Military Prison Prisons Colony Camp Camps Detention Region Regions Oblast Province District
		Republic Republics Federation Federal Kingdom Autonomous Democratic Socialist Islamic Soviet Communist United Nations Nation UN
		General Secretariat Secretary-General OHCHR UNHCR UNICEF UNESCO UNGA UNHRC Working Arbitrary Enforced Involuntary Disappearances
		Universal Periodic Review Independent Expert Experts Fact-Finding Mission Missions Inquiry International Criminal ICC ICJ Labour
		Labor Organization Organisation Organizations Organisations ILO OSCE ODIHR Venice NATO Red Cross Crescent ICRC Interpol World Bank
		Health WHO IMF Elimination Discrimination Racial Women Woman Girls Child Children Children's Youth Minorities Minority Refugees
		Refugee Migrants Migration Asylum Persons Disabilities Torture Inhuman Degrading Treatment Punishment Observers Observation
		Party Parties Movement Movements Opposition Coalition Front Platform Church Churches Patriarchate Mosque Mosques Monastery
		Cathedral Temple Synagogue Orthodox Catholic Protestant Evangelical Pentecostal Baptist Muslim Muslims Christian Christians
		Jewish Jews Sunni Shia Shiite Buddhist Buddhists Hindu Sikh Baha'i Bahá'í Jehovah's Jehovah Witnesses Falun Gong Ahmadi Ahmadiyya
		Uyghur Uyghurs Uighur Tibetan Tibetans Kazakhs Kyrgyz Tatar Tatars Crimean Kurdish Kurds Roma Pamiri Pamiris Ismaili Rohingya
		Hazara Baloch Turkic Arab Arabs Persian LGBTI LGBTIQ LGBTQ LGBTIQ+ Pride Queer Gay Lesbian Transgender Internet Telegram Facebook
		Twitter YouTube Instagram WhatsApp TikTok VKontakte Google Apple Meta Microsoft Signal Radio Television TV Free Liberty Voice
		Press Media News Agency Times Post Gazette Daily Weekly Journal Service Foundation Fellowship Award Awards Medal Olympic Olympics
		Games Cup Holocaust Remembrance Day Days Week Year Years Decade Century Spring Summer Autumn Winter Revolution Maidan Euromaidan
		Orange Velvet Rose Tulip Bloody Sunday Easter Christmas Ramadan Nowruz Covid COVID COVID-19 Coronavirus Pandemic Wagner Gulag Chamber Chambers Kenesh Jogorku Sejm Seimas Saeima Riigikogu Bundestag Oliy Khural Hural Cabinet`)
	// legal are the words of laws, treaties and documents.
	legal = set(`Article Articles Art Code Codes Civil Administrative Penal Law Laws Act Acts Constitution Constitutional Decree Decrees
		Regulation Regulations Directive Directives Decision Decisions Bill Bills Ordinance Section Sections Chapter Chapters Protocol
		Protocols Optional Statute Statutes Treaty Treaties Convention Conventions Covenant Covenants Charter Charters Declaration
		Declarations Principles Principle Standard Standards Minimum Accord Accords Memorandum Understanding Communication Communications
		Conclusions Opinion Opinions Verdict Judgment Judgement Ruling Appeal Appeals Cassation Tribunal Tribunals Procedure Criminal
		Peaceful Assemblies Extremism Extremist Terrorism Terrorist Agents Agent Undesirable Foreign Treason Espionage Sedition Fundamental Political Economic
		Social Cultural Religious Belief Beliefs Assembly Expression Speech Information Conscience Movement Association`)
	// calendar holds months and days.
	calendar = set(`January February March April May June July August September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept
		Oct Nov Dec Monday Tuesday Wednesday Thursday Friday Saturday Sunday`)
	// generic are the capitalised common words of titles, organisations and places.
	generic = set(`Trade Unions Workers Worker Independent Free New Old Great Greater Lesser Upper Lower North South East West Northeast
		Northwest Southeast Southwest Centre-Left Centre-Right Young Youth Students Student Ministers Teachers Lawyers Journalists Journalist Writers
		Defenders Defender Mothers Mothers' Soldiers Veterans Prisoners Prisoner Political Civil Civic Society Societies Social Public
		Private Royal Imperial Holy Saint St Sacred Square Street Avenue Prospect Boulevard Bridge Island Islands Lake River Sea Ocean Gulf
		Strait Bay Mountain Mountains Valley Desert Peninsula Basin Coast Airport Station Port Stadium Hall Palace Kremlin Capitol
		Embassy Consulate Hospital University Universities College School Academy Library Museum Theatre Theater Cinema Park Garden
		Gardens Lands Land Territory Territories Occupied Liberated Frontline Region's Resistance Rule Order Justice Truth Hope Unity
		Solidarity Renaissance Progress Future Homeland Fatherland Motherland Light Dream Way Path Choice Voice Life Family Fairness
		Development Research Monitoring Production Construction Studies Investment Protection Regional Municipal Provincial Judicial Sustainable Framework Priorities Prosperity Integrity Transparency Accountability Corruption Anti-Terrorist Counter-Terrorism Digital
		Bargaining Governing Body Bodies Cyber Energy Climate Environment Environmental Green Nuclear Oil Gas Mining Water Food Agriculture Trade-Union Business Business's`)
	// places are states, their capitals, major cities and regions, and their adjectives.
	places = set(`Afghanistan Afghan Albania Albanian Algeria Algerian Andorra Angola Argentina Argentinian Armenia Armenian Armenians Australia
		Australian Austria Austrian Azerbaijan Azerbaijani Azerbaijanis Azeri Bahrain Bahraini Bangladesh Bangladeshi Belarus
		Belarusian Belarusians Byelorussian Belgium Belgian Bhutan Bolivia Bosnia Herzegovina Botswana Brazil Brazilian Bulgaria
		Bulgarian Burundi Cambodia Cambodian Cameroon Canada Canadian Chad Chile Chilean China Chinese Colombia Colombian Congo
		Congolese Croatia Croatian Cuba Cuban Cyprus Cypriot Czechia Czech Denmark Danish Djibouti Ecuador Egypt Egyptian Eritrea
		Eritrean Estonia Estonian Eswatini Ethiopia Ethiopian Fiji Finland Finnish France French Gabon Gambia Georgia Georgian
		Georgians Germany German Ghana Greece Greek Guatemala Guinea Haiti Honduras Hungary Hungarian Iceland India Indian Indonesia
		Indonesian Iran Iranian Iranians Iraq Iraqi Ireland Irish Israel Israeli Italy Italian Jamaica Japan Japanese Jordan Jordanian
		Kazakhstan Qazaqstan Kazakh Kazakhstani Kenya Kenyan Korea Korean DPRK Kosovo Kuwait Kyrgyzstan Kyrgyzstani Laos Latvia Latvian Lebanon
		Lebanese Liberia Libya Libyan Liechtenstein Lithuania Lithuanian Luxembourg Madagascar Malawi Malaysia Malaysian Maldives Mali
		Malta Maltese Mauritania Mexico Mexican Moldova Moldovan Monaco Mongolia Mongolian Montenegro Morocco Moroccan Mozambique
		Myanmar Burma Burmese Namibia Nepal Netherlands Dutch Nicaragua Nicaraguan Nicaraguans Niger Nigeria Nigerian Norway Norwegian
		Oman Pakistan Pakistani Palestine Palestinian Panama Paraguay Peru Philippines Filipino Poland Polish Portugal Portuguese Qatar
		Romania Romanian Russia Russian Russians Rwanda Rwandan Samoa Arabia Senegal Serbia Serbian Seychelles Singapore Slovakia
		Slovak Slovenia Slovenian Somalia Somali Spain Spanish Sudan Sudanese Suriname Sweden Swedish Switzerland Swiss Syria Syrian
		Taiwan Taiwanese Tajikistan Tajik Tajiks Tanzania Thailand Thai Timor-Leste Togo Tunisia Tunisian Turkey Türkiye Turkish
		Turkmenistan Turkmen Uganda Ugandan Ukraine Ukrainian Ukrainians Emirates Emirati Kingdom Britain British England English
		Scotland Wales America American Americans USA US Uruguay Uzbekistan Uzbek Venezuela Venezuelan Vietnam Vietnamese Yemen Yemeni
		Zambia Zimbabwe Zimbabwean Abkhazia Ossetia Transnistria Crimea Donbas Donbass Donetsk Luhansk Lugansk Zaporizhzhia Kherson
		Kharkiv Kyiv Kiev Mariupol Bucha Irpin Odesa Odessa Lviv Dnipro Mykolaiv Chernihiv Sumy Sevastopol Simferopol Moscow Petersburg
		Saint-Petersburg St. Leningrad Kaliningrad Chechnya Chechen Dagestan Ingushetia Tatarstan Bashkortostan Siberia Siberian
		Yakutia Novosibirsk Yekaterinburg Rostov Krasnodar Belgorod Kursk Minsk Hrodna Grodno Brest Gomel Homel Vitebsk Mogilev Astana
		Nur-Sultan Almaty Shymkent Aktau Atyrau Zhanaozen Karaganda Taraz Aktobe Semey Oral Kostanay Pavlodar Ust-Kamenogorsk Mangystau
		Baku Ganja Nakhchivan Karabakh Nagorno-Karabakh Lachin Yerevan Tbilisi Batumi Kutaisi Dushanbe Khujand Gorno-Badakhshan
		Badakhshan Khorog Bishkek Osh Tashkent Karakalpakstan Nukus Samarkand Ashgabat Beijing Peking Shanghai Macau Macao Xinjiang
		Tibet Lhasa Urumqi Kashgar Mongolia Guangzhou Shenzhen Wuhan Tehran Teheran Evin Qarchak Isfahan Mashhad Shiraz Tabriz Zahedan
		Sistan Balochistan Kurdistan Kabul Kandahar Herat Managua Masaya León Leon Caracas Havana Minsk Belgrade Pristina Skopje Tirana
		Sarajevo Podgorica Ankara Istanbul Diyarbakir Cairo Riyadh Doha Dubai Beirut Damascus Baghdad Gaza Jerusalem Ramallah Khartoum
		Darfur Tigray Asmara Kampala Nairobi Kinshasa Harare Lagos Abuja Brussels Strasbourg Luxembourg Paris Berlin Rome Madrid Lisbon
		London Dublin Vienna Warsaw Prague Budapest Bratislava Bucharest Sofia Athens Vilnius Riga Tallinn Helsinki Stockholm
		Copenhagen Oslo Amsterdam Hague Geneva Bern Washington Tokyo Delhi Dhaka Islamabad Yangon Naypyidaw Bangkok Hanoi Pyongyang
		Seoul Taipei Manila Jakarta Minsk Vladivostok Arctic Caucasus Caspian Black Baltic Balkans Balkan Mediterranean Asia Asian
		Africa African Sahel Latin Caribbean Middle Near Far Pacific Atlantic Indo-Pacific Scandinavia Nordic Benelux Eurasia
		Transcaucasia Syunik Artsakh Stepanakert Shusha Shushi Lachin Azov Azovstal Olenivka Melitopol Berdyansk Nova Kakhovka Kakhovka
		Bakhmut Avdiivka Izium Kupiansk Kramatorsk Sloviansk Pokrovsk Horlivka Makiivka Tskhinvali Sukhumi Gali Akhalgori Chisinau
		Tiraspol Gagauzia Belgorod Bryansk Pskov Penza Perm Kazan Ufa Omsk Tomsk Irkutsk Magadan Kolyma Vorkuta Mordovia Karelia
		Murmansk Arkhangelsk Chita Khabarovsk Sakhalin Kamchatka Crimea's Ukraine's Russia's Belarus's Kazakhstan's China's Iran's
		Azerbaijan's Georgia's Tajikistan's Nicaragua's Moldova's Armenia's Europe Europe's Nicaraguan's`)
	// placesOfWords are the places whose words may each be part of a personal name.
	placesOfWords = func() (out [][]string) {
		for _, p := range strings.Split(`El Salvador,Hong Kong,Sri Lanka,Costa Rica,Sierra Leone,Abu Dhabi,Addis Ababa,Phnom Penh,Viet Nam,
			Burkina Faso,Saudi Arabia,New York,Nagorno Karabakh,Inner Mongolia,Sharm El-Sheikh,Puerto Rico,San Marino,Santo Domingo,
			Buenos Aires,Rio de Janeiro,Novi Sad,Hong Kongers,Hong Kong’s,United States,United Kingdom,United Arab Emirates,Tel Aviv,Nur Sultan,Ust Kamenogorsk,South Ossetia,North Korea,South Korea,North Macedonia,
			Dar es Salaam,Kuala Lumpur,Cape Verde,Cabo Verde,Equatorial Guinea,Papua New Guinea,Ivory Coast,Trinidad and Tobago`, ",") {
			out = append(out, strings.Fields(p))
		}
		return out
	}()
	// orgHeads end an organisation's name.
	orgHeads = set(`Union Unions Confederation Party Movement Foundation Committee Committees Bureau Centre Center Association Associations
		Society Network Front Alliance Organisation Organization Institute Coalition Club Group Council Church League
		Fellowship Brotherhood Sisterhood Initiative Platform Collective Congress Trust Fund Chamber Syndicate Cooperative
		Co-operative Union's Agency Corps Watch International Defenders Solidarity Foundation's Agencies Company Corporation Cabinet Media TV Daily Clinic University Commission Federation Service`)
	// ngoHeads end the names of the organisations people found, which may be made of common
	// words only ("the Media Policy Institute", "the Regional Center for Human Rights"),
	// unlike a state's bodies ("the National Assembly", "the Security Council").
	ngoHeads = set(`Institute Centre Center Foundation Association Associations Clinic Club Network Coalition Initiative Fellowship
		Brotherhood Sisterhood Collective Trust Syndicate Cooperative Co-operative Watch Alliance League Confederation Federation`)
	// peoples are the words of peoples and faiths, which make an organisation's name its own:
	// "the World Uyghur Congress".
	peoples = set(`Uyghur Uyghurs Uighur Tibetan Tatar Tatars Crimean Kurdish Roma Pamiri Ismaili Rohingya Hazara Baloch Turkic Arab
		Persian Kazakhs Kyrgyz Orthodox Catholic Protestant Evangelical Pentecostal Baptist Muslim Christian Jewish Sunni Shia
		Buddhist Hindu Sikh Jehovah's Falun`)
	// followers may follow a name without making it an adjective: "the director of Temirov
	// Live was arrested".
	followers = set(`was were is are has have had and or in on at for from since who which whose that to of with by as after
		before during until under over against between among into its their his her been being remains remain continues
		continue faces face reported said says stated announced also not`)
	// districts follow the name of a place: "the Nagatinsky District Court", "the Sverdlovsk Regional Court".
	districts = set("District Regional City Region Oblast Province Municipal Town Village Court")
	// prefixes are the capitalised first parts of hyphenated words that are no names.
	prefixes = set("Anti Pro Non Post Pre Ex Co Self Neo Pan Semi Multi Inter Intra Mid Re")
	// determiners may stand between a noun and the name it introduces: "the party Alga".
	determiners = set("the a an its their his her whose")
	// orgNouns say that the name next to them is an organisation's: "the media outlets
	// Batumelebi and Netgazeti", "the Tamchy news site", "the NGO Kloop".
	orgNouns = set(`organisation organisations organization organizations ngo ngos movement movements party parties outlet outlets
		newspaper newspapers magazine magazines website websites site sites channel channels agency agencies initiative
		initiatives campaign campaigns association associations foundation foundations network networks coalition coalitions
		platform platforms publication publications portal portals broadcaster broadcasters group groups union unions
		collective collectives bloc charity charities daily weekly journal station company companies firm firms enterprise
		enterprises producer manufacturer operator bank`)
	// orgModifiers may stand between a name and its noun: "the Liberty human rights organisation".
	orgModifiers = set(`human rights news online environmental independent opposition political media investigative youth civic civil
		feminist religious trade non-governmental women's anti-corruption legal monitoring student satirical television tv
		radio internet digital ecological indigenous nationalist democratic pro-democracy watchdog advocacy research charitable
		humanitarian social public private state-run state-owned exiled banned liquidated proscribed unregistered underground
		nonprofit non-profit volunteer grassroots cultural educational business`)
	// orgRoles before "of" say that what follows is an organisation: "the founder of Apple
	// Daily", "the head of the National Security Committee" (but not "the President of").
	orgRoles = set(`founder founders co-founder co-founders editor editors editor-in-chief director directors member members
		membership leader leaders leadership head chair chairman chairwoman chairperson coordinator coordinators correspondent
		correspondents employee employees staff journalist journalists reporter reporters website websites officers officials
		spokesperson activists supporters volunteers service`)
	// knownOrgs are organisations human-rights resolutions name often, whose words are all
	// common ones.
	knownOrgs = func() (out [][]string) {
		for _, o := range strings.Split(`International Committee of the Red Cross,Red Cross,Red Crescent,Amnesty International,
			Human Rights Watch,Reporters Without Borders,Front Line Defenders,Freedom House,Committee to Protect Journalists,
			International Federation for Human Rights,World Organisation Against Torture,International Partnership for Human Rights,
			Transparency International,International Crisis Group,Memorial,Viasna,OVD-Info,PEN International`, ",") {
			out = append(out, strings.Fields(o))
		}
		return out
	}()
	// boilerplateOrgs are the UN's and the Council of Europe's bodies whose every word is a
	// common one: named in every resolution, never an organisation to follow.
	boilerplateOrgs = func() (out [][]string) {
		for _, o := range strings.Split(`International Labour Organization,International Labour Organisation,International Labor Organization,World Health Organization,
			International Organization for Migration,International Organisation for Migration,Human Rights Council,Human Rights Committee,
			Committee against Torture,Committee on the Rights of the Child,International Criminal Court,International Court of Justice,
			Security Council,General Assembly,Council of Europe,Committee of Ministers,Russian Federation,Federation Council`, ",") {
			out = append(out, strings.Fields(o))
		}
		return out
	}()
	// orgBoilerplate are the words of the bodies every resolution names: the EU's and the UN's.
	orgBoilerplate = set(`European Europe EU Union's Eurasian Soviet Parliament Parliamentary EEAS UN Nations OSCE ODIHR
		NATO Venice Interpol ILO Member Presidents Conference Rules Procedure Working Rapporteur Special Supreme Constitutional
		Court Ministry Government Duma Kenesh Senate Rada Majilis Mazhilis Knesset Olympic Arbitrary Periodic Universal Affairs`)
)

// titleCaseCapitals writes the words of a name set in capitals as names are written:
// "Ales BIALIATSKI" → "Ales Bialiatski", "LVOVA-BELOVA" → "Lvova-Belova".
func titleCaseCapitals(name string) string {
	fs := strings.Fields(name)
	for i, f := range fs {
		if !(word{text: f}).acronym() || utf8.RuneCountInString(f) < 4 {
			continue
		}
		rs := []rune(strings.ToLower(f))
		for k := range rs {
			if k == 0 || !unicode.IsLetter(rs[k-1]) {
				rs[k] = unicode.ToUpper(rs[k])
			}
		}
		fs[i] = string(rs)
	}
	return strings.Join(fs, " ")
}
