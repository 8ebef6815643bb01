package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/whereas/whereas/internal/auth"
	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/tracker"
)

const userHelp = `Usage:
  whereas user add --email E --role editor|admin   add a staff account
  whereas user passwd --email E                    set a new password: its sessions end and
                                                   its API tokens are revoked
  whereas user disable --email E                   disable an account, end its sessions, revoke its tokens
  whereas user list                                list accounts
  whereas user token --email E --name N [--expires-in DAYS]
                                                   make an API token for scripts (printed once),
                                                   valid for DAYS days (default 90, at most 365)
  whereas user revoke-token --email E --name N     revoke an API token
  whereas user 2fa-reset --email E                 turn off two-factor sign-in (a lost phone): its
                                                   sessions end; it enrols again at /staff/2fa

add and passwd read the password from standard input (its first line) when something is
piped in, and otherwise generate one and print it once. Passwords need at least 12
characters and are stored as argon2id hashes. A password set with passwd is treated as a
suspected compromise, hence the revoked tokens. Token names are unique among an account's
live tokens: token refuses a name that is taken until that token is revoked or expires.

Environment:
  DATABASE_URL  PostgreSQL URL (required)
`

var cliActor = postgres.Actor{Name: "command line"}

func runUser(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, userHelp)
		if len(args) == 0 {
			return usageError{"user needs an action: add, passwd, disable, list, token, revoke-token or 2fa-reset"}
		}
		return nil
	}
	action := args[0]
	switch action {
	case "add", "passwd", "disable", "list", "token", "revoke-token", "2fa-reset":
	default:
		fmt.Fprint(stderr, userHelp)
		return usageError{fmt.Sprintf("user: unknown action %q (want add, passwd, disable, list, token, revoke-token or 2fa-reset)", action)}
	}
	fs := newFlags("user "+action, userHelp, stdout)
	emailFlag := fs.String("email", "", "the account's email")
	role := fs.String("role", "", "editor or admin")
	name := fs.String("name", "", "the API token's name")
	expiresIn := fs.Int("expires-in", tracker.DefaultTokenDays, "token: days until the API token expires (1 to 365)")
	if done, err := parseFlags(fs, args[1:]); done {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("user %s: unexpected argument %q (options go as --email E)", action, fs.Arg(0))}
	}
	email, validEmail := tracker.NormalizeEmail(*emailFlag)
	if action != "list" && !validEmail {
		return usageError{fmt.Sprintf("user %s: --email must be a valid email address", action)}
	}
	if action == "token" {
		n := strings.TrimSpace(*name)
		if n == "" {
			return usageError{"user token: --name is required, e.g. --name import-script"}
		}
		if errs := tracker.ValidateToken(n, *expiresIn); errs.Any() {
			if errs["expires_in"] != "" {
				return usageError{fmt.Sprintf("user token: --expires-in must be a number of days from 1 to %d", tracker.MaxTokenDays)}
			}
			return usageError{"user token: --name: " + errs["name"]}
		}
	}
	db, err := openMigrated(ctx, getenv)
	if err != nil {
		return err
	}
	defer db.Close()
	switch action {
	case "add":
		if !tracker.Role(*role).Valid() {
			return usageError{"user add: --role must be editor or admin"}
		}
		pw, hash, generated, err := newPassword(stdin)
		if err != nil {
			return err
		}
		if _, err := db.CreateUser(ctx, cliActor, email, tracker.Role(*role), hash); err != nil {
			return fmt.Errorf("user add: %s", tracker.ErrorMessage(err))
		}
		fmt.Fprintf(stdout, "added %s (%s)\n", email, *role)
		if generated {
			fmt.Fprintf(stdout, "password (shown once): %s\n", pw)
		}
	case "passwd":
		pw, hash, generated, err := newPassword(stdin)
		if err != nil {
			return err
		}
		if err := db.SetPassword(ctx, cliActor, email, hash); err != nil {
			return fmt.Errorf("user passwd: %s", tracker.ErrorMessage(err))
		}
		fmt.Fprintf(stdout, "new password set for %s; its sessions have ended and its API tokens are revoked\n", email)
		if generated {
			fmt.Fprintf(stdout, "password (shown once): %s\n", pw)
		}
	case "disable":
		if err := db.DisableUser(ctx, cliActor, email); err != nil {
			return fmt.Errorf("user disable: %s", tracker.ErrorMessage(err))
		}
		fmt.Fprintf(stdout, "disabled %s; its sessions have ended and its API tokens are revoked\n", email)
	case "list":
		users, err := db.Users(ctx)
		if err != nil {
			return err
		}
		for _, u := range users {
			state := "enabled"
			if u.DisabledAt != nil {
				state = "disabled " + u.DisabledAt.Format("2006-01-02")
			}
			fmt.Fprintf(stdout, "%s\t%s\t%s\n", u.Email, u.Role, state)
		}
	case "token":
		n := strings.TrimSpace(*name)
		token := auth.RandomSecret(32)
		if err := db.CreateExpiringAPIToken(ctx, cliActor, email, n, token, *expiresIn); err != nil {
			if tracker.ErrorCode(err) == tracker.ECONFLICT {
				return fmt.Errorf("user token: %s (whereas user revoke-token --email %s --name %q)", tracker.ErrorMessage(err), email, n)
			}
			return fmt.Errorf("user token: %s", tracker.ErrorMessage(err))
		}
		fmt.Fprintf(stdout, "API token %q for %s, valid for %d days (shown once; send it as \"Authorization: Bearer TOKEN\"):\n%s\n", n, email, *expiresIn, token)
	case "2fa-reset":
		if _, err := db.DisableTwoFactor(ctx, cliActor, email, "reset 2FA"); err != nil {
			return fmt.Errorf("user 2fa-reset: %s", tracker.ErrorMessage(err))
		}
		fmt.Fprintf(stdout, "two-factor sign-in reset for %s; its sessions have ended, and it can enrol again at /staff/2fa after signing in with its password\n", email)
	case "revoke-token":
		if err := db.RevokeAPIToken(ctx, cliActor, email, strings.TrimSpace(*name)); err != nil {
			return fmt.Errorf("user revoke-token: %s", tracker.ErrorMessage(err))
		}
		fmt.Fprintf(stdout, "revoked API token %q of %s\n", *name, email)
	}
	return nil
}

// newPassword reads or generates a password and hashes it.
func newPassword(stdin io.Reader) (pw, hash string, generated bool, err error) {
	if pw, generated, err = readPassword(stdin); err != nil {
		return "", "", false, err
	}
	hash, err = auth.Hash(pw)
	return pw, hash, generated, err
}

// readPassword takes the first line of standard input when it is piped, and otherwise
// generates a password; generated reports which.
func readPassword(stdin io.Reader) (pw string, generated bool, err error) {
	if f, ok := stdin.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			stdin = nil // a terminal: do not wait for typing, generate instead
		}
	}
	if stdin != nil {
		line, err := bufio.NewReader(io.LimitReader(stdin, 4096)).ReadString('\n')
		if err != nil && err != io.EOF {
			return "", false, err
		}
		if pw = strings.TrimRight(line, "\r\n"); pw != "" {
			if msg := auth.CheckStrength(pw); msg != "" {
				return "", false, usageError{"password: " + msg}
			}
			return pw, false, nil
		}
	}
	return auth.RandomSecret(18), true, nil
}
