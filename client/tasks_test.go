package client_test

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"strings"
	"testing"

	"github.com/koodrive/koodrive"
)

const taskReply = `{"code":0,"msg":"success","data":{"taskId":"77","taskName":"batch import","taskType":1,"tenantId":"5","userId":"9",
	"status":1,"initParams":"{\"mode\":\"update\",\"resultId\":\"66\"}","resultCode":0,"createTime":"2026-01-02T03:04:05.000Z",
	"startTime":"2026-01-02T03:04:06.000Z","progress":{"total":1000,"done":500,"created":400,"updated":50,"skipped":30,"failed":20},
	"cancelRequested":false}}`

func TestUploadFile(t *testing.T) {
	f := newFake(t).on("POST /koodrive/ose/v1/users/batchimport/upload", `{"code":0,"msg":"success","data":{"resultId":"66",
		"fileName":"users.csv","mode":"skip","curDeptId":"5","total":3,"passed":1,"skipped":1,"failed":1,"failures":[
		{"line":4,"isSuccess":1,"reason":"department X was not found","outcome":"pending","userId":"cat","name":"Cat","department":"X"}]}}`)
	csv := "User ID,Name\nann,Ann\nbob,Bob\ncat,Cat\n"
	rep, err := f.client().Imports().UploadFile(ctx, koodrive.UploadCreate{CurDeptID: 5, Mode: koodrive.ImportSkip}, "users.csv", strings.NewReader(csv))
	wantNoErr(t, err)
	c := f.last()
	wantCall(t, c, "POST", "/koodrive/ose/v1/users/batchimport/upload", "curDeptId", "5", "mode", "skip")
	mt, params, err := mime.ParseMediaType(c.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		t.Fatalf("Content-Type %q, want multipart/form-data", c.Header.Get("Content-Type"))
	}
	part, err := multipart.NewReader(bytes.NewReader(c.Body), params["boundary"]).NextPart()
	if err != nil || part.FormName() != "file" || part.FileName() != "users.csv" {
		t.Fatalf("part %v %v, want the file field users.csv", part, err)
	}
	if got, _ := io.ReadAll(part); string(got) != csv {
		t.Errorf("file sent %q, want %q", got, csv)
	}
	u := rep.Upload
	if u.ID != 66 || u.Mode != koodrive.ImportSkip || u.Rows != 3 || u.Passed != 1 || u.Skipped != 1 || u.Failed != 1 || u.CurDeptID != 5 {
		t.Errorf("upload %+v", u)
	}
	if len(rep.Failures) != 1 || rep.Failures[0].Row.Line != 4 || rep.Failures[0].Result.IsSuccess != koodrive.VerifyFail ||
		string(rep.Failures[0].Result.Reasons[0].ID) != "department X was not found" {
		t.Errorf("failures %+v", rep.Failures)
	}
}

func TestFindTask(t *testing.T) {
	f := newFake(t).on("GET /koodrive/ose/v1/task/77", taskReply)
	task, err := f.client().Imports().FindTask(ctx, koodrive.Actor{}, 77)
	wantNoErr(t, err)
	want := koodrive.Task{ID: 77, Type: 1, OrgID: 5, CreatedBy: 9, UploadID: 66, Status: koodrive.TaskExecuting, Mode: koodrive.ImportUpdate,
		Total: 1000, Done: 500, Created: 400, Updated: 50, Skipped: 30, Failed: 20}
	got := *task
	got.CreatedAt, got.StartedAt, got.EndedAt = want.CreatedAt, want.StartedAt, want.EndedAt
	if got != want {
		t.Errorf("task %+v, want %+v", got, want)
	}
	if task.CreatedAt.Second() != 5 || task.StartedAt.Second() != 6 || !task.EndedAt.IsZero() {
		t.Errorf("times %v %v %v", task.CreatedAt, task.StartedAt, task.EndedAt)
	}
}

func TestStartImportAndCancel(t *testing.T) {
	f := newFake(t).
		on("POST /koodrive/ose/v1/task/create", `{"taskId":"77","code":0,"msg":"success"}`).
		on("GET /koodrive/ose/v1/task/77", taskReply).
		on("POST /koodrive/ose/v1/task/77/cancel", `{"code":0,"msg":"success"}`)
	imports := f.client().Imports()
	task, err := imports.StartImport(ctx, koodrive.Actor{}, 66)
	wantNoErr(t, err)
	if task.ID != 77 {
		t.Errorf("task %d, want 77", task.ID)
	}
	wantJSON(t, f.all()[0].Body, `{"resultId":"66","taskType":1}`)
	wantNoErr(t, imports.CancelTask(ctx, koodrive.Actor{}, 77))
	wantCall(t, f.last(), "POST", "/koodrive/ose/v1/task/77/cancel")
}

func TestFindTasks(t *testing.T) {
	f := newFake(t).on("GET /koodrive/ose/v1/task/list", `{"taskList":[`+strings.TrimSuffix(strings.TrimPrefix(taskReply,
		`{"code":0,"msg":"success","data":`), "}")+`],"nextCursor":"76","code":0,"msg":"success"}`)
	tasks, next, err := f.client().Imports().FindTasks(ctx, koodrive.Actor{}, koodrive.TaskFilter{
		Type: 1, Statuses: []koodrive.TaskStatus{0, 1}, Cursor: 80, PageSize: 1})
	wantNoErr(t, err)
	wantCall(t, f.last(), "GET", "/koodrive/ose/v1/task/list", "taskType", "1", "status", "0", "status", "1", "pageCursor", "80", "pageSize", "1")
	if len(tasks) != 1 || tasks[0].ID != 77 || next != 76 {
		t.Errorf("tasks %+v next %d", tasks, next)
	}
}

func TestFailedRows(t *testing.T) {
	f := newFake(t).handle("GET /koodrive/ose/v1/task/77/failedRows", func(call) (int, string) { return 200, "\ufeffline,User ID\n4,cat\n" })
	rc, err := f.client().Imports().FailedRows(ctx, 77, false)
	wantNoErr(t, err)
	defer rc.Close()
	if got, _ := io.ReadAll(rc); string(got) != "\ufeffline,User ID\n4,cat\n" {
		t.Errorf("file %q", got)
	}
	f.onStatus("GET /koodrive/ose/v1/users/batchimport/66/failedRows", 404, `{"code":13000309,"msg":"no such upload","traceId":"t66"}`)
	if _, err := f.client().Imports().FailedRows(ctx, 66, true); koodrive.ErrorKind(err) != koodrive.ENOTFOUND {
		t.Errorf("err %v, want ENOTFOUND", err)
	}
}
