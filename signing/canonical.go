package signing

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// CanonicalRequest returns the canonical form of r that gets signed:
//
//	METHOD \n CanonicalURI \n CanonicalQueryString \n CanonicalHeaders \n SignedHeaders \n payloadHash
//
// Rules, chosen so that client and server agree whatever escaping the
// request went through on the way:
//
//   - METHOD is upper-cased; an empty method means GET, as in net/http.
//   - CanonicalURI starts from the escaped path so that %2F inside a
//     segment survives. Each segment is unescaped, dot segments ("." and
//     "..", also when written %2E) are removed per RFC 3986, each segment
//     is re-encoded (see below) and a trailing "/" is ensured. Empty
//     segments ("//") are kept. An empty path is "/".
//   - CanonicalQueryString splits the raw query on "&" (";" is an ordinary
//     character), drops empty pairs, unescapes names and values with form
//     semantics ("+" is a space), re-encodes them, keeps "=" even for
//     empty or missing values, and sorts by name then value in byte order.
//   - CanonicalHeaders lists each signed header as name:value\n, values
//     trimmed of spaces and tabs, repeated values joined with ",". Host is
//     taken from r.Host, else r.URL.Host, else the header map, because that
//     is what net/http puts on the wire and where its server leaves it.
//   - SignedHeaders are lower-cased, sorted, de-duplicated and joined with ";".
//
// Encoding keeps A-Z a-z 0-9 - _ . ~ and writes every other byte as %XY in
// upper-case hex. A signed header that the request lacks is an error
// wrapping ErrMissingHeader; Authorization cannot be signed.
func CanonicalRequest(r *http.Request, signedHeaders []string, payloadHash string) (string, error) {
	if r == nil || r.URL == nil {
		return "", fmt.Errorf("%w: request has no URL", ErrMalformed)
	}
	names, err := normalizeHeaderNames(signedHeaders)
	if err != nil {
		return "", err
	}
	uri, err := canonicalURI(r.URL)
	if err != nil {
		return "", err
	}
	query, err := canonicalQuery(r.URL.RawQuery)
	if err != nil {
		return "", err
	}
	headers, err := canonicalHeaders(r, names)
	if err != nil {
		return "", err
	}
	method := strings.ToUpper(r.Method)
	if method == "" {
		method = http.MethodGet
	}
	return strings.Join([]string{
		method, uri, query, headers, strings.Join(names, ";"), payloadHash,
	}, "\n"), nil
}

func canonicalURI(u *url.URL) (string, error) {
	if u.Opaque != "" {
		return "", fmt.Errorf("%w: opaque URL %q has no path", ErrMalformed, u.Opaque)
	}
	raw := strings.TrimPrefix(u.EscapedPath(), "/")
	if raw == "" {
		return "/", nil
	}
	var out []string
	for _, seg := range strings.Split(raw, "/") {
		dec, err := url.PathUnescape(seg)
		if err != nil {
			return "", fmt.Errorf("%w: path segment %q: %v", ErrMalformed, seg, err)
		}
		switch dec {
		case ".":
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		default:
			out = append(out, escape(dec))
		}
	}
	// A dot segment at the end names a directory ("/a/.." is "/"), which
	// the trailing slash below already expresses.
	p := "/" + strings.Join(out, "/")
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p, nil
}

func canonicalQuery(raw string) (string, error) {
	if raw == "" {
		return "", nil
	}
	type pair struct{ name, value string }
	var pairs []pair
	for _, part := range strings.Split(raw, "&") {
		if part == "" {
			continue
		}
		n, v, _ := strings.Cut(part, "=")
		name, err := url.QueryUnescape(n)
		if err != nil {
			return "", fmt.Errorf("%w: query name %q: %v", ErrMalformed, n, err)
		}
		value, err := url.QueryUnescape(v)
		if err != nil {
			return "", fmt.Errorf("%w: query value %q: %v", ErrMalformed, v, err)
		}
		pairs = append(pairs, pair{escape(name), escape(value)})
	}
	slices.SortFunc(pairs, func(a, b pair) int {
		if c := strings.Compare(a.name, b.name); c != 0 {
			return c
		}
		return strings.Compare(a.value, b.value)
	})
	var b strings.Builder
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.name)
		b.WriteByte('=')
		b.WriteString(p.value)
	}
	return b.String(), nil
}

// canonicalHeaders expects names already normalized.
func canonicalHeaders(r *http.Request, names []string) (string, error) {
	var b strings.Builder
	for _, name := range names {
		values, ok := headerValues(r, name)
		if !ok {
			return "", fmt.Errorf("%w: signed header %q not in request", ErrMissingHeader, name)
		}
		for i, v := range values {
			values[i] = strings.Trim(v, " \t")
		}
		b.WriteString(name)
		b.WriteByte(':')
		b.WriteString(strings.Join(values, ","))
		b.WriteByte('\n')
	}
	return b.String(), nil
}

// headerValues returns a copy, so callers may modify it.
func headerValues(r *http.Request, name string) ([]string, bool) {
	if name == "host" {
		if r.Host != "" {
			return []string{r.Host}, true
		}
		if r.URL.Host != "" {
			return []string{r.URL.Host}, true
		}
	}
	values := r.Header.Values(name)
	if len(values) == 0 {
		return nil, false
	}
	return slices.Clone(values), true
}

// normalizeHeaderNames lower-cases, sorts and de-duplicates header names,
// rejecting ones that could not survive the ";"-joined SignedHeaders list.
func normalizeHeaderNames(names []string) ([]string, error) {
	out := make([]string, 0, len(names))
	for _, n := range names {
		l := strings.ToLower(n)
		if !validHeaderName(l) {
			return nil, fmt.Errorf("%w: invalid signed header name %q", ErrMalformed, n)
		}
		if l == "authorization" {
			return nil, fmt.Errorf("%w: authorization cannot be a signed header", ErrMalformed)
		}
		out = append(out, l)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// validHeaderName reports whether s is an RFC 9110 token.
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

func escape(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&0xF])
	}
	return b.String()
}

func unreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '~'
}
