package httpapi_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/koodrive/koodrive"
	"github.com/koodrive/koodrive/httpapi"
)

// A request whose client went away fails with the context's error; that
// is the client's doing, so it is logged as information with status 499,
// while any other internal error stays an error in the log.
func TestClientGoneIsNotAnInternalError(t *testing.T) {
	var logged bytes.Buffer
	users := &UserService{CreateUserFn: func(ctx context.Context, _ koodrive.Actor, _ koodrive.UserCreate) (*koodrive.User, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	}}
	h := newLoggingServer(t, httpapi.Services{Users: users}, slog.New(slog.NewJSONHandler(&logged, nil)))

	send := func(ctx context.Context) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", "/koodrive/ose/v1/users", strings.NewReader(`{"userId":"a1","userName":"A","deptId":"1"}`)).WithContext(ctx)
		req.Header.Set("Authorization", "Bearer t")
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if rec := send(ctx); rec.Code != 499 {
		t.Errorf("client gone: status %d, want 499; body %s", rec.Code, rec.Body)
	}
	if strings.Contains(logged.String(), `"level":"ERROR"`) || !strings.Contains(logged.String(), "client closed the request") {
		t.Errorf("client gone logged as:\n%s", logged.String())
	}

	// The same error while the client still waits is the server's.
	logged.Reset()
	users.CreateUserFn = func(context.Context, koodrive.Actor, koodrive.UserCreate) (*koodrive.User, error) {
		return nil, context.Canceled
	}
	if rec := send(context.Background()); rec.Code != 500 {
		t.Errorf("server's own cancellation: status %d, want 500; body %s", rec.Code, rec.Body)
	}
	if !strings.Contains(logged.String(), `"level":"ERROR"`) {
		t.Errorf("server's own cancellation logged as:\n%s", logged.String())
	}
}
