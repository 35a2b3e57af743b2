package main

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

func TestOrganization_Settings(t *testing.T) {
	s := startServer(t, "--capacity-gb", "50", "--max-users", "6", "--org-name", "Acme")

	t.Run("Get", func(t *testing.T) {
		r := s.do(t, "GET", orgSettingsPath, s.Admin, nil)
		r.wantOK(t)
		o := r.data(t)
		wantJSONShape(t, "organization", o, map[string]byte{"id": 's', "name": 's', "rootDeptId": 's', "capacityGb": 'n',
			"allocatedGb": 'n', "unallocatedGb": 'n', "userCount": 'n', "maxUsers": 'n'})
		if o["name"] != "Acme" || o["rootDeptId"] != s.Root || str(t, o, "id") == "" {
			t.Errorf("organization %v, want Acme with root %s", o, s.Root)
		}
		got := [5]int{num(t, o, "capacityGb"), num(t, o, "allocatedGb"), num(t, o, "unallocatedGb"), num(t, o, "userCount"), num(t, o, "maxUsers")}
		if want := [5]int{50, 0, 50, 1, 6}; got != want {
			t.Errorf("capacity, allocated, unallocated, users, max users = %v, want %v", got, want)
		}
	})
	t.Run("ErrNotSystemAdmin", func(t *testing.T) {
		dept := s.createDept(t, s.Admin, s.Root, "Staff")
		for _, role := range []int{0, 5, 3, 1} {
			_, token := s.userIn(t, fmt.Sprintf("role%d", role), dept, role)
			s.do(t, "GET", orgSettingsPath, token, nil).wantError(t, 403, 13000410)
			s.do(t, "PUT", orgSettingsPath, token, map[string]any{"maxUsers": 100, "name": "Hijacked"}).wantError(t, 403, 13000410)
		}
		if o := s.orgGet(t); num(t, o, "maxUsers") != 6 || o["name"] != "Acme" {
			t.Errorf("organization %v after refused changes, want it unchanged", o)
		}
		s.do(t, "GET", orgSettingsPath, "", nil).wantError(t, 401, 13000101)
	})
	t.Run("ErrAppAuth", func(t *testing.T) {
		a := s.newApp(t, "settings")
		admin := s.adminID(t)
		s.signed(t, a, admin, "GET", orgSettingsPath, "").wantError(t, 401, 13000101, "does not accept app authentication")
		s.signed(t, a, admin, "PUT", orgSettingsPath, `{"maxUsers":100}`).wantError(t, 401, 13000101, "does not accept app authentication")
		if got := num(t, s.orgGet(t), "maxUsers"); got != 6 {
			t.Errorf("maxUsers %d, want 6", got)
		}
	})
	t.Run("ErrCapacityBelowAllocated", func(t *testing.T) {
		u := s.createUser(t, s.Admin, map[string]any{"userId": "holder"}) // 6 users now
		s.spaceAlloc(t, s.Admin, u, 1, 20)
		s.do(t, "PUT", orgSettingsPath, s.Admin, map[string]any{"capacityGb": 19}).wantError(t, 400, 13000102, "20 GB", "allocated")
		s.do(t, "PUT", orgSettingsPath, s.Admin, map[string]any{"capacityGb": 19}, "language", "zh-CN").wantError(t, 400, 13000102, "已分配给空间的 20 GB")
		// A refused change changes nothing, not even the fields that were fine.
		s.do(t, "PUT", orgSettingsPath, s.Admin, map[string]any{"capacityGb": 10, "name": "Half"}).wantError(t, 400, 13000102, "20 GB")
		if o := s.orgGet(t); num(t, o, "capacityGb") != 50 || o["name"] != "Acme" {
			t.Errorf("organization %v after a refused change, want 50 GB and Acme", o)
		}
		r := s.do(t, "PUT", orgSettingsPath, s.Admin, map[string]any{"capacityGb": 20})
		r.wantOK(t)
		if d := r.data(t); num(t, d, "capacityGb") != 20 || num(t, d, "unallocatedGb") != 0 || num(t, d, "maxUsers") != 6 {
			t.Errorf("organization %v, want 20 GB, all allocated, the user limit kept", d)
		}
		s.do(t, "POST", "/space/"+s.Root, s.Admin, map[string]any{"capacity": "1", "type": 0}).wantError(t, 400, 13000311, "0 GB")
		s.do(t, "PUT", orgSettingsPath, s.Admin, map[string]any{"capacityGb": 50}).wantOK(t)
	})
	t.Run("ErrMaxUsersBelowCount", func(t *testing.T) {
		users := num(t, s.orgGet(t), "userCount")
		if users != 6 || s.count(t) != 6 {
			t.Fatalf("%d users (count %d), want 6", users, s.count(t))
		}
		s.do(t, "PUT", orgSettingsPath, s.Admin, map[string]any{"maxUsers": 5}).wantError(t, 400, 13000102, "6 users")
		s.do(t, "PUT", orgSettingsPath, s.Admin, map[string]any{"maxUsers": 5}, "language", "zh-CN").wantError(t, 400, 13000102, "6 个用户")
		s.do(t, "PUT", orgSettingsPath, s.Admin, map[string]any{"maxUsers": 6}).wantOK(t)
	})
	t.Run("RaiseMaxUsers", func(t *testing.T) {
		s.do(t, "POST", "/users", s.Admin, map[string]any{"userId": "seventh"}).wantError(t, 400, 13000102, "limit of 6 users")
		r := s.do(t, "PUT", orgSettingsPath, s.Admin, map[string]any{"maxUsers": 8})
		r.wantOK(t)
		if got := num(t, r.data(t), "maxUsers"); got != 8 {
			t.Errorf("maxUsers %d, want 8", got)
		}
		s.createUser(t, s.Admin, map[string]any{"userId": "seventh"})
		s.createUser(t, s.Admin, map[string]any{"userId": "eighth"})
		s.do(t, "POST", "/users", s.Admin, map[string]any{"userId": "ninth"}).wantError(t, 400, 13000102, "limit of 8 users")
		if o := s.orgGet(t); num(t, o, "userCount") != 8 || s.count(t) != 8 {
			t.Errorf("organization counts %d users, users/count %d; want 8", num(t, o, "userCount"), s.count(t))
		}
	})
	t.Run("RenameRenamesRoot", func(t *testing.T) {
		r := s.do(t, "PUT", orgSettingsPath, s.Admin, map[string]any{"name": "Acme Holdings"})
		r.wantOK(t)
		if d := r.data(t); d["name"] != "Acme Holdings" || num(t, d, "capacityGb") != 50 || num(t, d, "maxUsers") != 8 {
			t.Errorf("organization %v, want the new name and the rest kept", d)
		}
		root := s.do(t, "GET", "/departments/"+s.Root, s.Admin, nil)
		root.wantOK(t)
		if root.Body["name"] != "Acme Holdings" {
			t.Errorf("root department is named %v, want Acme Holdings", root.Body["name"])
		}
		list := s.do(t, "GET", "/departmentList", s.Admin, nil)
		list.wantOK(t)
		if l := list.list(t); l[0]["name"] != "Acme Holdings" {
			t.Errorf("departmentList root %v", l[0])
		}
		s.do(t, "PUT", orgSettingsPath, s.Admin, map[string]any{"name": "Acme"}).wantOK(t)
	})
	for _, tc := range []struct {
		name   string
		body   any
		status int
		code   int
		parts  []string
	}{
		{"ErrCapacityNegative", map[string]any{"capacityGb": -1}, 400, 13000102, []string{"capacityGb"}},
		{"ErrMaxUsersZero", map[string]any{"maxUsers": 0}, 400, 13000102, []string{"maxUsers"}},
		{"ErrNameEmpty", map[string]any{"name": ""}, 400, 13000102, []string{"name"}},
		{"ErrNameSlash", map[string]any{"name": "a/b"}, 400, 13000102, []string{"name"}},
		{"ErrCapacityString", `{"capacityGb":"10"}`, 400, 13000101, []string{"capacityGb"}},
		{"ErrMalformed", `{"capacityGb":`, 400, 13000101, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := s.orgGet(t)
			s.do(t, "PUT", orgSettingsPath, s.Admin, tc.body).wantError(t, tc.status, tc.code, tc.parts...)
			if after := s.orgGet(t); fmt.Sprint(after) != fmt.Sprint(before) {
				t.Errorf("organization %v after a refused change, want %v", after, before)
			}
		})
	}
}

// orgShowLine matches a line of koodrive org show.
func orgShowLine(key, value string) *regexp.Regexp {
	return regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(key) + `\s+` + regexp.QuoteMeta(value) + `\s*$`)
}

func TestOrganization_CommandLine(t *testing.T) {
	s := startServer(t, "--capacity-gb", "40", "--max-users", "5")
	orgCLI := func(t *testing.T, e env, args ...string) string {
		t.Helper()
		out, err := cli(t, e, append([]string{"org"}, append(args, "--data", s.Data)...)...)
		if err != nil {
			t.Fatalf("koodrive org %v: %v", args, err)
		}
		return out
	}
	wantLines := func(t *testing.T, out string, kv ...string) {
		t.Helper()
		for i := 0; i+1 < len(kv); i += 2 {
			if !orgShowLine(kv[i], kv[i+1]).MatchString(out) {
				t.Errorf("no line %q %q in:\n%s", kv[i], kv[i+1], out)
			}
		}
	}

	t.Run("Show", func(t *testing.T) {
		u := s.createUser(t, s.Admin, map[string]any{"userId": "holder"})
		s.spaceAlloc(t, s.Admin, u, 1, 15)
		wantLines(t, orgCLI(t, nil, "show"), "name", "Organization", "capacity", "40 GB", "allocated", "15 GB",
			"unallocated", "25 GB", "users", "2 of 5")
	})
	t.Run("Set", func(t *testing.T) {
		out := orgCLI(t, nil, "set", "--capacity-gb", "60", "--max-users", "8", "--name", "Renamed Org")
		wantLines(t, out, "name", "Renamed Org", "capacity", "60 GB", "allocated", "15 GB", "unallocated", "45 GB", "users", "2 of 8")
		// The running server sees the change at once.
		o := s.orgGet(t)
		if o["name"] != "Renamed Org" || num(t, o, "capacityGb") != 60 || num(t, o, "maxUsers") != 8 {
			t.Errorf("organization over HTTP %v, want the new settings", o)
		}
		if root := s.do(t, "GET", "/departments/"+s.Root, s.Admin, nil); root.Body["name"] != "Renamed Org" {
			t.Errorf("root department %s, want it renamed", root.Raw)
		}
		wantLines(t, orgCLI(t, nil, "show"), "name", "Renamed Org", "capacity", "60 GB")
		// The command line's change is in the audit log, by the operator.
		_, entries := s.auditQuery(t, s.Admin, map[string]any{"operations": []string{"UpdateOrganization"}})
		if len(entries) != 1 || entries[0]["operatorName"] != "(operator)" || entries[0]["operatorId"] != "" ||
			entries[0]["operatorIP"] != "" || entries[0]["resource"] != "organization" || num(t, entries[0], "operateResult") != 0 {
			t.Errorf("UpdateOrganization entries %v, want one by (operator) from the command line", entries)
		}
	})
	t.Run("FlagsNotGivenStay", func(t *testing.T) {
		out := orgCLI(t, nil, "set", "--max-users", "9")
		wantLines(t, out, "name", "Renamed Org", "capacity", "60 GB", "users", "2 of 9")
	})
	t.Run("EnvironmentDoesNotChangeSettings", func(t *testing.T) {
		// Variables left over from configuring serve must not change the
		// organization when org set is run for something else.
		e := env{"KOODRIVE_CAPACITY_GB": "999", "KOODRIVE_MAX_USERS": "999", "KOODRIVE_ORG_NAME": "From Env", "KOODRIVE_NAME": "From Env"}
		out := orgCLI(t, e, "set", "--max-users", "10")
		wantLines(t, out, "name", "Renamed Org", "capacity", "60 GB", "users", "2 of 10")
		o := s.orgGet(t)
		if num(t, o, "capacityGb") != 60 || num(t, o, "maxUsers") != 10 || o["name"] != "Renamed Org" {
			t.Errorf("organization %v, want capacity 60, max users 10, name kept", o)
		}
		_, err := cli(t, e, "org", "set", "--data", s.Data)
		if err == nil || !strings.Contains(err.Error(), "--capacity-gb") {
			t.Errorf("org set with nothing but environment variables: err %v, want one saying there is nothing to change", err)
		}
		if got := num(t, s.orgGet(t), "capacityGb"); got != 60 {
			t.Errorf("capacity %d, want 60", got)
		}
	})
	t.Run("DataFromEnvironment", func(t *testing.T) {
		out, err := cli(t, env{"KOODRIVE_DATA": s.Data}, "org", "show")
		if err != nil {
			t.Fatal(err)
		}
		wantLines(t, out, "capacity", "60 GB")
	})
	for _, tc := range []struct {
		name  string
		args  []string
		parts []string
	}{
		{"ErrMaxUsersZero", []string{"--max-users", "0"}, []string{"--max-users"}},
		{"ErrMaxUsersBelowCount", []string{"--max-users", "1"}, []string{"--max-users", "2 users"}},
		{"ErrCapacityNegative", []string{"--capacity-gb", "-1"}, []string{"--capacity-gb"}},
		{"ErrCapacityBelowAllocated", []string{"--capacity-gb", "14"}, []string{"--capacity-gb", "15 GB"}},
		{"ErrCapacityNotANumber", []string{"--capacity-gb", "lots"}, []string{"--capacity-gb"}},
		{"ErrNameEmpty", []string{"--name", ""}, []string{"--name"}},
		{"ErrNothingToChange", nil, []string{"--capacity-gb", "--max-users", "--name"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := s.orgGet(t)
			_, err := cli(t, nil, append([]string{"org", "set", "--data", s.Data}, tc.args...)...)
			if err == nil {
				t.Fatalf("org set %v succeeded", tc.args)
			}
			for _, p := range tc.parts {
				if !strings.Contains(err.Error(), p) {
					t.Errorf("err %q does not contain %q", err, p)
				}
			}
			if after := s.orgGet(t); fmt.Sprint(after) != fmt.Sprint(before) {
				t.Errorf("organization %v after a failed org set, want %v", after, before)
			}
		})
	}
	t.Run("ErrUninitializedData", func(t *testing.T) {
		_, err := cli(t, nil, "org", "show", "--data", t.TempDir())
		if err == nil {
			t.Fatal("org show on an empty data folder succeeded")
		}
	})
}
