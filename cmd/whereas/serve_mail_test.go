package main

import (
	"strings"
	"testing"
)

// TestServeMailConfig: WHEREAS_SMTP_URL is off by default, read when set, and refused
// without WHEREAS_PUBLIC_URL (emails link to the site) or when malformed.
func TestServeMailConfig(t *testing.T) {
	t.Parallel()
	env := func(kv ...string) func(string) string {
		m := map[string]string{"DATABASE_URL": "postgres://x@localhost/db"}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	if c, err := loadServeConfig(env()); err != nil || c.smtp != nil {
		t.Errorf("by default: smtp %+v, err %v; want none", c.smtp, err)
	}
	c, err := loadServeConfig(env("WHEREAS_SMTP_URL", "smtp://mail.example.org?from=w@example.org", "WHEREAS_PUBLIC_URL", "https://whereas.example"))
	if err != nil || c.smtp == nil || c.smtp.Host != "mail.example.org" {
		t.Errorf("set: smtp %+v, err %v", c.smtp, err)
	}
	if _, err := loadServeConfig(env("WHEREAS_SMTP_URL", "smtp://mail.example.org?from=w@example.org")); err == nil || !strings.Contains(err.Error(), "WHEREAS_PUBLIC_URL") {
		t.Errorf("without WHEREAS_PUBLIC_URL: %v, want a refusal naming it", err)
	}
	if _, err := loadServeConfig(env("WHEREAS_SMTP_URL", "smtp://mail.example.org", "WHEREAS_PUBLIC_URL", "https://whereas.example")); err == nil {
		t.Error("without a sender: accepted")
	}
}
