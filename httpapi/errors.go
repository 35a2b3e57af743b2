package httpapi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/koodrive/koodrive"
)

// emethod is the kind of a request with a method its path does not serve;
// only the router meets it, so it is not a domain kind.
const emethod koodrive.Kind = "method_not_allowed"

// statuses is the one table from error kinds to HTTP statuses.
var statuses = map[koodrive.Kind]int{
	koodrive.EMALFORMED:         http.StatusBadRequest,
	koodrive.EINVALID:           http.StatusBadRequest,
	koodrive.ECONFLICT:          http.StatusConflict,
	koodrive.EUNAUTHENTICATED:   http.StatusUnauthorized,
	koodrive.EFORBIDDEN:         http.StatusForbidden,
	koodrive.ENOTFOUND:          http.StatusNotFound,
	koodrive.ETOOLARGE:          http.StatusRequestEntityTooLarge,
	koodrive.EMAXLEVELS:         http.StatusBadRequest,
	koodrive.EINSUFFICIENTSPACE: http.StatusBadRequest,
	koodrive.ELIMIT:             http.StatusBadRequest,
	koodrive.EINTERNAL:          http.StatusInternalServerError,
	emethod:                     http.StatusMethodNotAllowed,
}

func statusOf(k koodrive.Kind) int {
	if s, ok := statuses[k]; ok {
		return s
	}
	return http.StatusInternalServerError
}

func codeOf(k koodrive.Kind) koodrive.Code {
	if k == emethod {
		return koodrive.CodeBadRequest
	}
	return k.Code()
}

// errorBody is the envelope of every failed request.
type errorBody struct {
	Code    koodrive.Code `json:"code"`
	Msg     string        `json:"msg"`
	TraceID string        `json:"traceId"`
}

// writeError answers with err's status, code and localized message. The
// cause of an internal error is logged with the trace ID and never sent.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	e := koodrive.AsError(err)
	ri := info(r.Context())
	ri.err = err
	status := statusOf(e.Kind)
	switch {
	case e.Kind == koodrive.EINTERNAL && clientGone(r, err):
		// Nobody reads this answer, and the server did nothing wrong: an
		// error log per load test's last requests would hide real ones.
		ri.log.LogAttrs(r.Context(), slog.LevelInfo, "client closed the request", slog.String("error", err.Error()))
		status = statusClientClosed
	case e.Kind == koodrive.EINTERNAL:
		ri.log.LogAttrs(r.Context(), slog.LevelError, "internal error", slog.String("error", err.Error()))
	case e.Kind == koodrive.EUNAUTHENTICATED:
		w.Header().Set("WWW-Authenticate", `Bearer realm="koodrive"`)
	}
	writeJSON(w, status, errorBody{
		Code:    codeOf(e.Kind),
		Msg:     s.catalog.Text(ri.lang, e.Message),
		TraceID: ri.traceID,
	})
}

// statusClientClosed is nginx's status for a request whose client went
// away before the answer: the access log then tells it from a server error.
const statusClientClosed = 499

// clientGone reports whether err is the request's own cancellation, which
// happens when its client closes the connection.
func clientGone(r *http.Request, err error) bool {
	return errors.Is(err, context.Canceled) && r.Context().Err() != nil
}

// isKind reports whether err is a koodrive error of kind k.
func isKind(err error, k koodrive.Kind) bool {
	var e *koodrive.Error
	return errors.As(err, &e) && e.Kind == k
}
