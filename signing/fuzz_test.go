package signing_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"testing"

	"github.com/koodrive/koodrive/signing"
)

// FuzzVerify checks that whatever a client signs, the server accepts:
// both on the client's own request and after the request has crossed the
// HTTP/1.1 wire, where paths and queries get re-parsed.
func FuzzVerify(f *testing.F) {
	f.Add(uint8(0), "/koodrive/ose/v1/users/count", "deptId=", []byte(nil))
	f.Add(uint8(1), "/koodrive/ose/v1/users/batchimport/preverify", "", []byte(vectorBody))
	f.Add(uint8(2), "/a%2Fb/./c/../%41", "k=b&k=a&K=c&x", []byte("body"))
	f.Add(uint8(3), "/中文/%e4%b8%ad", "name=中文&q=a+b&r=%2B&&s=%7E", []byte{0, 0xff})
	f.Add(uint8(0), "", "", []byte(nil))
	f.Add(uint8(1), "//a//b/", "a=b=c;d", []byte(""))

	methods := []string{"GET", "POST", "PUT", "DELETE", "patch"}
	f.Fuzz(func(t *testing.T, m uint8, path, query string, body []byte) {
		target := "http://example.com/" + path
		if query != "" {
			target += "?" + query
		}
		var rd io.Reader
		if len(body) > 0 {
			rd = bytes.NewReader(body)
		}
		r, err := http.NewRequest(methods[int(m)%len(methods)], target, rd)
		if err != nil {
			return // not a URL a client could send
		}
		r.Header.Set(signing.HeaderUserID, vectorUserID)
		if err := signing.Sign(r, "app", testSecret, vectorTime); err != nil {
			if !errors.Is(err, signing.ErrMalformed) {
				t.Fatalf("Sign(%s %q): err = %v, want nil or ErrMalformed", r.Method, target, err)
			}
			return // e.g. a bad %-escape in the query
		}
		auth := parseAuth(t, r)
		if err := signing.Verify(r, body, auth, testSecret, vectorTime); err != nil {
			t.Fatalf("Verify(client %s %q): %v", r.Method, target, err)
		}
		srv, got, ok := transmit(t, r)
		if !ok {
			return // the server would reject it before signing matters
		}
		if err := signing.Verify(srv, got, parseAuth(t, srv), testSecret, vectorTime); err != nil {
			t.Fatalf("Verify(server %s %q, request-URI %q): %v", r.Method, target, srv.RequestURI, err)
		}
	})
}
