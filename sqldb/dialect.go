package sqldb

import (
	"context"
	"fmt"
	"strconv"
)

// dialect holds what differs between SQLite and PostgreSQL. Every query
// that cannot be written the same way for both asks its transaction's
// dialect; everything else is one query for both.
type dialect struct {
	name string
	// texts and ints give a subquery of the values of a JSON array bound
	// to placeholder p, as text or as integers: how a list of any length
	// goes into an IN clause as one parameter.
	texts func(p string) string
	ints  func(p string) string
	// forUpdate ends a SELECT that locks the rows it reads. SQLite needs
	// none: its writers take turns.
	forUpdate string
	// skipLocked ends a SELECT that locks the rows it reads and passes over
	// those another transaction holds: how instances share out tasks.
	skipLocked string
	// leases says whether other live instances may hold tasks. On SQLite
	// one server runs tasks, so a claim left by an earlier process is
	// stale and taken at once.
	leases bool
	// lockOrg serializes a transaction's changes to the organization with
	// every other's, on every instance (see mutate).
	lockOrg func(ctx context.Context, tx *Tx) error
	// lockInit serializes the first start of several instances.
	lockInit func(ctx context.Context, tx *Tx) error
	// analyze refreshes the planner's statistics of a table that has just
	// grown by many rows. PostgreSQL plans the look-ups of a large upload's
	// rows by their keys as scans of the whole upload (ten times slower)
	// until it knows the table; SQLite uses the indexes without statistics.
	analyze func(ctx context.Context, tx *Tx, table string) error
	// param is the placeholder of the i-th parameter in bulk statements.
	// SQLite's driver binds "$N" in time that grows with the square of the
	// parameters, so there they are "?", which bind by position: the
	// parameters must then appear in the text in the order of the args.
	param func(i int) string
	// typedValues says whether a VALUES list must give its parameters'
	// types. PostgreSQL cannot infer them; SQLite needs none, and given
	// them (CAST) it plans an UPDATE ... FROM (VALUES ...) as a scan of the
	// whole target, which made a million-row import's results cost ten
	// times its inserts.
	typedValues bool
	// chunkSizes are the sizes bulk statements come in (see inChunks),
	// largest first; none means any.
	chunkSizes []int
	// prepare says whether a transaction prepares its statements itself.
	// pgx keeps prepared statements per connection already, and preparing
	// per transaction would cost PostgreSQL two more round trips each.
	prepare bool
}

var sqliteDialect = dialect{
	name:       "sqlite",
	texts:      func(p string) string { return "SELECT value FROM json_each(" + p + ")" },
	ints:       func(p string) string { return "SELECT value FROM json_each(" + p + ")" },
	forUpdate:  "",
	skipLocked: "",
	leases:     false,
	// A write transaction holds SQLite's one write lock from its start.
	lockOrg:    func(context.Context, *Tx) error { return nil },
	lockInit:   func(context.Context, *Tx) error { return nil },
	param:      func(int) string { return "?" },
	analyze:    func(context.Context, *Tx, string) error { return nil },
	prepare:    true,
	chunkSizes: []int{100, 10, 1},
}

// initLockKey is the advisory lock that instances starting together take
// to initialize the organization once.
const initLockKey = 0x6b6f6f64 // "kood"

var postgresDialect = dialect{
	name:       "postgres",
	texts:      func(p string) string { return "SELECT json_array_elements_text(" + p + "::json)" },
	ints:       func(p string) string { return "SELECT json_array_elements_text(" + p + "::json)::bigint" },
	forUpdate:  " FOR UPDATE",
	skipLocked: " FOR UPDATE SKIP LOCKED",
	leases:     true,
	// The organization's row lock, taken first, makes changes of one
	// organization take turns as SQLite's writers do, so that every check
	// a change makes (the last administrator, a department move, a space's
	// size) holds when it commits.
	lockOrg: func(ctx context.Context, tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `SELECT id FROM organizations FOR UPDATE`); err != nil {
			return fmt.Errorf("lock organization: %w", err)
		}
		return nil
	},
	lockInit: func(ctx context.Context, tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, initLockKey); err != nil {
			return fmt.Errorf("lock initialization: %w", err)
		}
		return nil
	},
	param:       func(i int) string { return "$" + strconv.Itoa(i) },
	typedValues: true,
	analyze: func(ctx context.Context, tx *Tx, table string) error {
		if _, err := tx.ExecContext(ctx, "ANALYZE "+table); err != nil {
			return fmt.Errorf("analyze %s: %w", table, err)
		}
		return nil
	},
}
