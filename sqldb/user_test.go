package sqldb_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/koodrive/koodrive"
)

// tree is a small organization: Acme > Sales > EMEA, Acme > Eng.
type tree struct {
	*Org
	Sales, EMEA, Eng *koodrive.Department
}

func mustTree(tb testing.TB, db *DB) *tree {
	tb.Helper()
	o := MustInitOrg(tb, db)
	t := &tree{Org: o}
	t.Sales = MustCreateDept(tb, db, o.Admin, o.Root.ID, "Sales")
	t.EMEA = MustCreateDept(tb, db, o.Admin, t.Sales.ID, "EMEA")
	t.Eng = MustCreateDept(tb, db, o.Admin, o.Root.ID, "Eng")
	return t
}

func TestUserService_CreateUser(t *testing.T) { eachBackend(t, testUserService_CreateUser) }

func testUserService_CreateUser(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		// A request with userId only: koodrive's documented minimal body.
		u, err := db.Users.CreateUser(ctx, o.Admin, koodrive.UserCreate{UserID: "alice"})
		if err != nil {
			t.Fatal(err)
		}
		if u.ID == 0 {
			t.Fatalf("ID = 0, want one")
		}
		if got, want := u.UserID, "alice"; got != want {
			t.Errorf("UserID = %q, want %q", got, want)
		}
		if got, want := u.DeptID, o.Root.ID; got != want {
			t.Errorf("DeptID = %d, want %d (the root)", got, want)
		}
		if got, want := u.DeptName, o.Root.Name; got != want {
			t.Errorf("DeptName = %q, want %q", got, want)
		}
		if got, want := u.OrgID, o.ID; got != want {
			t.Errorf("OrgID = %d, want %d", got, want)
		}
		if got, want := u.Role, koodrive.RoleUser; got != want {
			t.Errorf("Role = %d, want %d (a common user unless given)", got, want)
		}
		if got, want := u.Status, koodrive.StatusNotActivated; got != want {
			t.Errorf("Status = %d, want %d", got, want)
		}
		if !u.CreatedAt.Equal(t0) {
			t.Errorf("CreatedAt = %v, want %v", u.CreatedAt, t0)
		}
		found, err := db.Users.FindUserByID(ctx, o.Admin, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if *found != *u {
			t.Errorf("FindUserByID = %+v, want %+v", *found, *u)
		}
		if got, want := MustFindOrg(t, db).UserCount, int64(2); got != want {
			t.Errorf("UserCount = %d, want %d", got, want)
		}
	})

	t.Run("DeptAndRole", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		u := MustCreateUser(t, db, tr.Admin, koodrive.UserCreate{
			UserID: "Bob.Smith", Name: "Bob Smith", Mobile: "+86 (138) 0013-8000", Email: "Bob@Example.com",
			DeptID: tr.EMEA.ID, Role: new(koodrive.RoleMemberManager),
		})
		want := koodrive.User{
			ID: u.ID, OrgID: tr.ID, UserID: "Bob.Smith", Name: "Bob Smith", Mobile: "+8613800138000", Email: "Bob@Example.com",
			DeptID: tr.EMEA.ID, DeptName: "EMEA", Role: koodrive.RoleMemberManager, Status: koodrive.StatusNotActivated,
			CreatedAt: t0, UpdatedAt: t0,
		}
		if *u != want {
			t.Errorf("CreateUser = %+v, want %+v", *u, want)
		}
		found, err := db.Users.FindUserByID(ctx, tr.Admin, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if *found != want {
			t.Errorf("FindUserByID = %+v, want %+v", *found, want)
		}
		for _, r := range []koodrive.Role{koodrive.RoleDeptAdmin, koodrive.RoleUser, koodrive.RoleSystemAdmin, koodrive.RoleDriveAdmin} {
			u := MustCreateUser(t, db, tr.Admin, koodrive.UserCreate{UserID: fmt.Sprintf("role%d", r), DeptID: tr.Eng.ID, Role: &r})
			if got, want := u.Role, r; got != want {
				t.Errorf("Role = %d, want %d", got, want)
			}
		}
	})

	t.Run("ErrUserIDTaken", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "Alice", Role: new(koodrive.RoleUser)})
		for _, id := range []string{"Alice", "alice", "ALICE", "ADMIN"} {
			_, err := db.Users.CreateUser(ctx, o.Admin, koodrive.UserCreate{UserID: id, Role: new(koodrive.RoleUser)})
			assertError(t, err, koodrive.ECONFLICT, "userId")
		}
		if got, want := MustFindOrg(t, db).UserCount, int64(2); got != want {
			t.Errorf("UserCount = %d, want %d", got, want)
		}
	})

	t.Run("ErrEmailTaken", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "a", Email: "Ann@Example.com", Role: new(koodrive.RoleUser)})
		for _, email := range []string{"Ann@Example.com", "ann@example.com", "ANN@EXAMPLE.COM"} {
			_, err := db.Users.CreateUser(ctx, o.Admin, koodrive.UserCreate{UserID: "b", Email: email, Role: new(koodrive.RoleUser)})
			assertError(t, err, koodrive.ECONFLICT, "email")
		}
		// Users without an email never collide on it.
		MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "c", Role: new(koodrive.RoleUser)})
		MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "d", Role: new(koodrive.RoleUser)})
		if got, want := MustFindOrg(t, db).UserCount, int64(4); got != want {
			t.Errorf("UserCount = %d, want %d", got, want)
		}
	})

	t.Run("ErrMobileTaken", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "a", Mobile: "+86 138 0013 8000", Role: new(koodrive.RoleUser)})
		for _, mobile := range []string{"+8613800138000", "+86-138-0013-8000", "+86 (138) 0013.8000"} {
			_, err := db.Users.CreateUser(ctx, o.Admin, koodrive.UserCreate{UserID: "b", Mobile: mobile, Role: new(koodrive.RoleUser)})
			assertError(t, err, koodrive.ECONFLICT, "mobile")
		}
		MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "c", Role: new(koodrive.RoleUser)})
		MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "d", Role: new(koodrive.RoleUser)})
		if got, want := MustFindOrg(t, db).UserCount, int64(4); got != want {
			t.Errorf("UserCount = %d, want %d", got, want)
		}
	})

	t.Run("ErrUserLimit", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		const max = 4
		o := MustInitOrgWith(t, db, koodrive.OrganizationInit{Name: "Acme", CapacityGB: 10, MaxUsers: max, AdminUserID: "admin"})
		for i := 1; i < max; i++ {
			MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: fmt.Sprintf("u%d", i), Role: new(koodrive.RoleUser)})
		}
		for i := range 3 {
			_, err := db.Users.CreateUser(ctx, o.Admin, koodrive.UserCreate{UserID: fmt.Sprintf("over%d", i), Role: new(koodrive.RoleUser)})
			assertKind(t, err, koodrive.ELIMIT)
		}
		if got, want := MustFindOrg(t, db).UserCount, int64(max); got != want {
			t.Errorf("UserCount = %d, want %d", got, want)
		}
		if got, want := MustUserTotal(t, db, o.Admin), max; got != want {
			t.Errorf("users = %d, want %d", got, want)
		}
	})

	t.Run("ErrDeptNotFound", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		_, err := db.Users.CreateUser(ctx, o.Admin, koodrive.UserCreate{UserID: "a", DeptID: o.Root.ID + 1_000_000, Role: new(koodrive.RoleUser)})
		assertError(t, err, koodrive.ENOTFOUND, "modifyUserInfoReq.deptId")
		if got, want := MustUserTotal(t, db, o.Admin), 1; got != want {
			t.Errorf("users = %d, want %d", got, want)
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		for _, tt := range []struct {
			name string
			in   koodrive.UserCreate
		}{
			{"UserIDRequired", koodrive.UserCreate{Role: new(koodrive.RoleUser)}},
			{"UserIDSpace", koodrive.UserCreate{UserID: "a b", Role: new(koodrive.RoleUser)}},
			{"UserIDTooLong", koodrive.UserCreate{UserID: strings.Repeat("a", koodrive.MaxUserIDLen+1), Role: new(koodrive.RoleUser)}},
			{"NameControl", koodrive.UserCreate{UserID: "a", Name: "A\x00", Role: new(koodrive.RoleUser)}},
			{"Mobile", koodrive.UserCreate{UserID: "a", Mobile: "call me", Role: new(koodrive.RoleUser)}},
			{"MobileShort", koodrive.UserCreate{UserID: "a", Mobile: "1234", Role: new(koodrive.RoleUser)}},
			{"Email", koodrive.UserCreate{UserID: "a", Email: "not-an-email", Role: new(koodrive.RoleUser)}},
			{"EmailDisplayName", koodrive.UserCreate{UserID: "a", Email: "Ann <ann@example.com>", Role: new(koodrive.RoleUser)}},
			{"Role", koodrive.UserCreate{UserID: "a", Role: new(koodrive.Role(4))}},
		} {
			_, err := db.Users.CreateUser(ctx, o.Admin, tt.in)
			if got, want := koodrive.ErrorKind(err), koodrive.EINVALID; got != want {
				t.Errorf("%s: error kind = %q, want %q (err: %v)", tt.name, got, want, err)
			}
		}
		if got, want := MustUserTotal(t, db, o.Admin), 1; got != want {
			t.Errorf("users = %d, want %d", got, want)
		}
	})

	t.Run("ErrForbiddenScope", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		deptAdmin := MustUserActor(t, db, tr.Admin, "sales-admin", tr.Sales.ID, koodrive.RoleDeptAdmin)
		before := MustFindOrg(t, db).UserCount

		// Inside its subtree: fine.
		MustCreateUser(t, db, deptAdmin, koodrive.UserCreate{UserID: "in-sales", DeptID: tr.Sales.ID, Role: new(koodrive.RoleUser)})
		MustCreateUser(t, db, deptAdmin, koodrive.UserCreate{UserID: "in-emea", DeptID: tr.EMEA.ID, Role: new(koodrive.RoleUser)})

		for _, dept := range []koodrive.ID{tr.Eng.ID, tr.Root.ID, 0} {
			_, err := db.Users.CreateUser(ctx, deptAdmin, koodrive.UserCreate{UserID: "outside", DeptID: dept, Role: new(koodrive.RoleUser)})
			assertKind(t, err, koodrive.EFORBIDDEN)
		}
		if got, want := MustFindOrg(t, db).UserCount, before+2; got != want {
			t.Errorf("UserCount = %d, want %d", got, want)
		}
		if _, err := db.Auth.CreateSession(ctx, "outside"); koodrive.ErrorKind(err) != koodrive.ENOTFOUND {
			t.Errorf("user outside: CreateSession err = %v, want ENOTFOUND (never written)", err)
		}
	})

	t.Run("ErrForbiddenGrant", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		deptAdmin := MustUserActor(t, db, tr.Admin, "sales-admin", tr.Sales.ID, koodrive.RoleDeptAdmin)
		before := MustFindOrg(t, db).UserCount
		for _, r := range []koodrive.Role{koodrive.RoleSystemAdmin, koodrive.RoleDriveAdmin} {
			_, err := db.Users.CreateUser(ctx, deptAdmin, koodrive.UserCreate{UserID: "grant", DeptID: tr.Sales.ID, Role: &r})
			assertError(t, err, koodrive.EFORBIDDEN, "modifyUserInfoReq.role")
		}
		// Roles below its own are fine.
		MustCreateUser(t, db, deptAdmin, koodrive.UserCreate{UserID: "sub-admin", DeptID: tr.EMEA.ID, Role: new(koodrive.RoleDeptAdmin)})
		MustCreateUser(t, db, deptAdmin, koodrive.UserCreate{UserID: "manager", DeptID: tr.EMEA.ID, Role: new(koodrive.RoleMemberManager)})
		if got, want := MustFindOrg(t, db).UserCount, before+2; got != want {
			t.Errorf("UserCount = %d, want %d", got, want)
		}
	})

	t.Run("OtherRoles", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		manager := MustUserActor(t, db, tr.Admin, "manager", tr.Sales.ID, koodrive.RoleMemberManager)
		MustCreateUser(t, db, manager, koodrive.UserCreate{UserID: "m1", DeptID: tr.EMEA.ID, Role: new(koodrive.RoleUser)})
		_, err := db.Users.CreateUser(ctx, manager, koodrive.UserCreate{UserID: "m2", DeptID: tr.EMEA.ID, Role: new(koodrive.RoleDeptAdmin)})
		assertKind(t, err, koodrive.EFORBIDDEN)
		_, err = db.Users.CreateUser(ctx, manager, koodrive.UserCreate{UserID: "m3", DeptID: tr.Eng.ID, Role: new(koodrive.RoleUser)})
		assertKind(t, err, koodrive.EFORBIDDEN)

		for _, r := range []koodrive.Role{koodrive.RoleDriveAdmin, koodrive.RoleUser} {
			a := MustUserActor(t, db, tr.Admin, fmt.Sprintf("role%d", r), tr.Sales.ID, r)
			_, err := db.Users.CreateUser(ctx, a, koodrive.UserCreate{UserID: "x", DeptID: tr.Sales.ID, Role: new(koodrive.RoleUser)})
			if got, want := koodrive.ErrorKind(err), koodrive.EFORBIDDEN; got != want {
				t.Errorf("role %d: error kind = %q, want %q (err: %v)", r, got, want, err)
			}
		}
	})
}

// TestUserService_CreateUser_Concurrent creates users from many goroutines
// at once, as many HTTP requests would.
func TestUserService_CreateUser_Concurrent(t *testing.T) {
	eachBackend(t, testUserService_CreateUser_Concurrent)
}

func testUserService_CreateUser_Concurrent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		const n = 64
		errs := make([]error, n)
		ids := make([]koodrive.ID, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Go(func() {
				<-start
				u, err := db.Users.CreateUser(ctx, o.Admin, koodrive.UserCreate{
					UserID: fmt.Sprintf("user%02d", i), Email: fmt.Sprintf("user%02d@example.com", i), Role: new(koodrive.RoleUser),
				})
				if err == nil {
					ids[i] = u.ID
				}
				errs[i] = err
			})
		}
		close(start)
		wg.Wait()
		seen := make(map[koodrive.ID]bool)
		for i, err := range errs {
			if err != nil {
				t.Errorf("user %d: %v", i, err)
			}
			if seen[ids[i]] {
				t.Errorf("user %d: ID %d issued twice", i, ids[i])
			}
			seen[ids[i]] = true
		}
		if got, want := MustFindOrg(t, db).UserCount, int64(n+1); got != want {
			t.Errorf("UserCount = %d, want %d", got, want)
		}
		if got, want := MustUserTotal(t, db, o.Admin), n+1; got != want {
			t.Errorf("users = %d, want %d", got, want)
		}
	})

	t.Run("ErrUserLimit", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		const max, n = 10, 30
		o := MustInitOrgWith(t, db, koodrive.OrganizationInit{Name: "Acme", CapacityGB: 10, MaxUsers: max, AdminUserID: "admin"})
		errs := make([]error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Go(func() {
				<-start
				_, errs[i] = db.Users.CreateUser(ctx, o.Admin, koodrive.UserCreate{UserID: fmt.Sprintf("user%02d", i), Role: new(koodrive.RoleUser)})
			})
		}
		close(start)
		wg.Wait()
		var ok, limited int
		for i, err := range errs {
			switch koodrive.ErrorKind(err) {
			case "":
				ok++
			case koodrive.ELIMIT:
				limited++
			default:
				t.Errorf("user %d: %v", i, err)
			}
		}
		if got, want := ok, max-1; got != want {
			t.Errorf("created %d, want %d (the admin is the first user)", got, want)
		}
		if got, want := limited, n-(max-1); got != want {
			t.Errorf("ELIMIT %d times, want %d", got, want)
		}
		if got, want := MustFindOrg(t, db).UserCount, int64(max); got != want {
			t.Errorf("UserCount = %d, want %d", got, want)
		}
		if got, want := MustUserTotal(t, db, o.Admin), max; got != want {
			t.Errorf("users = %d, want %d", got, want)
		}
	})
}

func TestUserService_FindUsers(t *testing.T) { eachBackend(t, testUserService_FindUsers) }

func testUserService_FindUsers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	// people places users so that creation order differs from name order.
	people := func(t *testing.T, db *DB) *tree {
		t.Helper()
		tr := mustTree(t, db)
		for _, u := range []koodrive.UserCreate{
			{UserID: "zoe", Name: "Zoe Zhang", DeptID: tr.Sales.ID},
			{UserID: "yann", Name: "Yann Young", DeptID: tr.EMEA.ID},
			{UserID: "xavi", Name: "Xavi Xu", DeptID: tr.Eng.ID},
			{UserID: "wen", Name: "Wen Wang", DeptID: tr.Sales.ID},
			{UserID: "vic", Name: "Vic Vale", DeptID: tr.EMEA.ID},
		} {
			u.Role = new(koodrive.RoleUser)
			MustCreateUser(t, db, tr.Admin, u)
		}
		return tr
	}

	t.Run("SubtreeAndDirect", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := people(t, db)
		for _, tt := range []struct {
			name   string
			f      koodrive.UserFilter
			want   string
			wantN  int
			direct bool
		}{
			{"All", koodrive.UserFilter{}, "admin,zoe,yann,xavi,wen,vic", 6, false},
			{"Root", koodrive.UserFilter{DeptID: tr.Root.ID}, "admin,zoe,yann,xavi,wen,vic", 6, false},
			{"RootDirect", koodrive.UserFilter{DeptID: tr.Root.ID, Direct: true}, "admin", 1, true},
			{"Sales", koodrive.UserFilter{DeptID: tr.Sales.ID}, "zoe,yann,wen,vic", 4, false},
			{"SalesDirect", koodrive.UserFilter{DeptID: tr.Sales.ID, Direct: true}, "zoe,wen", 2, true},
			{"EMEA", koodrive.UserFilter{DeptID: tr.EMEA.ID}, "yann,vic", 2, false},
			{"Eng", koodrive.UserFilter{DeptID: tr.Eng.ID, Direct: true}, "xavi", 1, true},
		} {
			tt.f.Limit = 100
			users, total, err := db.Users.FindUsers(ctx, tr.Admin, tt.f)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			if got := userIDs(users); got != tt.want {
				t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
			}
			if got := total; got != tt.wantN {
				t.Errorf("%s: total %d, want %d", tt.name, got, tt.wantN)
			}
		}
	})

	t.Run("KeyWord", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		for _, u := range []koodrive.UserCreate{
			{UserID: "ann", Name: "Ann Lee"},
			{UserID: "LEEroy", Name: "Roy"},
			{UserID: "bob", Name: "Bob 100%"},
			{UserID: "b_c", Name: "Underscore"},
			{UserID: "bxc", Name: "Plain"},
			{UserID: `back\slash`, Name: "Slash"},
			{UserID: "pct", Name: "50% off"},
		} {
			u.Role = new(koodrive.RoleUser)
			MustCreateUser(t, db, o.Admin, u)
		}
		for _, tt := range []struct {
			keyword, want string
		}{
			{"lee", "ann,LEEroy"}, // in a name and in a userId
			{"LEE", "ann,LEEroy"}, // ignoring case
			{"ADMIN", "admin"},
			{"under", "b_c"}, // a name only
			{"oy", "LEEroy"},
			{"an", "ann"},
			{"E", "ann,LEEroy,b_c"},
			{"zzz", ""},
			{"%", "bob,pct"}, // a literal percent sign
			{"0%", "bob,pct"},
			{"50% OFF", "pct"},
			{"%off", ""}, // "%" is no wildcard: "50% off" has a space
			{"b%", ""},
			{"_", "b_c"}, // a literal underscore, not any character
			{"b_c", "b_c"},
			{"r_y", ""},
			{`\`, `back\slash`}, // the escape character itself
		} {
			users, total, err := db.Users.FindUsers(ctx, o.Admin, koodrive.UserFilter{KeyWord: tt.keyword, Limit: 100})
			if err != nil {
				t.Fatalf("keyword %q: %v", tt.keyword, err)
			}
			if got := userIDs(users); got != tt.want {
				t.Errorf("keyword %q: %s, want %s", tt.keyword, got, tt.want)
			}
			if got, want := total, len(users); got != want {
				t.Errorf("keyword %q: total %d, want %d", tt.keyword, got, want)
			}
		}
	})

	// Names are compared ignoring case in every script, as department names
	// and user IDs are.
	t.Run("KeyWordNonASCII", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "lw", Name: "Łukasz Wójcik", Role: new(koodrive.RoleUser)})
		MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "ÉMILE", Name: "Émile Zola", Role: new(koodrive.RoleUser)})
		for _, tt := range []struct{ keyword, want string }{
			{"Łukasz", "lw"},
			{"łukasz", "lw"},
			{"WÓJCIK", "lw"},
			{"Émile", "ÉMILE"},
			{"émile zola", "ÉMILE"},
		} {
			users, _, err := db.Users.FindUsers(ctx, o.Admin, koodrive.UserFilter{KeyWord: tt.keyword, Limit: 100})
			if err != nil {
				t.Fatalf("keyword %q: %v", tt.keyword, err)
			}
			if got := userIDs(users); got != tt.want {
				t.Errorf("keyword %q: %q, want %q", tt.keyword, got, tt.want)
			}
		}
	})

	t.Run("Pages", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		// Names and user IDs in reverse alphabetical order: the listing
		// follows creation, not names.
		want := []string{"admin"}
		for i := range 12 {
			id := fmt.Sprintf("u%02d", 99-i)
			MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: id, Name: fmt.Sprintf("Name %c", 'z'-i), Role: new(koodrive.RoleUser)})
			want = append(want, id)
		}
		var all []string
		for offset := 0; offset < 20; offset += 5 {
			users, total, err := db.Users.FindUsers(ctx, o.Admin, koodrive.UserFilter{Offset: offset, Limit: 5})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := total, 13; got != want {
				t.Fatalf("offset %d: total %d, want %d", offset, got, want)
			}
			if got, want := len(users), max(0, min(5, 13-offset)); got != want {
				t.Fatalf("offset %d: %d users, want %d", offset, got, want)
			}
			for _, u := range users {
				all = append(all, u.UserID)
			}
		}
		if got, want := strings.Join(all, ","), strings.Join(want, ","); got != want {
			t.Fatalf("pages = %s, want %s", got, want)
		}
		// A page of a filtered listing counts the filtered users.
		users, total, err := db.Users.FindUsers(ctx, o.Admin, koodrive.UserFilter{KeyWord: "u9", Offset: 2, Limit: 3})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := userIDs(users), "u97,u96,u95"; got != want {
			t.Errorf("filtered page = %s, want %s", got, want)
		}
		if got, want := total, 10; got != want {
			t.Errorf("filtered total = %d, want %d", got, want)
		}
	})

	t.Run("Scope", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := people(t, db)
		deptAdmin := MustUserActor(t, db, tr.Admin, "sales-admin", tr.Sales.ID, koodrive.RoleDeptAdmin)

		// Without a department: its own subtree.
		users, total, err := db.Users.FindUsers(ctx, deptAdmin, koodrive.UserFilter{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := userIDs(users), "zoe,yann,wen,vic,sales-admin"; got != want {
			t.Errorf("dept admin, no department: %s, want %s", got, want)
		}
		if got, want := total, 5; got != want {
			t.Errorf("dept admin, no department: total %d, want %d", got, want)
		}
		if users, _, err = db.Users.FindUsers(ctx, deptAdmin, koodrive.UserFilter{DeptID: tr.EMEA.ID, Limit: 100}); err != nil {
			t.Fatal(err)
		} else if got, want := userIDs(users), "yann,vic"; got != want {
			t.Errorf("dept admin, EMEA: %s, want %s", got, want)
		}
		for _, dept := range []koodrive.ID{tr.Eng.ID, tr.Root.ID} {
			_, _, err := db.Users.FindUsers(ctx, deptAdmin, koodrive.UserFilter{DeptID: dept, Limit: 100})
			assertKind(t, err, koodrive.EFORBIDDEN)
			_, err = db.Users.CountUsers(ctx, deptAdmin, dept)
			assertKind(t, err, koodrive.EFORBIDDEN)
		}
		xavi := findUser(t, db, tr.Admin, "xavi")
		_, err = db.Users.FindUserByID(ctx, deptAdmin, xavi.ID)
		assertKind(t, err, koodrive.EFORBIDDEN)
		zoe := findUser(t, db, tr.Admin, "zoe")
		if _, err := db.Users.FindUserByID(ctx, deptAdmin, zoe.ID); err != nil {
			t.Errorf("dept admin reads a user in its subtree: %v", err)
		}

		// A drive administrator reads everyone.
		driveAdmin := MustUserActor(t, db, tr.Admin, "drive-admin", tr.EMEA.ID, koodrive.RoleDriveAdmin)
		if _, total, err = db.Users.FindUsers(ctx, driveAdmin, koodrive.UserFilter{Limit: 1}); err != nil {
			t.Fatal(err)
		} else if got, want := total, 8; got != want {
			t.Errorf("drive admin: total %d, want %d", got, want)
		}

		// A common user lists nobody, but reads itself.
		common := MustUserActor(t, db, tr.Admin, "common", tr.Sales.ID, koodrive.RoleUser)
		for _, dept := range []koodrive.ID{0, tr.Sales.ID, tr.Root.ID} {
			_, _, err := db.Users.FindUsers(ctx, common, koodrive.UserFilter{DeptID: dept, Limit: 100})
			assertKind(t, err, koodrive.EFORBIDDEN)
		}
		_, err = db.Users.FindUserByID(ctx, common, zoe.ID)
		assertKind(t, err, koodrive.EFORBIDDEN)
		self, err := db.Users.FindUserByID(ctx, common, common.ID)
		if err != nil {
			t.Fatalf("common user reads itself: %v", err)
		}
		if got, want := self.UserID, "common"; got != want {
			t.Errorf("self UserID = %q, want %q", got, want)
		}
	})

	t.Run("ErrDeptNotFound", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		_, _, err := db.Users.FindUsers(ctx, o.Admin, koodrive.UserFilter{DeptID: o.Root.ID + 1_000_000, Limit: 10})
		assertKind(t, err, koodrive.ENOTFOUND)
	})
}

func TestUserService_FindUserByID(t *testing.T) { eachBackend(t, testUserService_FindUserByID) }

func testUserService_FindUserByID(t *testing.T) {
	t.Parallel()

	t.Run("ErrNotFound", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		u, err := db.Users.FindUserByID(context.Background(), o.Admin, o.Admin.ID+1_000_000)
		assertKind(t, err, koodrive.ENOTFOUND)
		if u != nil {
			t.Errorf("user = %+v, want nil", u)
		}
	})
}

func TestUserService_CountUsers(t *testing.T) { eachBackend(t, testUserService_CountUsers) }

func testUserService_CountUsers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		for i, dept := range []koodrive.ID{tr.Sales.ID, tr.Sales.ID, tr.EMEA.ID, tr.Eng.ID, tr.EMEA.ID, tr.EMEA.ID} {
			MustCreateUser(t, db, tr.Admin, koodrive.UserCreate{UserID: fmt.Sprintf("u%d", i), DeptID: dept, Role: new(koodrive.RoleUser)})
		}
		for _, tt := range []struct {
			name string
			dept koodrive.ID
			want int
		}{
			{"Default", 0, 7},
			{"Root", tr.Root.ID, 7},
			{"Sales", tr.Sales.ID, 5},
			{"EMEA", tr.EMEA.ID, 3},
			{"Eng", tr.Eng.ID, 1},
		} {
			n, err := db.Users.CountUsers(ctx, tr.Admin, tt.dept)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			if got := n; got != tt.want {
				t.Errorf("%s: %d, want %d", tt.name, got, tt.want)
			}
		}
		if got, want := MustFindOrg(t, db).UserCount, int64(7); got != want {
			t.Errorf("UserCount = %d, want %d", got, want)
		}
	})

	t.Run("ErrDeptNotFound", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		_, err := db.Users.CountUsers(ctx, o.Admin, o.Root.ID+1_000_000)
		assertKind(t, err, koodrive.ENOTFOUND)
	})
}

// findUser returns the user with userID, read as admin.
func findUser(tb testing.TB, db *DB, admin koodrive.Actor, userID string) *koodrive.User {
	tb.Helper()
	users, _, err := db.Users.FindUsers(context.Background(), admin, koodrive.UserFilter{KeyWord: userID, Limit: 100})
	if err != nil {
		tb.Fatalf("find user %q: %v", userID, err)
	}
	for _, u := range users {
		if u.UserID == userID {
			return u
		}
	}
	tb.Fatalf("user %q not found", userID)
	return nil
}

// userIDs lists the users' userIds, comma separated.
func userIDs(users []*koodrive.User) string {
	ids := make([]string, len(users))
	for i, u := range users {
		ids[i] = u.UserID
	}
	return strings.Join(ids, ",")
}
