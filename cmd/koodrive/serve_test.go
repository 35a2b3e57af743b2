package main

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestServe_Health(t *testing.T) {
	s := startServer(t)
	r := s.do(t, "GET", "/healthz", "", nil)
	r.wantOK(t)
}

func TestServe_UnknownRoute(t *testing.T) {
	s := startServer(t)
	r := s.do(t, "GET", "/nothing/here", s.Admin, nil)
	r.wantError(t, http.StatusNotFound, 13000309, "GET", "/koodrive/ose/v1/nothing/here")
}

func TestServe_MethodNotAllowed(t *testing.T) {
	s := startServer(t)
	r := s.do(t, "DELETE", "/users", s.Admin, nil)
	r.wantError(t, http.StatusMethodNotAllowed, 13000101, "DELETE", "POST")
	if got := r.Header.Get("Allow"); got != "POST" {
		t.Errorf("Allow %q, want POST", got)
	}
}

func TestServe_TraceID(t *testing.T) {
	s := startServer(t)
	valid := strings.Repeat("a1B2-_", 9) + "xyzw" // 58 characters
	t.Run("Generated", func(t *testing.T) {
		r := s.do(t, "GET", "/users/count", s.Admin, nil)
		r.wantOK(t)
		if got := r.Header.Get("X-Traceid"); !validTraceIDForTest(got) {
			t.Errorf("X-Traceid %q, want 58 letters, digits, - or _", got)
		}
	})
	t.Run("Echoed", func(t *testing.T) {
		r := s.do(t, "GET", "/users/count", s.Admin, nil, "X-Traceid", valid)
		r.wantOK(t)
		if got := r.Header.Get("X-Traceid"); got != valid {
			t.Errorf("X-Traceid %q, want %q", got, valid)
		}
	})
	t.Run("InEveryLogLine", func(t *testing.T) {
		id := strings.Repeat("z", 58)
		s.do(t, "POST", "/users", s.Admin, map[string]any{"userId": "traced"}, "X-Traceid", id).wantOK(t)
		lines := s.logs.logLines(t, "trace_id", id)
		if len(lines) == 0 {
			t.Fatalf("no log line carries trace_id %s:\n%s", id, s.logs)
		}
		for _, l := range lines {
			if l["msg"] == "request" && l["path"] != apiPrefix+"/users" {
				t.Errorf("log line %v belongs to another request", l)
			}
		}
	})
	t.Run("ErrorBodyCarriesIt", func(t *testing.T) {
		r := s.do(t, "GET", "/users/abc", s.Admin, nil, "X-Traceid", valid)
		r.wantError(t, http.StatusBadRequest, 13000102, "userId")
		if r.Body["traceId"] != valid {
			t.Errorf("traceId %v, want %s", r.Body["traceId"], valid)
		}
	})
	for name, bad := range map[string]string{
		"ErrTooShort":  valid[:57],
		"ErrTooLong":   valid + "a",
		"ErrBadChar":   valid[:57] + "!",
		"ErrMultibyte": valid[:56] + "中",
	} {
		t.Run(name, func(t *testing.T) {
			before := s.count(t)
			r := s.do(t, "POST", "/users", s.Admin, map[string]any{"userId": "t-" + name}, "X-Traceid", bad)
			r.wantError(t, http.StatusBadRequest, 13000102, "X-Traceid", "58")
			if r.Header.Get("X-Traceid") == bad {
				t.Errorf("an invalid trace ID was echoed")
			}
			if got := s.count(t); got != before {
				t.Errorf("user count %d after a refused request, want %d", got, before)
			}
		})
	}
}

func validTraceIDForTest(s string) bool {
	if len(s) != 58 {
		return false
	}
	return strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") == ""
}

func TestServe_Language(t *testing.T) {
	s := startServer(t)
	for _, tc := range []struct {
		header, success, notFound string
	}{
		{"", "success", "does not exist"},
		{"en-US", "success", "does not exist"},
		{"en_us", "success", "does not exist"},
		{"zh-CN", "成功", "不存在"},
		{"zh_cn", "成功", "不存在"},
		{"fr-FR", "success", "does not exist"}, // unknown: English
		{"not a language", "success", "does not exist"},
	} {
		t.Run(tc.header, func(t *testing.T) {
			h := []string{}
			if tc.header != "" {
				h = []string{"language", tc.header}
			}
			r := s.do(t, "GET", "/users/count", s.Admin, nil, h...)
			r.wantOK(t)
			if r.msg() != tc.success {
				t.Errorf("msg %q, want %q", r.msg(), tc.success)
			}
			r = s.do(t, "GET", "/users/42", s.Admin, nil, h...)
			r.wantError(t, http.StatusNotFound, 13000309, tc.notFound, "42")
		})
	}
}

func TestServe_BodyLimit(t *testing.T) {
	s := startServer(t)
	big := `{"userId":"big","name":"` + strings.Repeat("x", 2<<20) + `"}`
	t.Run("ErrDeclaredLength", func(t *testing.T) {
		r := s.do(t, "POST", "/users", s.Admin, big)
		r.wantError(t, http.StatusRequestEntityTooLarge, 13000101, "1048576")
	})
	t.Run("ErrChunked", func(t *testing.T) {
		// No Content-Length: the limit must hold while reading.
		req, _ := http.NewRequest("POST", s.URL+apiPrefix+"/users", io.MultiReader(strings.NewReader(big)))
		req.Header.Set("Authorization", "Bearer "+s.Admin)
		req.ContentLength = -1
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusRequestEntityTooLarge || !bytes.Contains(body, []byte(`"code":13000101`)) {
			t.Fatalf("status %d body %s; want 413 with code 13000101", resp.StatusCode, body)
		}
	})
	t.Run("ImportBodiesMayBeLarger", func(t *testing.T) {
		var b strings.Builder
		b.WriteString(`{"curDeptId":"` + s.Root + `","users":[`)
		for i := range 40000 { // about 2.4 MB
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(`{"targetDeptName":"","personalCapacity":0,"isAllocateCapacity":false}`)
		}
		b.WriteString("]}")
		r := s.do(t, "POST", "/users/batchimport/preverify", s.Admin, b.String())
		r.wantOK(t)
	})
	if got := s.count(t); got != 1 {
		t.Errorf("user count %d, want 1: a refused body wrote something", got)
	}
}

func TestServe_RestartKeepsData(t *testing.T) {
	data := t.TempDir()
	s := startServerIn(t, data, nil)
	id := s.createUser(t, s.Admin, map[string]any{"userId": "survivor"})
	dept := s.createDept(t, s.Admin, s.Root, "Kept")
	if err := s.stop(); err != nil {
		t.Fatalf("stop: %v", err)
	}

	s2 := startServerIn(t, data, nil)
	r := s2.do(t, "GET", "/users/"+id, s2.Admin, nil)
	r.wantOK(t)
	if got := str(t, r.data(t), "userId"); got != "survivor" {
		t.Errorf("userId %q, want survivor", got)
	}
	s2.do(t, "GET", "/departments/"+dept, s2.Admin, nil).wantOK(t)
	// A token issued before the restart still works.
	s2.do(t, "GET", "/users/count", s.Admin, nil).wantOK(t)
	if s2.Root != s.Root {
		t.Errorf("root %s after restart, want %s", s2.Root, s.Root)
	}
}

func TestServe_FlagsFromEnvironment(t *testing.T) {
	s := startServerIn(t, t.TempDir(), env{"KOODRIVE_MAX_USERS": "2", "KOODRIVE_ADMIN_USER_ID": "boss"})
	if _, err := cli(t, nil, "token", "create", "--data", s.Data, "--user", "admin"); err == nil {
		t.Errorf("token create --user admin succeeded; the administrator should be boss")
	}
	s.createUser(t, s.Admin, map[string]any{"userId": "second"})
	r := s.do(t, "POST", "/users", s.Admin, map[string]any{"userId": "third"})
	r.wantError(t, http.StatusBadRequest, 13000102, "2 users")
	// At the limit, a taken userId is still reported as taken.
	r = s.do(t, "POST", "/users", s.Admin, map[string]any{"userId": "second"})
	r.wantError(t, http.StatusConflict, 13000102, "userId", "second")
}

func TestServe_BadEnvironmentValue(t *testing.T) {
	_, err := cli(t, env{"KOODRIVE_MAX_USERS": "many"}, "serve", "--data", t.TempDir(), "--addr", "127.0.0.1:0")
	if err == nil || !strings.Contains(err.Error(), "KOODRIVE_MAX_USERS") {
		t.Fatalf("err %v, want one naming KOODRIVE_MAX_USERS", err)
	}
}

func TestServe_BadSettings(t *testing.T) {
	_, err := cli(t, nil, "serve", "--data", t.TempDir(), "--addr", "127.0.0.1:0", "--max-users", "0")
	if err == nil || !strings.Contains(err.Error(), "max-users") {
		t.Fatalf("err %v, want one naming max-users", err)
	}
}

func TestServe_BadTaskLease(t *testing.T) {
	for _, lease := range []string{"0s", "-1m"} {
		_, err := cli(t, nil, "serve", "--data", t.TempDir(), "--addr", "127.0.0.1:0", "--task-lease", lease)
		if err == nil || !strings.Contains(err.Error(), "--task-lease") {
			t.Errorf("--task-lease %s: err %v, want one naming --task-lease", lease, err)
		}
	}
}

// TestServe_BadDatabase: a --db that cannot be opened is named, its
// password hidden.
func TestServe_BadDatabase(t *testing.T) {
	_, err := cli(t, nil, "serve", "--data", t.TempDir(), "--addr", "127.0.0.1:0",
		"--db", "postgres://koodrive:hunter2@127.0.0.1:1/koodrive?connect_timeout=5")
	if err == nil || !strings.Contains(err.Error(), "--db postgres://koodrive:xxxxx@127.0.0.1:1/koodrive") || strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("err %v, want one naming --db without its password", err)
	}
}

func TestServe_AddressInUse(t *testing.T) {
	s := startServer(t)
	addr := strings.TrimPrefix(s.URL, "http://")
	_, err := cli(t, nil, "serve", "--data", t.TempDir(), "--addr", addr)
	if err == nil || !strings.Contains(err.Error(), "address already in use") {
		t.Fatalf("err %v, want address already in use", err)
	}
}
