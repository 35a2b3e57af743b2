package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

var impTimePattern = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`)

// impListTasks lists tasks with a query and returns their IDs and the
// next cursor.
func impListTasks(t *testing.T, s *server, token, query string) ([]string, string) {
	t.Helper()
	r := s.do(t, "GET", "/task/list"+query, token, nil)
	r.wantOK(t)
	var out struct {
		TaskList   []impTask `json:"taskList"`
		NextCursor *string   `json:"nextCursor"`
	}
	if err := json.Unmarshal(r.Raw, &out); err != nil {
		t.Fatal(err)
	}
	if _, ok := r.Body["taskList"].([]any); !ok {
		t.Errorf("GET /task/list%s: taskList is not an array: %s", query, r.Raw)
	}
	ids := []string{}
	for _, task := range out.TaskList {
		ids = append(ids, task.TaskID)
	}
	next := ""
	if out.NextCursor != nil {
		if next = *out.NextCursor; next == "" {
			t.Errorf("GET /task/list%s: nextCursor is present and empty", query)
		}
	}
	return ids, next
}

// TestImportTasks runs tasks that succeed, fail and are cancelled, and
// checks their progress, the task list's order, paging and filters, and
// the audit log.
func TestImportTasks(t *testing.T) {
	s := startServer(t, "--max-users", "30000")
	adminID := impMustFind(t, s, "admin").ID
	sales := s.createDept(t, s.Admin, s.Root, "Sales")

	// A task's detail: its type, creator, parameters, times and progress.
	file := impRowsCSV(impKeys, []impRow{
		{"p1", "", "", "", "", "", "1", "yes"},
		{"p2", "", "", "", "Nowhere", "", "", ""},
		{"p3", "", "", "", "Sales", "", "", ""},
	})
	up := impUploadCSV(t, s, s.Admin, file, "", "")
	resultID := str(t, up, "resultId")
	succeeded := impStart(t, s, s.Admin, resultID)
	task := impWait(t, s.URL, s.Admin, succeeded, impDeadline)
	impWantProgress(t, task, 2, impProgress{Total: 3, Done: 3, Created: 2, Failed: 1})
	var params map[string]string
	if err := json.Unmarshal([]byte(task.InitParams), &params); err != nil || params["resultId"] != resultID || params["mode"] != "create" {
		t.Errorf("initParams %q, want resultId %s and mode create", task.InitParams, resultID)
	}
	if task.TaskID != succeeded || task.TaskType != 1 || task.UserID != adminID || task.ResultCode != 0 || task.CancelRequested {
		t.Errorf("task %+v; want id %s, type 1, started by %s, result code 0", task, succeeded, adminID)
	}
	for _, tm := range []string{task.CreateTime, task.StartTime, task.EndTime} {
		if !impTimePattern.MatchString(tm) {
			t.Errorf("task times %q, %q, %q; want each like 2025-01-01T00:00:01.000Z", task.CreateTime, task.StartTime, task.EndTime)
			break
		}
	}
	if !(task.CreateTime <= task.StartTime && task.StartTime <= task.EndTime) {
		t.Errorf("created %s, started %s, ended %s: out of order", task.CreateTime, task.StartTime, task.EndTime)
	}
	if r := s.do(t, "GET", "/users/batchimport/"+resultID, s.Admin, nil); r.Status != http.StatusOK || str(t, r.data(t), "taskId") != succeeded {
		t.Errorf("the upload does not name its task %s: %s", succeeded, r.Raw)
	}

	// An upload starts one task only; KooDrive's other task types, and
	// requests without a type or an upload, are refused.
	s.do(t, "POST", "/task/create", s.Admin, map[string]any{"taskType": 1, "resultId": resultID}).
		wantError(t, http.StatusConflict, 13000102, "imported already, by task "+succeeded)
	s.do(t, "POST", "/task/create", s.Admin, map[string]any{"taskType": 0, "resultId": resultID}).
		wantError(t, http.StatusBadRequest, 13000102, "taskType must be 1")
	s.do(t, "POST", "/task/create", s.Admin, map[string]any{"taskType": 0, "srcUserId": "a", "dstUserId": "b"}).
		wantError(t, http.StatusBadRequest, 13000102, "taskType must be 1")
	s.do(t, "POST", "/task/create", s.Admin, map[string]any{"resultId": resultID}).
		wantError(t, http.StatusBadRequest, 13000102, "taskType is required")
	s.do(t, "POST", "/task/create", s.Admin, map[string]any{"taskType": 1}).
		wantError(t, http.StatusBadRequest, 13000102, "resultId is required")
	s.do(t, "POST", "/task/create", s.Admin, map[string]any{"taskType": 1, "resultId": "12345"}).
		wantError(t, http.StatusNotFound, 13000309, "there is no verified upload 12345")
	s.do(t, "GET", "/task/12345", s.Admin, nil).wantError(t, http.StatusNotFound, 13000309, "there is no task 12345")

	// A task that loses its creator's rights fails (status 3).
	deptAdminID, deptAdmin := s.userIn(t, "salesadmin", sales, 0)
	up = impUploadCSV(t, s, deptAdmin, impCSV(impKeys, []string{"f1"}), sales, "")
	s.do(t, "PUT", "/users/"+deptAdminID, s.Admin, map[string]any{"role": 1}).wantOK(t)
	failed := impStart(t, s, deptAdmin, str(t, up, "resultId"))
	impWantProgress(t, impWait(t, s.URL, deptAdmin, failed, impDeadline), 3, impProgress{Total: 1, Done: 1, Failed: 1})

	// A large import, cancelled while it runs, stops after a batch: the
	// rows done stay imported, the rest are not.
	before := s.count(t)
	var big bytes.Buffer
	const total = 20_000
	impGenCSV(&big, "cancel", total, 0, "")
	up = impUploadCSV(t, s, s.Admin, big.Bytes(), "", "")
	cancelled := impStart(t, s, s.Admin, str(t, up, "resultId"))
	for end := time.Now().Add(impDeadline); ; {
		task = impGetTask(t, s.URL, s.Admin, cancelled)
		if task.Progress.Done > 0 || task.Status >= 2 {
			break
		}
		if time.Now().After(end) {
			t.Fatalf("no progress: %+v", task)
		}
		time.Sleep(2 * time.Millisecond)
	}
	s.do(t, "POST", "/task/"+cancelled+"/cancel", s.Admin, nil).wantOK(t)
	task = impWait(t, s.URL, s.Admin, cancelled, impDeadline)
	p := task.Progress
	if task.Status != 4 || !task.CancelRequested || p.Total != total || p.Done >= total || p.Done == 0 || p.Created != p.Done || p.Failed != 0 {
		t.Fatalf("cancelled task: status %d, cancelRequested %t, %v; want status 4, cancelRequested, 0 < done == created < %d",
			task.Status, task.CancelRequested, impProgress(p), total)
	}
	if p.Done%500 != 0 {
		t.Errorf("done %d: a cancelled task stops between batches of 500", p.Done)
	}
	if got := s.count(t); got != before+p.Created {
		t.Errorf("users/count %d after the cancelled import, want %d + %d created", got, before, p.Created)
	}
	impMustFind(t, s, impGenUserID("cancel", p.Done))
	if u := impFind(t, s, impGenUserID("cancel", p.Done+1)); u != nil {
		t.Errorf("row %d, after the cancellation, was imported: %+v", p.Done+1, u)
	}
	res := impResult(t, s, s.Admin, cancelled, "")
	if res.CreatedCount != p.Created || res.RemainingCount != total-p.Done || res.FailCount != 0 {
		t.Errorf("cancelled task's result %+v; want %d created and %d remaining", res, p.Created, total-p.Done)
	}
	t.Logf("cancelled after %d of %d rows", p.Done, total)
	s.do(t, "POST", "/task/"+cancelled+"/cancel", s.Admin, nil).wantError(t, http.StatusConflict, 13000102, "the task has ended already (status 4)")
	s.do(t, "POST", "/task/"+succeeded+"/cancel", s.Admin, nil).wantError(t, http.StatusConflict, 13000102, "the task has ended already (status 2)")
	impTotals(t, s)

	// The list: newest first, in pages that follow the cursor, by status.
	all := []string{cancelled, failed, succeeded}
	if got, next := impListTasks(t, s, s.Admin, ""); !slices.Equal(got, all) || next != "" {
		t.Errorf("task list %v (next %q), want %v newest first and no next page", got, next, all)
	}
	if got, next := impListTasks(t, s, s.Admin, "?taskType=1&pageSize=3"); !slices.Equal(got, all) || next != "" {
		t.Errorf("task list of 3 %v (next %q), want %v and no next page", got, next, all)
	}
	page, next := impListTasks(t, s, s.Admin, "?pageSize=2")
	if !slices.Equal(page, all[:2]) || next != all[1] {
		t.Errorf("first page of 2: %v, next %q; want %v, next %s", page, next, all[:2], all[1])
	}
	page, next = impListTasks(t, s, s.Admin, "?pageSize=2&pageCursor="+next)
	if !slices.Equal(page, all[2:]) || next != "" {
		t.Errorf("second page of 2: %v, next %q; want %v and no next page", page, next, all[2:])
	}
	for query, want := range map[string][]string{
		"?status=2":                      {succeeded},
		"?status=3":                      {failed},
		"?status=4":                      {cancelled},
		"?status=2&status=4":             {cancelled, succeeded},
		"?status=0&status=1":             {},
		"?status=4&pageSize=1":           {cancelled},
		"?pageCursor=" + cancelled:       {failed, succeeded},
		"?status=2&pageCursor=" + failed: {succeeded},
	} {
		if got, _ := impListTasks(t, s, s.Admin, query); !slices.Equal(got, want) {
			t.Errorf("task list %s: %v, want %v", query, got, want)
		}
	}
	s.do(t, "GET", "/task/list?status=9", s.Admin, nil).wantError(t, http.StatusBadRequest, 13000102, "status")
	s.do(t, "GET", "/task/list?pageSize=101", s.Admin, nil).wantError(t, http.StatusBadRequest, 13000102, "pageSize")
	s.do(t, "GET", "/task/list?pageSize=0", s.Admin, nil).wantError(t, http.StatusBadRequest, 13000102, "pageSize")
	t.Run("TransferTasks", func(t *testing.T) {
		// taskType 0 asks for KooDrive's transfer-and-delete tasks, of
		// which koodrive has none: import tasks are not of that type.
		if got, _ := impListTasks(t, s, s.Admin, "?taskType=0"); len(got) != 0 {
			t.Errorf("task list ?taskType=0: %v, want no tasks (every task here has taskType 1)", got)
		}
	})

	// The audit log has the start and the end of each task, and the
	// cancellation.
	r := s.do(t, "POST", "/auditlog", s.Admin, map[string]any{
		"operations": []string{"StartImport", "ImportUsers", "CancelImport"}, "pageInfo": map[string]any{"pageSize": 100}})
	r.wantOK(t)
	var entries []string
	for _, e := range r.Body["logInfoList"].([]any) {
		m := e.(map[string]any)
		entries = append(entries, fmt.Sprintf("%s %s %s %s", m["operation"], m["resource"], m["operatorId"], m["operateResult"]))
	}
	for _, want := range []string{
		"StartImport task/" + succeeded + " " + adminID + " 0",
		"ImportUsers task/" + succeeded + " " + adminID + " 0",
		"StartImport task/" + failed + " " + deptAdminID + " 0",
		"ImportUsers task/" + failed + " " + deptAdminID + " 1",
		"StartImport task/" + cancelled + " " + adminID + " 0",
		"CancelImport task/" + cancelled + " " + adminID + " 0",
		"ImportUsers task/" + cancelled + " " + adminID + " 0",
	} {
		if !slices.Contains(entries, want) {
			t.Errorf("audit log has no entry %q:\n%s", want, strings.Join(entries, "\n"))
		}
	}
}

// TestImportTasksOwnership keeps department administrators to their own
// uploads and tasks: another's are not found, and lists hold only theirs.
func TestImportTasksOwnership(t *testing.T) {
	s := startServer(t)
	sales := s.createDept(t, s.Admin, s.Root, "Sales")
	support := s.createDept(t, s.Admin, s.Root, "Support")
	_, a := s.userIn(t, "salesadmin", sales, 0)
	_, b := s.userIn(t, "supportadmin", support, 0)

	upA := impUploadCSV(t, s, a, impCSV(impKeys, []string{"a1"}, []string{"a2", "", "", "", "Nowhere"}), sales, "")
	resultA := str(t, upA, "resultId")
	taskA := impStart(t, s, a, resultA)
	impWait(t, s.URL, a, taskA, impDeadline)
	upA2 := impUploadCSV(t, s, a, impCSV(impKeys, []string{"a3"}), sales, "")
	upB := impUploadCSV(t, s, b, impCSV(impKeys, []string{"b1"}), support, "")
	taskB := impStart(t, s, b, str(t, upB, "resultId"))
	impWait(t, s.URL, b, taskB, impDeadline)

	for _, c := range []struct{ method, path, msg string }{
		{"GET", "/users/batchimport/" + resultA, "there is no verified upload " + resultA},
		{"GET", "/users/batchimport/" + resultA + "/failedRows", "there is no verified upload " + resultA},
		{"GET", "/task/" + taskA, "there is no task " + taskA},
		{"GET", "/task/result?taskId=" + taskA, "there is no task " + taskA},
		{"GET", "/task/" + taskA + "/failedRows", "there is no task " + taskA},
		{"POST", "/task/" + taskA + "/cancel", "there is no task " + taskA},
	} {
		s.do(t, c.method, c.path, b, nil).wantError(t, http.StatusNotFound, 13000309, c.msg)
	}
	s.do(t, "POST", "/task/create", b, map[string]any{"taskType": 1, "resultId": str(t, upA2, "resultId")}).
		wantError(t, http.StatusNotFound, 13000309, "there is no verified upload")
	// Not found, so still A's to start.
	impWait(t, s.URL, a, impStart(t, s, a, str(t, upA2, "resultId")), impDeadline)

	if got, _ := impListTasks(t, s, b, ""); !slices.Equal(got, []string{taskB}) {
		t.Errorf("supportadmin lists tasks %v, want only its own %s", got, taskB)
	}
	if got, _ := impListTasks(t, s, a, ""); len(got) != 2 || slices.Contains(got, taskB) {
		t.Errorf("salesadmin lists tasks %v, want its own two", got)
	}
	if got, _ := impListTasks(t, s, s.Admin, ""); len(got) != 3 {
		t.Errorf("the system administrator lists tasks %v, want all three", got)
	}
	// The system administrator sees every upload and task.
	s.do(t, "GET", "/users/batchimport/"+resultA, s.Admin, nil).wantOK(t)
	s.do(t, "GET", "/task/result?taskId="+taskA, s.Admin, nil).wantOK(t)
	if got := impFailedRowsRaw(t, s, s.Admin, "/task/"+taskA+"/failedRows", "en-US"); !bytes.Contains(got, []byte("a2")) {
		t.Errorf("failed rows of salesadmin's task, for the system administrator: %q", got)
	}
	// A common user has no uploads to see and no right to upload.
	_, user := s.userIn(t, "plain", sales, 1)
	s.do(t, "GET", "/task/"+taskA, user, nil).wantError(t, http.StatusNotFound, 13000309)
	impUploadBody(t, s, user, impCSV(impKeys, []string{"u1"}), "text/csv", nil).wantError(t, http.StatusForbidden, 13000410)
	if got, _ := impListTasks(t, s, user, ""); len(got) != 0 {
		t.Errorf("a common user lists tasks %v, want none", got)
	}
}
