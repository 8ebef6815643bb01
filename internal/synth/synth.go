// Package synth makes realistic synthetic data for benchmarks and scale tests: people with
// Kazakh and Russian names in Latin and Cyrillic script and their spelling variants,
// resolutions whose clauses name them, cases with status histories. The same seed always
// gives the same data, so benchmark runs compare like with like.
package synth

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/whereas/whereas/internal/tracker"
)

// Options sizes the data.
type Options struct {
	People         int
	Resolutions    int
	NamesPerClause int // people named by each recital and paragraph; 0 for one to three
	Seed           uint64
}

// Data is a generated dataset; references between records are by slug.
type Data struct {
	People      []tracker.Person
	Resolutions []Resolution
	Cases       []Case
}

// Resolution is a generated resolution with its clauses and the mentions in them.
type Resolution struct {
	tracker.Resolution
	Mentions []Mention
}

// Mention is a person named in a clause, at a rune span of its text.
type Mention struct {
	EID, Person, Case, Matched string
	Start, End                 int
}

// Case is one person's case and its history.
type Case struct {
	Slug, Title, Person string
	Statuses            []Status
}

// Status is one entry of a case's history, sourced to a clause.
type Status struct {
	Status      tracker.Status
	EffectiveOn time.Time
	Note        string
	Resolution  string // slug
	EID         string
}

type name struct{ latin, cyrillic string }

var firstMale = []name{{"Nurlan", "Нурлан"}, {"Yerlan", "Ерлан"}, {"Askar", "Аскар"}, {"Daniyar", "Данияр"}, {"Marat", "Марат"}, {"Serik", "Серик"}, {"Bolat", "Болат"}, {"Timur", "Тимур"}, {"Arman", "Арман"}, {"Zhanibek", "Жанибек"}, {"Ruslan", "Руслан"}, {"Kairat", "Кайрат"}, {"Aidos", "Айдос"}, {"Yerzhan", "Ержан"}, {"Dmitry", "Дмитрий"}, {"Sergei", "Сергей"}, {"Almas", "Алмас"}, {"Galym", "Ғалым"}, {"Kuanysh", "Қуаныш"}, {"Olzhas", "Олжас"}}
var firstFemale = []name{{"Aigerim", "Айгерим"}, {"Dinara", "Динара"}, {"Saule", "Сауле"}, {"Gulnara", "Гульнара"}, {"Aliya", "Алия"}, {"Zhanar", "Жанар"}, {"Madina", "Мадина"}, {"Asel", "Асель"}, {"Elena", "Елена"}, {"Natalia", "Наталья"}, {"Aizhan", "Айжан"}, {"Botagoz", "Ботагөз"}, {"Dana", "Дана"}, {"Kamila", "Камила"}, {"Raushan", "Раушан"}, {"Ainur", "Айнұр"}, {"Zarina", "Зарина"}, {"Lyazzat", "Ляззат"}, {"Saltanat", "Салтанат"}, {"Tatiana", "Татьяна"}}

// Surnames in their male form; the female form adds "a".
var surnames = []name{{"Nurlanov", "Нурланов"}, {"Zhaksylykov", "Жаксылыков"}, {"Abenov", "Абенов"}, {"Tokayev", "Токаев"}, {"Sultanbekov", "Султанбеков"}, {"Ermekov", "Ермеков"}, {"Bekturov", "Бектуров"}, {"Kassymov", "Касымов"}, {"Omarov", "Омаров"}, {"Zhumabayev", "Жумабаев"}, {"Mukhametov", "Мухаметов"}, {"Seitkaliyev", "Сейткалиев"}, {"Baimukhanov", "Баймуханов"}, {"Iskakov", "Искаков"}, {"Utebayev", "Утебаев"}, {"Yessenov", "Есенов"}, {"Kuanyshev", "Куанышев"}, {"Rakhimov", "Рахимов"}, {"Smagulov", "Смагулов"}, {"Tleuov", "Тлеуов"}, {"Ivanov", "Иванов"}, {"Kozlov", "Козлов"}, {"Dzhumagaliyev", "Джумагалиев"}, {"Ospanov", "Оспанов"}, {"Sarsenbayev", "Сарсенбаев"}, {"Akhmetov", "Ахметов"}, {"Mamyrov", "Мамыров"}, {"Beisenov", "Бейсенов"}, {"Karimov", "Каримов"}, {"Yerimbetov", "Еримбетов"}}

var roles = []string{"activist", "human rights defender", "journalist", "trade unionist", "blogger", "lawyer", "civil society activist", "businessman", "opposition politician", "religious believer"}
var places = []string{"Almaty", "Astana", "Shymkent", "Atyrau", "Aktau", "Zhanaozen", "Pavlodar", "Oral", "Karaganda", "Taraz", "Semey", "Kyzylorda"}
var statuses = []tracker.Status{"under_investigation", "charged", "on_trial", "pre_trial_detention", "house_arrest", "imprisoned", "forced_psychiatric_detention", "released_on_parole", "restrictions_on_activity", "travel_ban", "released", "conviction_quashed", "acquitted", "in_exile"}

// variants returns the common Latin transliteration variants of a name.
func variants(s string) []string {
	var out []string
	add := func(v string) {
		if v != s {
			for _, o := range out {
				if o == v {
					return
				}
			}
			out = append(out, v)
		}
	}
	add(strings.ReplaceAll(strings.ReplaceAll(s, "ayev", "aev"), "iyev", "iev"))
	add(strings.Replace(strings.Replace(s, "Zh", "J", 1), "Yer", "Er", 1))
	add(strings.Replace(s, "Yes", "Es", 1))
	return out
}

// Generate builds the dataset described by opts.
func Generate(opts Options) Data {
	if opts.Resolutions < 1 {
		opts.Resolutions = max(1, opts.People/50)
	}
	rng := rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15))
	pick := func(n int) int { return rng.IntN(n) }
	var d Data
	for i := range opts.People {
		female := pick(2) == 0
		first := firstMale[pick(len(firstMale))]
		if female {
			first = firstFemale[pick(len(firstFemale))]
		}
		sur := surnames[pick(len(surnames))]
		latinSur, cyrSur := sur.latin, sur.cyrillic
		if female {
			latinSur, cyrSur = latinSur+"a", cyrSur+"а"
		}
		full := first.latin + " " + latinSur
		aliases := []string{first.cyrillic + " " + cyrSur}
		for _, v := range variants(latinSur) {
			aliases = append(aliases, first.latin+" "+v)
		}
		slug := fmt.Sprintf("%s-%d", strings.ToLower(strings.ReplaceAll(full, " ", "-")), i+1)
		d.People = append(d.People, tracker.Person{Slug: slug, Name: full, Aliases: aliases,
			Role: roles[pick(len(roles))], Place: places[pick(len(places))],
			Notes: fmt.Sprintf("Synthetic record %d, generated for benchmarks.", i+1)})
	}
	cases := make([]Case, len(d.People))
	for i, p := range d.People {
		cases[i] = Case{Slug: p.Slug + "-case", Title: p.Name + " — criminal case", Person: p.Slug}
	}

	start := time.Date(2005, 1, 1, 0, 0, 0, 0, time.UTC)
	nextPerson := 0
	for r := range opts.Resolutions {
		year := 2005 + r*20/max(opts.Resolutions, 1)
		adopted := start.AddDate(year-2005, pick(12), pick(28))
		proc := fmt.Sprintf("%d/%04d(RSP)", adopted.Year(), 5000+r)
		res := Resolution{Resolution: tracker.Resolution{
			Slug: tracker.SlugForProcedure(proc), Procedure: proc, AdoptedOn: adopted,
			Title: fmt.Sprintf("Human rights situation in %s (%d)", places[r%len(places)], r+1),
		}}
		pos := 0
		add := func(kind tracker.ClauseKind, label, eid, text string) {
			pos++
			res.Clauses = append(res.Clauses, tracker.Clause{Kind: kind, Label: label, EID: eid, Position: pos, Text: text})
		}
		for c := 1; c <= 7; c++ {
			add(tracker.Citation, fmt.Sprint(c), fmt.Sprintf("cit_%d", c), fmt.Sprintf("having regard to its previous resolution number %d on the situation of human rights defenders;", c))
		}
		// Each recital and paragraph names one to three people, taken in turn so that
		// everyone is named and the mentions spread evenly.
		name := func(eid string, prefix string) string {
			var b strings.Builder
			b.WriteString(prefix)
			n := 1 + pick(3)
			if opts.NamesPerClause > 0 {
				n = opts.NamesPerClause
			}
			for k := 0; k < n && len(d.People) > 0; k++ {
				p := d.People[nextPerson%len(d.People)]
				nextPerson++
				if k > 0 {
					b.WriteString(" and ")
				}
				b.WriteString(p.Role + " ")
				at := len([]rune(b.String()))
				b.WriteString(p.Name)
				res.Mentions = append(res.Mentions, Mention{EID: eid, Person: p.Slug, Case: p.Slug + "-case", Matched: p.Name, Start: at, End: at + len([]rune(p.Name))})
			}
			return b.String()
		}
		for c := 1; c <= 11; c++ {
			label := string(rune('A' + c - 1))
			eid := "rec_" + label
			text := name(eid, "Whereas ") + fmt.Sprintf(" remain under pressure in %s after charges of “%s” were brought under the Criminal Code;", places[pick(len(places))], []string{"inciting discord", "spreading false information", "extremism", "participation in a banned organisation"}[pick(4)])
			add(tracker.Recital, label, eid, text)
		}
		for c := 1; c <= 12; c++ {
			eid := fmt.Sprintf("para_%d", c)
			text := name(eid, "Urges the authorities to release ") + " and to quash their convictions, and to end the harassment of civil society;"
			add(tracker.Paragraph, fmt.Sprint(c), eid, text)
		}
		d.Resolutions = append(d.Resolutions, res)
		for _, m := range res.Mentions {
			if strings.HasPrefix(m.EID, "rec_") {
				ci := indexOf(cases, m.Case)
				cases[ci].Statuses = append(cases[ci].Statuses, Status{Status: statuses[pick(len(statuses))], EffectiveOn: adopted, Note: "Reported by the resolution.", Resolution: res.Slug, EID: m.EID})
			}
		}
	}
	d.Cases = cases
	return d
}

// indexOf finds a case by slug; case slugs are the person slug plus "-case" and the cases
// are in person order, so the lookup is by the number at the end of the slug.
func indexOf(cases []Case, slug string) int {
	s := strings.TrimSuffix(slug, "-case")
	var n int
	fmt.Sscanf(s[strings.LastIndexByte(s, '-')+1:], "%d", &n)
	return n - 1
}
