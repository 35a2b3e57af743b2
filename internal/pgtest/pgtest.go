// Package pgtest gives tests PostgreSQL databases of their own, on the
// server whose DSN is in KOODRIVE_TEST_POSTGRES, and starts throwaway
// clusters for programs that need one (.ci/run does it in shell; the
// benchmark with StartCluster). Without KOODRIVE_TEST_POSTGRES the
// PostgreSQL half of the tests is skipped, and says so.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvDSN names the environment variable with the DSN of a PostgreSQL
// server the tests may create databases on.
const EnvDSN = "KOODRIVE_TEST_POSTGRES"

// Enabled reports whether PostgreSQL tests run.
func Enabled() bool { return os.Getenv(EnvDSN) != "" }

// SkipMessage is what a skipped PostgreSQL test says.
const SkipMessage = "PostgreSQL tests skipped: set " + EnvDSN + " to a server's DSN (.ci/run starts one)"

// DSN returns the DSN of a new, empty database that is dropped when the test
// ends; without KOODRIVE_TEST_POSTGRES the test is skipped.
func DSN(tb testing.TB) string {
	tb.Helper()
	admin := os.Getenv(EnvDSN)
	if admin == "" {
		tb.Skip(SkipMessage)
	}
	dsn, drop, err := CreateDatabase(admin)
	if err != nil {
		tb.Fatalf("create a PostgreSQL database: %v", err)
	}
	tb.Cleanup(func() {
		if err := drop(); err != nil {
			tb.Errorf("drop the PostgreSQL database: %v", err)
		}
	})
	return dsn
}

// Pool gives tests databases that are prepared once (a migrated schema, say)
// and emptied when a test ends for the next one: emptying tables takes
// milliseconds, creating and migrating a database a few hundred.
type Pool struct {
	prepare func(ctx context.Context, dsn string) error
	keep    []string // tables that are kept as they are, such as the migrations' versions

	mu    sync.Mutex
	free  []string       // emptied databases' DSNs
	drops []func() error // of every database made
}

// NewPool returns a pool whose new databases prepare fills; emptying them
// truncates every table but those named in keep.
func NewPool(prepare func(ctx context.Context, dsn string) error, keep ...string) *Pool {
	return &Pool{prepare: prepare, keep: keep}
}

// DSN returns the DSN of a prepared database the test has to itself, and
// empties it for another test when this one ends; without
// KOODRIVE_TEST_POSTGRES the test is skipped.
func (p *Pool) DSN(tb testing.TB) string {
	tb.Helper()
	admin := os.Getenv(EnvDSN)
	if admin == "" {
		tb.Skip(SkipMessage)
	}
	dsn, err := p.take(admin)
	if err != nil {
		tb.Fatalf("prepare a PostgreSQL database: %v", err)
	}
	tb.Cleanup(func() {
		// A database that cannot be emptied is left out of the pool (and
		// dropped with the rest at the end), never handed on dirty.
		if err := p.empty(dsn); err != nil {
			tb.Errorf("empty the PostgreSQL database: %v", err)
			return
		}
		p.mu.Lock()
		p.free = append(p.free, dsn)
		p.mu.Unlock()
	})
	return dsn
}

func (p *Pool) take(admin string) (string, error) {
	p.mu.Lock()
	if n := len(p.free); n > 0 {
		dsn := p.free[n-1]
		p.free = p.free[:n-1]
		p.mu.Unlock()
		return dsn, nil
	}
	p.mu.Unlock()
	dsn, drop, err := CreateDatabase(admin)
	if err != nil {
		return "", err
	}
	p.mu.Lock()
	p.drops = append(p.drops, drop)
	p.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	return dsn, p.prepare(ctx, dsn)
}

func (p *Pool) empty(dsn string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND NOT tablename = ANY($1)`, p.keep)
	if err != nil {
		return err
	}
	tables, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (string, error) {
		var name string
		err := r.Scan(&name)
		return pgx.Identifier{name}.Sanitize(), err
	})
	if err != nil || len(tables) == 0 {
		return err
	}
	_, err = conn.Exec(ctx, "TRUNCATE "+strings.Join(tables, ", ")+" RESTART IDENTITY CASCADE")
	return err
}

// Drop drops every database the pool made; TestMain calls it after the tests.
func (p *Pool) Drop() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	var errs []error
	for _, drop := range p.drops {
		errs = append(errs, drop())
	}
	p.drops, p.free = nil, nil
	return errors.Join(errs...)
}

// CreateDatabase creates a database with a new name on the server of the
// admin DSN and returns its DSN and a function that drops it.
func CreateDatabase(admin string) (string, func() error, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return "", nil, err
	}
	defer conn.Close(ctx)
	b := make([]byte, 6)
	rand.Read(b)
	name := "koodrive_test_" + hex.EncodeToString(b)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return "", nil, err
	}
	u, err := url.Parse(admin)
	if err != nil {
		return "", nil, err
	}
	u.Path = "/" + name
	drop := func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, admin)
		if err != nil {
			return err
		}
		defer conn.Close(ctx)
		_, err = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		return err
	}
	return u.String(), drop, nil
}

// ErrNotInstalled is StartCluster's error on a machine without PostgreSQL.
var ErrNotInstalled = errors.New("no PostgreSQL installed (Debian: apt-get install postgresql)")

// StartCluster starts a throwaway cluster in a new temporary directory with
// Debian's initdb and pg_ctl (as the postgres user when run as root: initdb
// refuses root), on a free loopback port, and returns its DSN and a function
// that stops it and removes the directory.
func StartCluster() (dsn string, stop func() error, err error) {
	bin, err := binDir()
	if err != nil {
		return "", nil, err
	}
	// Its own directory, directly under the temporary root: the postgres
	// user cannot enter the caller's private ones.
	dir, err := os.MkdirTemp("", "koodrive-pg-")
	if err != nil {
		return "", nil, err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(dir)
		}
	}()
	data := filepath.Join(dir, "pgdata")
	run := func(name string, args ...string) *exec.Cmd {
		path := filepath.Join(bin, name)
		if os.Geteuid() == 0 {
			return exec.Command("runuser", append([]string{"-u", "postgres", "--", path}, args...)...)
		}
		return exec.Command(path, args...)
	}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return "", nil, fmt.Errorf("the postgres user: %w", err)
		}
		if out, err := exec.Command("chown", u.Username, dir).CombinedOutput(); err != nil {
			return "", nil, fmt.Errorf("chown %s: %v: %s", dir, err, out)
		}
	}
	if out, err := run("initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync").CombinedOutput(); err != nil {
		return "", nil, fmt.Errorf("initdb: %v: %s", err, out)
	}
	port, err := freePort()
	if err != nil {
		return "", nil, err
	}
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c max_connections=200", port, dir)
	if out, err := run("pg_ctl", "-D", data, "-o", opts, "-l", filepath.Join(dir, "log"), "-w", "start").CombinedOutput(); err != nil {
		return "", nil, fmt.Errorf("pg_ctl start: %v: %s", err, out)
	}
	stop = func() error {
		if out, err := run("pg_ctl", "-D", data, "-m", "fast", "-w", "stop").CombinedOutput(); err != nil {
			return fmt.Errorf("pg_ctl stop: %v: %s", err, out)
		}
		return os.RemoveAll(dir)
	}
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port), stop, nil
}

// binDir finds the newest installed PostgreSQL's programs.
func binDir() (string, error) {
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(found) == 0 {
		if path, err := exec.LookPath("initdb"); err == nil {
			return filepath.Dir(path), nil
		}
		return "", ErrNotInstalled
	}
	sort.Strings(found)
	return filepath.Dir(found[len(found)-1]), nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
