package sqldb_test

import (
	"context"
	"strings"
	"testing"

	"github.com/koodrive/koodrive"
)

func TestDepartmentService_CreateDepartment(t *testing.T) {
	eachBackend(t, testDepartmentService_CreateDepartment)
}

func testDepartmentService_CreateDepartment(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		d, err := db.Depts.CreateDepartment(ctx, o.Admin, koodrive.DepartmentCreate{Name: "Sales", ParentID: o.Root.ID})
		if err != nil {
			t.Fatal(err)
		}
		if d.ID == 0 || d.ID == o.Root.ID {
			t.Fatalf("ID = %d, want a new ID", d.ID)
		}
		if got, want := d.Name, "Sales"; got != want {
			t.Errorf("Name = %q, want %q", got, want)
		}
		if got, want := d.ParentID, o.Root.ID; got != want {
			t.Errorf("ParentID = %d, want %d", got, want)
		}
		if got, want := d.OrgID, o.ID; got != want {
			t.Errorf("OrgID = %d, want %d", got, want)
		}
		if got, want := d.Level, 2; got != want {
			t.Errorf("Level = %d, want %d", got, want)
		}
		if got, want := d.Path, o.Root.Path+d.ID.String()+"/"; got != want {
			t.Errorf("Path = %q, want %q", got, want)
		}
		if !d.CreatedAt.Equal(t0) || !d.UpdatedAt.Equal(t0) {
			t.Errorf("CreatedAt, UpdatedAt = %v, %v, want %v", d.CreatedAt, d.UpdatedAt, t0)
		}
		found, err := db.Depts.FindDepartmentByID(ctx, o.Admin, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if *found != *d {
			t.Errorf("FindDepartmentByID = %+v, want %+v", *found, *d)
		}
	})

	t.Run("NestedToMaxLevels", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		parent := o.Root
		for level := 2; level <= koodrive.MaxDepartmentLevels; level++ {
			d := MustCreateDept(t, db, o.Admin, parent.ID, "L"+string(rune('0'+level)))
			if got, want := d.Level, level; got != want {
				t.Fatalf("Level = %d, want %d", got, want)
			}
			if got, want := d.Path, parent.Path+d.ID.String()+"/"; got != want {
				t.Fatalf("Path = %q, want %q", got, want)
			}
			parent = d
		}
		_, err := db.Depts.CreateDepartment(ctx, o.Admin, koodrive.DepartmentCreate{Name: "L6", ParentID: parent.ID})
		assertError(t, err, koodrive.EMAXLEVELS, "parentId")
		children, err := db.Depts.FindDepartments(ctx, o.Admin, koodrive.DepartmentFilter{ParentID: parent.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(children) != 0 {
			t.Fatalf("children of level 5 = %+v, want none", children)
		}
	})

	t.Run("ErrNameTaken", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		sales := MustCreateDept(t, db, o.Admin, o.Root.ID, "Sales")
		for _, name := range []string{"Sales", "sales", "SALES"} {
			_, err := db.Depts.CreateDepartment(ctx, o.Admin, koodrive.DepartmentCreate{Name: name, ParentID: o.Root.ID})
			assertError(t, err, koodrive.ECONFLICT, "name")
		}
		// The same name under other parents is another department.
		eng := MustCreateDept(t, db, o.Admin, o.Root.ID, "Eng")
		a := MustCreateDept(t, db, o.Admin, sales.ID, "sales")
		b := MustCreateDept(t, db, o.Admin, eng.ID, "Sales")
		if a.ID == b.ID {
			t.Fatalf("two departments with ID %d", a.ID)
		}
		children, err := db.Depts.FindDepartments(ctx, o.Admin, koodrive.DepartmentFilter{ParentID: o.Root.ID})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := deptNames(children), "Eng,Sales"; got != want {
			t.Fatalf("root children = %s, want %s", got, want)
		}
	})

	t.Run("ErrParentNotFound", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		_, err := db.Depts.CreateDepartment(ctx, o.Admin, koodrive.DepartmentCreate{Name: "Sales", ParentID: o.Root.ID + 1_000_000})
		assertError(t, err, koodrive.ENOTFOUND, "parentId")
	})

	t.Run("ErrParentRequired", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		_, err := db.Depts.CreateDepartment(ctx, o.Admin, koodrive.DepartmentCreate{Name: "Sales"})
		assertError(t, err, koodrive.EINVALID, "parentId")
	})

	t.Run("ErrNameInvalid", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		for _, name := range []string{
			"",
			"Sales/EMEA",
			" Sales",
			"Sales ",
			"Sa\x01les",
			"Sales\n",
			"\xff\xfe",
			strings.Repeat("x", koodrive.MaxDeptNameLen+1),
			strings.Repeat("部", koodrive.MaxDeptNameLen+1),
		} {
			_, err := db.Depts.CreateDepartment(ctx, o.Admin, koodrive.DepartmentCreate{Name: name, ParentID: o.Root.ID})
			if got, want := koodrive.ErrorKind(err), koodrive.EINVALID; got != want {
				t.Errorf("name %q: error kind = %q, want %q (err: %v)", name, got, want, err)
			}
		}
		// The longest name is fine, counted in characters.
		MustCreateDept(t, db, o.Admin, o.Root.ID, strings.Repeat("部", koodrive.MaxDeptNameLen))
		children, err := db.Depts.FindDepartments(ctx, o.Admin, koodrive.DepartmentFilter{ParentID: o.Root.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(children) != 1 {
			t.Fatalf("children = %d, want only the valid one", len(children))
		}
	})

	t.Run("Scope", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		sales := MustCreateDept(t, db, o.Admin, o.Root.ID, "Sales")
		emea := MustCreateDept(t, db, o.Admin, sales.ID, "EMEA")
		eng := MustCreateDept(t, db, o.Admin, o.Root.ID, "Eng")

		deptAdmin := MustUserActor(t, db, o.Admin, "sales-admin", sales.ID, koodrive.RoleDeptAdmin)
		if d, err := db.Depts.CreateDepartment(ctx, deptAdmin, koodrive.DepartmentCreate{Name: "APAC", ParentID: sales.ID}); err != nil {
			t.Fatalf("dept admin under its own department: %v", err)
		} else if d.ParentID != sales.ID {
			t.Fatalf("ParentID = %d, want %d", d.ParentID, sales.ID)
		}
		if _, err := db.Depts.CreateDepartment(ctx, deptAdmin, koodrive.DepartmentCreate{Name: "Berlin", ParentID: emea.ID}); err != nil {
			t.Fatalf("dept admin below its own department: %v", err)
		}
		for _, parent := range []*koodrive.Department{eng, o.Root} {
			_, err := db.Depts.CreateDepartment(ctx, deptAdmin, koodrive.DepartmentCreate{Name: "Rogue", ParentID: parent.ID})
			assertKind(t, err, koodrive.EFORBIDDEN)
		}

		for _, r := range []koodrive.Role{koodrive.RoleMemberManager, koodrive.RoleDriveAdmin, koodrive.RoleUser} {
			a := MustUserActor(t, db, o.Admin, "role-"+string(rune('0'+r)), sales.ID, r)
			for _, parent := range []*koodrive.Department{sales, emea, eng, o.Root} {
				_, err := db.Depts.CreateDepartment(ctx, a, koodrive.DepartmentCreate{Name: "Rogue", ParentID: parent.ID})
				if got, want := koodrive.ErrorKind(err), koodrive.EFORBIDDEN; got != want {
					t.Errorf("role %d under %s: error kind = %q, want %q (err: %v)", r, parent.Name, got, want, err)
				}
			}
		}
		// Nothing named Rogue was written anywhere.
		for _, parent := range []*koodrive.Department{sales, emea, eng, o.Root} {
			found, err := db.Depts.FindDepartments(ctx, o.Admin, koodrive.DepartmentFilter{ParentID: parent.ID, KeyWord: "rogue"})
			if err != nil {
				t.Fatal(err)
			}
			if len(found) != 0 {
				t.Errorf("under %s: %s, want no Rogue", parent.Name, deptNames(found))
			}
		}
	})
}

func TestDepartmentService_FindDepartments(t *testing.T) {
	eachBackend(t, testDepartmentService_FindDepartments)
}

func testDepartmentService_FindDepartments(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("Root", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		MustCreateDept(t, db, o.Admin, o.Root.ID, "Sales")
		depts, err := db.Depts.FindDepartments(ctx, o.Admin, koodrive.DepartmentFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(depts) != 1 || *depts[0] != *o.Root {
			t.Fatalf("FindDepartments() = %s, want the root alone", deptNames(depts))
		}
		// A keyword filters the root too.
		if depts, err = db.Depts.FindDepartments(ctx, o.Admin, koodrive.DepartmentFilter{KeyWord: "CM"}); err != nil {
			t.Fatal(err)
		} else if got, want := deptNames(depts), "Acme"; got != want {
			t.Fatalf("keyword CM: %s, want %s", got, want)
		}
		if depts, err = db.Depts.FindDepartments(ctx, o.Admin, koodrive.DepartmentFilter{KeyWord: "Sales"}); err != nil {
			t.Fatal(err)
		} else if len(depts) != 0 {
			t.Fatalf("keyword Sales: %s, want none", deptNames(depts))
		}
	})

	t.Run("ChildrenInNameOrder", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		for _, name := range []string{"delta", "Bravo", "alpha", "Charlie"} {
			MustCreateDept(t, db, o.Admin, o.Root.ID, name)
		}
		other := MustCreateDept(t, db, o.Admin, o.Root.ID, "Echo")
		MustCreateDept(t, db, o.Admin, other.ID, "Aaron") // a grandchild is not listed
		depts, err := db.Depts.FindDepartments(ctx, o.Admin, koodrive.DepartmentFilter{ParentID: o.Root.ID})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := deptNames(depts), "alpha,Bravo,Charlie,delta,Echo"; got != want {
			t.Fatalf("children = %s, want %s", got, want)
		}
		for _, d := range depts {
			if d.ParentID != o.Root.ID || d.Level != 2 {
				t.Errorf("%s: ParentID, Level = %d, %d, want %d, 2", d.Name, d.ParentID, d.Level, o.Root.ID)
			}
		}
	})

	t.Run("KeyWord", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		for _, name := range []string{"Sales EMEA", "emea north", "Support", "100% Sales", "R_D", "RxD", `Back\Office`, "Ops"} {
			MustCreateDept(t, db, o.Admin, o.Root.ID, name)
		}
		for _, tt := range []struct{ keyword, want string }{
			{"EMEA", "emea north,Sales EMEA"},
			{"emea", "emea north,Sales EMEA"},
			{"sALES", "100% Sales,Sales EMEA"},
			{"%", "100% Sales"},
			{"0%", "100% Sales"},
			{"_", "R_D"},
			{"R_D", "R_D"},
			{`\`, `Back\Office`},
			{"nothing", ""},
		} {
			depts, err := db.Depts.FindDepartments(ctx, o.Admin, koodrive.DepartmentFilter{ParentID: o.Root.ID, KeyWord: tt.keyword})
			if err != nil {
				t.Fatalf("keyword %q: %v", tt.keyword, err)
			}
			if got := deptNames(depts); got != tt.want {
				t.Errorf("keyword %q: %s, want %s", tt.keyword, got, tt.want)
			}
		}
	})

	t.Run("ErrParentNotFound", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		_, err := db.Depts.FindDepartments(ctx, o.Admin, koodrive.DepartmentFilter{ParentID: o.Root.ID + 1_000_000})
		assertKind(t, err, koodrive.ENOTFOUND)
	})
}

func TestDepartmentService_FindDepartmentByID(t *testing.T) {
	eachBackend(t, testDepartmentService_FindDepartmentByID)
}

func testDepartmentService_FindDepartmentByID(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		sales := MustCreateDept(t, db, o.Admin, o.Root.ID, "Sales")
		emea := MustCreateDept(t, db, o.Admin, sales.ID, "EMEA")
		// Any administrator reads the whole tree.
		deptAdmin := MustUserActor(t, db, o.Admin, "emea-admin", emea.ID, koodrive.RoleDeptAdmin)
		for _, a := range []koodrive.Actor{o.Admin, deptAdmin} {
			d, err := db.Depts.FindDepartmentByID(ctx, a, sales.ID)
			if err != nil {
				t.Fatalf("actor %s: %v", a.UserID, err)
			}
			if *d != *sales {
				t.Errorf("actor %s: %+v, want %+v", a.UserID, *d, *sales)
			}
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		d, err := db.Depts.FindDepartmentByID(ctx, o.Admin, o.Root.ID+1_000_000)
		assertKind(t, err, koodrive.ENOTFOUND)
		if d != nil {
			t.Errorf("department = %+v, want nil", d)
		}
	})
}

// deptNames lists the departments' names, comma separated.
func deptNames(depts []*koodrive.Department) string {
	names := make([]string, len(depts))
	for i, d := range depts {
		names[i] = d.Name
	}
	return strings.Join(names, ",")
}
