package client

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/koodrive/koodrive"
)

var _ koodrive.AppService = (*AppService)(nil)

// AppService is koodrive.AppService over koodrive's
// /koodrive/admin/v1/apps, for system administrators with a session token.
// Its methods ignore the Actor argument. AppKeys is the server's own and is
// refused.
type AppService struct{ c *Client }

// Apps returns the app service.
func (c *Client) Apps() *AppService { return &AppService{c} }

// appJSON is an app credential; appSecret is present only when issued.
type appJSON struct {
	AppID         string `json:"appId"`
	Name          string `json:"name"`
	Status        int    `json:"status"`
	CreatedAt     string `json:"createdAt"`
	UpdatedAt     string `json:"updatedAt"`
	PreviousUntil string `json:"previousSecretValidUntil"`
	AppSecret     string `json:"appSecret"`
}

func (a *appJSON) app() (*koodrive.App, error) {
	out := &koodrive.App{AppID: a.AppID, Name: a.Name, Secret: a.AppSecret, Status: koodrive.AppStatus(a.Status)}
	for _, t := range []struct {
		field, text string
		to          *time.Time
	}{
		{"createdAt", a.CreatedAt, &out.CreatedAt},
		{"updatedAt", a.UpdatedAt, &out.UpdatedAt},
		{"previousSecretValidUntil", a.PreviousUntil, &out.PreviousUntil},
	} {
		if t.text == "" {
			continue
		}
		v, err := time.Parse(time.RFC3339, t.text)
		if err != nil {
			return nil, fmt.Errorf("app %s: %s %q: %w", a.AppID, t.field, t.text, err)
		}
		*t.to = v
	}
	return out, nil
}

const appsPath = adminV1 + "/apps"

func appPath(appID string) string { return appsPath + "/" + url.PathEscape(appID) }

// issued sends a request that answers an app with its secret.
func (s *AppService) issued(ctx context.Context, r request) (*koodrive.App, error) {
	var out dataBody[appJSON]
	if err := s.c.do(ctx, r, &out); err != nil {
		return nil, err
	}
	return out.Data.app()
}

// CreateApp registers an app and returns it with its secret (POST
// /koodrive/admin/v1/apps).
func (s *AppService) CreateApp(ctx context.Context, _ koodrive.Actor, name string) (*koodrive.App, error) {
	body := struct {
		Name string `json:"name"`
	}{name}
	return s.issued(ctx, request{method: http.MethodPost, path: appsPath, body: body})
}

// FindApps lists the apps, oldest first, without secrets (GET
// /koodrive/admin/v1/apps).
func (s *AppService) FindApps(ctx context.Context, _ koodrive.Actor) ([]*koodrive.App, error) {
	var out struct {
		List []appJSON `json:"list"`
	}
	if err := s.c.do(ctx, request{method: http.MethodGet, path: appsPath}, &out); err != nil {
		return nil, err
	}
	apps := make([]*koodrive.App, len(out.List))
	for i := range out.List {
		a, err := out.List[i].app()
		if err != nil {
			return nil, fmt.Errorf("GET %s: %w", appsPath, err)
		}
		apps[i] = a
	}
	return apps, nil
}

// SetAppStatus enables or disables an app (PUT /koodrive/admin/v1/apps/{appId}).
func (s *AppService) SetAppStatus(ctx context.Context, _ koodrive.Actor, appID string, status koodrive.AppStatus) error {
	body := struct {
		Status int `json:"status"`
	}{int(status)}
	return s.c.do(ctx, request{method: http.MethodPut, path: appPath(appID), body: body}, nil)
}

// DeleteApp removes an app (DELETE /koodrive/admin/v1/apps/{appId}).
func (s *AppService) DeleteApp(ctx context.Context, _ koodrive.Actor, appID string) error {
	return s.c.do(ctx, request{method: http.MethodDelete, path: appPath(appID)}, nil)
}

// RotateAppSecret gives an app a new secret and returns it (POST
// /koodrive/admin/v1/apps/{appId}/secret); the old one keeps working for
// grace, in whole seconds.
func (s *AppService) RotateAppSecret(ctx context.Context, _ koodrive.Actor, appID string, grace time.Duration) (*koodrive.App, error) {
	body := struct {
		GraceSeconds int64 `json:"graceSeconds"`
	}{int64(grace / time.Second)}
	return s.issued(ctx, request{method: http.MethodPost, path: appPath(appID) + "/secret", body: body})
}

// AppKeys is refused (EINVALID, errors.ErrUnsupported): an app's secrets
// never leave the server, which reads them to verify signatures.
func (s *AppService) AppKeys(context.Context, string) (*koodrive.AppKeys, error) {
	return nil, unsupported("AppKeys", "app secrets never leave the server")
}
