package main

import (
	"fmt"
	"net/http"
	"testing"
)

// TestAuthorization checks every role against every endpoint, on a target
// inside the caller's department subtree and on one outside it. The
// expected cells follow policy.go's tables.
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

	parentOf := map[string]string{inside: a, outside: s.Root}
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
		{"UpdateUser", func(t *testing.T, token, _, user string) reply {
			n++
			return s.do(t, "PUT", "/users/"+user, token, map[string]any{"name": fmt.Sprintf("Renamed %d", n)})
		}},
		{"DeleteUser", func(t *testing.T, token, _, target string) reply {
			return s.do(t, "DELETE", "/users/"+target, token, nil)
		}},
		{"GetUserMobile", func(t *testing.T, token, _, user string) reply {
			return s.do(t, "GET", "/users/mobile/"+user, token, nil)
		}},
		{"UpdateDepartment", func(t *testing.T, token, dept, _ string) reply {
			n++
			return s.do(t, "PUT", "/departments/"+dept, token, map[string]any{"name": fmt.Sprintf("R%d", n), "parentId": parentOf[dept]})
		}},
		{"DeleteDepartment", func(t *testing.T, token, _, target string) reply {
			return s.do(t, "DELETE", "/departments/"+target, token, nil)
		}},
		{"CreateSpace", func(t *testing.T, token, _, target string) reply {
			return s.do(t, "POST", "/space/"+target, token, map[string]any{"capacity": "1", "type": 1})
		}},
		{"GetTeamSpace", func(t *testing.T, token, dept, _ string) reply {
			return s.do(t, "GET", "/space/"+dept+"?type=0", token, nil)
		}},
		{"ListUserSpaces", func(t *testing.T, token, dept, _ string) reply {
			return s.do(t, "GET", "/space/userList?offset=0&limit=10&deptId="+dept, token, nil)
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
		{"ListDepartmentSpaces", func(t *testing.T, token, _, _ string) reply {
			return s.do(t, "GET", "/space/departmentList?offset=0&limit=10", token, nil)
		}},
		{"UsageOverview", func(t *testing.T, token, _, _ string) reply {
			return s.do(t, "GET", "/space/usage/overview", token, nil)
		}},
		{"GetOrganization", func(t *testing.T, token, _, _ string) reply {
			return s.do(t, "GET", "/koodrive/admin/v1/organization", token, nil)
		}},
		{"UpdateOrganization", func(t *testing.T, token, _, _ string) reply {
			return s.do(t, "PUT", "/koodrive/admin/v1/organization", token, map[string]any{"maxUsers": 10000})
		}},
		{"AuditLog", func(t *testing.T, token, _, _ string) reply {
			return s.do(t, "POST", "/auditlog", token, map[string]any{})
		}},
	}
	// fresh makes a new target for each call of an op that uses it up (a
	// deleted user or department, a user given its one personal space),
	// placed in the inside or outside department; do gets it as its last
	// argument.
	fresh := map[string]func(t *testing.T, dept string) string{
		"DeleteUser": func(t *testing.T, dept string) string {
			n++
			return s.createUser(t, s.Admin, map[string]any{"userId": fmt.Sprintf("fresh%d", n), "modifyUserInfoReq": map[string]any{"deptId": dept}})
		},
		"DeleteDepartment": func(t *testing.T, dept string) string {
			n++
			return s.createDept(t, s.Admin, dept, fmt.Sprintf("F%d", n))
		},
		"CreateSpace": func(t *testing.T, dept string) string {
			n++
			return s.createUser(t, s.Admin, map[string]any{"userId": fmt.Sprintf("fresh%d", n), "modifyUserInfoReq": map[string]any{"deptId": dept}})
		},
	}
	// allowed[caller][op] = {inside, outside}
	yes, no := true, false
	allowed := map[string]map[string][2]bool{
		"SystemAdmin": {"CreateUser": {yes, yes}, "CreateDepartment": {yes, yes}, "Preverify": {yes, yes}, "ListUsers": {yes, yes},
			"CountUsers": {yes, yes}, "GetUser": {yes, yes}, "GetDepartment": {yes, yes}, "ListDepartments": {yes, yes},
			"ValidateSession": {yes, yes}, "ListApps": {yes, yes}, "CreateApp": {yes, yes}, "RotateApp": {yes, yes},
			"UpdateUser": {yes, yes}, "DeleteUser": {yes, yes}, "GetUserMobile": {yes, yes}, "UpdateDepartment": {yes, yes},
			"DeleteDepartment": {yes, yes}, "CreateSpace": {yes, yes}, "GetTeamSpace": {yes, yes}, "ListUserSpaces": {yes, yes},
			"ListDepartmentSpaces": {yes, yes}, "UsageOverview": {yes, yes}, "GetOrganization": {yes, yes}, "UpdateOrganization": {yes, yes},
			"AuditLog": {yes, yes}},
		"DeptAdmin": {"CreateUser": {yes, no}, "CreateDepartment": {yes, no}, "Preverify": {yes, no}, "ListUsers": {yes, no},
			"CountUsers": {yes, no}, "GetUser": {yes, no}, "GetDepartment": {yes, yes}, "ListDepartments": {yes, yes},
			"ValidateSession": {yes, yes}, "ListApps": {no, no}, "CreateApp": {no, no}, "RotateApp": {no, no},
			"UpdateUser": {yes, no}, "DeleteUser": {yes, no}, "GetUserMobile": {yes, no}, "UpdateDepartment": {yes, no},
			"DeleteDepartment": {yes, no}, "CreateSpace": {yes, no}, "GetTeamSpace": {yes, no}, "ListUserSpaces": {yes, no},
			"ListDepartmentSpaces": {yes, yes}, "UsageOverview": {yes, yes}, "GetOrganization": {no, no}, "UpdateOrganization": {no, no},
			"AuditLog": {no, no}},
		"MemberManager": {"CreateUser": {yes, no}, "CreateDepartment": {no, no}, "Preverify": {yes, no}, "ListUsers": {yes, no},
			"CountUsers": {yes, no}, "GetUser": {yes, no}, "GetDepartment": {yes, yes}, "ListDepartments": {yes, yes},
			"ValidateSession": {yes, yes}, "ListApps": {no, no}, "CreateApp": {no, no}, "RotateApp": {no, no},
			"UpdateUser": {yes, no}, "DeleteUser": {yes, no}, "GetUserMobile": {yes, no}, "UpdateDepartment": {no, no},
			"DeleteDepartment": {no, no}, "CreateSpace": {no, no}, "GetTeamSpace": {yes, no}, "ListUserSpaces": {yes, no},
			"ListDepartmentSpaces": {yes, yes}, "UsageOverview": {yes, yes}, "GetOrganization": {no, no}, "UpdateOrganization": {no, no},
			"AuditLog": {no, no}},
		"DriveAdmin": {"CreateUser": {no, no}, "CreateDepartment": {no, no}, "Preverify": {no, no}, "ListUsers": {yes, yes},
			"CountUsers": {yes, yes}, "GetUser": {yes, yes}, "GetDepartment": {yes, yes}, "ListDepartments": {yes, yes},
			"ValidateSession": {yes, yes}, "ListApps": {no, no}, "CreateApp": {no, no}, "RotateApp": {no, no},
			"UpdateUser": {no, no}, "DeleteUser": {no, no}, "GetUserMobile": {yes, yes}, "UpdateDepartment": {no, no},
			"DeleteDepartment": {no, no}, "CreateSpace": {yes, yes}, "GetTeamSpace": {yes, yes}, "ListUserSpaces": {yes, yes},
			"ListDepartmentSpaces": {yes, yes}, "UsageOverview": {yes, yes}, "GetOrganization": {no, no}, "UpdateOrganization": {no, no},
			"AuditLog": {no, no}},
		"CommonUser": {"CreateUser": {no, no}, "CreateDepartment": {no, no}, "Preverify": {no, no}, "ListUsers": {no, no},
			"CountUsers": {no, no}, "GetUser": {no, no}, "GetDepartment": {no, no}, "ListDepartments": {no, no},
			"ValidateSession": {yes, yes}, "ListApps": {no, no}, "CreateApp": {no, no}, "RotateApp": {no, no},
			"UpdateUser": {no, no}, "DeleteUser": {no, no}, "GetUserMobile": {no, no}, "UpdateDepartment": {no, no},
			"DeleteDepartment": {no, no}, "CreateSpace": {no, no}, "GetTeamSpace": {no, no}, "ListUserSpaces": {no, no},
			"ListDepartmentSpaces": {no, no}, "UsageOverview": {no, no}, "GetOrganization": {no, no}, "UpdateOrganization": {no, no},
			"AuditLog": {no, no}},
	}
	for _, c := range callers {
		for _, op := range ops {
			if _, ok := allowed[c.name][op.name]; !ok {
				t.Fatalf("no expected cell for %s/%s", c.name, op.name)
			}
		}
	}
	for _, c := range callers {
		for _, op := range ops {
			for i, where := range []string{"Inside", "Outside"} {
				dept, user := inside, userInside
				if where == "Outside" {
					dept, user = outside, userOutside
				}
				t.Run(c.name+"/"+op.name+"/"+where, func(t *testing.T) {
					if f := fresh[op.name]; f != nil {
						user = f(t, dept)
					}
					before := s.count(t)
					allocated := num(t, s.orgGet(t), "allocatedGb")
					r := op.do(t, c.token, dept, user)
					if allowed[c.name][op.name][i] {
						r.wantOK(t)
						return
					}
					r.wantError(t, http.StatusForbidden, 13000410)
					if got := s.count(t); got != before {
						t.Errorf("user count %d after a refused request, want %d", got, before)
					}
					if got := num(t, s.orgGet(t), "allocatedGb"); got != allocated {
						t.Errorf("%d GB allocated after a refused request, want %d", got, allocated)
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
