package main

import (
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

// impModesOrg is an organization with Sales and Support under the root,
// and five users imported into Sales by the system administrator.
type impModesOrg struct {
	s              *server
	sales, support string
	rows           []impRow
	ids            map[string]string // userId -> KooDrive ID
}

func newImpModesOrg(t *testing.T) *impModesOrg {
	t.Helper()
	s := startServer(t)
	o := &impModesOrg{s: s, ids: map[string]string{}}
	o.sales = s.createDept(t, s.Admin, s.Root, "Sales")
	o.support = s.createDept(t, s.Admin, s.Root, "Support")
	o.rows = []impRow{
		{"m1", "One", "13600000001", "m1@example.com", "Sales", "", "10", "yes"},
		{"m2", "Two", "13600000002", "m2@example.com", "Sales", "", "", ""},
		{"m3", "Three", "", "", "Sales", "5", "5", "yes"},
		{"m4", "Four", "", "", "Sales", "", "3", "yes"},
		{"m5", "Five", "", "", "Sales", "", "", ""},
	}
	up := impUploadCSV(t, s, s.Admin, impRowsCSV(impKeys, o.rows), "", "")
	impWantProgress(t, impRun(t, s, s.Admin, up), 2, impProgress{Total: 5, Done: 5, Created: 5})
	for _, r := range o.rows {
		o.ids[r.UserID] = impMustFind(t, s, r.UserID).ID
	}
	return o
}

// impSnapshot is what a test compares to see that nothing changed: every
// user and their personal spaces, and the organization's totals.
type impSnapshot struct {
	Users     map[string]impUser
	Spaces    map[string]int
	Count     int
	Allocated int
}

func (o *impModesOrg) snapshot(t *testing.T) impSnapshot {
	t.Helper()
	snap := impSnapshot{Users: map[string]impUser{}, Spaces: map[string]int{}}
	for userID, id := range o.ids {
		snap.Users[userID] = impGetUser(t, o.s, id)
		if c, ok := impSpace(t, o.s, id); ok {
			snap.Spaces[userID] = c
		}
	}
	snap.Count, snap.Allocated = impTotals(t, o.s)
	return snap
}

// TestImportCreateTwice uploads the same file again in create mode: every
// row fails as an existing user, and the task changes nothing.
func TestImportCreateTwice(t *testing.T) {
	o := newImpModesOrg(t)
	before := o.snapshot(t)
	for _, mode := range []string{"", "create"} {
		up := impUploadCSV(t, o.s, o.s.Admin, impRowsCSV(impKeys, o.rows), "", mode)
		if got := impCounts(t, up); got != [4]int{5, 0, 0, 5} {
			t.Errorf("mode %q: upload counts %v, want [5 0 0 5]", mode, got)
		}
		for _, row := range impReport(t, o.s, o.s.Admin, str(t, up, "resultId"), true, "") {
			if want := "userId " + row.UserID + " already belongs to an existing user"; !strings.HasPrefix(row.Reason, want) {
				t.Errorf("line %d: reason %q, want it to start %q", row.Line, row.Reason, want)
			}
		}
		taskID := impStart(t, o.s, o.s.Admin, str(t, up, "resultId"))
		task := impWait(t, o.s.URL, o.s.Admin, taskID, impDeadline)
		impWantProgress(t, task, 2, impProgress{Total: 5, Done: 5, Failed: 5})
		res := impResult(t, o.s, o.s.Admin, taskID, "")
		if res.SuccessCount != 0 || res.CreatedCount != 0 || res.UpdatedCount != 0 || res.FailCount != 5 || len(res.FailInfoList) != 5 {
			t.Errorf("result %+v; want nothing created or updated and 5 failures", res)
		}
		for i, f := range res.FailInfoList {
			if f.Row != i+2 || f.UserName != o.rows[i].Name || !strings.Contains(f.Desc, "already belongs to an existing user") || f.Code != 13000102 {
				t.Errorf("failInfo %d: %+v", i, f)
			}
		}
		if after := o.snapshot(t); !reflect.DeepEqual(after, before) {
			t.Errorf("mode %q: the organization changed:\n got %+v\nwant %+v", mode, after, before)
		}
	}
}

// TestImportSkip imports a file of existing and new users in skip mode:
// the existing ones are counted as skipped and left as they are.
func TestImportSkip(t *testing.T) {
	o := newImpModesOrg(t)
	before := o.snapshot(t)
	rows := []impRow{
		{"M1", "One Renamed", "", "", "Support", "0", "50", "yes"}, // existing, any case
		{"new1", "New One", "", "", "Support", "", "2", "yes"},
		{"m3", "", "", "", "", "", "", ""},
		{"m5", "Five Renamed", "", "", "", "", "", ""},
		{"new2", "New Two", "", "", "", "", "", ""},
	}
	for _, how := range []string{"multipart", "query"} { // the second one runs
		var r reply
		if how == "multipart" {
			r = impUploadForm(t, o.s, o.s.Admin, "skip.csv", impRowsCSV(impKeys, rows), []string{"mode", "skip", "curDeptId", o.s.Root})
		} else {
			r = impUploadBody(t, o.s, o.s.Admin, impRowsCSV(impKeys, rows), "text/csv", url.Values{"mode": {"skip"}})
		}
		r.wantOK(t)
		up := r.data(t)
		if got := impCounts(t, up); got != [4]int{5, 2, 3, 0} || str(t, up, "mode") != "skip" {
			t.Errorf("%s: upload counts %v, mode %v; want [5 2 3 0], skip", how, got, up["mode"])
		}
		if how == "query" {
			task := impRun(t, o.s, o.s.Admin, up)
			impWantProgress(t, task, 2, impProgress{Total: 5, Done: 5, Created: 2, Skipped: 3})
			res := impResult(t, o.s, o.s.Admin, task.TaskID, "")
			if res.SkipCount != 3 || res.CreatedCount != 2 || res.SuccessCount != 2 || res.FailCount != 0 {
				t.Errorf("result %+v; want 2 created, 3 skipped", res)
			}
			report := impReport(t, o.s, o.s.Admin, str(t, up, "resultId"), false, "")
			for i, want := range []string{"skipped", "created", "skipped", "skipped", "created"} {
				if report[i].Outcome != want || report[i].ID == "" {
					t.Errorf("report row %d: %+v; want %s, with the user's id", i, report[i], want)
				}
			}
			if report[0].ID != o.ids["m1"] {
				t.Errorf("skipped row names user %s, want m1's %s", report[0].ID, o.ids["m1"])
			}
		}
	}
	after := o.snapshot(t)
	if !reflect.DeepEqual(after.Users, before.Users) || !reflect.DeepEqual(after.Spaces, before.Spaces) {
		t.Errorf("skip mode changed existing users:\n got %+v\nwant %+v", after, before)
	}
	if after.Count != before.Count+2 || after.Allocated != before.Allocated+2 {
		t.Errorf("%d users, %d GB allocated; want %d and %d", after.Count, after.Allocated, before.Count+2, before.Allocated+2)
	}
	impWantUser(t, o.s, impUser{UserID: "new1", Name: "New One", Role: 1}, o.support, 2)
	impWantUser(t, o.s, impUser{UserID: "new2", Name: "New Two", Role: 1}, o.s.Root, 0)
}

// TestImportUpdate imports a file in update mode: the cells given change
// the existing users, empty cells leave them as they are, capacities obey
// the allocation rules, and new userIds are created.
func TestImportUpdate(t *testing.T) {
	o := newImpModesOrg(t)
	s := o.s
	// m4 stores 2.5 GB in its 3 GB space.
	r := s.do(t, "GET", "/space/"+o.ids["m4"]+"?type=1", s.Admin, nil)
	r.wantOK(t)
	container := str(t, r.data(t), "containerId")
	s.do(t, "PUT", "/koodrive/admin/v1/spaces/"+container+"/usage", s.Admin, map[string]any{"spaceUsed": 5 << 29}).wantOK(t)
	before := o.snapshot(t)
	unallocated := num(t, impOrg(t, s), "unallocatedGb")

	rows := []impRow{
		/* 2 */ {"M1", "One Changed", "+86 137 0000 0001", "one.changed@example.com", "Support", "department administrator", "20", "yes"},
		/* 3 */ {"m2", "", "", "", "", "", "", ""},
		/* 4 */ {"m3", "", "", "", "", "", "2", "是"},
		/* 5 */ {"m4", "Four", "", "", "", "", "2", "yes"},
		/* 6 */ {"m5", "", "", "", "", "", "0", "yes"},
		/* 7 */ {"m2", "", "", "", "", "", "5000", "yes"},
		/* 8 */ {"new1", "New One", "", "new1@example.com", "Support", "", "1", ""},
		/* 9 */ {"m5", "", "13600000002", "", "", "", "", ""},
	}
	up := impUploadCSV(t, s, s.Admin, impRowsCSV(impHeadersEN, rows), "", "update")
	if got := impCounts(t, up); got != [4]int{8, 4, 0, 4} {
		t.Errorf("upload counts %v, want [8 4 0 4]", got)
	}
	wantReasons := map[int]string{
		5: "capacity cannot be less than the 3 GB the space already holds",
		6: "personalCapacity must be at least 1 GB",
		7: "userId m2 repeats row 3",
		9: "mobile 13600000002 already belongs to an existing user",
	}
	impWantReasons(t, impReport(t, s, s.Admin, str(t, up, "resultId"), true, ""), wantReasons)

	task := impRun(t, s, s.Admin, up)
	impWantProgress(t, task, 2, impProgress{Total: 8, Done: 8, Created: 1, Updated: 3, Failed: 4})
	impWantUser(t, s, impUser{UserID: "m1", Name: "One Changed", Mobile: "+8613700000001", Email: "one.changed@example.com", Role: 0}, o.support, 20)
	impWantUser(t, s, impUser{UserID: "m2", Name: "Two", Mobile: "13600000002", Email: "m2@example.com", Role: 1}, o.sales, 0)
	impWantUser(t, s, impUser{UserID: "m3", Name: "Three", Role: 5}, o.sales, 2)
	impWantUser(t, s, impUser{UserID: "m4", Name: "Four", Role: 1}, o.sales, 3)
	impWantUser(t, s, impUser{UserID: "m5", Name: "Five", Role: 1}, o.sales, 0)
	impWantUser(t, s, impUser{UserID: "new1", Name: "New One", Email: "new1@example.com", Role: 1}, o.support, 1)
	users, allocated := impTotals(t, s)
	if users != before.Count+1 || allocated != before.Allocated+10-3+1 {
		t.Errorf("%d users and %d GB allocated; want %d and %d", users, allocated, before.Count+1, before.Allocated+8)
	}

	// A capacity beyond what is unallocated fails; the same change that
	// fits passes.
	over := []impRow{{"m5", "", "", "", "", "", fmt.Sprint(unallocated + 1), "yes"}}
	up = impUploadCSV(t, s, s.Admin, impRowsCSV(impKeys, over), "", "update")
	rep := impReport(t, s, s.Admin, str(t, up, "resultId"), true, "")
	left := unallocated - 8
	impWantReasons(t, rep, map[int]string{2: fmt.Sprintf("insufficient space for capacity: %d GB more is needed and %d GB", unallocated+1, left)})
	over[0].Capacity = fmt.Sprint(left)
	up = impUploadCSV(t, s, s.Admin, impRowsCSV(impKeys, over), "", "update")
	impWantProgress(t, impRun(t, s, s.Admin, up), 2, impProgress{Total: 1, Done: 1, Updated: 1})
	if _, allocated := impTotals(t, s); allocated != num(t, impOrg(t, s), "capacityGb") {
		t.Errorf("%d GB allocated, want the whole capacity", allocated)
	}
}

// impWantReasons checks that the failing rows of a report are exactly the
// lines of want, each with a reason that contains want's text.
func impWantReasons(t *testing.T, report []impReportRow, want map[int]string) {
	t.Helper()
	seen := map[int]bool{}
	for _, row := range report {
		seen[row.Line] = true
		w, ok := want[row.Line]
		if !ok {
			t.Errorf("line %d fails: %q", row.Line, row.Reason)
		} else if !strings.Contains(row.Reason, w) {
			t.Errorf("line %d fails with %q, want %q", row.Line, row.Reason, w)
		}
	}
	for line, w := range want {
		if !seen[line] {
			t.Errorf("line %d passes, want it to fail with %q", line, w)
		}
	}
}

// TestImportUpdateRights updates users as a department administrator: rows
// that change a user outside its departments, another administrator or
// itself fail, and those users stay as they are.
func TestImportUpdateRights(t *testing.T) {
	o := newImpModesOrg(t)
	s := o.s
	adminID, token := s.userIn(t, "salesadmin", o.sales, 0)
	otherAdmin, _ := s.userIn(t, "salesadmin2", o.sales, 0)
	outsider, _ := s.userIn(t, "outsider", o.support, 1)
	o.ids["salesadmin"], o.ids["salesadmin2"], o.ids["outsider"] = adminID, otherAdmin, outsider
	s.do(t, "GET", "/users/count", token, nil).wantOK(t) // the first use of a token activates its user
	before := o.snapshot(t)

	rows := []impRow{
		/* 2 */ {"outsider", "Moved In", "", "", "", "", "", ""},
		/* 3 */ {"salesadmin2", "Demoted", "", "", "", "1", "", ""},
		/* 4 */ {"salesadmin", "Myself", "", "", "", "", "", ""},
		/* 5 */ {"admin", "Root", "", "", "", "", "", ""},
		/* 6 */ {"m2", "Two Changed", "", "", "", "", "", ""},
		/* 7 */ {"m3", "", "", "", "", "2", "", ""},
	}
	up := impUploadCSV(t, s, token, impRowsCSV(impKeys, rows), o.sales, "update")
	impWantReasons(t, impReport(t, s, token, str(t, up, "resultId"), true, ""), map[int]string{
		2: "department " + o.support + " (userId) is outside the departments you administer",
		3: "you may not change or delete a user with role 0 (userId)",
		4: "you cannot change your own role, status or department",
		5: "is outside the departments you administer",
		7: "you may not grant role 2 (role)",
	})
	task := impRun(t, s, token, up)
	impWantProgress(t, task, 2, impProgress{Total: 6, Done: 6, Updated: 1, Failed: 5})
	res := impResult(t, s, token, task.TaskID, "")
	for _, f := range res.FailInfoList {
		if f.Code != 13000410 {
			t.Errorf("row %d fails with code %d, want 13000410: %s", f.Row, f.Code, f.Desc)
		}
	}
	after := o.snapshot(t)
	want := before.Users["m2"]
	want.Name = "Two Changed"
	if got := after.Users["m2"]; got != want {
		t.Errorf("m2 %+v, want %+v", got, want)
	}
	after.Users["m2"] = before.Users["m2"]
	if !reflect.DeepEqual(after, before) {
		t.Errorf("rows that failed changed users:\n got %+v\nwant %+v", after, before)
	}
}

// TestImportBadMode refuses a mode that is not create, update or skip,
// wherever it is given.
func TestImportBadMode(t *testing.T) {
	s := startServer(t)
	file := impCSV(impKeys, []string{"u1"})
	impUploadBody(t, s, s.Admin, file, "text/csv", url.Values{"mode": {"bogus"}}).
		wantError(t, http.StatusBadRequest, 13000102, "mode must be one of create, update, skip")
	impUploadForm(t, s, s.Admin, "u.csv", file, []string{"mode", "Update"}).
		wantError(t, http.StatusBadRequest, 13000102, "mode")
	s.do(t, "POST", impUploadPath, s.Admin, map[string]any{"mode": "replace", "users": []map[string]any{{"userId": "u1"}}},
		"Content-Type", "application/json").wantError(t, http.StatusBadRequest, 13000102, "mode")
	impUploadBody(t, s, s.Admin, file, "text/csv", url.Values{"mode": {"bogus"}}, "language", "zh-CN").
		wantError(t, http.StatusBadRequest, 13000102, "mode 必须是 create, update, skip 之一")
	if got := s.count(t); got != 1 {
		t.Errorf("users/count %d, want 1", got)
	}
}
