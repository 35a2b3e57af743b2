package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"time"
	"unicode/utf8"

	"golang.org/x/text/language"

	"github.com/koodrive/koodrive"
)

// requestInfo is what the middleware learns about a request, for the
// handlers and the request's log line.
type requestInfo struct {
	traceID   string
	lang      language.Tag
	log       *slog.Logger
	actor     *koodrive.Actor
	bodyLimit int64
	err       error // the error the request was answered with
}

type infoKey struct{}

func info(ctx context.Context) *requestInfo {
	if ri, ok := ctx.Value(infoKey{}).(*requestInfo); ok {
		return ri
	}
	return &requestInfo{log: slog.Default()}
}

// traceIDLen is the length KooDrive documents for X-Traceid.
const traceIDLen = 58

func validTraceID(s string) bool {
	if len(s) != traceIDLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func newTraceID() string {
	b := make([]byte, traceIDLen/2)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// observe gives every request a trace ID (the client's, if valid), a
// language, a logger carrying the trace ID and the koodrive.RequestMeta that
// audit entries are stamped with, echoes the trace ID, and logs
// one line when the request ends. The duration is measured on the wall clock
// on purpose: it is about this process, not about the data.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		given := r.Header.Get("X-Traceid")
		ri := &requestInfo{traceID: given, lang: s.catalog.Language(r.Header.Get("language")), bodyLimit: s.cfg.MaxBodyBytes}
		badTrace := given != "" && !validTraceID(given)
		if given == "" || badTrace {
			ri.traceID = newTraceID()
		}
		ri.log = s.log.With(slog.String("trace_id", ri.traceID))
		w.Header().Set("X-Traceid", ri.traceID)
		sw := &statusWriter{ResponseWriter: w}
		ctx := context.WithValue(r.Context(), infoKey{}, ri)
		// The store stamps audit entries with these, so that an entry leads
		// to the request's log lines and says where the change came from.
		ctx = koodrive.WithRequestMeta(ctx, koodrive.RequestMeta{TraceID: ri.traceID, ClientIP: clientIP(r)})
		r = r.WithContext(ctx)

		if badTrace {
			s.writeError(sw, r, koodrive.Invalid("X-Traceid", koodrive.MsgTraceIDInvalid, koodrive.Params{"Length": utf8.RuneCountInString(given)}))
		} else {
			next.ServeHTTP(sw, r)
		}

		attrs := []slog.Attr{
			slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Int("status", sw.status),
			slog.Float64("ms", float64(time.Since(start).Microseconds())/1000),
		}
		if ri.actor != nil {
			attrs = append(attrs, slog.String("actor", ri.actor.ID.String()))
		}
		if ri.err != nil && koodrive.ErrorKind(ri.err) != koodrive.EINTERNAL {
			attrs = append(attrs, slog.String("error", ri.err.Error()))
		}
		ri.log.LogAttrs(r.Context(), slog.LevelInfo, "request", attrs...)
	})
}

// clientIP is the address the request came from. X-Forwarded-For is not
// read: any client can send it, and an audit log must not take a caller's
// word for where it is.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// recoverPanics turns a panic in a handler into a logged internal error, so
// one bad request cannot take the server down.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			info(r.Context()).log.Error("panic", slog.Any("panic", v), slog.String("stack", string(debug.Stack())))
			if sw, ok := w.(*statusWriter); !ok || sw.status == 0 {
				s.writeError(w, r, koodrive.Internal(nil))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// statusWriter remembers the status a handler sent.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
