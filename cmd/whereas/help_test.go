package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/whereas/whereas/internal/postgres"
)

// commandHelp is what "whereas CMD -h" prints.
func commandHelp(t *testing.T, cmd string) string {
	t.Helper()
	var out bytes.Buffer
	if err := run(context.Background(), []string{cmd, "-h"}, env(nil), nil, &out, &out); err != nil {
		t.Fatalf("%s -h: %v", cmd, err)
	}
	return out.String()
}

// TestHelpAgreesWithREADME checks the README's command table claim by claim against the
// binary: every command and action it lists exists, every option it shows is one the
// command's help offers, and it names the environment each command's help says it reads.
// It also checks the top-level help against the commands' own.
func TestHelpAgreesWithREADME(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| `whereas ([a-z]+)([^`]*)`(?: / `whereas [^`]*`)? \\| (.*) \\| ([^|]*) \\|$")
	option := regexp.MustCompile(`(?:^|[\s\[|])(--?[a-z][a-z-]*)`)
	envVar := regexp.MustCompile(`\b(DATABASE_URL|WHEREAS_[A-Z_]+)\b`)
	rows := row.FindAllStringSubmatch(string(readme), -1)
	if len(rows) < 20 {
		t.Fatalf("found %d rows in the README's command table", len(rows))
	}
	seen := map[string]bool{}
	for _, r := range rows {
		cmd, synopsis, envCell := r[1], r[2], r[4]
		help := commandHelp(t, cmd)
		seen[cmd] = true
		if cmd == "migrate" || cmd == "user" {
			action := strings.Fields(synopsis)[0]
			if !strings.Contains(help, cmd+" "+action) && !strings.Contains(help, "| "+action) && !strings.Contains(help, "  "+action) {
				t.Errorf("README lists `whereas %s %s`; %s -h does not offer %q:\n%s", cmd, action, cmd, action, help)
			}
		}
		for _, m := range option.FindAllStringSubmatch(synopsis, -1) {
			name := strings.TrimLeft(m[1], "-")
			if name == "h" || name == "help" {
				continue
			}
			if !strings.Contains(help, "-"+name) {
				t.Errorf("README shows option %s for `whereas %s%s`; %s -h does not mention it", m[1], cmd, synopsis, cmd)
			}
		}
		if envCell == "see below" {
			continue
		}
		readmeEnv := map[string]bool{}
		for _, v := range envVar.FindAllString(envCell, -1) {
			readmeEnv[v] = true
			if !strings.Contains(help, v) {
				t.Errorf("README says `whereas %s%s` reads %s; %s -h does not", cmd, synopsis, v, cmd)
			}
		}
		envSection := help[strings.Index(help, "Environment"):]
		if i := strings.Index(envSection, "Options:"); i > 0 {
			envSection = envSection[:i]
		}
		for _, v := range envVar.FindAllString(envSection, -1) {
			// migrate show and restore --check touch no database, whatever else their
			// command reads.
			noDB := (cmd == "migrate" && strings.Contains(synopsis, "show")) || (cmd == "restore" && strings.Contains(synopsis, "--check"))
			if !readmeEnv[v] && !noDB {
				t.Errorf("%s -h says it reads %s; the README's row for `whereas %s%s` does not", cmd, v, cmd, synopsis)
			}
		}
	}

	var top bytes.Buffer
	run(context.Background(), []string{"--help"}, env(nil), nil, &top, &top)
	usage := top.String()
	readers := usage[strings.Index(usage, "DATABASE_URL"):strings.Index(usage, "WHEREAS_ADDR")]
	readers = regexp.MustCompile(`postgres://\S+`).ReplaceAllString(readers, "")
	for cmd := range seen {
		if cmd == "parse" {
			if strings.Contains(readers, cmd) {
				t.Errorf("whereas --help names parse as reading DATABASE_URL")
			}
			continue
		}
		if strings.Contains(commandHelp(t, cmd), "DATABASE_URL") && !regexp.MustCompile(`\b`+cmd+`\b`).MatchString(readers) {
			t.Errorf("%s -h reads DATABASE_URL; whereas --help does not name it among the commands that do:\n%s", cmd, readers)
		}
		if !strings.Contains(usage, "whereas "+cmd) {
			t.Errorf("whereas --help does not list %s", cmd)
		}
	}
	// Options a command can do without are shown in brackets.
	for _, opt := range []string{"--procedure REF", "--title T", "--date YYYY-MM-DD", "--publish", "--accept-warnings", "--internal", "--format F"} {
		if strings.Contains(usage, " "+opt) && !strings.Contains(usage, "["+opt) {
			t.Errorf("whereas --help shows %s as required", opt)
		}
	}
}

// TestREADMESaysWhatEachDownMigrationDeletes: every migration built into the binary has its
// row in the README's table of what going down deletes and what to check when it is dirty.
func TestREADMESaysWhatEachDownMigrationDeletes(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range postgres.Migrations() {
		file := postgres.MigrationFile(v)
		name := strings.TrimSuffix(file[strings.Index(file, "_")+1:], ".up.sql")
		row := regexp.MustCompile(fmt.Sprintf("(?m)^\\| %d %s \\| `[a-z_]+`[^|]* \\| (\\*\\*yes\\*\\*:|no )", v, regexp.QuoteMeta(name)))
		if !row.Match(readme) {
			t.Errorf("README: no row for migration %d (%s) in the table of what going down deletes: add \"| %d %s | `object` | **yes**: … / no (…) |\"", v, file, v, name)
		}
	}
}
