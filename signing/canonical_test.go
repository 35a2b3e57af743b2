package signing_test

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/koodrive/koodrive/signing"
)

// canonicalLines returns the CanonicalURI and CanonicalQueryString lines
// of the canonical request for a request to "http://h" + path with the
// given raw query. The query is set directly so that characters url.Parse
// would reject can still be tested.
func canonicalLines(t *testing.T, path, rawQuery string) (uri, query string, err error) {
	t.Helper()
	u, err := url.Parse("http://h" + path)
	if err != nil {
		t.Fatalf("url.Parse(%q): %v", "http://h"+path, err)
	}
	u.RawQuery = rawQuery
	r := &http.Request{Method: "GET", URL: u, Host: "h", Header: http.Header{}}
	cr, err := signing.CanonicalRequest(r, []string{"host"}, signing.HashPayload(nil))
	if err != nil {
		return "", "", err
	}
	lines := strings.Split(cr, "\n")
	return lines[1], lines[2], nil
}

func TestCanonicalURI(t *testing.T) {
	tests := []struct{ name, path, want string }{
		{"empty", "", "/"},
		{"root", "/", "/"},
		{"no trailing slash", "/a/b", "/a/b/"},
		{"trailing slash", "/a/b/", "/a/b/"},
		{"empty segments kept", "/a//b", "/a//b/"},
		{"dot", "/a/./b", "/a/b/"},
		{"dot dot", "/a/b/../c", "/a/c/"},
		{"dot dot above root", "/../../a", "/a/"},
		{"dot dot at end", "/a/b/..", "/a/"},
		{"dot at end", "/a/.", "/a/"},
		{"encoded dot dot", "/a/%2E%2E/b", "/b/"},
		{"dots inside names", "/a..b/.c/d.", "/a..b/.c/d./"},
		{"encoded slash stays in segment", "/a%2Fb/c", "/a%2Fb/c/"},
		{"lower-case escape upper-cased", "/a%2fb", "/a%2Fb/"},
		{"unreserved escape decoded", "/%41%42c", "/ABc/"},
		{"UTF-8", "/中文", "/%E4%B8%AD%E6%96%87/"},
		{"UTF-8 pre-encoded lower-case", "/%e4%b8%ad%e6%96%87", "/%E4%B8%AD%E6%96%87/"},
		{"space", "/a%20b", "/a%20b/"},
		{"plus is literal in paths", "/a+b", "/a%2Bb/"},
		{"encoded question mark", "/a%3Fb", "/a%3Fb/"},
		{"encoded percent", "/a%25b", "/a%25b/"},
		{"sub-delims", "/a&b=c;d", "/a%26b%3Dc%3Bd/"},
		{"unreserved kept", "/~user/-_.", "/~user/-_./"},
		{"encoded tilde decoded", "/%7Euser", "/~user/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _, err := canonicalLines(t, tt.path, "")
			if err != nil {
				t.Fatalf("CanonicalRequest: %v", err)
			}
			if got != tt.want {
				t.Errorf("CanonicalURI(%q) = %q, want %q", tt.path, got, tt.want)
			}
		})
	}
}

func TestCanonicalQuery(t *testing.T) {
	tests := []struct{ name, query, want string }{
		{"none", "", ""},
		{"empty value", "a=", "a="},
		{"missing equals", "a", "a="},
		{"empty values", "a=&b=1", "a=&b=1"},
		{"sorted by name", "b=2&a=1&c=3", "a=1&b=2&c=3"},
		{"repeated names sorted by value", "k=b&k=a&k=c", "k=a&k=b&k=c"},
		{"repeated names with empty value", "k=a&k=", "k=&k=a"},
		{"upper case sorts first", "b=1&B=2&a=3&A=4", "A=4&B=2&a=3&b=1"},
		{"UTF-8 value", "name=中文", "name=%E4%B8%AD%E6%96%87"},
		{"UTF-8 name", "中文=x", "%E4%B8%AD%E6%96%87=x"},
		{"pre-encoded UTF-8", "name=%e4%b8%ad%e6%96%87", "name=%E4%B8%AD%E6%96%87"},
		{"raw space", "q=a b", "q=a%20b"},
		{"plus is space", "q=a+b", "q=a%20b"},
		{"encoded space", "q=a%20b", "q=a%20b"},
		{"encoded plus", "q=a%2Bb", "q=a%2Bb"},
		{"raw slash and question mark", "q=a/b?c", "q=a%2Fb%3Fc"},
		{"encoded reserved", "q=%2F%3F%26%3D%25", "q=%2F%3F%26%3D%25"},
		{"equals in value", "a=b=c", "a=b%3Dc"},
		{"semicolon is literal", "x=1;y=2", "x=1%3By%3D2"},
		{"unreserved kept", "q=~-._", "q=~-._"},
		{"encoded tilde decoded", "q=%7E", "q=~"},
		{"empty pairs dropped", "a=1&&b=2&", "a=1&b=2"},
		{"empty name", "=v", "=v"},
		{"sorting uses encoded names", "%41=1&B=2&%7E=3&%2B=4", "%2B=4&A=1&B=2&~=3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, got, err := canonicalLines(t, "/", tt.query)
			if err != nil {
				t.Fatalf("CanonicalRequest: %v", err)
			}
			if got != tt.want {
				t.Errorf("CanonicalQueryString(%q) = %q, want %q", tt.query, got, tt.want)
			}
		})
	}
}

func TestCanonicalQueryBadEscape(t *testing.T) {
	for _, q := range []string{"a=%zz", "%=1", "a=%4"} {
		_, _, err := canonicalLines(t, "/", q)
		if !errors.Is(err, signing.ErrMalformed) {
			t.Errorf("CanonicalRequest with query %q: err = %v, want ErrMalformed", q, err)
		}
	}
}

func TestCanonicalHeaders(t *testing.T) {
	u, _ := url.Parse("http://url-host/p")
	r := &http.Request{Method: "put", URL: u, Host: "request-host:8080", Header: http.Header{}}
	r.Header.Set("Host", "header-host") // net/http ignores this when sending
	r.Header.Set("X-Date", vectorDate)
	r.Header.Set("X-User-Id", "  padded\t")
	r.Header.Add("X-Multi", "b ")
	r.Header.Add("X-Multi", " a")
	r.Header.Set("X-Empty", "")
	r.Header.Set("X-Unsigned", "ignored")

	cr, err := signing.CanonicalRequest(r,
		[]string{"X-User-Id", "x-multi", "HOST", "X-Date", "x-empty", "host"}, "HASH")
	if err != nil {
		t.Fatalf("CanonicalRequest: %v", err)
	}
	want := "PUT\n/p/\n\n" +
		"host:request-host:8080\nx-date:20240909T033325Z\nx-empty:\nx-multi:b,a\nx-user-id:padded\n\n" +
		"host;x-date;x-empty;x-multi;x-user-id\nHASH"
	if cr != want {
		t.Errorf("CanonicalRequest =\n%q\nwant\n%q", cr, want)
	}
}

func TestCanonicalHost(t *testing.T) {
	u, _ := url.Parse("http://url-host/")
	tests := []struct {
		name, reqHost, header, want string
	}{
		{"Request.Host wins", "req-host", "hdr-host", "host:req-host"},
		{"URL host when Request.Host empty", "", "hdr-host", "host:url-host"},
	}
	for _, tt := range tests {
		r := &http.Request{URL: u, Host: tt.reqHost, Header: http.Header{"Host": {tt.header}}}
		cr, err := signing.CanonicalRequest(r, []string{"host"}, "")
		if err != nil {
			t.Fatalf("%s: CanonicalRequest: %v", tt.name, err)
		}
		if got := strings.Split(cr, "\n")[3]; got != tt.want {
			t.Errorf("%s: host line = %q, want %q", tt.name, got, tt.want)
		}
	}
	// Only when neither is set does the header map count; a server would
	// never see this, but a hand-built request might.
	r := &http.Request{URL: &url.URL{Path: "/"}, Header: http.Header{"Host": {"hdr-host"}}}
	cr, err := signing.CanonicalRequest(r, []string{"host"}, "")
	if err != nil {
		t.Fatalf("header-only host: CanonicalRequest: %v", err)
	}
	if got, want := strings.Split(cr, "\n")[3], "host:hdr-host"; got != want {
		t.Errorf("header-only host: host line = %q, want %q", got, want)
	}
}

func TestCanonicalMethod(t *testing.T) {
	for _, tt := range []struct{ method, want string }{
		{"get", "GET"}, {"Delete", "DELETE"}, {"", "GET"},
	} {
		r := &http.Request{Method: tt.method, URL: &url.URL{Path: "/"}, Host: "h"}
		cr, err := signing.CanonicalRequest(r, []string{"host"}, "")
		if err != nil {
			t.Fatalf("CanonicalRequest(method %q): %v", tt.method, err)
		}
		if got := strings.Split(cr, "\n")[0]; got != tt.want {
			t.Errorf("method line for %q = %q, want %q", tt.method, got, tt.want)
		}
	}
}

func TestCanonicalRequestErrors(t *testing.T) {
	base := func() *http.Request {
		return &http.Request{Method: "GET", URL: &url.URL{Path: "/"}, Host: "h", Header: http.Header{}}
	}
	tests := []struct {
		name    string
		r       *http.Request
		headers []string
		want    error
	}{
		{"nil request", nil, []string{"host"}, signing.ErrMalformed},
		{"nil URL", &http.Request{}, []string{"host"}, signing.ErrMalformed},
		{"opaque URL", &http.Request{URL: &url.URL{Scheme: "mailto", Opaque: "x@y"}}, []string{"host"}, signing.ErrMalformed},
		{"absent signed header", base(), []string{"host", "x-user-id"}, signing.ErrMissingHeader},
		{"authorization signed", base(), []string{"host", "Authorization"}, signing.ErrMalformed},
		{"empty header name", base(), []string{"host", ""}, signing.ErrMalformed},
		{"header name with separator", base(), []string{"host;x-date"}, signing.ErrMalformed},
	}
	for _, tt := range tests {
		_, err := signing.CanonicalRequest(tt.r, tt.headers, "")
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.want)
		}
	}
}
