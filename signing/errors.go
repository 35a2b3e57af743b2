package signing

import "errors"

// The errors below classify why signing or verification failed. Returned
// errors wrap one of them with detail meant for the server log; test with
// errors.Is. The detail should not be sent to clients, since it tells an
// attacker which part of a forgery was wrong.
var (
	// ErrMalformed reports an Authorization header, X-Date or request that
	// cannot be parsed or canonicalized.
	ErrMalformed = errors.New("signing: malformed request")

	// ErrMissingHeader reports a required header that is not signed, or a
	// signed header that is absent from the request.
	ErrMissingHeader = errors.New("signing: missing header")

	// ErrDateWindow reports an X-Date older than MaxAge or more than
	// MaxSkew in the future.
	ErrDateWindow = errors.New("signing: date outside allowed window")

	// ErrSignatureMismatch reports a well-formed request whose signature
	// does not match the one computed with the secret.
	ErrSignatureMismatch = errors.New("signing: signature mismatch")
)
