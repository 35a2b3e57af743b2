package main

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"time"
)

// bulkBatch is the rows of one multi-row INSERT and of its transaction.
const bulkBatch = 500

// benchBulkCeiling inserts the users writeImportFile generates straight
// into a SQLite users table as durable as koodrive's: what an import of
// those rows could not beat. The placeholders are ?, as modernc binds $N in
// time quadratic in their number.
func benchBulkCeiling(ctx context.Context, dir string, rows int) ([]figure, error) {
	db, err := openCeilingDB(ctx, filepath.Join(dir, "ceiling-bulk.db"))
	if err != nil {
		return nil, err
	}
	defer db.Close()
	full, err := db.PrepareContext(ctx, bulkInsert(bulkBatch))
	if err != nil {
		return nil, fmt.Errorf("prepare bulk insert: %w", err)
	}
	defer full.Close()
	// The values are made before the clock starts: the ceiling is the
	// insert alone.
	now := time.Now().UnixMilli()
	args := make([]any, 0, rows*bulkColumns)
	for i := range rows {
		u := importUser(i)
		args = append(args, i+1, u.userID, strings.ToLower(u.userID), u.name, strings.ToLower(u.name),
			u.mobile, u.email, strings.ToLower(u.email), 2+u.team, now, now)
	}
	start := time.Now()
	for lo := 0; lo < rows; lo += bulkBatch {
		hi := min(lo+bulkBatch, rows)
		if err := bulkTx(ctx, db, full, hi-lo, args[lo*bulkColumns:hi*bulkColumns]); err != nil {
			return nil, err
		}
	}
	elapsed := time.Since(start)
	return []figure{{name: "ceiling_sqlite_bulk", value: float64(rows) / elapsed.Seconds(), unit: "rows/s",
		note: fmt.Sprintf("%d users in %v, %d-row INSERTs, a transaction each", rows, elapsed.Round(time.Millisecond), bulkBatch)}}, nil
}

// bulkColumns is the number of values bulkInsert takes per row.
const bulkColumns = 11

func bulkInsert(n int) string {
	row := "(?, 1, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?)"
	return "INSERT INTO users (id, org_id, user_id, user_key, name, name_key, mobile, email, email_key, dept_id, role, status, created_at, updated_at) VALUES " +
		strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
}

// bulkTx commits n rows in a transaction of their own, with the prepared
// statement when the batch is full.
func bulkTx(ctx context.Context, db *sql.DB, full *sql.Stmt, n int, args []any) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("bulk insert: %w", err)
	}
	defer tx.Rollback()
	if n == bulkBatch {
		_, err = tx.StmtContext(ctx, full).ExecContext(ctx, args...)
	} else {
		_, err = tx.ExecContext(ctx, bulkInsert(n), args...)
	}
	if err != nil {
		return fmt.Errorf("bulk insert: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("bulk insert: %w", err)
	}
	return nil
}
