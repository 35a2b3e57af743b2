package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/koodrive/koodrive"
)

// uploadJSON is the server's summary of a verified upload.
type uploadJSON struct {
	ResultID  wireID              `json:"resultId"`
	FileName  string              `json:"fileName"`
	Mode      koodrive.ImportMode `json:"mode"`
	CurDeptID wireID              `json:"curDeptId"`
	Total     int                 `json:"total"`
	Passed    int                 `json:"passed"`
	Skipped   int                 `json:"skipped"`
	Failed    int                 `json:"failed"`
	TaskID    wireID              `json:"taskId"`
}

func (u uploadJSON) upload() *koodrive.Upload {
	return &koodrive.Upload{ID: koodrive.ID(u.ResultID), FileName: u.FileName, Mode: u.Mode, CurDeptID: koodrive.ID(u.CurDeptID),
		Rows: u.Total, Passed: u.Passed, Skipped: u.Skipped, Failed: u.Failed, TaskID: koodrive.ID(u.TaskID)}
}

// rowJSON is one row of a report.
type rowJSON struct {
	Line       int    `json:"line"`
	IsSuccess  int    `json:"isSuccess"`
	Reason     string `json:"reason"`
	Outcome    string `json:"outcome"`
	UserID     string `json:"userId"`
	Name       string `json:"name"`
	Department string `json:"department"`
	ID         wireID `json:"id"`
}

var outcomes = map[string]koodrive.Outcome{
	"pending": koodrive.OutcomePending, "created": koodrive.OutcomeCreated, "updated": koodrive.OutcomeUpdated,
	"skipped": koodrive.OutcomeSkipped, "failed": koodrive.OutcomeFailed,
}

// result rebuilds a row result; the reason comes as the server's text, kept
// as the message ID (no catalog knows it, so it shows as it is).
func (r rowJSON) result(number int) koodrive.RowResult {
	res := koodrive.RowResult{
		Row:    koodrive.ImportRow{Line: r.Line, UserID: r.UserID, Name: r.Name, TargetDeptName: r.Department},
		Number: number, Outcome: outcomes[r.Outcome], UserID: koodrive.ID(r.ID),
		Result: koodrive.VerifyResult{IsSuccess: r.IsSuccess},
	}
	if r.Reason != "" {
		res.Result.Reasons = []koodrive.Message{{ID: koodrive.MessageID(r.Reason)}}
	}
	return res
}

// UploadReport is what an upload answers: its summary and its first
// failing rows (the report pages through them all).
type UploadReport struct {
	Upload   *koodrive.Upload
	Failures []koodrive.RowResult
}

// UploadFile sends an import file (CSV or XLSX; name's extension tells
// which) to be stored and verified, streaming it: the file is never whole
// in memory on either side.
func (s *ImportService) UploadFile(ctx context.Context, in koodrive.UploadCreate, name string, file io.Reader) (*UploadReport, error) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		part, err := mw.CreateFormFile("file", name)
		if err == nil {
			_, err = io.Copy(part, file)
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	q := url.Values{}
	setID(q, "curDeptId", in.CurDeptID)
	if in.Mode != "" {
		q.Set("mode", string(in.Mode))
	}
	var out dataBody[struct {
		uploadJSON
		Failures []rowJSON `json:"failures"`
	}]
	err := s.c.do(ctx, request{method: http.MethodPost, path: oseV1 + "/users/batchimport/upload", query: q, body: pr,
		contentType: mw.FormDataContentType()}, &out)
	pr.CloseWithError(err)
	if err != nil {
		return nil, err
	}
	rep := &UploadReport{Upload: out.Data.upload()}
	for i, f := range out.Data.Failures {
		rep.Failures = append(rep.Failures, f.result(i+1))
	}
	return rep, nil
}

// UploadImport sends rows, read from rows as they go, as a JSON upload.
func (s *ImportService) UploadImport(ctx context.Context, _ koodrive.Actor, in koodrive.UploadCreate, rows koodrive.RowSource) (*koodrive.Upload, error) {
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(writeRows(pw, in, rows)) }()
	var out dataBody[uploadJSON]
	err := s.c.do(ctx, request{method: http.MethodPost, path: oseV1 + "/users/batchimport/upload", body: pr,
		contentType: "application/json"}, &out)
	pr.CloseWithError(err)
	if err != nil {
		return nil, err
	}
	return out.Data.upload(), nil
}

// writeRows writes {"curDeptId":..,"mode":..,"users":[..]} row by row.
func writeRows(w io.Writer, in koodrive.UploadCreate, rows koodrive.RowSource) error {
	head := map[string]any{"mode": string(in.Mode)}
	if in.CurDeptID != 0 {
		head["curDeptId"] = in.CurDeptID.String()
	}
	b, _ := json.Marshal(head)
	if _, err := w.Write(append(b[:len(b)-1], []byte(`,"users":[`)...)); err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	for i := 0; ; i++ {
		r, err := rows.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		if i > 0 {
			if _, err := w.Write([]byte(",")); err != nil {
				return err
			}
		}
		if err := enc.Encode(toImportRowJSON(r)); err != nil {
			return err
		}
	}
	_, err := w.Write([]byte("]}"))
	return err
}

type reportJSON struct {
	uploadJSON
	List  []rowJSON `json:"list"`
	Count int       `json:"count"`
}

func (s *ImportService) report(ctx context.Context, id koodrive.ID, failedOnly bool, offset, limit int) (*reportJSON, error) {
	q := url.Values{}
	q.Set("offset", strconv.Itoa(offset))
	q.Set("limit", strconv.Itoa(limit))
	if failedOnly {
		q.Set("failedOnly", "true")
	}
	var out dataBody[reportJSON]
	if err := s.c.do(ctx, request{method: http.MethodGet, path: oseV1 + "/users/batchimport/" + id.String(), query: q}, &out); err != nil {
		return nil, err
	}
	return &out.Data, nil
}

// FindUpload returns an upload's summary.
func (s *ImportService) FindUpload(ctx context.Context, _ koodrive.Actor, id koodrive.ID) (*koodrive.Upload, error) {
	rep, err := s.report(ctx, id, false, 0, 1)
	if err != nil {
		return nil, err
	}
	return rep.upload(), nil
}

// UploadRows returns a page of an upload's rows.
func (s *ImportService) UploadRows(ctx context.Context, _ koodrive.Actor, id koodrive.ID, failedOnly bool, offset, limit int) ([]koodrive.RowResult, int, error) {
	rep, err := s.report(ctx, id, failedOnly, offset, limit)
	if err != nil {
		return nil, 0, err
	}
	out := make([]koodrive.RowResult, len(rep.List))
	for i, r := range rep.List {
		out[i] = r.result(offset + i + 1)
	}
	return out, rep.Count, nil
}

// StartImport starts the import of a verified upload (task/create).
func (s *ImportService) StartImport(ctx context.Context, a koodrive.Actor, uploadID koodrive.ID) (*koodrive.Task, error) {
	var out struct {
		TaskID wireID `json:"taskId"`
	}
	body := map[string]any{"taskType": koodrive.TaskImport, "resultId": uploadID.String()}
	if err := s.c.do(ctx, request{method: http.MethodPost, path: oseV1 + "/task/create", body: body}, &out); err != nil {
		return nil, err
	}
	return s.FindTask(ctx, a, koodrive.ID(out.TaskID))
}

// taskJSON is the server's TaskInfo with progress.
type taskJSON struct {
	TaskID     wireID `json:"taskId"`
	TaskType   int    `json:"taskType"`
	TenantID   wireID `json:"tenantId"`
	UserID     wireID `json:"userId"`
	Status     int    `json:"status"`
	InitParams string `json:"initParams"`
	CreateTime string `json:"createTime"`
	StartTime  string `json:"startTime"`
	EndTime    string `json:"endTime"`
	Progress   struct {
		Total, Done, Created, Updated, Skipped, Failed int
	} `json:"progress"`
	CancelRequested bool `json:"cancelRequested"`
}

func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

func (t taskJSON) task() *koodrive.Task {
	var params struct {
		ResultID string              `json:"resultId"`
		Mode     koodrive.ImportMode `json:"mode"`
	}
	json.Unmarshal([]byte(t.InitParams), &params)
	upload, _ := koodrive.ParseID(params.ResultID)
	p := t.Progress
	return &koodrive.Task{ID: koodrive.ID(t.TaskID), Type: t.TaskType, OrgID: koodrive.ID(t.TenantID), CreatedBy: koodrive.ID(t.UserID),
		UploadID: upload, Status: koodrive.TaskStatus(t.Status), Mode: params.Mode, Total: p.Total, Done: p.Done,
		Created: p.Created, Updated: p.Updated, Skipped: p.Skipped, Failed: p.Failed,
		CreatedAt: parseTime(t.CreateTime), StartedAt: parseTime(t.StartTime), EndedAt: parseTime(t.EndTime), Cancel: t.CancelRequested}
}

// FindTask returns a task and its progress.
func (s *ImportService) FindTask(ctx context.Context, _ koodrive.Actor, id koodrive.ID) (*koodrive.Task, error) {
	var out dataBody[taskJSON]
	if err := s.c.do(ctx, request{method: http.MethodGet, path: oseV1 + "/task/" + id.String()}, &out); err != nil {
		return nil, err
	}
	return out.Data.task(), nil
}

// FindTasks lists tasks, newest first.
func (s *ImportService) FindTasks(ctx context.Context, _ koodrive.Actor, f koodrive.TaskFilter) ([]*koodrive.Task, koodrive.ID, error) {
	q := url.Values{}
	if f.Type != 0 {
		q.Set("taskType", strconv.Itoa(f.Type))
	}
	for _, st := range f.Statuses {
		q.Add("status", strconv.Itoa(int(st)))
	}
	if f.PageSize != 0 {
		q.Set("pageSize", strconv.Itoa(f.PageSize))
	}
	setID(q, "pageCursor", f.Cursor)
	var out struct {
		TaskList   []taskJSON `json:"taskList"`
		NextCursor wireID     `json:"nextCursor"`
	}
	if err := s.c.do(ctx, request{method: http.MethodGet, path: oseV1 + "/task/list", query: q}, &out); err != nil {
		return nil, 0, err
	}
	tasks := make([]*koodrive.Task, len(out.TaskList))
	for i, t := range out.TaskList {
		tasks[i] = t.task()
	}
	return tasks, koodrive.ID(out.NextCursor), nil
}

// TaskRows returns a page of a task's rows with their outcomes: the rows of
// its upload, which record what became of each.
func (s *ImportService) TaskRows(ctx context.Context, a koodrive.Actor, id koodrive.ID, failedOnly bool, offset, limit int) ([]koodrive.RowResult, int, error) {
	t, err := s.FindTask(ctx, a, id)
	if err != nil {
		return nil, 0, err
	}
	return s.UploadRows(ctx, a, t.UploadID, failedOnly, offset, limit)
}

// CancelTask asks a task to stop after its current batch.
func (s *ImportService) CancelTask(ctx context.Context, _ koodrive.Actor, id koodrive.ID) error {
	return s.c.do(ctx, request{method: http.MethodPost, path: oseV1 + "/task/" + id.String() + "/cancel"}, nil)
}

// FailedRows downloads the rows of a task (or, with upload set, of an
// upload) that failed, as a CSV file to fix and upload again; the caller
// closes it.
func (s *ImportService) FailedRows(ctx context.Context, id koodrive.ID, upload bool) (io.ReadCloser, error) {
	path := oseV1 + "/task/" + id.String() + "/failedRows"
	if upload {
		path = oseV1 + "/users/batchimport/" + id.String() + "/failedRows"
	}
	r := request{method: http.MethodGet, path: path, header: http.Header{"Accept": {"text/csv"}}}
	resp, err := s.c.roundTrip(ctx, r)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		if err := responseError(r, resp, raw); err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	return resp.Body, nil
}
