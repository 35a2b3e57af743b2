// Package httpapi serves koodrive's services over HTTP, wire-compatible with
// KooDrive's OSE API: the {code, msg} envelope, KooDrive's codes, the
// language and X-Traceid headers, and token authentication. routes.go lists
// the whole API; errors.go is the only place that maps errors to statuses.
package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/koodrive/koodrive"
	"github.com/koodrive/koodrive/i18n"
)

// Services are what the API serves.
type Services struct {
	Organization koodrive.OrganizationService
	Users        koodrive.UserService
	Departments  koodrive.DepartmentService
	Spaces       koodrive.SpaceService
	Audit        koodrive.AuditService
	Imports      koodrive.ImportService
	Auth         koodrive.AuthService
	Apps         koodrive.AppService
	Ping         func(context.Context) error // health of the storage
}

// Config holds the API's limits and its clock.
type Config struct {
	MaxBodyBytes       int64 // request bodies in general
	MaxImportBodyBytes int64 // batch-import bodies: 100,000 rows
	MaxUploadBytes     int64 // import files: a million rows
	Now                func() time.Time
}

// DefaultConfig returns the limits koodrive runs with.
func DefaultConfig() Config {
	return Config{MaxBodyBytes: 1 << 20, MaxImportBodyBytes: 64 << 20, MaxUploadBytes: 512 << 20, Now: time.Now}
}

// Server is the API's http.Handler.
type Server struct {
	cfg     Config
	log     *slog.Logger
	catalog *i18n.Catalog
	svc     Services
	mux     *http.ServeMux
	handler http.Handler
}

// NewServer returns the API handler.
func NewServer(cfg Config, log *slog.Logger, catalog *i18n.Catalog, svc Services) *Server {
	s := &Server{cfg: cfg, log: log, catalog: catalog, svc: svc, mux: http.NewServeMux()}
	s.routes()
	s.handler = s.recoverPanics(s.observe(http.HandlerFunc(s.dispatch)))
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// dispatch routes a request, answering unknown paths and methods with the
// envelope rather than ServeMux's plain text.
func (s *Server) dispatch(w http.ResponseWriter, r *http.Request) {
	h, pattern := s.mux.Handler(r)
	if pattern != "" {
		s.mux.ServeHTTP(w, r)
		return
	}
	probe := &probeWriter{header: http.Header{}}
	h.ServeHTTP(probe, r)
	p := koodrive.Params{"Method": r.Method, "Path": r.URL.Path}
	switch probe.status {
	case http.StatusNotFound:
		s.writeError(w, r, koodrive.NewError(koodrive.ENOTFOUND, "", koodrive.MsgRouteNotFound, p))
	case http.StatusMethodNotAllowed:
		p["Allow"] = probe.header.Get("Allow")
		w.Header().Set("Allow", probe.header.Get("Allow"))
		s.writeError(w, r, koodrive.NewError(emethod, "", koodrive.MsgMethodNotAllowed, p))
	default: // a redirect to the clean path
		h.ServeHTTP(w, r)
	}
}

// probeWriter records what ServeMux's fallback handler would answer.
type probeWriter struct {
	header http.Header
	status int
}

func (p *probeWriter) Header() http.Header         { return p.header }
func (p *probeWriter) Write(b []byte) (int, error) { return len(b), nil }
func (p *probeWriter) WriteHeader(status int)      { p.status = status }
