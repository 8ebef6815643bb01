package auth_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/whereas/whereas/internal/auth"
)

func TestHashVerify(t *testing.T) {
	h, err := auth.Hash("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash = %q", h)
	}
	if err := auth.Verify("correct horse battery staple", h); err != nil {
		t.Errorf("right password: %v", err)
	}
	if err := auth.Verify("correct horse battery stapler", h); !errors.Is(err, auth.ErrMismatch) {
		t.Errorf("wrong password: %v", err)
	}
	h2, _ := auth.Hash("correct horse battery staple")
	if h == h2 {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	if err := auth.Verify("x", "$bcrypt$nonsense"); err == nil {
		t.Error("a foreign hash verified")
	}
	if auth.CheckStrength("short") == "" || auth.CheckStrength("long enough passphrase") != "" {
		t.Error("strength check")
	}
}
