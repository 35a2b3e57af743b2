package httpapi

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/koodrive/koodrive"
)

// taskJSON is KooDrive's TaskInfo, with the import's progress beyond it.
type taskJSON struct {
	TaskID     koodrive.ID `json:"taskId"`
	TaskName   string      `json:"taskName"`
	TaskType   int         `json:"taskType"`
	TenantID   koodrive.ID `json:"tenantId"`
	UserID     koodrive.ID `json:"userId"` // who started it
	Status     int         `json:"status"`
	InitParams string      `json:"initParams"`
	ResultCode int         `json:"resultCode"`
	CreateTime string      `json:"createTime"`
	StartTime  string      `json:"startTime,omitempty"`
	EndTime    string      `json:"endTime,omitempty"`
	Progress   struct {
		Total   int `json:"total"`
		Done    int `json:"done"`
		Created int `json:"created"`
		Updated int `json:"updated"`
		Skipped int `json:"skipped"`
		Failed  int `json:"failed"`
	} `json:"progress"`
	CancelRequested bool `json:"cancelRequested"`
}

func isoTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeFormat)
}

func toTaskJSON(t *koodrive.Task) taskJSON {
	params, _ := json.Marshal(map[string]string{"resultId": t.UploadID.String(), "mode": string(t.Mode)})
	out := taskJSON{TaskID: t.ID, TaskName: "batch import", TaskType: t.Type, TenantID: t.OrgID, UserID: t.CreatedBy,
		Status: int(t.Status), InitParams: string(params), CreateTime: isoTime(t.CreatedAt), StartTime: isoTime(t.StartedAt),
		EndTime: isoTime(t.EndedAt), CancelRequested: t.Cancel}
	if t.Status == koodrive.TaskFailed {
		out.ResultCode = int(koodrive.CodeInternal)
	}
	out.Progress.Total, out.Progress.Done, out.Progress.Created = t.Total, t.Done, t.Created
	out.Progress.Updated, out.Progress.Skipped, out.Progress.Failed = t.Updated, t.Skipped, t.Failed
	return out
}

type createTaskRequest struct {
	TaskType  *int   `json:"taskType"`
	ResultID  scalar `json:"resultId"`
	OrgID     string `json:"orgId"`     // KooDrive's OrgID; koodrive has one organization
	OrgUserID string `json:"orgUserId"` // the creator, known from the credentials
}

type taskIDBody struct {
	TaskID koodrive.ID `json:"taskId"`
	envelope
}

// createTask starts the import of a verified upload (KooDrive's taskType 1
// with its resultId); koodrive runs no other kind of task.
func (s *Server) createTask(w http.ResponseWriter, r *http.Request, a koodrive.Actor) error {
	var req createTaskRequest
	if err := decodeBody(w, r, &req); err != nil {
		return err
	}
	if req.TaskType == nil {
		return koodrive.Invalid("taskType", koodrive.MsgFieldRequired, nil)
	}
	if *req.TaskType != koodrive.TaskImport {
		return koodrive.Invalid("taskType", koodrive.MsgTaskType, nil)
	}
	if req.ResultID.kind == 0 {
		return koodrive.Invalid("resultId", koodrive.MsgFieldRequired, nil)
	}
	id, err := req.ResultID.id("resultId")
	if err != nil {
		return err
	}
	t, err := s.svc.Imports.StartImport(r.Context(), a, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, taskIDBody{t.ID, s.success(r)})
	return nil
}

func (s *Server) getTask(w http.ResponseWriter, r *http.Request, a koodrive.Actor) error {
	id, err := pathID(r, "taskId")
	if err != nil {
		return err
	}
	t, err := s.svc.Imports.FindTask(r.Context(), a, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, dataBody[taskJSON]{s.success(r), toTaskJSON(t)})
	return nil
}

type taskListBody struct {
	TaskList   []taskJSON `json:"taskList"`
	NextCursor string     `json:"nextCursor,omitempty"`
	envelope
}

// listTasks pages through tasks, newest first, by KooDrive's cursor.
func (s *Server) listTasks(w http.ResponseWriter, r *http.Request, a koodrive.Actor) error {
	var f koodrive.TaskFilter
	var err error
	if f.Type, err = queryInt(r, "taskType", 0, 1, false, 0); err != nil {
		return err
	}
	for _, v := range r.URL.Query()["status"] {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > int(koodrive.TaskCancelled) {
			return koodrive.Invalid("status", koodrive.MsgIntRange, koodrive.Params{"Min": 0, "Max": int(koodrive.TaskCancelled)})
		}
		f.Statuses = append(f.Statuses, koodrive.TaskStatus(n))
	}
	if f.PageSize, err = queryInt(r, "pageSize", 1, koodrive.MaxPageSize, false, koodrive.MaxPageSize); err != nil {
		return err
	}
	if f.Cursor, err = queryID(r, "pageCursor"); err != nil {
		return err
	}
	if r.URL.Query().Get("taskType") == "0" {
		// KooDrive's transfer-and-delete tasks: koodrive runs none.
		writeJSON(w, http.StatusOK, taskListBody{TaskList: []taskJSON{}, envelope: s.success(r)})
		return nil
	}
	tasks, next, err := s.svc.Imports.FindTasks(r.Context(), a, f)
	if err != nil {
		return err
	}
	out := taskListBody{TaskList: make([]taskJSON, len(tasks)), envelope: s.success(r)}
	for i, t := range tasks {
		out.TaskList[i] = toTaskJSON(t)
	}
	if next != 0 {
		out.NextCursor = next.String()
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// failInfoJSON is KooDrive's UserImportFailInfo, with the row's line and a
// KooDrive code beyond it.
type failInfoJSON struct {
	UserName string        `json:"userName"`
	Desc     string        `json:"desc"`
	Row      int           `json:"row"`
	Code     koodrive.Code `json:"code"`
}

type taskResultJSON struct {
	SuccessCount   int            `json:"successCount"`
	FailCount      int            `json:"failCount"`
	CreatedCount   int            `json:"createdCount"`
	UpdatedCount   int            `json:"updatedCount"`
	SkipCount      int            `json:"skipCount"`
	RemainingCount int            `json:"remainingCount"`
	FailInfoList   []failInfoJSON `json:"failInfoList"`
}

// taskResult answers KooDrive's import result. failInfoList holds a page
// of the failures (offset, limit; 100 at a time); failCount counts them all.
func (s *Server) taskResult(w http.ResponseWriter, r *http.Request, a koodrive.Actor) error {
	q := r.URL.Query()
	if q.Get("taskId") == "" && q.Get("taskid") != "" { // KooDrive's example spells it so
		q.Set("taskId", q.Get("taskid"))
		r.URL.RawQuery = q.Encode()
	}
	id, err := queryID(r, "taskId")
	if err != nil {
		return err
	}
	if id == 0 {
		return koodrive.Invalid("taskId", koodrive.MsgFieldRequired, nil)
	}
	offset, limit, err := pageQuery(r)
	if err != nil {
		return err
	}
	t, err := s.svc.Imports.FindTask(r.Context(), a, id)
	if err != nil {
		return err
	}
	failures, _, err := s.svc.Imports.TaskRows(r.Context(), a, id, true, offset, limit)
	if err != nil {
		return err
	}
	lang := info(r.Context()).lang
	out := taskResultJSON{SuccessCount: t.Created + t.Updated, FailCount: t.Failed, CreatedCount: t.Created,
		UpdatedCount: t.Updated, SkipCount: t.Skipped, RemainingCount: t.Total - t.Done, FailInfoList: make([]failInfoJSON, len(failures))}
	for i, f := range failures {
		name := f.Row.Name
		if name == "" {
			name = f.Row.UserID
		}
		kind := f.Result.Kind
		if kind == "" {
			kind = koodrive.EINVALID
		}
		out.FailInfoList[i] = failInfoJSON{UserName: name, Desc: s.catalog.Join(lang, f.Result.Reasons), Row: f.Row.Line, Code: kind.Code()}
	}
	writeJSON(w, http.StatusOK, dataBody[taskResultJSON]{s.success(r), out})
	return nil
}

func (s *Server) cancelTask(w http.ResponseWriter, r *http.Request, a koodrive.Actor) error {
	id, err := pathID(r, "taskId")
	if err != nil {
		return err
	}
	if err := s.svc.Imports.CancelTask(r.Context(), a, id); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.success(r))
	return nil
}
