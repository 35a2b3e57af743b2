package sqldb

import (
	"context"
	"fmt"
	"strings"
)

// Bulk statements carry many rows in one statement: one round trip to
// PostgreSQL, one statement to run on SQLite, instead of one per row. The
// same SQL serves both engines. A batch is at most rowChunk rows, whose
// parameters stay under both engines' limits (SQLite 32,766; PostgreSQL
// 65,535).

// inChunks calls fn for consecutive parts [lo, hi) of n rows, of the sizes
// the dialect prefers: on SQLite a few fixed sizes, so that the statements'
// texts repeat and stay prepared (parsing a 500-row statement anew for
// each batch cost a tenth of an import); on PostgreSQL all n at once.
func inChunks(d dialect, n int, fn func(lo, hi int) error) error {
	for lo := 0; lo < n; {
		size := n - lo
		for _, s := range d.chunkSizes {
			if s <= size {
				size = s
				break
			}
		}
		if err := fn(lo, lo+size); err != nil {
			return err
		}
		lo += size
	}
	return nil
}

// valueRows returns n parenthesized rows of parameters, numbered on from
// first, each column cast to its type in types ("" for no cast: an INSERT's
// columns give their values a type, a VALUES list in FROM does not), where
// the dialect wants types (typedValues).
func valueRows(d dialect, n, first int, types []string) string {
	var b strings.Builder
	p := first
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for j, t := range types {
			if j > 0 {
				b.WriteString(", ")
			}
			param := d.param(p)
			p++
			if t == "" || !d.typedValues {
				b.WriteString(param)
			} else {
				b.WriteString("CAST(" + param + " AS " + t + ")")
			}
		}
		b.WriteByte(')')
	}
	return b.String()
}

// untyped is the column types of an INSERT of n columns.
func untyped(n int) []string { return make([]string, n) }

// bulkInsert inserts rows, each the values of cols, into table; suffix
// follows the VALUES (ON CONFLICT, RETURNING).
func bulkInsert(ctx context.Context, tx *Tx, table string, cols []string, rows [][]any, suffix string) error {
	return inChunks(tx.d, len(rows), func(lo, hi int) error {
		query, args := insertQuery(tx.d, table, cols, rows[lo:hi], suffix)
		if _, err := tx.ExecContext(ctx, query, args...); err != nil {
			return fmt.Errorf("insert %d rows into %s: %w", hi-lo, table, err)
		}
		return nil
	})
}

func insertQuery(d dialect, table string, cols []string, rows [][]any, suffix string) (string, []any) {
	args := make([]any, 0, len(rows)*len(cols))
	for _, r := range rows {
		args = append(args, r...)
	}
	return "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES " +
		valueRows(d, len(rows), 1, untyped(len(cols))) + suffix, args
}
