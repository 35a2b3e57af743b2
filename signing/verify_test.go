package signing_test

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/koodrive/koodrive/signing"
)

const testSecret = "s3cret"

// signed returns a request signed at vectorTime as the server receives it.
func signed(t *testing.T, method, target, body string, extra ...string) (*http.Request, []byte, signing.Authorization) {
	t.Helper()
	r := newRequest(t, method, target, body)
	for _, h := range extra {
		r.Header.Set(h, "value of "+h)
	}
	if err := signing.Sign(r, "app", testSecret, vectorTime, extra...); err != nil {
		t.Fatalf("Sign: %v", err)
	}
	srv, b := mustTransmit(t, r)
	return srv, b, parseAuth(t, srv)
}

func TestSignVerifyRoundTrip(t *testing.T) {
	tests := []struct {
		method, target, body string
		extra                []string
	}{
		{"GET", "http://example.com/files?parent=root&order=name", "", nil},
		{"GET", "http://example.com:8443/a%2Fb/./c/../d?q=%E4%B8%AD+x&q=a&Q=", "", nil},
		{"POST", "http://example.com/files/upload", `{"name":"中文.txt"}`, []string{"Content-Type"}},
		{"PUT", "http://example.com/files/123", "new contents", []string{"X-Request-Id", "content-type"}},
		{"DELETE", "http://example.com/files/123?recursive=true", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.target, func(t *testing.T) {
			srv, body, auth := signed(t, tt.method, tt.target, tt.body, tt.extra...)
			if string(body) != tt.body {
				t.Fatalf("transmitted body = %q, want %q", body, tt.body)
			}
			if err := signing.Verify(srv, body, auth, testSecret, vectorTime); err != nil {
				t.Errorf("Verify: %v", err)
			}
		})
	}
}

func TestVerifyRejectsTampering(t *testing.T) {
	tests := []struct {
		name   string
		tamper func(r *http.Request, body *[]byte, secret *string)
	}{
		{"body", func(r *http.Request, body *[]byte, _ *string) { *body = []byte(`{"name":"b"}`) }},
		{"empty body", func(r *http.Request, body *[]byte, _ *string) { *body = nil }},
		{"path", func(r *http.Request, _ *[]byte, _ *string) { r.URL.Path, r.URL.RawPath = "/files/other", "" }},
		{"query value", func(r *http.Request, _ *[]byte, _ *string) { r.URL.RawQuery = "force=false" }},
		{"query added", func(r *http.Request, _ *[]byte, _ *string) { r.URL.RawQuery += "&x=1" }},
		{"method", func(r *http.Request, _ *[]byte, _ *string) { r.Method = "PUT" }},
		{"host", func(r *http.Request, _ *[]byte, _ *string) { r.Host = "evil.example.com" }},
		{"user id", func(r *http.Request, _ *[]byte, _ *string) { r.Header.Set("X-User-Id", "1") }},
		{"date", func(r *http.Request, _ *[]byte, _ *string) { r.Header.Set("X-Date", "20240909T033326Z") }},
		{"extra signed header", func(r *http.Request, _ *[]byte, _ *string) { r.Header.Set("Content-Type", "text/plain") }},
		{"secret", func(_ *http.Request, _ *[]byte, secret *string) { *secret = "other" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, body, auth := signed(t, "POST", "http://example.com/files/1?force=true", `{"name":"a"}`, "Content-Type")
			secret := testSecret
			tt.tamper(srv, &body, &secret)
			err := signing.Verify(srv, body, auth, secret, vectorTime)
			if !errors.Is(err, signing.ErrSignatureMismatch) {
				t.Errorf("Verify after changing %s: err = %v, want ErrSignatureMismatch", tt.name, err)
			}
		})
	}
}

func TestVerifyIgnoresUnsignedHeaders(t *testing.T) {
	srv, body, auth := signed(t, "GET", "http://example.com/", "")
	srv.Header.Set("User-Agent", "changed")
	srv.Header.Set("Accept", "*/*")
	if err := signing.Verify(srv, body, auth, testSecret, vectorTime); err != nil {
		t.Errorf("Verify after changing unsigned headers: %v", err)
	}
}

func TestVerifyDateWindow(t *testing.T) {
	tests := []struct {
		name  string
		since time.Duration // how long after signing the server verifies
		want  error
	}{
		{"now", 0, nil},
		{"14 minutes old", 14 * time.Minute, nil},
		{"exactly MaxAge old", signing.MaxAge, nil},
		{"just over MaxAge old", signing.MaxAge + time.Second, signing.ErrDateWindow},
		{"16 minutes old", 16 * time.Minute, signing.ErrDateWindow},
		{"30 seconds ahead", -30 * time.Second, nil},
		{"exactly MaxSkew ahead", -signing.MaxSkew, nil},
		{"just over MaxSkew ahead", -signing.MaxSkew - time.Second, signing.ErrDateWindow},
		{"10 minutes ahead", -10 * time.Minute, signing.ErrDateWindow},
	}
	srv, body, auth := signed(t, "GET", "http://example.com/", "")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := signing.Verify(srv, body, auth, testSecret, vectorTime.Add(tt.since))
			if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Errorf("Verify %v after signing: err = %v, want %v", tt.since, err, tt.want)
			}
		})
	}
}

func TestVerifyBadDate(t *testing.T) {
	tests := []struct{ date string }{
		{"2024-09-09T03:33:25Z"},
		{"20240909T033325"},
		{"20240909T033325.5Z"},
		{"20240909t033325z"},
		{"Mon, 09 Sep 2024 03:33:25 GMT"},
	}
	for _, tt := range tests {
		srv, body, auth := signed(t, "GET", "http://example.com/", "")
		srv.Header.Set("X-Date", tt.date)
		err := signing.Verify(srv, body, auth, testSecret, vectorTime)
		if !errors.Is(err, signing.ErrMalformed) {
			t.Errorf("Verify with X-Date %q: err = %v, want ErrMalformed", tt.date, err)
		}
	}
}

func TestVerifyMissingRequiredHeader(t *testing.T) {
	for _, missing := range signing.DefaultSignedHeaders {
		t.Run("unsigned "+missing, func(t *testing.T) {
			srv, body, auth := signed(t, "GET", "http://example.com/", "")
			var kept []string
			for _, h := range auth.SignedHeaders {
				if h != missing {
					kept = append(kept, h)
				}
			}
			auth.SignedHeaders = kept
			err := signing.Verify(srv, body, auth, testSecret, vectorTime)
			if !errors.Is(err, signing.ErrMissingHeader) {
				t.Errorf("Verify without signing %s: err = %v, want ErrMissingHeader", missing, err)
			}
		})
	}
	for _, missing := range []string{"X-Date", "X-User-Id"} {
		t.Run("absent "+missing, func(t *testing.T) {
			srv, body, auth := signed(t, "GET", "http://example.com/", "")
			srv.Header.Del(missing)
			err := signing.Verify(srv, body, auth, testSecret, vectorTime)
			if !errors.Is(err, signing.ErrMissingHeader) {
				t.Errorf("Verify with %s removed: err = %v, want ErrMissingHeader", missing, err)
			}
		})
	}
}

func TestVerifyMalformedAuthorization(t *testing.T) {
	srv, body, auth := signed(t, "GET", "http://example.com/", "")
	auth.Signature = "not hex"
	if err := signing.Verify(srv, body, auth, testSecret, vectorTime); !errors.Is(err, signing.ErrMalformed) {
		t.Errorf("Verify with non-hex signature: err = %v, want ErrMalformed", err)
	}
}

func TestSignErrors(t *testing.T) {
	r := newRequest(t, "GET", "http://example.com/", "")
	r.Header.Del("X-User-Id")
	if err := signing.Sign(r, "app", testSecret, vectorTime); !errors.Is(err, signing.ErrMissingHeader) {
		t.Errorf("Sign without X-User-Id: err = %v, want ErrMissingHeader", err)
	}
	r = newRequest(t, "GET", "http://example.com/", "")
	if err := signing.Sign(r, "app", testSecret, vectorTime, "X-Absent"); !errors.Is(err, signing.ErrMissingHeader) {
		t.Errorf("Sign with absent extra header: err = %v, want ErrMissingHeader", err)
	}
	r = newRequest(t, "GET", "http://example.com/", "")
	if err := signing.Sign(r, "app", testSecret, vectorTime, "Authorization"); !errors.Is(err, signing.ErrMalformed) {
		t.Errorf("Sign with Authorization as extra header: err = %v, want ErrMalformed", err)
	}
	r = newRequest(t, "GET", "http://example.com/", "")
	if err := signing.Sign(r, "", testSecret, vectorTime); !errors.Is(err, signing.ErrMalformed) {
		t.Errorf("Sign with empty app ID: err = %v, want ErrMalformed", err)
	}
}

func TestSignDate(t *testing.T) {
	// A non-UTC clock must still produce a UTC X-Date.
	r := newRequest(t, "GET", "http://example.com/", "")
	if err := signing.Sign(r, "app", testSecret, vectorTime.In(time.FixedZone("CST", 8*3600))); err != nil {
		t.Fatalf("Sign: %v", err)
	}
	if got := r.Header.Get("X-Date"); got != vectorDate {
		t.Errorf("X-Date = %q, want %q", got, vectorDate)
	}

	// A caller-set X-Date is kept and signed, whatever the clock says.
	r = newRequest(t, "GET", "http://example.com/", "")
	r.Header.Set("X-Date", "20240101T000000Z")
	if err := signing.Sign(r, "app", testSecret, vectorTime); err != nil {
		t.Fatalf("Sign: %v", err)
	}
	if got, want := r.Header.Get("X-Date"), "20240101T000000Z"; got != want {
		t.Errorf("X-Date = %q, want %q", got, want)
	}
}

// onlyReader hides strings.Reader's type so http.NewRequest cannot set
// GetBody, forcing Sign to buffer the body itself.
type onlyReader struct{ io.Reader }

func TestSignPreservesBody(t *testing.T) {
	const body = "payload bytes"
	tests := []struct {
		name string
		rd   io.Reader
	}{
		{"with GetBody", strings.NewReader(body)},
		{"without GetBody", onlyReader{strings.NewReader(body)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := http.NewRequest("POST", "http://example.com/", tt.rd)
			if err != nil {
				t.Fatal(err)
			}
			r.Header.Set("X-User-Id", vectorUserID)
			if err := signing.Sign(r, "app", testSecret, vectorTime); err != nil {
				t.Fatalf("Sign: %v", err)
			}
			got, err := io.ReadAll(r.Body)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != body {
				t.Errorf("body after Sign = %q, want %q", got, body)
			}
			if r.GetBody == nil {
				t.Fatal("GetBody is nil after Sign")
			}
			rc, err := r.GetBody()
			if err != nil {
				t.Fatal(err)
			}
			again, _ := io.ReadAll(rc)
			if string(again) != body {
				t.Errorf("GetBody after Sign = %q, want %q", again, body)
			}
			auth := parseAuth(t, r)
			if err := signing.Verify(r, []byte(body), auth, testSecret, vectorTime); err != nil {
				t.Errorf("Verify: %v", err)
			}
		})
	}
}

// Changing DefaultSignedHeaders must not weaken Verify.
func TestDefaultSignedHeadersIsACopy(t *testing.T) {
	saved := signing.DefaultSignedHeaders
	signing.DefaultSignedHeaders = []string{"host"}
	defer func() { signing.DefaultSignedHeaders = saved }()

	srv, body, auth := signed(t, "GET", "http://example.com/", "")
	auth.SignedHeaders = []string{"host"}
	if err := signing.Verify(srv, body, auth, testSecret, vectorTime); !errors.Is(err, signing.ErrMissingHeader) {
		t.Errorf("Verify signing only host: err = %v, want ErrMissingHeader", err)
	}
}
