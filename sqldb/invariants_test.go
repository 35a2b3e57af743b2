package sqldb_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/koodrive/koodrive"
)

// opLog collects the outcome of operations run from many goroutines.
type opLog struct {
	mu   sync.Mutex
	errs map[string][]error // by operation
}

func (l *opLog) add(op string, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.errs == nil {
		l.errs = make(map[string][]error)
	}
	l.errs[op] = append(l.errs[op], err)
}

// check fails the test for any error not of the expected kinds, and
// returns how many calls of op succeeded.
func (l *opLog) check(tb testing.TB, op string, expected ...koodrive.Kind) (ok int) {
	tb.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, err := range l.errs[op] {
		if err == nil {
			ok++
			continue
		}
		kind := koodrive.ErrorKind(err)
		found := false
		for _, k := range expected {
			found = found || kind == k
		}
		if !found {
			tb.Errorf("%s: %v, want success or one of %v", op, err, expected)
		}
	}
	return ok
}

// TestInvariants_Concurrent allocates, resizes and releases capacity and
// creates users from many goroutines at once: whatever interleaving the
// database picks, the organization's totals must equal what they sum up.
func TestInvariants_Concurrent(t *testing.T) { eachBackend(t, testInvariants_Concurrent) }

func testInvariants_Concurrent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		const capacity, maxUsers = 100, 20
		o := MustInitOrgWith(t, db, koodrive.OrganizationInit{Name: "Acme", CapacityGB: capacity, MaxUsers: maxUsers, AdminUserID: "admin"})
		var depts []*koodrive.Department
		for i := range 3 {
			d := MustCreateDept(t, db, o.Admin, o.Root.ID, fmt.Sprintf("D%d", i))
			mustCreateSpace(t, db, o.Admin, d.ID, koodrive.SpaceDepartment, 1)
			depts = append(depts, d)
		}
		var pre []*koodrive.User
		for i := range 2 {
			u := MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: fmt.Sprintf("pre%d", i), Role: new(koodrive.RoleUser)})
			mustCreateSpace(t, db, o.Admin, u.ID, koodrive.SpacePersonal, 2)
			pre = append(pre, u)
		}

		var log opLog
		var wg sync.WaitGroup
		start := make(chan struct{})
		const creators, resizers, releasers = 40, 10, 5
		for i := range creators {
			wg.Go(func() {
				<-start
				u, err := db.Users.CreateUser(ctx, o.Admin, koodrive.UserCreate{
					UserID: fmt.Sprintf("u%02d", i), DeptID: depts[i%3].ID, Role: new(koodrive.RoleUser),
				})
				log.add("CreateUser", err)
				if err != nil {
					return
				}
				_, err = db.Spaces.CreateSpace(ctx, o.Admin, koodrive.SpaceCreate{OwnerID: u.ID, Type: koodrive.SpacePersonal, CapacityGB: 7})
				log.add("CreatePersonalSpace", err)
			})
		}
		for i := range resizers {
			wg.Go(func() {
				<-start
				for k := range 5 {
					gb := int64(1 + (i*7+k*3)%9)
					_, err := db.Spaces.UpdateSpace(ctx, o.Admin, koodrive.SpaceUpdate{
						OwnerID: depts[(i+k)%3].ID, Type: koodrive.SpaceDepartment, CapacityGB: &gb,
					})
					log.add("ResizeTeamSpace", err)
				}
			})
		}
		for i := range releasers {
			wg.Go(func() {
				<-start
				for k := range 4 {
					owner, typ := koodrive.ID(0), koodrive.SpaceDepartment
					if j := (i + k) % 5; j < 3 {
						owner = depts[j].ID
					} else {
						owner, typ = pre[j-3].ID, koodrive.SpacePersonal
					}
					log.add("DeleteSpace", db.Spaces.DeleteSpace(ctx, o.Admin, owner, typ))
					_, err := db.Spaces.CreateSpace(ctx, o.Admin, koodrive.SpaceCreate{OwnerID: owner, Type: typ, CapacityGB: 2})
					log.add("RecreateSpace", err)
				}
			})
		}
		// The purchased capacity shrinks and grows meanwhile; each
		// goroutine ends at the full capacity, so the organization does.
		for range 2 {
			wg.Go(func() {
				<-start
				for range 3 {
					for _, gb := range []int64{capacity - 10, capacity} {
						_, err := db.Orgs.UpdateOrganization(ctx, o.Admin, koodrive.OrganizationUpdate{CapacityGB: &gb})
						log.add("ResizeOrganization", err)
					}
				}
			})
		}
		close(start)
		wg.Wait()

		created := log.check(t, "CreateUser", koodrive.ELIMIT)
		allocated := log.check(t, "CreatePersonalSpace", koodrive.EINSUFFICIENTSPACE)
		log.check(t, "ResizeTeamSpace", koodrive.EINSUFFICIENTSPACE)
		log.check(t, "DeleteSpace", koodrive.ENOTFOUND)
		log.check(t, "RecreateSpace", koodrive.EINSUFFICIENTSPACE, koodrive.ECONFLICT)
		log.check(t, "ResizeOrganization", koodrive.EINVALID) // below what is allocated at that moment
		if got, want := created, maxUsers-3; got != want {
			t.Errorf("%d users created, want %d (the limit less the admin and two others)", got, want)
		}
		if allocated == 0 {
			t.Errorf("no personal space allocated, want some")
		}

		// The totals agree with the rows, through the services...
		org := MustFindOrg(t, db)
		usage := mustUsage(t, db, o.Admin)
		var sum int64
		for _, k := range usage.ByType {
			sum += k.AllocatedGB
		}
		if org.AllocatedGB != sum || usage.AllocatedGB != sum {
			t.Errorf("AllocatedGB = %d (organization), %d (usage), want %d (the sum of the spaces)", org.AllocatedGB, usage.AllocatedGB, sum)
		}
		if org.AllocatedGB > capacity || org.CapacityGB != capacity {
			t.Errorf("AllocatedGB, CapacityGB = %d, %d, want at most %d, %d", org.AllocatedGB, org.CapacityGB, capacity, capacity)
		}
		if got, want := org.UserCount, int64(maxUsers); got != want {
			t.Errorf("UserCount = %d, want %d", got, want)
		}
		if got, want := MustUserTotal(t, db, o.Admin), maxUsers; got != want {
			t.Errorf("users = %d, want %d", got, want)
		}
		spaces, _, err := db.Spaces.FindUserSpaces(ctx, o.Admin, koodrive.SpaceFilter{UserFilter: koodrive.UserFilter{KeyWord: "u", Limit: koodrive.MaxPageSize}})
		if err != nil {
			t.Fatal(err)
		}
		var sevens int
		for _, us := range spaces {
			if us.Space != nil && us.Space.CapacityGB == 7 {
				sevens++
			}
		}
		if got, want := sevens, allocated; got != want {
			t.Errorf("%d users hold a 7 GB space, want %d (the allocations that succeeded)", got, want)
		}

		// ...and in the stored rows.
		raw := db.MustRawReadOnly(t)
		var stored, rows, users, count int64
		if err := raw.QueryRowContext(ctx, `
			SELECT o.allocated_gb, (SELECT coalesce(sum(capacity_gb), 0) FROM spaces), (SELECT count(*) FROM users), o.user_count
			FROM organizations o`).Scan(&stored, &rows, &users, &count); err != nil {
			t.Fatal(err)
		}
		if stored != rows || stored > capacity {
			t.Errorf("stored allocated_gb = %d, sum of capacity_gb = %d, want equal and at most %d", stored, rows, capacity)
		}
		if users != count || users > maxUsers {
			t.Errorf("stored user_count = %d, users = %d, want equal and at most %d", count, users, maxUsers)
		}
	})

	// Two allocations of what is left at the same moment: one wins.
	t.Run("LastGigabytes", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrgWith(t, db, koodrive.OrganizationInit{Name: "Acme", CapacityGB: 100, MaxUsers: 100, AdminUserID: "admin"})
		sales := MustCreateDept(t, db, o.Admin, o.Root.ID, "Sales")
		eng := MustCreateDept(t, db, o.Admin, o.Root.ID, "Eng")
		a := MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "a", Role: new(koodrive.RoleUser)})
		b := MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "b", Role: new(koodrive.RoleUser)})
		// 15 GB left: either 10 GB request fits alone, not both.
		mustCreateSpace(t, db, o.Admin, o.Root.ID, koodrive.SpaceDepartment, 83)
		mustCreateSpace(t, db, o.Admin, sales.ID, koodrive.SpaceDepartment, 1)
		mustCreateSpace(t, db, o.Admin, eng.ID, koodrive.SpaceDepartment, 1)
		if got, want := mustUsage(t, db, o.Admin).AllocatedGB, int64(85); got != want {
			t.Fatalf("AllocatedGB = %d, want %d", got, want)
		}

		for round := range 10 {
			var errs [2]error
			var wg sync.WaitGroup
			start := make(chan struct{})
			if round%2 == 0 {
				// New personal spaces.
				for i, u := range []*koodrive.User{a, b} {
					wg.Go(func() {
						<-start
						_, errs[i] = db.Spaces.CreateSpace(ctx, o.Admin, koodrive.SpaceCreate{OwnerID: u.ID, Type: koodrive.SpacePersonal, CapacityGB: 10})
					})
				}
			} else {
				// Team spaces growing from 1 to 11 GB.
				for i, d := range []*koodrive.Department{sales, eng} {
					wg.Go(func() {
						<-start
						_, errs[i] = db.Spaces.UpdateSpace(ctx, o.Admin, koodrive.SpaceUpdate{OwnerID: d.ID, Type: koodrive.SpaceDepartment, CapacityGB: new(int64(11))})
					})
				}
			}
			close(start)
			wg.Wait()
			winner := -1
			for i, err := range errs {
				switch koodrive.ErrorKind(err) {
				case "":
					if winner >= 0 {
						t.Fatalf("round %d: both allocations succeeded", round)
					}
					winner = i
				case koodrive.EINSUFFICIENTSPACE:
				default:
					t.Fatalf("round %d: %v, want success or EINSUFFICIENTSPACE", round, err)
				}
			}
			if winner < 0 {
				t.Fatalf("round %d: neither allocation succeeded (%v, %v)", round, errs[0], errs[1])
			}
			if got, want := mustUsage(t, db, o.Admin).AllocatedGB, int64(95); got != want {
				t.Fatalf("round %d: AllocatedGB = %d, want %d", round, got, want)
			}
			// Give the winner's capacity back for the next round.
			if round%2 == 0 {
				if err := db.Spaces.DeleteSpace(ctx, o.Admin, []*koodrive.User{a, b}[winner].ID, koodrive.SpacePersonal); err != nil {
					t.Fatal(err)
				}
			} else {
				mustUpdateSpace(t, db, o.Admin, koodrive.SpaceUpdate{
					OwnerID: []*koodrive.Department{sales, eng}[winner].ID, Type: koodrive.SpaceDepartment, CapacityGB: new(int64(1)),
				})
			}
		}

		// Eight 5 GB requests against 15 GB: exactly three win.
		var users []*koodrive.User
		for i := range 8 {
			users = append(users, MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: fmt.Sprintf("c%d", i), Role: new(koodrive.RoleUser)}))
		}
		var log opLog
		var wg sync.WaitGroup
		start := make(chan struct{})
		for _, u := range users {
			wg.Go(func() {
				<-start
				_, err := db.Spaces.CreateSpace(ctx, o.Admin, koodrive.SpaceCreate{OwnerID: u.ID, Type: koodrive.SpacePersonal, CapacityGB: 5})
				log.add("CreateSpace", err)
			})
		}
		close(start)
		wg.Wait()
		if got, want := log.check(t, "CreateSpace", koodrive.EINSUFFICIENTSPACE), 3; got != want {
			t.Errorf("%d allocations succeeded, want %d", got, want)
		}
		if got, want := mustUsage(t, db, o.Admin).AllocatedGB, int64(100); got != want {
			t.Errorf("AllocatedGB = %d, want %d", got, want)
		}
	})
}
