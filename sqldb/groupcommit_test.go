package sqldb_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/koodrive/koodrive"
)

// TestGroupCommit drives many changes at once, so that the committer runs
// them in groups: a change that fails in a group is undone alone and on
// record, the others hold, and a change whose caller gave up first is not
// made.
func TestGroupCommit(t *testing.T) { eachBackend(t, testGroupCommit) }

func testGroupCommit(t *testing.T) {
	t.Parallel()

	t.Run("FailuresStayApart", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		ctx := context.Background()
		// Pairs race for the same userId (one wins, one conflicts); every
		// fourth has an email already taken by another user (it fails
		// after its department and limit checks passed); the rest are
		// fine. Failing and succeeding changes share groups.
		MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "taken", Email: "taken@example.com", Role: new(koodrive.RoleUser)})
		const pairs = 48
		type result struct {
			userID string
			err    error
		}
		results := make(chan result, 2*pairs)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range 2 * pairs {
			wg.Go(func() {
				<-start
				in := koodrive.UserCreate{UserID: fmt.Sprintf("gc%02d", i/2), Role: new(koodrive.RoleUser)}
				if i%4 == 3 {
					in.UserID, in.Email = fmt.Sprintf("mail%02d", i), "TAKEN@example.com"
				}
				_, err := db.Users.CreateUser(ctx, o.Admin, in)
				results <- result{in.UserID, err}
			})
		}
		close(start)
		wg.Wait()
		close(results)
		won := map[string]int{}
		var created, conflicts int
		for r := range results {
			switch koodrive.ErrorKind(r.err) {
			case "":
				won[r.userID]++
				created++
			case koodrive.ECONFLICT:
				conflicts++
			default:
				t.Errorf("create %s: %v", r.userID, r.err)
			}
		}
		// Each gc{k} is created once whichever of its pair wins (in odd
		// pairs the second is a mail row, which always conflicts).
		wantCreated := pairs
		if got := created; got != wantCreated {
			t.Errorf("%d created, want %d", got, wantCreated)
		}
		for id, n := range won {
			if n != 1 {
				t.Errorf("%s created %d times", id, n)
			}
		}
		if got, want := MustUserTotal(t, db, o.Admin), 2+wantCreated; got != want {
			t.Errorf("%d users, want %d", got, want)
		}
		entries, _ := mustAuditEntries(t, db, o.Admin, koodrive.AuditFilter{Operations: []string{koodrive.AuditCreateUser}, PageSize: koodrive.MaxPageSize, PageNum: 1})
		var succeeded, failed int
		for _, e := range entries {
			if e.Result == koodrive.AuditSucceeded {
				succeeded++
			} else {
				failed++
			}
		}
		if succeeded != 1+created || failed != conflicts {
			t.Errorf("audit: %d successes and %d failures, want %d and %d", succeeded, failed, 1+created, conflicts)
		}
	})

	t.Run("CallerGaveUp", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := db.Users.CreateUser(ctx, o.Admin, koodrive.UserCreate{UserID: "late", Role: new(koodrive.RoleUser)})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err %v, want context.Canceled", err)
		}
		if got := MustUserTotal(t, db, o.Admin); got != 1 {
			t.Errorf("%d users, want 1: the abandoned change was made", got)
		}
		if entries, _ := mustAuditEntries(t, db, o.Admin, koodrive.AuditFilter{Operations: []string{koodrive.AuditCreateUser}, PageSize: 10, PageNum: 1}); len(entries) != 0 {
			t.Errorf("%d CreateUser audit entries, want none", len(entries))
		}
	})
}
