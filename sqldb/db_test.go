package sqldb_test

import (
	"context"
	"testing"
	"time"

	"github.com/koodrive/koodrive"
)

// TestDB_Reopen checks that what a server wrote is there after a restart,
// and that IDs keep growing even when the clock has gone back meanwhile.
func TestDB_Reopen(t *testing.T) { eachBackend(t, testDB_Reopen) }

func testDB_Reopen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		ann := MustCreateUser(t, db, tr.Admin, koodrive.UserCreate{
			UserID: "ann", Name: "Ann", Email: "ann@example.com", Mobile: "+1 555 0100", DeptID: tr.EMEA.ID, Role: new(koodrive.RoleDeptAdmin),
		})
		sess := MustSession(t, db, "ann")
		orgBefore := MustFindOrg(t, db)
		largest := max(orgBefore.ID, tr.Root.ID, tr.Sales.ID, tr.EMEA.ID, tr.Eng.ID, ann.ID, tr.Admin.ID)

		db.MustReopen(t)
		db.Clock.Advance(time.Minute)

		if got, want := *MustFindOrg(t, db), *orgBefore; got != want {
			t.Errorf("organization after reopen = %+v, want %+v", got, want)
		}
		for _, d := range []*koodrive.Department{tr.Root, tr.Sales, tr.EMEA, tr.Eng} {
			got, err := db.Depts.FindDepartmentByID(ctx, tr.Admin, d.ID)
			if err != nil {
				t.Fatalf("department %s after reopen: %v", d.Name, err)
			}
			if *got != *d {
				t.Errorf("department after reopen = %+v, want %+v", *got, *d)
			}
		}
		got, err := db.Users.FindUserByID(ctx, tr.Admin, ann.ID)
		if err != nil {
			t.Fatalf("user after reopen: %v", err)
		}
		if *got != *ann {
			t.Errorf("user after reopen = %+v, want %+v", *got, *ann)
		}
		a, err := db.Auth.Authenticate(ctx, sess.Token)
		if err != nil {
			t.Fatalf("session after reopen: %v", err)
		}
		if got, want := a.ID, ann.ID; got != want {
			t.Errorf("session's actor = %d, want %d", got, want)
		}
		_, err = db.Users.CreateUser(ctx, tr.Admin, koodrive.UserCreate{UserID: "ANN", Role: new(koodrive.RoleUser)})
		assertError(t, err, koodrive.ECONFLICT, "userId")

		bob := MustCreateUser(t, db, tr.Admin, koodrive.UserCreate{UserID: "bob", Role: new(koodrive.RoleUser)})
		if bob.ID <= largest {
			t.Errorf("new user ID %d, want above the largest old ID %d", bob.ID, largest)
		}
		if got, want := MustFindOrg(t, db).UserCount, orgBefore.UserCount+1; got != want {
			t.Errorf("UserCount = %d, want %d", got, want)
		}
	})

	t.Run("ClockBack", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		db.Clock.Advance(24 * time.Hour)
		late := MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "late", Role: new(koodrive.RoleUser)})

		db.MustReopen(t)
		db.Clock.Advance(-48 * time.Hour) // the machine's clock was reset

		d := MustCreateDept(t, db, o.Admin, o.Root.ID, "Sales")
		u := MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "early", DeptID: d.ID, Role: new(koodrive.RoleUser)})
		if d.ID <= late.ID || u.ID <= d.ID {
			t.Errorf("IDs after the clock went back: department %d, user %d; want both above %d, in order", d.ID, u.ID, late.ID)
		}
		users, _, err := db.Users.FindUsers(ctx, o.Admin, koodrive.UserFilter{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := userIDs(users), "admin,late,early"; got != want {
			t.Errorf("users in creation order = %s, want %s", got, want)
		}
	})
}
