package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// oneGB is KooDrive's unit of capacity, in bytes (spaceUsed is in bytes).
const oneGB = 1 << 30

const orgSettingsPath = "/koodrive/admin/v1/organization"

// orgGet returns the organization's settings and totals, read by the system
// administrator.
func (s *server) orgGet(t testing.TB) map[string]any {
	t.Helper()
	r := s.do(t, "GET", orgSettingsPath, s.Admin, nil)
	r.wantOK(t)
	return r.data(t)
}

// spaceAlloc allocates a space of type typ to owner as the caller of token
// and returns the space.
func (s *server) spaceAlloc(t testing.TB, token, owner string, typ, capacity int) map[string]any {
	t.Helper()
	r := s.do(t, "POST", "/space/"+owner, token, map[string]any{"capacity": fmt.Sprint(capacity), "type": typ})
	r.wantOK(t)
	return r.data(t)
}

// spaceGet returns a space, read by the system administrator.
func (s *server) spaceGet(t testing.TB, owner string, typ int) map[string]any {
	t.Helper()
	r := s.do(t, "GET", fmt.Sprintf("/space/%s?type=%d", owner, typ), s.Admin, nil)
	r.wantOK(t)
	return r.data(t)
}

// spaceReport reports, as the system administrator, that a container holds
// used bytes.
func (s *server) spaceReport(t testing.TB, container string, used int64) {
	t.Helper()
	s.do(t, "PUT", "/koodrive/admin/v1/spaces/"+container+"/usage", s.Admin, map[string]any{"spaceUsed": used}).wantOK(t)
}

// spaceTotals returns allocateCapacity by space type from
// /space/allocation/get, checking that every item's totalCapacity is the
// organization's capacity.
func (s *server) spaceTotals(t testing.TB) map[int]int {
	t.Helper()
	r := s.do(t, "GET", "/space/allocation/get", s.Admin, nil)
	r.wantOK(t)
	items, ok := r.Body["data"].([]any)
	if !ok {
		t.Fatalf("allocation/get: data is not an array: %s", r.Raw)
	}
	capacity := num(t, s.orgGet(t), "capacityGb")
	out := map[int]int{}
	for _, it := range items {
		m := it.(map[string]any)
		if got := num(t, m, "totalCapacity"); got != capacity {
			t.Errorf("allocation/get: totalCapacity %d, want the organization's %d", got, capacity)
		}
		out[num(t, m, "type")] = num(t, m, "allocateCapacity")
	}
	return out
}

// wantJSONShape fails unless m has exactly the keys of kinds, each with
// its JSON type: 'n' a number, 's' a string.
func wantJSONShape(t testing.TB, what string, m map[string]any, kinds map[string]byte) {
	t.Helper()
	for key, kind := range kinds {
		v, ok := m[key]
		switch {
		case !ok:
			t.Errorf("%s: no %q in %v", what, key, m)
		case kind == 'n':
			if _, isNum := v.(json.Number); !isNum {
				t.Errorf("%s: %s is %T (%v), want a JSON number", what, key, v, v)
			}
		case kind == 's':
			if _, isStr := v.(string); !isStr {
				t.Errorf("%s: %s is %T (%v), want a JSON string", what, key, v, v)
			}
		}
	}
	for key := range m {
		if _, ok := kinds[key]; !ok {
			t.Errorf("%s: unexpected key %q", what, key)
		}
	}
}

// createSpaceRspInfo's fields, as KooDrive's CreateSpace page lists them.
var spaceInfoKinds = map[string]byte{
	"type": 'n', "status": 'n', "ownerId": 's', "containerId": 's', "bizRootFileId": 's', "bizSboxFileId": 's',
	"rootFileId": 's', "capacity": 'n', "spaceUsed": 'n', "tenantId": 's', "creator": 's', "modifier": 's', "operatorId": 's',
}

func TestSpaces_Personal(t *testing.T) {
	s := startServer(t, "--capacity-gb", "100")
	u := s.createUser(t, s.Admin, map[string]any{"userId": "alice"})

	t.Run("NoneUntilAllocated", func(t *testing.T) {
		s.do(t, "GET", "/space/"+u+"?type=1", s.Admin, nil).wantError(t, 404, 13000309, u)
		s.do(t, "PUT", "/space/"+u, s.Admin, map[string]any{"type": 1, "capacity": "5"}).wantError(t, 404, 13000309, u)
		s.do(t, "DELETE", "/space/"+u+"?type=1", s.Admin, nil).wantError(t, 404, 13000309, u)
	})
	t.Run("CreateCapacityAsString", func(t *testing.T) {
		r := s.do(t, "POST", "/space/"+u, s.Admin, map[string]any{"capacity": "10", "type": 1})
		r.wantOK(t)
		d := r.data(t)
		if num(t, d, "type") != 1 || num(t, d, "capacity") != 10 || num(t, d, "status") != 0 || d["ownerId"] != u {
			t.Errorf("created space %v, want type 1, capacity 10, status 0, owner %s", d, u)
		}
		if got := num(t, s.spaceGet(t, u, 1), "capacity"); got != 10 {
			t.Errorf("GET capacity %d, want 10", got)
		}
		if o := s.orgGet(t); num(t, o, "allocatedGb") != 10 || num(t, o, "unallocatedGb") != 90 {
			t.Errorf("organization %v, want 10 GB allocated and 90 unallocated", o)
		}
	})
	t.Run("CreateCapacityAsNumberTypeAsString", func(t *testing.T) {
		bob := s.createUser(t, s.Admin, map[string]any{"userId": "bob"})
		r := s.do(t, "POST", "/space/"+bob, s.Admin, `{"capacity":10,"type":"1"}`)
		r.wantOK(t)
		if d := r.data(t); num(t, d, "capacity") != 10 || num(t, d, "type") != 1 {
			t.Errorf("space %v, want capacity 10 type 1", d)
		}
		// GET takes the type as a query string; the space is the same.
		if got := num(t, s.spaceGet(t, bob, 1), "capacity"); got != 10 {
			t.Errorf("capacity %d, want 10", got)
		}
	})
	t.Run("ErrAllocatedTwice", func(t *testing.T) {
		s.do(t, "POST", "/space/"+u, s.Admin, map[string]any{"capacity": "1", "type": 1}).wantError(t, 409, 13000102, "PUT")
		if got := num(t, s.spaceGet(t, u, 1), "capacity"); got != 10 {
			t.Errorf("capacity %d after a refused second allocation, want 10", got)
		}
	})
	t.Run("Resize", func(t *testing.T) {
		r := s.do(t, "PUT", "/space/"+u, s.Admin, map[string]any{"type": "1", "capacity": 12})
		r.wantOK(t)
		if got := num(t, r.data(t), "capacity"); got != 12 {
			t.Errorf("PUT answered capacity %d, want 12", got)
		}
		s.do(t, "PUT", "/space/"+u, s.Admin, map[string]any{"type": 1, "capacity": "8"}).wantOK(t)
		if got := num(t, s.spaceGet(t, u, 1), "capacity"); got != 8 {
			t.Errorf("capacity %d, want 8", got)
		}
		if got := num(t, s.orgGet(t), "allocatedGb"); got != 18 {
			t.Errorf("allocated %d GB, want 18 (8 + 10)", got)
		}
	})
	t.Run("DisableEnable", func(t *testing.T) {
		s.do(t, "PUT", "/space/"+u, s.Admin, map[string]any{"type": 1, "status": "1"}).wantOK(t)
		sp := s.spaceGet(t, u, 1)
		if num(t, sp, "status") != 1 || num(t, sp, "capacity") != 8 {
			t.Errorf("space %v, want status 1 with capacity 8 kept", sp)
		}
		s.do(t, "PUT", "/space/"+u, s.Admin, map[string]any{"type": 1, "status": 0}).wantOK(t)
		if got := num(t, s.spaceGet(t, u, 1), "status"); got != 0 {
			t.Errorf("status %d, want 0", got)
		}
		s.do(t, "PUT", "/space/"+u, s.Admin, map[string]any{"type": 1, "status": "2"}).wantError(t, 400, 13000102, "status")
	})
	t.Run("DeleteReturnsCapacity", func(t *testing.T) {
		s.do(t, "DELETE", "/space/"+u+"?type=1", s.Admin, nil).wantOK(t)
		s.do(t, "GET", "/space/"+u+"?type=1", s.Admin, nil).wantError(t, 404, 13000309)
		if o := s.orgGet(t); num(t, o, "allocatedGb") != 10 || num(t, o, "unallocatedGb") != 90 {
			t.Errorf("organization %v after delete, want 10 GB allocated (bob's)", o)
		}
		// Released, it can be allocated afresh.
		s.spaceAlloc(t, s.Admin, u, 1, 4)
	})
	t.Run("ErrBadInput", func(t *testing.T) {
		carol := s.createUser(t, s.Admin, map[string]any{"userId": "carol"})
		for _, tc := range []struct {
			name, method, path string
			body               any
			status, code       int
			parts              []string
		}{
			{"ErrUnknownUser", "POST", "/space/1316083732377070977", map[string]any{"capacity": "1", "type": 1}, 404, 13000309, []string{"1316083732377070977"}},
			{"ErrUnknownDepartment", "POST", "/space/1316083732377070977", map[string]any{"capacity": "1", "type": 0}, 404, 13000309, []string{"1316083732377070977"}},
			{"ErrOwnerNotAnID", "POST", "/space/alice", map[string]any{"capacity": "1", "type": 1}, 400, 13000102, []string{"ownerId"}},
			{"ErrTypeGroup", "POST", "/space/" + carol, map[string]any{"capacity": "1", "type": 2}, 400, 13000102, []string{"type"}},
			{"ErrTypeMissing", "POST", "/space/" + carol, map[string]any{"capacity": "1"}, 400, 13000102, []string{"type"}},
			{"ErrCapacityMissing", "POST", "/space/" + carol, map[string]any{"type": 1}, 400, 13000102, []string{"capacity"}},
			{"ErrCapacityText", "POST", "/space/" + carol, map[string]any{"capacity": "ten", "type": 1}, 400, 13000102, []string{"capacity"}},
			{"ErrCapacityFraction", "POST", "/space/" + carol, map[string]any{"capacity": 1.5, "type": 1}, 400, 13000102, []string{"capacity"}},
			{"ErrCapacityNegative", "POST", "/space/" + carol, map[string]any{"capacity": -1, "type": 1}, 400, 13000102, []string{"capacity"}},
			{"ErrCapacityAboveKooDriveLimit", "POST", "/space/" + carol, map[string]any{"capacity": "104857601", "type": 1}, 400, 13000102, []string{"capacity", "104857600"}},
			{"ErrCapacityObject", "POST", "/space/" + carol, map[string]any{"capacity": map[string]any{}, "type": 1}, 400, 13000101, []string{"capacity"}},
			{"ErrGetTypeMissing", "GET", "/space/" + carol, nil, 400, 13000102, []string{"type"}},
			{"ErrDeleteTypeMissing", "DELETE", "/space/" + carol, nil, 400, 13000102, []string{"type"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := num(t, s.orgGet(t), "allocatedGb")
				s.do(t, tc.method, tc.path, s.Admin, tc.body).wantError(t, tc.status, tc.code, tc.parts...)
				if got := num(t, s.orgGet(t), "allocatedGb"); got != before {
					t.Errorf("allocated %d GB after a refused request, want %d", got, before)
				}
			})
		}
	})
}

func TestSpaces_TeamSpace(t *testing.T) {
	s := startServer(t, "--capacity-gb", "100")
	sales := s.createDept(t, s.Admin, s.Root, "Sales")

	t.Run("ExistsRightAway", func(t *testing.T) {
		for _, dept := range []string{s.Root, sales} {
			sp := s.spaceGet(t, dept, 0)
			if num(t, sp, "type") != 0 || num(t, sp, "capacity") != 0 || sp["ownerId"] != dept || str(t, sp, "containerId") == "" {
				t.Errorf("team space of %s: %v, want type 0, capacity 0, a container", dept, sp)
			}
		}
	})
	t.Run("ErrFirstAllocationZero", func(t *testing.T) {
		s.do(t, "POST", "/space/"+sales, s.Admin, map[string]any{"capacity": "0", "type": 0}).wantError(t, 400, 13000102, "first allocation")
		s.do(t, "PUT", "/space/"+sales, s.Admin, map[string]any{"capacity": 0, "type": 0}).wantError(t, 400, 13000102, "first allocation")
	})
	t.Run("Allocate", func(t *testing.T) {
		container := str(t, s.spaceGet(t, sales, 0), "containerId")
		sp := s.spaceAlloc(t, s.Admin, sales, 0, 5)
		if num(t, sp, "capacity") != 5 || sp["containerId"] != container {
			t.Errorf("space %v, want capacity 5 in the same container %s", sp, container)
		}
		s.do(t, "POST", "/space/"+sales, s.Admin, map[string]any{"capacity": "1", "type": "0"}).wantError(t, 409, 13000102)
	})
	t.Run("ResizeToZeroOnceAllocated", func(t *testing.T) {
		// Only the first allocation must be more than 0.
		s.do(t, "PUT", "/space/"+sales, s.Admin, map[string]any{"capacity": "0", "type": 0}).wantOK(t)
		s.do(t, "PUT", "/space/"+sales, s.Admin, map[string]any{"capacity": "6", "type": 0}).wantOK(t)
	})
	t.Run("DeleteKeepsTheTeamSpace", func(t *testing.T) {
		s.do(t, "DELETE", "/space/"+sales+"?type=0", s.Admin, nil).wantOK(t)
		sp := s.spaceGet(t, sales, 0)
		if num(t, sp, "capacity") != 0 {
			t.Errorf("team space after delete: %v, want capacity 0", sp)
		}
		if got := num(t, s.orgGet(t), "allocatedGb"); got != 0 {
			t.Errorf("allocated %d GB, want 0", got)
		}
		// Released, its next allocation is a first one again.
		s.do(t, "POST", "/space/"+sales, s.Admin, map[string]any{"capacity": 0, "type": 0}).wantError(t, 400, 13000102)
		s.spaceAlloc(t, s.Admin, sales, 0, 2)
	})
}

func TestSpaces_AllocationRules(t *testing.T) {
	s := startServer(t, "--capacity-gb", "100")
	alice := s.createUser(t, s.Admin, map[string]any{"userId": "alice"})
	bob := s.createUser(t, s.Admin, map[string]any{"userId": "bob"})
	dept := s.createDept(t, s.Admin, s.Root, "Sales")
	allocated := func(t *testing.T) int { t.Helper(); return num(t, s.orgGet(t), "allocatedGb") }

	t.Run("ErrFirstAllocationZero", func(t *testing.T) {
		for lang, part := range map[string]string{"en-US": "first allocation of a space cannot be 0", "zh-CN": "首次分配的容量不能为 0"} {
			s.do(t, "POST", "/space/"+alice, s.Admin, map[string]any{"capacity": "0", "type": 1}, "language", lang).wantError(t, 400, 13000102, part)
			s.do(t, "POST", "/space/"+dept, s.Admin, map[string]any{"capacity": 0, "type": 0}, "language", lang).wantError(t, 400, 13000102, part)
		}
		s.do(t, "GET", "/space/"+alice+"?type=1", s.Admin, nil).wantError(t, 404, 13000309)
	})
	t.Run("ErrMoreThanUnallocated", func(t *testing.T) {
		s.spaceAlloc(t, s.Admin, alice, 1, 60)
		for lang, parts := range map[string][]string{
			"en-US": {"insufficient space", "50 GB more is needed", "40 GB"},
			"zh-CN": {"空间不足", "还需要 50 GB", "仅剩 40 GB"},
		} {
			s.do(t, "POST", "/space/"+bob, s.Admin, map[string]any{"capacity": "50", "type": 1}, "language", lang).wantError(t, 400, 13000311, parts...)
			s.do(t, "POST", "/space/"+dept, s.Admin, map[string]any{"capacity": "50", "type": 0}, "language", lang).wantError(t, 400, 13000311, parts...)
			// A resize needs only what it adds: 60 to 110 needs 50 more.
			s.do(t, "PUT", "/space/"+alice, s.Admin, map[string]any{"capacity": "110", "type": 1}, "language", lang).wantError(t, 400, 13000311, parts...)
		}
		if got := allocated(t); got != 60 {
			t.Errorf("allocated %d GB after refusals, want 60", got)
		}
		// Exactly what is left is enough, for a new space and for a resize.
		s.spaceAlloc(t, s.Admin, bob, 1, 30)
		s.do(t, "PUT", "/space/"+alice, s.Admin, map[string]any{"capacity": "70", "type": 1}).wantOK(t)
		if got := allocated(t); got != 100 {
			t.Errorf("allocated %d GB, want all 100", got)
		}
		s.do(t, "POST", "/space/"+dept, s.Admin, map[string]any{"capacity": "1", "type": 0}).wantError(t, 400, 13000311, "1 GB more", "0 GB")
		s.do(t, "PUT", "/space/"+bob, s.Admin, map[string]any{"capacity": "20", "type": 1}).wantOK(t)
		s.do(t, "PUT", "/space/"+alice, s.Admin, map[string]any{"capacity": "10", "type": 1}).wantOK(t)
	})
	t.Run("ErrLessThanUsed", func(t *testing.T) {
		container := str(t, s.spaceGet(t, alice, 1), "containerId")
		s.spaceReport(t, container, 3*oneGB)
		if got := num(t, s.spaceGet(t, alice, 1), "spaceUsed"); got != 3*oneGB {
			t.Errorf("spaceUsed %d, want %d bytes", got, 3*oneGB)
		}
		for lang, part := range map[string]string{"en-US": "cannot be less than the 3 GB", "zh-CN": "不能小于空间已使用的 3 GB"} {
			s.do(t, "PUT", "/space/"+alice, s.Admin, map[string]any{"capacity": "2", "type": 1}, "language", lang).wantError(t, 400, 13000102, part)
		}
		if got := num(t, s.spaceGet(t, alice, 1), "capacity"); got != 10 {
			t.Errorf("capacity %d after a refused shrink, want 10", got)
		}
		s.do(t, "PUT", "/space/"+alice, s.Admin, map[string]any{"capacity": "3", "type": 1}).wantOK(t)
		// One byte more than 3 GB occupies a fourth.
		s.spaceReport(t, container, 3*oneGB+1)
		s.do(t, "PUT", "/space/"+alice, s.Admin, map[string]any{"capacity": 3, "type": 1}).wantError(t, 400, 13000102, "4 GB")
	})
	t.Run("ErrDeleteWhileHoldingData", func(t *testing.T) {
		container := str(t, s.spaceGet(t, alice, 1), "containerId")
		s.do(t, "DELETE", "/space/"+alice+"?type=1", s.Admin, nil).wantError(t, 400, 13000102, "4 GB")
		s.spaceGet(t, alice, 1)
		teamContainer := str(t, s.spaceGet(t, dept, 0), "containerId")
		s.spaceAlloc(t, s.Admin, dept, 0, 1)
		s.spaceReport(t, teamContainer, 10)
		s.do(t, "DELETE", "/space/"+dept+"?type=0", s.Admin, nil).wantError(t, 400, 13000102, "1 GB")
		before := allocated(t)
		s.spaceReport(t, container, 0)
		s.do(t, "DELETE", "/space/"+alice+"?type=1", s.Admin, nil).wantOK(t)
		if got := allocated(t); got != before-3 {
			t.Errorf("allocated %d GB after releasing 3, want %d", got, before-3)
		}
	})
	t.Run("ErrReportUsage", func(t *testing.T) {
		s.do(t, "PUT", "/koodrive/admin/v1/spaces/nosuchcontainer/usage", s.Admin, map[string]any{"spaceUsed": 1}).wantError(t, 404, 13000309, "nosuchcontainer")
		container := str(t, s.spaceGet(t, bob, 1), "containerId")
		s.do(t, "PUT", "/koodrive/admin/v1/spaces/"+container+"/usage", s.Admin, map[string]any{"spaceUsed": -1}).wantError(t, 400, 13000102, "spaceUsed")
		s.do(t, "PUT", "/koodrive/admin/v1/spaces/"+container+"/usage", s.Admin, map[string]any{}).wantError(t, 400, 13000102, "spaceUsed")
	})
}

func TestSpaces_ResponseShape(t *testing.T) {
	s := startServer(t)
	admin := s.adminID(t)
	org := str(t, s.orgGet(t), "id")
	u := s.createUser(t, s.Admin, map[string]any{"userId": "alice"})
	driveAdmin, driveToken := s.userIn(t, "drive", s.Root, 3)

	r := s.do(t, "POST", "/space/"+u, s.Admin, map[string]any{"capacity": "10", "type": 1})
	r.wantOK(t)
	created := r.data(t)
	wantJSONShape(t, "POST /space", created, spaceInfoKinds)
	container := str(t, created, "containerId")
	for key, want := range map[string]string{
		"ownerId": u, "tenantId": org, "creator": admin, "modifier": admin, "operatorId": admin,
	} {
		if got := created[key]; got != want {
			t.Errorf("%s = %v, want %s", key, got, want)
		}
	}
	if container == "" || created["bizRootFileId"] == "" || created["bizSboxFileId"] == "" || created["rootFileId"] == "" {
		t.Errorf("empty container or file IDs: %v", created)
	}
	if num(t, created, "spaceUsed") != 0 {
		t.Errorf("spaceUsed %v, want 0", created["spaceUsed"])
	}

	got := s.spaceGet(t, u, 1)
	wantJSONShape(t, "GET /space", got, spaceInfoKinds)
	for key := range spaceInfoKinds {
		if fmt.Sprint(got[key]) != fmt.Sprint(created[key]) {
			t.Errorf("GET %s = %v, POST answered %v", key, got[key], created[key])
		}
	}

	// A change by someone else: the creator stays, the modifier is the one
	// who changed it.
	r = s.do(t, "PUT", "/space/"+u, driveToken, map[string]any{"capacity": "11", "type": 1})
	r.wantOK(t)
	wantJSONShape(t, "PUT /space", r.data(t), spaceInfoKinds)
	after := s.spaceGet(t, u, 1)
	if after["creator"] != admin || after["modifier"] != driveAdmin || after["operatorId"] != driveAdmin || after["containerId"] != container {
		t.Errorf("after a change by %s: %v, want creator %s, modifier and operatorId %s, container %s", driveAdmin, after, admin, driveAdmin, container)
	}

	team := s.spaceGet(t, s.Root, 0)
	wantJSONShape(t, "GET team space", team, spaceInfoKinds)
	if team["ownerId"] != s.Root || team["tenantId"] != org {
		t.Errorf("team space %v, want owner %s and tenant %s", team, s.Root, org)
	}
}

func TestSpaces_RoleScope(t *testing.T) {
	s := startServer(t)
	a := s.createDept(t, s.Admin, s.Root, "A")
	a1 := s.createDept(t, s.Admin, a, "A1")
	b := s.createDept(t, s.Admin, s.Root, "B")
	n := 0
	userIn := func(dept string) string {
		n++
		return s.createUser(t, s.Admin, map[string]any{"userId": fmt.Sprintf("target%d", n), "modifyUserInfoReq": map[string]any{"deptId": dept}})
	}
	_, deptAdmin := s.userIn(t, "dept-admin", a, 0)
	_, manager := s.userIn(t, "manager", a, 5)
	_, drive := s.userIn(t, "drive", a, 3)
	common, commonToken := s.userIn(t, "common", a, 1)
	inside, outside := userIn(a1), userIn(b)
	s.spaceAlloc(t, s.Admin, inside, 1, 1)
	s.spaceAlloc(t, s.Admin, outside, 1, 1)
	s.spaceAlloc(t, s.Admin, common, 1, 1)

	post := func(owner string, typ int) (string, string, any) {
		return "POST", "/space/" + owner, map[string]any{"capacity": "1", "type": typ}
	}
	put := func(owner string, typ int) (string, string, any) {
		return "PUT", "/space/" + owner, map[string]any{"capacity": "2", "type": typ}
	}
	get := func(owner string, typ int) (string, string, any) {
		return "GET", fmt.Sprintf("/space/%s?type=%d", owner, typ), nil
	}
	del := func(owner string, typ int) (string, string, any) {
		return "DELETE", fmt.Sprintf("/space/%s?type=%d", owner, typ), nil
	}
	type call struct {
		name   string
		token  string
		req    func() (string, string, any)
		status int
	}
	calls := []call{
		{"DeptAdmin/AllocateInside", deptAdmin, func() (string, string, any) { return post(userIn(a1), 1) }, 200},
		{"DeptAdmin/AllocateOwnDepartment", deptAdmin, func() (string, string, any) { return put(a, 0) }, 200},
		{"DeptAdmin/ResizeTeamInside", deptAdmin, func() (string, string, any) { return put(a1, 0) }, 200},
		{"DeptAdmin/ReadInside", deptAdmin, func() (string, string, any) { return get(inside, 1) }, 200},
		{"DeptAdmin/ReleaseInside", deptAdmin, func() (string, string, any) { return del(a1, 0) }, 200},
		{"DeptAdmin/ErrAllocateOutside", deptAdmin, func() (string, string, any) { return post(userIn(b), 1) }, 403},
		{"DeptAdmin/ErrAllocateTeamOutside", deptAdmin, func() (string, string, any) { return post(b, 0) }, 403},
		{"DeptAdmin/ErrResizeOutside", deptAdmin, func() (string, string, any) { return put(outside, 1) }, 403},
		{"DeptAdmin/ErrReadOutside", deptAdmin, func() (string, string, any) { return get(b, 0) }, 403},
		{"DeptAdmin/ErrReleaseOutside", deptAdmin, func() (string, string, any) { return del(outside, 1) }, 403},
		{"DeptAdmin/ErrParent", deptAdmin, func() (string, string, any) { return put(s.Root, 0) }, 403},

		{"DriveAdmin/AllocateOutside", drive, func() (string, string, any) { return post(userIn(b), 1) }, 200},
		{"DriveAdmin/AllocateTeamOutside", drive, func() (string, string, any) { return post(b, 0) }, 200},
		{"DriveAdmin/ResizeOutside", drive, func() (string, string, any) { return put(outside, 1) }, 200},
		{"DriveAdmin/ReadOutside", drive, func() (string, string, any) { return get(outside, 1) }, 200},
		{"DriveAdmin/ResizeRoot", drive, func() (string, string, any) { return put(s.Root, 0) }, 200},
		{"DriveAdmin/ReleaseOutside", drive, func() (string, string, any) { return del(b, 0) }, 200},

		{"MemberManager/ReadInside", manager, func() (string, string, any) { return get(inside, 1) }, 200},
		{"MemberManager/ReadTeamInside", manager, func() (string, string, any) { return get(a1, 0) }, 200},
		{"MemberManager/ErrReadOutside", manager, func() (string, string, any) { return get(outside, 1) }, 403},
		{"MemberManager/ErrAllocateInside", manager, func() (string, string, any) { return post(userIn(a1), 1) }, 403},
		{"MemberManager/ErrResizeInside", manager, func() (string, string, any) { return put(inside, 1) }, 403},
		{"MemberManager/ErrResizeTeamInside", manager, func() (string, string, any) { return put(a1, 0) }, 403},
		{"MemberManager/ErrReleaseInside", manager, func() (string, string, any) { return del(inside, 1) }, 403},

		{"CommonUser/ReadOwn", commonToken, func() (string, string, any) { return get(common, 1) }, 200},
		{"CommonUser/ErrReadOther", commonToken, func() (string, string, any) { return get(inside, 1) }, 403},
		{"CommonUser/ErrReadTeam", commonToken, func() (string, string, any) { return get(a, 0) }, 403},
		{"CommonUser/ErrResizeOwn", commonToken, func() (string, string, any) { return put(common, 1) }, 403},
		{"CommonUser/ErrReleaseOwn", commonToken, func() (string, string, any) { return del(common, 1) }, 403},
		{"CommonUser/ErrAllocateOther", commonToken, func() (string, string, any) { return post(userIn(a), 1) }, 403},
	}
	for _, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			method, path, body := c.req()
			before := num(t, s.orgGet(t), "allocatedGb")
			r := s.do(t, method, path, c.token, body)
			if c.status == http.StatusOK {
				r.wantOK(t)
				return
			}
			r.wantError(t, c.status, 13000410)
			if got := num(t, s.orgGet(t), "allocatedGb"); got != before {
				t.Errorf("allocated %d GB after a refused request, want %d", got, before)
			}
		})
	}
	t.Run("CommonUserSeesOwnSpace", func(t *testing.T) {
		r := s.do(t, "GET", "/space/"+common+"?type=1", commonToken, nil)
		r.wantOK(t)
		if got := num(t, r.data(t), "capacity"); got != 1 {
			t.Errorf("capacity %d, want 1", got)
		}
	})
	t.Run("DeptAdminListsItsSubtree", func(t *testing.T) {
		r := s.do(t, "GET", "/space/userList?offset=0&limit=100", deptAdmin, nil)
		r.wantOK(t)
		for _, it := range r.Body["users"].([]any) {
			if u := it.(map[string]any); u["deptId"] != a && u["deptId"] != a1 {
				t.Errorf("a department administrator of A lists %v of %v", u["userId"], u["deptName"])
			}
		}
		names, _ := spaceDepartments(t, s.do(t, "GET", "/space/departmentList?offset=0&limit=100", deptAdmin, nil), 2)
		if slices.Sort(names); !slices.Equal(names, []string{"A", "A1"}) {
			t.Errorf("departments %v, want A and A1", names)
		}
		s.do(t, "GET", "/space/userList?offset=0&limit=100&deptId="+b, deptAdmin, nil).wantError(t, 403, 13000410)
		s.do(t, "GET", "/space/userList?offset=0&limit=100", commonToken, nil).wantError(t, 403, 13000410)
		s.do(t, "GET", "/space/departmentList?offset=0&limit=100", commonToken, nil).wantError(t, 403, 13000410)
	})
	t.Run("UsageForAdministrators", func(t *testing.T) {
		for _, tok := range []string{deptAdmin, manager, drive} {
			s.do(t, "GET", "/space/usage/overview", tok, nil).wantOK(t)
			s.do(t, "GET", "/service/quotaUsed", tok, nil).wantOK(t)
			s.do(t, "GET", "/space/allocation/get", tok, nil).wantOK(t)
		}
		s.do(t, "GET", "/space/usage/overview", commonToken, nil).wantError(t, 403, 13000410)
		s.do(t, "GET", "/service/quotaUsed", commonToken, nil).wantError(t, 403, 13000410)
		s.do(t, "GET", "/space/allocation/get", commonToken, nil).wantError(t, 403, 13000410)
	})
}

// TestSpaces_UsageReportedByStorage has the storage that keeps a space's
// files report what it holds, as an app acting for an administrator.
func TestSpaces_UsageReportedByStorage(t *testing.T) {
	s := startServer(t)
	dept := s.createDept(t, s.Admin, s.Root, "A")
	common, commonToken := s.userIn(t, "common", dept, 1)
	_, manager := s.userIn(t, "manager", dept, 5)
	_, drive := s.userIn(t, "drive", s.Root, 3)
	container := str(t, s.spaceAlloc(t, s.Admin, common, 1, 5), "containerId")
	path := "/koodrive/admin/v1/spaces/" + container + "/usage"
	used := func(t *testing.T) int { t.Helper(); return num(t, s.spaceGet(t, common, 1), "spaceUsed") }

	storage := s.newApp(t, "storage")
	s.signed(t, storage, s.adminID(t), "PUT", path, `{"spaceUsed":"1234"}`).wantOK(t)
	if got := used(t); got != 1234 {
		t.Errorf("spaceUsed %d after the app's report, want 1234", got)
	}
	s.do(t, "PUT", path, drive, map[string]any{"spaceUsed": 99}).wantOK(t)
	if got := used(t); got != 99 {
		t.Errorf("spaceUsed %d after the drive administrator's report, want 99", got)
	}
	for name, token := range map[string]string{"MemberManager": manager, "CommonUserOwnSpace": commonToken} {
		t.Run("Err"+name, func(t *testing.T) {
			s.do(t, "PUT", path, token, map[string]any{"spaceUsed": 5}).wantError(t, 403, 13000410)
		})
	}
	t.Run("ErrAppForCommonUser", func(t *testing.T) {
		s.signed(t, storage, common, "PUT", path, `{"spaceUsed":6}`).wantError(t, 403, 13000410)
	})
	if got := used(t); got != 99 {
		t.Errorf("spaceUsed %d after refused reports, want 99", got)
	}
}

// TestSpaces_ErrUsageOverflow reports the largest spaceUsed the API
// accepts (its range message says 9223372036854775807): either the report
// is refused, or the totals and messages built from it stay right. Totals
// never go negative, and the usage endpoints never fail.
func TestSpaces_ErrUsageOverflow(t *testing.T) {
	s := startServer(t)
	const huge = "9223372036854775807"
	owners := []string{
		s.createUser(t, s.Admin, map[string]any{"userId": "a"}),
		s.createUser(t, s.Admin, map[string]any{"userId": "b"}),
	}
	for i, owner := range owners {
		container := str(t, s.spaceAlloc(t, s.Admin, owner, 1, 5), "containerId")
		r := s.do(t, "PUT", "/koodrive/admin/v1/spaces/"+container+"/usage", s.Admin, `{"spaceUsed":`+huge+`}`)
		if r.Status != http.StatusOK {
			r.wantError(t, 400, 13000102, "spaceUsed")
			continue
		}
		t.Run(fmt.Sprintf("Space%d", i+1), func(t *testing.T) {
			overview := s.do(t, "GET", "/space/usage/overview", s.Admin, nil)
			overview.wantOK(t)
			if got := num(t, overview.data(t), "totalUsed"); got < 0 {
				t.Errorf("usage/overview totalUsed %d KB, want it not negative", got)
			}
			quota := s.do(t, "GET", "/service/quotaUsed", s.Admin, nil)
			quota.wantOK(t)
			for _, k := range []string{"spaceQuotaUsed", "personalSpaceQuotaUsed", "spaceUsed", "personalSpaceUsed"} {
				if got := num(t, quota.data(t), k); got < 0 {
					t.Errorf("quotaUsed %s %d, want it not negative", k, got)
				}
			}
			for _, r := range []reply{
				s.do(t, "PUT", "/space/"+owner, s.Admin, map[string]any{"type": 1, "capacity": 6}),
				s.do(t, "DELETE", "/space/"+owner+"?type=1", s.Admin, nil),
			} {
				r.wantError(t, 400, 13000102)
				if strings.Contains(r.msg(), "-") {
					t.Errorf("msg %q gives a negative amount", r.msg())
				}
			}
		})
	}
}
