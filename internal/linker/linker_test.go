package linker_test

import (
	"fmt"
	"testing"

	"github.com/whereas/whereas/internal/linker"
	"github.com/whereas/whereas/internal/tracker"
)

var entities = []linker.Entity{
	{Type: tracker.PersonEntity, Slug: "max-bokayev", Name: "Max Bokayev", Names: []string{"Maks Bokayev", "Макс Бокаев"}},
	{Type: tracker.PersonEntity, Slug: "larisa-kharkova", Name: "Larisa Kharkova", Names: []string{"Larissa Kharkova"}},
	{Type: tracker.OrganisationEntity, Slug: "ilo", Name: "International Labour Organization", Names: []string{"ILO"}},
	{Type: tracker.LegalProvisionEntity, Slug: "cc-174", Name: "Criminal Code Article 174", Names: []string{"Article 174", "Criminal Code’s Article 174"}},
	{Type: tracker.LegalProvisionEntity, Slug: "cc-274", Name: "Criminal Code Article 274", Names: []string{"Article 274"}},
	{Type: tracker.OrganisationEntity, Slug: "ratel", Name: "Ratel.kz"},
}

var cases = []linker.Case{{
	Entity:   linker.Entity{Type: tracker.CaseEntity, Slug: "bokayev-case", Name: "Case of Max Bokayev"},
	Subjects: []tracker.EntityRef{{Type: tracker.PersonEntity, Slug: "max-bokayev"}},
}}

func TestLink(t *testing.T) {
	l := linker.New(entities, cases)
	tests := []struct {
		name, text string
		want       []string // "type:slug:matched@start"
	}{
		{"CaseInsensitive", "release MAX BOKAYEV now", []string{"person:max-bokayev:MAX BOKAYEV@8", "case:bokayev-case:MAX BOKAYEV@8"}},
		{"DiacriticInsensitive", "Máx Bokáyev spoke", []string{"person:max-bokayev:Máx Bokáyev@0", "case:bokayev-case:Máx Bokáyev@0"}},
		{"Cyrillic", "освободить Макс Бокаев.", []string{"person:max-bokayev:Макс Бокаев@11", "case:bokayev-case:Макс Бокаев@11"}},
		{"AliasSpelling", "the convictions of Larissa Kharkova,", []string{"person:larisa-kharkova:Larissa Kharkova@19"}},
		{"WholeWordsOnly", "PILOTS and Articles 1745 and Max Bokayevs", nil},
		{"AcronymAsWord", "address ILO concerns (ILO)", []string{"organisation:ilo:ILO@8", "organisation:ilo:ILO@22"}},
		{"LongestMatchWins", "the Criminal Code’s Article 174, and Article 274", []string{"legal_provision:cc-174:Criminal Code’s Article 174@4", "legal_provision:cc-274:Article 274@37"}},
		{"TypographicApostropheMatchesPlain", "the Criminal Code's Article 174", []string{"legal_provision:cc-174:Criminal Code's Article 174@4"}},
		{"PunctuationInName", "Forbes and Ratel.kz face", []string{"organisation:ratel:Ratel.kz@11"}},
		{"CaseMentionedOnce", "Max Bokayev and again Max Bokayev", []string{"person:max-bokayev:Max Bokayev@0", "case:bokayev-case:Max Bokayev@0", "person:max-bokayev:Max Bokayev@22"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, m := range l.Link(tc.text) {
				got = append(got, fmt.Sprintf("%s:%s:%s@%d", m.Type, m.Slug, m.Matched, m.Start))
				if r := []rune(tc.text); string(r[m.Start:m.End]) != m.Matched {
					t.Errorf("span %d-%d is %q, matched says %q", m.Start, m.End, string(r[m.Start:m.End]), m.Matched)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("Link(%q) =\n%v\nwant\n%v", tc.text, got, tc.want)
			}
		})
	}
}
