package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/koodrive/koodrive/signing"
)

// app is an app credential made with koodrive app create.
type app struct {
	ID     string `json:"appId"`
	Secret string `json:"appSecret"`
}

func (s *server) newApp(t testing.TB, name string) app {
	t.Helper()
	out, err := cli(t, nil, "app", "create", "--data", s.Data, "--name", name)
	if err != nil {
		t.Fatal(err)
	}
	var a app
	if err := json.Unmarshal([]byte(lastLine(out)), &a); err != nil {
		t.Fatalf("app create printed %q: %v", out, err)
	}
	return a
}

// adminID returns the koodrive ID of the system administrator.
func (s *server) adminID(t testing.TB) string {
	t.Helper()
	r := s.do(t, "GET", "/session/auth", s.Admin, nil)
	r.wantOK(t)
	return str(t, r.data(t), "innerUserId")
}

// signedRequest builds a request signed by a as of at, acting for user.
func (s *server) signedRequest(t testing.TB, a app, user, method, path, body string, at time.Time) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+apiPath(path), strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set(signing.HeaderUserID, user)
	if err := signing.Sign(req, a.ID, a.Secret, at); err != nil {
		t.Fatal(err)
	}
	return req
}

// signed sends a request signed now by a for user.
func (s *server) signed(t testing.TB, a app, user, method, path, body string) reply {
	t.Helper()
	return send(t, s.signedRequest(t, a, user, method, path, body, time.Now()))
}

func TestAppAuth_EveryAppEndpoint(t *testing.T) {
	s := startServer(t)
	a := s.newApp(t, "HR sync")
	admin := s.adminID(t)
	r := s.signed(t, a, admin, "POST", "/departments", `{"name":"Signed","parentId":"`+s.Root+`"}`)
	r.wantOK(t)
	dept := str(t, r.data(t), "id")
	r = s.signed(t, a, admin, "POST", "/users", `{"userId":"signed-user","name":"署名","modifyUserInfoReq":{"deptId":"`+dept+`"}}`)
	r.wantOK(t)
	user := str(t, r.data(t), "id")
	for _, path := range []string{
		"/users/" + user,
		"/userList?offset=0&limit=10&deptId=" + dept,
		"/userList?keyWord=%E7%BD%B2%E5%90%8D&offset=0&limit=10",
		"/users/count?deptId=",
		"/departments/" + dept,
		"/departmentList?departmentId=" + s.Root,
	} {
		t.Run(path, func(t *testing.T) {
			s.signed(t, a, admin, "GET", path, "").wantOK(t)
		})
	}
	// The user was created by the app, acting for the administrator.
	if got := s.do(t, "GET", "/users/"+user, s.Admin, nil); got.data(t)["userId"] != "signed-user" {
		t.Errorf("user %s: %s", user, got.Raw)
	}
}

// TestAppAuth_IndependentClient has a Python client, written from KooDrive's
// description of the algorithm and nothing else, call the server.
func TestAppAuth_IndependentClient(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not on PATH: the independent client cannot run")
	}
	s := startServer(t)
	a := s.newApp(t, "python")
	admin := s.adminID(t)
	call := func(t *testing.T, method, path, body string, dateOffset int) (int, map[string]any, map[string]string) {
		t.Helper()
		cmd := exec.Command(python, "testdata/hmac_client.py", "--url", s.URL+apiPath(path), "--method", method,
			"--app-id", a.ID, "--secret", a.Secret, "--user-id", admin, "--body", body, "--date-offset", itoa(dateOffset))
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("hmac_client.py: %v\n%s", err, out)
		}
		var res struct {
			Status  int               `json:"status"`
			Body    string            `json:"body"`
			Headers map[string]string `json:"headers"`
		}
		if err := json.Unmarshal(out, &res); err != nil {
			t.Fatalf("hmac_client.py printed %s", out)
		}
		var body2 map[string]any
		json.Unmarshal([]byte(res.Body), &body2)
		return res.Status, body2, res.Headers
	}
	t.Run("CreateUser", func(t *testing.T) {
		status, body, _ := call(t, "POST", "/users", `{"userId":"from-python","name":"Pŷthon 中文"}`, 0)
		if status != 200 || body["code"] != float64(0) {
			t.Fatalf("status %d body %v", status, body)
		}
	})
	t.Run("QueryWithUTF8AndEmptyValues", func(t *testing.T) {
		status, body, _ := call(t, "GET", "/userList?offset=0&limit=10&keyWord=%E4%B8%AD%E6%96%87&isDirect=", "", 0)
		if status != 200 || body["total"] != float64(1) {
			t.Fatalf("status %d body %v, want the one user named 中文", status, body)
		}
	})
	t.Run("ErrOld", func(t *testing.T) {
		status, body, _ := call(t, "GET", "/users/count", "", -16*60)
		if status != 401 || body["msg"] != "app authentication failed" {
			t.Fatalf("a request signed 16 minutes ago: status %d body %v, want 401", status, body)
		}
	})
	t.Run("ErrAhead", func(t *testing.T) {
		status, _, _ := call(t, "GET", "/users/count", "", 10*60)
		if status != 401 {
			t.Fatalf("a request signed 10 minutes ahead: status %d, want 401", status)
		}
	})
	t.Run("ErrReplayed", func(t *testing.T) {
		status, _, headers := call(t, "GET", "/users/count?deptId="+s.Root, "", 0)
		if status != 200 {
			t.Fatalf("status %d", status)
		}
		req, _ := http.NewRequest("GET", s.URL+apiPrefix+"/users/count?deptId="+s.Root, nil)
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		send(t, req).wantError(t, 401, 13000101, "app authentication failed")
	})
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// TestAppAuth_Refused changes a signed request after signing, or signs it
// wrongly, and expects 401 with one message whatever the cause, while the
// log says what the cause was.
func TestAppAuth_Refused(t *testing.T) {
	s := startServer(t)
	a := s.newApp(t, "client")
	admin := s.adminID(t)
	disabled := s.newApp(t, "disabled")
	if _, err := cli(t, nil, "app", "disable", disabled.ID, "--data", s.Data); err != nil {
		t.Fatal(err)
	}
	deleted := s.newApp(t, "deleted")
	if _, err := cli(t, nil, "app", "delete", deleted.ID, "--data", s.Data); err != nil {
		t.Fatal(err)
	}
	const path = "/users"
	body := `{"userId":"victim"}`
	setBody := func(req *http.Request, b string) {
		req.Body = io.NopCloser(strings.NewReader(b))
		req.ContentLength = int64(len(b))
	}
	before := s.count(t)
	for _, tc := range []struct {
		name   string
		app    app
		user   string
		at     time.Time
		change func(*http.Request)
		log    string // what the log line must say
	}{
		{name: "ErrChangedBody", change: func(r *http.Request) { setBody(r, `{"userId":"victim2"}`) }, log: "signature"},
		{name: "ErrChangedPath", change: func(r *http.Request) { r.URL.Path = apiPrefix + "/departments" }, log: "signature"},
		{name: "ErrAddedQuery", change: func(r *http.Request) { r.URL.RawQuery = "x=1" }, log: "signature"},
		{name: "ErrChangedSignedHeader", change: func(r *http.Request) { r.Header.Set(signing.HeaderUserID, "1") }, log: "signature"},
		{name: "ErrChangedDate", change: func(r *http.Request) {
			r.Header.Set(signing.HeaderDate, time.Now().Add(-time.Minute).UTC().Format(signing.DateFormat))
		}, log: "signature"},
		{name: "ErrWrongSecret", app: app{ID: a.ID, Secret: strings.Repeat("0", 64)}, log: "signature"},
		{name: "ErrUnknownApp", app: app{ID: strings.Repeat("a", 64), Secret: a.Secret}, log: "unknown app"},
		{name: "ErrDisabledApp", app: disabled, log: "disabled"},
		{name: "ErrDeletedApp", app: deleted, log: "unknown app"},
		{name: "ErrSixteenMinutesOld", at: time.Now().Add(-16 * time.Minute), log: "X-Date"},
		{name: "ErrTenMinutesAhead", at: time.Now().Add(10 * time.Minute), log: "X-Date"},
		{name: "ErrUnknownUser", user: "1575416580416769793", log: "does not exist"},
		{name: "ErrUserIDNotAnID", user: "admin", log: "X-User-Id"},
		{name: "ErrUserIDUnsigned", change: func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "host;x-date;x-user-id", "host;x-date", 1))
		}, log: "x-user-id"},
		{name: "ErrMalformedHeader", change: func(r *http.Request) { r.Header.Set("Authorization", "HMAC-SHA256 AppId=x") }, log: "malformed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.app.ID == "" {
				tc.app = a
			}
			if tc.user == "" {
				tc.user = admin
			}
			if tc.at.IsZero() {
				tc.at = time.Now()
			}
			req := s.signedRequest(t, tc.app, tc.user, "POST", path, body, tc.at)
			if tc.change != nil {
				tc.change(req)
			}
			r := send(t, req)
			r.wantError(t, http.StatusUnauthorized, 13000101)
			if r.msg() != "app authentication failed" {
				t.Errorf("msg %q: a refusal must not say which part failed", r.msg())
			}
			lines := s.logs.logLines(t, "trace_id", r.Header.Get("X-Traceid"))
			if len(lines) == 0 || !strings.Contains(strings.ToLower(lines[len(lines)-1]["error"].(string)), strings.ToLower(tc.log)) {
				t.Errorf("log lines of the request %v; want an error mentioning %q", lines, tc.log)
			}
		})
	}
	t.Run("ErrReplay", func(t *testing.T) {
		req := s.signedRequest(t, a, admin, "POST", path, `{"userId":"once"}`, time.Now())
		again := req.Clone(req.Context())
		again.Body, _ = req.GetBody()
		send(t, req).wantOK(t)
		r := send(t, again)
		r.wantError(t, 401, 13000101, "app authentication failed")
		if lines := s.logs.logLines(t, "trace_id", r.Header.Get("X-Traceid")); len(lines) == 0 || !strings.Contains(lines[0]["error"].(string), "replay") {
			t.Errorf("log of the replay: %v", lines)
		}
		before++
	})
	t.Run("WindowEdges", func(t *testing.T) {
		s.signed(t, a, admin, "GET", "/users/count", "").wantOK(t)
		send(t, s.signedRequest(t, a, admin, "GET", "/users/count?x=old", "", time.Now().Add(-14*time.Minute))).wantOK(t)
		send(t, s.signedRequest(t, a, admin, "GET", "/users/count?x=ahead", "", time.Now().Add(30*time.Second))).wantOK(t)
	})
	if got := s.count(t); got != before {
		t.Errorf("user count %d, want %d: a refused request wrote something", got, before)
	}
}

// TestAppAuth_ActsWithTheUsersRights checks that an app has the rights of
// the user in X-User-Id, no more.
func TestAppAuth_ActsWithTheUsersRights(t *testing.T) {
	s := startServer(t)
	a := s.newApp(t, "client")
	dept := s.createDept(t, s.Admin, s.Root, "A")
	other := s.createDept(t, s.Admin, s.Root, "B")
	deptAdmin, _ := s.userIn(t, "dept-admin", dept, 0)
	common, _ := s.userIn(t, "common", dept, 1)
	create := func(user, in string) reply {
		return s.signed(t, a, user, "POST", "/users", `{"userId":"u`+time.Now().Format("150405.000000000")+`","modifyUserInfoReq":{"deptId":"`+in+`"}}`)
	}
	create(deptAdmin, dept).wantOK(t)
	create(deptAdmin, other).wantError(t, 403, 13000410)
	create(common, dept).wantError(t, 403, 13000410)

	// Endpoints KooDrive keeps to session tokens refuse app authentication.
	for _, c := range []struct{ method, path, body string }{
		{"POST", "/users/batchimport/preverify", `{"curDeptId":"` + s.Root + `","users":[{"personalCapacity":0,"isAllocateCapacity":false}]}`},
		{"GET", "/session/auth", ""},
		{"POST", "/session/refresh", ""},
		{"GET", "/koodrive/admin/v1/apps", ""},
	} {
		s.signed(t, a, s.adminID(t), c.method, c.path, c.body).wantError(t, 401, 13000101, "does not accept app authentication")
	}
}

func TestAppAuth_Rotation(t *testing.T) {
	s := startServer(t)
	old := s.newApp(t, "rotating")
	admin := s.adminID(t)
	rotate := func(grace int) app {
		r := s.do(t, "POST", "/koodrive/admin/v1/apps/"+old.ID+"/secret", s.Admin, map[string]any{"graceSeconds": grace})
		r.wantOK(t)
		return app{ID: old.ID, Secret: str(t, r.data(t), "appSecret")}
	}
	next := rotate(3600)
	s.signed(t, next, admin, "GET", "/users/count?n=1", "").wantOK(t)
	s.signed(t, old, admin, "GET", "/users/count?n=2", "").wantOK(t) // inside the grace period
	third := rotate(0)
	s.signed(t, third, admin, "GET", "/users/count?n=3", "").wantOK(t)
	s.signed(t, next, admin, "GET", "/users/count?n=4", "").wantError(t, 401, 13000101)
	s.signed(t, old, admin, "GET", "/users/count?n=5", "").wantError(t, 401, 13000101)
}

// TestAppAuth_SecretsAtRest checks that the database alone does not reveal
// app secrets, and that the key that seals them is private to its owner.
func TestAppAuth_SecretsAtRest(t *testing.T) {
	s := startServer(t)
	a := s.newApp(t, "sealed")
	s.signed(t, a, s.adminID(t), "GET", "/users/count", "").wantOK(t)
	for _, name := range []string{"koodrive.db", "koodrive.db-wal"} {
		raw, err := os.ReadFile(filepath.Join(s.Data, name))
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		if bytes.Contains(raw, []byte(a.Secret)) {
			t.Errorf("%s holds the app secret in clear", name)
		}
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(s.Data, "koodrive.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var stored string
	if err := db.QueryRow(`SELECT secret FROM apps WHERE app_id = $1`, a.ID).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(stored, a.Secret) || stored == "" {
		t.Errorf("stored secret %q", stored)
	}
	st, err := os.Stat(filepath.Join(s.Data, "secret.key"))
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("secret.key mode %v, want 0600", st.Mode().Perm())
	}
}

// TestAppAuth_KeyFromEnvironment runs with KOODRIVE_SECRET_KEY instead of a
// key file, as instances sharing a database do.
func TestAppAuth_KeyFromEnvironment(t *testing.T) {
	key := env{"KOODRIVE_SECRET_KEY": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="}
	s := startServerIn(t, t.TempDir(), key)
	out, err := cli(t, key, "app", "create", "--data", s.Data, "--name", "env")
	if err != nil {
		t.Fatal(err)
	}
	var a app
	json.Unmarshal([]byte(lastLine(out)), &a)
	s.signed(t, a, s.adminID(t), "GET", "/users/count", "").wantOK(t)
	if _, err := os.Stat(filepath.Join(s.Data, "secret.key")); !os.IsNotExist(err) {
		t.Errorf("a key file was written although KOODRIVE_SECRET_KEY is set: %v", err)
	}
	if _, err := cli(t, env{"KOODRIVE_SECRET_KEY": "short"}, "app", "list", "--data", s.Data); err == nil ||
		!strings.Contains(err.Error(), "KOODRIVE_SECRET_KEY") {
		t.Errorf("a malformed key: err %v, want one naming KOODRIVE_SECRET_KEY", err)
	}
	// An instance given another key would fail on every signed request:
	// it is refused at start instead, and the apps are untouched.
	other := env{"KOODRIVE_SECRET_KEY": "HxwdHBsaGRgXFhUUExIREA8ODQwLCgkIBwYFBAMCAQA="}
	if _, err := cli(t, other, "app", "list", "--data", s.Data); err == nil || !strings.Contains(err.Error(), "KOODRIVE_SECRET_KEY") {
		t.Errorf("another key: err %v, want a refusal naming KOODRIVE_SECRET_KEY", err)
	}
	// Signed a second later: the same request twice would be a replay.
	send(t, s.signedRequest(t, a, s.adminID(t), "GET", "/users/count", "", time.Now().Add(time.Second))).wantOK(t)
}
