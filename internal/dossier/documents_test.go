package dossier_test

import (
	"strings"
	"testing"

	"github.com/whereas/whereas/internal/dossier"
)

// wordsOnly are what the formats for people write that the JSON holds as a key, a number
// or a boolean.
var wordsOnly = map[string]bool{"Documents": true, "Документы": true, "Құжаттар": true, "240.0 KB": true, "240,0 КБ": true,
	"(internal)": true, "900 bytes": true, "Относится к": true, "Тіркелген жазба": true}

// Every format lists the person's public files with what a reader checks a copy by; the
// internal file is in the internal profile only.
func TestDossierDocuments(t *testing.T) {
	t.Parallel()
	verdictHash, letterHash := strings.Repeat("ab", 32), strings.Repeat("cd", 32)
	for _, c := range []struct {
		name    string
		profile dossier.Profile
		words   dossier.Words
		want    []string
	}{
		{"PublicEnglish", dossier.Public, en, []string{"Documents", "Verdict of the Shymkent court", "verdict.pdf", "240.0 KB", verdictHash,
			"April 2019", "https://example.org/verdict", "https://whereas.example/attachments/7/verdict.pdf", "Criminal case against Ardak Ashim"}},
		{"PublicRussian", dossier.Public, ru, []string{"Документы", "Verdict of the Shymkent court", "240,0 КБ", verdictHash, "апрель 2019", "Относится к"}},
		{"PublicKazakh", dossier.Public, kk, []string{"Құжаттар", "240,0 КБ", verdictHash, "Тіркелген жазба"}},
		{"InternalEnglish", dossier.Internal, en, []string{verdictHash, "Letter from the clinic", letterHash, "(internal)", "not known",
			"https://whereas.example/attachments/8/letter.txt", "900 bytes"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			d := dossier.Build(person(), c.profile, "https://whereas.example", adopted, adopted, c.words)
			for format, text := range formats(t, d) {
				if format == "pdf" {
					text = strings.Join(strings.Fields(text), " ") // pdftotext breaks lines where the page does
				}
				for _, want := range c.want {
					if format == "json" && wordsOnly[want] {
						continue // the JSON has a key, a number or a boolean for these
					}
					if !strings.Contains(text, want) {
						t.Errorf("the %s %s dossier lacks %q", c.name, format, want)
					}
				}
				if c.profile == dossier.Public && (strings.Contains(text, letterHash) || strings.Contains(text, "letter.txt")) {
					t.Errorf("the public %s dossier lists the internal file", format)
				}
			}
			if c.profile == dossier.Public && len(d.Documents) != 1 {
				t.Errorf("%d documents in the public profile", len(d.Documents))
			}
			if c.words.Lang == ru.Lang && d.Labels["documents.sha256"] != "SHA-256" || d.Labels["documents.obtained"] == "" {
				t.Errorf("labels %q %q", d.Labels["documents.sha256"], d.Labels["documents.obtained"])
			}
		})
	}
}
