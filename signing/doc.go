// Package signing implements Huawei Cloud KooDrive's app authentication:
// an HMAC-SHA256 signature over a canonical form of an HTTP request,
// carried in the Authorization header.
//
// Both sides of the wire use it. Clients call [Sign] to add X-Date and
// Authorization to an outgoing request; the server calls
// [ParseAuthorization], looks up the app secret by [Authorization.AppID],
// then calls [Verify]. Because the signature covers a canonical request
// rather than the bytes on the wire, both sides must canonicalize
// identically, so the rules are spelled out in [CanonicalRequest].
//
// The package depends only on the standard library so that clients can
// vendor it without pulling in the server.
package signing

import "time"

const (
	// Algorithm names the signing scheme; it prefixes both the string to
	// sign and the Authorization header value.
	Algorithm = "HMAC-SHA256"

	// HeaderHost is the host header. Go keeps it in Request.Host rather
	// than in Request.Header, so it gets special treatment.
	HeaderHost = "Host"

	// HeaderDate carries the signing time in [DateFormat]; it bounds how
	// long a captured request can be replayed.
	HeaderDate = "X-Date"

	// HeaderUserID identifies the user the app acts for. It is signed so
	// that a captured request cannot be replayed as another user.
	HeaderUserID = "X-User-Id"

	// HeaderAuthorization carries the credentials. It is never signed,
	// since it holds the signature itself.
	HeaderAuthorization = "Authorization"

	// DateFormat is the layout of [HeaderDate], always in UTC.
	DateFormat = "20060102T150405Z"

	// MaxAge is how old an X-Date may be before Verify rejects it.
	MaxAge = 15 * time.Minute

	// MaxSkew is how far ahead of the verifier's clock an X-Date may be,
	// to tolerate clients whose clocks run slightly fast.
	MaxSkew = time.Minute
)

// DefaultSignedHeaders are the lower-cased headers every request must sign.
// Sign and Verify use their own copy, so changing this slice affects
// neither; it is exported for documentation and for callers building
// their own Authorization.
var DefaultSignedHeaders = []string{"host", "x-date", "x-user-id"}

// requiredHeaders is the copy Sign and Verify actually use.
var requiredHeaders = []string{"host", "x-date", "x-user-id"}
