package main

import (
	"fmt"
	"net/http"
	"testing"
)

// TestAuthorization checks every role against every endpoint, on a target
// inside the caller's department subtree and on one outside it.
func TestAuthorization(t *testing.T) {
	s := startServer(t)
	a := s.createDept(t, s.Admin, s.Root, "A")
	inside := s.createDept(t, s.Admin, a, "A1")
	outside := s.createDept(t, s.Admin, s.Root, "B")
	userInside := s.createUser(t, s.Admin, map[string]any{"userId": "in", "modifyUserInfoReq": map[string]any{"deptId": inside}})
	userOutside := s.createUser(t, s.Admin, map[string]any{"userId": "out", "modifyUserInfoReq": map[string]any{"deptId": outside}})

	type caller struct {
		name  string
		token string
	}
	callers := []caller{{"SystemAdmin", s.Admin}}
	for _, c := range []struct {
		name string
		role int
	}{{"DeptAdmin", 0}, {"MemberManager", 5}, {"DriveAdmin", 3}, {"CommonUser", 1}} {
		_, tok := s.userIn(t, "caller-"+c.name, a, c.role)
		callers = append(callers, caller{c.name, tok})
	}

	appID := s.newApp(t, "matrix").ID
	n := 0
	ops := []struct {
		name string
		do   func(t *testing.T, token, dept, user string) reply
	}{
		{"CreateUser", func(t *testing.T, token, dept, _ string) reply {
			n++
			return s.do(t, "POST", "/users", token, map[string]any{"userId": fmt.Sprintf("new%d", n), "modifyUserInfoReq": map[string]any{"deptId": dept}})
		}},
		{"CreateDepartment", func(t *testing.T, token, dept, _ string) reply {
			n++
			return s.do(t, "POST", "/departments", token, map[string]any{"name": fmt.Sprintf("D%d", n), "parentId": dept})
		}},
		{"Preverify", func(t *testing.T, token, dept, _ string) reply {
			return s.do(t, "POST", "/users/batchimport/preverify", token, map[string]any{"curDeptId": dept, "users": []any{row("", 0, false)}})
		}},
		{"ListUsers", func(t *testing.T, token, dept, _ string) reply {
			return s.do(t, "GET", "/userList?offset=0&limit=10&deptId="+dept, token, nil)
		}},
		{"CountUsers", func(t *testing.T, token, dept, _ string) reply {
			return s.do(t, "GET", "/users/count?deptId="+dept, token, nil)
		}},
		{"GetUser", func(t *testing.T, token, _, user string) reply {
			return s.do(t, "GET", "/users/"+user, token, nil)
		}},
		{"GetDepartment", func(t *testing.T, token, dept, _ string) reply {
			return s.do(t, "GET", "/departments/"+dept, token, nil)
		}},
		{"ListDepartments", func(t *testing.T, token, dept, _ string) reply {
			return s.do(t, "GET", "/departmentList?departmentId="+dept, token, nil)
		}},
		// The endpoints below have no department; inside and outside are the same call.
		{"ValidateSession", func(t *testing.T, token, _, _ string) reply {
			return s.do(t, "GET", "/session/auth", token, nil)
		}},
		{"ListApps", func(t *testing.T, token, _, _ string) reply {
			return s.do(t, "GET", "/koodrive/admin/v1/apps", token, nil)
		}},
		{"CreateApp", func(t *testing.T, token, _, _ string) reply {
			return s.do(t, "POST", "/koodrive/admin/v1/apps", token, map[string]any{"name": "x"})
		}},
		{"RotateApp", func(t *testing.T, token, _, _ string) reply {
			return s.do(t, "POST", "/koodrive/admin/v1/apps/"+appID+"/secret", token, nil)
		}},
	}
	// allowed[caller][op] = {inside, outside}
	yes, no := true, false
	allowed := map[string]map[string][2]bool{
		"SystemAdmin": {"CreateUser": {yes, yes}, "CreateDepartment": {yes, yes}, "Preverify": {yes, yes}, "ListUsers": {yes, yes},
			"CountUsers": {yes, yes}, "GetUser": {yes, yes}, "GetDepartment": {yes, yes}, "ListDepartments": {yes, yes},
			"ValidateSession": {yes, yes}, "ListApps": {yes, yes}, "CreateApp": {yes, yes}, "RotateApp": {yes, yes}},
		"DeptAdmin": {"CreateUser": {yes, no}, "CreateDepartment": {yes, no}, "Preverify": {yes, no}, "ListUsers": {yes, no},
			"CountUsers": {yes, no}, "GetUser": {yes, no}, "GetDepartment": {yes, yes}, "ListDepartments": {yes, yes},
			"ValidateSession": {yes, yes}, "ListApps": {no, no}, "CreateApp": {no, no}, "RotateApp": {no, no}},
		"MemberManager": {"CreateUser": {yes, no}, "CreateDepartment": {no, no}, "Preverify": {yes, no}, "ListUsers": {yes, no},
			"CountUsers": {yes, no}, "GetUser": {yes, no}, "GetDepartment": {yes, yes}, "ListDepartments": {yes, yes},
			"ValidateSession": {yes, yes}, "ListApps": {no, no}, "CreateApp": {no, no}, "RotateApp": {no, no}},
		"DriveAdmin": {"CreateUser": {no, no}, "CreateDepartment": {no, no}, "Preverify": {no, no}, "ListUsers": {yes, yes},
			"CountUsers": {yes, yes}, "GetUser": {yes, yes}, "GetDepartment": {yes, yes}, "ListDepartments": {yes, yes},
			"ValidateSession": {yes, yes}, "ListApps": {no, no}, "CreateApp": {no, no}, "RotateApp": {no, no}},
		"CommonUser": {"CreateUser": {no, no}, "CreateDepartment": {no, no}, "Preverify": {no, no}, "ListUsers": {no, no},
			"CountUsers": {no, no}, "GetUser": {no, no}, "GetDepartment": {no, no}, "ListDepartments": {no, no},
			"ValidateSession": {yes, yes}, "ListApps": {no, no}, "CreateApp": {no, no}, "RotateApp": {no, no}},
	}
	for _, c := range callers {
		for _, op := range ops {
			for i, where := range []string{"Inside", "Outside"} {
				dept, user := inside, userInside
				if where == "Outside" {
					dept, user = outside, userOutside
				}
				t.Run(c.name+"/"+op.name+"/"+where, func(t *testing.T) {
					before := s.count(t)
					r := op.do(t, c.token, dept, user)
					if allowed[c.name][op.name][i] {
						r.wantOK(t)
						return
					}
					r.wantError(t, http.StatusForbidden, 13000410)
					if got := s.count(t); got != before {
						t.Errorf("user count %d after a refused request, want %d", got, before)
					}
				})
			}
		}
	}
}

func TestAuthorization_Grants(t *testing.T) {
	s := startServer(t)
	a := s.createDept(t, s.Admin, s.Root, "A")
	_, deptAdmin := s.userIn(t, "dept-admin", a, 0)
	_, manager := s.userIn(t, "manager", a, 5)
	n := 0
	for _, tc := range []struct {
		name  string
		token string
		role  int
		ok    bool
	}{
		{"DeptAdminGrantsCommonUser", deptAdmin, 1, true},
		{"DeptAdminGrantsDeptAdmin", deptAdmin, 0, true},
		{"DeptAdminGrantsMemberManager", deptAdmin, 5, true},
		{"ErrDeptAdminGrantsSystemAdmin", deptAdmin, 2, false},
		{"ErrDeptAdminGrantsDriveAdmin", deptAdmin, 3, false},
		{"MemberManagerGrantsCommonUser", manager, 1, true},
		{"ErrMemberManagerGrantsMemberManager", manager, 5, false},
		{"ErrMemberManagerGrantsDeptAdmin", manager, 0, false},
		{"SystemAdminGrantsSystemAdmin", s.Admin, 2, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n++
			r := s.do(t, "POST", "/users", tc.token, map[string]any{"userId": fmt.Sprintf("g%d", n), "modifyUserInfoReq": map[string]any{"deptId": a, "role": tc.role}})
			if tc.ok {
				r.wantOK(t)
				return
			}
			r.wantError(t, http.StatusForbidden, 13000410, "modifyUserInfoReq.role", fmt.Sprint(tc.role))
		})
	}
}

func TestAuthorization_ScopedDefaults(t *testing.T) {
	s := startServer(t)
	a := s.createDept(t, s.Admin, s.Root, "A")
	b := s.createDept(t, s.Admin, s.Root, "B")
	s.createUser(t, s.Admin, map[string]any{"userId": "b1", "modifyUserInfoReq": map[string]any{"deptId": b}})
	_, deptAdmin := s.userIn(t, "dept-admin", a, 0)
	s.createUser(t, s.Admin, map[string]any{"userId": "a1", "modifyUserInfoReq": map[string]any{"deptId": a}})

	// Without a department, a department administrator sees its own subtree.
	r := s.do(t, "GET", "/userList?offset=0&limit=100", deptAdmin, nil)
	r.wantOK(t)
	if got := num(t, r.Body, "total"); got != 2 {
		t.Errorf("total %d, want 2 (the users of A)", got)
	}
	r = s.do(t, "GET", "/users/count", deptAdmin, nil)
	r.wantOK(t)
	if got := num(t, r.Body, "total"); got != 2 {
		t.Errorf("count %d, want 2", got)
	}
	// Creating without a department means the root, which is outside A.
	s.do(t, "POST", "/users", deptAdmin, map[string]any{"userId": "x"}).wantError(t, 403, 13000410, "modifyUserInfoReq.deptId")
	// Refusals are localized.
	s.do(t, "GET", "/users/count?deptId="+b, deptAdmin, nil, "language", "zh-CN").wantError(t, 403, 13000410, "不在您管理的部门范围内")
}

func TestAuthorization_CommonUserSeesOnlySelf(t *testing.T) {
	s := startServer(t)
	self, token := s.userIn(t, "plain", s.Root, 1)
	other := s.createUser(t, s.Admin, map[string]any{"userId": "other"})
	s.do(t, "GET", "/users/"+self, token, nil).wantOK(t)
	s.do(t, "GET", "/users/"+other, token, nil).wantError(t, 403, 13000410)
}
