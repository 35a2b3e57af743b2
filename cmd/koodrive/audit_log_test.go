package main

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/koodrive/koodrive/signing"
)

// auditTraceID makes a valid X-Traceid (58 characters) that names a request.
func auditTraceID(label string) string {
	id := "audit-" + label + "-"
	return id + strings.Repeat("0", 58-len(id))
}

// auditQuery reads the audit log with a filter body, as the caller of
// token, and returns the total and the entries.
func (s *server) auditQuery(t testing.TB, token string, filter map[string]any, headers ...string) (int, []map[string]any) {
	t.Helper()
	if filter == nil {
		filter = map[string]any{}
	}
	r := s.do(t, "POST", "/auditlog", token, filter, headers...)
	r.wantOK(t)
	items, ok := r.Body["logInfoList"].([]any)
	if !ok {
		t.Fatalf("logInfoList is not an array: %s", r.Raw)
	}
	out := make([]map[string]any, len(items))
	for i, it := range items {
		out[i] = it.(map[string]any)
	}
	return num(t, r.Body, "total"), out
}

// auditByTrace returns the entries of the whole log (at most 100) whose
// traceId is trace.
func (s *server) auditByTrace(t testing.TB, trace string, headers ...string) []map[string]any {
	t.Helper()
	_, entries := s.auditQuery(t, s.Admin, map[string]any{"pageInfo": map[string]any{"pageSize": 100}}, headers...)
	var out []map[string]any
	for _, e := range entries {
		if e["traceId"] == trace {
			out = append(out, e)
		}
	}
	return out
}

var auditTimePattern = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`)

var auditEntryKinds = map[string]byte{
	"logId": 's', "tenantId": 's', "operatorName": 's', "operatorId": 's', "operateTime": 's', "operation": 's',
	"resource": 's', "operateResult": 'n', "operatorIP": 's', "message": 's', "traceId": 's', "appId": 's',
}

func TestAuditLog_EveryMutation(t *testing.T) {
	s := startServer(t)
	admin := s.adminID(t)
	org := str(t, s.orgGet(t), "id")
	const apps = "/koodrive/admin/v1/apps"

	type mutation struct {
		op       string
		resource func(r reply) string // nil: the report names the space by container or by owner
		do       func(trace string) reply
	}
	var user, dept, appID, container string
	muts := []mutation{
		{"CreateUser", func(r reply) string { user = str(t, r.data(t), "id"); return "user/" + user }, func(tr string) reply {
			return s.do(t, "POST", "/users", s.Admin, map[string]any{"userId": "audited"}, "X-Traceid", tr)
		}},
		{"UpdateUser", func(reply) string { return "user/" + user }, func(tr string) reply {
			return s.do(t, "PUT", "/users/"+user, s.Admin, map[string]any{"name": "Audited User"}, "X-Traceid", tr)
		}},
		{"CreateDepartment", func(r reply) string { dept = str(t, r.data(t), "id"); return "department/" + dept }, func(tr string) reply {
			return s.do(t, "POST", "/departments", s.Admin, map[string]any{"name": "Audited", "parentId": s.Root}, "X-Traceid", tr)
		}},
		{"UpdateDepartment", func(reply) string { return "department/" + dept }, func(tr string) reply {
			return s.do(t, "PUT", "/departments/"+dept, s.Admin, map[string]any{"name": "Audited Renamed", "parentId": s.Root}, "X-Traceid", tr)
		}},
		{"CreateSpace", func(reply) string { return "space/user/" + user }, func(tr string) reply {
			r := s.do(t, "POST", "/space/"+user, s.Admin, map[string]any{"capacity": "3", "type": 1}, "X-Traceid", tr)
			if r.Status == http.StatusOK {
				container = str(t, r.data(t), "containerId")
			}
			return r
		}},
		{"UpdateSpace", func(reply) string { return "space/user/" + user }, func(tr string) reply {
			return s.do(t, "PUT", "/space/"+user, s.Admin, map[string]any{"capacity": "4", "type": 1}, "X-Traceid", tr)
		}},
		{"ReportSpaceUsage", nil, func(tr string) reply {
			return s.do(t, "PUT", "/koodrive/admin/v1/spaces/"+container+"/usage", s.Admin, map[string]any{"spaceUsed": 0}, "X-Traceid", tr)
		}},
		{"DeleteSpace", func(reply) string { return "space/user/" + user }, func(tr string) reply {
			return s.do(t, "DELETE", "/space/"+user+"?type=1", s.Admin, nil, "X-Traceid", tr)
		}},
		{"DeleteUser", func(reply) string { return "user/" + user }, func(tr string) reply {
			return s.do(t, "DELETE", "/users/"+user, s.Admin, nil, "X-Traceid", tr)
		}},
		{"DeleteDepartment", func(reply) string { return "department/" + dept }, func(tr string) reply {
			return s.do(t, "DELETE", "/departments/"+dept, s.Admin, nil, "X-Traceid", tr)
		}},
		{"UpdateOrganization", func(reply) string { return "organization" }, func(tr string) reply {
			return s.do(t, "PUT", orgSettingsPath, s.Admin, map[string]any{"maxUsers": 500}, "X-Traceid", tr)
		}},
		{"CreateApp", func(r reply) string { appID = str(t, r.data(t), "appId"); return "app/" + appID }, func(tr string) reply {
			return s.do(t, "POST", apps, s.Admin, map[string]any{"name": "audited app"}, "X-Traceid", tr)
		}},
		{"UpdateApp", func(reply) string { return "app/" + appID }, func(tr string) reply {
			return s.do(t, "PUT", apps+"/"+appID, s.Admin, map[string]any{"status": 1}, "X-Traceid", tr)
		}},
		{"RotateAppSecret", func(reply) string { return "app/" + appID }, func(tr string) reply {
			return s.do(t, "POST", apps+"/"+appID+"/secret", s.Admin, map[string]any{"graceSeconds": 60}, "X-Traceid", tr)
		}},
		{"DeleteApp", func(reply) string { return "app/" + appID }, func(tr string) reply {
			return s.do(t, "DELETE", apps+"/"+appID, s.Admin, nil, "X-Traceid", tr)
		}},
	}
	resources := map[string]string{}
	for _, m := range muts {
		trace := auditTraceID(m.op)
		r := m.do(trace)
		r.wantOK(t)
		if got := r.Header.Get("X-Traceid"); got != trace {
			t.Fatalf("%s: X-Traceid %q, want %q", m.op, got, trace)
		}
		if m.resource != nil {
			resources[m.op] = m.resource(r)
		}
	}
	for _, m := range muts {
		t.Run(m.op, func(t *testing.T) {
			trace := auditTraceID(m.op)
			entries := s.auditByTrace(t, trace)
			if len(entries) != 1 {
				t.Fatalf("%d entries with trace ID %s, want 1: %v", len(entries), trace, entries)
			}
			e := entries[0]
			wantJSONShape(t, m.op, e, auditEntryKinds)
			want := map[string]any{"operatorName": "admin", "operatorId": admin, "operation": m.op, "operatorIP": "127.0.0.1",
				"message": "", "appId": "", "tenantId": org}
			for k, v := range want {
				if e[k] != v {
					t.Errorf("%s = %v, want %v", k, e[k], v)
				}
			}
			if num(t, e, "operateResult") != 0 {
				t.Errorf("operateResult %v, want 0", e["operateResult"])
			}
			if !auditTimePattern.MatchString(str(t, e, "operateTime")) {
				t.Errorf("operateTime %q, want the form 2025-01-01T00:00:01.000Z", e["operateTime"])
			}
			res := str(t, e, "resource")
			if wantRes, ok := resources[m.op]; ok {
				if res != wantRes {
					t.Errorf("resource %q, want %q", res, wantRes)
				}
			} else if res != "space/"+container && res != "space/user/"+user {
				t.Errorf("resource %q, want space/%s or space/user/%s", res, container, user)
			}
		})
	}
	t.Run("OneEntryPerMutation", func(t *testing.T) {
		total, entries := s.auditQuery(t, s.Admin, map[string]any{"pageInfo": map[string]any{"pageSize": 100}})
		ops := map[string]int{}
		for _, e := range entries {
			ops[e["operation"].(string)]++
		}
		for _, m := range muts {
			if ops[m.op] != 1 {
				t.Errorf("%d %s entries, want 1", ops[m.op], m.op)
			}
		}
		// The mutations above and the organization's creation; reads and
		// sign-ins are not mutations.
		if total != len(muts)+1 || ops["InitOrganization"] != 1 {
			t.Errorf("total %d (%v), want %d", total, ops, len(muts)+1)
		}
	})
}

func TestAuditLog_Refusals(t *testing.T) {
	s := startServer(t, "--capacity-gb", "10")
	a := s.createDept(t, s.Admin, s.Root, "A")
	b := s.createDept(t, s.Admin, s.Root, "B")
	deptAdminID, deptAdmin := s.userIn(t, "dept-admin", a, 0)
	u := s.createUser(t, s.Admin, map[string]any{"userId": "u1", "modifyUserInfoReq": map[string]any{"deptId": a}})

	for _, tc := range []struct {
		name, op, operator, operatorID string
		do                             func(trace string) reply
		status, code                   int
		en, zh                         string
	}{
		{"Forbidden", "CreateUser", "dept-admin", deptAdminID, func(tr string) reply {
			return s.do(t, "POST", "/users", deptAdmin, map[string]any{"userId": "outsider", "modifyUserInfoReq": map[string]any{"deptId": b}}, "X-Traceid", tr)
		}, 403, 13000410, "is outside the departments you administer", "不在您管理的部门范围内"},
		{"FirstAllocationZero", "CreateSpace", "admin", "", func(tr string) reply {
			return s.do(t, "POST", "/space/"+u, s.Admin, map[string]any{"capacity": "0", "type": 1}, "X-Traceid", tr)
		}, 400, 13000102, "the first allocation of a space cannot be 0 GB", "空间首次分配的容量不能为 0 GB"},
		{"InsufficientSpace", "CreateSpace", "admin", "", func(tr string) reply {
			return s.do(t, "POST", "/space/"+u, s.Admin, map[string]any{"capacity": "11", "type": 1}, "X-Traceid", tr)
		}, 400, 13000311, "11 GB more is needed and 10 GB", "还需要 11 GB，企业未分配容量仅剩 10 GB"},
		{"DeptAdminChangesAdmin", "UpdateUser", "dept-admin", deptAdminID, func(tr string) reply {
			return s.do(t, "PUT", "/users/"+s.adminID(t), deptAdmin, map[string]any{"status": 1}, "X-Traceid", tr)
		}, 403, 13000410, "", ""},
		{"NotFound", "DeleteDepartment", "admin", "", func(tr string) reply {
			return s.do(t, "DELETE", "/departments/1575416580416769793", s.Admin, nil, "X-Traceid", tr)
		}, 404, 13000309, "1575416580416769793", "1575416580416769793"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			trace := auditTraceID(tc.name)
			tc.do(trace).wantError(t, tc.status, tc.code)
			operatorID := tc.operatorID
			if operatorID == "" {
				operatorID = s.adminID(t)
			}
			texts := map[string]string{}
			for _, lang := range []string{"en-US", "zh-CN"} {
				entries := s.auditByTrace(t, trace, "language", lang)
				if len(entries) != 1 {
					t.Fatalf("%d entries with trace ID %s, want 1", len(entries), trace)
				}
				e := entries[0]
				if e["operation"] != tc.op || e["operatorName"] != tc.operator || e["operatorId"] != operatorID || e["operatorIP"] != "127.0.0.1" {
					t.Errorf("entry %v, want %s by %s (%s) from 127.0.0.1", e, tc.op, tc.operator, operatorID)
				}
				if num(t, e, "operateResult") != 1 {
					t.Errorf("operateResult %v, want 1", e["operateResult"])
				}
				texts[lang] = str(t, e, "message")
			}
			if texts["en-US"] == "" || texts["zh-CN"] == "" || texts["en-US"] == texts["zh-CN"] {
				t.Errorf("messages en-US %q, zh-CN %q; want a text in each language", texts["en-US"], texts["zh-CN"])
			}
			if !strings.Contains(texts["en-US"], tc.en) || !strings.Contains(texts["zh-CN"], tc.zh) {
				t.Errorf("messages en-US %q, zh-CN %q; want them to contain %q and %q", texts["en-US"], texts["zh-CN"], tc.en, tc.zh)
			}
			if strings.Contains(texts["en-US"], "<no value>") || strings.Contains(texts["zh-CN"], "<no value>") {
				t.Errorf("a message lacks a parameter: %q, %q", texts["en-US"], texts["zh-CN"])
			}
		})
	}
	t.Run("RefusalChangedNothing", func(t *testing.T) {
		s.do(t, "GET", "/space/"+u+"?type=1", s.Admin, nil).wantError(t, 404, 13000309)
		if got := s.count(t); got != 3 {
			t.Errorf("%d users, want 3", got)
		}
	})
}

func TestAuditLog_ByApp(t *testing.T) {
	s := startServer(t)
	a := s.createDept(t, s.Admin, s.Root, "A")
	hrAdmin, _ := s.userIn(t, "hr-admin", a, 0)
	app := s.newApp(t, "HR sync")
	trace := auditTraceID("app")
	req, err := http.NewRequest("POST", s.URL+apiPath("/departments"), strings.NewReader(`{"name":"From HR","parentId":"`+a+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set(signing.HeaderUserID, hrAdmin)
	req.Header.Set("X-Traceid", trace)
	if err := signing.Sign(req, app.ID, app.Secret, time.Now(), "x-traceid"); err != nil {
		t.Fatal(err)
	}
	r := send(t, req)
	r.wantOK(t)
	dept := str(t, r.data(t), "id")
	entries := s.auditByTrace(t, trace)
	if len(entries) != 1 {
		t.Fatalf("%d entries with trace ID %s, want 1", len(entries), trace)
	}
	e := entries[0]
	want := map[string]any{"appId": app.ID, "operatorName": "hr-admin", "operatorId": hrAdmin, "operation": "CreateDepartment",
		"resource": "department/" + dept, "operatorIP": "127.0.0.1"}
	for k, v := range want {
		if e[k] != v {
			t.Errorf("%s = %v, want %v", k, e[k], v)
		}
	}
	// A refusal made through an app names the app too.
	outside := s.signed(t, app, hrAdmin, "POST", "/departments", `{"name":"Elsewhere","parentId":"`+s.Root+`"}`)
	outside.wantError(t, 403, 13000410)
	failed := s.auditByTrace(t, outside.Header.Get("X-Traceid"))
	if len(failed) != 1 || failed[0]["appId"] != app.ID || failed[0]["operatorName"] != "hr-admin" || num(t, failed[0], "operateResult") != 1 {
		t.Errorf("entries of the refused app request: %v", failed)
	}
	// The app acting for a system administrator may read the log; acting for
	// anyone else it may not.
	s.signed(t, app, s.adminID(t), "POST", "/auditlog", `{}`).wantOK(t)
	s.signed(t, app, hrAdmin, "POST", "/auditlog", `{"pageInfo":{"pageSize":1}}`).wantError(t, 403, 13000410)
}

func TestAuditLog_Filters(t *testing.T) {
	s := startServer(t, "--capacity-gb", "10")
	a := s.createDept(t, s.Admin, s.Root, "A")
	b := s.createDept(t, s.Admin, s.Root, "B")
	_, deptAdmin := s.userIn(t, "dept-admin", a, 0)
	// Entries so far: InitOrganization, 2 CreateDepartment, CreateUser.
	time.Sleep(5 * time.Millisecond)
	mark := time.Now().UTC()
	time.Sleep(5 * time.Millisecond)
	u := s.createUser(t, deptAdmin, map[string]any{"userId": "u1", "modifyUserInfoReq": map[string]any{"deptId": a}})
	s.do(t, "POST", "/users", deptAdmin, map[string]any{"userId": "u2", "modifyUserInfoReq": map[string]any{"deptId": b}}).wantError(t, 403, 13000410)
	s.spaceAlloc(t, s.Admin, u, 1, 2)
	s.do(t, "POST", "/space/"+u, s.Admin, map[string]any{"capacity": "1", "type": 1}).wantError(t, 409, 13000102)
	time.Sleep(5 * time.Millisecond)
	end := time.Now().UTC()
	const all = 8
	at := func(tm time.Time) string { return tm.Format("2006-01-02T15:04:05.000Z07:00") }

	ops := func(entries []map[string]any) string {
		var out []string
		for _, e := range entries {
			out = append(out, fmt.Sprintf("%s:%v", e["operation"], e["operateResult"]))
		}
		return strings.Join(out, ",")
	}
	for _, tc := range []struct {
		name   string
		filter map[string]any
		total  int
		want   string // operations and results, newest first; "" to skip
	}{
		{"All", map[string]any{}, all, ""},
		{"From", map[string]any{"operTimeFrom": at(mark)}, 4, "CreateSpace:1,CreateSpace:0,CreateUser:1,CreateUser:0"},
		{"To", map[string]any{"operTimeTo": at(mark)}, 4, "CreateUser:0,CreateDepartment:0,CreateDepartment:0,InitOrganization:0"},
		{"FromTo", map[string]any{"operTimeFrom": at(mark), "operTimeTo": at(end)}, 4, ""},
		{"FromInTheFuture", map[string]any{"operTimeFrom": at(end.Add(time.Hour))}, 0, ""},
		{"OffsetTime", map[string]any{"operTimeFrom": mark.In(time.FixedZone("CST", 8*3600)).Format(time.RFC3339Nano)}, 4, ""},
		{"OperatorName", map[string]any{"operatorName": "dept-admin"}, 2, "CreateUser:1,CreateUser:0"},
		{"OperatorNameAdmin", map[string]any{"operatorName": "admin"}, 5, ""},
		{"Operations", map[string]any{"operations": []string{"CreateSpace", "CreateDepartment"}}, 4, "CreateSpace:1,CreateSpace:0,CreateDepartment:0,CreateDepartment:0"},
		{"ExcludedOperations", map[string]any{"excludedOperations": []string{"CreateUser", "CreateDepartment"}}, 3, "CreateSpace:1,CreateSpace:0,InitOrganization:0"},
		{"OperationsAndExcluded", map[string]any{"operations": []string{"CreateUser", "CreateSpace"}, "excludedOperations": []string{"CreateUser"}}, 2, "CreateSpace:1,CreateSpace:0"},
		{"Failed", map[string]any{"operateResult": 1}, 2, "CreateSpace:1,CreateUser:1"},
		{"Succeeded", map[string]any{"operateResult": 0}, 6, ""},
		{"FailedByOperator", map[string]any{"operateResult": 1, "operatorName": "dept-admin"}, 1, "CreateUser:1"},
		{"OperatorIP", map[string]any{"operatorIP": "127.0.0.1"}, all - 1, ""}, // the organization was created by the command line
		{"OtherIP", map[string]any{"operatorIP": "10.1.2.3"}, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := map[string]any{"pageInfo": map[string]any{"pageSize": 100}}
			for k, v := range tc.filter {
				f[k] = v
			}
			total, entries := s.auditQuery(t, s.Admin, f)
			if total != tc.total || len(entries) != tc.total {
				t.Errorf("total %d with %d entries (%s), want %d", total, len(entries), ops(entries), tc.total)
			}
			if tc.want != "" && ops(entries) != tc.want {
				t.Errorf("entries %s, want %s", ops(entries), tc.want)
			}
		})
	}
	t.Run("InitByCommandLine", func(t *testing.T) {
		_, entries := s.auditQuery(t, s.Admin, map[string]any{"operations": []string{"InitOrganization"}})
		if len(entries) != 1 || entries[0]["operatorId"] != "" || entries[0]["operatorIP"] != "" || entries[0]["resource"] != "organization" {
			t.Errorf("InitOrganization entries %v, want one by the command line", entries)
		}
	})
	t.Run("Paging", func(t *testing.T) {
		var ids []string
		for page := 1; page <= 3; page++ {
			total, entries := s.auditQuery(t, s.Admin, map[string]any{"pageInfo": map[string]any{"pageSize": 3, "pageNum": page}})
			if total != all {
				t.Errorf("page %d: total %d, want %d", page, total, all)
			}
			if want := min(3, all-3*(page-1)); len(entries) != want {
				t.Errorf("page %d: %d entries, want %d", page, len(entries), want)
			}
			for _, e := range entries {
				ids = append(ids, str(t, e, "logId"))
			}
		}
		_, every := s.auditQuery(t, s.Admin, map[string]any{"pageInfo": map[string]any{"pageSize": 100}})
		var want []string
		for _, e := range every {
			want = append(want, str(t, e, "logId"))
		}
		if !slices.Equal(ids, want) {
			t.Errorf("pages hold %v, want %v", ids, want)
		}
		total, entries := s.auditQuery(t, s.Admin, map[string]any{"pageInfo": map[string]any{"pageSize": 3, "pageNum": 4}})
		if total != all || len(entries) != 0 {
			t.Errorf("past the end: total %d, %d entries; want %d and none", total, len(entries), all)
		}
		if _, entries := s.auditQuery(t, s.Admin, nil); len(entries) != all { // default page size 10
			t.Errorf("%d entries by default, want %d", len(entries), all)
		}
	})
	t.Run("Sort", func(t *testing.T) {
		_, desc := s.auditQuery(t, s.Admin, map[string]any{"pageInfo": map[string]any{"pageSize": 100}})
		_, explicit := s.auditQuery(t, s.Admin, map[string]any{"pageInfo": map[string]any{"pageSize": 100}, "sortInfo": map[string]any{"sortType": 1, "sortDirection": 2}})
		_, asc := s.auditQuery(t, s.Admin, map[string]any{"pageInfo": map[string]any{"pageSize": 100}, "sortInfo": map[string]any{"sortType": 1, "sortDirection": 1}})
		if ops(desc) != ops(explicit) {
			t.Errorf("default order %s, sortDirection 2 %s; want the same", ops(desc), ops(explicit))
		}
		if desc[0]["operation"] != "CreateSpace" || asc[0]["operation"] != "InitOrganization" {
			t.Errorf("newest first %s; oldest first %s", ops(desc), ops(asc))
		}
		reversed := slices.Clone(asc)
		slices.Reverse(reversed)
		if ops(reversed) != ops(desc) {
			t.Errorf("ascending %s is not descending %s reversed", ops(asc), ops(desc))
		}
		for i := 1; i < len(asc); i++ {
			if str(t, asc[i-1], "operateTime") > str(t, asc[i], "operateTime") {
				t.Errorf("ascending entries out of order at %d: %v then %v", i, asc[i-1]["operateTime"], asc[i]["operateTime"])
			}
		}
	})
	for _, tc := range []struct {
		name   string
		filter any
		code   int
		parts  []string
	}{
		{"ErrFromNotATime", map[string]any{"operTimeFrom": "yesterday"}, 13000102, []string{"operTimeFrom", "2025-01-01T00:00:01.000Z"}},
		{"ErrToWithoutZone", map[string]any{"operTimeTo": "2025-01-01 00:00:01"}, 13000102, []string{"operTimeTo"}},
		{"ErrToMonth13", map[string]any{"operTimeTo": "2025-13-01T00:00:00.000Z"}, 13000102, []string{"operTimeTo"}},
		{"ErrResult", map[string]any{"operateResult": 2}, 13000102, []string{"operateResult"}},
		{"ErrPageSizeZero", map[string]any{"pageInfo": map[string]any{"pageSize": 0}}, 13000102, []string{"pageInfo.pageSize"}},
		{"ErrPageSizeTooBig", map[string]any{"pageInfo": map[string]any{"pageSize": 101}}, 13000102, []string{"pageInfo.pageSize", "100"}},
		{"ErrPageNumZero", map[string]any{"pageInfo": map[string]any{"pageNum": 0}}, 13000102, []string{"pageInfo.pageNum"}},
		{"ErrSortType", map[string]any{"sortInfo": map[string]any{"sortType": 2}}, 13000102, []string{"sortInfo.sortType"}},
		{"ErrSortDirection", map[string]any{"sortInfo": map[string]any{"sortDirection": 3}}, 13000102, []string{"sortInfo.sortDirection"}},
		{"ErrOperationsNotAList", `{"operations":"CreateUser"}`, 13000101, []string{"operations"}},
		{"ErrMalformed", `{"operatorName":`, 13000101, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s.do(t, "POST", "/auditlog", s.Admin, tc.filter).wantError(t, 400, tc.code, tc.parts...)
		})
	}
	t.Run("ErrTimeInChinese", func(t *testing.T) {
		s.do(t, "POST", "/auditlog", s.Admin, map[string]any{"operTimeFrom": "昨天"}, "language", "zh-CN").wantError(t, 400, 13000102, "operTimeFrom", "必须是时间")
	})
	t.Run("ErrNotSystemAdmin", func(t *testing.T) {
		for _, role := range []int{0, 5, 3, 1} {
			_, token := s.userIn(t, fmt.Sprintf("reader%d", role), a, role)
			s.do(t, "POST", "/auditlog", token, map[string]any{}).wantError(t, 403, 13000410)
		}
		s.do(t, "POST", "/auditlog", "", map[string]any{}).wantError(t, 401, 13000101)
	})
}
