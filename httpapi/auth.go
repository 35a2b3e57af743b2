package httpapi

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/koodrive/koodrive"
	"github.com/koodrive/koodrive/signing"
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

// tokenOrApp serves an endpoint that KooDrive lets apps call with app
// authentication as well as users with a session token.
func (s *Server) tokenOrApp(limit int64, h authedFunc) http.Handler { return s.authed(limit, true, h) }

// tokenOnly serves an endpoint that only a session token may call.
func (s *Server) tokenOnly(limit int64, h authedFunc) http.Handler { return s.authed(limit, false, h) }

// authed serves an endpoint for an authenticated caller whose request body
// may be up to limit bytes. A body declared larger is refused before the
// credentials are checked or a byte of it is read.
func (s *Server) authed(limit int64, appAuth bool, h authedFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ri := info(r.Context())
		ri.bodyLimit = limit
		if r.ContentLength > limit {
			s.writeError(w, r, tooLarge(limit))
			return
		}
		a, err := s.authenticate(w, r, appAuth)
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

// authenticate finds the caller of a request.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request, appAuth bool) (*koodrive.Actor, error) {
	h := strings.TrimSpace(r.Header.Get("Authorization"))
	switch {
	case h == "":
		return nil, koodrive.NewError(koodrive.EUNAUTHENTICATED, "", koodrive.MsgAuthMissing, nil)
	case !strings.HasPrefix(h, signing.Algorithm+" "):
		token, err := bearerToken(h)
		if err != nil {
			return nil, err
		}
		return s.svc.Auth.Authenticate(r.Context(), token)
	case !appAuth:
		return nil, koodrive.NewError(koodrive.EUNAUTHENTICATED, "", koodrive.MsgAppAuthNotHere, nil)
	}
	return s.authenticateApp(w, r, h)
}

// tokenSchemes are the Authorization prefixes KooDrive's pages use for a
// session token: the tables say "Bearer+{token}", the examples "Bearer
// {token}", the carrier edition "AT+{token}"; a bare token is shown too.
var tokenSchemes = []string{"Bearer ", "Bearer+", "AT ", "AT+"}

// bearerToken takes the token out of an Authorization value. A session's
// accessToken is issued as "Bearer <token>", so a client that prefixes it
// once more still gets through.
func bearerToken(h string) (string, error) {
	token := strings.TrimSpace(h)
	for range 2 {
		for _, p := range tokenSchemes {
			if len(token) > len(p) && strings.EqualFold(token[:len(p)], p) {
				token = strings.TrimSpace(token[len(p):])
				break
			}
		}
	}
	if token == "" || strings.ContainsAny(token, " \t+") {
		return "", koodrive.NewError(koodrive.EUNAUTHENTICATED, "", koodrive.MsgAuthScheme, nil)
	}
	return token, nil
}

// appAuthFailed is the one answer to every failed app authentication, so
// that it tells an attacker nothing; the cause goes to the log only.
func appAuthFailed(cause error) error {
	return &koodrive.Error{Kind: koodrive.EUNAUTHENTICATED, Message: koodrive.Message{ID: koodrive.MsgAppAuthFailed}, Err: cause}
}

// authenticateApp checks KooDrive's app authentication: the signature over
// the request made with the app's secret, the X-Date window, that the
// signature was not seen before, and the user in X-User-Id, whose rights the
// request then has.
func (s *Server) authenticateApp(w http.ResponseWriter, r *http.Request, header string) (*koodrive.Actor, error) {
	ctx := r.Context()
	auth, err := signing.ParseAuthorization(header)
	if err != nil {
		return nil, appAuthFailed(err)
	}
	keys, err := s.svc.Apps.AppKeys(ctx, auth.AppID)
	switch {
	case koodrive.ErrorKind(err) == koodrive.ENOTFOUND:
		return nil, appAuthFailed(errors.New("unknown app " + auth.AppID))
	case err != nil:
		return nil, err
	case keys.Status != koodrive.AppEnabled:
		return nil, appAuthFailed(errors.New("app " + auth.AppID + " is disabled"))
	}

	body, err := readRaw(w, r)
	if err != nil {
		return nil, err
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	now := s.cfg.Now()
	err = signing.Verify(r, body, auth, keys.Current, now)
	if errors.Is(err, signing.ErrSignatureMismatch) && keys.Previous != "" {
		err = signing.Verify(r, body, auth, keys.Previous, now)
	}
	if err != nil {
		return nil, appAuthFailed(err)
	}

	id, err := koodrive.ParseID(strings.TrimSpace(r.Header.Get(signing.HeaderUserID)))
	if err != nil {
		return nil, appAuthFailed(errors.New("X-User-Id is not a koodrive user id"))
	}
	a, err := s.svc.Auth.FindActor(ctx, id)
	if koodrive.ErrorKind(err) == koodrive.EUNAUTHENTICATED {
		return nil, appAuthFailed(err)
	} else if err != nil {
		return nil, err
	}
	signedAt, _ := time.Parse(signing.DateFormat, r.Header.Get(signing.HeaderDate)) // Verify checked it
	if err := s.svc.Auth.RememberSignature(ctx, auth.AppID+":"+auth.Signature, signedAt.Add(signing.MaxAge)); err != nil {
		if koodrive.ErrorKind(err) == koodrive.EUNAUTHENTICATED {
			return nil, appAuthFailed(err)
		}
		return nil, err
	}
	a.AppID = auth.AppID
	return a, nil
}
