package postgres

import (
	"net/url"
	"strings"

	pgxmigrate "github.com/golang-migrate/migrate/v4/database/pgx/v5"
)

// MigrateUpFS applies the migrations in fsys, for tests of migrations made to fail.
var MigrateUpFS = migrateUpFS

// RunLikeAKilledMigrate does for one migration what golang-migrate does, up to and not
// including its last step (marking the version clean): what a process killed at that
// moment leaves behind.
func RunLikeAKilledMigrate(databaseURL string, version int, body string) error {
	u, _ := url.Parse(databaseURL)
	u.Scheme = "pgx5"
	drv, err := (&pgxmigrate.Postgres{}).Open(u.String())
	if err != nil {
		return err
	}
	d := &atomicMigrations{Driver: drv}
	defer d.Close()
	if err := d.SetVersion(version, true); err != nil {
		return err
	}
	return d.Run(strings.NewReader(body))
}
