package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// ceilingUsersTable is koodrive's users table and its indexes
// (sqldb/migrations/sqlite/00001_init.sql) without the foreign keys, which
// would need the organizations and departments tables. users_dept is not
// unique, but koodrive maintains it on every insert all the same.
const ceilingUsersTable = `
CREATE TABLE users (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL,
    user_id     TEXT    NOT NULL,
    user_key    TEXT    NOT NULL,
    name        TEXT    NOT NULL DEFAULT '',
    name_key    TEXT    NOT NULL DEFAULT '',
    mobile      TEXT,
    email       TEXT,
    email_key   TEXT,
    dept_id     INTEGER NOT NULL,
    role        INTEGER NOT NULL CHECK (role IN (0, 1, 2, 3, 5)),
    status      INTEGER NOT NULL CHECK (status IN (0, 1, 2, 7)),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX users_user_key ON users (user_key);
CREATE UNIQUE INDEX users_email_key ON users (email_key);
CREATE UNIQUE INDEX users_mobile ON users (mobile);
CREATE INDEX users_dept ON users (dept_id, id);
`

// openCeilingDB creates a SQLite database holding the users table, opened
// as sqldb's openSQLite opens koodrive's writer, so that a ceiling commits
// as durably: WAL synced on every commit, immediate transactions, one
// connection.
func openCeilingDB(ctx context.Context, path string) (*sql.DB, error) {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open ceiling database: %w", err)
	}
	db.SetMaxOpenConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	if _, err := db.ExecContext(ctx, ceilingUsersTable); err != nil {
		db.Close()
		return nil, fmt.Errorf("create ceiling users table: %w", err)
	}
	return db, nil
}

// isCeilingRun tells whether the process was started as a ceiling server.
func isCeilingRun(args []string) bool {
	return len(args) > 0 && strings.HasPrefix(strings.TrimLeft(args[0], "-"), "ceiling-server")
}

// ceilingMain serves a ceiling until interrupted, printing its URL first
// as koodrive does. It runs in a process of its own so that, like
// koodrive, it shares the CPUs with wrk and not with the bench.
func ceilingMain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("ceiling", flag.ContinueOnError)
	fs.SetOutput(stderr)
	mode := fs.String("ceiling-server", "", "bare or sqlite")
	dbPath := fs.String("ceiling-db", "", "SQLite file of the sqlite ceiling")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	h := &ceilingHandler{}
	switch *mode {
	case "bare":
	case "sqlite":
		if *dbPath == "" {
			fmt.Fprintln(stderr, "ceiling: -ceiling-db is required with -ceiling-server sqlite")
			return 2
		}
		db, err := openCeilingDB(ctx, *dbPath)
		if err != nil {
			fmt.Fprintln(stderr, "ceiling:", err)
			return 1
		}
		defer db.Close()
		h.db = db
	default:
		fmt.Fprintf(stderr, "ceiling: unknown -ceiling-server %q\n", *mode)
		return 2
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(stderr, "ceiling:", err)
		return 1
	}
	mux := http.NewServeMux()
	mux.Handle("POST /koodrive/ose/v1/users", h)
	srv := &http.Server{Handler: mux}
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shut)
	}()
	fmt.Fprintf(stdout, "ceiling listening on http://%s\n", ln.Addr())
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(stderr, "ceiling:", err)
		return 1
	}
	return 0
}

// ceilingHandler answers a create-user request with what every create must
// do at least: read and decode the body, check the userId, and with db
// commit one row in a transaction of its own.
type ceilingHandler struct {
	db   *sql.DB // nil for the bare ceiling
	next atomic.Int64
}

func (h *ceilingHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		http.Error(w, `{"code":1,"msg":"body"}`, http.StatusBadRequest)
		return
	}
	var in struct {
		UserID string `json:"userId"`
	}
	if err := json.Unmarshal(body, &in); err != nil || in.UserID == "" {
		http.Error(w, `{"code":1,"msg":"userId"}`, http.StatusBadRequest)
		return
	}
	id := h.next.Add(1)
	if h.db != nil {
		now := time.Now().UnixMilli()
		_, err := h.db.ExecContext(r.Context(), `INSERT INTO users (id, org_id, user_id, user_key, dept_id, role, status, created_at, updated_at)
			VALUES (?, 1, ?, ?, 1, 0, 0, ?, ?)`, id, in.UserID, strings.ToLower(in.UserID), now, now)
		var se *sqlite.Error
		if errors.As(err, &se) && se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE {
			http.Error(w, `{"code":1,"msg":"exists"}`, http.StatusConflict)
			return
		}
		if err != nil {
			http.Error(w, `{"code":1,"msg":"insert"}`, http.StatusInternalServerError)
			return
		}
	}
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"code":0,"msg":"success","data":{"id":"%d"}}`, id)
}

// ceilingServer is a ceiling process started by the bench.
type ceilingServer struct {
	url string
	cmd *exec.Cmd
}

// startCeiling re-executes this program as the ceiling server mode, with
// its database under dir for the sqlite ceiling.
func startCeiling(ctx context.Context, mode, dir string) (*ceilingServer, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("start ceiling %s: %w", mode, err)
	}
	args := []string{"-ceiling-server", mode}
	if mode == "sqlite" {
		args = append(args, "-ceiling-db", filepath.Join(dir, "ceiling-insert.db"))
	}
	cmd, url, err := startListener(ctx, exe, args, "ceiling listening on ")
	if err != nil {
		return nil, fmt.Errorf("start ceiling %s: %w", mode, err)
	}
	return &ceilingServer{url: url, cmd: cmd}, nil
}

// benchHTTPCeilings loads each HTTP ceiling under wrk at every connection
// count, one ceiling process at a time.
func benchHTTPCeilings(ctx context.Context, cfg config, dir string) ([]figure, error) {
	var figs []figure
	for _, c := range []struct{ mode, name, note string }{
		{"bare", "ceiling_http_bare", "net/http JSON handler"},
		{"sqlite", "ceiling_sqlite_insert", "the same plus one durable SQLite insert"},
	} {
		s, err := startCeiling(ctx, c.mode, dir)
		if err != nil {
			return nil, err
		}
		for _, conns := range connSet {
			res, err := runWrk(ctx, wrkLoad{url: s.url + "/koodrive/ose/v1/users", conns: conns,
				duration: cfg.duration, max: cfg.maxCreates, prefix: fmt.Sprintf("%sc%d", c.mode, conns), script: cfg.wrkScript})
			if err != nil {
				stopProcess(s.cmd)
				return nil, fmt.Errorf("%s_c%d: %w", c.name, conns, err)
			}
			figs = append(figs, res.figures(fmt.Sprintf("%s_c%d", c.name, conns), c.note, nil)...)
		}
		stopProcess(s.cmd)
	}
	return figs, nil
}
