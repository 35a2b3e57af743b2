package main

import (
	"fmt"
	"strings"
	"testing"
)

// impWantFailInfo checks a task's failures: exactly the rows of want, each
// with a desc that contains want's text.
func impWantFailInfo(t *testing.T, res impTaskResult, want map[int]string) {
	t.Helper()
	seen := map[int]bool{}
	for _, f := range res.FailInfoList {
		seen[f.Row] = true
		w, ok := want[f.Row]
		if !ok {
			t.Errorf("row %d fails: %+v", f.Row, f)
		} else if !strings.Contains(f.Desc, w) {
			t.Errorf("row %d fails with %q, want %q", f.Row, f.Desc, w)
		}
	}
	for row, w := range want {
		if !seen[row] {
			t.Errorf("row %d did not fail; want %q", row, w)
		}
	}
}

// TestImportRecheckOrganization verifies a file, then changes the
// organization before its task runs: a target department is deleted and
// another moved, a user takes one of the file's userIds, and the capacity
// and user limit are lowered. The rows that no longer pass fail with the
// reason, the others are imported, and the totals stay consistent.
func TestImportRecheckOrganization(t *testing.T) {
	s := startServer(t)
	sales := s.createDept(t, s.Admin, s.Root, "Sales")
	east := s.createDept(t, s.Admin, sales, "East")
	support := s.createDept(t, s.Admin, s.Root, "Support")
	temp := s.createDept(t, s.Admin, s.Root, "Temp")
	rows := []impRow{
		/* 2 */ {"r1", "", "", "", "Temp", "", "", ""},
		/* 3 */ {"r2", "", "", "", "Sales/East", "", "", ""},
		/* 4 */ {"r3", "", "", "", "Support", "", "100", "yes"},
		/* 5 */ {"r4", "", "", "", "Sales", "", "100", "yes"},
		/* 6 */ {"r5", "", "", "", "", "", "100", "yes"},
		/* 7 */ {"taken1", "", "", "", "", "", "", ""},
		/* 8 */ {"r7", "", "", "", "East", "", "", ""},
		/* 9 */ {"r8", "", "", "", "", "", "", ""},
	}
	up := impUploadCSV(t, s, s.Admin, impRowsCSV(impKeys, rows), "", "")
	if got := impCounts(t, up); got != [4]int{8, 8, 0, 0} {
		t.Fatalf("upload counts %v, want every row to pass", got)
	}

	s.do(t, "DELETE", "/departments/"+temp, s.Admin, nil).wantOK(t)
	s.do(t, "PUT", "/departments/"+east, s.Admin, map[string]any{"name": "East", "parentId": support}).wantOK(t)
	s.createUser(t, s.Admin, map[string]any{"userId": "taken1"})
	users, allocated := impTotals(t, s)
	r := s.do(t, "PUT", impOrgPath, s.Admin, map[string]any{"capacityGb": allocated + 250, "maxUsers": users + 3})
	r.wantOK(t)

	taskID := impStart(t, s, s.Admin, str(t, up, "resultId"))
	task := impWait(t, s.URL, s.Admin, taskID, impDeadline)
	impWantProgress(t, task, 2, impProgress{Total: 8, Done: 8, Created: 3, Failed: 5})
	impWantFailInfo(t, impResult(t, s, s.Admin, taskID, ""), map[int]string{
		2: "department Temp was not found in Organization or below it",
		3: "department Sales/East was not found in Organization or below it",
		6: "this row needs 100 GB and 50 GB remain after the rows above it",
		7: "userId taken1 already belongs to an existing user",
		9: fmt.Sprintf("the organization's limit of %d users would be exceeded", users+3),
	})
	impWantUser(t, s, impUser{UserID: "r3", Role: 1}, support, 100)
	impWantUser(t, s, impUser{UserID: "r4", Role: 1}, sales, 100)
	impWantUser(t, s, impUser{UserID: "r7", Role: 1}, east, 0)
	for _, id := range []string{"r1", "r2", "r5", "r8"} {
		if u := impFind(t, s, id); u != nil {
			t.Errorf("failing row %s was imported: %+v", id, u)
		}
	}
	gotUsers, gotAllocated := impTotals(t, s)
	if gotUsers != users+3 || gotAllocated != allocated+200 {
		t.Errorf("%d users, %d GB allocated; want %d and %d", gotUsers, gotAllocated, users+3, allocated+200)
	}
	org := impOrg(t, s)
	if num(t, org, "userCount") != gotUsers || num(t, org, "allocatedGb") != gotAllocated || num(t, org, "unallocatedGb") != 50 {
		t.Errorf("organization %v; want %d users, %d GB allocated, 50 GB unallocated", org, gotUsers, gotAllocated)
	}
}

// TestImportRecheckRights verifies a file as an administrator, then takes
// rights away from it before its task runs: the rows run with the rights
// it has then.
func TestImportRecheckRights(t *testing.T) {
	s := startServer(t)
	ops := s.createDept(t, s.Admin, s.Root, "Ops")
	other := s.createDept(t, s.Admin, s.Root, "Other")
	file := impRowsCSV(impKeys, []impRow{
		{"x1", "X One", "", "", "", "", "1", "yes"},
		{"x2", "X Two", "", "", "", "member manager", "", ""},
		{"x3", "X Three", "", "", "", "", "", ""},
	})

	// A department administrator who is no longer one, or no longer over
	// the department, imports nothing: the task fails every row.
	for _, c := range []struct {
		name   string
		change map[string]any
		reason string
	}{
		{"Demoted", map[string]any{"role": 1}, "your role does not allow this operation"},
		{"MovedAway", map[string]any{"deptId": other}, "department " + ops + " (curDeptId) is outside the departments you administer"},
	} {
		t.Run(c.name, func(t *testing.T) {
			id, token := s.userIn(t, "opsadmin-"+c.name, ops, 0)
			up := impUploadCSV(t, s, token, file, ops, "")
			if got := impCounts(t, up); got != [4]int{3, 3, 0, 0} {
				t.Fatalf("upload counts %v, want every row to pass", got)
			}
			users, allocated := impTotals(t, s)
			s.do(t, "PUT", "/users/"+id, s.Admin, c.change).wantOK(t)

			r := s.do(t, "POST", "/task/create", token, map[string]any{"taskType": 1, "resultId": str(t, up, "resultId")})
			r.wantOK(t)
			taskID := str(t, r.Body, "taskId")
			task := impWait(t, s.URL, token, taskID, impDeadline)
			impWantProgress(t, task, 3, impProgress{Total: 3, Done: 3, Failed: 3})
			res := impResult(t, s, token, taskID, "")
			impWantFailInfo(t, res, map[int]string{2: c.reason, 3: c.reason, 4: c.reason})
			for _, f := range res.FailInfoList {
				if f.Code != 13000410 {
					t.Errorf("row %d: code %d, want 13000410", f.Row, f.Code)
				}
			}
			if gotUsers, gotAllocated := impTotals(t, s); gotUsers != users || gotAllocated != allocated {
				t.Errorf("%d users, %d GB allocated; want %d and %d as before", gotUsers, gotAllocated, users, allocated)
			}
		})
	}

	// A system administrator made a department administrator of the root
	// still imports, but no longer grants the organization-wide roles.
	t.Run("GrantsNarrowed", func(t *testing.T) {
		id, token := s.userIn(t, "admin2", s.Root, 2)
		file := impRowsCSV(impKeys, []impRow{
			{"y1", "", "", "", "Ops", "2", "", ""},
			{"y2", "", "", "", "Ops", "0", "2", "yes"},
			{"y3", "", "", "", "Ops", "drive administrator", "", ""},
			{"y4", "", "", "", "Ops", "", "", ""},
		})
		up := impUploadCSV(t, s, token, file, "", "")
		if got := impCounts(t, up); got != [4]int{4, 4, 0, 0} {
			t.Fatalf("upload counts %v, want every row to pass", got)
		}
		users, allocated := impTotals(t, s)
		s.do(t, "PUT", "/users/"+id, s.Admin, map[string]any{"role": 0}).wantOK(t)
		task := impRun(t, s, token, up)
		impWantProgress(t, task, 2, impProgress{Total: 4, Done: 4, Created: 2, Failed: 2})
		impWantFailInfo(t, impResult(t, s, token, task.TaskID, ""), map[int]string{
			2: "you may not grant role 2 (role)",
			4: "you may not grant role 3 (role)",
		})
		impWantUser(t, s, impUser{UserID: "y2", Role: 0}, ops, 2)
		impWantUser(t, s, impUser{UserID: "y4", Role: 1}, ops, 0)
		if gotUsers, gotAllocated := impTotals(t, s); gotUsers != users+2 || gotAllocated != allocated+2 {
			t.Errorf("%d users, %d GB allocated; want %d and %d", gotUsers, gotAllocated, users+2, allocated+2)
		}
	})
}
