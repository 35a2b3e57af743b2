package sqldb_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/koodrive/koodrive"
)

func TestOrganizationService_UpdateOrganization(t *testing.T) {
	eachBackend(t, testOrganizationService_UpdateOrganization)
}

func testOrganizationService_UpdateOrganization(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		org, err := db.Orgs.UpdateOrganization(ctx, o.Admin, koodrive.OrganizationUpdate{
			Name: new("Acme Group"), CapacityGB: new(int64(5000)), MaxUsers: new(int64(20)),
		})
		if err != nil {
			t.Fatal(err)
		}
		want := *o.Organization
		want.Name, want.CapacityGB, want.MaxUsers = "Acme Group", 5000, 20
		if *org != want {
			t.Errorf("UpdateOrganization = %+v, want %+v", *org, want)
		}
		if got := *MustFindOrg(t, db); got != want {
			t.Errorf("FindOrganization = %+v, want %+v", got, want)
		}
		if got := mustDept(t, db, o.Admin, o.Root.ID); got.Name != "Acme Group" || got.Path != o.Root.Path {
			t.Errorf("root department = %+v, want renamed Acme Group", *got)
		}
		u := mustUsage(t, db, o.Admin)
		if u.CapacityGB != 5000 || u.MaxUsers != 20 {
			t.Errorf("Usage CapacityGB, MaxUsers = %d, %d, want 5000, 20", u.CapacityGB, u.MaxUsers)
		}

		// Nil fields stay as they are.
		org, err = db.Orgs.UpdateOrganization(ctx, o.Admin, koodrive.OrganizationUpdate{MaxUsers: new(int64(3))})
		if err != nil {
			t.Fatal(err)
		}
		want.MaxUsers = 3
		if *org != want {
			t.Errorf("UpdateOrganization = %+v, want %+v", *org, want)
		}
		if _, err := db.Orgs.UpdateOrganization(ctx, o.Admin, koodrive.OrganizationUpdate{}); err != nil {
			t.Fatalf("empty update: %v", err)
		}
		if got := *MustFindOrg(t, db); got != want {
			t.Errorf("after an empty update = %+v, want %+v", got, want)
		}
		// The new limit holds.
		MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "u1", Role: new(koodrive.RoleUser)})
		MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "u2", Role: new(koodrive.RoleUser)})
		_, err = db.Users.CreateUser(ctx, o.Admin, koodrive.UserCreate{UserID: "u3", Role: new(koodrive.RoleUser)})
		assertKind(t, err, koodrive.ELIMIT)
	})

	t.Run("Capacity", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		mustCreateSpace(t, db, tr.Admin, tr.Sales.ID, koodrive.SpaceDepartment, 100)
		_, err := db.Orgs.UpdateOrganization(ctx, tr.Admin, koodrive.OrganizationUpdate{CapacityGB: new(int64(99))})
		assertMessage(t, err, koodrive.EINVALID, "capacityGb", koodrive.MsgCapacityBelowAllocated)
		if got, want := fmt.Sprint(koodrive.AsError(err).Message.Params["Allocated"]), "100"; got != want {
			t.Errorf("Allocated = %s, want %s", got, want)
		}
		if got, want := MustFindOrg(t, db).CapacityGB, int64(1000); got != want {
			t.Errorf("CapacityGB = %d, want %d (unchanged)", got, want)
		}
		// Down to exactly what is allocated: nothing is left to allocate.
		if org, err := db.Orgs.UpdateOrganization(ctx, tr.Admin, koodrive.OrganizationUpdate{CapacityGB: new(int64(100))}); err != nil {
			t.Fatal(err)
		} else if org.CapacityGB != 100 || org.UnallocatedGB() != 0 {
			t.Errorf("CapacityGB, UnallocatedGB = %d, %d, want 100, 0", org.CapacityGB, org.UnallocatedGB())
		}
		_, err = db.Spaces.CreateSpace(ctx, tr.Admin, koodrive.SpaceCreate{OwnerID: tr.Eng.ID, Type: koodrive.SpaceDepartment, CapacityGB: 1})
		assertKind(t, err, koodrive.EINSUFFICIENTSPACE)
		// Up again, room again.
		if _, err := db.Orgs.UpdateOrganization(ctx, tr.Admin, koodrive.OrganizationUpdate{CapacityGB: new(int64(101))}); err != nil {
			t.Fatal(err)
		}
		mustCreateSpace(t, db, tr.Admin, tr.Eng.ID, koodrive.SpaceDepartment, 1)
	})

	t.Run("ErrMaxUsersBelowCount", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		for i := range 2 {
			MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: fmt.Sprintf("u%d", i), Role: new(koodrive.RoleUser)})
		}
		for _, max := range []int64{2, 1} {
			_, err := db.Orgs.UpdateOrganization(ctx, o.Admin, koodrive.OrganizationUpdate{MaxUsers: &max})
			assertMessage(t, err, koodrive.EINVALID, "maxUsers", koodrive.MsgMaxUsersBelowCount)
			if got, want := fmt.Sprint(koodrive.AsError(err).Message.Params["Count"]), "3"; got != want {
				t.Errorf("Count = %s, want %s", got, want)
			}
		}
		if got, want := MustFindOrg(t, db).MaxUsers, int64(1000); got != want {
			t.Errorf("MaxUsers = %d, want %d (unchanged)", got, want)
		}
		if _, err := db.Orgs.UpdateOrganization(ctx, o.Admin, koodrive.OrganizationUpdate{MaxUsers: new(int64(3))}); err != nil {
			t.Fatalf("limit at the user count: %v", err)
		}
		_, err := db.Users.CreateUser(ctx, o.Admin, koodrive.UserCreate{UserID: "u9", Role: new(koodrive.RoleUser)})
		assertKind(t, err, koodrive.ELIMIT)
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		for _, tt := range []struct {
			field string
			in    koodrive.OrganizationUpdate
		}{
			{"capacityGb", koodrive.OrganizationUpdate{CapacityGB: new(int64(-1))}},
			{"capacityGb", koodrive.OrganizationUpdate{CapacityGB: new(int64(koodrive.MaxOrgCapacityGB + 1))}},
			{"maxUsers", koodrive.OrganizationUpdate{MaxUsers: new(int64(0))}},
			{"maxUsers", koodrive.OrganizationUpdate{MaxUsers: new(int64(-5))}},
			{"maxUsers", koodrive.OrganizationUpdate{MaxUsers: new(int64(koodrive.MaxOrgUsers + 1))}},
			{"name", koodrive.OrganizationUpdate{Name: new("")}},
			{"name", koodrive.OrganizationUpdate{Name: new("Acme/Corp")}},
			{"name", koodrive.OrganizationUpdate{Name: new(" Acme")}},
			// One bad field spoils the whole update.
			{"capacityGb", koodrive.OrganizationUpdate{Name: new("Other"), CapacityGB: new(int64(-1))}},
		} {
			_, err := db.Orgs.UpdateOrganization(ctx, o.Admin, tt.in)
			assertError(t, err, koodrive.EINVALID, tt.field)
		}
		if got, want := *MustFindOrg(t, db), *o.Organization; got != want {
			t.Errorf("organization = %+v, want %+v (unchanged)", got, want)
		}
		if got := mustDept(t, db, o.Admin, o.Root.ID); got.Name != "Acme" {
			t.Errorf("root Name = %q, want %q", got.Name, "Acme")
		}
		// The bounds themselves are fine.
		org, err := db.Orgs.UpdateOrganization(ctx, o.Admin, koodrive.OrganizationUpdate{
			CapacityGB: new(int64(koodrive.MaxOrgCapacityGB)), MaxUsers: new(int64(koodrive.MaxOrgUsers)),
		})
		if err != nil {
			t.Fatal(err)
		}
		if org.CapacityGB != koodrive.MaxOrgCapacityGB || org.MaxUsers != koodrive.MaxOrgUsers {
			t.Errorf("CapacityGB, MaxUsers = %d, %d, want %d, %d", org.CapacityGB, org.MaxUsers, int64(koodrive.MaxOrgCapacityGB), koodrive.MaxOrgUsers)
		}
		if _, err := db.Orgs.UpdateOrganization(ctx, o.Admin, koodrive.OrganizationUpdate{CapacityGB: new(int64(0)), MaxUsers: new(int64(1))}); err != nil {
			t.Fatalf("capacity 0, one user: %v", err)
		}
	})

	t.Run("ErrForbidden", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		for _, r := range []koodrive.Role{koodrive.RoleDeptAdmin, koodrive.RoleUser, koodrive.RoleDriveAdmin, koodrive.RoleMemberManager} {
			// Even placed at the root.
			a := MustUserActor(t, db, tr.Admin, fmt.Sprintf("role%d", r), tr.Root.ID, r)
			org, err := db.Orgs.UpdateOrganization(ctx, a, koodrive.OrganizationUpdate{
				Name: new("Mine"), CapacityGB: new(int64(1)), MaxUsers: new(int64(10_000)),
			})
			assertKind(t, err, koodrive.EFORBIDDEN)
			if org != nil {
				t.Errorf("role %d: organization = %+v, want nil", r, *org)
			}
		}
		got := *MustFindOrg(t, db)
		want := *tr.Organization
		want.UserCount = got.UserCount
		if got != want {
			t.Errorf("organization = %+v, want %+v (unchanged)", got, want)
		}
		if got := mustDept(t, db, tr.Admin, tr.Root.ID); got.Name != "Acme" {
			t.Errorf("root Name = %q, want %q", got.Name, "Acme")
		}
	})
}
