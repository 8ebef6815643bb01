package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/tracker"
)

// TestTranslate: the failures that mean the database cannot serve for now (the boundary
// answers 503, Retry-After) are told apart from the program's own faults (500), wrapped
// as they come back from a transaction.
func TestTranslate(t *testing.T) {
	t.Parallel()
	pg := func(code string) error { return fmt.Errorf("add status: %w", &pgconn.PgError{Code: code}) }
	for _, c := range []struct {
		name string
		err  error
		want string
	}{
		{"StatementTimeout", pg("57014"), tracker.EUNAVAILABLE},
		{"LockTimeout", pg("55P03"), tracker.EUNAVAILABLE},
		{"ReadOnly", pg("25006"), tracker.EUNAVAILABLE},
		{"DiskFull", pg("53100"), tracker.EUNAVAILABLE},
		{"OutOfMemory", pg("53200"), tracker.EUNAVAILABLE},
		{"TooManyConnections", pg("53300"), tracker.EUNAVAILABLE},
		{"ConnectionFailure", pg("08006"), tracker.EUNAVAILABLE},
		{"AdminShutdown", pg("57P01"), tracker.EUNAVAILABLE},
		{"ConnectionLost", fmt.Errorf("read: %w", io.ErrUnexpectedEOF), tracker.EUNAVAILABLE},
		{"PoolAcquireTimeout", fmt.Errorf("acquire: %w", context.DeadlineExceeded), tracker.EUNAVAILABLE},
		{"UniqueViolation", pg("23505"), tracker.ECONFLICT},
		{"SyntaxError", pg("42601"), tracker.EINTERNAL},
		{"Other", errors.New("boom"), tracker.EINTERNAL},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := postgres.Translate(c.err, "case")
			if got := tracker.ErrorCode(err); got != c.want {
				t.Errorf("code %q, want %q (%v)", got, c.want, err)
			}
			if c.want == tracker.EUNAVAILABLE && !errors.Is(err, c.err) {
				t.Errorf("the cause is lost for the log: %v", err)
			}
		})
	}
}
