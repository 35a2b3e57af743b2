package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/koodrive/koodrive"
	"github.com/koodrive/koodrive/client"
	"github.com/koodrive/koodrive/signing"
)

// call is a request the fake server received.
type call struct {
	Method string
	Path   string
	Query  url.Values
	Header http.Header
	Body   []byte
	req    *http.Request
}

// handler answers a call with a status and a body.
type handler func(c call) (int, string)

// fake is a koodrive server that records requests and answers each route
// ("METHOD /path") from its table; a request for another route fails the test.
type fake struct {
	*httptest.Server
	t      *testing.T
	mu     sync.Mutex
	calls  []call
	routes map[string]handler
}

func newFake(t *testing.T) *fake {
	t.Helper()
	f := &fake{t: t, routes: map[string]handler{}}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *fake) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		f.t.Errorf("read body: %v", err)
	}
	c := call{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header, Body: body, req: r}
	f.mu.Lock()
	f.calls = append(f.calls, c)
	h := f.routes[r.Method+" "+r.URL.Path]
	f.mu.Unlock()
	w.Header().Set("X-Traceid", "header-trace")
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	if h == nil {
		f.t.Errorf("unexpected request %s %s", r.Method, r.URL)
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, `{"code":13000309,"msg":"no route","traceId":"t"}`)
		return
	}
	status, reply := h(c)
	w.WriteHeader(status)
	io.WriteString(w, reply)
}

// on answers route with 200 and body.
func (f *fake) on(route, body string) *fake { return f.onStatus(route, http.StatusOK, body) }

// onStatus answers route with status and body.
func (f *fake) onStatus(route string, status int, body string) *fake {
	return f.handle(route, func(call) (int, string) { return status, body })
}

func (f *fake) handle(route string, h handler) *fake {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.routes[route] = h
	return f
}

// client returns a client of the fake with a token and opts.
func (f *fake) client(opts ...client.Option) *client.Client {
	f.t.Helper()
	c, err := client.New(f.URL, append([]client.Option{client.WithToken("tok")}, opts...)...)
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}

// last returns the last request received.
func (f *fake) last() call {
	f.t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.calls) == 0 {
		f.t.Fatal("no request received")
	}
	return f.calls[len(f.calls)-1]
}

// all returns the requests received.
func (f *fake) all() []call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]call(nil), f.calls...)
}

// wantCall fails unless c is method path with exactly the query given as
// name, value pairs.
func wantCall(t *testing.T, c call, method, path string, query ...string) {
	t.Helper()
	if c.Method != method || c.Path != path {
		t.Errorf("request %s %s, want %s %s", c.Method, c.Path, method, path)
	}
	want := url.Values{}
	for i := 0; i+1 < len(query); i += 2 {
		want.Add(query[i], query[i+1])
	}
	if len(c.Query) != 0 || len(want) != 0 {
		if !reflect.DeepEqual(c.Query, want) {
			t.Errorf("%s %s query %v, want %v", method, path, c.Query, want)
		}
	}
}

// wantJSON fails unless got is the same JSON as want.
func wantJSON(t *testing.T, got []byte, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("body %q is not JSON: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("want %q is not JSON: %v", want, err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("body %s, want %s", got, want)
	}
}

func wantNoErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("error %v", err)
	}
}

var ctx = context.Background()

const ok = `{"code":0,"msg":"success"}`

func TestNew(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		for _, base := range []string{"http://127.0.0.1:8080", "https://drive.example.com/", "http://h/prefix"} {
			if _, err := client.New(base); err != nil {
				t.Errorf("New(%q): %v", base, err)
			}
		}
	})
	for name, tc := range map[string]struct {
		base string
		opts []client.Option
	}{
		"ErrNotHTTP":        {"ftp://h", nil},
		"ErrNoHost":         {"http://", nil},
		"ErrRelative":       {"/koodrive", nil},
		"ErrQuery":          {"http://h?x=1", nil},
		"ErrEmptyToken":     {"http://h", []client.Option{client.WithToken(" ")}},
		"ErrTokenAndApp":    {"http://h", []client.Option{client.WithToken("t"), client.WithApp("a", "s", 1)}},
		"ErrAppNoSecret":    {"http://h", []client.Option{client.WithApp("a", "", 1)}},
		"ErrAppNoUser":      {"http://h", []client.Option{client.WithApp("a", "s", 0)}},
		"ErrNilHTTPClient":  {"http://h", []client.Option{client.WithHTTPClient(nil)}},
		"ErrNilClock":       {"http://h", []client.Option{client.WithClock(nil)}},
		"ErrNilTraceSource": {"http://h", []client.Option{client.WithTraceIDs(nil)}},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := client.New(tc.base, tc.opts...); err == nil {
				t.Error("New succeeded, want an error")
			}
		})
	}
}

func TestHeaders(t *testing.T) {
	f := newFake(t).on("GET /koodrive/ose/v1/users/count", `{"code":0,"msg":"成功","total":3}`)

	t.Run("Token", func(t *testing.T) {
		c := f.client(client.WithLanguage("zh-CN"))
		n, err := c.Users().CountUsers(ctx, koodrive.Actor{}, 0)
		wantNoErr(t, err)
		if n != 3 {
			t.Errorf("count %d, want 3", n)
		}
		h := f.last().Header
		for name, want := range map[string]string{"Authorization": "Bearer tok", "language": "zh-CN", "X-Traceid": "", "X-User-Id": "", "X-Date": ""} {
			if got := h.Get(name); got != want {
				t.Errorf("%s %q, want %q", name, got, want)
			}
		}
	})

	t.Run("AccessTokenAsIs", func(t *testing.T) {
		c, err := client.New(f.URL, client.WithToken("Bearer abc"))
		wantNoErr(t, err)
		_, err = c.Users().CountUsers(ctx, koodrive.Actor{}, 0)
		wantNoErr(t, err)
		if got := f.last().Header.Get("Authorization"); got != "Bearer abc" {
			t.Errorf("Authorization %q, want Bearer abc", got)
		}
	})

	t.Run("NoCredentials", func(t *testing.T) {
		c, err := client.New(f.URL)
		wantNoErr(t, err)
		_, err = c.Users().CountUsers(ctx, koodrive.Actor{}, 0)
		wantNoErr(t, err)
		if got := f.last().Header.Get("Authorization"); got != "" {
			t.Errorf("Authorization %q, want none", got)
		}
	})

	t.Run("TraceIDs", func(t *testing.T) {
		id := strings.Repeat("a", 58)
		c := f.client(client.WithTraceIDs(func() string { return id }))
		_, err := c.Users().CountUsers(ctx, koodrive.Actor{}, 0)
		wantNoErr(t, err)
		if got := f.last().Header.Get("X-Traceid"); got != id {
			t.Errorf("X-Traceid %q, want %q", got, id)
		}
	})

	t.Run("HTTPClient", func(t *testing.T) {
		var used bool
		hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			used = true
			return http.DefaultTransport.RoundTrip(r)
		})}
		_, err := f.client(client.WithHTTPClient(hc)).Users().CountUsers(ctx, koodrive.Actor{}, 0)
		wantNoErr(t, err)
		if !used {
			t.Error("the given http.Client was not used")
		}
	})
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestAppSigning(t *testing.T) {
	f := newFake(t).on("POST /koodrive/ose/v1/departments", `{"code":0,"msg":"success","data":{"id":"42"}}`)
	at := time.Date(2026, 9, 25, 8, 30, 15, 0, time.UTC)
	c, err := client.New(f.URL, client.WithApp("app1", "s3cret", 1575416580416769793), client.WithClock(func() time.Time { return at }))
	wantNoErr(t, err)

	var sigs []string
	for range 2 {
		_, err := c.Departments().CreateDepartment(ctx, koodrive.Actor{}, koodrive.DepartmentCreate{Name: "Sales", ParentID: 7})
		wantNoErr(t, err)
		got := f.last()
		if h := got.Header.Get("X-User-Id"); h != "1575416580416769793" {
			t.Errorf("X-User-Id %q, want the acting user", h)
		}
		if h := got.Header.Get("X-Date"); h != "20260925T083015Z" {
			t.Errorf("X-Date %q, want the clock's 20260925T083015Z", h)
		}
		tid := got.Header.Get("X-Traceid")
		if len(tid) != 58 {
			t.Errorf("X-Traceid %q, want 58 characters", tid)
		}
		auth, err := signing.ParseAuthorization(got.Header.Get("Authorization"))
		wantNoErr(t, err)
		if auth.AppID != "app1" || !reflect.DeepEqual(auth.SignedHeaders, []string{"host", "x-date", "x-traceid", "x-user-id"}) {
			t.Errorf("authorization %+v, want app1 signing host, x-date, x-traceid, x-user-id", auth)
		}
		if err := signing.Verify(got.req, got.Body, auth, "s3cret", at.Add(time.Minute)); err != nil {
			t.Errorf("signature does not verify: %v", err)
		}
		if err := signing.Verify(got.req, got.Body, auth, "other", at); !errors.Is(err, signing.ErrSignatureMismatch) {
			t.Errorf("verify with another secret: %v, want a mismatch", err)
		}
		sigs = append(sigs, auth.Signature)
	}
	// The server refuses a signature it has seen; the trace ID makes two
	// identical requests in the same second differ.
	if sigs[0] == sigs[1] {
		t.Error("two identical requests have the same signature; the server would refuse the second as a replay")
	}

	t.Run("GivenTraceIDsAreSigned", func(t *testing.T) {
		id := strings.Repeat("b", 58)
		c, err := client.New(f.URL, client.WithApp("app1", "s3cret", 5), client.WithTraceIDs(func() string { return id }))
		wantNoErr(t, err)
		_, err = c.Departments().CreateDepartment(ctx, koodrive.Actor{}, koodrive.DepartmentCreate{Name: "x", ParentID: 7})
		wantNoErr(t, err)
		got := f.last()
		auth, err := signing.ParseAuthorization(got.Header.Get("Authorization"))
		wantNoErr(t, err)
		if got.Header.Get("X-Traceid") != id || !strings.Contains(strings.Join(auth.SignedHeaders, ";"), "x-traceid") {
			t.Errorf("X-Traceid %q signed %v, want %q signed", got.Header.Get("X-Traceid"), auth.SignedHeaders, id)
		}
		if err := signing.Verify(got.req, got.Body, auth, "s3cret", time.Now()); err != nil {
			t.Errorf("signature with the real clock does not verify: %v", err)
		}
	})
}

func TestRaw(t *testing.T) {
	f := newFake(t).
		on("GET /koodrive/ose/v1/users/count", `{"code":0,"msg":"success","total":12}`).
		on("POST /koodrive/ose/v1/future", `{"code":0,"msg":"success","data":{"x":1}}`).
		on("GET /healthz", ok)
	c := f.client()

	var out struct {
		Code  int `json:"code"`
		Total int `json:"total"`
	}
	wantNoErr(t, c.Raw(ctx, "get", "/koodrive/ose/v1/users/count?deptId=5", nil, &out))
	wantCall(t, f.last(), "GET", "/koodrive/ose/v1/users/count", "deptId", "5")
	if out.Total != 12 {
		t.Errorf("total %d, want 12", out.Total)
	}

	var data struct {
		Data map[string]int `json:"data"`
	}
	wantNoErr(t, c.Raw(ctx, "POST", "/koodrive/ose/v1/future", map[string]any{"a": "b"}, &data))
	wantJSON(t, f.last().Body, `{"a":"b"}`)
	if f.last().Header.Get("Content-Type") != "application/json" {
		t.Errorf("Content-Type %q", f.last().Header.Get("Content-Type"))
	}
	if data.Data["x"] != 1 {
		t.Errorf("data %v", data.Data)
	}
	wantNoErr(t, c.Raw(ctx, "POST", "/koodrive/ose/v1/future", []byte(`{"raw":true}`), nil))
	if string(f.last().Body) != `{"raw":true}` {
		t.Errorf("body %s, want the bytes as given", f.last().Body)
	}

	t.Run("ErrPath", func(t *testing.T) {
		for _, p := range []string{"users/count", "http://elsewhere/x"} {
			if err := c.Raw(ctx, "GET", p, nil, nil); err == nil {
				t.Errorf("Raw(%q) succeeded", p)
			}
		}
	})

	t.Run("Health", func(t *testing.T) {
		wantNoErr(t, c.Health(ctx))
		wantCall(t, f.last(), "GET", "/healthz")
	})
}
