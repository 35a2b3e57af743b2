package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// The end-to-end tests run koodrive as a user does: run() with a command line,
// a real SQLite file in a temporary data folder, and real HTTP on loopback.
// Tests that kill the server run this test binary as the koodrive binary.

const asBinaryEnv = "KOODRIVE_TEST_AS_BINARY"

func TestMain(m *testing.M) {
	if os.Getenv(asBinaryEnv) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

const apiPrefix = "/koodrive/ose/v1"

// server is a koodrive serving a data folder.
type server struct {
	URL   string
	Data  string
	Admin string // a token of the system administrator
	Root  string // the root department's ID
	logs  *syncBuffer
	stop  func() error
}

// env is a getenv over a fixed set of variables.
type env map[string]string

func (e env) get(k string) string { return e[k] }

// startServer starts koodrive on a new data folder.
func startServer(t testing.TB, flags ...string) *server {
	t.Helper()
	return startServerIn(t, t.TempDir(), nil, flags...)
}

// startServerIn starts koodrive in-process on data, with environment e and
// extra flags, and stops it when the test ends.
func startServerIn(t testing.TB, data string, e env, flags ...string) *server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := newLineWatch("koodrive listening on ")
	s := &server{Data: data, logs: &syncBuffer{}}
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--data", data}, flags...)
	done := make(chan error, 1)
	go func() { done <- run(ctx, args, e.get, nil, out, s.logs) }()
	select {
	case url := <-out.found:
		s.URL = url
	case err := <-done:
		cancel()
		t.Fatalf("serve exited before listening: %v\n%s", err, s.logs)
	case <-time.After(20 * time.Second):
		cancel()
		t.Fatalf("serve did not start\n%s", s.logs)
	}
	var once sync.Once
	var stopErr error
	s.stop = func() error {
		once.Do(func() { cancel(); stopErr = <-done })
		return stopErr
	}
	t.Cleanup(func() {
		// Shutdown waits up to 5 s for connections that never sent a
		// request; the clients' spare connections are such, so close them.
		http.DefaultClient.CloseIdleConnections()
		quietClient.CloseIdleConnections()
		if err := s.stop(); err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	admin := "admin"
	if v := e["KOODRIVE_ADMIN_USER_ID"]; v != "" {
		admin = v
	}
	for i, f := range flags {
		if f == "--admin-user-id" && i+1 < len(flags) {
			admin = flags[i+1]
		}
	}
	s.Admin = s.token(t, admin)
	s.Root = s.rootID(t)
	return s
}

// startBinary starts koodrive as a separate process on data, for tests that
// kill it. It returns the base URL and the process.
func startBinary(t testing.TB, data string, flags ...string) (string, *exec.Cmd) {
	t.Helper()
	cmd, listening := launchBinary(t, data, nil, flags...)
	return listening(), cmd
}

// launchBinary starts koodrive as a separate process on data, with extra
// environment variables, and returns the process and a function that waits
// until it listens and returns its base URL: several can start at once.
func launchBinary(t testing.TB, data string, environ []string, flags ...string) (*exec.Cmd, func() string) {
	t.Helper()
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--data", data}, flags...)
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(append(os.Environ(), asBinaryEnv+"=1"), environ...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := &syncBuffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd, func() string {
		t.Helper()
		line, err := bufio.NewReader(stdout).ReadString('\n')
		if err != nil || !strings.HasPrefix(line, "koodrive listening on ") {
			t.Fatalf("koodrive did not start: %q %v\n%s", line, err, stderr)
		}
		go io.Copy(io.Discard, stdout)
		return strings.TrimSpace(strings.TrimPrefix(line, "koodrive listening on "))
	}
}

// cli runs a koodrive command and returns its standard output.
func cli(t testing.TB, e env, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, e.get, strings.NewReader(""), &out, &errOut)
	return out.String(), err
}

// lastLine returns the last non-empty line of s.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// token issues a token for userID with koodrive token create.
func (s *server) token(t testing.TB, userID string) string {
	t.Helper()
	out, err := cli(t, nil, "token", "create", "--data", s.Data, "--user", userID)
	if err != nil {
		t.Fatalf("token create --user %s: %v", userID, err)
	}
	return lastLine(out)
}

func (s *server) rootID(t testing.TB) string {
	t.Helper()
	r := s.do(t, "GET", "/departmentList", s.Admin, nil)
	r.wantOK(t)
	return r.list(t)[0]["id"].(string)
}

// reply is a response, with its body decoded keeping numbers exact.
type reply struct {
	Status int
	Header http.Header
	Raw    []byte
	Body   map[string]any
}

// do sends a request to the API. body is sent as is if it is a string or
// []byte and as JSON otherwise; headers are name, value pairs.
func (s *server) do(t testing.TB, method, path, token string, body any, headers ...string) reply {
	t.Helper()
	return doURL(t, s.URL, method, path, token, body, headers...)
}

func doURL(t testing.TB, base, method, path, token string, body any, headers ...string) reply {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(buf)
	}
	req, err := http.NewRequest(method, base+apiPath(path), rd)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return send(t, req)
}

// apiPath puts the OSE API's prefix before a path that has none.
func apiPath(path string) string {
	if strings.HasPrefix(path, "/healthz") || strings.HasPrefix(path, "/koodrive/") {
		return path
	}
	return apiPrefix + path
}

// send sends a request and decodes the reply.
func send(t testing.TB, req *http.Request) reply {
	t.Helper()
	method, path := req.Method, req.URL.Path
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	r := reply{Status: resp.StatusCode, Header: resp.Header, Raw: raw}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&r.Body); err != nil {
		t.Fatalf("%s %s: status %d, body is not a JSON object: %q", method, path, resp.StatusCode, raw)
	}
	return r
}

// wantOK fails unless the reply is a success envelope.
func (r reply) wantOK(t testing.TB) {
	t.Helper()
	if r.Status != http.StatusOK || r.code() != 0 {
		t.Fatalf("status %d, body %s; want 200 with code 0", r.Status, r.Raw)
	}
}

// wantError fails unless the reply is an error with this status and code
// whose message contains every part, and whose trace ID is the header's.
func (r reply) wantError(t testing.TB, status, code int, parts ...string) {
	t.Helper()
	if r.Status != status || r.code() != code {
		t.Fatalf("status %d code %d, body %s; want status %d code %d", r.Status, r.code(), r.Raw, status, code)
	}
	msg := r.msg()
	for _, p := range parts {
		if !strings.Contains(msg, p) {
			t.Errorf("msg %q does not contain %q", msg, p)
		}
	}
	if tid, _ := r.Body["traceId"].(string); tid == "" || tid != r.Header.Get("X-Traceid") {
		t.Errorf("traceId %q, X-Traceid header %q; want the same non-empty value", tid, r.Header.Get("X-Traceid"))
	}
}

func (r reply) code() int {
	n, _ := r.Body["code"].(json.Number)
	c, _ := n.Int64()
	return int(c)
}

func (r reply) msg() string { s, _ := r.Body["msg"].(string); return s }

// data returns the "data" object.
func (r reply) data(t testing.TB) map[string]any {
	t.Helper()
	d, ok := r.Body["data"].(map[string]any)
	if !ok {
		t.Fatalf("no data object in %s", r.Raw)
	}
	return d
}

// list returns the top-level "list" of objects.
func (r reply) list(t testing.TB) []map[string]any {
	t.Helper()
	items, ok := r.Body["list"].([]any)
	if !ok {
		t.Fatalf("no list in %s", r.Raw)
	}
	out := make([]map[string]any, len(items))
	for i, it := range items {
		out[i] = it.(map[string]any)
	}
	return out
}

// num returns a JSON number field as an int.
func num(t testing.TB, m map[string]any, key string) int {
	t.Helper()
	n, ok := m[key].(json.Number)
	if !ok {
		t.Fatalf("%s is %T (%v), want a JSON number", key, m[key], m[key])
	}
	v, err := n.Int64()
	if err != nil {
		t.Fatal(err)
	}
	return int(v)
}

// str returns a field that must be a JSON string.
func str(t testing.TB, m map[string]any, key string) string {
	t.Helper()
	s, ok := m[key].(string)
	if !ok {
		t.Fatalf("%s is %T (%v), want a JSON string", key, m[key], m[key])
	}
	return s
}

// createDept creates a department and returns its ID.
func (s *server) createDept(t testing.TB, token, parent, name string) string {
	t.Helper()
	r := s.do(t, "POST", "/departments", token, map[string]any{"name": name, "parentId": parent})
	r.wantOK(t)
	return str(t, r.data(t), "id")
}

// createUser creates a user with the body and returns the user's ID.
func (s *server) createUser(t testing.TB, token string, body map[string]any) string {
	t.Helper()
	r := s.do(t, "POST", "/users", token, body)
	r.wantOK(t)
	return str(t, r.data(t), "id")
}

// userIn creates a user with a role in a department and returns a token of theirs.
func (s *server) userIn(t testing.TB, userID, dept string, role int) (id, token string) {
	t.Helper()
	id = s.createUser(t, s.Admin, map[string]any{"userId": userID, "modifyUserInfoReq": map[string]any{"deptId": dept, "role": role}})
	return id, s.token(t, userID)
}

// count returns the number of users in the organization.
func (s *server) count(t testing.TB) int {
	t.Helper()
	r := s.do(t, "GET", "/users/count", s.Admin, nil)
	r.wantOK(t)
	return num(t, r.Body, "total")
}

// lineWatch is a writer that reports the rest of the first line starting
// with prefix.
type lineWatch struct {
	mu     sync.Mutex
	prefix string
	buf    bytes.Buffer
	found  chan string
	done   bool
}

func newLineWatch(prefix string) *lineWatch {
	return &lineWatch{prefix: prefix, found: make(chan string, 1)}
}

func (w *lineWatch) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	for !w.done {
		line, err := w.buf.ReadString('\n')
		if err != nil {
			w.buf.WriteString(line)
			break
		}
		if strings.HasPrefix(line, w.prefix) {
			w.done = true
			w.found <- strings.TrimSpace(strings.TrimPrefix(line, w.prefix))
		}
	}
	return len(p), nil
}

// syncBuffer collects the server's logs.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// logLines returns the JSON log lines that have a field with a value.
func (b *syncBuffer) logLines(t testing.TB, key, value string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(b.String(), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(line), &m) != nil {
			continue
		}
		if fmt.Sprint(m[key]) == value {
			out = append(out, m)
		}
	}
	return out
}

func stringsReader(s string) io.Reader { return strings.NewReader(s) }

// readAllJSON reads a response body and decodes it into v; it fails if the
// body cannot be read to its end (the connection broke).
func readAllJSON(resp *http.Response, v any) (string, error) {
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	return string(raw), json.Unmarshal(raw, v)
}

// jsonLast decodes the last line of out.
func jsonLast(out string, v any) error { return json.Unmarshal([]byte(lastLine(out)), v) }
