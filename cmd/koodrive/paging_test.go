package main

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// pgCreateUsers creates n users named prefix-i with workers goroutines and
// returns their IDs. It fails the test if any create fails.
func pgCreateUsers(t *testing.T, s *server, prefix string, n, workers int) []string {
	t.Helper()
	ids := make([]string, n)
	var next atomic.Int64
	var failed atomic.Value
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n || failed.Load() != nil {
					return
				}
				r := doQuiet(s.URL, "POST", "/users", s.Admin, fmt.Sprintf(`{"userId":"%s-%d"}`, prefix, i))
				if r.status != http.StatusOK || r.id == "" {
					failed.Store(fmt.Sprintf("create %s-%d: status %d, body %s", prefix, i, r.status, r.body))
					return
				}
				ids[i] = r.id
			}
		})
	}
	wg.Wait()
	if f := failed.Load(); f != nil {
		t.Fatal(f)
	}
	return ids
}

// pgCreator keeps creating users until stopped or until it has made max of
// them; created counts what it made.
type pgCreator struct {
	stop    chan struct{}
	wg      sync.WaitGroup
	created atomic.Int64
	errs    atomic.Int64
	lastErr atomic.Value
}

func pgStartCreators(s *server, prefix string, workers int, max int64) *pgCreator {
	c := &pgCreator{stop: make(chan struct{})}
	var seq atomic.Int64
	for range workers {
		c.wg.Go(func() {
			for {
				select {
				case <-c.stop:
					return
				default:
				}
				i := seq.Add(1)
				if i > max {
					return
				}
				r := doQuiet(s.URL, "POST", "/users", s.Admin, fmt.Sprintf(`{"userId":"%s-%d"}`, prefix, i))
				if r.status != http.StatusOK {
					c.errs.Add(1)
					c.lastErr.Store(fmt.Sprintf("status %d, body %s", r.status, r.body))
					continue
				}
				c.created.Add(1)
			}
		})
	}
	return c
}

// halt stops the creators and waits for them.
func (c *pgCreator) halt(t *testing.T) {
	t.Helper()
	close(c.stop)
	c.wg.Wait()
	if n := c.errs.Load(); n > 0 {
		t.Errorf("%d concurrent creates failed, the last with %v", n, c.lastErr.Load())
	}
}

// pgListAll lists the whole organization page by page, with offset paging
// or by cursor, and returns the IDs in the order they came.
func pgListAll(t *testing.T, s *server, byCursor bool) []string {
	t.Helper()
	var ids []string
	cursor := ""
	for page := 0; ; page++ {
		if page > 1000 {
			t.Fatalf("listing did not end after %d pages", page)
		}
		q := url.Values{"limit": {"100"}}
		switch {
		case !byCursor:
			q.Set("offset", strconv.Itoa(len(ids)))
		case cursor == "":
			q.Set("offset", "0")
		default:
			q.Set("cursor", cursor)
		}
		r := s.do(t, "GET", "/userList?"+q.Encode(), s.Admin, nil)
		r.wantOK(t)
		list := r.list(t)
		for _, u := range list {
			ids = append(ids, str(t, u, "id"))
		}
		next, hasNext := r.Body["nextCursor"].(string)
		if full := len(list) == 100; full != hasNext {
			t.Fatalf("page %d has %d users and nextCursor %q (present %v); want nextCursor exactly on full pages", page, len(list), next, hasNext)
		}
		if hasNext && next != str(t, list[len(list)-1], "id") {
			t.Errorf("page %d: nextCursor %s, want the last ID of the page %s", page, next, list[len(list)-1]["id"])
		}
		if len(list) < 100 {
			return ids
		}
		cursor = next
	}
}

// pgCheckListing checks that a listing holds every ID of want exactly once,
// no ID twice, and comes in ascending ID order.
func pgCheckListing(t *testing.T, got, want []string) {
	t.Helper()
	seen := make(map[string]int, len(got))
	var prev uint64
	for i, id := range got {
		seen[id]++
		n, err := strconv.ParseUint(id, 10, 64)
		if err != nil {
			t.Fatalf("id %q at %d is not a number", id, i)
		}
		if i > 0 && n <= prev {
			t.Errorf("id %d at position %d follows %d; want ascending IDs", n, i, prev)
		}
		prev = n
	}
	for id, k := range seen {
		if k > 1 {
			t.Errorf("id %s listed %d times, want once", id, k)
		}
	}
	missing := 0
	for _, id := range want {
		if seen[id] != 1 {
			missing++
			if missing <= 5 {
				t.Errorf("id %s listed %d times, want once", id, seen[id])
			}
		}
	}
	if missing > 0 {
		t.Errorf("%d of the %d original users not listed exactly once", missing, len(want))
	}
}

// TestUserList_PagingUnderConcurrentCreates lists a 10,000-user
// organization page by page, by offset and by cursor, while users are being
// created; every original user must come exactly once, in ID order.
func TestUserList_PagingUnderConcurrentCreates(t *testing.T) {
	if testing.Short() {
		t.Skip("creates 10,000 users")
	}
	s := startServer(t, "--max-users", "20000")
	start := time.Now()
	originals := pgCreateUsers(t, s, "orig", 10000, 16)
	originals = append(originals, s.adminID(t))
	t.Logf("created 10,000 users in %v", time.Since(start))

	for _, tc := range []struct {
		name     string
		byCursor bool
	}{{"Offset", false}, {"Cursor", true}} {
		t.Run(tc.name, func(t *testing.T) {
			c := pgStartCreators(s, "during-"+tc.name, 8, 4000)
			start := time.Now()
			got := pgListAll(t, s, tc.byCursor)
			elapsed := time.Since(start)
			during := c.created.Load()
			c.halt(t)
			t.Logf("listed %d users in %v while %d were created", len(got), elapsed, during)
			if during == 0 {
				t.Errorf("no user was created while the listing ran")
			}
			pgCheckListing(t, got, originals)
		})
	}
}

func TestUserList_Cursor(t *testing.T) {
	s := startServer(t)
	var ids []string
	for i := range 5 {
		ids = append(ids, s.createUser(t, s.Admin, map[string]any{"userId": fmt.Sprintf("c%d", i)}))
	}
	t.Run("OK", func(t *testing.T) {
		// A cursor without offset, and with offset=0, go on after the cursor.
		for _, q := range []string{"cursor=" + ids[1] + "&limit=2", "cursor=" + ids[1] + "&offset=0&limit=2"} {
			r := s.do(t, "GET", "/userList?"+q, s.Admin, nil)
			r.wantOK(t)
			l := r.list(t)
			if len(l) != 2 || l[0]["id"] != ids[2] || l[1]["id"] != ids[3] {
				t.Errorf("%s: list %v, want users %s and %s", q, l, ids[2], ids[3])
			}
			if got := r.Body["nextCursor"]; got != ids[3] {
				t.Errorf("%s: nextCursor %v, want %s", q, got, ids[3])
			}
		}
		r := s.do(t, "GET", "/userList?cursor="+ids[4]+"&limit=2", s.Admin, nil)
		r.wantOK(t)
		if l := r.list(t); len(l) != 0 {
			t.Errorf("after the last user: list %v, want none", l)
		}
		if _, ok := r.Body["nextCursor"]; ok {
			t.Errorf("after the last user: nextCursor %v, want none", r.Body["nextCursor"])
		}
	})
	t.Run("CursorOfDeletedUser", func(t *testing.T) {
		// The cursor holds its place when the user it names is gone.
		s.do(t, "DELETE", "/users/"+ids[2], s.Admin, nil).wantOK(t)
		r := s.do(t, "GET", "/userList?cursor="+ids[2]+"&limit=100", s.Admin, nil)
		r.wantOK(t)
		l := r.list(t)
		if len(l) != 2 || l[0]["id"] != ids[3] || l[1]["id"] != ids[4] {
			t.Errorf("list %v, want users %s and %s", l, ids[3], ids[4])
		}
		if got := num(t, r.Body, "total"); got != 5 {
			t.Errorf("total %d, want 5 (every user, not those after the cursor)", got)
		}
	})
	t.Run("WithFilters", func(t *testing.T) {
		r := s.do(t, "GET", "/userList?keyWord=c&deptId="+s.Root+"&isDirect=true&cursor="+ids[0]+"&limit=1", s.Admin, nil)
		r.wantOK(t)
		if l := r.list(t); len(l) != 1 || l[0]["id"] != ids[1] {
			t.Errorf("list %v, want %s alone", l, ids[1])
		}
	})
	t.Run("ErrCursorWithOffset", func(t *testing.T) {
		s.do(t, "GET", "/userList?cursor="+ids[1]+"&offset=5&limit=10", s.Admin, nil).wantError(t, 400, 13000102, "cursor", "offset")
		s.do(t, "GET", "/userList?cursor="+ids[1]+"&offset=1&limit=10", s.Admin, nil, "language", "zh-CN").wantError(t, 400, 13000102, "cursor", "不能同时使用")
	})
	t.Run("ErrCursorNotAnID", func(t *testing.T) {
		s.do(t, "GET", "/userList?cursor=abc&limit=10", s.Admin, nil).wantError(t, 400, 13000102, "cursor")
		s.do(t, "GET", "/userList?cursor=-1&limit=10", s.Admin, nil).wantError(t, 400, 13000102, "cursor")
	})
}
