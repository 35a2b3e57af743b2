package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// Helpers of the batch-import tests (import_*_test.go): files are made in
// the tests, uploaded over HTTP and run as tasks on a real server.

const (
	impDeadline   = 60 * time.Second // for a task to end
	impUploadPath = "/users/batchimport/upload"
	impXLSXType   = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// impKeys are the column names of the API's JSON rows, which files may use
// as headers too.
var impKeys = []string{"userId", "name", "mobile", "email", "department", "role", "personalCapacity", "allocateCapacity"}

// impHeadersEN and impHeadersZH are the template's header rows.
var (
	impHeadersEN = []string{"User ID", "Name", "Mobile", "Email", "Department", "Role", "Personal capacity (GB)", "Allocate capacity"}
	impHeadersZH = []string{"用户ID", "姓名", "手机号", "邮箱", "部门", "角色", "个人空间容量(GB)", "是否分配个人空间"}
)

// impRow is a row of an import file, cell by cell in template order.
type impRow struct {
	UserID, Name, Mobile, Email, Dept, Role, Capacity, Allocate string
}

func (r impRow) cells() []string {
	return []string{r.UserID, r.Name, r.Mobile, r.Email, r.Dept, r.Role, r.Capacity, r.Allocate}
}

// impCSV writes a header and rows as CSV text (UTF-8, no byte order mark).
func impCSV(header []string, rows ...[]string) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(header)
	for _, r := range rows {
		w.Write(r)
	}
	w.Flush()
	return b.Bytes()
}

// impRowsCSV writes impRows under a header.
func impRowsCSV(header []string, rows []impRow) []byte {
	cells := make([][]string, len(rows))
	for i, r := range rows {
		cells[i] = r.cells()
	}
	return impCSV(header, cells...)
}

// impUploadBody uploads a file as the request body, with query parameters
// (curDeptId, mode, fileName) and headers as name, value pairs.
func impUploadBody(t testing.TB, s *server, token string, body []byte, ctype string, query url.Values, headers ...string) reply {
	t.Helper()
	path := impUploadPath
	if len(query) > 0 {
		path += "?" + query.Encode()
	}
	return s.do(t, "POST", path, token, body, append([]string{"Content-Type", ctype}, headers...)...)
}

// impUploadForm uploads a file as multipart/form-data: the fields (name,
// value pairs) first, then the file in the field "file".
func impUploadForm(t testing.TB, s *server, token, fileName string, content []byte, fields []string, headers ...string) reply {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for i := 0; i+1 < len(fields); i += 2 {
		mw.WriteField(fields[i], fields[i+1])
	}
	fw, err := mw.CreateFormFile("file", fileName)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(content)
	mw.Close()
	return s.do(t, "POST", impUploadPath, token, b.Bytes(), append([]string{"Content-Type", mw.FormDataContentType()}, headers...)...)
}

// impUploadCSV uploads CSV text as a text/csv body into curDept (the root
// when "") with a mode ("" for create) and wants it accepted.
func impUploadCSV(t testing.TB, s *server, token string, body []byte, curDept, mode string) map[string]any {
	t.Helper()
	q := url.Values{}
	if curDept != "" {
		q.Set("curDeptId", curDept)
	}
	if mode != "" {
		q.Set("mode", mode)
	}
	r := impUploadBody(t, s, token, body, "text/csv", q)
	r.wantOK(t)
	return r.data(t)
}

// impCounts returns an upload's total, passed, skipped and failed.
func impCounts(t testing.TB, up map[string]any) [4]int {
	t.Helper()
	return [4]int{num(t, up, "total"), num(t, up, "passed"), num(t, up, "skipped"), num(t, up, "failed")}
}

// impStart starts the import of an upload and returns the task's ID.
func impStart(t testing.TB, s *server, token, resultID string) string {
	t.Helper()
	r := s.do(t, "POST", "/task/create", token, map[string]any{"taskType": 1, "resultId": resultID})
	r.wantOK(t)
	return str(t, r.Body, "taskId")
}

// impTask is GET /task/{id}'s data.
type impTask struct {
	TaskID          string `json:"taskId"`
	TaskType        int    `json:"taskType"`
	UserID          string `json:"userId"`
	Status          int    `json:"status"`
	InitParams      string `json:"initParams"`
	ResultCode      int    `json:"resultCode"`
	CreateTime      string `json:"createTime"`
	StartTime       string `json:"startTime"`
	EndTime         string `json:"endTime"`
	CancelRequested bool   `json:"cancelRequested"`
	Progress        struct {
		Total, Done, Created, Updated, Skipped, Failed int
	} `json:"progress"`
}

// impGetTask reads a task at base (a server's URL) with a client of its
// own, so that it works against a server process too.
func impGetTask(t testing.TB, base, token, id string) impTask {
	t.Helper()
	r := doURL(t, base, "GET", "/task/"+id, token, nil)
	r.wantOK(t)
	var out struct {
		Data impTask `json:"data"`
	}
	if err := json.Unmarshal(r.Raw, &out); err != nil {
		t.Fatalf("task %s: %v in %s", id, err, r.Raw)
	}
	return out.Data
}

// impWait polls a task until it ends (status 2, 3 or 4) and returns it;
// it fails the test after the deadline.
func impWait(t testing.TB, base, token, id string, deadline time.Duration) impTask {
	t.Helper()
	end := time.Now().Add(deadline)
	for {
		task := impGetTask(t, base, token, id)
		if task.Status >= 2 {
			return task
		}
		if time.Now().After(end) {
			t.Fatalf("task %s has not ended after %v: %+v", id, deadline, task)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// impRun starts an upload's import and waits for it to end.
func impRun(t testing.TB, s *server, token string, up map[string]any) impTask {
	t.Helper()
	return impWait(t, s.URL, token, impStart(t, s, token, str(t, up, "resultId")), impDeadline)
}

// impProgress is what a test expects of a task's end.
type impProgress struct{ Total, Done, Created, Updated, Skipped, Failed int }

func (p impProgress) String() string {
	return fmt.Sprintf("total %d, done %d, created %d, updated %d, skipped %d, failed %d",
		p.Total, p.Done, p.Created, p.Updated, p.Skipped, p.Failed)
}

// impWantProgress fails unless the task has the status and counts.
func impWantProgress(t testing.TB, task impTask, status int, want impProgress) {
	t.Helper()
	got := impProgress(task.Progress)
	if task.Status != status || got != want {
		t.Errorf("task %s: status %d, %v; want status %d, %v", task.TaskID, task.Status, got, status, want)
	}
}

// impTaskResult is GET /task/result's data.
type impTaskResult struct {
	SuccessCount   int `json:"successCount"`
	FailCount      int `json:"failCount"`
	CreatedCount   int `json:"createdCount"`
	UpdatedCount   int `json:"updatedCount"`
	SkipCount      int `json:"skipCount"`
	RemainingCount int `json:"remainingCount"`
	FailInfoList   []struct {
		UserName string `json:"userName"`
		Desc     string `json:"desc"`
		Row      int    `json:"row"`
		Code     int    `json:"code"`
	} `json:"failInfoList"`
}

// impResult reads a task's result; query adds parameters (offset, limit).
func impResult(t testing.TB, s *server, token, id, query string, headers ...string) impTaskResult {
	t.Helper()
	r := s.do(t, "GET", "/task/result?taskId="+id+query, token, nil, headers...)
	r.wantOK(t)
	var out struct {
		Data impTaskResult `json:"data"`
	}
	if err := json.Unmarshal(r.Raw, &out); err != nil {
		t.Fatalf("task result: %v in %s", err, r.Raw)
	}
	return out.Data
}

// impReportRow is a row of an upload's report.
type impReportRow struct {
	Line       int    `json:"line"`
	IsSuccess  int    `json:"isSuccess"`
	Reason     string `json:"reason"`
	Outcome    string `json:"outcome"`
	UserID     string `json:"userId"`
	Name       string `json:"name"`
	Department string `json:"department"`
	ID         string `json:"id"`
}

// impReport reads every row of an upload's report (or the failing ones),
// page by page, in the language given ("" for the default).
func impReport(t testing.TB, s *server, token, resultID string, failedOnly bool, lang string) []impReportRow {
	t.Helper()
	var all []impReportRow
	for offset := 0; ; {
		r := s.do(t, "GET", fmt.Sprintf("/users/batchimport/%s?failedOnly=%t&offset=%d&limit=100", resultID, failedOnly, offset),
			token, nil, "language", lang)
		r.wantOK(t)
		var out struct {
			Data struct {
				List  []impReportRow `json:"list"`
				Count int            `json:"count"`
			} `json:"data"`
		}
		if err := json.Unmarshal(r.Raw, &out); err != nil {
			t.Fatalf("report: %v in %s", err, r.Raw)
		}
		all = append(all, out.Data.List...)
		offset += len(out.Data.List)
		if offset >= out.Data.Count || len(out.Data.List) == 0 {
			if len(all) != out.Data.Count {
				t.Fatalf("report listed %d rows, count %d", len(all), out.Data.Count)
			}
			return all
		}
	}
}

// impUser is a user as GET /users/{id} and /userList answer it.
type impUser struct {
	ID       string `json:"id"`
	UserID   string `json:"userId"`
	Name     string `json:"name"`
	Mobile   string `json:"mobile"`
	Email    string `json:"email"`
	DeptID   string `json:"deptId"`
	DeptName string `json:"deptName"`
	Role     int    `json:"role"`
	Status   int    `json:"status"`
}

// impFind returns the user whose userId is userID (compared ignoring
// case), or nil, looking them up with the key word search.
func impFind(t testing.TB, s *server, userID string) *impUser {
	t.Helper()
	r := s.do(t, "GET", "/userList?offset=0&limit=100&keyWord="+url.QueryEscape(userID), s.Admin, nil)
	r.wantOK(t)
	var out struct {
		List []impUser `json:"list"`
	}
	if err := json.Unmarshal(r.Raw, &out); err != nil {
		t.Fatal(err)
	}
	var found *impUser
	for i, u := range out.List {
		if strings.EqualFold(u.UserID, userID) {
			if found != nil {
				t.Errorf("userId %s is held by two users: %s and %s", userID, found.ID, u.ID)
			}
			found = &out.List[i]
		}
	}
	return found
}

// impMustFind is impFind for a user that must exist.
func impMustFind(t testing.TB, s *server, userID string) *impUser {
	t.Helper()
	u := impFind(t, s, userID)
	if u == nil {
		t.Fatalf("user %s does not exist", userID)
	}
	return u
}

// impGetUser reads a user by KooDrive ID.
func impGetUser(t testing.TB, s *server, id string) impUser {
	t.Helper()
	r := s.do(t, "GET", "/users/"+id, s.Admin, nil)
	r.wantOK(t)
	var out struct {
		Data impUser `json:"data"`
	}
	if err := json.Unmarshal(r.Raw, &out); err != nil {
		t.Fatal(err)
	}
	return out.Data
}

// impSpace returns the capacity of a user's personal space in GB, and
// whether the user has one.
func impSpace(t testing.TB, s *server, id string) (int, bool) {
	t.Helper()
	r := s.do(t, "GET", "/space/"+id+"?type=1", s.Admin, nil)
	if r.Status == http.StatusNotFound {
		return 0, false
	}
	r.wantOK(t)
	return num(t, r.data(t), "capacity"), true
}

// impWantUser checks a user that an import created or changed, by its
// userId: the fields of want that are set, the department by ID, and the
// personal space (capacity 0: none).
func impWantUser(t testing.TB, s *server, want impUser, deptID string, capacity int) {
	t.Helper()
	u := impFind(t, s, want.UserID)
	if u == nil {
		t.Errorf("user %s was not imported", want.UserID)
		return
	}
	got := *u
	want.ID, want.DeptID, want.DeptName, want.Status = got.ID, deptID, got.DeptName, got.Status
	if got != want {
		t.Errorf("user %s:\n got %+v\nwant %+v", want.UserID, got, want)
	}
	c, ok := impSpace(t, s, got.ID)
	switch {
	case capacity == 0 && ok:
		t.Errorf("user %s has a personal space of %d GB, want none", want.UserID, c)
	case capacity != 0 && (!ok || c != capacity):
		t.Errorf("user %s has a personal space of %d GB (allocated %t), want %d GB", want.UserID, c, ok, capacity)
	}
}

// impTotals checks that the organization's totals agree with each other:
// the usage overview's allocation is the sum of the allocation by type, and
// the user count is the service usage's. It returns the users and the GB
// allocated.
func impTotals(t testing.TB, s *server) (users, allocated int) {
	t.Helper()
	r := s.do(t, "GET", "/space/usage/overview", s.Admin, nil)
	r.wantOK(t)
	allocated = num(t, r.data(t), "totalAllocation")
	r = s.do(t, "GET", "/space/allocation/get", s.Admin, nil)
	r.wantOK(t)
	sum := 0
	for _, it := range r.Body["data"].([]any) {
		sum += num(t, it.(map[string]any), "allocateCapacity")
	}
	if sum != allocated {
		t.Errorf("usage overview totalAllocation %d GB, allocation/get sums to %d GB", allocated, sum)
	}
	users = s.count(t)
	r = s.do(t, "GET", "/service/quotaUsed", s.Admin, nil)
	r.wantOK(t)
	if got := num(t, r.data(t), "userCount"); got != users {
		t.Errorf("quotaUsed userCount %d, users/count %d", got, users)
	}
	return users, allocated
}

// impOrgPath is koodrive's organization settings.
const impOrgPath = "/koodrive/admin/v1/organization"

// impOrg returns the organization's settings.
func impOrg(t testing.TB, s *server) map[string]any {
	t.Helper()
	r := s.do(t, "GET", impOrgPath, s.Admin, nil)
	r.wantOK(t)
	return r.data(t)
}

// impWantFileError uploads a file and wants it refused whole with
// 13000101 and a message that names the problem.
func impWantFileError(t testing.TB, r reply, parts ...string) {
	t.Helper()
	r.wantError(t, http.StatusBadRequest, 13000101, parts...)
}

// impAllUserIDs lists every user with the cursor and returns how many
// times each userId appears.
func impAllUserIDs(t testing.TB, base, token string) map[string]int {
	t.Helper()
	seen := map[string]int{}
	cursor := ""
	for {
		path := "/userList?limit=100"
		if cursor != "" {
			path += "&cursor=" + cursor
		} else {
			path += "&offset=0"
		}
		r := doURL(t, base, "GET", path, token, nil)
		r.wantOK(t)
		var out struct {
			List       []impUser `json:"list"`
			NextCursor string    `json:"nextCursor"`
		}
		if err := json.Unmarshal(r.Raw, &out); err != nil {
			t.Fatal(err)
		}
		for _, u := range out.List {
			seen[u.UserID]++
		}
		if out.NextCursor == "" {
			return seen
		}
		cursor = out.NextCursor
	}
}

// impGenCSV writes n generated rows to w: userIds prefix000001..., a name,
// a unique mobile and email, department dept, and every every-th row a
// personal space of 1 GB (never when every is 0).
func impGenCSV(w io.Writer, prefix string, n, every int, dept string) {
	bw := &bytes.Buffer{}
	bw.WriteString("userId,name,mobile,email,department,personalCapacity,allocateCapacity\n")
	for i := 1; i <= n; i++ {
		capacity, alloc := "0", "no"
		if every > 0 && i%every == 0 {
			capacity, alloc = "1", "yes"
		}
		fmt.Fprintf(bw, "%s%06d,User %d,+8613%09d,%s%d@example.com,%s,%s,%s\n",
			prefix, i, i, impMobileBase(prefix)+i, prefix, i, dept, capacity, alloc)
		if bw.Len() > 64<<10 {
			w.Write(bw.Bytes())
			bw.Reset()
		}
	}
	w.Write(bw.Bytes())
}

// impMobileBase keeps the mobile numbers of files with different prefixes
// apart.
func impMobileBase(prefix string) int {
	h := 0
	for _, c := range prefix {
		h = h*31 + int(c)
	}
	return (h % 900) * 1_000_000
}

// impGenUserID is the userId of generated row i.
func impGenUserID(prefix string, i int) string { return fmt.Sprintf("%s%06d", prefix, i) }
