package signing_test

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/koodrive/koodrive/signing"
)

const (
	vectorSecret = "example-app-secret"
	vectorAppID  = "example-app-id"
	vectorHost   = "10.32.45.165"
	vectorDate   = "20240909T033325Z"
	vectorUserID = "1505084218764547200"
	vectorBody   = `{"curDeptId":"1575416580416769793","users":[{"targetDeptName":"Dept","personalCapacity":10,"isAllocateCapacity":true}]}`
)

// vectorTime is the instant vectorDate names.
var vectorTime = time.Date(2024, 9, 9, 3, 33, 25, 0, time.UTC)

// newRequest builds a client-side request with X-User-Id set, as a caller
// of Sign would.
func newRequest(t testing.TB, method, target, body string) *http.Request {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	r, err := http.NewRequest(method, target, rd)
	if err != nil {
		t.Fatalf("http.NewRequest(%q, %q): %v", method, target, err)
	}
	r.Header.Set(signing.HeaderUserID, vectorUserID)
	return r
}

// transmit sends r through the HTTP/1.1 wire format and returns what a
// server would see, so tests cover both sides' canonicalization. ok is
// false when the server side would reject the request before signing
// could matter.
func transmit(t testing.TB, r *http.Request) (srv *http.Request, body []byte, ok bool) {
	t.Helper()
	var buf bytes.Buffer
	if err := r.Write(&buf); err != nil {
		return nil, nil, false
	}
	srv, err := http.ReadRequest(bufio.NewReader(&buf))
	if err != nil {
		return nil, nil, false
	}
	body, err = io.ReadAll(srv.Body)
	if err != nil {
		t.Fatalf("reading transmitted body: %v", err)
	}
	return srv, body, true
}

// mustTransmit is transmit for requests that are known to be valid.
func mustTransmit(t testing.TB, r *http.Request) (*http.Request, []byte) {
	t.Helper()
	srv, body, ok := transmit(t, r)
	if !ok {
		t.Fatalf("request %s %s did not survive the wire", r.Method, r.URL)
	}
	return srv, body
}

// parseAuth parses r's Authorization header.
func parseAuth(t testing.TB, r *http.Request) signing.Authorization {
	t.Helper()
	auth, err := signing.ParseAuthorization(r.Header.Get("Authorization"))
	if err != nil {
		t.Fatalf("ParseAuthorization(%q): %v", r.Header.Get("Authorization"), err)
	}
	return auth
}
