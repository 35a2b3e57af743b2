package main

import (
	"database/sql"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

// invAnswer is one answer of a request made by a goroutine of the
// invariants tests (which may not use testing.T's Fatal).
type invAnswer struct {
	kind   string // what the request was for
	status int    // 0 if no answer came
	code   int
	msg    string
	id     string // data.id, for a created user
}

func (a invAnswer) String() string {
	return fmt.Sprintf("%s: %d %d %q", a.kind, a.status, a.code, a.msg)
}

// invDo sends a request with a session token and decodes the envelope.
func invDo(base, kind, method, path, token, body string) invAnswer {
	ans := invAnswer{kind: kind}
	req, err := http.NewRequest(method, base+apiPath(path), strings.NewReader(body))
	if err != nil {
		ans.msg = err.Error()
		return ans
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := quietClient.Do(req)
	if err != nil {
		ans.msg = err.Error()
		return ans
	}
	defer resp.Body.Close()
	var env struct {
		Code int    `json:"code"`
		Msg  string `json:"msg"`
		Data struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	if _, err := readAllJSON(resp, &env); err != nil {
		ans.msg = err.Error()
		return ans
	}
	ans.status, ans.code, ans.msg, ans.id = resp.StatusCode, env.Code, env.Msg, env.Data.ID
	return ans
}

// invExpected reports whether an answer is a success or one of the
// refusals that concurrent allocation may meet, for the kind of request.
func invExpected(a invAnswer) bool {
	switch {
	case a.status == http.StatusOK && a.code == 0:
		return true
	case a.kind == "create-user":
		return a.status == 400 && a.code == 13000102 && strings.Contains(a.msg, "limit of 20 users")
	case a.kind == "set-capacity":
		return a.status == 400 && a.code == 13000102 && strings.Contains(a.msg, "already allocated")
	case a.status == 400 && a.code == 13000311:
		return a.kind != "delete-space" // releasing needs no room
	case a.status == http.StatusConflict && a.code == 13000102:
		return a.kind == "recreate-space"
	case a.status == http.StatusNotFound && a.code == 13000309:
		return a.kind == "delete-space"
	}
	return false
}

// invCheckTotals checks over HTTP that the organization's totals agree with
// its spaces and users and stay within its capacity and user limit.
func invCheckTotals(t *testing.T, s *server, capacity, maxUsers int) {
	t.Helper()
	byType := s.spaceTotals(t)
	sum := byType[0] + byType[1] + byType[2]
	r := s.do(t, "GET", "/space/usage/overview", s.Admin, nil)
	r.wantOK(t)
	overview := r.data(t)
	if got := num(t, overview, "totalAllocation"); got != sum || got > capacity {
		t.Errorf("usage/overview totalAllocation %d, allocation/get sums to %d (%v); want them equal and at most %d", got, sum, byType, capacity)
	}
	if got := num(t, overview, "quota"); got != capacity-sum {
		t.Errorf("usage/overview quota %d, want %d", got, capacity-sum)
	}
	r = s.do(t, "GET", "/service/quotaUsed", s.Admin, nil)
	r.wantOK(t)
	quota := r.data(t)
	users := s.count(t)
	if got := num(t, quota, "userCount"); got != users || got > maxUsers {
		t.Errorf("quotaUsed userCount %d, users/count %d; want them equal and at most %d", got, users, maxUsers)
	}
	if got := num(t, quota, "reservedSpaceQuota"); got != capacity-sum {
		t.Errorf("reservedSpaceQuota %d, want %d", got, capacity-sum)
	}
	// The spaces as listed add up to the per-type sums.
	r = s.do(t, "GET", "/space/userList?offset=0&limit=100", s.Admin, nil)
	r.wantOK(t)
	personal := 0
	for _, it := range r.Body["users"].([]any) {
		personal += num(t, it.(map[string]any), "capacity")
	}
	if personal != byType[1] {
		t.Errorf("personal spaces listed hold %d GB, allocation/get says %d", personal, byType[1])
	}
	r = s.do(t, "GET", "/space/departmentList?offset=0&limit=100", s.Admin, nil)
	r.wantOK(t)
	team := 0
	for _, it := range r.Body["departments"].([]any) {
		team += num(t, it.(map[string]any), "capacity")
	}
	if team != byType[0] {
		t.Errorf("team spaces listed hold %d GB, allocation/get says %d", team, byType[0])
	}
}

// invCheckDatabase stops the server and checks in its SQLite file that the
// organization's totals equal its rows.
func invCheckDatabase(t *testing.T, s *server) {
	t.Helper()
	http.DefaultClient.CloseIdleConnections()
	quietClient.CloseIdleConnections()
	if err := s.stop(); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(s.Data, "koodrive.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var allocated, capacity, userCount, maxUsers, spaceSum, rows, spaces int64
	if err := db.QueryRow(`SELECT allocated_gb, capacity_gb, user_count, max_users FROM organizations`).Scan(&allocated, &capacity, &userCount, &maxUsers); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`SELECT coalesce(sum(capacity_gb), 0), count(*) FROM spaces`).Scan(&spaceSum, &spaces); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`SELECT count(*) FROM users`).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if allocated != spaceSum || allocated > capacity {
		t.Errorf("organizations.allocated_gb %d, sum(spaces.capacity_gb) %d, capacity %d", allocated, spaceSum, capacity)
	}
	if userCount != rows || userCount > maxUsers {
		t.Errorf("organizations.user_count %d, count(*) of users %d, max %d", userCount, rows, maxUsers)
	}
	t.Logf("database: %d of %d GB allocated over %d spaces, %d of %d users", allocated, capacity, spaces, userCount, maxUsers)
}

// TestInvariants_ConcurrentAllocation creates users, allocates, resizes,
// releases and re-allocates spaces, and lowers and raises the organization's
// capacity, all at once over HTTP, and checks that
// every answer was a success or an expected refusal and that the
// organization's totals still equal its spaces and users, over HTTP and in
// the database.
func TestInvariants_ConcurrentAllocation(t *testing.T) {
	const capacity, maxUsers = 100, 20
	s := startServer(t, "--capacity-gb", fmt.Sprint(capacity), "--max-users", fmt.Sprint(maxUsers))
	var depts, keepers []string
	for i := range 5 {
		d := s.createDept(t, s.Admin, s.Root, fmt.Sprintf("Team%d", i))
		s.spaceAlloc(t, s.Admin, d, 0, 2)
		depts = append(depts, d)
		k := s.createUser(t, s.Admin, map[string]any{"userId": fmt.Sprintf("keeper%d", i), "modifyUserInfoReq": map[string]any{"deptId": d}})
		s.spaceAlloc(t, s.Admin, k, 1, 3)
		keepers = append(keepers, k)
	}
	// 25 GB allocated, 6 users: room for 14 users and 75 GB.
	const existing = 6

	var mu sync.Mutex
	var answers []invAnswer
	record := func(a invAnswer) invAnswer {
		mu.Lock()
		answers = append(answers, a)
		mu.Unlock()
		return a
	}
	start := make(chan struct{})
	var wg sync.WaitGroup
	began := time.Now()
	for i := range 40 {
		wg.Go(func() {
			<-start
			body := fmt.Sprintf(`{"userId":"racer%02d","modifyUserInfoReq":{"deptId":"%s"}}`, i, depts[i%5])
			u := record(invDo(s.URL, "create-user", "POST", "/users", s.Admin, body))
			if u.status == http.StatusOK {
				record(invDo(s.URL, "allocate-7", "POST", "/space/"+u.id, s.Admin, `{"capacity":"7","type":1}`))
			}
		})
	}
	for i := range 10 {
		wg.Go(func() {
			<-start
			dept := depts[i%5]
			for j := range 20 {
				capacity := 1 + (i*7+j*5)%6 // 1 to 6 GB, up and down
				record(invDo(s.URL, "resize-team", "PUT", "/space/"+dept, s.Admin, fmt.Sprintf(`{"capacity":%d,"type":0}`, capacity)))
			}
		})
	}
	for i := range 5 {
		wg.Go(func() {
			<-start
			for range 15 {
				record(invDo(s.URL, "delete-space", "DELETE", "/space/"+keepers[i]+"?type=1", s.Admin, ""))
				record(invDo(s.URL, "recreate-space", "POST", "/space/"+keepers[i], s.Admin, `{"capacity":3,"type":"1"}`))
			}
		})
	}
	// The organization's capacity goes down and up meanwhile; lowering it
	// below what is allocated at that moment is refused. It ends at 100.
	wg.Go(func() {
		<-start
		for j := range 20 {
			body := fmt.Sprintf(`{"capacityGb":%d}`, capacity-10*((j+1)%2))
			record(invDo(s.URL, "set-capacity", "PUT", orgSettingsPath, s.Admin, body))
		}
	})
	close(start)
	wg.Wait()
	elapsed := time.Since(began)

	tally := map[string]int{}
	created := 0
	for _, a := range answers {
		tally[fmt.Sprintf("%s %d/%d", a.kind, a.status, a.code)]++
		if !invExpected(a) {
			t.Errorf("unexpected answer %v", a)
		}
		if a.kind == "create-user" && a.status == http.StatusOK {
			created++
		}
	}
	t.Logf("%d requests in %v: %v", len(answers), elapsed, tally)
	if created != maxUsers-existing {
		t.Errorf("%d users created, want %d (up to the limit of %d)", created, maxUsers-existing, maxUsers)
	}
	if tally["allocate-7 400/13000311"]+tally["resize-team 400/13000311"]+tally["recreate-space 400/13000311"] == 0 {
		t.Logf("no request met a full organization; the race was not tight")
	}

	invCheckTotals(t, s, capacity, maxUsers)
	if got := num(t, s.orgGet(t), "capacityGb"); got != capacity {
		t.Errorf("capacity %d GB at the end, want %d", got, capacity)
	}
	if got := s.count(t); got != maxUsers {
		t.Errorf("%d users, want %d", got, maxUsers)
	}
	invCheckDatabase(t, s)
}

// TestInvariants_LastGigabyte has two requests claim the last unallocated
// gigabyte at the same moment, round after round: exactly one gets it.
func TestInvariants_LastGigabyte(t *testing.T) {
	s := startServer(t, "--capacity-gb", "10")
	holder := s.createUser(t, s.Admin, map[string]any{"userId": "holder"})
	b := s.createUser(t, s.Admin, map[string]any{"userId": "b"})
	c := s.createUser(t, s.Admin, map[string]any{"userId": "c"})
	team := s.createDept(t, s.Admin, s.Root, "Team")
	s.spaceAlloc(t, s.Admin, holder, 1, 9)

	type claim struct {
		name, method, path, body string
		undo                     func(t *testing.T)
	}
	release := func(owner string, typ int) func(t *testing.T) {
		return func(t *testing.T) {
			s.do(t, "DELETE", fmt.Sprintf("/space/%s?type=%d", owner, typ), s.Admin, nil).wantOK(t)
		}
	}
	newB := claim{"create b", "POST", "/space/" + b, `{"capacity":"1","type":1}`, release(b, 1)}
	newC := claim{"create c", "POST", "/space/" + c, `{"capacity":1,"type":1}`, release(c, 1)}
	grow := claim{"grow holder", "PUT", "/space/" + holder, `{"capacity":"10","type":1}`, func(t *testing.T) {
		s.do(t, "PUT", "/space/"+holder, s.Admin, map[string]any{"capacity": "9", "type": 1}).wantOK(t)
	}}
	teamFirst := claim{"allocate team", "POST", "/space/" + team, `{"capacity":"1","type":0}`, release(team, 0)}
	teamGrow := claim{"grow team", "PUT", "/space/" + team, `{"capacity":"1","type":0}`, release(team, 0)}
	for round, pair := range [][2]claim{
		{newB, newC}, {newC, newB}, {newB, grow}, {grow, newC}, {teamFirst, newB}, {teamGrow, grow},
		{newB, newC}, {newB, teamFirst}, {newC, grow}, {teamGrow, newC},
	} {
		var answers [2]invAnswer
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i, cl := range pair {
			wg.Go(func() {
				<-start
				answers[i] = invDo(s.URL, cl.name, cl.method, cl.path, s.Admin, cl.body)
			})
		}
		close(start)
		wg.Wait()
		won := -1
		for i, a := range answers {
			switch {
			case a.status == http.StatusOK && a.code == 0:
				if won >= 0 {
					t.Errorf("round %d: both %s and %s got the last gigabyte", round, pair[won].name, pair[i].name)
				}
				won = i
			case a.status == 400 && a.code == 13000311:
				if !strings.Contains(a.msg, "1 GB more is needed and 0 GB") {
					t.Errorf("round %d: %s refused with %q, want it to say 1 GB is needed and 0 GB left", round, pair[i].name, a.msg)
				}
			default:
				t.Errorf("round %d: %v, want 200 or 400 with 13000311", round, a)
			}
		}
		if won < 0 {
			t.Fatalf("round %d: neither %s nor %s got the last gigabyte: %v", round, pair[0].name, pair[1].name, answers)
		}
		if o := s.orgGet(t); num(t, o, "allocatedGb") != 10 || num(t, o, "unallocatedGb") != 0 {
			t.Fatalf("round %d: organization %v, want all 10 GB allocated", round, o)
		}
		pair[won].undo(t)
	}
	invCheckTotals(t, s, 10, 10000)
	invCheckDatabase(t, s)
}
