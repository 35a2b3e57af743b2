package httpapi

import (
	"encoding/json"
	"net/http"

	"github.com/koodrive/koodrive"
)

// envelope carries KooDrive's code and msg; responses embed it beside their
// payload, which the spec places under "data" or at the top level depending
// on the endpoint.
type envelope struct {
	Code koodrive.Code `json:"code"`
	Msg  string        `json:"msg"`
}

// dataBody is the shape of endpoints that nest their payload under "data".
type dataBody[T any] struct {
	envelope
	Data T `json:"data"`
}

// success returns the envelope of a successful response in the caller's language.
func (s *Server) success(r *http.Request) envelope {
	return envelope{Code: koodrive.CodeOK, Msg: s.catalog.Text(info(r.Context()).lang, koodrive.Message{ID: koodrive.MsgSuccess})}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	// An encoding error here means the client went away; the status is sent.
	_ = json.NewEncoder(w).Encode(v)
}
