package sqldb_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/koodrive/koodrive"
)

func TestOrganizationService_InitOrganization(t *testing.T) {
	eachBackend(t, testOrganizationService_InitOrganization)
}

func testOrganizationService_InitOrganization(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		in := koodrive.OrganizationInit{Name: "Acme", CapacityGB: 2048, MaxUsers: 50, AdminUserID: "Boss"}
		org, created, err := db.Orgs.InitOrganization(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if !created {
			t.Fatalf("created = false, want true")
		}
		if org.ID == 0 || org.RootDeptID == 0 {
			t.Fatalf("org ID, RootDeptID = %d, %d, want both set", org.ID, org.RootDeptID)
		}
		if got, want := org.Name, "Acme"; got != want {
			t.Errorf("Name = %q, want %q", got, want)
		}
		if got, want := org.CapacityGB, int64(2048); got != want {
			t.Errorf("CapacityGB = %d, want %d", got, want)
		}
		if got, want := org.AllocatedGB, int64(0); got != want {
			t.Errorf("AllocatedGB = %d, want %d", got, want)
		}
		if got, want := org.MaxUsers, int64(50); got != want {
			t.Errorf("MaxUsers = %d, want %d", got, want)
		}
		if got, want := org.UserCount, int64(1); got != want {
			t.Errorf("UserCount = %d, want %d", got, want)
		}
		if got, want := org.CreatedAt, t0; !got.Equal(want) {
			t.Errorf("CreatedAt = %v, want %v", got, want)
		}

		found, err := db.Orgs.FindOrganization(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := *found, *org; got != want {
			t.Errorf("FindOrganization = %+v, want %+v", got, want)
		}

		sys := koodrive.Actor{Role: koodrive.RoleSystemAdmin}
		root, err := db.Depts.FindDepartmentByID(ctx, sys, org.RootDeptID)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := root.Level, 1; got != want {
			t.Errorf("root Level = %d, want %d", got, want)
		}
		if got, want := root.Path, "/"+org.RootDeptID.String()+"/"; got != want {
			t.Errorf("root Path = %q, want %q", got, want)
		}
		if got, want := root.ParentID, koodrive.ID(0); got != want {
			t.Errorf("root ParentID = %d, want %d", got, want)
		}
		if got, want := root.OrgID, org.ID; got != want {
			t.Errorf("root OrgID = %d, want %d", got, want)
		}
		if got, want := root.Name, "Acme"; got != want {
			t.Errorf("root Name = %q, want %q", got, want)
		}

		users, total, err := db.Users.FindUsers(ctx, sys, koodrive.UserFilter{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if total != 1 || len(users) != 1 {
			t.Fatalf("users: total %d, %d listed, want 1, 1", total, len(users))
		}
		admin := users[0]
		if got, want := admin.UserID, "Boss"; got != want {
			t.Errorf("admin UserID = %q, want %q", got, want)
		}
		if got, want := admin.Role, koodrive.RoleSystemAdmin; got != want {
			t.Errorf("admin Role = %d, want %d", got, want)
		}
		if got, want := admin.Status, koodrive.StatusNotActivated; got != want {
			t.Errorf("admin Status = %d, want %d", got, want)
		}
		if got, want := admin.DeptID, root.ID; got != want {
			t.Errorf("admin DeptID = %d, want %d", got, want)
		}
		if got, want := admin.OrgID, org.ID; got != want {
			t.Errorf("admin OrgID = %d, want %d", got, want)
		}
		checkUserCount(t, db, sys)
	})

	t.Run("Existing", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		db.Clock.Advance(time.Hour)

		// Different, valid settings: the existing organization wins.
		org, created, err := db.Orgs.InitOrganization(ctx, koodrive.OrganizationInit{
			Name: "Other", CapacityGB: 1, MaxUsers: 2, AdminUserID: "someone",
		})
		if err != nil {
			t.Fatal(err)
		}
		if created {
			t.Fatalf("created = true, want false")
		}
		if got, want := *org, *o.Organization; got != want {
			t.Errorf("second InitOrganization = %+v, want %+v", got, want)
		}
		if got, want := *MustFindOrg(t, db), *o.Organization; got != want {
			t.Errorf("FindOrganization = %+v, want %+v", got, want)
		}
		users, total, err := db.Users.FindUsers(ctx, o.Admin, koodrive.UserFilter{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if total != 1 || len(users) != 1 || users[0].UserID != "admin" {
			t.Fatalf("users after second init: total %d, %+v, want only admin", total, users)
		}
		if _, err := db.Auth.CreateSession(ctx, "someone"); koodrive.ErrorKind(err) != koodrive.ENOTFOUND {
			t.Fatalf("second admin: CreateSession err = %v, want ENOTFOUND", err)
		}
		depts, err := db.Depts.FindDepartments(ctx, o.Admin, koodrive.DepartmentFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(depts) != 1 || *depts[0] != *o.Root {
			t.Fatalf("departments after second init = %+v, want the root alone", depts)
		}
	})

	t.Run("Concurrent", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		const n = 8
		var wg sync.WaitGroup
		orgs := make([]*koodrive.Organization, n)
		createds := make([]bool, n)
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() { orgs[i], createds[i], errs[i] = db.Orgs.InitOrganization(ctx, defaultInit) })
		}
		wg.Wait()
		var created int
		for i := range n {
			if errs[i] != nil {
				t.Fatalf("init %d: %v", i, errs[i])
			}
			if createds[i] {
				created++
			}
			if orgs[i].ID != orgs[0].ID {
				t.Errorf("init %d: org ID %d, want %d", i, orgs[i].ID, orgs[0].ID)
			}
		}
		if got, want := created, 1; got != want {
			t.Errorf("created = true %d times, want %d", got, want)
		}
		if got, want := MustFindOrg(t, db).UserCount, int64(1); got != want {
			t.Errorf("UserCount = %d, want %d", got, want)
		}
		checkUserCount(t, db, koodrive.Actor{Role: koodrive.RoleSystemAdmin})
	})

	for _, tt := range []struct {
		name  string
		in    koodrive.OrganizationInit
		field string
	}{
		{"ErrNegativeCapacity", koodrive.OrganizationInit{Name: "Acme", CapacityGB: -1, MaxUsers: 10, AdminUserID: "admin"}, "capacity-gb"},
		{"ErrMaxUsersZero", koodrive.OrganizationInit{Name: "Acme", CapacityGB: 10, MaxUsers: 0, AdminUserID: "admin"}, "max-users"},
		{"ErrAdminUserIDRequired", koodrive.OrganizationInit{Name: "Acme", CapacityGB: 10, MaxUsers: 10, AdminUserID: ""}, "admin-user-id"},
		{"ErrAdminUserIDInvalid", koodrive.OrganizationInit{Name: "Acme", CapacityGB: 10, MaxUsers: 10, AdminUserID: "the admin"}, "admin-user-id"},
		{"ErrNameRequired", koodrive.OrganizationInit{Name: "", CapacityGB: 10, MaxUsers: 10, AdminUserID: "admin"}, "org-name"},
		{"ErrNameInvalid", koodrive.OrganizationInit{Name: "Acme/Corp", CapacityGB: 10, MaxUsers: 10, AdminUserID: "admin"}, "org-name"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			db := MustOpenDB(t)
			org, _, err := db.Orgs.InitOrganization(ctx, tt.in)
			assertError(t, err, koodrive.EINVALID, tt.field)
			if org != nil {
				t.Errorf("organization = %+v, want nil", org)
			}
			_, err = db.Orgs.FindOrganization(ctx)
			assertKind(t, err, koodrive.ENOTFOUND)
		})
	}
}

func TestOrganizationService_FindOrganization(t *testing.T) {
	eachBackend(t, testOrganizationService_FindOrganization)
}

func testOrganizationService_FindOrganization(t *testing.T) {
	t.Parallel()

	t.Run("ErrNotFound", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		org, err := db.Orgs.FindOrganization(context.Background())
		assertKind(t, err, koodrive.ENOTFOUND)
		if org != nil {
			t.Errorf("organization = %+v, want nil", org)
		}
	})
}
