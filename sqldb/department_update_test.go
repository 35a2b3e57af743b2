package sqldb_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/koodrive/koodrive"
)

func TestDepartmentService_UpdateDepartment(t *testing.T) {
	eachBackend(t, testDepartmentService_UpdateDepartment)
}

func testDepartmentService_UpdateDepartment(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("Rename", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		db.Clock.Advance(time.Hour)
		d, err := db.Depts.UpdateDepartment(ctx, tr.Admin, tr.Sales.ID, koodrive.DepartmentUpdate{Name: "Revenue", ParentID: tr.Root.ID})
		if err != nil {
			t.Fatal(err)
		}
		want := *tr.Sales
		want.Name, want.UpdatedAt = "Revenue", t0.Add(time.Hour)
		if *d != want {
			t.Errorf("UpdateDepartment = %+v, want %+v", *d, want)
		}
		if got := mustDept(t, db, tr.Admin, tr.Sales.ID); *got != want {
			t.Errorf("FindDepartmentByID = %+v, want %+v", *got, want)
		}
		if got, want := deptNames(mustChildren(t, db, tr.Admin, tr.Root.ID)), "Eng,Revenue"; got != want {
			t.Errorf("root children = %s, want %s", got, want)
		}
		// Users show the new name.
		u := MustCreateUser(t, db, tr.Admin, koodrive.UserCreate{UserID: "ann", DeptID: tr.Sales.ID, Role: new(koodrive.RoleUser)})
		mustUpdateDept(t, db, tr.Admin, tr.Sales.ID, koodrive.DepartmentUpdate{Name: "Sales & Marketing", ParentID: tr.Root.ID})
		if got, want := mustUser(t, db, tr.Admin, u.ID).DeptName, "Sales & Marketing"; got != want {
			t.Errorf("user's DeptName = %q, want %q", got, want)
		}
		// Its own name in another case is no conflict.
		if got := mustUpdateDept(t, db, tr.Admin, tr.Eng.ID, koodrive.DepartmentUpdate{Name: "ENG", ParentID: tr.Root.ID}); got.Name != "ENG" {
			t.Errorf("Name = %q, want %q", got.Name, "ENG")
		}
	})

	t.Run("RenameRoot", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		d := mustUpdateDept(t, db, o.Admin, o.Root.ID, koodrive.DepartmentUpdate{Name: "Acme Group"})
		if d.Name != "Acme Group" || d.ParentID != 0 || d.Path != o.Root.Path || d.Level != 1 {
			t.Errorf("root = %+v, want renamed in place", *d)
		}
	})

	t.Run("ErrNameTaken", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		for _, name := range []string{"Sales", "sales", "SALES"} {
			_, err := db.Depts.UpdateDepartment(ctx, tr.Admin, tr.Eng.ID, koodrive.DepartmentUpdate{Name: name, ParentID: tr.Root.ID})
			assertMessage(t, err, koodrive.ECONFLICT, "name", koodrive.MsgDeptTaken)
		}
		if got := mustDept(t, db, tr.Admin, tr.Eng.ID); *got != *tr.Eng {
			t.Errorf("Eng = %+v, want %+v (unchanged)", *got, *tr.Eng)
		}
		// Moving under a parent with a child of the same name conflicts too.
		MustCreateDept(t, db, tr.Admin, tr.Eng.ID, "emea")
		_, err := db.Depts.UpdateDepartment(ctx, tr.Admin, tr.EMEA.ID, koodrive.DepartmentUpdate{Name: "EMEA", ParentID: tr.Eng.ID})
		assertMessage(t, err, koodrive.ECONFLICT, "name", koodrive.MsgDeptTaken)
		if got := mustDept(t, db, tr.Admin, tr.EMEA.ID); *got != *tr.EMEA {
			t.Errorf("EMEA = %+v, want %+v (unchanged)", *got, *tr.EMEA)
		}
		// Under another name it moves.
		mustUpdateDept(t, db, tr.Admin, tr.EMEA.ID, koodrive.DepartmentUpdate{Name: "EMEA Sales", ParentID: tr.Eng.ID})
	})

	t.Run("MoveSubtree", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		berlin := MustCreateDept(t, db, tr.Admin, tr.EMEA.ID, "Berlin")
		mitte := MustCreateDept(t, db, tr.Admin, berlin.ID, "Mitte")
		db.Clock.Advance(time.Minute)

		// EMEA (levels 3-5) moves from Sales to Eng: same levels.
		d := mustUpdateDept(t, db, tr.Admin, tr.EMEA.ID, koodrive.DepartmentUpdate{Name: "EMEA", ParentID: tr.Eng.ID})
		if d.ParentID != tr.Eng.ID || d.Path != koodrive.ChildPath(tr.Eng.Path, tr.EMEA.ID) || d.Level != 3 {
			t.Errorf("EMEA = %+v, want under Eng at level 3", *d)
		}
		checkUnder(t, db, tr.Admin, tr.Eng, tr.EMEA.ID, berlin.ID, mitte.ID)
		if got, want := deptNames(mustChildren(t, db, tr.Admin, tr.Eng.ID)), "EMEA"; got != want {
			t.Errorf("Eng's children = %s, want %s", got, want)
		}
		if got, want := deptNames(mustChildren(t, db, tr.Admin, tr.Sales.ID)), ""; got != want {
			t.Errorf("Sales' children = %s, want none", got)
		}

		// Berlin moves up to the root: its subtree rises a level.
		mustUpdateDept(t, db, tr.Admin, berlin.ID, koodrive.DepartmentUpdate{Name: "Berlin", ParentID: tr.Root.ID})
		checkUnder(t, db, tr.Admin, tr.Root, berlin.ID, mitte.ID)
		if got := mustDept(t, db, tr.Admin, mitte.ID); got.Level != 3 || got.ParentID != berlin.ID {
			t.Errorf("Mitte = %+v, want level 3 under Berlin", *got)
		}
		if got := mustDept(t, db, tr.Admin, tr.EMEA.ID); got.Level != 3 || got.Path != koodrive.ChildPath(tr.Eng.Path, tr.EMEA.ID) {
			t.Errorf("EMEA = %+v, want untouched by Berlin's move", *got)
		}
		// And down again, renamed in the same step.
		mustUpdateDept(t, db, tr.Admin, berlin.ID, koodrive.DepartmentUpdate{Name: "Berlin HQ", ParentID: tr.EMEA.ID})
		checkUnder(t, db, tr.Admin, mustDept(t, db, tr.Admin, tr.EMEA.ID), berlin.ID, mitte.ID)
		if got := mustDept(t, db, tr.Admin, mitte.ID); got.Level != 5 {
			t.Errorf("Mitte Level = %d, want 5", got.Level)
		}
		if got := mustDept(t, db, tr.Admin, berlin.ID); got.Name != "Berlin HQ" {
			t.Errorf("Berlin Name = %q, want %q", got.Name, "Berlin HQ")
		}
		// A new department below a moved one lands at the right place.
		sub := MustCreateDept(t, db, tr.Admin, berlin.ID, "Kreuzberg")
		checkUnder(t, db, tr.Admin, mustDept(t, db, tr.Admin, berlin.ID), sub.ID)
	})

	t.Run("MoveUsers", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		berlin := MustCreateDept(t, db, tr.Admin, tr.EMEA.ID, "Berlin")
		for i, dept := range []koodrive.ID{tr.EMEA.ID, berlin.ID, berlin.ID, tr.Sales.ID} {
			MustCreateUser(t, db, tr.Admin, koodrive.UserCreate{UserID: fmt.Sprintf("u%d", i), DeptID: dept, Role: new(koodrive.RoleUser)})
		}
		salesAdmin := MustUserActor(t, db, tr.Admin, "sales-admin", tr.Sales.ID, koodrive.RoleDeptAdmin)
		engAdmin := MustUserActor(t, db, tr.Admin, "eng-admin", tr.Eng.ID, koodrive.RoleDeptAdmin)
		mustUpdateDept(t, db, tr.Admin, tr.EMEA.ID, koodrive.DepartmentUpdate{Name: "EMEA", ParentID: tr.Eng.ID})

		for _, tt := range []struct {
			dept *koodrive.Department
			want string
		}{
			{tr.Eng, "u0,u1,u2,eng-admin"},
			{tr.Sales, "u3,sales-admin"},
			{tr.EMEA, "u0,u1,u2"},
			{tr.Root, "admin,u0,u1,u2,u3,sales-admin,eng-admin"},
		} {
			users, total, err := db.Users.FindUsers(ctx, tr.Admin, koodrive.UserFilter{DeptID: tt.dept.ID, Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			if got := userIDs(users); got != tt.want {
				t.Errorf("%s: %s, want %s", tt.dept.Name, got, tt.want)
			}
			if got, want := total, len(users); got != want {
				t.Errorf("%s: total %d, want %d", tt.dept.Name, got, want)
			}
			n, err := db.Users.CountUsers(ctx, tr.Admin, tt.dept.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := n, len(users); got != want {
				t.Errorf("CountUsers(%s) = %d, want %d", tt.dept.Name, got, want)
			}
		}
		// Administrators' reach follows the tree.
		if _, _, err := db.Users.FindUsers(ctx, salesAdmin, koodrive.UserFilter{DeptID: berlin.ID, Limit: 10}); koodrive.ErrorKind(err) != koodrive.EFORBIDDEN {
			t.Errorf("Sales admin lists Berlin: err = %v, want EFORBIDDEN", err)
		}
		if users, _, err := db.Users.FindUsers(ctx, engAdmin, koodrive.UserFilter{DeptID: berlin.ID, Limit: 10}); err != nil {
			t.Errorf("Eng admin lists Berlin: %v", err)
		} else if got, want := userIDs(users), "u1,u2"; got != want {
			t.Errorf("Eng admin lists Berlin: %s, want %s", got, want)
		}
	})

	t.Run("ErrMoveIntoSelf", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		berlin := MustCreateDept(t, db, tr.Admin, tr.EMEA.ID, "Berlin")
		for _, parent := range []*koodrive.Department{tr.Sales, tr.EMEA, berlin} {
			_, err := db.Depts.UpdateDepartment(ctx, tr.Admin, tr.Sales.ID, koodrive.DepartmentUpdate{Name: "Sales", ParentID: parent.ID})
			assertMessage(t, err, koodrive.EINVALID, "parentId", koodrive.MsgMoveIntoSelf)
		}
		if got := mustDept(t, db, tr.Admin, tr.Sales.ID); *got != *tr.Sales {
			t.Errorf("Sales = %+v, want %+v (unchanged)", *got, *tr.Sales)
		}
		if got := mustDept(t, db, tr.Admin, berlin.ID); *got != *berlin {
			t.Errorf("Berlin = %+v, want %+v (unchanged)", *got, *berlin)
		}
	})

	t.Run("ErrMoveRoot", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		for _, parent := range []koodrive.ID{tr.Sales.ID, tr.EMEA.ID, tr.Root.ID, tr.Root.ID + 1_000_000} {
			_, err := db.Depts.UpdateDepartment(ctx, tr.Admin, tr.Root.ID, koodrive.DepartmentUpdate{Name: "Acme", ParentID: parent})
			assertMessage(t, err, koodrive.EINVALID, "parentId", koodrive.MsgMoveRoot)
		}
		if got := mustDept(t, db, tr.Admin, tr.Root.ID); *got != *tr.Root {
			t.Errorf("root = %+v, want %+v (unchanged)", *got, *tr.Root)
		}
	})

	t.Run("ErrParentRequired", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		_, err := db.Depts.UpdateDepartment(ctx, tr.Admin, tr.EMEA.ID, koodrive.DepartmentUpdate{Name: "EMEA"})
		assertMessage(t, err, koodrive.EINVALID, "parentId", koodrive.MsgFieldRequired)
		if got := mustDept(t, db, tr.Admin, tr.EMEA.ID); *got != *tr.EMEA {
			t.Errorf("EMEA = %+v, want %+v (unchanged)", *got, *tr.EMEA)
		}
	})

	t.Run("ErrNameInvalid", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		for _, name := range []string{"", "Sales/EMEA", " EMEA", "EM\x01EA", strings.Repeat("x", koodrive.MaxDeptNameLen+1)} {
			_, err := db.Depts.UpdateDepartment(ctx, tr.Admin, tr.EMEA.ID, koodrive.DepartmentUpdate{Name: name, ParentID: tr.Sales.ID})
			assertError(t, err, koodrive.EINVALID, "name")
		}
		if got := mustDept(t, db, tr.Admin, tr.EMEA.ID); *got != *tr.EMEA {
			t.Errorf("EMEA = %+v, want %+v (unchanged)", *got, *tr.EMEA)
		}
	})

	t.Run("ErrMaxLevels", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		// A chain down to level 5, and a two-level branch X > Y.
		chain := []*koodrive.Department{o.Root}
		for level := 2; level <= koodrive.MaxDepartmentLevels; level++ {
			chain = append(chain, MustCreateDept(t, db, o.Admin, chain[len(chain)-1].ID, fmt.Sprintf("L%d", level)))
		}
		x := MustCreateDept(t, db, o.Admin, o.Root.ID, "X")
		y := MustCreateDept(t, db, o.Admin, x.ID, "Y")

		for _, tt := range []struct {
			parent *koodrive.Department
			depth  int
		}{{chain[3], 6}, {chain[4], 7}} { // L4, L5
			_, err := db.Depts.UpdateDepartment(ctx, o.Admin, x.ID, koodrive.DepartmentUpdate{Name: "X", ParentID: tt.parent.ID})
			assertMessage(t, err, koodrive.EMAXLEVELS, "parentId", koodrive.MsgMaxLevelsMove)
			p := koodrive.AsError(err).Message.Params
			if got, want := fmt.Sprint(p["Max"], ",", p["Depth"]), fmt.Sprint(koodrive.MaxDepartmentLevels, ",", tt.depth); got != want {
				t.Errorf("under %s: Max, Depth = %s, want %s", tt.parent.Name, got, want)
			}
		}
		if got := mustDept(t, db, o.Admin, x.ID); *got != *x {
			t.Errorf("X = %+v, want %+v (unchanged)", *got, *x)
		}
		if got := mustDept(t, db, o.Admin, y.ID); *got != *y {
			t.Errorf("Y = %+v, want %+v (unchanged)", *got, *y)
		}
		// Under L3, Y ends exactly at level 5.
		mustUpdateDept(t, db, o.Admin, x.ID, koodrive.DepartmentUpdate{Name: "X", ParentID: chain[2].ID})
		if got := mustDept(t, db, o.Admin, y.ID); got.Level != 5 || !strings.HasPrefix(got.Path, chain[2].Path) {
			t.Errorf("Y = %+v, want level 5 below L3", *got)
		}
		_, err := db.Depts.CreateDepartment(ctx, o.Admin, koodrive.DepartmentCreate{Name: "Z", ParentID: y.ID})
		assertKind(t, err, koodrive.EMAXLEVELS)
		// A leaf moves to level 5 too.
		mustUpdateDept(t, db, o.Admin, y.ID, koodrive.DepartmentUpdate{Name: "Y", ParentID: chain[3].ID})
		if got := mustDept(t, db, o.Admin, y.ID); got.Level != 5 {
			t.Errorf("Y Level = %d, want 5", got.Level)
		}
		_, err = db.Depts.UpdateDepartment(ctx, o.Admin, y.ID, koodrive.DepartmentUpdate{Name: "Y", ParentID: chain[4].ID})
		assertKind(t, err, koodrive.EMAXLEVELS)
	})

	t.Run("Scope", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		berlin := MustCreateDept(t, db, tr.Admin, tr.EMEA.ID, "Berlin")
		deptAdmin := MustUserActor(t, db, tr.Admin, "sales-admin", tr.Sales.ID, koodrive.RoleDeptAdmin)

		// Inside its subtree it moves and renames.
		d, err := db.Depts.UpdateDepartment(ctx, deptAdmin, berlin.ID, koodrive.DepartmentUpdate{Name: "Berlin", ParentID: tr.Sales.ID})
		if err != nil {
			t.Fatalf("dept admin moves within its subtree: %v", err)
		}
		if d.Level != 3 || d.ParentID != tr.Sales.ID {
			t.Errorf("Berlin = %+v, want level 3 under Sales", *d)
		}
		// Not to a parent outside, nor a department outside.
		for _, parent := range []koodrive.ID{tr.Eng.ID, tr.Root.ID} {
			_, err := db.Depts.UpdateDepartment(ctx, deptAdmin, berlin.ID, koodrive.DepartmentUpdate{Name: "Berlin", ParentID: parent})
			assertMessage(t, err, koodrive.EFORBIDDEN, "parentId", koodrive.MsgForbiddenScope)
		}
		_, err = db.Depts.UpdateDepartment(ctx, deptAdmin, tr.Eng.ID, koodrive.DepartmentUpdate{Name: "Eng", ParentID: tr.Sales.ID})
		assertMessage(t, err, koodrive.EFORBIDDEN, "departmentId", koodrive.MsgForbiddenScope)
		_, err = db.Depts.UpdateDepartment(ctx, deptAdmin, tr.Eng.ID, koodrive.DepartmentUpdate{Name: "Engineering", ParentID: tr.Root.ID})
		assertMessage(t, err, koodrive.EFORBIDDEN, "departmentId", koodrive.MsgForbiddenScope)
		if got := mustDept(t, db, tr.Admin, tr.Eng.ID); *got != *tr.Eng {
			t.Errorf("Eng = %+v, want %+v (unchanged)", *got, *tr.Eng)
		}
		if got := mustDept(t, db, tr.Admin, berlin.ID); got.ParentID != tr.Sales.ID {
			t.Errorf("Berlin's parent = %d, want %d", got.ParentID, tr.Sales.ID)
		}
		// Roles that do not manage departments change none.
		for _, r := range []koodrive.Role{koodrive.RoleMemberManager, koodrive.RoleDriveAdmin, koodrive.RoleUser} {
			a := MustUserActor(t, db, tr.Admin, fmt.Sprintf("role%d", r), tr.Sales.ID, r)
			_, err := db.Depts.UpdateDepartment(ctx, a, berlin.ID, koodrive.DepartmentUpdate{Name: "Renamed", ParentID: tr.Sales.ID})
			assertKind(t, err, koodrive.EFORBIDDEN)
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		_, err := db.Depts.UpdateDepartment(ctx, tr.Admin, tr.Root.ID+1_000_000, koodrive.DepartmentUpdate{Name: "Ghost", ParentID: tr.Root.ID})
		assertError(t, err, koodrive.ENOTFOUND, "departmentId")
		_, err = db.Depts.UpdateDepartment(ctx, tr.Admin, tr.EMEA.ID, koodrive.DepartmentUpdate{Name: "EMEA", ParentID: tr.Root.ID + 1_000_000})
		assertError(t, err, koodrive.ENOTFOUND, "parentId")
		if got := mustDept(t, db, tr.Admin, tr.EMEA.ID); *got != *tr.EMEA {
			t.Errorf("EMEA = %+v, want %+v (unchanged)", *got, *tr.EMEA)
		}
	})
}

func TestDepartmentService_DeleteDepartment(t *testing.T) {
	eachBackend(t, testDepartmentService_DeleteDepartment)
}

func testDepartmentService_DeleteDepartment(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		mustCreateSpace(t, db, tr.Admin, tr.Eng.ID, koodrive.SpaceDepartment, 20)
		before := mustUsage(t, db, tr.Admin)
		if got, want := before.AllocatedGB, int64(20); got != want {
			t.Fatalf("AllocatedGB = %d, want %d", got, want)
		}
		if err := db.Depts.DeleteDepartment(ctx, tr.Admin, tr.Eng.ID); err != nil {
			t.Fatal(err)
		}
		_, err := db.Depts.FindDepartmentByID(ctx, tr.Admin, tr.Eng.ID)
		assertKind(t, err, koodrive.ENOTFOUND)
		_, err = db.Spaces.FindSpace(ctx, tr.Admin, tr.Eng.ID, koodrive.SpaceDepartment)
		assertKind(t, err, koodrive.ENOTFOUND)
		after := mustUsage(t, db, tr.Admin)
		if got, want := after.AllocatedGB, int64(0); got != want {
			t.Errorf("AllocatedGB = %d, want %d (the team space's capacity returned)", got, want)
		}
		if got, want := after.ByType[koodrive.SpaceDepartment].Spaces, before.ByType[koodrive.SpaceDepartment].Spaces-1; got != want {
			t.Errorf("team spaces = %d, want %d", got, want)
		}
		if got, want := deptNames(mustChildren(t, db, tr.Admin, tr.Root.ID)), "Sales"; got != want {
			t.Errorf("root children = %s, want %s", got, want)
		}
		// Its name is free again.
		MustCreateDept(t, db, tr.Admin, tr.Root.ID, "Eng")
		err = db.Depts.DeleteDepartment(ctx, tr.Admin, tr.Eng.ID)
		assertError(t, err, koodrive.ENOTFOUND, "departmentId")
	})

	t.Run("ErrNotEmpty", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		var users []*koodrive.User
		for i := range 2 {
			users = append(users, MustCreateUser(t, db, tr.Admin, koodrive.UserCreate{UserID: fmt.Sprintf("u%d", i), DeptID: tr.Sales.ID, Role: new(koodrive.RoleUser)}))
		}
		MustCreateDept(t, db, tr.Admin, tr.Sales.ID, "APAC")
		// Users below, in EMEA, are EMEA's, not Sales' own.
		MustCreateUser(t, db, tr.Admin, koodrive.UserCreate{UserID: "emea", DeptID: tr.EMEA.ID, Role: new(koodrive.RoleUser)})
		for _, tt := range []struct {
			dept            *koodrive.Department
			users, children int
		}{{tr.Sales, 2, 2}, {tr.EMEA, 1, 0}} {
			err := db.Depts.DeleteDepartment(ctx, tr.Admin, tt.dept.ID)
			assertMessage(t, err, koodrive.EINVALID, "departmentId", koodrive.MsgDeptNotEmpty)
			p := koodrive.AsError(err).Message.Params
			if got, want := fmt.Sprint(p["Users"], ",", p["Children"]), fmt.Sprint(tt.users, ",", tt.children); got != want {
				t.Errorf("%s: Users, Children = %s, want %s", tt.dept.Name, got, want)
			}
			if got := mustDept(t, db, tr.Admin, tt.dept.ID); *got != *tt.dept {
				t.Errorf("%s = %+v, want it unchanged", tt.dept.Name, *got)
			}
		}
		// Children alone keep it too.
		for _, u := range users {
			mustUpdateUser(t, db, tr.Admin, u.ID, koodrive.UserUpdate{DeptID: &tr.Eng.ID})
		}
		err := db.Depts.DeleteDepartment(ctx, tr.Admin, tr.Sales.ID)
		assertMessage(t, err, koodrive.EINVALID, "departmentId", koodrive.MsgDeptNotEmpty)
		if got, want := fmt.Sprint(koodrive.AsError(err).Message.Params["Users"]), "0"; got != want {
			t.Errorf("Users = %s, want %s", got, want)
		}
		// Emptied, the department goes.
		emea := findUser(t, db, tr.Admin, "emea")
		if err := db.Users.DeleteUser(ctx, tr.Admin, emea.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.Depts.DeleteDepartment(ctx, tr.Admin, tr.EMEA.ID); err != nil {
			t.Fatalf("delete emptied EMEA: %v", err)
		}
	})

	t.Run("ErrDeleteRoot", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		err := db.Depts.DeleteDepartment(ctx, o.Admin, o.Root.ID)
		assertMessage(t, err, koodrive.EINVALID, "departmentId", koodrive.MsgDeleteRoot)
		if got := mustDept(t, db, o.Admin, o.Root.ID); *got != *o.Root {
			t.Errorf("root = %+v, want %+v", *got, *o.Root)
		}
	})

	t.Run("ErrSpaceHoldsData", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		sp := mustCreateSpace(t, db, tr.Admin, tr.Eng.ID, koodrive.SpaceDepartment, 20)
		mustReportUsage(t, db, tr.Admin, sp.ContainerID, 5*koodrive.GB+1)
		before := mustUsage(t, db, tr.Admin)
		err := db.Depts.DeleteDepartment(ctx, tr.Admin, tr.Eng.ID)
		assertMessage(t, err, koodrive.EINVALID, "ownerId", koodrive.MsgSpaceHoldsData)
		if got, want := fmt.Sprint(koodrive.AsError(err).Message.Params["UsedGB"]), "6"; got != want {
			t.Errorf("UsedGB = %s, want %s (rounded up)", got, want)
		}
		if got := mustDept(t, db, tr.Admin, tr.Eng.ID); *got != *tr.Eng {
			t.Errorf("Eng = %+v, want %+v", *got, *tr.Eng)
		}
		if got := *mustUsage(t, db, tr.Admin); got != *before {
			t.Errorf("usage = %+v, want %+v (unchanged)", got, *before)
		}
		// Data in a team space never allocated keeps it as well.
		other := mustFindSpace(t, db, tr.Admin, tr.EMEA.ID, koodrive.SpaceDepartment)
		mustReportUsage(t, db, tr.Admin, other.ContainerID, 1)
		err = db.Depts.DeleteDepartment(ctx, tr.Admin, tr.EMEA.ID)
		assertMessage(t, err, koodrive.EINVALID, "ownerId", koodrive.MsgSpaceHoldsData)
	})

	t.Run("Scope", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		apac := MustCreateDept(t, db, tr.Admin, tr.Sales.ID, "APAC")
		deptAdmin := MustUserActor(t, db, tr.Admin, "emea-admin", tr.EMEA.ID, koodrive.RoleDeptAdmin)
		for _, d := range []*koodrive.Department{apac, tr.Eng} {
			err := db.Depts.DeleteDepartment(ctx, deptAdmin, d.ID)
			assertMessage(t, err, koodrive.EFORBIDDEN, "departmentId", koodrive.MsgForbiddenScope)
		}
		for _, r := range []koodrive.Role{koodrive.RoleMemberManager, koodrive.RoleDriveAdmin, koodrive.RoleUser} {
			a := MustUserActor(t, db, tr.Admin, fmt.Sprintf("role%d", r), tr.Root.ID, r)
			err := db.Depts.DeleteDepartment(ctx, a, apac.ID)
			assertKind(t, err, koodrive.EFORBIDDEN)
		}
		if got, want := deptNames(mustChildren(t, db, tr.Admin, tr.Sales.ID)), "APAC,EMEA"; got != want {
			t.Errorf("Sales' children = %s, want %s", got, want)
		}
		berlin := MustCreateDept(t, db, tr.Admin, tr.EMEA.ID, "Berlin")
		if err := db.Depts.DeleteDepartment(ctx, deptAdmin, berlin.ID); err != nil {
			t.Fatalf("dept admin deletes below its department: %v", err)
		}
	})
}

// checkUnder checks that each department in ids lies in parent's subtree
// with a path and level that agree: each path extends its parent's path
// by its own ID, one level deeper.
func checkUnder(tb testing.TB, db *DB, a koodrive.Actor, parent *koodrive.Department, ids ...koodrive.ID) {
	tb.Helper()
	for _, id := range ids {
		d := mustDept(tb, db, a, id)
		if !strings.HasPrefix(d.Path, parent.Path) {
			tb.Errorf("%s: Path %q, want it below %s's %q", d.Name, d.Path, parent.Name, parent.Path)
		}
		p := mustDept(tb, db, a, d.ParentID)
		if got, want := d.Path, koodrive.ChildPath(p.Path, d.ID); got != want {
			tb.Errorf("%s: Path %q, want %q", d.Name, got, want)
		}
		if got, want := d.Level, p.Level+1; got != want {
			tb.Errorf("%s: Level %d, want %d", d.Name, got, want)
		}
		if got, want := d.Level, strings.Count(d.Path, "/")-1; got != want {
			tb.Errorf("%s: Level %d, want %d (as its path says)", d.Name, got, want)
		}
	}
}

func mustDept(tb testing.TB, db *DB, a koodrive.Actor, id koodrive.ID) *koodrive.Department {
	tb.Helper()
	d, err := db.Depts.FindDepartmentByID(context.Background(), a, id)
	if err != nil {
		tb.Fatalf("find department %d: %v", id, err)
	}
	return d
}

func mustChildren(tb testing.TB, db *DB, a koodrive.Actor, parent koodrive.ID) []*koodrive.Department {
	tb.Helper()
	depts, err := db.Depts.FindDepartments(context.Background(), a, koodrive.DepartmentFilter{ParentID: parent})
	if err != nil {
		tb.Fatalf("find children of %d: %v", parent, err)
	}
	return depts
}

func mustUpdateDept(tb testing.TB, db *DB, a koodrive.Actor, id koodrive.ID, in koodrive.DepartmentUpdate) *koodrive.Department {
	tb.Helper()
	d, err := db.Depts.UpdateDepartment(context.Background(), a, id, in)
	if err != nil {
		tb.Fatalf("update department %d: %v", id, err)
	}
	return d
}
