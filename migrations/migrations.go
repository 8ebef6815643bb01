// Package migrations embeds the SQL migrations so that the whereas binary carries its own
// schema and can upgrade a database with no files beside it.
package migrations

import "embed"

// FS holds the NNNN_name.up.sql / .down.sql files, read by golang-migrate's iofs source.
//
//go:embed *.sql
var FS embed.FS
