// Package sqldb implements koodrive's services on database/sql, for SQLite
// (the embedded default) and PostgreSQL (several instances on one
// database), with one set of queries; what differs between the two is in
// dialect.go and the two sets of migrations. Every public method is one
// transaction; the organization's totals change in the same transaction as
// the rows they summarize.
package sqldb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations
var migrations embed.FS

// DB holds the database handles and what every service shares.
type DB struct {
	// SQLite lets one connection write at a time; a pool of one writer keeps
	// writers queued in Go instead of spinning on SQLITE_BUSY, and readers
	// use their own pool so they never wait behind a write. PostgreSQL has
	// one pool for both.
	writePool *sql.DB
	readPool  *sql.DB
	pgPool    *pgxpool.Pool // PostgreSQL only
	d         dialect
	readOpts  *sql.TxOptions
	now       func() time.Time
	ids       *idGen
	commits   *committer
	// Statements kept prepared, per pool (SQLite only: see stmtCache).
	writeStmts, readStmts *stmtCache
	instance              string       // names this process in leases (ID nodes, tasks)
	root                  atomic.Int64 // the root department's ID, once known
	stop                  chan struct{}
	stopped               chan struct{}
}

// IsPostgres reports whether dsn names a PostgreSQL database rather than a
// SQLite file.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens the database named by dsn — a postgres:// URL, or the path of
// a SQLite file, created if needed — applies the migrations and returns the
// handle. now is the clock every transaction reads.
func Open(ctx context.Context, dsn string, now func() time.Time) (*DB, error) {
	var db *DB
	var err error
	if IsPostgres(dsn) {
		db, err = openPostgres(ctx, dsn)
	} else {
		db, err = openSQLite(dsn)
	}
	if err != nil {
		return nil, err
	}
	db.now, db.instance = now, newInstanceName()
	db.writeStmts, db.readStmts = &stmtCache{pool: db.writePool}, &stmtCache{pool: db.readPool}
	if err := db.migrate(ctx); err != nil {
		db.close()
		return nil, err
	}
	if db.ids, err = db.claimIDNode(ctx); err != nil {
		db.close()
		return nil, err
	}
	db.stop, db.stopped = make(chan struct{}), make(chan struct{})
	go db.renewLeases()
	db.commits = newCommitter(db)
	return db, nil
}

func newInstanceName() string {
	host, _ := os.Hostname()
	b := make([]byte, 6)
	rand.Read(b)
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b))
}

func openSQLite(path string) (*DB, error) {
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
	return &DB{writePool: write, readPool: read, d: sqliteDialect, readOpts: &sql.TxOptions{ReadOnly: true}}, nil
}

func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open database: %w", err)
	}
	db := stdlib.OpenDBFromPool(pool)
	// A reading request sees one snapshot, as on SQLite: a count and the
	// page it counts agree.
	return &DB{writePool: db, readPool: db, pgPool: pool, d: postgresDialect,
		readOpts: &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead}}, nil
}

func (db *DB) migrate(ctx context.Context) error {
	fsys, err := fs.Sub(migrations, "migrations/"+db.d.name)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	goDialect := goose.DialectSQLite3
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true)}
	if db.d.name == "postgres" {
		goDialect = goose.DialectPostgres
		// Instances starting together migrate one at a time.
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(goDialect, db.writePool, fsys, opts...)
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

// Close gives up the process's leases and closes the database.
func (db *DB) Close() error {
	db.commits.close()
	close(db.stop)
	<-db.stopped
	db.releaseLeases()
	return db.close()
}

func (db *DB) close() error {
	db.writeStmts.close()
	db.readStmts.close()
	err := db.readPool.Close()
	if db.writePool != db.readPool {
		if werr := db.writePool.Close(); err == nil {
			err = werr
		}
	}
	if db.pgPool != nil {
		db.pgPool.Close()
	}
	return err
}

// Tx is a transaction with the one time its changes are stamped with.
// It prepares each distinct statement once: a batch that inserts five
// hundred users parses the insert once, not five hundred times. (On
// PostgreSQL the driver does it, once per connection.)
type Tx struct {
	*sql.Tx
	now    time.Time
	d      dialect
	stmts  map[string]*sql.Stmt // closed by database/sql at commit or rollback
	cache  *stmtCache           // its pool's statements
	shared bool                 // by a group of changes: see runGroup
}

// statementContext is the context a statement runs with: a shared
// transaction's statements run to their end whatever their caller does.
func (tx *Tx) statementContext(ctx context.Context) context.Context {
	if tx.shared {
		return context.WithoutCancel(ctx)
	}
	return ctx
}

func (tx *Tx) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := tx.stmts[query]; ok {
		return st, nil
	}
	var st *sql.Stmt
	if pooled := tx.cache.forTx(query); pooled != nil {
		st = tx.Tx.StmtContext(ctx, pooled)
	} else {
		var err error
		if st, err = tx.Tx.PrepareContext(ctx, query); err != nil {
			return nil, err
		}
	}
	if tx.stmts == nil {
		tx.stmts = make(map[string]*sql.Stmt)
	}
	tx.stmts[query] = st
	return st, nil
}

// ExecContext runs a statement, prepared once per transaction.
func (tx *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	ctx = tx.statementContext(ctx)
	if !tx.d.prepare {
		return tx.Tx.ExecContext(ctx, query, args...)
	}
	st, err := tx.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

// QueryContext runs a query, prepared once per transaction.
func (tx *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	ctx = tx.statementContext(ctx)
	if !tx.d.prepare {
		return tx.Tx.QueryContext(ctx, query, args...)
	}
	st, err := tx.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// QueryRowContext runs a query for one row, prepared once per transaction.
func (tx *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	ctx = tx.statementContext(ctx)
	if !tx.d.prepare {
		return tx.Tx.QueryRowContext(ctx, query, args...)
	}
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
	return &Tx{Tx: tx, now: db.now(), d: db.d, cache: db.writeStmts}, nil
}

// beginRead starts a read-only transaction: one consistent snapshot.
func (db *DB) beginRead(ctx context.Context) (*Tx, error) {
	tx, err := db.readPool.BeginTx(ctx, db.readOpts)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	return &Tx{Tx: tx, now: db.now(), d: db.d, cache: db.readStmts}, nil
}

// queryRow runs a query for one row outside any transaction: for a read
// that is one statement, which is a snapshot of its own.
func (db *DB) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if db.d.prepare {
		if st, err := db.readStmts.get(ctx, query); err == nil {
			return st.QueryRowContext(ctx, args...)
		}
	}
	return db.readPool.QueryRowContext(ctx, query, args...)
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
