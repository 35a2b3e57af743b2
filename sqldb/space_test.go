package sqldb_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/koodrive/koodrive"
)

// spaceTree is mustTree with a user in each department and one at the root.
type spaceTree struct {
	*tree
	Ann, Bob, Cy, Dee *koodrive.User // in Sales, EMEA, Eng and the root
}

func mustSpaceTree(tb testing.TB, db *DB) *spaceTree {
	tb.Helper()
	tr := mustTree(tb, db)
	st := &spaceTree{tree: tr}
	for _, u := range []struct {
		dst  **koodrive.User
		id   string
		dept koodrive.ID
	}{{&st.Ann, "ann", tr.Sales.ID}, {&st.Bob, "bob", tr.EMEA.ID}, {&st.Cy, "cy", tr.Eng.ID}, {&st.Dee, "dee", tr.Root.ID}} {
		*u.dst = MustCreateUser(tb, db, tr.Admin, koodrive.UserCreate{UserID: u.id, Name: strings.ToUpper(u.id), DeptID: u.dept, Role: new(koodrive.RoleUser)})
	}
	return st
}

func TestSpaceService_TeamSpace(t *testing.T) { eachBackend(t, testSpaceService_TeamSpace) }

func testSpaceService_TeamSpace(t *testing.T) {
	t.Parallel()

	// Every department has a team space from the start, with nothing
	// allocated to it.
	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		deep := MustCreateDept(t, db, tr.Admin, tr.EMEA.ID, "Berlin")
		seen := make(map[string]bool)
		for _, d := range []*koodrive.Department{tr.Root, tr.Sales, tr.EMEA, tr.Eng, deep} {
			sp := mustFindSpace(t, db, tr.Admin, d.ID, koodrive.SpaceDepartment)
			want := koodrive.Space{
				ContainerID: sp.ContainerID, Type: koodrive.SpaceDepartment, OwnerID: d.ID, OrgID: tr.ID,
				Status: koodrive.SpaceNormal, CreatedBy: tr.Admin.ID, UpdatedBy: tr.Admin.ID, CreatedAt: t0, UpdatedAt: t0,
			}
			if *sp != want {
				t.Errorf("%s: team space = %+v, want %+v", d.Name, *sp, want)
			}
			if sp.ContainerID == "" || seen[sp.ContainerID] {
				t.Errorf("%s: ContainerID %q, want a new one", d.Name, sp.ContainerID)
			}
			seen[sp.ContainerID] = true
		}
		u := mustUsage(t, db, tr.Admin)
		if got, want := u.ByType[koodrive.SpaceDepartment], (koodrive.KindTotals{Spaces: 5}); got != want {
			t.Errorf("team spaces = %+v, want %+v", got, want)
		}
		if got, want := u.AllocatedGB, int64(0); got != want {
			t.Errorf("AllocatedGB = %d, want %d", got, want)
		}
	})
}

func TestSpaceService_CreateSpace(t *testing.T) { eachBackend(t, testSpaceService_CreateSpace) }

func testSpaceService_CreateSpace(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("Personal", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		st := mustSpaceTree(t, db)
		db.Clock.Advance(time.Minute)
		sp, err := db.Spaces.CreateSpace(ctx, st.Admin, koodrive.SpaceCreate{OwnerID: st.Ann.ID, Type: koodrive.SpacePersonal, CapacityGB: 10})
		if err != nil {
			t.Fatal(err)
		}
		now := t0.Add(time.Minute)
		want := koodrive.Space{
			ContainerID: sp.ContainerID, Type: koodrive.SpacePersonal, OwnerID: st.Ann.ID, OrgID: st.ID, CapacityGB: 10,
			Status: koodrive.SpaceNormal, Allocated: true, CreatedBy: st.Admin.ID, UpdatedBy: st.Admin.ID, CreatedAt: now, UpdatedAt: now,
		}
		if *sp != want {
			t.Errorf("CreateSpace = %+v, want %+v", *sp, want)
		}
		if got := mustFindSpace(t, db, st.Admin, st.Ann.ID, koodrive.SpacePersonal); *got != want {
			t.Errorf("FindSpace = %+v, want %+v", *got, want)
		}
		u := mustUsage(t, db, st.Admin)
		if got, want := u.AllocatedGB, int64(10); got != want {
			t.Errorf("AllocatedGB = %d, want %d", got, want)
		}
		if got, want := u.ByType[koodrive.SpacePersonal], (koodrive.KindTotals{Spaces: 1, AllocatedGB: 10}); got != want {
			t.Errorf("personal spaces = %+v, want %+v", got, want)
		}
		if got, want := MustFindOrg(t, db).AllocatedGB, int64(10); got != want {
			t.Errorf("organization AllocatedGB = %d, want %d", got, want)
		}
	})

	t.Run("ErrFirstAllocation", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		st := mustSpaceTree(t, db)
		for _, in := range []koodrive.SpaceCreate{
			{OwnerID: st.Ann.ID, Type: koodrive.SpacePersonal},
			{OwnerID: st.Sales.ID, Type: koodrive.SpaceDepartment},
		} {
			_, err := db.Spaces.CreateSpace(ctx, st.Admin, in)
			assertMessage(t, err, koodrive.EINVALID, "capacity", koodrive.MsgFirstAllocation)
		}
		_, err := db.Spaces.FindSpace(ctx, st.Admin, st.Ann.ID, koodrive.SpacePersonal)
		assertKind(t, err, koodrive.ENOTFOUND)
		if got := mustFindSpace(t, db, st.Admin, st.Sales.ID, koodrive.SpaceDepartment); got.Allocated {
			t.Errorf("Sales' team space Allocated = true, want false")
		}
	})

	t.Run("ErrCapacityRange", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		st := mustSpaceTree(t, db)
		for _, gb := range []int64{-1, koodrive.MaxCapacityGB + 1} {
			_, err := db.Spaces.CreateSpace(ctx, st.Admin, koodrive.SpaceCreate{OwnerID: st.Ann.ID, Type: koodrive.SpacePersonal, CapacityGB: gb})
			assertMessage(t, err, koodrive.EINVALID, "capacity", koodrive.MsgIntRange)
		}
	})

	t.Run("ErrInsufficientSpace", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		st := mustSpaceTree(t, db) // 1000 GB
		mustCreateSpace(t, db, st.Admin, st.Sales.ID, koodrive.SpaceDepartment, 600)
		for _, in := range []koodrive.SpaceCreate{
			{OwnerID: st.Ann.ID, Type: koodrive.SpacePersonal, CapacityGB: 401},
			{OwnerID: st.Eng.ID, Type: koodrive.SpaceDepartment, CapacityGB: 401},
			{OwnerID: st.Bob.ID, Type: koodrive.SpacePersonal, CapacityGB: koodrive.MaxCapacityGB},
		} {
			_, err := db.Spaces.CreateSpace(ctx, st.Admin, in)
			assertMessage(t, err, koodrive.EINSUFFICIENTSPACE, "capacity", koodrive.MsgInsufficientSpace)
			p := koodrive.AsError(err).Message.Params
			if got, want := fmt.Sprint(p["Need"], ",", p["Left"]), fmt.Sprint(in.CapacityGB, ",", 400); got != want {
				t.Errorf("Need, Left = %s, want %s", got, want)
			}
		}
		if got, want := mustUsage(t, db, st.Admin).AllocatedGB, int64(600); got != want {
			t.Errorf("AllocatedGB = %d, want %d", got, want)
		}
		// Exactly what is left is fine; then nothing is.
		mustCreateSpace(t, db, st.Admin, st.Ann.ID, koodrive.SpacePersonal, 400)
		_, err := db.Spaces.CreateSpace(ctx, st.Admin, koodrive.SpaceCreate{OwnerID: st.Bob.ID, Type: koodrive.SpacePersonal, CapacityGB: 1})
		assertKind(t, err, koodrive.EINSUFFICIENTSPACE)
		if got, want := mustUsage(t, db, st.Admin).AllocatedGB, int64(1000); got != want {
			t.Errorf("AllocatedGB = %d, want %d", got, want)
		}
	})

	t.Run("ErrExists", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		st := mustSpaceTree(t, db)
		mustCreateSpace(t, db, st.Admin, st.Ann.ID, koodrive.SpacePersonal, 10)
		team := mustCreateSpace(t, db, st.Admin, st.Sales.ID, koodrive.SpaceDepartment, 5)
		if !team.Allocated || team.CapacityGB != 5 || team.Type != koodrive.SpaceDepartment || team.OwnerID != st.Sales.ID {
			t.Errorf("team space = %+v, want 5 GB allocated to Sales", *team)
		}
		for _, in := range []koodrive.SpaceCreate{
			{OwnerID: st.Ann.ID, Type: koodrive.SpacePersonal, CapacityGB: 10},
			{OwnerID: st.Ann.ID, Type: koodrive.SpacePersonal, CapacityGB: 1},
			{OwnerID: st.Sales.ID, Type: koodrive.SpaceDepartment, CapacityGB: 5},
			{OwnerID: st.Sales.ID, Type: koodrive.SpaceDepartment, CapacityGB: 0},
		} {
			_, err := db.Spaces.CreateSpace(ctx, st.Admin, in)
			assertMessage(t, err, koodrive.ECONFLICT, "ownerId", koodrive.MsgSpaceExists)
		}
		u := mustUsage(t, db, st.Admin)
		if got, want := u.AllocatedGB, int64(15); got != want {
			t.Errorf("AllocatedGB = %d, want %d", got, want)
		}
		if got, want := u.ByType[koodrive.SpacePersonal].Spaces, 1; got != want {
			t.Errorf("personal spaces = %d, want %d", got, want)
		}
	})

	t.Run("ErrOwner", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		st := mustSpaceTree(t, db)
		for _, in := range []koodrive.SpaceCreate{
			{OwnerID: st.Admin.ID + 1_000_000, Type: koodrive.SpacePersonal, CapacityGB: 1},
			{OwnerID: st.Root.ID + 1_000_000, Type: koodrive.SpaceDepartment, CapacityGB: 1},
			{OwnerID: st.Sales.ID, Type: koodrive.SpacePersonal, CapacityGB: 1}, // a department is no user
			{OwnerID: st.Ann.ID, Type: koodrive.SpaceDepartment, CapacityGB: 1}, // nor a user a department
		} {
			_, err := db.Spaces.CreateSpace(ctx, st.Admin, in)
			assertError(t, err, koodrive.ENOTFOUND, "ownerId")
		}
		for _, typ := range []koodrive.SpaceType{koodrive.SpaceGroup, 3, -1} {
			_, err := db.Spaces.CreateSpace(ctx, st.Admin, koodrive.SpaceCreate{OwnerID: st.Ann.ID, Type: typ, CapacityGB: 1})
			assertMessage(t, err, koodrive.EINVALID, "type", koodrive.MsgSpaceType)
		}
		if got, want := mustUsage(t, db, st.Admin).AllocatedGB, int64(0); got != want {
			t.Errorf("AllocatedGB = %d, want %d", got, want)
		}
	})
}

func TestSpaceService_UpdateSpace(t *testing.T) { eachBackend(t, testSpaceService_UpdateSpace) }

func testSpaceService_UpdateSpace(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("Resize", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		st := mustSpaceTree(t, db)
		mustCreateSpace(t, db, st.Admin, st.Ann.ID, koodrive.SpacePersonal, 10)
		mustCreateSpace(t, db, st.Admin, st.Sales.ID, koodrive.SpaceDepartment, 10)
		for _, tt := range []struct {
			owner koodrive.ID
			typ   koodrive.SpaceType
			gb    int64
			want  int64 // allocated in all
		}{
			{st.Ann.ID, koodrive.SpacePersonal, 25, 35},
			{st.Ann.ID, koodrive.SpacePersonal, 4, 14},
			{st.Sales.ID, koodrive.SpaceDepartment, 100, 104},
			{st.Sales.ID, koodrive.SpaceDepartment, 1, 5},
			{st.Ann.ID, koodrive.SpacePersonal, 0, 1}, // allocated before: 0 is fine
			{st.Ann.ID, koodrive.SpacePersonal, 999, 1000},
		} {
			db.Clock.Advance(time.Second)
			sp, err := db.Spaces.UpdateSpace(ctx, st.Admin, koodrive.SpaceUpdate{OwnerID: tt.owner, Type: tt.typ, CapacityGB: &tt.gb})
			if err != nil {
				t.Fatalf("resize %d to %d: %v", tt.owner, tt.gb, err)
			}
			if sp.CapacityGB != tt.gb || !sp.Allocated || !sp.UpdatedAt.Equal(db.Clock.Now()) {
				t.Errorf("resize to %d: %+v", tt.gb, *sp)
			}
			if got := mustFindSpace(t, db, st.Admin, tt.owner, tt.typ); *got != *sp {
				t.Errorf("FindSpace = %+v, want %+v", *got, *sp)
			}
			if got := mustUsage(t, db, st.Admin).AllocatedGB; got != tt.want {
				t.Errorf("after resizing to %d: AllocatedGB = %d, want %d", tt.gb, got, tt.want)
			}
		}
	})

	t.Run("FirstAllocation", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		st := mustSpaceTree(t, db)
		// A team space never allocated gets its first capacity by a resize
		// too, under the same rule.
		_, err := db.Spaces.UpdateSpace(ctx, st.Admin, koodrive.SpaceUpdate{OwnerID: st.Eng.ID, Type: koodrive.SpaceDepartment, CapacityGB: new(int64(0))})
		assertMessage(t, err, koodrive.EINVALID, "capacity", koodrive.MsgFirstAllocation)
		sp, err := db.Spaces.UpdateSpace(ctx, st.Admin, koodrive.SpaceUpdate{OwnerID: st.Eng.ID, Type: koodrive.SpaceDepartment, CapacityGB: new(int64(3))})
		if err != nil {
			t.Fatal(err)
		}
		if !sp.Allocated || sp.CapacityGB != 3 {
			t.Errorf("team space = %+v, want 3 GB allocated", *sp)
		}
		_, err = db.Spaces.CreateSpace(ctx, st.Admin, koodrive.SpaceCreate{OwnerID: st.Eng.ID, Type: koodrive.SpaceDepartment, CapacityGB: 3})
		assertKind(t, err, koodrive.ECONFLICT)
	})

	t.Run("ErrBelowUsed", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		st := mustSpaceTree(t, db)
		sp := mustCreateSpace(t, db, st.Admin, st.Ann.ID, koodrive.SpacePersonal, 10)
		mustReportUsage(t, db, st.Admin, sp.ContainerID, 3*koodrive.GB)
		for _, gb := range []int64{2, 0} {
			_, err := db.Spaces.UpdateSpace(ctx, st.Admin, koodrive.SpaceUpdate{OwnerID: st.Ann.ID, Type: koodrive.SpacePersonal, CapacityGB: &gb})
			assertMessage(t, err, koodrive.EINVALID, "capacity", koodrive.MsgBelowUsed)
			if got, want := fmt.Sprint(koodrive.AsError(err).Message.Params["UsedGB"]), "3"; got != want {
				t.Errorf("UsedGB = %s, want %s", got, want)
			}
		}
		if got, want := mustUsage(t, db, st.Admin).AllocatedGB, int64(10); got != want {
			t.Errorf("AllocatedGB = %d, want %d", got, want)
		}
		if got := mustFindSpace(t, db, st.Admin, st.Ann.ID, koodrive.SpacePersonal).CapacityGB; got != 10 {
			t.Errorf("CapacityGB = %d, want 10", got)
		}
		// Exactly what it holds is fine.
		if sp := mustUpdateSpace(t, db, st.Admin, koodrive.SpaceUpdate{OwnerID: st.Ann.ID, Type: koodrive.SpacePersonal, CapacityGB: new(int64(3))}); sp.CapacityGB != 3 {
			t.Errorf("CapacityGB = %d, want 3", sp.CapacityGB)
		}
		// A byte more needs another whole GB.
		mustReportUsage(t, db, st.Admin, sp.ContainerID, 3*koodrive.GB+1)
		_, err := db.Spaces.UpdateSpace(ctx, st.Admin, koodrive.SpaceUpdate{OwnerID: st.Ann.ID, Type: koodrive.SpacePersonal, CapacityGB: new(int64(3))})
		assertMessage(t, err, koodrive.EINVALID, "capacity", koodrive.MsgBelowUsed)
		if got, want := fmt.Sprint(koodrive.AsError(err).Message.Params["UsedGB"]), "4"; got != want {
			t.Errorf("UsedGB = %s, want %s", got, want)
		}
		if got, want := mustUsage(t, db, st.Admin).AllocatedGB, int64(3); got != want {
			t.Errorf("AllocatedGB = %d, want %d", got, want)
		}
	})

	t.Run("ErrInsufficientSpace", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		st := mustSpaceTree(t, db)
		mustCreateSpace(t, db, st.Admin, st.Ann.ID, koodrive.SpacePersonal, 100)
		mustCreateSpace(t, db, st.Admin, st.Sales.ID, koodrive.SpaceDepartment, 800)
		// 100 GB left: Ann may grow to 200, not 201.
		_, err := db.Spaces.UpdateSpace(ctx, st.Admin, koodrive.SpaceUpdate{OwnerID: st.Ann.ID, Type: koodrive.SpacePersonal, CapacityGB: new(int64(201))})
		assertMessage(t, err, koodrive.EINSUFFICIENTSPACE, "capacity", koodrive.MsgInsufficientSpace)
		p := koodrive.AsError(err).Message.Params
		if got, want := fmt.Sprint(p["Need"], ",", p["Left"]), "101,100"; got != want {
			t.Errorf("Need, Left = %s, want %s", got, want)
		}
		_, err = db.Spaces.UpdateSpace(ctx, st.Admin, koodrive.SpaceUpdate{OwnerID: st.Eng.ID, Type: koodrive.SpaceDepartment, CapacityGB: new(int64(101))})
		assertKind(t, err, koodrive.EINSUFFICIENTSPACE)
		if got, want := mustUsage(t, db, st.Admin).AllocatedGB, int64(900); got != want {
			t.Errorf("AllocatedGB = %d, want %d", got, want)
		}
		mustUpdateSpace(t, db, st.Admin, koodrive.SpaceUpdate{OwnerID: st.Ann.ID, Type: koodrive.SpacePersonal, CapacityGB: new(int64(200))})
		if got, want := mustUsage(t, db, st.Admin).AllocatedGB, int64(1000); got != want {
			t.Errorf("AllocatedGB = %d, want %d", got, want)
		}
	})

	t.Run("Status", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		st := mustSpaceTree(t, db)
		mustCreateSpace(t, db, st.Admin, st.Ann.ID, koodrive.SpacePersonal, 10)
		mustCreateSpace(t, db, st.Admin, st.Sales.ID, koodrive.SpaceDepartment, 10)
		for _, k := range []struct {
			owner koodrive.ID
			typ   koodrive.SpaceType
		}{{st.Ann.ID, koodrive.SpacePersonal}, {st.Sales.ID, koodrive.SpaceDepartment}} {
			for _, s := range []koodrive.SpaceStatus{koodrive.SpaceDisabled, koodrive.SpaceDisabled, koodrive.SpaceNormal} {
				sp := mustUpdateSpace(t, db, st.Admin, koodrive.SpaceUpdate{OwnerID: k.owner, Type: k.typ, Status: &s})
				if sp.Status != s || sp.CapacityGB != 10 {
					t.Errorf("Status, CapacityGB = %d, %d, want %d, 10", sp.Status, sp.CapacityGB, s)
				}
				if got := mustFindSpace(t, db, st.Admin, k.owner, k.typ).Status; got != s {
					t.Errorf("stored Status = %d, want %d", got, s)
				}
			}
			for _, s := range []koodrive.SpaceStatus{2, -1} {
				_, err := db.Spaces.UpdateSpace(ctx, st.Admin, koodrive.SpaceUpdate{OwnerID: k.owner, Type: k.typ, Status: &s, CapacityGB: new(int64(20))})
				assertMessage(t, err, koodrive.EINVALID, "status", koodrive.MsgStatusInvalid)
			}
			if got := mustFindSpace(t, db, st.Admin, k.owner, k.typ); got.Status != koodrive.SpaceNormal || got.CapacityGB != 10 {
				t.Errorf("after refused changes: %+v", *got)
			}
		}
		// Both at once.
		sp := mustUpdateSpace(t, db, st.Admin, koodrive.SpaceUpdate{
			OwnerID: st.Ann.ID, Type: koodrive.SpacePersonal, Status: new(koodrive.SpaceDisabled), CapacityGB: new(int64(12)),
		})
		if sp.Status != koodrive.SpaceDisabled || sp.CapacityGB != 12 {
			t.Errorf("Status, CapacityGB = %d, %d, want 1, 12", sp.Status, sp.CapacityGB)
		}
		if got, want := mustUsage(t, db, st.Admin).AllocatedGB, int64(22); got != want {
			t.Errorf("AllocatedGB = %d, want %d", got, want)
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		st := mustSpaceTree(t, db)
		for _, in := range []koodrive.SpaceUpdate{
			{OwnerID: st.Ann.ID, Type: koodrive.SpacePersonal, CapacityGB: new(int64(5))}, // no space yet
			{OwnerID: st.Ann.ID + 1_000_000, Type: koodrive.SpacePersonal, CapacityGB: new(int64(5))},
			{OwnerID: st.Root.ID + 1_000_000, Type: koodrive.SpaceDepartment, CapacityGB: new(int64(5))},
		} {
			_, err := db.Spaces.UpdateSpace(ctx, st.Admin, in)
			assertError(t, err, koodrive.ENOTFOUND, "ownerId")
		}
		if got, want := mustUsage(t, db, st.Admin).AllocatedGB, int64(0); got != want {
			t.Errorf("AllocatedGB = %d, want %d", got, want)
		}
	})
}

func TestSpaceService_DeleteSpace(t *testing.T) { eachBackend(t, testSpaceService_DeleteSpace) }

func testSpaceService_DeleteSpace(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("Personal", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		st := mustSpaceTree(t, db)
		sp := mustCreateSpace(t, db, st.Admin, st.Ann.ID, koodrive.SpacePersonal, 10)
		mustCreateSpace(t, db, st.Admin, st.Bob.ID, koodrive.SpacePersonal, 7)
		if err := db.Spaces.DeleteSpace(ctx, st.Admin, st.Ann.ID, koodrive.SpacePersonal); err != nil {
			t.Fatal(err)
		}
		_, err := db.Spaces.FindSpace(ctx, st.Admin, st.Ann.ID, koodrive.SpacePersonal)
		assertError(t, err, koodrive.ENOTFOUND, "ownerId")
		err = db.Spaces.ReportUsage(ctx, st.Admin, sp.ContainerID, 0)
		assertKind(t, err, koodrive.ENOTFOUND)
		u := mustUsage(t, db, st.Admin)
		if got, want := u.AllocatedGB, int64(7); got != want {
			t.Errorf("AllocatedGB = %d, want %d", got, want)
		}
		if got, want := u.ByType[koodrive.SpacePersonal], (koodrive.KindTotals{Spaces: 1, AllocatedGB: 7}); got != want {
			t.Errorf("personal spaces = %+v, want %+v", got, want)
		}
		err = db.Spaces.DeleteSpace(ctx, st.Admin, st.Ann.ID, koodrive.SpacePersonal)
		assertError(t, err, koodrive.ENOTFOUND, "ownerId")
		// A new one is a new container.
		again := mustCreateSpace(t, db, st.Admin, st.Ann.ID, koodrive.SpacePersonal, 1)
		if again.ContainerID == sp.ContainerID {
			t.Errorf("ContainerID %q reused", again.ContainerID)
		}
	})

	t.Run("Team", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		st := mustSpaceTree(t, db)
		sp := mustCreateSpace(t, db, st.Admin, st.Sales.ID, koodrive.SpaceDepartment, 10)
		mustUpdateSpace(t, db, st.Admin, koodrive.SpaceUpdate{OwnerID: st.Sales.ID, Type: koodrive.SpaceDepartment, Status: new(koodrive.SpaceDisabled)})
		if err := db.Spaces.DeleteSpace(ctx, st.Admin, st.Sales.ID, koodrive.SpaceDepartment); err != nil {
			t.Fatal(err)
		}
		got := mustFindSpace(t, db, st.Admin, st.Sales.ID, koodrive.SpaceDepartment)
		if got.ContainerID != sp.ContainerID || got.CapacityGB != 0 || got.Allocated || got.Status != koodrive.SpaceNormal {
			t.Errorf("team space after release = %+v, want the same container, 0 GB, never allocated, normal", *got)
		}
		if got, want := mustUsage(t, db, st.Admin).AllocatedGB, int64(0); got != want {
			t.Errorf("AllocatedGB = %d, want %d", got, want)
		}
		// So the next allocation is a first one again.
		_, err := db.Spaces.CreateSpace(ctx, st.Admin, koodrive.SpaceCreate{OwnerID: st.Sales.ID, Type: koodrive.SpaceDepartment})
		assertMessage(t, err, koodrive.EINVALID, "capacity", koodrive.MsgFirstAllocation)
		_, err = db.Spaces.UpdateSpace(ctx, st.Admin, koodrive.SpaceUpdate{OwnerID: st.Sales.ID, Type: koodrive.SpaceDepartment, CapacityGB: new(int64(0))})
		assertMessage(t, err, koodrive.EINVALID, "capacity", koodrive.MsgFirstAllocation)
		mustCreateSpace(t, db, st.Admin, st.Sales.ID, koodrive.SpaceDepartment, 2)
	})

	t.Run("ErrSpaceHoldsData", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		st := mustSpaceTree(t, db)
		personal := mustCreateSpace(t, db, st.Admin, st.Ann.ID, koodrive.SpacePersonal, 10)
		team := mustCreateSpace(t, db, st.Admin, st.Sales.ID, koodrive.SpaceDepartment, 10)
		for _, sp := range []*koodrive.Space{personal, team} {
			mustReportUsage(t, db, st.Admin, sp.ContainerID, 1)
			err := db.Spaces.DeleteSpace(ctx, st.Admin, sp.OwnerID, sp.Type)
			assertMessage(t, err, koodrive.EINVALID, "ownerId", koodrive.MsgSpaceHoldsData)
			if got, want := fmt.Sprint(koodrive.AsError(err).Message.Params["UsedGB"]), "1"; got != want {
				t.Errorf("UsedGB = %s, want %s", got, want)
			}
			if got := mustFindSpace(t, db, st.Admin, sp.OwnerID, sp.Type); got.CapacityGB != 10 || !got.Allocated || got.UsedBytes != 1 {
				t.Errorf("space after refused release = %+v", *got)
			}
		}
		if got, want := mustUsage(t, db, st.Admin).AllocatedGB, int64(20); got != want {
			t.Errorf("AllocatedGB = %d, want %d", got, want)
		}
		for _, sp := range []*koodrive.Space{personal, team} {
			mustReportUsage(t, db, st.Admin, sp.ContainerID, 0)
			if err := db.Spaces.DeleteSpace(ctx, st.Admin, sp.OwnerID, sp.Type); err != nil {
				t.Fatalf("release an emptied space: %v", err)
			}
		}
		if got, want := mustUsage(t, db, st.Admin).AllocatedGB, int64(0); got != want {
			t.Errorf("AllocatedGB = %d, want %d", got, want)
		}
	})
}

func TestSpaceService_FindSpace(t *testing.T) { eachBackend(t, testSpaceService_FindSpace) }

func testSpaceService_FindSpace(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("ErrNotFound", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		st := mustSpaceTree(t, db)
		for _, k := range []struct {
			owner koodrive.ID
			typ   koodrive.SpaceType
		}{
			{st.Ann.ID, koodrive.SpacePersonal}, // a user without one
			{st.Ann.ID + 1_000_000, koodrive.SpacePersonal},
			{st.Root.ID + 1_000_000, koodrive.SpaceDepartment},
			{st.Sales.ID, koodrive.SpacePersonal},
		} {
			sp, err := db.Spaces.FindSpace(ctx, st.Admin, k.owner, k.typ)
			assertError(t, err, koodrive.ENOTFOUND, "ownerId")
			if sp != nil {
				t.Errorf("space = %+v, want nil", *sp)
			}
		}
		_, err := db.Spaces.FindSpace(ctx, st.Admin, st.Ann.ID, koodrive.SpaceGroup)
		assertError(t, err, koodrive.EINVALID, "type")
	})

	t.Run("CommonUser", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		st := mustSpaceTree(t, db)
		ann := MustActor(t, db, "ann")
		// Its own space: not found until there is one, then readable.
		_, err := db.Spaces.FindSpace(ctx, ann, ann.ID, koodrive.SpacePersonal)
		assertKind(t, err, koodrive.ENOTFOUND)
		own := mustCreateSpace(t, db, st.Admin, st.Ann.ID, koodrive.SpacePersonal, 10)
		if got := mustFindSpace(t, db, ann, ann.ID, koodrive.SpacePersonal); *got != *own {
			t.Errorf("own space = %+v, want %+v", *got, *own)
		}
		// Nobody else's, whether it exists or not, nor any team space.
		mustCreateSpace(t, db, st.Admin, st.Bob.ID, koodrive.SpacePersonal, 10)
		for _, k := range []struct {
			owner koodrive.ID
			typ   koodrive.SpaceType
		}{{st.Bob.ID, koodrive.SpacePersonal}, {st.Cy.ID, koodrive.SpacePersonal}, {st.Sales.ID, koodrive.SpaceDepartment}} {
			_, err := db.Spaces.FindSpace(ctx, ann, k.owner, k.typ)
			assertKind(t, err, koodrive.EFORBIDDEN)
		}
		// It manages none, not even its own.
		_, err = db.Spaces.UpdateSpace(ctx, ann, koodrive.SpaceUpdate{OwnerID: ann.ID, Type: koodrive.SpacePersonal, CapacityGB: new(int64(20))})
		assertKind(t, err, koodrive.EFORBIDDEN)
		err = db.Spaces.DeleteSpace(ctx, ann, ann.ID, koodrive.SpacePersonal)
		assertKind(t, err, koodrive.EFORBIDDEN)
		err = db.Spaces.ReportUsage(ctx, ann, own.ContainerID, 1)
		assertKind(t, err, koodrive.EFORBIDDEN)
		_, err = db.Spaces.CreateSpace(ctx, ann, koodrive.SpaceCreate{OwnerID: st.Dee.ID, Type: koodrive.SpacePersonal, CapacityGB: 1})
		assertKind(t, err, koodrive.EFORBIDDEN)
		if got := mustFindSpace(t, db, st.Admin, st.Ann.ID, koodrive.SpacePersonal); *got != *own {
			t.Errorf("own space after refused changes = %+v, want %+v", *got, *own)
		}
	})

	t.Run("DeptAdmin", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		st := mustSpaceTree(t, db)
		deptAdmin := MustUserActor(t, db, st.Admin, "sales-admin", st.Sales.ID, koodrive.RoleDeptAdmin)
		checkSpaceRights(t, db, st, deptAdmin, true, true, false)
	})

	t.Run("MemberManager", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		st := mustSpaceTree(t, db)
		manager := MustUserActor(t, db, st.Admin, "manager", st.Sales.ID, koodrive.RoleMemberManager)
		checkSpaceRights(t, db, st, manager, true, false, false)
	})

	t.Run("DriveAdmin", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		st := mustSpaceTree(t, db)
		driveAdmin := MustUserActor(t, db, st.Admin, "drive-admin", st.EMEA.ID, koodrive.RoleDriveAdmin)
		checkSpaceRights(t, db, st, driveAdmin, true, true, true)
	})
}

// checkSpaceRights checks what a reads and manages: spaces in Sales' subtree
// (inside) when read/manage, spaces elsewhere too when everywhere.
func checkSpaceRights(tb testing.TB, db *DB, st *spaceTree, a koodrive.Actor, read, manage, everywhere bool) {
	tb.Helper()
	ctx := context.Background()
	type target struct {
		name   string
		owner  koodrive.ID
		typ    koodrive.SpaceType
		inside bool
	}
	targets := []target{
		{"Ann's", st.Ann.ID, koodrive.SpacePersonal, true},
		{"Bob's", st.Bob.ID, koodrive.SpacePersonal, true},
		{"Sales'", st.Sales.ID, koodrive.SpaceDepartment, true},
		{"EMEA's", st.EMEA.ID, koodrive.SpaceDepartment, true},
		{"Cy's", st.Cy.ID, koodrive.SpacePersonal, false},
		{"Dee's", st.Dee.ID, koodrive.SpacePersonal, false},
		{"Eng's", st.Eng.ID, koodrive.SpaceDepartment, false},
		{"the root's", st.Root.ID, koodrive.SpaceDepartment, false},
	}
	for _, tg := range targets {
		mustCreateSpace(tb, db, st.Admin, tg.owner, tg.typ, 10)
	}
	want := func(ok bool, err error, what string, tg target) {
		tb.Helper()
		if ok && err != nil {
			tb.Errorf("%s %s space: %v, want success", what, tg.name, err)
		}
		if !ok && koodrive.ErrorKind(err) != koodrive.EFORBIDDEN {
			tb.Errorf("%s %s space: err = %v, want EFORBIDDEN", what, tg.name, err)
		}
	}
	for _, tg := range targets {
		reach := tg.inside || everywhere
		sp, err := db.Spaces.FindSpace(ctx, a, tg.owner, tg.typ)
		want(read && reach, err, "read", tg)

		_, err = db.Spaces.UpdateSpace(ctx, a, koodrive.SpaceUpdate{OwnerID: tg.owner, Type: tg.typ, CapacityGB: new(int64(11))})
		want(manage && reach, err, "resize", tg)
		_, err = db.Spaces.UpdateSpace(ctx, a, koodrive.SpaceUpdate{OwnerID: tg.owner, Type: tg.typ, Status: new(koodrive.SpaceDisabled)})
		want(manage && reach, err, "disable", tg)
		if sp == nil {
			sp = mustFindSpace(tb, db, st.Admin, tg.owner, tg.typ)
		}
		err = db.Spaces.ReportUsage(ctx, a, sp.ContainerID, 0)
		want(manage && reach, err, "report usage of", tg)
		err = db.Spaces.DeleteSpace(ctx, a, tg.owner, tg.typ)
		want(manage && reach, err, "release", tg)
		_, err = db.Spaces.CreateSpace(ctx, a, koodrive.SpaceCreate{OwnerID: tg.owner, Type: tg.typ, CapacityGB: 5})
		want(manage && reach, err, "allocate", tg)

		got := mustFindSpace(tb, db, st.Admin, tg.owner, tg.typ)
		if manage && reach {
			if got.CapacityGB != 5 || got.Status != koodrive.SpaceNormal || got.UpdatedBy != a.ID {
				tb.Errorf("%s space after changes = %+v, want 5 GB, normal, updated by %d", tg.name, *got, a.ID)
			}
		} else if got.CapacityGB != 10 || got.Status != koodrive.SpaceNormal || got.UpdatedBy != st.Admin.ID {
			tb.Errorf("%s space after refused changes = %+v, want 10 GB, normal, as the admin left it", tg.name, *got)
		}
	}
}

func TestSpaceService_ReportUsage(t *testing.T) { eachBackend(t, testSpaceService_ReportUsage) }

func testSpaceService_ReportUsage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		st := mustSpaceTree(t, db)
		ann := mustCreateSpace(t, db, st.Admin, st.Ann.ID, koodrive.SpacePersonal, 10)
		bob := mustCreateSpace(t, db, st.Admin, st.Bob.ID, koodrive.SpacePersonal, 10)
		sales := mustCreateSpace(t, db, st.Admin, st.Sales.ID, koodrive.SpaceDepartment, 10)
		eng := mustFindSpace(t, db, st.Admin, st.Eng.ID, koodrive.SpaceDepartment) // never allocated
		for _, r := range []struct {
			sp   *koodrive.Space
			used int64
		}{{ann, 100}, {bob, 5 * koodrive.GB}, {sales, 7}, {eng, 1}, {ann, 1 << 40}} {
			mustReportUsage(t, db, st.Admin, r.sp.ContainerID, r.used)
			if got := mustFindSpace(t, db, st.Admin, r.sp.OwnerID, r.sp.Type).UsedBytes; got != r.used {
				t.Errorf("UsedBytes = %d, want %d", got, r.used)
			}
		}
		u := mustUsage(t, db, st.Admin)
		if got, want := u.ByType[koodrive.SpacePersonal].UsedBytes, int64(1<<40+5*koodrive.GB); got != want {
			t.Errorf("personal UsedBytes = %d, want %d", got, want)
		}
		if got, want := u.ByType[koodrive.SpaceDepartment].UsedBytes, int64(8); got != want {
			t.Errorf("team UsedBytes = %d, want %d", got, want)
		}
		if got, want := u.UsedBytes, int64(1<<40+5*koodrive.GB+8); got != want {
			t.Errorf("UsedBytes = %d, want %d", got, want)
		}
		// Usage says nothing of capacity.
		if got, want := u.AllocatedGB, int64(30); got != want {
			t.Errorf("AllocatedGB = %d, want %d", got, want)
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		for _, id := range []string{"", "nope", strings.Repeat("0", 40)} {
			err := db.Spaces.ReportUsage(ctx, o.Admin, id, 1)
			assertMessage(t, err, koodrive.ENOTFOUND, "containerId", koodrive.MsgSpaceNotFound)
		}
	})

	t.Run("ErrNegative", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		st := mustSpaceTree(t, db)
		sp := mustCreateSpace(t, db, st.Admin, st.Ann.ID, koodrive.SpacePersonal, 10)
		mustReportUsage(t, db, st.Admin, sp.ContainerID, 5)
		err := db.Spaces.ReportUsage(ctx, st.Admin, sp.ContainerID, -1)
		assertMessage(t, err, koodrive.EINVALID, "spaceUsed", koodrive.MsgIntRange)
		if got := mustFindSpace(t, db, st.Admin, st.Ann.ID, koodrive.SpacePersonal).UsedBytes; got != 5 {
			t.Errorf("UsedBytes = %d, want 5 (unchanged)", got)
		}
	})
}

func TestSpaceService_FindUserSpaces(t *testing.T) { eachBackend(t, testSpaceService_FindUserSpaces) }

func testSpaceService_FindUserSpaces(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	// spaces gives Ann 10 GB (disabled), Bob 20 GB and Cy 30 GB; Dee and
	// the admin have none.
	spaces := func(t *testing.T, db *DB) *spaceTree {
		t.Helper()
		st := mustSpaceTree(t, db)
		mustCreateSpace(t, db, st.Admin, st.Ann.ID, koodrive.SpacePersonal, 10)
		mustUpdateSpace(t, db, st.Admin, koodrive.SpaceUpdate{OwnerID: st.Ann.ID, Type: koodrive.SpacePersonal, Status: new(koodrive.SpaceDisabled)})
		mustCreateSpace(t, db, st.Admin, st.Bob.ID, koodrive.SpacePersonal, 20)
		mustCreateSpace(t, db, st.Admin, st.Cy.ID, koodrive.SpacePersonal, 30)
		return st
	}

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		st := spaces(t, db)
		list, total, err := db.Spaces.FindUserSpaces(ctx, st.Admin, koodrive.SpaceFilter{UserFilter: koodrive.UserFilter{Limit: 100}})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := userSpaces(list), "admin:-,ann:10/1,bob:20/0,cy:30/0,dee:-"; got != want {
			t.Errorf("FindUserSpaces = %s, want %s", got, want)
		}
		if got, want := total, 5; got != want {
			t.Errorf("total = %d, want %d", got, want)
		}
		for _, us := range list {
			if got := mustUser(t, db, st.Admin, us.User.ID); *got != *us.User {
				t.Errorf("listed user = %+v, want %+v", *us.User, *got)
			}
			if us.Space == nil {
				continue
			}
			if got := mustFindSpace(t, db, st.Admin, us.User.ID, koodrive.SpacePersonal); *got != *us.Space {
				t.Errorf("listed space = %+v, want %+v", *us.Space, *got)
			}
		}
	})

	t.Run("Filters", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		st := spaces(t, db)
		mustUpdateUser(t, db, st.Admin, st.Bob.ID, koodrive.UserUpdate{Mobile: new("+86 138 0013 8000")})
		for _, tt := range []struct {
			name string
			f    koodrive.SpaceFilter
			want string
		}{
			{"Normal", koodrive.SpaceFilter{Status: new(koodrive.SpaceNormal)}, "bob:20/0,cy:30/0"},
			{"Disabled", koodrive.SpaceFilter{Status: new(koodrive.SpaceDisabled)}, "ann:10/1"},
			{"Sales", koodrive.SpaceFilter{UserFilter: koodrive.UserFilter{DeptID: st.Sales.ID}}, "ann:10/1,bob:20/0"},
			{"SalesDirect", koodrive.SpaceFilter{UserFilter: koodrive.UserFilter{DeptID: st.Sales.ID, Direct: true}}, "ann:10/1"},
			{"SalesNormal", koodrive.SpaceFilter{UserFilter: koodrive.UserFilter{DeptID: st.Sales.ID}, Status: new(koodrive.SpaceNormal)}, "bob:20/0"},
			{"RootDirect", koodrive.SpaceFilter{UserFilter: koodrive.UserFilter{DeptID: st.Root.ID, Direct: true}}, "admin:-,dee:-"},
			{"KeyWordName", koodrive.SpaceFilter{UserFilter: koodrive.UserFilter{KeyWord: "C"}}, "cy:30/0"},
			{"KeyWordMobile", koodrive.SpaceFilter{UserFilter: koodrive.UserFilter{KeyWord: "138001"}}, "bob:20/0"},
			{"KeyWordStatus", koodrive.SpaceFilter{UserFilter: koodrive.UserFilter{KeyWord: "e"}, Status: new(koodrive.SpaceNormal)}, ""},
		} {
			tt.f.Limit = 100
			list, total, err := db.Spaces.FindUserSpaces(ctx, st.Admin, tt.f)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			if got := userSpaces(list); got != tt.want {
				t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
			}
			if got, want := total, len(list); got != want {
				t.Errorf("%s: total %d, want %d", tt.name, got, want)
			}
		}
	})

	t.Run("Pages", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		st := spaces(t, db)
		var all []string
		for offset := 0; offset < 6; offset += 2 {
			list, total, err := db.Spaces.FindUserSpaces(ctx, st.Admin, koodrive.SpaceFilter{UserFilter: koodrive.UserFilter{Offset: offset, Limit: 2}})
			if err != nil {
				t.Fatal(err)
			}
			if total != 5 {
				t.Errorf("offset %d: total %d, want 5", offset, total)
			}
			all = append(all, userSpaces(list))
		}
		if got, want := strings.Join(all, "|"), "admin:-,ann:10/1|bob:20/0,cy:30/0|dee:-"; got != want {
			t.Errorf("pages = %s, want %s", got, want)
		}
		list, total, err := db.Spaces.FindUserSpaces(ctx, st.Admin, koodrive.SpaceFilter{UserFilter: koodrive.UserFilter{Cursor: st.Bob.ID, Limit: 2}})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := userSpaces(list), "cy:30/0,dee:-"; got != want {
			t.Errorf("after Bob = %s, want %s", got, want)
		}
		if total != 5 {
			t.Errorf("after Bob: total %d, want 5", total)
		}
		list, total, err = db.Spaces.FindUserSpaces(ctx, st.Admin, koodrive.SpaceFilter{UserFilter: koodrive.UserFilter{Offset: 1, Limit: 1}, Status: new(koodrive.SpaceNormal)})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := userSpaces(list), "cy:30/0"; got != want || total != 2 {
			t.Errorf("second normal space = %s (total %d), want %s (total 2)", got, total, want)
		}
	})

	t.Run("Scope", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		st := spaces(t, db)
		deptAdmin := MustUserActor(t, db, st.Admin, "sales-admin", st.Sales.ID, koodrive.RoleDeptAdmin)
		manager := MustUserActor(t, db, st.Admin, "manager", st.EMEA.ID, koodrive.RoleMemberManager)
		driveAdmin := MustUserActor(t, db, st.Admin, "drive-admin", st.EMEA.ID, koodrive.RoleDriveAdmin)
		for _, tt := range []struct {
			a    koodrive.Actor
			want string
		}{
			{deptAdmin, "ann:10/1,bob:20/0,sales-admin:-,manager:-,drive-admin:-"},
			{manager, "bob:20/0,manager:-,drive-admin:-"},
			{driveAdmin, "admin:-,ann:10/1,bob:20/0,cy:30/0,dee:-,sales-admin:-,manager:-,drive-admin:-"},
		} {
			list, _, err := db.Spaces.FindUserSpaces(ctx, tt.a, koodrive.SpaceFilter{UserFilter: koodrive.UserFilter{Limit: 100}})
			if err != nil {
				t.Fatalf("%s: %v", tt.a.UserID, err)
			}
			if got := userSpaces(list); got != tt.want {
				t.Errorf("%s: %s, want %s", tt.a.UserID, got, tt.want)
			}
		}
		for _, dept := range []koodrive.ID{st.Eng.ID, st.Root.ID} {
			_, _, err := db.Spaces.FindUserSpaces(ctx, deptAdmin, koodrive.SpaceFilter{UserFilter: koodrive.UserFilter{DeptID: dept, Limit: 10}})
			assertKind(t, err, koodrive.EFORBIDDEN)
		}
		common := MustActor(t, db, "ann")
		for _, dept := range []koodrive.ID{0, st.Sales.ID} {
			_, _, err := db.Spaces.FindUserSpaces(ctx, common, koodrive.SpaceFilter{UserFilter: koodrive.UserFilter{DeptID: dept, Limit: 10}})
			assertKind(t, err, koodrive.EFORBIDDEN)
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		for _, tt := range []struct {
			field string
			f     koodrive.SpaceFilter
		}{
			{"spaceStatus", koodrive.SpaceFilter{UserFilter: koodrive.UserFilter{Limit: 10}, Status: new(koodrive.SpaceStatus(2))}},
			{"limit", koodrive.SpaceFilter{UserFilter: koodrive.UserFilter{Limit: 0}}},
			{"limit", koodrive.SpaceFilter{UserFilter: koodrive.UserFilter{Limit: koodrive.MaxPageSize + 1}}},
			{"offset", koodrive.SpaceFilter{UserFilter: koodrive.UserFilter{Offset: -1, Limit: 10}}},
		} {
			_, _, err := db.Spaces.FindUserSpaces(ctx, o.Admin, tt.f)
			assertError(t, err, koodrive.EINVALID, tt.field)
		}
		_, _, err := db.Spaces.FindUserSpaces(ctx, o.Admin, koodrive.SpaceFilter{UserFilter: koodrive.UserFilter{DeptID: o.Root.ID + 1_000_000, Limit: 10}})
		assertKind(t, err, koodrive.ENOTFOUND)
	})
}

func TestSpaceService_FindDepartmentSpaces(t *testing.T) {
	eachBackend(t, testSpaceService_FindDepartmentSpaces)
}

func testSpaceService_FindDepartmentSpaces(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		st := mustSpaceTree(t, db)
		MustCreateUser(t, db, st.Admin, koodrive.UserCreate{UserID: "eve", DeptID: st.Sales.ID, Role: new(koodrive.RoleUser)})
		mustCreateSpace(t, db, st.Admin, st.EMEA.ID, koodrive.SpaceDepartment, 40)
		mustCreateSpace(t, db, st.Admin, st.Ann.ID, koodrive.SpacePersonal, 5) // not listed here
		list, total, err := db.Spaces.FindDepartmentSpaces(ctx, st.Admin, "", 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		// Path order: a department, then its subtree, then its next sibling.
		if got, want := deptSpaces(list), "Acme:0/2,Sales:0/2,EMEA:40/1,Eng:0/1"; got != want {
			t.Errorf("FindDepartmentSpaces = %s, want %s", got, want)
		}
		if got, want := total, 4; got != want {
			t.Errorf("total = %d, want %d", got, want)
		}
		for _, ds := range list {
			if got := mustDept(t, db, st.Admin, ds.Department.ID); *got != *ds.Department {
				t.Errorf("listed department = %+v, want %+v", *ds.Department, *got)
			}
			if got := mustFindSpace(t, db, st.Admin, ds.Department.ID, koodrive.SpaceDepartment); *got != *ds.Space {
				t.Errorf("listed space = %+v, want %+v", *ds.Space, *got)
			}
		}
	})

	t.Run("KeyWordAndPages", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		st := mustSpaceTree(t, db)
		MustCreateDept(t, db, st.Admin, st.Eng.ID, "Sales Engineering")
		for _, tt := range []struct {
			keyWord       string
			offset, limit int
			want          string
			total         int
		}{
			{"sales", 0, 100, "Sales:0/1,Sales Engineering:0/0", 2},
			{"E", 0, 100, "Acme:0/2,Sales:0/1,EMEA:0/1,Eng:0/1,Sales Engineering:0/0", 5},
			{"", 1, 2, "Sales:0/1,EMEA:0/1", 5},
			{"", 4, 2, "Sales Engineering:0/0", 5},
			{"", 5, 2, "", 5},
			{"nothing", 0, 10, "", 0},
		} {
			list, total, err := db.Spaces.FindDepartmentSpaces(ctx, st.Admin, tt.keyWord, tt.offset, tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			if got := deptSpaces(list); got != tt.want {
				t.Errorf("%q %d/%d: %s, want %s", tt.keyWord, tt.offset, tt.limit, got, tt.want)
			}
			if total != tt.total {
				t.Errorf("%q %d/%d: total %d, want %d", tt.keyWord, tt.offset, tt.limit, total, tt.total)
			}
		}
		for _, p := range [][2]int{{-1, 10}, {0, 0}, {0, koodrive.MaxPageSize + 1}} {
			_, _, err := db.Spaces.FindDepartmentSpaces(ctx, st.Admin, "", p[0], p[1])
			assertKind(t, err, koodrive.EINVALID)
		}
	})

	t.Run("Scope", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		st := mustSpaceTree(t, db)
		deptAdmin := MustUserActor(t, db, st.Admin, "sales-admin", st.Sales.ID, koodrive.RoleDeptAdmin)
		manager := MustUserActor(t, db, st.Admin, "manager", st.EMEA.ID, koodrive.RoleMemberManager)
		driveAdmin := MustUserActor(t, db, st.Admin, "drive-admin", st.Eng.ID, koodrive.RoleDriveAdmin)
		for _, tt := range []struct {
			a           koodrive.Actor
			keyWord     string
			want        string
			total       int
			description string
		}{
			{deptAdmin, "", "Sales:0/2,EMEA:0/2", 2, "its subtree"},
			{deptAdmin, "eng", "", 0, "nothing outside"},
			{manager, "", "EMEA:0/2", 1, "its subtree"},
			{driveAdmin, "", "Acme:0/2,Sales:0/2,EMEA:0/2,Eng:0/2", 4, "everything"},
		} {
			list, total, err := db.Spaces.FindDepartmentSpaces(ctx, tt.a, tt.keyWord, 0, 100)
			if err != nil {
				t.Fatalf("%s: %v", tt.a.UserID, err)
			}
			if got := deptSpaces(list); got != tt.want || total != tt.total {
				t.Errorf("%s, %s: %s (total %d), want %s (total %d)", tt.a.UserID, tt.description, got, total, tt.want, tt.total)
			}
		}
		common := MustActor(t, db, "ann")
		_, _, err := db.Spaces.FindDepartmentSpaces(ctx, common, "", 0, 10)
		assertKind(t, err, koodrive.EFORBIDDEN)
	})
}

func TestSpaceService_Usage(t *testing.T) { eachBackend(t, testSpaceService_Usage) }

func testSpaceService_Usage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		st := mustSpaceTree(t, db)
		mustCreateSpace(t, db, st.Admin, st.Sales.ID, koodrive.SpaceDepartment, 5)
		mustCreateSpace(t, db, st.Admin, st.Eng.ID, koodrive.SpaceDepartment, 7)
		ann := mustCreateSpace(t, db, st.Admin, st.Ann.ID, koodrive.SpacePersonal, 100)
		mustCreateSpace(t, db, st.Admin, st.Bob.ID, koodrive.SpacePersonal, 3)
		mustReportUsage(t, db, st.Admin, ann.ContainerID, 42)
		want := koodrive.Usage{
			CapacityGB: 1000, AllocatedGB: 115, UsedBytes: 42, UserCount: 5, MaxUsers: 1000,
			ByType: [3]koodrive.KindTotals{
				koodrive.SpaceDepartment: {Spaces: 4, AllocatedGB: 12},
				koodrive.SpacePersonal:   {Spaces: 2, AllocatedGB: 103, UsedBytes: 42},
			},
		}
		if got := *mustUsage(t, db, st.Admin); got != want {
			t.Errorf("Usage = %+v, want %+v", got, want)
		}
		// Every administrator reads it; a common user does not.
		for _, r := range []koodrive.Role{koodrive.RoleDeptAdmin, koodrive.RoleMemberManager, koodrive.RoleDriveAdmin} {
			a := MustUserActor(t, db, st.Admin, fmt.Sprintf("role%d", r), st.EMEA.ID, r)
			u, err := db.Spaces.Usage(ctx, a)
			if err != nil {
				t.Fatalf("role %d: %v", r, err)
			}
			if u.AllocatedGB != want.AllocatedGB {
				t.Errorf("role %d: AllocatedGB = %d, want %d", r, u.AllocatedGB, want.AllocatedGB)
			}
		}
		_, err := db.Spaces.Usage(ctx, MustActor(t, db, "ann"))
		assertKind(t, err, koodrive.EFORBIDDEN)
	})
}

// userSpaces lists users as userId:capacity/status, or userId:- without a
// space.
func userSpaces(list []koodrive.UserSpace) string {
	out := make([]string, len(list))
	for i, us := range list {
		if us.Space == nil {
			out[i] = us.User.UserID + ":-"
			continue
		}
		out[i] = fmt.Sprintf("%s:%d/%d", us.User.UserID, us.Space.CapacityGB, us.Space.Status)
	}
	return strings.Join(out, ",")
}

// deptSpaces lists departments as name:capacity/users.
func deptSpaces(list []koodrive.DepartmentSpace) string {
	out := make([]string, len(list))
	for i, ds := range list {
		out[i] = fmt.Sprintf("%s:%d/%d", ds.Department.Name, ds.Space.CapacityGB, ds.UserCount)
	}
	return strings.Join(out, ",")
}

func mustCreateSpace(tb testing.TB, db *DB, a koodrive.Actor, owner koodrive.ID, t koodrive.SpaceType, gb int64) *koodrive.Space {
	tb.Helper()
	sp, err := db.Spaces.CreateSpace(context.Background(), a, koodrive.SpaceCreate{OwnerID: owner, Type: t, CapacityGB: gb})
	if err != nil {
		tb.Fatalf("create space of %d (type %d, %d GB): %v", owner, t, gb, err)
	}
	return sp
}

func mustUpdateSpace(tb testing.TB, db *DB, a koodrive.Actor, in koodrive.SpaceUpdate) *koodrive.Space {
	tb.Helper()
	sp, err := db.Spaces.UpdateSpace(context.Background(), a, in)
	if err != nil {
		tb.Fatalf("update space of %d (type %d): %v", in.OwnerID, in.Type, err)
	}
	return sp
}

func mustFindSpace(tb testing.TB, db *DB, a koodrive.Actor, owner koodrive.ID, t koodrive.SpaceType) *koodrive.Space {
	tb.Helper()
	sp, err := db.Spaces.FindSpace(context.Background(), a, owner, t)
	if err != nil {
		tb.Fatalf("find space of %d (type %d): %v", owner, t, err)
	}
	return sp
}

func mustReportUsage(tb testing.TB, db *DB, a koodrive.Actor, containerID string, used int64) {
	tb.Helper()
	if err := db.Spaces.ReportUsage(context.Background(), a, containerID, used); err != nil {
		tb.Fatalf("report usage of %s: %v", containerID, err)
	}
}

func mustUsage(tb testing.TB, db *DB, a koodrive.Actor) *koodrive.Usage {
	tb.Helper()
	u, err := db.Spaces.Usage(context.Background(), a)
	if err != nil {
		tb.Fatalf("usage: %v", err)
	}
	return u
}
