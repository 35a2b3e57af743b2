package koodrive

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Code is a KooDrive error code as it appears in the "code" field of every
// response body.
type Code int

// KooDrive's published codes that koodrive uses.
const (
	CodeOK                Code = 0
	CodeBadRequest        Code = 13000101 // the request cannot be read
	CodeInvalidParameter  Code = 13000102 // a parameter failed validation
	CodeInternal          Code = 13000201 // "inner server invoke failure"
	CodeNotFound          Code = 13000309 // "Resource not found."
	CodeMaxLevels         Code = 13000310 // "Max. levels exceeded."
	CodeInsufficientSpace Code = 13000311 // "Insufficient space."
	CodeNoPermission      Code = 13000410 // the caller has no permission
)

// Kind classifies an error. KooDrive's codes are coarser than HTTP's statuses
// (13000101 covers malformed, unauthenticated and oversized requests), so the
// kind carries the distinction and maps to both a code (here) and a status
// (in httpapi).
type Kind string

// Error kinds.
const (
	EMALFORMED         Kind = "malformed"          // unreadable request: bad JSON, wrong JSON type
	EINVALID           Kind = "invalid"            // a parameter failed validation
	ECONFLICT          Kind = "conflict"           // a unique value is already taken
	EUNAUTHENTICATED   Kind = "unauthenticated"    // missing, expired or invalid credentials
	EFORBIDDEN         Kind = "forbidden"          // the caller may not do this
	ENOTFOUND          Kind = "not_found"          // the resource does not exist
	ETOOLARGE          Kind = "too_large"          // the request body is over the limit
	EMAXLEVELS         Kind = "max_levels"         // the department tree would be too deep
	EINSUFFICIENTSPACE Kind = "insufficient_space" // not enough unallocated capacity
	ELIMIT             Kind = "limit"              // the purchased user limit is reached
	EINTERNAL          Kind = "internal"           // anything unexpected; never a client mistake
)

var kindCodes = map[Kind]Code{
	EMALFORMED:         CodeBadRequest,
	EINVALID:           CodeInvalidParameter,
	ECONFLICT:          CodeInvalidParameter,
	EUNAUTHENTICATED:   CodeBadRequest,
	EFORBIDDEN:         CodeNoPermission,
	ENOTFOUND:          CodeNotFound,
	ETOOLARGE:          CodeBadRequest,
	EMAXLEVELS:         CodeMaxLevels,
	EINSUFFICIENTSPACE: CodeInsufficientSpace,
	ELIMIT:             CodeInvalidParameter,
	EINTERNAL:          CodeInternal,
}

// Code returns the KooDrive code for the kind.
func (k Kind) Code() Code {
	if c, ok := kindCodes[k]; ok {
		return c
	}
	return CodeInternal
}

// Params are the values a message template refers to by name.
type Params map[string]any

// Message is a localizable text: a catalog ID and the values it refers to.
type Message struct {
	ID     MessageID
	Params Params
}

// String renders the message without a catalog, for logs and tests.
func (m Message) String() string {
	if len(m.Params) == 0 {
		return string(m.ID)
	}
	keys := make([]string, 0, len(m.Params))
	for k := range m.Params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(string(m.ID))
	for i, k := range keys {
		sep := " "
		if i > 0 {
			sep = ", "
		}
		fmt.Fprintf(&b, "%s%s=%v", sep, k, m.Params[k])
	}
	return b.String()
}

// Error is the one error type services return. Field names the request
// field at fault; Message is shown to the client, localized; Err is the cause,
// which is logged and never shown.
type Error struct {
	Kind    Kind
	Field   string
	Message Message
	Err     error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(string(e.Kind))
	if e.Field != "" {
		b.WriteString(" ")
		b.WriteString(e.Field)
	}
	b.WriteString(": ")
	b.WriteString(e.Message.String())
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// NewError returns an error of kind k with a message. When field is set it is
// also available to the message template as {{.Field}}.
func NewError(k Kind, field string, id MessageID, p Params) *Error {
	if _, ok := p["Field"]; field != "" && !ok {
		// A copy, so that a caller's map is never written to.
		q := make(Params, len(p)+1)
		for k, v := range p {
			q[k] = v
		}
		q["Field"] = field
		p = q
	}
	return &Error{Kind: k, Field: field, Message: Message{ID: id, Params: p}}
}

// Invalid returns an EINVALID error for field.
func Invalid(field string, id MessageID, p Params) *Error {
	return NewError(EINVALID, field, id, p)
}

// Internal wraps an unexpected failure; its cause is logged, never shown.
func Internal(err error) *Error {
	return &Error{Kind: EINTERNAL, Message: Message{ID: MsgInternal}, Err: err}
}

// ErrorKind returns the kind of err: that of the first *Error in its chain,
// EINTERNAL for any other non-nil error, "" for nil.
func ErrorKind(err error) Kind {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return EINTERNAL
}

// AsError returns the first *Error in err's chain, or an EINTERNAL error
// wrapping err.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return Internal(err)
}
