package httpapi

import (
	"net/http"
	"strings"

	"github.com/koodrive/koodrive"
)

// handlerFunc is an endpoint that may fail; the wrapper answers the error.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// authedFunc is an endpoint that acts for an authenticated caller.
type authedFunc func(w http.ResponseWriter, r *http.Request, a koodrive.Actor) error

// public serves an endpoint that needs no credentials.
func (s *Server) public(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.writeError(w, r, err)
		}
	})
}

// authed serves an endpoint for an authenticated caller whose request body
// may be up to limit bytes. A body declared larger is refused before the
// credentials are checked or a byte of it is read.
func (s *Server) authed(limit int64, h authedFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ri := info(r.Context())
		ri.bodyLimit = limit
		if r.ContentLength > limit {
			s.writeError(w, r, tooLarge(limit))
			return
		}
		a, err := s.authenticate(r)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		ri.actor = a
		if err := h(w, r, *a); err != nil {
			s.writeError(w, r, err)
		}
	})
}

// tokenSchemes are the Authorization prefixes KooDrive's pages use for a
// session token: the tables say "Bearer+{token}", the examples "Bearer
// {token}", the carrier edition "AT+{token}".
var tokenSchemes = []string{"Bearer ", "Bearer+", "AT ", "AT+"}

// authenticate finds the caller of a request.
func (s *Server) authenticate(r *http.Request) (*koodrive.Actor, error) {
	h := strings.TrimSpace(r.Header.Get("Authorization"))
	if h == "" {
		return nil, koodrive.NewError(koodrive.EUNAUTHENTICATED, "", koodrive.MsgAuthMissing, nil)
	}
	if len(h) > 12 && strings.EqualFold(h[:12], "HMAC-SHA256 ") {
		return nil, koodrive.NewError(koodrive.EUNAUTHENTICATED, "", koodrive.MsgAppAuthFailed, nil)
	}
	token := h
	for _, p := range tokenSchemes {
		if len(h) > len(p) && strings.EqualFold(h[:len(p)], p) {
			token = strings.TrimSpace(h[len(p):])
			break
		}
	}
	if token == "" || strings.ContainsAny(token, " \t") {
		return nil, koodrive.NewError(koodrive.EUNAUTHENTICATED, "", koodrive.MsgAuthScheme, nil)
	}
	return s.svc.Auth.Authenticate(r.Context(), token)
}
