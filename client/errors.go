package client

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/koodrive/koodrive"
)

// Error is a request the server refused (or answered with something other
// than KooDrive's envelope): what the server said, and the trace ID that
// finds the request in the server's logs and audit entries.
//
// It is the error the client returns, so errors.As(err, &clientErr) finds
// it; and it answers errors.As for a *koodrive.Error too (see [Error.As]),
// so koodrive.ErrorKind(err) is its [Error.Kind].
type Error struct {
	Status  int           // the HTTP status
	Code    koodrive.Code // KooDrive's code; 0 when the body was not an envelope
	Msg     string        // the server's message, in the client's language
	TraceID string        // the request's trace ID (the body's traceId, else the X-Traceid header)
	Method  string        // the request's method
	Path    string        // the request's path, without its query
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %d", e.Method, e.Path, e.Status)
	if e.Code != 0 {
		fmt.Fprintf(&b, " (code %d)", e.Code)
	}
	if e.Msg != "" {
		b.WriteString(": ")
		b.WriteString(e.Msg)
	}
	if e.TraceID != "" {
		b.WriteString(" [trace ")
		b.WriteString(e.TraceID)
		b.WriteString("]")
	}
	return b.String()
}

// Kind maps the status and code back to the domain's kind, inverting
// httpapi's table. KooDrive's codes are coarser than the kinds, so two
// cannot be told apart over the wire: ELIMIT (the user limit) arrives as
// 400 with 13000102 and is EINVALID, as is any other 400 not listed below;
// 405 (a method the path does not serve) is EMALFORMED, the code it comes
// with.
//
//	400 + 13000101  EMALFORMED          401  EUNAUTHENTICATED
//	400 + 13000102  EINVALID            403  EFORBIDDEN
//	400 + 13000310  EMAXLEVELS          404  ENOTFOUND
//	400 + 13000311  EINSUFFICIENTSPACE  409  ECONFLICT
//	413             ETOOLARGE           5xx and anything else  EINTERNAL
func (e *Error) Kind() koodrive.Kind {
	switch e.Status {
	case http.StatusBadRequest:
		switch e.Code {
		case koodrive.CodeBadRequest:
			return koodrive.EMALFORMED
		case koodrive.CodeMaxLevels:
			return koodrive.EMAXLEVELS
		case koodrive.CodeInsufficientSpace:
			return koodrive.EINSUFFICIENTSPACE
		}
		return koodrive.EINVALID
	case http.StatusUnauthorized:
		return koodrive.EUNAUTHENTICATED
	case http.StatusForbidden:
		return koodrive.EFORBIDDEN
	case http.StatusNotFound:
		return koodrive.ENOTFOUND
	case http.StatusMethodNotAllowed:
		return koodrive.EMALFORMED
	case http.StatusConflict:
		return koodrive.ECONFLICT
	case http.StatusRequestEntityTooLarge:
		return koodrive.ETOOLARGE
	}
	return koodrive.EINTERNAL
}

// As makes errors.As(err, &domainErr) succeed for a *koodrive.Error: it
// sets it to the domain's view of e, of kind [Error.Kind], whose Message
// ID is the server's text (no catalog knows it, so a catalog renders it as
// it is) and whose Err is e. This is what lets koodrive.ErrorKind and
// koodrive.AsError read client errors.
func (e *Error) As(target any) bool {
	if p, ok := target.(**koodrive.Error); ok {
		*p = &koodrive.Error{Kind: e.Kind(), Message: koodrive.Message{ID: koodrive.MessageID(e.Msg)}, Err: e}
		return true
	}
	return false
}

// unsupported is the error of an interface method that cannot be served
// over HTTP. It is EINVALID, and errors.Is(err, errors.ErrUnsupported).
func unsupported(op, why string) error {
	return &koodrive.Error{
		Kind:    koodrive.EINVALID,
		Message: koodrive.Message{ID: koodrive.MessageID(op + " is not available through the client: " + why)},
		Err:     errors.ErrUnsupported,
	}
}
