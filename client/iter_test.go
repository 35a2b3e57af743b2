package client_test

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/koodrive/koodrive"
)

// userListServer answers /userList from n users with IDs 1..n as the
// server does: by cursor or offset, nextCursor on every full page.
func userListServer(n int) handler {
	return func(c call) (int, string) {
		limit, _ := strconv.Atoi(c.Query.Get("limit"))
		start, _ := strconv.Atoi(c.Query.Get("offset"))
		if cur := c.Query.Get("cursor"); cur != "" {
			start, _ = strconv.Atoi(cur) // IDs are 1..n: the cursor is the count before
		}
		var items []string
		for id := start + 1; id <= n && len(items) < limit; id++ {
			items = append(items, fmt.Sprintf(`{"id":"%d","userId":"u%d","deptId":"8","orgId":"9","role":1,"status":0}`, id, id))
		}
		next := ""
		if len(items) == limit {
			next = fmt.Sprintf(`,"nextCursor":"%d"`, start+limit)
		}
		return 200, fmt.Sprintf(`{"code":0,"msg":"success","list":[%s],"total":%d%s}`, strings.Join(items, ","), n, next)
	}
}

func TestAllUsers(t *testing.T) {
	for _, n := range []int{0, 1, 100, 200, 250} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			f := newFake(t).handle("GET /koodrive/ose/v1/userList", userListServer(n))
			seen := map[koodrive.ID]bool{}
			for u, err := range f.client().AllUsers(ctx, koodrive.UserFilter{DeptID: 8}) {
				wantNoErr(t, err)
				if seen[u.ID] {
					t.Errorf("user %d twice", u.ID)
				}
				seen[u.ID] = true
			}
			if len(seen) != n {
				t.Errorf("%d users, want %d", len(seen), n)
			}
			calls := f.all()
			if want := n/100 + 1; len(calls) != want {
				t.Errorf("%d requests, want %d", len(calls), want)
			}
			wantCall(t, calls[0], "GET", "/koodrive/ose/v1/userList", "offset", "0", "limit", "100", "deptId", "8")
			if len(calls) > 1 {
				wantCall(t, calls[1], "GET", "/koodrive/ose/v1/userList", "cursor", "100", "limit", "100", "deptId", "8")
			}
		})
	}

	t.Run("FromCursorWithLimit", func(t *testing.T) {
		f := newFake(t).handle("GET /koodrive/ose/v1/userList", userListServer(25))
		var ids []koodrive.ID
		for u, err := range f.client().AllUsers(ctx, koodrive.UserFilter{Cursor: 10, Limit: 7}) {
			wantNoErr(t, err)
			ids = append(ids, u.ID)
		}
		if len(ids) != 15 || ids[0] != 11 || ids[14] != 25 {
			t.Errorf("ids %v, want 11..25", ids)
		}
	})

	t.Run("Break", func(t *testing.T) {
		f := newFake(t).handle("GET /koodrive/ose/v1/userList", userListServer(250))
		i := 0
		for range f.client().AllUsers(ctx, koodrive.UserFilter{}) {
			if i++; i == 150 {
				break
			}
		}
		if len(f.all()) != 2 {
			t.Errorf("%d requests, want 2: none after the loop stops", len(f.all()))
		}
	})

	t.Run("ErrOnSecondPage", func(t *testing.T) {
		list := userListServer(250)
		f := newFake(t).handle("GET /koodrive/ose/v1/userList", func(c call) (int, string) {
			if c.Query.Get("cursor") != "" {
				return 403, `{"code":13000410,"msg":"no","traceId":"t"}`
			}
			return list(c)
		})
		var users int
		var errs []error
		for _, err := range f.client().AllUsers(ctx, koodrive.UserFilter{}) {
			if err != nil {
				errs = append(errs, err)
				continue
			}
			users++
		}
		if users != 100 || len(errs) != 1 || koodrive.ErrorKind(errs[0]) != koodrive.EFORBIDDEN {
			t.Errorf("%d users, errors %v; want 100 then one EFORBIDDEN", users, errs)
		}
	})
}

// offsetServer answers a listing of n items paged by offset and limit,
// with items made by item(i) under key, and total as a JSON string.
func offsetServer(n int, key string, item func(i int) string) handler {
	return func(c call) (int, string) {
		offset, _ := strconv.Atoi(c.Query.Get("offset"))
		limit, _ := strconv.Atoi(c.Query.Get("limit"))
		var items []string
		for i := offset; i < n && len(items) < limit; i++ {
			items = append(items, item(i))
		}
		return 200, fmt.Sprintf(`{"code":0,"msg":"success","total":"%d","%s":[%s]}`, n, key, strings.Join(items, ","))
	}
}

func TestAllUserSpaces(t *testing.T) {
	f := newFake(t).handle("GET /koodrive/ose/v1/space/userList", offsetServer(230, "users", func(i int) string {
		return fmt.Sprintf(`{"id":"%d","userId":"u%d","deptId":"8","tenantId":"9","containerId":"","capacity":0,"spaceUsed":0}`, i+1, i+1)
	}))
	seen := map[koodrive.ID]bool{}
	for us, err := range f.client().AllUserSpaces(ctx, koodrive.SpaceFilter{}) {
		wantNoErr(t, err)
		if seen[us.User.ID] {
			t.Errorf("user %d twice", us.User.ID)
		}
		seen[us.User.ID] = true
	}
	if len(seen) != 230 || len(f.all()) != 3 {
		t.Errorf("%d users in %d requests, want 230 in 3", len(seen), len(f.all()))
	}
	wantCall(t, f.all()[2], "GET", "/koodrive/ose/v1/space/userList", "offset", "200", "limit", "100")
}

func TestAllDepartmentSpaces(t *testing.T) {
	f := newFake(t).handle("GET /koodrive/ose/v1/space/departmentList", offsetServer(200, "departments", func(i int) string {
		return fmt.Sprintf(`{"id":"%d","parentId":"1","name":"d%d","tenantId":"9","ownerId":"%d","containerId":"c%d","userNum":0}`, i+2, i, i+2, i)
	}))
	n := 0
	for ds, err := range f.client().AllDepartmentSpaces(ctx, "d") {
		wantNoErr(t, err)
		if ds.Department.ID != koodrive.ID(n+2) || ds.Space == nil {
			t.Errorf("item %d: %+v %+v", n, ds.Department, ds.Space)
		}
		n++
	}
	// A full last page ends at the total without asking for an empty one.
	if n != 200 || len(f.all()) != 2 {
		t.Errorf("%d departments in %d requests, want 200 in 2", n, len(f.all()))
	}
	wantCall(t, f.all()[1], "GET", "/koodrive/ose/v1/space/departmentList", "offset", "100", "limit", "100", "keyWord", "d")
}

func TestAllAuditEntries(t *testing.T) {
	const n = 25
	f := newFake(t).handle("POST /koodrive/ose/v1/auditlog", func(c call) (int, string) {
		var req struct {
			PageInfo struct{ PageSize, PageNum int } `json:"pageInfo"`
		}
		if err := json.Unmarshal(c.Body, &req); err != nil {
			t.Errorf("body %s: %v", c.Body, err)
		}
		var items []string
		for i := (req.PageInfo.PageNum - 1) * req.PageInfo.PageSize; i < n && len(items) < req.PageInfo.PageSize; i++ {
			items = append(items, fmt.Sprintf(`{"logId":"%d","tenantId":"9","operateTime":"2026-01-02T03:04:05.000Z","operation":"CreateUser"}`, i+1))
		}
		return 200, fmt.Sprintf(`{"code":0,"msg":"success","total":%d,"logInfoList":[%s]}`, n, strings.Join(items, ","))
	})
	var ids []koodrive.ID
	for e, err := range f.client().AllAuditEntries(ctx, koodrive.AuditFilter{PageSize: 10, PageNum: 2}) {
		wantNoErr(t, err)
		ids = append(ids, e.ID)
	}
	if len(ids) != 15 || ids[0] != 11 || ids[14] != 25 {
		t.Errorf("ids %v, want 11..25 (from page 2)", ids)
	}
	calls := f.all()
	if len(calls) != 2 {
		t.Fatalf("%d requests, want 2", len(calls))
	}
	wantJSON(t, calls[1].Body, `{"pageInfo":{"pageSize":10,"pageNum":3},"sortInfo":{"sortType":1,"sortDirection":2}}`)
}
