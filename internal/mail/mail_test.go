package mail_test

import (
	"testing"

	"github.com/whereas/whereas/internal/mail"
)

func TestParseURL(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		url  string
		want mail.Config // Timeout not compared
		ok   bool
	}{
		{"smtp://user:p%40ss@mail.example.org:2525?from=whereas@example.org&tls=starttls",
			mail.Config{Host: "mail.example.org", Port: 2525, Username: "user", Password: "p@ss", From: "whereas@example.org", TLS: "starttls"}, true},
		{"smtp://mail.example.org?from=whereas@example.org", mail.Config{Host: "mail.example.org", Port: 587, From: "whereas@example.org", TLS: "starttls"}, true},
		{"smtp://mail.example.org?from=whereas@example.org&tls=tls", mail.Config{Host: "mail.example.org", Port: 465, From: "whereas@example.org", TLS: "tls"}, true},
		{"smtp://127.0.0.1:25?from=w@example.org&tls=none", mail.Config{Host: "127.0.0.1", Port: 25, From: "w@example.org", TLS: "none"}, true},
		{"smtp://mail.example.org", mail.Config{}, false},                                  // no sender
		{"smtp://mail.example.org?from=whereas@example.org&tls=ssl", mail.Config{}, false}, // unknown TLS mode
		{"https://mail.example.org?from=whereas@example.org", mail.Config{}, false},        // not smtp
		{"smtp://mail.example.org:99999?from=whereas@example.org", mail.Config{}, false},   // bad port
		{"smtp://?from=whereas@example.org", mail.Config{}, false},                         // no host
	} {
		got, err := mail.ParseURL(tc.url)
		if (err == nil) != tc.ok {
			t.Errorf("%s: error %v, want ok=%v", tc.url, err, tc.ok)
			continue
		}
		got.Timeout = 0
		if tc.ok && got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.url, got, tc.want)
		}
	}
}
