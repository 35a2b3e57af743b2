package sqldb_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the raw drivers, for tests that read the tables directly
	"github.com/koodrive/koodrive"
	"github.com/koodrive/koodrive/internal/pgtest"
	"github.com/koodrive/koodrive/sqldb"
	_ "modernc.org/sqlite"
)

// The tests in this package are service tests: they drive the koodrive
// service interfaces against a real database and look at the results only
// through those interfaces (plus, for a few storage promises, the raw
// tables). Every test runs once per backend, as the subtests
// backend=sqlite and backend=postgres (eachBackend); MustOpenDB opens the
// backend the running subtest names. The PostgreSQL half needs a server:
// KOODRIVE_TEST_POSTGRES holds its DSN, and without it those subtests are
// skipped, saying so.

// pgDatabases are the migrated PostgreSQL databases the tests take turns
// with, each emptied between tests.
var pgDatabases = pgtest.NewPool(func(ctx context.Context, dsn string) error {
	db, err := sqldb.Open(ctx, dsn, time.Now)
	if err != nil {
		return err
	}
	return db.Close()
}, "goose_db_version")

func TestMain(m *testing.M) {
	code := m.Run()
	if err := pgDatabases.Drop(); err != nil {
		fmt.Fprintf(os.Stderr, "drop the PostgreSQL test databases: %v\n", err)
		code = 1
	}
	os.Exit(code)
}

// backends are the engines every test runs on.
var backends = []string{"sqlite", "postgres"}

// eachBackend runs test once per backend, as subtests named backend=NAME.
func eachBackend(t *testing.T, test func(t *testing.T)) {
	for _, b := range backends {
		t.Run("backend="+b, test)
	}
}

// backendOf returns the backend the running (sub)test is under.
func backendOf(tb testing.TB) string {
	for part := range strings.SplitSeq(tb.Name(), "/") {
		if b, ok := strings.CutPrefix(part, "backend="); ok {
			return b
		}
	}
	tb.Fatalf("%s does not run under eachBackend", tb.Name())
	return ""
}

// t0 is the fake clock's start: an ordinary working morning.
var t0 = time.Date(2025, 6, 2, 9, 0, 0, 0, time.UTC)

// Clock is a fake clock that tests move by hand. It is safe for concurrent
// use because the services read it from many goroutines.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock stopped at t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock by d (back when d is negative).
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// DB is a database under test, the services on it and the clock they read.
// The services are held as the domain interfaces: the tests never depend on
// the concrete implementation.
type DB struct {
	Path  string // the SQLite file; "" on PostgreSQL
	DSN   string // what sqldb.Open is given: Path, or a PostgreSQL URL
	Clock *Clock

	Orgs   koodrive.OrganizationService
	Depts  koodrive.DepartmentService
	Users  koodrive.UserService
	Import koodrive.ImportService
	Auth   koodrive.AuthService
	Apps   koodrive.AppService
	Spaces koodrive.SpaceService
	Audit  koodrive.AuditService

	db *sqldb.DB
}

// testKey is the fixed server key the test databases seal app secrets with.
var testKey = []byte("koodrive test server key, 32 B!!")

// MustOpenDB opens a fresh, empty database for one test, with a fake clock
// at t0, and closes it when the test ends.
func MustOpenDB(tb testing.TB) *DB {
	tb.Helper()
	db := &DB{Clock: NewClock(t0)}
	switch backendOf(tb) {
	case "sqlite":
		db.Path = filepath.Join(tb.TempDir(), "koodrive.db")
		db.DSN = db.Path
	case "postgres":
		db.DSN = pgDatabases.DSN(tb)
	}
	db.mustOpen(tb)
	tb.Cleanup(func() {
		if err := db.db.Close(); err != nil {
			tb.Errorf("close database: %v", err)
		}
	})
	return db
}

func (db *DB) mustOpen(tb testing.TB) {
	tb.Helper()
	d, err := sqldb.Open(context.Background(), db.DSN, db.Clock.Now)
	if err != nil {
		tb.Fatalf("open database: %v", err)
	}
	db.db = d
	db.Orgs = sqldb.NewOrganizationService(d)
	db.Depts = sqldb.NewDepartmentService(d)
	db.Users = sqldb.NewUserService(d)
	db.Import = sqldb.NewImportService(d)
	db.Auth = sqldb.NewAuthService(d)
	db.Spaces = sqldb.NewSpaceService(d)
	db.Audit = sqldb.NewAuditService(d)
	db.Apps = db.MustAppsWithKey(tb, testKey)
}

// MustAppsWithKey returns an AppService on the same database that seals and
// opens app secrets with key instead of the test key, as a server started
// with another key would.
func (db *DB) MustAppsWithKey(tb testing.TB, key []byte) koodrive.AppService {
	tb.Helper()
	sealer, err := sqldb.NewSealer(key)
	if err != nil {
		tb.Fatalf("server key: %v", err)
	}
	return sqldb.NewAppService(db.db, sealer)
}

// CheckServerKey checks key against the database, as a starting server does.
func (db *DB) CheckServerKey(ctx context.Context, key *sqldb.Sealer) error {
	return db.db.CheckServerKey(ctx, key)
}

// MustReopen closes the database and opens it again, in place, as a
// restarted server would.
func (db *DB) MustReopen(tb testing.TB) {
	tb.Helper()
	if err := db.db.Close(); err != nil {
		tb.Fatalf("close database: %v", err)
	}
	db.mustOpen(tb)
}

// MustRaw opens the database directly with its driver, for the few tests
// that change what is stored behind the services' backs. Foreign keys are
// enforced, so deletes cascade as they would for the server. Queries number
// their parameters ($1), which both engines read.
func (db *DB) MustRaw(tb testing.TB) *sql.DB {
	tb.Helper()
	return db.mustRaw(tb, false)
}

// MustRawReadOnly opens the database directly and read-only, for the tests
// that check what is stored rather than what the services say.
func (db *DB) MustRawReadOnly(tb testing.TB) *sql.DB {
	tb.Helper()
	return db.mustRaw(tb, true)
}

func (db *DB) mustRaw(tb testing.TB, readOnly bool) *sql.DB {
	tb.Helper()
	raw, err := db.openRaw(readOnly)
	if err != nil {
		tb.Fatalf("open raw database: %v", err)
	}
	tb.Cleanup(func() { raw.Close() })
	return raw
}

func (db *DB) openRaw(readOnly bool) (*sql.DB, error) {
	if db.Path == "" {
		u, err := url.Parse(db.DSN)
		if err != nil {
			return nil, err
		}
		if readOnly {
			q := u.Query()
			q.Set("default_transaction_read_only", "on")
			u.RawQuery = q.Encode()
		}
		return sql.Open("pgx", u.String())
	}
	dsn := "file:" + db.Path + "?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)"
	if readOnly {
		dsn = "file:" + db.Path + "?mode=ro&_pragma=busy_timeout(10000)&_pragma=query_only(1)"
	}
	return sql.Open("sqlite", dsn)
}

// Org is an initialized organization as a test sees it.
type Org struct {
	*koodrive.Organization
	Root  *koodrive.Department
	Admin koodrive.Actor // the system administrator, built from the store
}

// defaultInit is the organization most tests start with.
var defaultInit = koodrive.OrganizationInit{Name: "Acme", CapacityGB: 1000, MaxUsers: 1000, AdminUserID: "admin"}

// MustInitOrg initializes the default organization.
func MustInitOrg(tb testing.TB, db *DB) *Org {
	tb.Helper()
	return MustInitOrgWith(tb, db, defaultInit)
}

// MustInitOrgWith initializes the organization with in and returns it with
// its root department and an Actor for its system administrator. The admin's
// Actor is read from the store rather than from a session, so that the admin
// stays "not activated" for tests that look at that. When the test ends it
// checks the organization's totals against the rows they summarize
// (checkInvariants).
func MustInitOrgWith(tb testing.TB, db *DB, in koodrive.OrganizationInit) *Org {
	tb.Helper()
	ctx := context.Background()
	org, created, err := db.Orgs.InitOrganization(ctx, in)
	if err != nil {
		tb.Fatalf("init organization: %v", err)
	}
	if !created {
		tb.Fatalf("init organization: created = false, want true")
	}
	// A system administrator reads everything whatever its ID: enough to
	// look up the real one.
	anyAdmin := koodrive.Actor{Role: koodrive.RoleSystemAdmin}
	root, err := db.Depts.FindDepartmentByID(ctx, anyAdmin, org.RootDeptID)
	if err != nil {
		tb.Fatalf("find root department: %v", err)
	}
	users, _, err := db.Users.FindUsers(ctx, anyAdmin, koodrive.UserFilter{DeptID: root.ID, Direct: true, Limit: 10})
	if err != nil {
		tb.Fatalf("find administrator: %v", err)
	}
	var admin *koodrive.User
	for _, u := range users {
		if koodrive.FoldKey(u.UserID) == koodrive.FoldKey(in.AdminUserID) {
			admin = u
		}
	}
	if admin == nil {
		tb.Fatalf("administrator %q not found in the root department", in.AdminUserID)
	}
	o := &Org{
		Organization: org,
		Root:         root,
		Admin:        koodrive.Actor{ID: admin.ID, UserID: admin.UserID, Role: admin.Role, DeptID: root.ID, DeptPath: root.Path},
	}
	tb.Cleanup(func() { checkInvariants(tb, db, o.Admin) })
	return o
}

// checkInvariants checks the totals every mutation keeps in the same
// transaction as the rows: the user count and the allocated capacity.
func checkInvariants(tb testing.TB, db *DB, admin koodrive.Actor) {
	tb.Helper()
	checkUserCount(tb, db, admin)
	checkAllocated(tb, db, admin)
}

// checkAllocated checks that the organization's allocated capacity is the
// sum of its spaces' capacities and within its total: through the services
// (Usage sums the spaces themselves, AllocatedGB is the organization's
// total) and in the stored rows.
func checkAllocated(tb testing.TB, db *DB, admin koodrive.Actor) {
	tb.Helper()
	ctx := context.Background()
	u, err := db.Spaces.Usage(ctx, admin)
	if err != nil {
		tb.Errorf("invariant: usage: %v", err)
		return
	}
	var sum int64
	for _, k := range u.ByType {
		sum += k.AllocatedGB
	}
	if got, want := u.AllocatedGB, sum; got != want {
		tb.Errorf("invariant: Usage AllocatedGB = %d, want %d (the sum of the spaces' capacities)", got, want)
	}
	if u.AllocatedGB > u.CapacityGB {
		tb.Errorf("invariant: Usage AllocatedGB = %d, want at most CapacityGB %d", u.AllocatedGB, u.CapacityGB)
	}
	raw, err := db.openRaw(true)
	if err != nil {
		tb.Errorf("invariant: open raw database: %v", err)
		return
	}
	defer raw.Close()
	var allocated, capacity, spaces, userCount, users int64
	if err := raw.QueryRowContext(ctx, `
		SELECT o.allocated_gb, o.capacity_gb, (SELECT coalesce(sum(capacity_gb), 0) FROM spaces),
			o.user_count, (SELECT count(*) FROM users)
		FROM organizations o`).Scan(&allocated, &capacity, &spaces, &userCount, &users); err != nil {
		tb.Errorf("invariant: read totals: %v", err)
		return
	}
	if allocated != spaces {
		tb.Errorf("invariant: stored allocated_gb = %d, want %d (sum of spaces.capacity_gb)", allocated, spaces)
	}
	if allocated > capacity {
		tb.Errorf("invariant: stored allocated_gb = %d, want at most capacity_gb %d", allocated, capacity)
	}
	if userCount != users {
		tb.Errorf("invariant: stored user_count = %d, want %d (rows in users)", userCount, users)
	}
}

// checkUserCount checks the invariant every mutation keeps: the
// organization's user count is the number of its users.
func checkUserCount(tb testing.TB, db *DB, admin koodrive.Actor) {
	tb.Helper()
	ctx := context.Background()
	org, err := db.Orgs.FindOrganization(ctx)
	if err != nil {
		tb.Errorf("invariant: find organization: %v", err)
		return
	}
	_, total, err := db.Users.FindUsers(ctx, admin, koodrive.UserFilter{DeptID: org.RootDeptID, Limit: 1})
	if err != nil {
		tb.Errorf("invariant: find users: %v", err)
		return
	}
	if got, want := org.UserCount, int64(total); got != want {
		tb.Errorf("invariant: organization UserCount = %d, want %d (the number of users)", got, want)
	}
}

// MustFindOrg returns the organization as it is now.
func MustFindOrg(tb testing.TB, db *DB) *koodrive.Organization {
	tb.Helper()
	org, err := db.Orgs.FindOrganization(context.Background())
	if err != nil {
		tb.Fatalf("find organization: %v", err)
	}
	return org
}

// MustCreateDept creates a department named name under parent.
func MustCreateDept(tb testing.TB, db *DB, a koodrive.Actor, parent koodrive.ID, name string) *koodrive.Department {
	tb.Helper()
	d, err := db.Depts.CreateDepartment(context.Background(), a, koodrive.DepartmentCreate{Name: name, ParentID: parent})
	if err != nil {
		tb.Fatalf("create department %q: %v", name, err)
	}
	return d
}

// MustCreateUser creates a user.
func MustCreateUser(tb testing.TB, db *DB, a koodrive.Actor, in koodrive.UserCreate) *koodrive.User {
	tb.Helper()
	u, err := db.Users.CreateUser(context.Background(), a, in)
	if err != nil {
		tb.Fatalf("create user %q: %v", in.UserID, err)
	}
	return u
}

// MustActor signs userID in with a new session and returns the Actor the
// token authenticates as. Like any first sign-in, it activates the user.
func MustActor(tb testing.TB, db *DB, userID string) koodrive.Actor {
	tb.Helper()
	ctx := context.Background()
	sess := MustSession(tb, db, userID)
	a, err := db.Auth.Authenticate(ctx, sess.Token)
	if err != nil {
		tb.Fatalf("authenticate %q: %v", userID, err)
	}
	return *a
}

// MustSession creates a session for userID.
func MustSession(tb testing.TB, db *DB, userID string) *koodrive.Session {
	tb.Helper()
	sess, err := db.Auth.CreateSession(context.Background(), userID)
	if err != nil {
		tb.Fatalf("create session for %q: %v", userID, err)
	}
	return sess
}

// MustUserActor creates a user with role r in dept and returns its Actor.
func MustUserActor(tb testing.TB, db *DB, admin koodrive.Actor, userID string, dept koodrive.ID, r koodrive.Role) koodrive.Actor {
	tb.Helper()
	MustCreateUser(tb, db, admin, koodrive.UserCreate{UserID: userID, DeptID: dept, Role: &r})
	return MustActor(tb, db, userID)
}

// MustUserTotal returns the number of users in the whole organization.
func MustUserTotal(tb testing.TB, db *DB, admin koodrive.Actor) int {
	tb.Helper()
	_, total, err := db.Users.FindUsers(context.Background(), admin, koodrive.UserFilter{Limit: 1})
	if err != nil {
		tb.Fatalf("find users: %v", err)
	}
	return total
}

// assertKind fails the test unless err is of kind want.
func assertKind(tb testing.TB, err error, want koodrive.Kind) {
	tb.Helper()
	if got := koodrive.ErrorKind(err); got != want {
		tb.Fatalf("error kind = %q, want %q (err: %v)", got, want, err)
	}
}

// assertError fails the test unless err is of kind want naming field.
func assertError(tb testing.TB, err error, want koodrive.Kind, field string) {
	tb.Helper()
	assertKind(tb, err, want)
	if got := koodrive.AsError(err).Field; got != field {
		tb.Fatalf("error field = %q, want %q (err: %v)", got, field, err)
	}
}
