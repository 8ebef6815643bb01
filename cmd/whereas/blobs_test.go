package main

import (
	"context"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/whereas/whereas/internal/blob"
	"github.com/whereas/whereas/internal/blob/blobtest"
	"github.com/whereas/whereas/internal/postgres/postgrestest"
)

// TestServeEnvironmentAgreesWithREADME: the README's table of serve's environment and
// serve -h name the same variables.
func TestServeEnvironmentAgreesWithREADME(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	section := string(readme)
	start := strings.Index(section, "### `serve` environment")
	if start < 0 {
		t.Fatal("README has no `serve` environment section")
	}
	section = section[start:]
	if end := strings.Index(section[1:], "\n#"); end > 0 {
		section = section[:end]
	}
	table := map[string]bool{}
	for _, m := range regexp.MustCompile("(?m)^\\| `([A-Z_]+)` \\|").FindAllStringSubmatch(section, -1) {
		table[m[1]] = true
	}
	help := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^  ((?:DATABASE_URL|WHEREAS_[A-Z_]+))\s`).FindAllStringSubmatch(serveHelp, -1) {
		help[m[1]] = true
	}
	if len(help) < 20 {
		t.Fatalf("found %d variables in serve -h", len(help))
	}
	for v := range help {
		if !table[v] {
			t.Errorf("serve -h names %s; the README's serve environment table does not", v)
		}
	}
	for v := range table {
		if !help[v] {
			t.Errorf("the README's serve environment table names %s; serve -h does not", v)
		}
	}
}

// TestOpenBlobs: without WHEREAS_BLOB_URL the database keeps the bytes; a URL that
// cannot work stops serve before it loads anything, with the reason.
func TestOpenBlobs(t *testing.T) {
	t.Parallel()
	s, err := openBlobs(context.Background(), env(nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := s.(*blob.S3); ok {
		t.Fatal("no WHEREAS_BLOB_URL, yet the store is S3")
	}
	e := env(map[string]string{"DATABASE_URL": postgrestest.NewDatabase(t), "WHEREAS_ADDR": freeAddr(t),
		"WHEREAS_BLOB_URL": "s3://attachments/site1", "AWS_ACCESS_KEY_ID": "id", "AWS_SECRET_ACCESS_KEY": "secret"})
	var logs syncBuffer
	err = run(context.Background(), []string{"serve"}, e, nil, &logs, &logs)
	if err == nil || !strings.Contains(err.Error(), "WHEREAS_BLOB_URL names no endpoint") {
		t.Fatalf("serve with an S3 URL without endpoint: %v, want the endpoint asked for", err)
	}
	if strings.Contains(logs.String(), "loaded the seed") {
		t.Error("serve loaded the seed before refusing its blob store")
	}
}

// TestS3Serve: serve with WHEREAS_BLOB_URL at the S3 server of `make test-s3` starts,
// says where attachments go, and answers.
func TestS3Serve(t *testing.T) {
	t.Parallel()
	blobtest.S3(t)
	vars := map[string]string{"DATABASE_URL": postgrestest.NewDatabase(t), "WHEREAS_BLOB_URL": os.Getenv(blobtest.S3URLVar)}
	for _, v := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"} {
		vars[v] = os.Getenv(v)
	}
	base, stop := serveInProcess(t, vars)
	if a := fetch(t, base+"/readyz"); a.status != 200 {
		t.Errorf("/readyz = %d %s", a.status, a.body)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}
