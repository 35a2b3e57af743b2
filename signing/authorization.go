package signing

import (
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
)

// Authorization holds the credentials carried in the Authorization header.
type Authorization struct {
	// AppID names the app; the server uses it to look up the secret.
	AppID string
	// SignedHeaders are the lower-cased, sorted names of the signed headers.
	SignedHeaders []string
	// Signature is the lower-case hex HMAC-SHA256 signature.
	Signature string
}

// ParseAuthorization parses an Authorization header value of the form
//
//	HMAC-SHA256 AppId=<id>,SignedHeaders=<h1;h2>,Signature=<hex>
//
// It tolerates spaces around the parts and header names in any case and
// order, but rejects anything ambiguous: another algorithm, unknown,
// missing, repeated or empty parts, repeated or invalid header names and
// a signature that is not 32 bytes of hex. Errors wrap ErrMalformed.
func ParseAuthorization(header string) (Authorization, error) {
	var a Authorization
	alg, rest, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || alg != Algorithm {
		return a, fmt.Errorf("%w: authorization must start with %q", ErrMalformed, Algorithm+" ")
	}
	seen := map[string]bool{}
	for _, part := range strings.Split(rest, ",") {
		key, value, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return a, fmt.Errorf("%w: authorization part %q is not key=value", ErrMalformed, part)
		}
		if seen[key] {
			return a, fmt.Errorf("%w: authorization part %q repeated", ErrMalformed, key)
		}
		seen[key] = true
		if value == "" {
			return a, fmt.Errorf("%w: authorization part %q is empty", ErrMalformed, key)
		}
		switch key {
		case "AppId":
			a.AppID = value
		case "SignedHeaders":
			names, err := parseSignedHeaders(value)
			if err != nil {
				return a, err
			}
			a.SignedHeaders = names
		case "Signature":
			b, err := hex.DecodeString(value)
			if err != nil || len(b) != 32 {
				return a, fmt.Errorf("%w: signature %q is not 64 hex digits", ErrMalformed, value)
			}
			a.Signature = strings.ToLower(value)
		default:
			return a, fmt.Errorf("%w: unknown authorization part %q", ErrMalformed, key)
		}
	}
	for _, key := range []string{"AppId", "SignedHeaders", "Signature"} {
		if !seen[key] {
			return a, fmt.Errorf("%w: authorization lacks %s", ErrMalformed, key)
		}
	}
	return a, nil
}

func parseSignedHeaders(value string) ([]string, error) {
	names := strings.Split(value, ";")
	norm, err := normalizeHeaderNames(names)
	if err != nil {
		return nil, err
	}
	if len(norm) != len(names) {
		return nil, fmt.Errorf("%w: signed headers %q repeat a name", ErrMalformed, value)
	}
	return norm, nil
}

// String formats a as an Authorization header value, the inverse of
// ParseAuthorization.
func (a Authorization) String() string {
	return Algorithm + " AppId=" + a.AppID +
		",SignedHeaders=" + strings.Join(a.SignedHeaders, ";") +
		",Signature=" + a.Signature
}

// signs reports whether a covers header name (lower-case).
func (a Authorization) signs(name string) bool {
	return slices.ContainsFunc(a.SignedHeaders, func(h string) bool {
		return strings.EqualFold(h, name)
	})
}
