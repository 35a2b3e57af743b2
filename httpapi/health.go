package httpapi

import (
	"net/http"

	"github.com/koodrive/koodrive"
)

// health answers 200 while the storage answers; load balancers need no token.
func (s *Server) health(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.Ping(r.Context()); err != nil {
		ri := info(r.Context())
		ri.err = err
		ri.log.Error("health check failed", "error", err)
		writeJSON(w, http.StatusServiceUnavailable, errorBody{
			Code: koodrive.CodeInternal, Msg: s.catalog.Text(ri.lang, koodrive.Message{ID: koodrive.MsgInternal}), TraceID: ri.traceID,
		})
		return nil
	}
	writeJSON(w, http.StatusOK, s.success(r))
	return nil
}
