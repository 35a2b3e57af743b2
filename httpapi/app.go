package httpapi

import (
	"net/http"
	"time"

	"github.com/koodrive/koodrive"
)

// appJSON describes an app credential; its secret appears only when issued.
type appJSON struct {
	AppID         string `json:"appId"`
	Name          string `json:"name"`
	Status        int    `json:"status"`
	CreatedAt     string `json:"createdAt"`
	UpdatedAt     string `json:"updatedAt"`
	PreviousUntil string `json:"previousSecretValidUntil,omitempty"`
}

func toAppJSON(a *koodrive.App) appJSON {
	out := appJSON{AppID: a.AppID, Name: a.Name, Status: int(a.Status),
		CreatedAt: a.CreatedAt.UTC().Format(time.RFC3339), UpdatedAt: a.UpdatedAt.UTC().Format(time.RFC3339)}
	if !a.PreviousUntil.IsZero() {
		out.PreviousUntil = a.PreviousUntil.UTC().Format(time.RFC3339)
	}
	return out
}

type issuedAppJSON struct {
	appJSON
	AppSecret string `json:"appSecret"`
}

type appListBody struct {
	envelope
	List []appJSON `json:"list"`
}

func (s *Server) listApps(w http.ResponseWriter, r *http.Request, a koodrive.Actor) error {
	apps, err := s.svc.Apps.FindApps(r.Context(), a)
	if err != nil {
		return err
	}
	list := make([]appJSON, len(apps))
	for i, app := range apps {
		list[i] = toAppJSON(app)
	}
	writeJSON(w, http.StatusOK, appListBody{s.success(r), list})
	return nil
}

func (s *Server) createApp(w http.ResponseWriter, r *http.Request, a koodrive.Actor) error {
	var req struct {
		Name string `json:"name"`
	}
	if err := decodeBody(w, r, &req); err != nil {
		return err
	}
	app, err := s.svc.Apps.CreateApp(r.Context(), a, req.Name)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, dataBody[issuedAppJSON]{s.success(r), issuedAppJSON{toAppJSON(app), app.Secret}})
	return nil
}

func (s *Server) updateApp(w http.ResponseWriter, r *http.Request, a koodrive.Actor) error {
	var req struct {
		Status *int `json:"status"`
	}
	if err := decodeBody(w, r, &req); err != nil {
		return err
	}
	if req.Status == nil {
		return koodrive.Invalid("status", koodrive.MsgFieldRequired, nil)
	}
	if err := s.svc.Apps.SetAppStatus(r.Context(), a, r.PathValue("appId"), koodrive.AppStatus(*req.Status)); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.success(r))
	return nil
}

func (s *Server) deleteApp(w http.ResponseWriter, r *http.Request, a koodrive.Actor) error {
	if err := s.svc.Apps.DeleteApp(r.Context(), a, r.PathValue("appId")); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.success(r))
	return nil
}

// rotateAppSecret issues a new secret; with graceSeconds the old one keeps
// working that long, so that clients can switch without an outage.
func (s *Server) rotateAppSecret(w http.ResponseWriter, r *http.Request, a koodrive.Actor) error {
	var req struct {
		GraceSeconds int64 `json:"graceSeconds"`
	}
	if r.ContentLength != 0 {
		if err := decodeBody(w, r, &req); err != nil {
			return err
		}
	}
	// Clamped just outside the valid range, so that the service refuses a
	// bad value (after checking the caller) without the multiplication
	// overflowing into a valid one.
	limit := int64(koodrive.MaxRotationGrace.Seconds())
	grace := time.Duration(min(max(req.GraceSeconds, -1), limit+1)) * time.Second
	app, err := s.svc.Apps.RotateAppSecret(r.Context(), a, r.PathValue("appId"), grace)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, dataBody[issuedAppJSON]{s.success(r), issuedAppJSON{toAppJSON(app), app.Secret}})
	return nil
}
