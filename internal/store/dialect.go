package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// dialect holds what differs between SQLite and PostgreSQL. Everything else is shared SQL.
type dialect struct {
	name string
	// lockMigrations serializes migrations between instances that start together; unlock undoes it.
	lockMigrations   func(ctx context.Context, conn *sql.Conn) error
	unlockMigrations func(ctx context.Context, conn *sql.Conn) error
	// containsFold returns a condition that column contains the value of placeholder, ignoring
	// ASCII case, with % and _ in the value matched literally.
	containsFold func(column, placeholder string) string
	// search is the article search index (search_dialect.go).
	search searchDialect
}

var sqliteDialect = dialect{
	name: "sqlite",
	// The migration transaction is BEGIN IMMEDIATE, which already excludes other writers.
	lockMigrations:   func(context.Context, *sql.Conn) error { return nil },
	unlockMigrations: func(context.Context, *sql.Conn) error { return nil },
	containsFold: func(column, placeholder string) string {
		return column + ` LIKE '%' || ` + placeholder + ` || '%' ESCAPE '\'`
	},
	search: sqliteSearch,
}

// migrationLockKey is an arbitrary constant that names pingan's advisory lock.
const migrationLockKey = 727_001

var postgresDialect = dialect{
	name: "postgres",
	lockMigrations: func(ctx context.Context, conn *sql.Conn) error {
		_, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, migrationLockKey)
		return err
	},
	unlockMigrations: func(ctx context.Context, conn *sql.Conn) error {
		_, err := conn.ExecContext(ctx, `SELECT pg_advisory_unlock($1)`, migrationLockKey)
		return err
	},
	containsFold: func(column, placeholder string) string {
		return column + ` ILIKE '%' || ` + placeholder + ` || '%' ESCAPE '\'`
	},
	search: postgresSearch,
}

// escapeLike escapes the LIKE wildcards in s so that they match literally with ESCAPE '\'.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// isUniqueViolation reports whether err is a unique-constraint violation on either database.
func isUniqueViolation(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23505"
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// isForeignKeyViolation reports whether err is a foreign-key violation on either database.
func isForeignKeyViolation(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23503"
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
	}
	return false
}
