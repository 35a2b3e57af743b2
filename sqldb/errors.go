package sqldb

import (
	"errors"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// uniqueField names the request field a unique constraint protects, or "" if
// err is not a unique violation. It is the one place that reads driver errors.
func uniqueField(err error) string {
	var se *sqlite.Error
	if !errors.As(err, &se) || se.Code() != sqlite3.SQLITE_CONSTRAINT_UNIQUE {
		return ""
	}
	msg := se.Error()
	for constraint, field := range uniqueFields {
		if strings.Contains(msg, constraint) {
			return field
		}
	}
	return "unknown"
}

// uniqueFields maps what SQLite names in a unique violation to the field.
var uniqueFields = map[string]string{
	"users.user_key":           "userId",
	"users.email_key":          "email",
	"users.mobile":             "mobile",
	"departments_sibling_name": "name",
}
