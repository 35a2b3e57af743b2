package main

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// spaceUserIDs returns the userIds of the users of a /space/userList reply
// and checks its total, which KooDrive types String.
func spaceUserIDs(t testing.TB, r reply, total int) []string {
	t.Helper()
	r.wantOK(t)
	if got := str(t, r.Body, "total"); got != fmt.Sprint(total) {
		t.Errorf("total %q, want %q", got, fmt.Sprint(total))
	}
	items, ok := r.Body["users"].([]any)
	if !ok {
		t.Fatalf("users is not an array: %s", r.Raw)
	}
	out := []string{}
	for _, it := range items {
		out = append(out, it.(map[string]any)["userId"].(string))
	}
	return out
}

func TestSpaces_UserList(t *testing.T) {
	s := startServer(t)
	org := str(t, s.orgGet(t), "id")
	sales := s.createDept(t, s.Admin, s.Root, "Sales")
	emea := s.createDept(t, s.Admin, sales, "EMEA")
	support := s.createDept(t, s.Admin, s.Root, "Support")
	alice := s.createUser(t, s.Admin, map[string]any{"userId": "alice", "name": "Alice Liddell", "mobile": "+86 138-0000-0001",
		"modifyUserInfoReq": map[string]any{"deptId": sales}})
	bob := s.createUser(t, s.Admin, map[string]any{"userId": "bob", "name": "Bob", "modifyUserInfoReq": map[string]any{"deptId": emea}})
	s.createUser(t, s.Admin, map[string]any{"userId": "carol", "name": "Carol", "mobile": "+8613900000002",
		"modifyUserInfoReq": map[string]any{"deptId": support, "role": 5}})
	aliceSpace := s.spaceAlloc(t, s.Admin, alice, 1, 10)
	s.spaceReport(t, str(t, aliceSpace, "containerId"), 12345)
	s.spaceAlloc(t, s.Admin, bob, 1, 5)
	s.do(t, "PUT", "/space/"+bob, s.Admin, map[string]any{"type": 1, "status": 1}).wantOK(t)

	t.Run("Items", func(t *testing.T) {
		r := s.do(t, "GET", "/space/userList?offset=0&limit=100", s.Admin, nil)
		if got := spaceUserIDs(t, r, 4); strings.Join(got, ",") != "admin,alice,bob,carol" {
			t.Fatalf("users %v, want admin, alice, bob, carol", got)
		}
		if _, ok := r.Body["list"]; ok {
			t.Errorf("the listing has a list beside users: %s", r.Raw)
		}
		users := r.Body["users"].([]any)
		kinds := map[string]byte{"name": 's', "deptId": 's', "deptName": 's', "mobile": 's', "role": 'n', "status": 'n', "containerId": 's',
			"capacity": 'n', "spaceUsed": 'n', "tenantId": 's', "id": 's', "userId": 's', "spaceStatus": 'n'}
		noSpace := map[string]byte{}
		for k, v := range kinds {
			if k != "spaceStatus" {
				noSpace[k] = v
			}
		}
		for i, it := range users {
			u := it.(map[string]any)
			what := fmt.Sprintf("users[%d] (%s)", i, u["userId"])
			if u["userId"] == "admin" || u["userId"] == "carol" {
				wantJSONShape(t, what, u, noSpace) // no spaceStatus key at all
				if u["containerId"] != "" || num(t, u, "capacity") != 0 || num(t, u, "spaceUsed") != 0 {
					t.Errorf("%s has no space: %v, want containerId \"\" and zeros", what, u)
				}
				continue
			}
			wantJSONShape(t, what, u, kinds)
			if str(t, u, "containerId") == "" {
				t.Errorf("%s: empty containerId", what)
			}
			if u["tenantId"] != org {
				t.Errorf("%s: tenantId %v, want %s", what, u["tenantId"], org)
			}
		}
		a := users[1].(map[string]any)
		want := map[string]any{"id": alice, "name": "Alice Liddell", "deptId": sales, "deptName": "Sales", "mobile": "+8613800000001",
			"containerId": aliceSpace["containerId"]}
		for k, v := range want {
			if a[k] != v {
				t.Errorf("alice's %s = %v, want %v", k, a[k], v)
			}
		}
		if num(t, a, "capacity") != 10 || num(t, a, "spaceUsed") != 12345 || num(t, a, "spaceStatus") != 0 || num(t, a, "role") != 1 || num(t, a, "status") != 2 {
			t.Errorf("alice %v, want capacity 10, spaceUsed 12345, spaceStatus 0, role 1, status 2", a)
		}
		if b := users[2].(map[string]any); num(t, b, "spaceStatus") != 1 || num(t, b, "capacity") != 5 {
			t.Errorf("bob %v, want spaceStatus 1 and capacity 5", b)
		}
	})
	for _, tc := range []struct {
		name, query string
		want        []string
		total       int
	}{
		{"SpaceStatusNormal", "spaceStatus=0&offset=0&limit=100", []string{"alice"}, 1},
		{"SpaceStatusDisabled", "spaceStatus=1&offset=0&limit=100", []string{"bob"}, 1},
		{"KeyWordName", "keyWord=LIDDELL&offset=0&limit=100", []string{"alice"}, 1},
		{"KeyWordMobile", "keyWord=13800000001&offset=0&limit=100", []string{"alice"}, 1},
		{"KeyWordOtherMobile", "keyWord=1390000&offset=0&limit=100", []string{"carol"}, 1},
		{"KeyWordNone", "keyWord=zzz&offset=0&limit=100", []string{}, 0},
		{"Subtree", "deptId=" + sales + "&offset=0&limit=100", []string{"alice", "bob"}, 2},
		{"Direct", "deptId=" + sales + "&isDirect=true&offset=0&limit=100", []string{"alice"}, 1},
		{"DirectAndStatus", "deptId=" + emea + "&isDirect=true&spaceStatus=1&offset=0&limit=100", []string{"bob"}, 1},
		{"Page", "offset=1&limit=2", []string{"alice", "bob"}, 4},
		{"LastPage", "offset=3&limit=2", []string{"carol"}, 4},
		{"PastTheEnd", "offset=10&limit=2", []string{}, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := spaceUserIDs(t, s.do(t, "GET", "/space/userList?"+tc.query, s.Admin, nil), tc.total)
			if !slices.Equal(got, tc.want) {
				t.Errorf("users %v, want %v", got, tc.want)
			}
		})
	}
	for _, tc := range []struct{ name, query, field string }{
		{"ErrNoOffset", "limit=10", "offset"},
		{"ErrNoLimit", "offset=0", "limit"},
		{"ErrLimitZero", "offset=0&limit=0", "limit"},
		{"ErrLimitTooBig", "offset=0&limit=101", "limit"},
		{"ErrOffsetNegative", "offset=-1&limit=10", "offset"},
		{"ErrSpaceStatus", "offset=0&limit=10&spaceStatus=2", "spaceStatus"},
		{"ErrSpaceStatusText", "offset=0&limit=10&spaceStatus=on", "spaceStatus"},
		{"ErrIsDirect", "offset=0&limit=10&isDirect=maybe", "isDirect"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s.do(t, "GET", "/space/userList?"+tc.query, s.Admin, nil).wantError(t, 400, 13000102, tc.field)
		})
	}
	t.Run("ErrUnknownDept", func(t *testing.T) {
		s.do(t, "GET", "/space/userList?offset=0&limit=10&deptId=1575416580416769793", s.Admin, nil).wantError(t, 404, 13000309, "deptId")
	})
}

// spaceDepartments returns the departments of a /space/departmentList reply
// by name, checking its total (a String) and each item's shape.
func spaceDepartments(t testing.TB, r reply, total int) (names []string, byName map[string]map[string]any) {
	t.Helper()
	r.wantOK(t)
	if got := str(t, r.Body, "total"); got != fmt.Sprint(total) {
		t.Errorf("total %q, want %q", got, fmt.Sprint(total))
	}
	items, ok := r.Body["departments"].([]any)
	if !ok {
		t.Fatalf("departments is not an array: %s", r.Raw)
	}
	kinds := map[string]byte{"id": 's', "parentId": 's', "name": 's', "tenantId": 's', "ownerId": 's', "status": 'n',
		"capacity": 'n', "spaceUsed": 'n', "containerId": 's', "userNum": 'n'}
	names, byName = []string{}, map[string]map[string]any{}
	for _, it := range items {
		d := it.(map[string]any)
		name := str(t, d, "name")
		wantJSONShape(t, "department "+name, d, kinds)
		if d["ownerId"] != d["id"] || d["containerId"] == "" {
			t.Errorf("department %s: ownerId %v, id %v, containerId %v; want the department as owner and a container", name, d["ownerId"], d["id"], d["containerId"])
		}
		names = append(names, name)
		byName[name] = d
	}
	return names, byName
}

func TestSpaces_DepartmentList(t *testing.T) {
	s := startServer(t)
	sales := s.createDept(t, s.Admin, s.Root, "Sales")
	emea := s.createDept(t, s.Admin, sales, "Sales EMEA")
	support := s.createDept(t, s.Admin, s.Root, "Support")
	s.createUser(t, s.Admin, map[string]any{"userId": "alice", "modifyUserInfoReq": map[string]any{"deptId": sales}})
	s.createUser(t, s.Admin, map[string]any{"userId": "bob", "modifyUserInfoReq": map[string]any{"deptId": emea}})
	s.createUser(t, s.Admin, map[string]any{"userId": "carol", "modifyUserInfoReq": map[string]any{"deptId": emea}})
	s.spaceAlloc(t, s.Admin, sales, 0, 7)
	s.spaceReport(t, str(t, s.spaceGet(t, sales, 0), "containerId"), 999)

	t.Run("All", func(t *testing.T) {
		names, by := spaceDepartments(t, s.do(t, "GET", "/space/departmentList?offset=0&limit=100", s.Admin, nil), 4)
		if len(names) != 4 || names[0] != "Organization" {
			t.Fatalf("departments %v, want the root first and 4 in all", names)
		}
		for name, want := range map[string][3]int{ // userNum, capacity, spaceUsed
			"Organization": {1, 0, 0}, "Sales": {1, 7, 999}, "Sales EMEA": {2, 0, 0}, "Support": {0, 0, 0},
		} {
			d := by[name]
			if d == nil {
				t.Errorf("%s is not listed", name)
				continue
			}
			got := [3]int{num(t, d, "userNum"), num(t, d, "capacity"), num(t, d, "spaceUsed")}
			if got != want {
				t.Errorf("%s: userNum, capacity, spaceUsed = %v, want %v", name, got, want)
			}
		}
		if by["Organization"]["parentId"] != "0" || by["Sales EMEA"]["parentId"] != sales || by["Support"]["id"] != support {
			t.Errorf("ids or parents wrong: %v", by)
		}
	})
	t.Run("KeyWord", func(t *testing.T) {
		names, _ := spaceDepartments(t, s.do(t, "GET", "/space/departmentList?keyWord=emea&offset=0&limit=100", s.Admin, nil), 1)
		if !slices.Equal(names, []string{"Sales EMEA"}) {
			t.Errorf("departments %v, want Sales EMEA", names)
		}
		names, _ = spaceDepartments(t, s.do(t, "GET", "/space/departmentList?keyWord=SALES&offset=0&limit=100", s.Admin, nil), 2)
		if len(names) != 2 {
			t.Errorf("departments %v, want Sales and Sales EMEA", names)
		}
		spaceDepartments(t, s.do(t, "GET", "/space/departmentList?keyWord=zzz&offset=0&limit=100", s.Admin, nil), 0)
	})
	t.Run("Page", func(t *testing.T) {
		first, _ := spaceDepartments(t, s.do(t, "GET", "/space/departmentList?offset=0&limit=2", s.Admin, nil), 4)
		second, _ := spaceDepartments(t, s.do(t, "GET", "/space/departmentList?offset=2&limit=2", s.Admin, nil), 4)
		all := append(first, second...)
		slices.Sort(all)
		if !slices.Equal(all, []string{"Organization", "Sales", "Sales EMEA", "Support"}) {
			t.Errorf("two pages hold %v, want every department once", all)
		}
	})
	for _, tc := range []struct{ name, query, field string }{
		{"ErrNoOffset", "limit=10", "offset"},
		{"ErrNoLimit", "offset=0", "limit"},
		{"ErrLimitTooBig", "offset=0&limit=101", "limit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s.do(t, "GET", "/space/departmentList?"+tc.query, s.Admin, nil).wantError(t, 400, 13000102, tc.field)
		})
	}
}

func TestSpaces_UsageAgrees(t *testing.T) {
	s := startServer(t, "--capacity-gb", "100", "--max-users", "50")
	sales := s.createDept(t, s.Admin, s.Root, "Sales")
	alice := s.createUser(t, s.Admin, map[string]any{"userId": "alice"})
	bob := s.createUser(t, s.Admin, map[string]any{"userId": "bob"})
	s.spaceAlloc(t, s.Admin, sales, 0, 7)
	s.spaceAlloc(t, s.Admin, alice, 1, 10)
	s.spaceAlloc(t, s.Admin, bob, 1, 5)
	const aliceUsed, salesUsed = oneGB + oneGB/2, 1000
	s.spaceReport(t, str(t, s.spaceGet(t, alice, 1), "containerId"), aliceUsed)
	s.spaceReport(t, str(t, s.spaceGet(t, sales, 0), "containerId"), salesUsed)
	const used = aliceUsed + salesUsed

	t.Run("Allocation", func(t *testing.T) {
		if got, want := s.spaceTotals(t), map[int]int{0: 7, 1: 15, 2: 0}; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("allocation by type %v, want %v", got, want)
		}
	})
	t.Run("Overview", func(t *testing.T) {
		r := s.do(t, "GET", "/space/usage/overview", s.Admin, nil)
		r.wantOK(t)
		d := r.data(t)
		want := map[string]int{"totalAllocation": 22, "totalCapacity": 100, "totalUsed": (used + 1023) / 1024, "quota": 78}
		for k, v := range want {
			if got := num(t, d, k); got != v {
				t.Errorf("%s = %d, want %d", k, got, v)
			}
		}
	})
	t.Run("QuotaUsed", func(t *testing.T) {
		r := s.do(t, "GET", "/service/quotaUsed", s.Admin, nil)
		r.wantOK(t)
		d := r.data(t)
		want := map[string]int{
			"spaceCapacity": 100, "spaceQuotaUsed": 2, "spaceUsed": used, "userCount": 3, "userMaxCount": 50,
			"deptSpaceQuota": 7, "personalSpaceQuota": 15, "groupSpaceQuota": 0, "reservedSpaceQuota": 78,
			"deptSpaceUsed": salesUsed, "personalSpaceUsed": aliceUsed, "groupSpaceUsed": 0,
			"deptSpaceQuotaUsed": 1, "personalSpaceQuotaUsed": 2, "groupSpaceQuotaUsed": 0,
		}
		for k, v := range want {
			if got := num(t, d, k); got != v {
				t.Errorf("%s = %d, want %d", k, got, v)
			}
		}
		if got := s.count(t); got != num(t, d, "userCount") {
			t.Errorf("userCount %d, users/count %d", num(t, d, "userCount"), got)
		}
	})
	t.Run("Organization", func(t *testing.T) {
		if o := s.orgGet(t); num(t, o, "allocatedGb") != 22 || num(t, o, "unallocatedGb") != 78 || num(t, o, "capacityGb") != 100 {
			t.Errorf("organization %v, want 22 of 100 GB allocated", o)
		}
	})
	t.Run("AfterRelease", func(t *testing.T) {
		s.do(t, "DELETE", "/space/"+bob+"?type=1", s.Admin, nil).wantOK(t)
		if got, want := s.spaceTotals(t), map[int]int{0: 7, 1: 10, 2: 0}; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("allocation by type %v, want %v", got, want)
		}
		r := s.do(t, "GET", "/space/usage/overview", s.Admin, nil)
		r.wantOK(t)
		if got := num(t, r.data(t), "totalAllocation"); got != 17 {
			t.Errorf("totalAllocation %d, want 17", got)
		}
	})
}
