package sqldb

import (
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// uniqueField names the request field a unique constraint protects, or "" if
// err is not a unique violation. It is the one place that reads driver
// errors: SQLite names the column or index in its message, PostgreSQL
// gives the constraint's name.
func uniqueField(err error) string {
	var se *sqlite.Error
	if errors.As(err, &se) && se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE {
		msg := se.Error()
		for name, field := range uniqueFields {
			if strings.Contains(msg, name) {
				return field
			}
		}
		return "unknown"
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" {
		if field, ok := uniqueFields[pe.ConstraintName]; ok {
			return field
		}
		return "unknown"
	}
	return ""
}

// uniqueFields maps the names of unique indexes (PostgreSQL) and the
// columns SQLite names for them to the request fields they protect.
var uniqueFields = map[string]string{
	"users.user_key":           "userId",
	"users_user_key":           "userId",
	"users.email_key":          "email",
	"users_email_key":          "email",
	"users.mobile":             "mobile",
	"users_mobile":             "mobile",
	"departments_sibling_name": "name",
}
