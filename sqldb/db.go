// Package sqldb implements koodrive's services on database/sql: SQLite (the
// embedded default) now, with queries written so that PostgreSQL can run
// them too. Every public method is one transaction; the organization's totals
// change in the same transaction as the rows they summarize.
package sqldb

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations
var migrations embed.FS

// DB holds the database handles and what every service shares.
type DB struct {
	// SQLite lets one connection write at a time; a pool of one writer keeps
	// writers queued in Go instead of spinning on SQLITE_BUSY, and readers
	// use their own pool so they never wait behind a write.
	writePool *sql.DB
	readPool  *sql.DB
	now       func() time.Time
	ids       *idGen
	root      atomic.Int64 // the root department's ID, once known
}

// Open opens (creating if needed) the SQLite database at path, applies the
// migrations and returns the handle. now is the clock every transaction reads.
func Open(ctx context.Context, path string, now func() time.Time) (*DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	// synchronous(FULL) syncs the WAL on every commit, so an acknowledged
	// write survives a power cut as well as a killed process.
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Set("_txlock", "immediate")
	write, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	write.SetMaxOpenConns(1)
	write.SetConnMaxLifetime(0)
	write.SetConnMaxIdleTime(0)

	r := url.Values{}
	r.Add("_pragma", "busy_timeout(10000)")
	r.Add("_pragma", "query_only(1)")
	read, err := sql.Open("sqlite", "file:"+path+"?"+r.Encode())
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open database: %w", err)
	}
	read.SetMaxOpenConns(2 * runtime.GOMAXPROCS(0))
	read.SetMaxIdleConns(2 * runtime.GOMAXPROCS(0))

	db := &DB{writePool: write, readPool: read, now: now}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if db.ids, err = newIDGen(ctx, write, now); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func (db *DB) migrate(ctx context.Context) error {
	fsys, err := fs.Sub(migrations, "migrations/sqlite")
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, db.writePool, fsys, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	return db.readPool.QueryRowContext(ctx, `SELECT 1`).Scan(&one)
}

// Close closes both pools.
func (db *DB) Close() error {
	err := db.readPool.Close()
	if werr := db.writePool.Close(); err == nil {
		err = werr
	}
	return err
}

// Tx is a transaction with the one time its changes are stamped with.
// It prepares each distinct statement once: a batch that inserts five
// hundred users parses the insert once, not five hundred times.
type Tx struct {
	*sql.Tx
	now   time.Time
	stmts map[string]*sql.Stmt // closed by database/sql at commit or rollback
}

func (tx *Tx) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := tx.stmts[query]; ok {
		return st, nil
	}
	st, err := tx.Tx.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if tx.stmts == nil {
		tx.stmts = make(map[string]*sql.Stmt)
	}
	tx.stmts[query] = st
	return st, nil
}

// ExecContext runs a statement, prepared once per transaction.
func (tx *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := tx.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

// QueryContext runs a query, prepared once per transaction.
func (tx *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := tx.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// QueryRowContext runs a query for one row, prepared once per transaction.
func (tx *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := tx.stmt(ctx, query)
	if err != nil {
		// sql.Row has no exported constructor for an error; let the
		// unprepared call report it.
		return tx.Tx.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

// beginWrite starts a transaction that may write; it holds SQLite's write
// lock from its first statement, so it never fails to upgrade halfway.
func (db *DB) beginWrite(ctx context.Context) (*Tx, error) {
	tx, err := db.writePool.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	return &Tx{Tx: tx, now: db.now()}, nil
}

// beginRead starts a read-only transaction: one consistent snapshot.
func (db *DB) beginRead(ctx context.Context) (*Tx, error) {
	tx, err := db.readPool.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	return &Tx{Tx: tx, now: db.now()}, nil
}

// read runs fn in a read-only transaction.
func (db *DB) read(ctx context.Context, fn func(tx *Tx) error) error {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return fn(tx)
}

// write runs fn in a write transaction and commits it.
func (db *DB) write(ctx context.Context, fn func(tx *Tx) error) error {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

func millis(t time.Time) int64      { return t.UnixMilli() }
func fromMillis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }
