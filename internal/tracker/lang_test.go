package tracker_test

import (
	"testing"

	"github.com/whereas/whereas/internal/tracker"
)

func TestScriptLang(t *testing.T) {
	for name, want := range map[string]string{
		"Max Bokayev":       "",
		"Бокаев Макс":       "ru",
		"Жанаозен":          "ru",
		"Жаңаөзен":          "kk",
		"Ұлықбек Есдәулет":  "kk",
		"Қазақстан":         "kk",
		"Talgat Ayan (Аян)": "ru",
		"ІІМ":               "kk",
		"Serikzhan Bilash":  "",
		"":                  "",
		"Article 174":       "",
		"Ерлан Калиев, Һ":   "kk",
	} {
		if got := tracker.ScriptLang(name); got != want {
			t.Errorf("ScriptLang(%q) = %q, want %q", name, got, want)
		}
	}
}
