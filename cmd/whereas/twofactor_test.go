package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/whereas/whereas/internal/auth"
	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/postgres/postgrestest"
)

// TestUser2FAReset: an administrator turns off the two-factor sign-in of an account whose
// phone is lost; its sessions end and the audit log says who did it.
func TestUser2FAReset(t *testing.T) {
	t.Parallel()
	u := postgrestest.NewMigrated(t)
	e := env(map[string]string{"DATABASE_URL": u})
	ctx := context.Background()
	step := func(args ...string) (string, error) {
		var out, errb bytes.Buffer
		err := run(ctx, args, e, strings.NewReader("a long enough passphrase\n"), &out, &errb)
		return out.String() + errb.String(), err
	}
	if _, err := step("user", "add", "--email", "lost@example.org", "--role", "editor"); err != nil {
		t.Fatal(err)
	}
	db, err := postgres.Open(ctx, u, postgres.Config{MaxConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	user, _, err := db.UserForSignIn(ctx, "lost@example.org")
	if err != nil {
		t.Fatal(err)
	}
	key, _ := auth.NewTOTPKey("Whereas", "lost@example.org")
	_, hashes := auth.NewRecoveryCodes()
	epoch, err := db.EnableTwoFactor(ctx, postgres.Actor{UserID: user.ID, Name: user.Email}, user.ID, user.Email, key.Secret, 1, hashes)
	if err != nil {
		t.Fatal(err)
	}

	out, err := step("user", "2fa-reset", "--email", "Lost@Example.org")
	if err != nil || !strings.Contains(out, "two-factor sign-in reset for lost@example.org") {
		t.Fatalf("user 2fa-reset: %v %q", err, out)
	}
	after, _, err := db.UserForSignIn(ctx, "lost@example.org")
	if err != nil || after.TwoFactor || after.SessionEpoch <= epoch {
		t.Errorf("after the reset: two-factor %v, session epoch %d (was %d): %v", after.TwoFactor, after.SessionEpoch, epoch, err)
	}
	if n := postgrestest.Count(t, u, `SELECT count(*) FROM users WHERE email = 'lost@example.org' AND cardinality(recovery_codes) = 0 AND totp_secret IS NULL`); n != 1 {
		t.Error("the secret or the recovery codes survived the reset")
	}
	if n := postgrestest.Count(t, u, `SELECT count(*) FROM audit_log WHERE action = 'reset 2FA' AND actor = 'command line' AND entity_slug = 'lost@example.org'`); n != 1 {
		t.Errorf("%d audit entries for the reset", n)
	}
	if out, err := step("user", "2fa-reset", "--email", "lost@example.org"); err == nil || !strings.Contains(err.Error(), "two-factor") {
		t.Errorf("resetting an account without two-factor sign-in: %v %q", err, out)
	}
}
