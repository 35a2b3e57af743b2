// Package client is a Go SDK for koodrive's HTTP API. Its services implement
// the root package's interfaces (koodrive.UserService, DepartmentService,
// SpaceService, ImportService, OrganizationService, AuditService,
// AppService) over HTTP, so that code written against those interfaces runs
// against a remote server as it does against package sqldb.
//
//	c, err := client.New("http://127.0.0.1:8080", client.WithToken(token))
//	u, err := c.Users().FindUserByID(ctx, koodrive.Actor{}, id)
//
// # Who acts
//
// The credentials decide who acts, never the koodrive.Actor argument of the
// interface methods, which the client ignores: a session token
// ([WithToken]) acts as its user, an app ([WithApp]) as the user it names in
// X-User-Id. The server checks their rights as it checks everyone's.
//
// # Errors
//
// A refused request returns a *[Error] carrying the HTTP status, KooDrive's
// code, the server's message (in the language of [WithLanguage]) and the
// request's trace ID, which leads to the server's log lines. It also
// answers errors.As for a *koodrive.Error (see [Error.As]), so that
// koodrive.ErrorKind and koodrive.AsError work on client errors as on the
// services' own. A request that never got an answer (the network, a
// cancelled context) returns that error, wrapped with the request; its kind
// is EINTERNAL.
//
// # What the wire does not carry
//
// The API answers less than the domain types hold, and the services fill in
// what it gives: CreateUser and CreateDepartment answer the new ID and the
// client completes the rest from the request; departments have no Path or
// Level; spaces have no timestamps. Each method says what it leaves out.
//
// Each resource has its own file (users.go, departments.go, spaces.go,
// imports.go, ...); new endpoints go with their resource, and [Client.Raw]
// reaches any endpoint the SDK does not cover yet.
package client

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/koodrive/koodrive"
	"github.com/koodrive/koodrive/signing"
)

// Path prefixes of the API: KooDrive's OSE API and koodrive's own
// administration.
const (
	oseV1   = "/koodrive/ose/v1"
	adminV1 = "/koodrive/admin/v1"
)

// Client calls one koodrive server. It is safe for concurrent use.
type Client struct {
	base     string // scheme://host[/prefix], without a trailing slash
	hc       *http.Client
	lang     string
	now      func() time.Time
	traceIDs func() string
	app      *appCredentials

	mu    sync.Mutex
	token string // RefreshSession replaces it
}

type appCredentials struct {
	id, secret string
	user       koodrive.ID
}

// Option configures a Client.
type Option func(*Client) error

// WithToken authenticates every request with a session token (from
// koodrive token create or [Client.CreateSession]). A value with the
// "Bearer " scheme, as a session's accessToken comes, is taken as well.
func WithToken(token string) Option {
	return func(c *Client) error {
		t := stripBearer(token)
		if t == "" {
			return errors.New("empty token")
		}
		c.token = t
		return nil
	}
}

// WithApp authenticates every request with KooDrive's app authentication:
// each request is signed with signing.Sign as of the client's clock and acts
// as the user actingUserID (koodrive's id, sent in X-User-Id).
//
// The server refuses a signature it has seen before, and two identical
// requests signed in the same second have the same one; so an app client
// sends a fresh X-Traceid with every request and signs it (from
// [WithTraceIDs] if given, random otherwise).
func WithApp(appID, secret string, actingUserID koodrive.ID) Option {
	return func(c *Client) error {
		switch {
		case appID == "" || secret == "":
			return errors.New("empty app ID or secret")
		case actingUserID <= 0:
			return errors.New("no acting user")
		}
		c.app = &appCredentials{id: appID, secret: secret, user: actingUserID}
		return nil
	}
}

// WithHTTPClient sends requests with hc instead of http.DefaultClient.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) error {
		if hc == nil {
			return errors.New("nil http.Client")
		}
		c.hc = hc
		return nil
	}
}

// WithLanguage asks for messages in lang (the language header: en-US,
// zh-CN). It changes msg texts and pre-verification reasons, never codes.
func WithLanguage(lang string) Option {
	return func(c *Client) error {
		c.lang = lang
		return nil
	}
}

// WithClock sets the clock that X-Date is taken from when signing; the
// default is time.Now.
func WithClock(now func() time.Time) Option {
	return func(c *Client) error {
		if now == nil {
			return errors.New("nil clock")
		}
		c.now = now
		return nil
	}
}

// WithTraceIDs sends X-Traceid from next with every request, so that a
// caller can tie its own logs to the server's. The server accepts exactly
// 58 letters, digits, '-' or '_' and refuses anything else (EINVALID).
// Without it a token client sends none and the server makes one; either
// way the server's trace ID is in every [Error]. next is called for every
// request, from whichever goroutine sends it.
func WithTraceIDs(next func() string) Option {
	return func(c *Client) error {
		if next == nil {
			return errors.New("nil trace ID source")
		}
		c.traceIDs = next
		return nil
	}
}

// New returns a client of the server at baseURL (scheme and host, and a
// path prefix when a proxy serves it below one).
func New(baseURL string, opts ...Option) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(strings.TrimSpace(baseURL), "/"))
	switch {
	case err != nil:
		return nil, fmt.Errorf("client: base URL: %w", err)
	case u.Scheme != "http" && u.Scheme != "https" || u.Host == "":
		return nil, fmt.Errorf("client: base URL %q is not http(s)://host", baseURL)
	case u.RawQuery != "" || u.Fragment != "":
		return nil, fmt.Errorf("client: base URL %q has a query or fragment", baseURL)
	}
	c := &Client{base: u.String(), hc: http.DefaultClient, now: time.Now}
	for _, opt := range opts {
		if err := opt(c); err != nil {
			return nil, fmt.Errorf("client: %w", err)
		}
	}
	if c.app != nil && c.token != "" {
		return nil, errors.New("client: WithToken and WithApp both given; a request has one set of credentials")
	}
	if c.app != nil && c.traceIDs == nil {
		c.traceIDs = newTraceID
	}
	return c, nil
}

// newTraceID makes a trace ID of the form the server accepts: 58 hex digits.
func newTraceID() string {
	b := make([]byte, 29)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func (c *Client) currentToken() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.token
}

func (c *Client) setToken(token string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.token = token
}

// request is one API call. path is escaped and starts at the server's root
// (oseV1 + "/users/" + id); body is nil (none), []byte or json.RawMessage
// (sent as is), an io.Reader (sent as is with contentType), or any other
// value, sent as JSON.
type request struct {
	method      string
	path        string
	query       url.Values
	body        any
	contentType string
	header      http.Header
}

// roundTrip sends r with the client's credentials, language and trace ID
// and returns the response, whatever its status; the caller closes its body.
// Endpoints that answer something other than a JSON envelope (file
// downloads) use it directly.
func (c *Client) roundTrip(ctx context.Context, r request) (*http.Response, error) {
	target := c.base + r.path
	if len(r.query) > 0 {
		target += "?" + r.query.Encode()
	}
	var body io.Reader
	contentType := r.contentType
	switch b := r.body.(type) {
	case nil:
	case []byte:
		body = bytes.NewReader(b)
	case json.RawMessage:
		body = bytes.NewReader(b)
	case io.Reader:
		body = b
	default:
		data, err := json.Marshal(b)
		if err != nil {
			return nil, fmt.Errorf("%s %s: encode request: %w", r.method, r.path, err)
		}
		body = bytes.NewReader(data)
	}
	if body != nil && contentType == "" {
		contentType = "application/json"
	}
	req, err := http.NewRequestWithContext(ctx, r.method, target, body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", r.method, r.path, err)
	}
	for k, vs := range r.header {
		req.Header[k] = vs
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if req.Header.Get("Accept") == "" {
		req.Header.Set("Accept", "application/json")
	}
	if c.lang != "" {
		req.Header.Set("language", c.lang)
	}
	var signed []string
	if c.traceIDs != nil {
		req.Header.Set("X-Traceid", c.traceIDs())
		signed = append(signed, "X-Traceid")
	}
	if c.app != nil {
		req.Header.Set(signing.HeaderUserID, c.app.user.String())
		if err := signing.Sign(req, c.app.id, c.app.secret, c.now(), signed...); err != nil {
			return nil, fmt.Errorf("%s %s: sign: %w", r.method, r.path, err)
		}
	} else if token := c.currentToken(); token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", r.method, r.path, err)
	}
	return resp, nil
}

// envelope is what every answer carries: KooDrive's code and msg, and on
// errors the trace ID.
type envelope struct {
	Code    *koodrive.Code `json:"code"`
	Msg     string         `json:"msg"`
	TraceID string         `json:"traceId"`
}

// do sends r and decodes a successful answer's body into out (when not
// nil). Anything but 200 with code 0 is an *Error.
func (c *Client) do(ctx context.Context, r request, out any) error {
	resp, err := c.roundTrip(ctx, r)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("%s %s: read response: %w", r.method, r.path, err)
	}
	if err := responseError(r, resp, raw); err != nil {
		return err
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			return fmt.Errorf("%s %s: decode response: %w", r.method, r.path, err)
		}
	}
	return nil
}

// responseError returns the *Error of an answer that is not a success
// envelope, nil for one that is.
func responseError(r request, resp *http.Response, raw []byte) error {
	var env envelope
	jerr := json.Unmarshal(raw, &env)
	if resp.StatusCode == http.StatusOK && jerr == nil && env.Code != nil && *env.Code == koodrive.CodeOK {
		return nil
	}
	e := &Error{Status: resp.StatusCode, TraceID: env.TraceID, Method: r.method, Path: r.path}
	if e.TraceID == "" {
		e.TraceID = resp.Header.Get("X-Traceid")
	}
	if jerr == nil && env.Code != nil {
		e.Code, e.Msg = *env.Code, env.Msg
	} else {
		// Not koodrive's answer: a proxy's error page, or a body cut short.
		e.Msg = "response is not a KooDrive envelope: " + snippet(raw)
	}
	return e
}

// snippet returns the start of a body for an error message.
func snippet(raw []byte) string {
	s := strings.TrimSpace(string(raw))
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	if s == "" {
		return "(empty)"
	}
	return fmt.Sprintf("%q", s)
}

// Raw calls an endpoint the SDK has no method for. path starts at the
// server's root and may carry a query ("/koodrive/ose/v1/users/count?deptId=1");
// body is nil, []byte or json.RawMessage (sent as is) or a value sent as
// JSON; out, when not nil, receives the whole JSON body of a successful
// answer (code, msg and the payload, under "data" or at the top level as the
// endpoint has it). Errors are as every method's.
func (c *Client) Raw(ctx context.Context, method, path string, body, out any) error {
	u, err := url.Parse(path)
	if err != nil || u.Scheme != "" || u.Host != "" || !strings.HasPrefix(u.Path, "/") {
		return fmt.Errorf("%s %s: path must start at the server's root with /", method, path)
	}
	r := request{method: strings.ToUpper(method), path: u.EscapedPath(), body: body}
	if u.RawQuery != "" {
		if r.query, err = url.ParseQuery(u.RawQuery); err != nil {
			return fmt.Errorf("%s %s: query: %w", method, path, err)
		}
	}
	return c.do(ctx, r, out)
}

// Health checks GET /healthz: nil while the server and its database answer.
func (c *Client) Health(ctx context.Context) error {
	return c.do(ctx, request{method: http.MethodGet, path: "/healthz"}, nil)
}
