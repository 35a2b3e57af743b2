package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
)

// dcDept returns GET /departments/{id}, read by the system administrator.
func dcDept(t testing.TB, s *server, id string) map[string]any {
	t.Helper()
	r := s.do(t, "GET", "/departments/"+id, s.Admin, nil)
	r.wantOK(t)
	return r.Body
}

// dcSnapshot returns every department reachable from the root as
// "id:parentId:name" lines in listing order, so that a test can check a
// refused request changed nothing in the tree.
func dcSnapshot(t testing.TB, s *server) string {
	t.Helper()
	var out string
	var walk func(parent string)
	walk = func(parent string) {
		r := s.do(t, "GET", "/departmentList?departmentId="+parent, s.Admin, nil)
		r.wantOK(t)
		for _, d := range r.list(t) {
			id := str(t, d, "id")
			out += fmt.Sprintf("%s:%s:%s\n", id, d["parentId"], d["name"])
			walk(id)
		}
	}
	root := dcDept(t, s, s.Root)
	out = fmt.Sprintf("%s:%s:%s\n", s.Root, root["parentId"], root["name"])
	walk(s.Root)
	return out
}

// dcChildren returns the IDs of a department's children.
func dcChildren(t testing.TB, s *server, parent string) []string {
	t.Helper()
	r := s.do(t, "GET", "/departmentList?departmentId="+parent, s.Admin, nil)
	r.wantOK(t)
	var ids []string
	for _, d := range r.list(t) {
		ids = append(ids, str(t, d, "id"))
	}
	return ids
}

// dcChain creates a chain of departments under parent, one per name, and
// returns their IDs from the top down.
func dcChain(t testing.TB, s *server, parent string, names ...string) []string {
	t.Helper()
	var ids []string
	for _, n := range names {
		parent = s.createDept(t, s.Admin, parent, n)
		ids = append(ids, parent)
	}
	return ids
}

func dcPut(t testing.TB, s *server, token, id string, body any, headers ...string) reply {
	t.Helper()
	return s.do(t, "PUT", "/departments/"+id, token, body, headers...)
}

func TestUpdateDepartment_Rename(t *testing.T) {
	s := startServer(t)
	a := s.createDept(t, s.Admin, s.Root, "Alpha")
	s.createDept(t, s.Admin, s.Root, "Beta")
	t.Run("OK", func(t *testing.T) {
		dcPut(t, s, s.Admin, a, map[string]any{"name": "Gamma", "parentId": s.Root}).wantOK(t)
		d := dcDept(t, s, a)
		if d["name"] != "Gamma" || d["parentId"] != s.Root {
			t.Errorf("department %v, want Gamma under the root", d)
		}
	})
	t.Run("ParentIDAsNumber", func(t *testing.T) {
		dcPut(t, s, s.Admin, a, `{"name": "Delta", "parentId": `+s.Root+`}`).wantOK(t)
		if got := dcDept(t, s, a)["name"]; got != "Delta" {
			t.Errorf("name %v, want Delta", got)
		}
	})
	t.Run("OwnNameInAnotherCase", func(t *testing.T) {
		dcPut(t, s, s.Admin, a, map[string]any{"name": "DELTA", "parentId": s.Root}).wantOK(t)
		if got := dcDept(t, s, a)["name"]; got != "DELTA" {
			t.Errorf("name %v, want DELTA", got)
		}
	})
	t.Run("UsersSeeTheNewName", func(t *testing.T) {
		u := s.createUser(t, s.Admin, map[string]any{"userId": "member", "modifyUserInfoReq": map[string]any{"deptId": a}})
		dcPut(t, s, s.Admin, a, map[string]any{"name": "Epsilon", "parentId": s.Root}).wantOK(t)
		if got := ucUser(t, s, u)["deptName"]; got != "Epsilon" {
			t.Errorf("deptName %v, want Epsilon", got)
		}
	})
	t.Run("ErrSiblingName", func(t *testing.T) {
		before := dcSnapshot(t, s)
		for _, name := range []string{"Beta", "bEtA"} {
			dcPut(t, s, s.Admin, a, map[string]any{"name": name, "parentId": s.Root}).wantError(t, http.StatusConflict, 13000102, name, "name")
		}
		dcPut(t, s, s.Admin, a, map[string]any{"name": "BETA", "parentId": s.Root}, "language", "zh-CN").wantError(t, http.StatusConflict, 13000102, "BETA", "已存在")
		if got := dcSnapshot(t, s); got != before {
			t.Errorf("tree after a refused rename:\n%s\nwant\n%s", got, before)
		}
	})
}

// TestUpdateDepartment_MoveSubtree moves A (with A1 > A11 and users in
// A11) from P to B and checks that the whole subtree went along.
func TestUpdateDepartment_MoveSubtree(t *testing.T) {
	s := startServer(t)
	p := s.createDept(t, s.Admin, s.Root, "P")
	chain := dcChain(t, s, p, "A", "A1", "A11") // levels 3, 4, 5
	a, a1, a11 := chain[0], chain[1], chain[2]
	b := s.createDept(t, s.Admin, s.Root, "B")
	var movers []string
	for i := range 3 {
		movers = append(movers, s.createUser(t, s.Admin, map[string]any{"userId": fmt.Sprintf("a11-%d", i), "modifyUserInfoReq": map[string]any{"deptId": a11}}))
	}
	s.createUser(t, s.Admin, map[string]any{"userId": "in-b", "modifyUserInfoReq": map[string]any{"deptId": b}})
	s.createUser(t, s.Admin, map[string]any{"userId": "in-p", "modifyUserInfoReq": map[string]any{"deptId": p}})
	if got := ucCount(t, s, p); got != 4 {
		t.Fatalf("users/count?deptId=P %d before the move, want 4", got)
	}

	dcPut(t, s, s.Admin, a, map[string]any{"name": "A", "parentId": b}).wantOK(t)

	if got := dcDept(t, s, a)["parentId"]; got != b {
		t.Errorf("parentId of A %v, want B %s", got, b)
	}
	for id, parent := range map[string]string{a1: a, a11: a1} {
		if got := dcDept(t, s, id)["parentId"]; got != parent {
			t.Errorf("parentId of %s %v, want %s", id, got, parent)
		}
	}
	for dept, want := range map[string]int{b: 4, p: 1, a: 3, a11: 3, "": 6} {
		if got := ucCount(t, s, dept); got != want {
			t.Errorf("users/count?deptId=%s %d, want %d", dept, got, want)
		}
	}
	listed := ucListIDs(t, s, "deptId="+b)
	for _, id := range movers {
		if !ucContains(listed, id) {
			t.Errorf("userList?deptId=B lacks %s of A11", id)
		}
		if ucContains(ucListIDs(t, s, "deptId="+p), id) {
			t.Errorf("userList?deptId=P still lists %s", id)
		}
		if got := ucUser(t, s, id)["deptId"]; got != a11 {
			t.Errorf("user %s deptId %v, want A11 %s", id, got, a11)
		}
	}
	if got := dcChildren(t, s, b); !ucContains(got, a) {
		t.Errorf("departmentList?departmentId=B %v, want A %s in it", got, a)
	}
	if got := dcChildren(t, s, p); ucContains(got, a) {
		t.Errorf("departmentList?departmentId=P %v still lists A", got)
	}

	// The levels moved too: A11 is still at level 5 and takes no child;
	// one level up, it takes one.
	s.do(t, "POST", "/departments", s.Admin, map[string]any{"name": "A111", "parentId": a11}).wantError(t, 400, 13000310)
	dcPut(t, s, s.Admin, a, map[string]any{"name": "A", "parentId": s.Root}).wantOK(t)
	s.createDept(t, s.Admin, a11, "A111")
	if got := ucCount(t, s, b); got != 1 {
		t.Errorf("users/count?deptId=B %d after A moved on, want 1", got)
	}

	// A department admin of A keeps its subtree through the move.
	_, tok := s.userIn(t, "a-admin", a, 0)
	r := s.do(t, "GET", "/users/count?deptId="+a11, tok, nil)
	r.wantOK(t)
	if got := num(t, r.Body, "total"); got != 3 {
		t.Errorf("users/count?deptId=A11 for A's admin %d, want 3", got)
	}
}

func TestUpdateDepartment_Cycle(t *testing.T) {
	s := startServer(t)
	chain := dcChain(t, s, s.Root, "A", "A1", "A11")
	a, a1, a11 := chain[0], chain[1], chain[2]
	before := dcSnapshot(t, s)
	for _, tc := range []struct{ name, id, parent string }{
		{"ErrUnderDescendant", a, a11},
		{"ErrUnderChild", a, a1},
		{"ErrUnderItself", a1, a1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dcPut(t, s, s.Admin, tc.id, map[string]any{"name": "X", "parentId": tc.parent}).wantError(t, 400, 13000102, "under itself or one of its sub-departments")
			if got := dcSnapshot(t, s); got != before {
				t.Errorf("tree after a refused move:\n%s\nwant\n%s", got, before)
			}
		})
	}
	t.Run("ErrNameTakenAtNewParent", func(t *testing.T) {
		b := s.createDept(t, s.Admin, s.Root, "B")
		s.createDept(t, s.Admin, b, "a1")
		before := dcSnapshot(t, s)
		dcPut(t, s, s.Admin, a1, map[string]any{"name": "A1", "parentId": b}).wantError(t, http.StatusConflict, 13000102, "A1")
		if got := dcSnapshot(t, s); got != before {
			t.Errorf("tree after a refused move:\n%s\nwant\n%s", got, before)
		}
		// Moved and renamed at once, it fits.
		dcPut(t, s, s.Admin, a1, map[string]any{"name": "A1 (moved)", "parentId": b}).wantOK(t)
		if d := dcDept(t, s, a11); d["parentId"] != a1 {
			t.Errorf("A11 %v, want still under A1", d)
		}
		dcPut(t, s, s.Admin, a1, map[string]any{"name": "A1", "parentId": a}).wantOK(t)
	})
	t.Run("ErrInChinese", func(t *testing.T) {
		dcPut(t, s, s.Admin, a, map[string]any{"name": "A", "parentId": a11}, "language", "zh-CN").wantError(t, 400, 13000102, "不能移动到自身或其下级部门之下")
	})
}

func TestUpdateDepartment_Depth(t *testing.T) {
	s := startServer(t)
	x := dcChain(t, s, s.Root, "X", "X1", "X2") // levels 2, 3, 4
	y := dcChain(t, s, s.Root, "Y", "Y1")       // levels 2, 3
	before := dcSnapshot(t, s)

	t.Run("ErrTooDeep", func(t *testing.T) {
		// Under Y1, X would be at level 4 and X2 at 6.
		dcPut(t, s, s.Admin, x[0], map[string]any{"name": "X", "parentId": y[1]}).wantError(t, 400, 13000310, "5 levels", "level 6")
		dcPut(t, s, s.Admin, x[0], map[string]any{"name": "X", "parentId": y[1]}, "language", "zh-CN").wantError(t, 400, 13000310, "最多 5 级", "第 6 级")
		if got := dcSnapshot(t, s); got != before {
			t.Errorf("tree after a refused move:\n%s\nwant\n%s", got, before)
		}
	})
	t.Run("ErrLeafTooDeep", func(t *testing.T) {
		// A single department moved under a level-5 one.
		l5 := s.createDept(t, s.Admin, x[2], "X3")
		dcPut(t, s, s.Admin, y[1], map[string]any{"name": "Y1", "parentId": l5}).wantError(t, 400, 13000310, "level 6")
		s.do(t, "DELETE", "/departments/"+l5, s.Admin, nil).wantOK(t)
	})
	t.Run("ExactlyFive", func(t *testing.T) {
		// Under Y, X is at level 3 and X2 at 5.
		dcPut(t, s, s.Admin, x[0], map[string]any{"name": "X", "parentId": y[0]}).wantOK(t)
		s.do(t, "POST", "/departments", s.Admin, map[string]any{"name": "X3", "parentId": x[2]}).wantError(t, 400, 13000310)
		s.createDept(t, s.Admin, x[1], "X2b")
	})
}

func TestUpdateDepartment_Root(t *testing.T) {
	s := startServer(t)
	a := s.createDept(t, s.Admin, s.Root, "A")
	for _, tc := range []struct {
		name string
		body string
	}{
		{"ParentIDZeroString", `{"name": "Acme", "parentId": "0"}`},
		{"ParentIDZeroNumber", `{"name": "Acme Corp", "parentId": 0}`},
		{"ParentIDAbsent", `{"name": "Acme Ltd"}`},
		{"ParentIDNull", `{"name": "Acme GmbH", "parentId": null}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dcPut(t, s, s.Admin, s.Root, tc.body).wantOK(t)
			var want struct{ Name string }
			json.Unmarshal([]byte(tc.body), &want)
			d := dcDept(t, s, s.Root)
			if d["name"] != want.Name || d["parentId"] != "0" {
				t.Errorf("root %v, want %s with parentId 0", d, want.Name)
			}
		})
	}
	t.Run("ErrMove", func(t *testing.T) {
		before := dcSnapshot(t, s)
		dcPut(t, s, s.Admin, s.Root, map[string]any{"name": "Acme", "parentId": a}).wantError(t, 400, 13000102, "parentId", "root")
		dcPut(t, s, s.Admin, s.Root, map[string]any{"name": "Acme", "parentId": s.Root}).wantError(t, 400, 13000102, "parentId")
		dcPut(t, s, s.Admin, s.Root, map[string]any{"name": "Acme", "parentId": a}, "language", "zh-CN").wantError(t, 400, 13000102, "根部门不能移动")
		if got := dcSnapshot(t, s); got != before {
			t.Errorf("tree after a refused move:\n%s\nwant\n%s", got, before)
		}
	})
}

func TestUpdateDepartment_BadInput(t *testing.T) {
	s := startServer(t)
	a := s.createDept(t, s.Admin, s.Root, "A")
	before := dcSnapshot(t, s)
	for _, tc := range []struct {
		name   string
		id     string
		body   string
		status int
		code   int
		parts  []string
	}{
		{"ErrParentMissing", a, `{"name": "A2"}`, 400, 13000102, []string{"parentId", "required"}},
		{"ErrParentNull", a, `{"name": "A2", "parentId": null}`, 400, 13000102, []string{"parentId", "required"}},
		{"ErrParentZero", a, `{"name": "A2", "parentId": "0"}`, 400, 13000102, []string{"parentId"}},
		{"ErrParentText", a, `{"name": "A2", "parentId": "root"}`, 400, 13000102, []string{"parentId"}},
		{"ErrParentUnknown", a, `{"name": "A2", "parentId": "123456789"}`, 404, 13000309, []string{"123456789", "parentId"}},
		{"ErrParentBool", a, `{"name": "A2", "parentId": true}`, 400, 13000101, []string{"parentId"}},
		{"ErrNameMissing", a, `{"parentId": "` + s.Root + `"}`, 400, 13000102, []string{"name", "required"}},
		{"ErrNameSlash", a, `{"name": "a/b", "parentId": "` + s.Root + `"}`, 400, 13000102, []string{"name"}},
		{"ErrNameNumber", a, `{"name": 5, "parentId": "` + s.Root + `"}`, 400, 13000101, []string{"name", "string"}},
		{"ErrMalformed", a, `{"name": "A2" "parentId": "1"}`, 400, 13000101, []string{"line 1"}},
		{"ErrEmptyBody", a, ``, 400, 13000101, nil},
		{"ErrUnknown", "1575416580416769793", `{"name": "A2", "parentId": "` + s.Root + `"}`, 404, 13000309, []string{"1575416580416769793"}},
		{"ErrNotNumeric", "sales", `{"name": "A2", "parentId": "` + s.Root + `"}`, 400, 13000102, []string{"departmentId"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dcPut(t, s, s.Admin, tc.id, tc.body).wantError(t, tc.status, tc.code, tc.parts...)
			if got := dcSnapshot(t, s); got != before {
				t.Errorf("tree after a refused request:\n%s\nwant\n%s", got, before)
			}
		})
	}
	t.Run("ErrUnknownInChinese", func(t *testing.T) {
		dcPut(t, s, s.Admin, "1575416580416769793", map[string]any{"name": "A2", "parentId": s.Root}, "language", "zh-CN").wantError(t, 404, 13000309, "部门 1575416580416769793", "不存在")
	})
}

func TestUpdateDepartment_DeptAdminScope(t *testing.T) {
	s := startServer(t)
	a := s.createDept(t, s.Admin, s.Root, "A")
	a1 := s.createDept(t, s.Admin, a, "A1")
	a2 := s.createDept(t, s.Admin, a, "A2")
	b := s.createDept(t, s.Admin, s.Root, "B")
	_, tok := s.userIn(t, "dept-admin", a, 0)
	_, managerTok := s.userIn(t, "manager", a, 5)

	t.Run("InsideSubtree", func(t *testing.T) {
		dcPut(t, s, tok, a1, map[string]any{"name": "A1 renamed", "parentId": a}).wantOK(t)
		dcPut(t, s, tok, a1, map[string]any{"name": "A1", "parentId": a2}).wantOK(t)
		dcPut(t, s, tok, a1, map[string]any{"name": "A1", "parentId": a}).wantOK(t)
	})
	before := dcSnapshot(t, s)
	for _, tc := range []struct {
		name, token, id, parent string
		parts                   []string
	}{
		{"ErrMoveOutside", tok, a1, b, []string{b, "parentId"}},
		{"ErrMoveToRoot", tok, a1, s.Root, []string{s.Root, "parentId"}},
		{"ErrMoveOwnDepartmentOut", tok, a, b, []string{b, "parentId"}},
		{"ErrMoveOutsiderIn", tok, b, a, []string{b, "departmentId"}},
		{"ErrRenameOutsider", tok, b, s.Root, []string{b, "departmentId"}},
		{"ErrMemberManager", managerTok, a1, a, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dcPut(t, s, tc.token, tc.id, map[string]any{"name": "Moved", "parentId": tc.parent}).wantError(t, http.StatusForbidden, 13000410, tc.parts...)
			if got := dcSnapshot(t, s); got != before {
				t.Errorf("tree after a refused request:\n%s\nwant\n%s", got, before)
			}
		})
	}
}

func TestDeleteDepartment(t *testing.T) {
	s := startServer(t)
	t.Run("Empty", func(t *testing.T) {
		d := s.createDept(t, s.Admin, s.Root, "Empty")
		keep := s.createDept(t, s.Admin, s.Root, "Keep")
		s.do(t, "DELETE", "/departments/"+d, s.Admin, nil).wantOK(t)
		s.do(t, "GET", "/departments/"+d, s.Admin, nil).wantError(t, 404, 13000309, d)
		s.do(t, "DELETE", "/departments/"+d, s.Admin, nil).wantError(t, 404, 13000309, d)
		children := dcChildren(t, s, s.Root)
		if ucContains(children, d) || !ucContains(children, keep) {
			t.Errorf("root's children %v, want %s gone and %s kept", children, d, keep)
		}
		// The name is free again.
		s.createDept(t, s.Admin, s.Root, "Empty")
	})
	t.Run("ErrHasUsers", func(t *testing.T) {
		d := s.createDept(t, s.Admin, s.Root, "Staffed")
		for i := range 2 {
			s.createUser(t, s.Admin, map[string]any{"userId": fmt.Sprintf("staff%d", i), "modifyUserInfoReq": map[string]any{"deptId": d}})
		}
		before := dcSnapshot(t, s)
		s.do(t, "DELETE", "/departments/"+d, s.Admin, nil).wantError(t, 400, 13000102, "2 users", "0 sub-departments")
		s.do(t, "DELETE", "/departments/"+d, s.Admin, nil, "language", "zh-CN").wantError(t, 400, 13000102, "2 个用户", "0 个下级部门")
		if got := dcSnapshot(t, s); got != before {
			t.Errorf("tree after a refused delete:\n%s\nwant\n%s", got, before)
		}
		if got := ucCount(t, s, d); got != 2 {
			t.Errorf("users/count %d, want 2", got)
		}
	})
	t.Run("ErrHasChild", func(t *testing.T) {
		d := s.createDept(t, s.Admin, s.Root, "Parent")
		child := s.createDept(t, s.Admin, d, "Child")
		s.createUser(t, s.Admin, map[string]any{"userId": "in-child", "modifyUserInfoReq": map[string]any{"deptId": child}})
		before := dcSnapshot(t, s)
		s.do(t, "DELETE", "/departments/"+d, s.Admin, nil).wantError(t, 400, 13000102, "0 users", "1 sub-departments")
		if got := dcSnapshot(t, s); got != before {
			t.Errorf("tree after a refused delete:\n%s\nwant\n%s", got, before)
		}
	})
	t.Run("ErrRoot", func(t *testing.T) {
		s.do(t, "DELETE", "/departments/"+s.Root, s.Admin, nil).wantError(t, 400, 13000102, "root")
		s.do(t, "DELETE", "/departments/"+s.Root, s.Admin, nil, "language", "zh-CN").wantError(t, 400, 13000102, "根部门不能删除")
		dcDept(t, s, s.Root)
	})
	t.Run("ErrUnknown", func(t *testing.T) {
		s.do(t, "DELETE", "/departments/1575416580416769793", s.Admin, nil).wantError(t, 404, 13000309, "1575416580416769793")
	})
	t.Run("ErrNotNumeric", func(t *testing.T) {
		s.do(t, "DELETE", "/departments/sales", s.Admin, nil).wantError(t, 400, 13000102, "departmentId")
	})
	t.Run("ErrDeptAdminOutsideSubtree", func(t *testing.T) {
		a := s.createDept(t, s.Admin, s.Root, "AdminHome")
		inside := s.createDept(t, s.Admin, a, "Inside")
		outside := s.createDept(t, s.Admin, s.Root, "Outside")
		_, tok := s.userIn(t, "home-admin", a, 0)
		s.do(t, "DELETE", "/departments/"+outside, tok, nil).wantError(t, 403, 13000410, outside)
		dcDept(t, s, outside)
		s.do(t, "DELETE", "/departments/"+inside, tok, nil).wantOK(t)
	})
}

func TestDeleteDepartment_TeamSpace(t *testing.T) {
	s := startServer(t)
	t.Run("CapacityReturns", func(t *testing.T) {
		d := s.createDept(t, s.Admin, s.Root, "Team")
		before := ucAllocated(t, s)
		s.do(t, "POST", "/space/"+d, s.Admin, map[string]any{"capacity": "5", "type": 0}).wantOK(t)
		if got := ucAllocated(t, s); got != before+5 {
			t.Fatalf("totalAllocation %d after allocating 5 GB, want %d", got, before+5)
		}
		s.do(t, "DELETE", "/departments/"+d, s.Admin, nil).wantOK(t)
		if got := ucAllocated(t, s); got != before {
			t.Errorf("totalAllocation %d after deleting the department, want %d", got, before)
		}
	})
	t.Run("ErrSpaceHoldsData", func(t *testing.T) {
		d := s.createDept(t, s.Admin, s.Root, "Hoarders")
		r := s.do(t, "POST", "/space/"+d, s.Admin, map[string]any{"capacity": "5", "type": 0})
		r.wantOK(t)
		container := str(t, r.data(t), "containerId")
		s.do(t, "PUT", "/koodrive/admin/v1/spaces/"+container+"/usage", s.Admin, map[string]any{"spaceUsed": 1048576}).wantOK(t)
		allocated, before := ucAllocated(t, s), dcSnapshot(t, s)
		s.do(t, "DELETE", "/departments/"+d, s.Admin, nil).wantError(t, 400, 13000102, "1 GB")
		if got := ucAllocated(t, s); got != allocated {
			t.Errorf("totalAllocation %d, want %d", got, allocated)
		}
		if got := dcSnapshot(t, s); got != before {
			t.Errorf("tree after a refused delete:\n%s\nwant\n%s", got, before)
		}
	})
}
