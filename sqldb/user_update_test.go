package sqldb_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/koodrive/koodrive"
)

func TestUserService_UpdateUser(t *testing.T) { eachBackend(t, testUserService_UpdateUser) }

func testUserService_UpdateUser(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		u := MustCreateUser(t, db, tr.Admin, koodrive.UserCreate{UserID: "ann", Name: "Ann", DeptID: tr.Sales.ID, Role: new(koodrive.RoleUser)})
		db.Clock.Advance(time.Hour)
		got, err := db.Users.UpdateUser(ctx, tr.Admin, u.ID, koodrive.UserUpdate{DeptID: &tr.Eng.ID})
		if err != nil {
			t.Fatal(err)
		}
		want := *u
		want.DeptID, want.DeptName, want.UpdatedAt = tr.Eng.ID, "Eng", t0.Add(time.Hour)
		if *got != want {
			t.Errorf("UpdateUser = %+v, want %+v", *got, want)
		}
		found, err := db.Users.FindUserByID(ctx, tr.Admin, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if *found != want {
			t.Errorf("FindUserByID = %+v, want %+v", *found, want)
		}
		for _, tt := range []struct {
			dept *koodrive.Department
			want int
		}{{tr.Sales, 0}, {tr.Eng, 1}} {
			n, err := db.Users.CountUsers(ctx, tr.Admin, tt.dept.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got := n; got != tt.want {
				t.Errorf("CountUsers(%s) = %d, want %d", tt.dept.Name, got, tt.want)
			}
		}
		// Moving to where the user already is changes nothing.
		if _, err := db.Users.UpdateUser(ctx, tr.Admin, u.ID, koodrive.UserUpdate{DeptID: &tr.Eng.ID}); err != nil {
			t.Fatal(err)
		}
		if got, want := MustFindOrg(t, db).UserCount, int64(2); got != want {
			t.Errorf("UserCount = %d, want %d", got, want)
		}
	})

	t.Run("ErrForbiddenTargetDept", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		deptAdmin := MustUserActor(t, db, tr.Admin, "sales-admin", tr.Sales.ID, koodrive.RoleDeptAdmin)
		u := MustCreateUser(t, db, tr.Admin, koodrive.UserCreate{UserID: "ann", DeptID: tr.EMEA.ID, Role: new(koodrive.RoleUser)})
		for _, to := range []koodrive.ID{tr.Eng.ID, tr.Root.ID} {
			_, err := db.Users.UpdateUser(ctx, deptAdmin, u.ID, koodrive.UserUpdate{DeptID: &to})
			assertError(t, err, koodrive.EFORBIDDEN, "deptId")
		}
		if got, want := mustUser(t, db, tr.Admin, u.ID).DeptID, tr.EMEA.ID; got != want {
			t.Fatalf("DeptID = %d, want %d (unchanged)", got, want)
		}
		// Inside its subtree, up and down.
		for _, to := range []*koodrive.Department{tr.Sales, tr.EMEA} {
			got, err := db.Users.UpdateUser(ctx, deptAdmin, u.ID, koodrive.UserUpdate{DeptID: &to.ID})
			if err != nil {
				t.Fatalf("move to %s: %v", to.Name, err)
			}
			if got.DeptID != to.ID || got.DeptName != to.Name {
				t.Errorf("DeptID, DeptName = %d, %q, want %d, %q", got.DeptID, got.DeptName, to.ID, to.Name)
			}
		}
		// A user outside its subtree cannot be brought in.
		outsider := MustCreateUser(t, db, tr.Admin, koodrive.UserCreate{UserID: "bob", DeptID: tr.Eng.ID, Role: new(koodrive.RoleUser)})
		_, err := db.Users.UpdateUser(ctx, deptAdmin, outsider.ID, koodrive.UserUpdate{DeptID: &tr.Sales.ID})
		assertError(t, err, koodrive.EFORBIDDEN, "userId")
		if got, want := mustUser(t, db, tr.Admin, outsider.ID).DeptID, tr.Eng.ID; got != want {
			t.Fatalf("outsider DeptID = %d, want %d (unchanged)", got, want)
		}
	})

	t.Run("ErrDeptNotFound", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		u := MustCreateUser(t, db, tr.Admin, koodrive.UserCreate{UserID: "ann", DeptID: tr.Sales.ID, Role: new(koodrive.RoleUser)})
		_, err := db.Users.UpdateUser(ctx, tr.Admin, u.ID, koodrive.UserUpdate{DeptID: new(tr.Root.ID + 1_000_000)})
		assertError(t, err, koodrive.ENOTFOUND, "deptId")
		if got, want := mustUser(t, db, tr.Admin, u.ID).DeptID, tr.Sales.ID; got != want {
			t.Fatalf("DeptID = %d, want %d (unchanged)", got, want)
		}
	})

	t.Run("ErrUserNotFound", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		u, err := db.Users.UpdateUser(ctx, o.Admin, o.Admin.ID+1_000_000, koodrive.UserUpdate{Name: new("Ghost")})
		assertError(t, err, koodrive.ENOTFOUND, "userId")
		if u != nil {
			t.Errorf("user = %+v, want nil", u)
		}
	})

	t.Run("RoleBySystemAdmin", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		u := MustCreateUser(t, db, tr.Admin, koodrive.UserCreate{UserID: "ann", DeptID: tr.Sales.ID, Role: new(koodrive.RoleUser)})
		for _, r := range []koodrive.Role{koodrive.RoleDeptAdmin, koodrive.RoleSystemAdmin, koodrive.RoleDriveAdmin, koodrive.RoleMemberManager, koodrive.RoleUser} {
			got, err := db.Users.UpdateUser(ctx, tr.Admin, u.ID, koodrive.UserUpdate{Role: &r})
			if err != nil {
				t.Fatalf("role %d: %v", r, err)
			}
			if got.Role != r {
				t.Errorf("Role = %d, want %d", got.Role, r)
			}
			if got, want := mustUser(t, db, tr.Admin, u.ID).Role, r; got != want {
				t.Errorf("stored Role = %d, want %d", got, want)
			}
		}
		for _, r := range []koodrive.Role{4, 6, -1} {
			_, err := db.Users.UpdateUser(ctx, tr.Admin, u.ID, koodrive.UserUpdate{Role: &r})
			assertError(t, err, koodrive.EINVALID, "role")
		}
	})

	t.Run("RoleByDeptAdmin", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		deptAdmin := MustUserActor(t, db, tr.Admin, "sales-admin", tr.Sales.ID, koodrive.RoleDeptAdmin)
		u := MustCreateUser(t, db, tr.Admin, koodrive.UserCreate{UserID: "ann", DeptID: tr.EMEA.ID, Role: new(koodrive.RoleUser)})

		// A department administrator grants 5 and 1, never 2 or 3.
		for _, r := range []koodrive.Role{koodrive.RoleMemberManager, koodrive.RoleUser} {
			if got, err := db.Users.UpdateUser(ctx, deptAdmin, u.ID, koodrive.UserUpdate{Role: &r}); err != nil {
				t.Fatalf("grant %d: %v", r, err)
			} else if got.Role != r {
				t.Fatalf("Role = %d, want %d", got.Role, r)
			}
		}
		for _, r := range []koodrive.Role{koodrive.RoleSystemAdmin, koodrive.RoleDriveAdmin} {
			_, err := db.Users.UpdateUser(ctx, deptAdmin, u.ID, koodrive.UserUpdate{Role: &r})
			assertMessage(t, err, koodrive.EFORBIDDEN, "role", koodrive.MsgForbiddenGrant)
			if got, want := mustUser(t, db, tr.Admin, u.ID).Role, koodrive.RoleUser; got != want {
				t.Fatalf("after granting %d: Role = %d, want %d (unchanged)", r, got, want)
			}
		}
		// It grants 0 too; then the user is an administrator it no longer
		// manages.
		if got, err := db.Users.UpdateUser(ctx, deptAdmin, u.ID, koodrive.UserUpdate{Role: new(koodrive.RoleDeptAdmin)}); err != nil {
			t.Fatalf("grant 0: %v", err)
		} else if got.Role != koodrive.RoleDeptAdmin {
			t.Fatalf("Role = %d, want %d", got.Role, koodrive.RoleDeptAdmin)
		}
		_, err := db.Users.UpdateUser(ctx, deptAdmin, u.ID, koodrive.UserUpdate{Role: new(koodrive.RoleUser)})
		assertMessage(t, err, koodrive.EFORBIDDEN, "userId", koodrive.MsgForbiddenManage)
	})

	t.Run("RoleByMemberManager", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		manager := MustUserActor(t, db, tr.Admin, "manager", tr.Sales.ID, koodrive.RoleMemberManager)
		u := MustCreateUser(t, db, tr.Admin, koodrive.UserCreate{UserID: "ann", DeptID: tr.EMEA.ID, Role: new(koodrive.RoleUser)})
		for _, r := range []koodrive.Role{koodrive.RoleDeptAdmin, koodrive.RoleSystemAdmin, koodrive.RoleDriveAdmin, koodrive.RoleMemberManager} {
			_, err := db.Users.UpdateUser(ctx, manager, u.ID, koodrive.UserUpdate{Role: &r})
			assertMessage(t, err, koodrive.EFORBIDDEN, "role", koodrive.MsgForbiddenGrant)
		}
		if got, want := mustUser(t, db, tr.Admin, u.ID).Role, koodrive.RoleUser; got != want {
			t.Fatalf("Role = %d, want %d (unchanged)", got, want)
		}
		// Role 1 it grants (no change) and it manages common users otherwise.
		if _, err := db.Users.UpdateUser(ctx, manager, u.ID, koodrive.UserUpdate{
			Role: new(koodrive.RoleUser), Status: new(koodrive.StatusDisabled), DeptID: &tr.Sales.ID,
		}); err != nil {
			t.Fatalf("member manager changes a common user: %v", err)
		}
		got := mustUser(t, db, tr.Admin, u.ID)
		if got.Status != koodrive.StatusDisabled || got.DeptID != tr.Sales.ID {
			t.Errorf("Status, DeptID = %d, %d, want %d, %d", got.Status, got.DeptID, koodrive.StatusDisabled, tr.Sales.ID)
		}
		// Member managers do not change each other.
		other := MustCreateUser(t, db, tr.Admin, koodrive.UserCreate{UserID: "other", DeptID: tr.EMEA.ID, Role: new(koodrive.RoleMemberManager)})
		_, err := db.Users.UpdateUser(ctx, manager, other.ID, koodrive.UserUpdate{Status: new(koodrive.StatusDisabled)})
		assertMessage(t, err, koodrive.EFORBIDDEN, "userId", koodrive.MsgForbiddenManage)
	})

	t.Run("Status", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		u := MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "ann", Role: new(koodrive.RoleUser)})
		for _, s := range []koodrive.Status{koodrive.StatusDisabled, koodrive.StatusFrozen, koodrive.StatusEnabled, koodrive.StatusFrozen, koodrive.StatusDisabled} {
			got, err := db.Users.UpdateUser(ctx, o.Admin, u.ID, koodrive.UserUpdate{Status: &s})
			if err != nil {
				t.Fatalf("status %d: %v", s, err)
			}
			if got.Status != s {
				t.Errorf("Status = %d, want %d", got.Status, s)
			}
			if got, want := mustStatus(t, db, o.Admin, u.ID), s; got != want {
				t.Errorf("stored Status = %d, want %d", got, want)
			}
		}
	})

	t.Run("ErrStatusInvalid", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		u := MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "ann", Role: new(koodrive.RoleUser)})
		// Not activated (2) is a state users reach by being created, not a
		// value to set.
		for _, s := range []koodrive.Status{koodrive.StatusNotActivated, 3, 4, -1, 8} {
			_, err := db.Users.UpdateUser(ctx, o.Admin, u.ID, koodrive.UserUpdate{Status: &s})
			assertMessage(t, err, koodrive.EINVALID, "status", koodrive.MsgStatusInvalid)
		}
		if got, want := mustStatus(t, db, o.Admin, u.ID), koodrive.StatusNotActivated; got != want {
			t.Errorf("Status = %d, want %d (unchanged)", got, want)
		}
	})

	for _, status := range []koodrive.Status{koodrive.StatusDisabled, koodrive.StatusFrozen} {
		t.Run(fmt.Sprintf("EndsSessions%d", status), func(t *testing.T) {
			t.Parallel()
			db := MustOpenDB(t)
			o := MustInitOrg(t, db)
			u := MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "ann", Role: new(koodrive.RoleUser)})
			used, unused := MustSession(t, db, "ann"), MustSession(t, db, "ann")
			if _, err := db.Auth.Authenticate(ctx, used.Token); err != nil {
				t.Fatal(err)
			}
			mustUpdateUser(t, db, o.Admin, u.ID, koodrive.UserUpdate{Status: &status})
			for _, s := range []*koodrive.Session{used, unused} {
				_, err := db.Auth.Authenticate(ctx, s.Token)
				assertKind(t, err, koodrive.EUNAUTHENTICATED)
			}
			_, err := db.Auth.CreateSession(ctx, "ann")
			assertKind(t, err, koodrive.EFORBIDDEN)

			// Enabled again, the user signs in anew: the old sessions ended
			// for good.
			mustUpdateUser(t, db, o.Admin, u.ID, koodrive.UserUpdate{Status: new(koodrive.StatusEnabled)})
			for _, s := range []*koodrive.Session{used, unused} {
				_, err := db.Auth.Authenticate(ctx, s.Token)
				assertKind(t, err, koodrive.EUNAUTHENTICATED)
				_, err = db.Auth.RefreshSession(ctx, s.Token, s.ID)
				assertKind(t, err, koodrive.EUNAUTHENTICATED)
			}
			if a := MustActor(t, db, "ann"); a.ID != u.ID {
				t.Errorf("new session's actor = %d, want %d", a.ID, u.ID)
			}
		})
	}

	// A login code is a session not yet exchanged: one issued before the
	// user was disabled must not open a session once it is enabled again.
	t.Run("EndsLoginCodes", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		u := MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "ann", Role: new(koodrive.RoleUser)})
		code := mustLoginCode(t, db, "ann")
		mustUpdateUser(t, db, o.Admin, u.ID, koodrive.UserUpdate{Status: new(koodrive.StatusDisabled)})
		mustUpdateUser(t, db, o.Admin, u.ID, koodrive.UserUpdate{Status: new(koodrive.StatusEnabled)})
		sess, err := db.Auth.ExchangeLoginCode(ctx, code)
		assertKind(t, err, koodrive.EUNAUTHENTICATED)
		if sess != nil {
			t.Errorf("session = %+v, want none", *sess)
		}
	})

	t.Run("OtherChangesKeepSessions", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		u := MustCreateUser(t, db, tr.Admin, koodrive.UserCreate{UserID: "ann", Role: new(koodrive.RoleUser)})
		sess := MustSession(t, db, "ann")
		mustUpdateUser(t, db, tr.Admin, u.ID, koodrive.UserUpdate{Name: new("Ann"), DeptID: &tr.Eng.ID, Status: new(koodrive.StatusEnabled)})
		a, err := db.Auth.Authenticate(ctx, sess.Token)
		if err != nil {
			t.Fatalf("session after a change that keeps access: %v", err)
		}
		// The session acts from the user's new department.
		if got, want := a.DeptID, tr.Eng.ID; got != want {
			t.Errorf("actor DeptID = %d, want %d", got, want)
		}
	})

	t.Run("Identity", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		u := MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "ann", Name: "Ann", Mobile: "+1 555 0100", Email: "ann@example.com", Role: new(koodrive.RoleUser)})
		got := mustUpdateUser(t, db, o.Admin, u.ID, koodrive.UserUpdate{
			Name: new("Ann Lee"), Mobile: new("+86 (138) 0013-8000"), Email: new("Ann.Lee@Example.com"),
		})
		if got.Name != "Ann Lee" || got.Mobile != "+8613800138000" || got.Email != "Ann.Lee@Example.com" {
			t.Errorf("Name, Mobile, Email = %q, %q, %q, want %q, %q, %q", got.Name, got.Mobile, got.Email,
				"Ann Lee", "+8613800138000", "Ann.Lee@Example.com")
		}
		if found := mustUser(t, db, o.Admin, u.ID); *found != *got {
			t.Errorf("FindUserByID = %+v, want %+v", *found, *got)
		}
		// The old values are free again, the new ones taken.
		MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "bob", Mobile: "+15550100", Email: "ANN@example.com", Role: new(koodrive.RoleUser)})
		_, err := db.Users.CreateUser(ctx, o.Admin, koodrive.UserCreate{UserID: "cy", Email: "ann.lee@example.com", Role: new(koodrive.RoleUser)})
		assertError(t, err, koodrive.ECONFLICT, "email")

		// Nil fields stay; "" clears the mobile number and the email.
		got = mustUpdateUser(t, db, o.Admin, u.ID, koodrive.UserUpdate{Mobile: new(""), Email: new("")})
		if got.Name != "Ann Lee" || got.Mobile != "" || got.Email != "" {
			t.Errorf("Name, Mobile, Email = %q, %q, %q, want %q, \"\", \"\"", got.Name, got.Mobile, got.Email, "Ann Lee")
		}
		if found := mustUser(t, db, o.Admin, u.ID); found.Mobile != "" || found.Email != "" || found.Name != "Ann Lee" {
			t.Errorf("stored Name, Mobile, Email = %q, %q, %q", found.Name, found.Mobile, found.Email)
		}
		// A user without them collides with no other user without them.
		MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "dee", Role: new(koodrive.RoleUser)})
		mustUpdateUser(t, db, o.Admin, u.ID, koodrive.UserUpdate{Name: new("")})
		if got, want := mustUser(t, db, o.Admin, u.ID).Name, ""; got != want {
			t.Errorf("Name = %q, want %q", got, want)
		}
	})

	t.Run("ErrIdentityTaken", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "ann", Mobile: "+86 138 0013 8000", Email: "Ann@Example.com", Role: new(koodrive.RoleUser)})
		bob := MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "bob", Name: "Bob", Mobile: "+1 555 0100", Email: "bob@example.com", Role: new(koodrive.RoleUser)})
		for _, tt := range []struct {
			field string
			in    koodrive.UserUpdate
		}{
			{"mobile", koodrive.UserUpdate{Mobile: new("+8613800138000")}},
			{"mobile", koodrive.UserUpdate{Mobile: new("+86-138-0013-8000"), Name: new("Robert")}},
			{"email", koodrive.UserUpdate{Email: new("ann@example.com")}},
			{"email", koodrive.UserUpdate{Email: new("ANN@EXAMPLE.COM"), Mobile: new("+1 555 0199")}},
		} {
			_, err := db.Users.UpdateUser(ctx, o.Admin, bob.ID, tt.in)
			assertMessage(t, err, koodrive.ECONFLICT, tt.field, koodrive.MsgValueTaken)
		}
		if got := mustUser(t, db, o.Admin, bob.ID); *got != *bob {
			t.Errorf("after refused changes = %+v, want %+v", *got, *bob)
		}
		// One's own values, in another case, are no conflict.
		mustUpdateUser(t, db, o.Admin, bob.ID, koodrive.UserUpdate{Email: new("Bob@Example.com"), Mobile: new("+15550100")})
	})

	t.Run("ErrIdentityInvalid", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		u := MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "ann", Name: "Ann", Role: new(koodrive.RoleUser)})
		for _, tt := range []struct {
			field string
			in    koodrive.UserUpdate
		}{
			{"name", koodrive.UserUpdate{Name: new("A\x00")}},
			{"name", koodrive.UserUpdate{Name: new(strings.Repeat("a", koodrive.MaxUserNameLen+1))}},
			{"mobile", koodrive.UserUpdate{Mobile: new("call me")}},
			{"mobile", koodrive.UserUpdate{Mobile: new("1234")}},
			{"email", koodrive.UserUpdate{Email: new("not-an-email")}},
		} {
			_, err := db.Users.UpdateUser(ctx, o.Admin, u.ID, tt.in)
			assertError(t, err, koodrive.EINVALID, tt.field)
		}
		if got := mustUser(t, db, o.Admin, u.ID); *got != *u {
			t.Errorf("after refused changes = %+v, want %+v", *got, *u)
		}
	})

	t.Run("Self", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		for _, r := range []koodrive.Role{koodrive.RoleUser, koodrive.RoleDeptAdmin, koodrive.RoleMemberManager, koodrive.RoleDriveAdmin} {
			id := fmt.Sprintf("self%d", r)
			self := MustUserActor(t, db, tr.Admin, id, tr.Sales.ID, r)
			got, err := db.Users.UpdateUser(ctx, self, self.ID, koodrive.UserUpdate{
				Name: new("Me " + id), Mobile: new(fmt.Sprintf("+1 555 010%d", r)), Email: new(id + "@example.com"),
			})
			if err != nil {
				t.Fatalf("role %d changes its own identity: %v", r, err)
			}
			if got.Name != "Me "+id || got.Email != id+"@example.com" || got.Mobile != fmt.Sprintf("+1555010%d", r) {
				t.Errorf("role %d: Name, Mobile, Email = %q, %q, %q", r, got.Name, got.Mobile, got.Email)
			}
			for _, in := range []koodrive.UserUpdate{
				{Role: new(koodrive.RoleUser)},
				{Role: new(koodrive.RoleSystemAdmin)},
				{Status: new(koodrive.StatusDisabled)},
				{Status: new(koodrive.StatusEnabled)},
				{DeptID: &tr.Eng.ID},
				{DeptID: &tr.Sales.ID},
				{Name: new("sneaky"), DeptID: &tr.EMEA.ID},
			} {
				_, err := db.Users.UpdateUser(ctx, self, self.ID, in)
				assertMessage(t, err, koodrive.EFORBIDDEN, "userId", koodrive.MsgForbiddenSelf)
			}
			after := mustUser(t, db, tr.Admin, self.ID)
			if after.Role != r || after.Status != koodrive.StatusEnabled || after.DeptID != tr.Sales.ID || after.Name != "Me "+id {
				t.Errorf("role %d after refused changes: %+v", r, *after)
			}
		}
		// Nor may a system administrator change its own access.
		_, err := db.Users.UpdateUser(ctx, tr.Admin, tr.Admin.ID, koodrive.UserUpdate{Role: new(koodrive.RoleUser)})
		assertMessage(t, err, koodrive.EFORBIDDEN, "userId", koodrive.MsgForbiddenSelf)
		mustUpdateUser(t, db, tr.Admin, tr.Admin.ID, koodrive.UserUpdate{Name: new("The Admin")})

		// A common user changes nobody else, not even a name.
		common := MustUserActor(t, db, tr.Admin, "common", tr.Sales.ID, koodrive.RoleUser)
		other := MustCreateUser(t, db, tr.Admin, koodrive.UserCreate{UserID: "other", DeptID: tr.Sales.ID, Role: new(koodrive.RoleUser)})
		_, err = db.Users.UpdateUser(ctx, common, other.ID, koodrive.UserUpdate{Name: new("Renamed")})
		assertKind(t, err, koodrive.EFORBIDDEN)
		if got := mustUser(t, db, tr.Admin, other.ID); got.Name != "" {
			t.Errorf("Name = %q, want it unchanged", got.Name)
		}
	})

	t.Run("DeptAdminManages", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		deptAdmin := MustUserActor(t, db, tr.Admin, "sales-admin", tr.Sales.ID, koodrive.RoleDeptAdmin)
		for _, r := range []koodrive.Role{koodrive.RoleDeptAdmin, koodrive.RoleSystemAdmin, koodrive.RoleDriveAdmin} {
			u := MustCreateUser(t, db, tr.Admin, koodrive.UserCreate{UserID: fmt.Sprintf("admin%d", r), DeptID: tr.EMEA.ID, Role: &r})
			for _, in := range []koodrive.UserUpdate{
				{Status: new(koodrive.StatusDisabled)},
				{Role: new(koodrive.RoleUser)},
				{DeptID: &tr.Sales.ID},
				{Name: new("Renamed")},
			} {
				_, err := db.Users.UpdateUser(ctx, deptAdmin, u.ID, in)
				assertMessage(t, err, koodrive.EFORBIDDEN, "userId", koodrive.MsgForbiddenManage)
			}
			if got := mustUser(t, db, tr.Admin, u.ID); *got != *u {
				t.Errorf("role %d after refused changes = %+v, want %+v", r, *got, *u)
			}
		}
		for _, r := range []koodrive.Role{koodrive.RoleUser, koodrive.RoleMemberManager} {
			u := MustCreateUser(t, db, tr.Admin, koodrive.UserCreate{UserID: fmt.Sprintf("user%d", r), DeptID: tr.EMEA.ID, Role: &r})
			got := mustUpdateUser(t, db, deptAdmin, u.ID, koodrive.UserUpdate{
				Status: new(koodrive.StatusFrozen), DeptID: &tr.Sales.ID, Name: new("Renamed"),
			})
			if got.Status != koodrive.StatusFrozen || got.DeptID != tr.Sales.ID || got.Name != "Renamed" || got.Role != r {
				t.Errorf("role %d after change = %+v", r, *got)
			}
		}
	})

	t.Run("LastAdmin", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		// The command line's operator is no user, so it is not changing
		// itself: only the last-administrator rule stands in its way.
		for _, in := range []koodrive.UserUpdate{
			{Role: new(koodrive.RoleUser)},
			{Role: new(koodrive.RoleDeptAdmin)},
			{Status: new(koodrive.StatusDisabled)},
			{Status: new(koodrive.StatusFrozen)},
		} {
			_, err := db.Users.UpdateUser(ctx, koodrive.Operator, o.Admin.ID, in)
			assertMessage(t, err, koodrive.EINVALID, "userId", koodrive.MsgLastAdmin)
		}
		if got := mustUser(t, db, o.Admin, o.Admin.ID); got.Role != koodrive.RoleSystemAdmin || got.Status != koodrive.StatusNotActivated {
			t.Fatalf("Role, Status = %d, %d, want %d, %d (unchanged)", got.Role, got.Status, koodrive.RoleSystemAdmin, koodrive.StatusNotActivated)
		}
		// Other changes to the last administrator are fine.
		mustUpdateUser(t, db, koodrive.Operator, o.Admin.ID, koodrive.UserUpdate{Name: new("Boss"), Status: new(koodrive.StatusEnabled)})

		// A second administrator who cannot sign in does not count.
		second := MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "second", Role: new(koodrive.RoleSystemAdmin)})
		mustUpdateUser(t, db, o.Admin, second.ID, koodrive.UserUpdate{Status: new(koodrive.StatusDisabled)})
		_, err := db.Users.UpdateUser(ctx, koodrive.Operator, o.Admin.ID, koodrive.UserUpdate{Status: new(koodrive.StatusDisabled)})
		assertMessage(t, err, koodrive.EINVALID, "userId", koodrive.MsgLastAdmin)

		// Once it is enabled, the first can go, and then the second is
		// the last.
		mustUpdateUser(t, db, o.Admin, second.ID, koodrive.UserUpdate{Status: new(koodrive.StatusEnabled)})
		secondActor := MustActor(t, db, "second")
		if got := mustUpdateUser(t, db, secondActor, o.Admin.ID, koodrive.UserUpdate{Role: new(koodrive.RoleUser)}); got.Role != koodrive.RoleUser {
			t.Fatalf("Role = %d, want %d", got.Role, koodrive.RoleUser)
		}
		for _, in := range []koodrive.UserUpdate{{Role: new(koodrive.RoleDriveAdmin)}, {Status: new(koodrive.StatusFrozen)}} {
			_, err := db.Users.UpdateUser(ctx, koodrive.Operator, second.ID, in)
			assertMessage(t, err, koodrive.EINVALID, "userId", koodrive.MsgLastAdmin)
		}
	})
}

func TestUserService_DeleteUser(t *testing.T) { eachBackend(t, testUserService_DeleteUser) }

func testUserService_DeleteUser(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		fresh := MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "fresh", Email: "fresh@example.com", Mobile: "+1 555 0100", Role: new(koodrive.RoleUser)})
		disabled := MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "disabled", Role: new(koodrive.RoleUser)})
		MustActor(t, db, "disabled")
		mustUpdateUser(t, db, o.Admin, disabled.ID, koodrive.UserUpdate{Status: new(koodrive.StatusDisabled)})
		before := MustFindOrg(t, db).UserCount
		for i, u := range []*koodrive.User{fresh, disabled} {
			if err := db.Users.DeleteUser(ctx, o.Admin, u.ID); err != nil {
				t.Fatalf("delete %s: %v", u.UserID, err)
			}
			if got, want := MustFindOrg(t, db).UserCount, before-int64(i+1); got != want {
				t.Errorf("UserCount = %d, want %d", got, want)
			}
			_, err := db.Users.FindUserByID(ctx, o.Admin, u.ID)
			assertKind(t, err, koodrive.ENOTFOUND)
			_, err = db.Auth.CreateSession(ctx, u.UserID)
			assertKind(t, err, koodrive.ENOTFOUND)
			err = db.Users.DeleteUser(ctx, o.Admin, u.ID)
			assertError(t, err, koodrive.ENOTFOUND, "userId")
		}
		if got, want := MustUserTotal(t, db, o.Admin), 1; got != want {
			t.Errorf("users = %d, want %d", got, want)
		}
		// Its userId, email and mobile number are free again.
		MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "FRESH", Email: "Fresh@example.com", Mobile: "+15550100", Role: new(koodrive.RoleUser)})
	})

	t.Run("ErrActive", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		u := MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "ann", Role: new(koodrive.RoleUser)})
		MustActor(t, db, "ann") // enabled (0) by its first sign-in
		before := MustFindOrg(t, db).UserCount
		for _, s := range []koodrive.Status{koodrive.StatusEnabled, koodrive.StatusFrozen} {
			if s != koodrive.StatusEnabled {
				mustUpdateUser(t, db, o.Admin, u.ID, koodrive.UserUpdate{Status: &s})
			}
			err := db.Users.DeleteUser(ctx, o.Admin, u.ID)
			assertMessage(t, err, koodrive.EINVALID, "userId", koodrive.MsgDeleteActive)
			if got, want := fmt.Sprint(koodrive.AsError(err).Message.Params["Status"]), fmt.Sprint(int(s)); got != want {
				t.Errorf("Status param = %s, want %s", got, want)
			}
			if got, want := mustStatus(t, db, o.Admin, u.ID), s; got != want {
				t.Errorf("Status = %d, want %d (still there)", got, want)
			}
		}
		if got, want := MustFindOrg(t, db).UserCount, before; got != want {
			t.Errorf("UserCount = %d, want %d", got, want)
		}
	})

	t.Run("ReleasesPersonalSpace", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		u := MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "ann", Role: new(koodrive.RoleUser)})
		sp := mustCreateSpace(t, db, o.Admin, u.ID, koodrive.SpacePersonal, 10)
		if got, want := mustUsage(t, db, o.Admin).AllocatedGB, int64(10); got != want {
			t.Fatalf("AllocatedGB = %d, want %d", got, want)
		}
		if err := db.Users.DeleteUser(ctx, o.Admin, u.ID); err != nil {
			t.Fatal(err)
		}
		usage := mustUsage(t, db, o.Admin)
		if got, want := usage.AllocatedGB, int64(0); got != want {
			t.Errorf("AllocatedGB = %d, want %d (the space's capacity returned)", got, want)
		}
		if got, want := usage.ByType[koodrive.SpacePersonal], (koodrive.KindTotals{}); got != want {
			t.Errorf("personal spaces = %+v, want %+v", got, want)
		}
		err := db.Spaces.ReportUsage(ctx, o.Admin, sp.ContainerID, 1)
		assertKind(t, err, koodrive.ENOTFOUND)
		if got, want := mustCount(t, db.MustRawReadOnly(t), `SELECT count(*) FROM spaces WHERE user_id = $1 OR container_id = $2`,
			int64(u.ID), sp.ContainerID), 0; got != want {
			t.Errorf("stored spaces of the deleted user = %d, want %d", got, want)
		}
	})

	t.Run("ErrSpaceHoldsData", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		u := MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "ann", Role: new(koodrive.RoleUser)})
		sp := mustCreateSpace(t, db, o.Admin, u.ID, koodrive.SpacePersonal, 10)
		mustReportUsage(t, db, o.Admin, sp.ContainerID, 1)
		usage, count := mustUsage(t, db, o.Admin), MustFindOrg(t, db).UserCount

		err := db.Users.DeleteUser(ctx, o.Admin, u.ID)
		assertMessage(t, err, koodrive.EINVALID, "ownerId", koodrive.MsgSpaceHoldsData)
		if got, want := *mustUsage(t, db, o.Admin), *usage; got != want {
			t.Errorf("usage = %+v, want %+v (unchanged)", got, want)
		}
		if got, want := MustFindOrg(t, db).UserCount, count; got != want {
			t.Errorf("UserCount = %d, want %d", got, want)
		}
		if got := mustUser(t, db, o.Admin, u.ID); *got != *u {
			t.Errorf("user = %+v, want %+v", *got, *u)
		}
		if got := mustFindSpace(t, db, o.Admin, u.ID, koodrive.SpacePersonal); got.UsedBytes != 1 || got.CapacityGB != 10 {
			t.Errorf("space = %+v, want it unchanged", *got)
		}
		// Emptied, it goes.
		mustReportUsage(t, db, o.Admin, sp.ContainerID, 0)
		if err := db.Users.DeleteUser(ctx, o.Admin, u.ID); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("ErrSelf", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		MustCreateUser(t, db, tr.Admin, koodrive.UserCreate{UserID: "second", Role: new(koodrive.RoleSystemAdmin)})
		err := db.Users.DeleteUser(ctx, tr.Admin, tr.Admin.ID)
		assertMessage(t, err, koodrive.EFORBIDDEN, "userId", koodrive.MsgForbiddenSelf)
		// A not activated department administrator is refused as well.
		self := MustUserActor(t, db, tr.Admin, "self", tr.Sales.ID, koodrive.RoleDeptAdmin)
		mustUpdateUser(t, db, tr.Admin, self.ID, koodrive.UserUpdate{Status: new(koodrive.StatusDisabled)})
		err = db.Users.DeleteUser(ctx, self, self.ID)
		assertMessage(t, err, koodrive.EFORBIDDEN, "userId", koodrive.MsgForbiddenSelf)
		if got, want := MustUserTotal(t, db, tr.Admin), 3; got != want {
			t.Errorf("users = %d, want %d", got, want)
		}
	})

	t.Run("LastAdmin", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		// The first administrator is not activated yet: deletable by
		// status, but the last one who can sign in.
		err := db.Users.DeleteUser(ctx, koodrive.Operator, o.Admin.ID)
		assertMessage(t, err, koodrive.EINVALID, "userId", koodrive.MsgLastAdmin)
		if got, want := MustUserTotal(t, db, o.Admin), 1; got != want {
			t.Fatalf("users = %d, want %d", got, want)
		}
		MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "second", Role: new(koodrive.RoleSystemAdmin)})
		if err := db.Users.DeleteUser(ctx, koodrive.Operator, o.Admin.ID); err != nil {
			t.Fatalf("delete an administrator who is not the last: %v", err)
		}
		second := findUser(t, db, o.Admin, "second")
		err = db.Users.DeleteUser(ctx, koodrive.Operator, second.ID)
		assertMessage(t, err, koodrive.EINVALID, "userId", koodrive.MsgLastAdmin)
	})

	t.Run("EndsSessions", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		u := MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "ann", Role: new(koodrive.RoleUser)})
		// A session issued but never used leaves the user not activated,
		// hence deletable.
		sess := MustSession(t, db, "ann")
		code := mustLoginCode(t, db, "ann")
		if err := db.Users.DeleteUser(ctx, o.Admin, u.ID); err != nil {
			t.Fatal(err)
		}
		_, err := db.Auth.Authenticate(ctx, sess.Token)
		assertKind(t, err, koodrive.EUNAUTHENTICATED)
		_, err = db.Auth.RefreshSession(ctx, sess.Token, sess.ID)
		assertKind(t, err, koodrive.EUNAUTHENTICATED)
		_, err = db.Auth.ExchangeLoginCode(ctx, code)
		assertKind(t, err, koodrive.EUNAUTHENTICATED)
		_, err = db.Auth.FindActor(ctx, u.ID)
		assertKind(t, err, koodrive.EUNAUTHENTICATED)
		// A new user with the same userId is someone else.
		MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "ann", Role: new(koodrive.RoleUser)})
		_, err = db.Auth.Authenticate(ctx, sess.Token)
		assertKind(t, err, koodrive.EUNAUTHENTICATED)
	})

	t.Run("Scope", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		deptAdmin := MustUserActor(t, db, tr.Admin, "sales-admin", tr.Sales.ID, koodrive.RoleDeptAdmin)
		inside := MustCreateUser(t, db, tr.Admin, koodrive.UserCreate{UserID: "inside", DeptID: tr.EMEA.ID, Role: new(koodrive.RoleMemberManager)})
		outside := MustCreateUser(t, db, tr.Admin, koodrive.UserCreate{UserID: "outside", DeptID: tr.Eng.ID, Role: new(koodrive.RoleUser)})
		peer := MustCreateUser(t, db, tr.Admin, koodrive.UserCreate{UserID: "peer", DeptID: tr.EMEA.ID, Role: new(koodrive.RoleDeptAdmin)})

		err := db.Users.DeleteUser(ctx, deptAdmin, outside.ID)
		assertMessage(t, err, koodrive.EFORBIDDEN, "userId", koodrive.MsgForbiddenScope)
		err = db.Users.DeleteUser(ctx, deptAdmin, peer.ID)
		assertMessage(t, err, koodrive.EFORBIDDEN, "userId", koodrive.MsgForbiddenManage)
		for _, r := range []koodrive.Role{koodrive.RoleUser, koodrive.RoleDriveAdmin} {
			a := MustUserActor(t, db, tr.Admin, fmt.Sprintf("role%d", r), tr.Sales.ID, r)
			err := db.Users.DeleteUser(ctx, a, inside.ID)
			assertKind(t, err, koodrive.EFORBIDDEN)
		}
		if err := db.Users.DeleteUser(ctx, deptAdmin, inside.ID); err != nil {
			t.Fatalf("dept admin deletes a user in its subtree: %v", err)
		}
		if got, want := MustUserTotal(t, db, tr.Admin), 6; got != want {
			t.Errorf("users = %d, want %d", got, want)
		}
	})
}

// TestUserService_FindUsers_Cursor pages by keyset: the last ID of a page
// is where the next one starts.
func TestUserService_FindUsers_Cursor(t *testing.T) { eachBackend(t, testUserService_FindUsers_Cursor) }

func testUserService_FindUsers_Cursor(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		want := []koodrive.ID{tr.Admin.ID}
		depts := []koodrive.ID{tr.Sales.ID, tr.EMEA.ID, tr.Eng.ID}
		for i := range 23 {
			u := MustCreateUser(t, db, tr.Admin, koodrive.UserCreate{
				UserID: fmt.Sprintf("u%02d", 50-i), DeptID: depts[i%3], Role: new(koodrive.RoleUser),
			})
			want = append(want, u.ID)
		}
		got := mustPageByCursor(t, db, tr.Admin, koodrive.UserFilter{Limit: 5}, len(want))
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("pages = %v, want %v", got, want)
		}
		// A cursor pages a department's subtree the same way.
		sales := mustPageByCursor(t, db, tr.Admin, koodrive.UserFilter{DeptID: tr.Sales.ID, Limit: 3}, 16)
		n, err := db.Users.CountUsers(ctx, tr.Admin, tr.Sales.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(sales), n; got != want {
			t.Errorf("Sales by cursor: %d users, want %d", got, want)
		}
	})

	t.Run("HoldsPlace", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		var ids []koodrive.ID
		for i := range 10 {
			ids = append(ids, MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: fmt.Sprintf("u%02d", i), Role: new(koodrive.RoleUser)}).ID)
		}
		page, _, err := db.Users.FindUsers(ctx, o.Admin, koodrive.UserFilter{Limit: 4})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := userIDs(page), "admin,u00,u01,u02"; got != want {
			t.Fatalf("first page = %s, want %s", got, want)
		}
		// Users before the cursor go away; others arrive at the end.
		for _, id := range ids[:2] {
			if err := db.Users.DeleteUser(ctx, o.Admin, id); err != nil {
				t.Fatal(err)
			}
		}
		db.Clock.Advance(time.Millisecond)
		MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "late", Role: new(koodrive.RoleUser)})
		var rest []*koodrive.User
		cursor := page[len(page)-1].ID
		for {
			page, total, err := db.Users.FindUsers(ctx, o.Admin, koodrive.UserFilter{Cursor: cursor, Limit: 4})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := total, 10; got != want {
				t.Errorf("total = %d, want %d (every user matching, not those after the cursor)", got, want)
			}
			rest = append(rest, page...)
			if len(page) < 4 {
				break
			}
			cursor = page[len(page)-1].ID
		}
		if got, want := userIDs(rest), "u03,u04,u05,u06,u07,u08,u09,late"; got != want {
			t.Errorf("after the cursor = %s, want %s", got, want)
		}
	})

	t.Run("ErrCursorWithOffset", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		_, _, err := db.Users.FindUsers(ctx, o.Admin, koodrive.UserFilter{Cursor: o.Admin.ID, Offset: 1, Limit: 10})
		assertMessage(t, err, koodrive.EINVALID, "cursor", koodrive.MsgCursorWithOffset)
		_, _, err = db.Spaces.FindUserSpaces(ctx, o.Admin, koodrive.SpaceFilter{UserFilter: koodrive.UserFilter{Cursor: o.Admin.ID, Offset: 1, Limit: 10}})
		assertMessage(t, err, koodrive.EINVALID, "cursor", koodrive.MsgCursorWithOffset)
	})

	t.Run("KeyWordMobile", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "ann", Mobile: "+86 138 0013 8000", Role: new(koodrive.RoleUser)})
		MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "bob", Mobile: "+1 555 0100", Role: new(koodrive.RoleUser)})
		MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "cy", Role: new(koodrive.RoleUser)})
		for _, tt := range []struct{ keyword, want string }{
			{"13800138", "ann"},
			{"+86", "ann"},
			{"5550100", "bob"},
			{"00", "ann,bob"},
			{"999", ""},
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
}

// mustPageByCursor lists the users of f page by page with cursors and
// checks that every page is in ID order after the previous one; it stops
// after a short page and returns the IDs.
func mustPageByCursor(tb testing.TB, db *DB, a koodrive.Actor, f koodrive.UserFilter, wantTotal int) []koodrive.ID {
	tb.Helper()
	var ids []koodrive.ID
	for pages := 0; ; pages++ {
		if pages > wantTotal+1 {
			tb.Fatalf("paging does not end")
		}
		users, total, err := db.Users.FindUsers(context.Background(), a, f)
		if err != nil {
			tb.Fatal(err)
		}
		if total != wantTotal {
			tb.Errorf("cursor %d: total %d, want %d", f.Cursor, total, wantTotal)
		}
		for _, u := range users {
			if len(ids) > 0 && u.ID <= ids[len(ids)-1] {
				tb.Fatalf("cursor %d: ID %d after %d, want increasing IDs", f.Cursor, u.ID, ids[len(ids)-1])
			}
			ids = append(ids, u.ID)
		}
		if len(users) < f.Limit {
			return ids
		}
		f.Cursor = users[len(users)-1].ID
	}
}

// mustUser returns the user with id, read as a.
func mustUser(tb testing.TB, db *DB, a koodrive.Actor, id koodrive.ID) *koodrive.User {
	tb.Helper()
	u, err := db.Users.FindUserByID(context.Background(), a, id)
	if err != nil {
		tb.Fatalf("find user %d: %v", id, err)
	}
	return u
}

// mustUpdateUser changes a user.
func mustUpdateUser(tb testing.TB, db *DB, a koodrive.Actor, id koodrive.ID, in koodrive.UserUpdate) *koodrive.User {
	tb.Helper()
	u, err := db.Users.UpdateUser(context.Background(), a, id, in)
	if err != nil {
		tb.Fatalf("update user %d: %v", id, err)
	}
	return u
}

// assertMessage fails the test unless err is of kind want, names field
// and carries the message id.
func assertMessage(tb testing.TB, err error, want koodrive.Kind, field string, id koodrive.MessageID) {
	tb.Helper()
	assertError(tb, err, want, field)
	if got := koodrive.AsError(err).Message.ID; got != id {
		tb.Fatalf("message = %q, want %q (err: %v)", got, id, err)
	}
}
