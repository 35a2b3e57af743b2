package client_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/koodrive/koodrive"
	"github.com/koodrive/koodrive/client"
)

func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		body   string
		want   client.Error
		kind   koodrive.Kind
	}{
		{"Malformed", 400, `{"code":13000101,"msg":"the body is not JSON","traceId":"t1"}`, client.Error{Status: 400, Code: 13000101, Msg: "the body is not JSON", TraceID: "t1"}, koodrive.EMALFORMED},
		{"Invalid", 400, `{"code":13000102,"msg":"name is required","traceId":"t2"}`, client.Error{Status: 400, Code: 13000102, Msg: "name is required", TraceID: "t2"}, koodrive.EINVALID},
		{"MaxLevels", 400, `{"code":13000310,"msg":"too deep","traceId":"t"}`, client.Error{Status: 400, Code: 13000310, Msg: "too deep", TraceID: "t"}, koodrive.EMAXLEVELS},
		{"InsufficientSpace", 400, `{"code":13000311,"msg":"need 5 GB, 1 left","traceId":"t"}`, client.Error{Status: 400, Code: 13000311, Msg: "need 5 GB, 1 left", TraceID: "t"}, koodrive.EINSUFFICIENTSPACE},
		{"Unauthenticated", 401, `{"code":13000101,"msg":"no token","traceId":"t"}`, client.Error{Status: 401, Code: 13000101, Msg: "no token", TraceID: "t"}, koodrive.EUNAUTHENTICATED},
		{"Forbidden", 403, `{"code":13000410,"msg":"no permission","traceId":"t"}`, client.Error{Status: 403, Code: 13000410, Msg: "no permission", TraceID: "t"}, koodrive.EFORBIDDEN},
		{"NotFound", 404, `{"code":13000309,"msg":"user 5 was not found","traceId":"t"}`, client.Error{Status: 404, Code: 13000309, Msg: "user 5 was not found", TraceID: "t"}, koodrive.ENOTFOUND},
		{"MethodNotAllowed", 405, `{"code":13000101,"msg":"PATCH is not allowed","traceId":"t"}`, client.Error{Status: 405, Code: 13000101, Msg: "PATCH is not allowed", TraceID: "t"}, koodrive.EMALFORMED},
		{"Conflict", 409, `{"code":13000102,"msg":"userId ann is taken","traceId":"t"}`, client.Error{Status: 409, Code: 13000102, Msg: "userId ann is taken", TraceID: "t"}, koodrive.ECONFLICT},
		{"TooLarge", 413, `{"code":13000101,"msg":"over 1 MB","traceId":"t"}`, client.Error{Status: 413, Code: 13000101, Msg: "over 1 MB", TraceID: "t"}, koodrive.ETOOLARGE},
		{"Internal", 500, `{"code":13000201,"msg":"internal error","traceId":"t"}`, client.Error{Status: 500, Code: 13000201, Msg: "internal error", TraceID: "t"}, koodrive.EINTERNAL},
		{"Unavailable", 503, `{"code":13000201,"msg":"internal error","traceId":"t"}`, client.Error{Status: 503, Code: 13000201, Msg: "internal error", TraceID: "t"}, koodrive.EINTERNAL},
		// The user limit is 400 with 13000102 on the wire, as EINVALID is.
		{"LimitIsInvalid", 400, `{"code":13000102,"msg":"the limit of 10 users is reached","traceId":"t"}`, client.Error{Status: 400, Code: 13000102, Msg: "the limit of 10 users is reached", TraceID: "t"}, koodrive.EINVALID},
		{"TraceIDFromHeader", 404, `{"code":13000309,"msg":"gone"}`, client.Error{Status: 404, Code: 13000309, Msg: "gone", TraceID: "header-trace"}, koodrive.ENOTFOUND},
		{"CodeOn200", 200, `{"code":13000102,"msg":"odd","traceId":"t"}`, client.Error{Status: 200, Code: 13000102, Msg: "odd", TraceID: "t"}, koodrive.EINTERNAL},
		{"NotAnEnvelope", 502, `<html>Bad Gateway</html>`, client.Error{Status: 502, Msg: `response is not a KooDrive envelope: "<html>Bad Gateway</html>"`, TraceID: "header-trace"}, koodrive.EINTERNAL},
		{"OKWithoutCode", 200, `{"msg":"success"}`, client.Error{Status: 200, Msg: `response is not a KooDrive envelope: "{\"msg\":\"success\"}"`, TraceID: "header-trace"}, koodrive.EINTERNAL},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t).onStatus("GET /koodrive/ose/v1/users/5", tc.status, tc.body)
			_, err := f.client().Users().FindUserByID(ctx, koodrive.Actor{}, 5)
			var ce *client.Error
			if !errors.As(err, &ce) {
				t.Fatalf("error %v (%T), want a *client.Error", err, err)
			}
			want := tc.want
			want.Method, want.Path = "GET", "/koodrive/ose/v1/users/5"
			if *ce != want {
				t.Errorf("error %+v, want %+v", *ce, want)
			}
			if got := ce.Kind(); got != tc.kind {
				t.Errorf("Kind() %q, want %q", got, tc.kind)
			}
			if got := koodrive.ErrorKind(err); got != tc.kind {
				t.Errorf("koodrive.ErrorKind %q, want %q", got, tc.kind)
			}
			de := koodrive.AsError(err)
			if de.Kind != tc.kind || string(de.Message.ID) != want.Msg || de.Err != ce {
				t.Errorf("koodrive.AsError %+v, want kind %q, message %q, wrapping the client error", de, tc.kind, want.Msg)
			}
			for _, part := range []string{"GET /koodrive/ose/v1/users/5", want.Msg, want.TraceID} {
				if !strings.Contains(err.Error(), part) {
					t.Errorf("Error() %q does not contain %q", err.Error(), part)
				}
			}
		})
	}

	t.Run("Network", func(t *testing.T) {
		f := newFake(t)
		c := f.client()
		f.Close()
		_, err := c.Users().FindUserByID(ctx, koodrive.Actor{}, 5)
		var ce *client.Error
		if err == nil || errors.As(err, &ce) {
			t.Fatalf("error %v, want a transport error that is no *client.Error", err)
		}
		if got := koodrive.ErrorKind(err); got != koodrive.EINTERNAL {
			t.Errorf("kind %q, want internal", got)
		}
		if !strings.Contains(err.Error(), "GET /koodrive/ose/v1/users/5") {
			t.Errorf("error %q does not name the request", err)
		}
	})

	t.Run("Cancelled", func(t *testing.T) {
		f := newFake(t).on("GET /koodrive/ose/v1/users/5", ok)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		_, err := f.client().Users().FindUserByID(cctx, koodrive.Actor{}, 5)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("error %v, want context.Canceled", err)
		}
	})

	t.Run("Unsupported", func(t *testing.T) {
		c, err := client.New("http://127.0.0.1:1", client.WithToken("t"))
		wantNoErr(t, err)
		_, _, err = c.Organization().InitOrganization(ctx, koodrive.OrganizationInit{Name: "x"})
		if koodrive.ErrorKind(err) != koodrive.EINVALID || !errors.Is(err, errors.ErrUnsupported) {
			t.Errorf("InitOrganization: %v, want EINVALID and errors.ErrUnsupported", err)
		}
		_, err = c.Apps().AppKeys(ctx, "a")
		if koodrive.ErrorKind(err) != koodrive.EINVALID || !errors.Is(err, errors.ErrUnsupported) {
			t.Errorf("AppKeys: %v, want EINVALID and errors.ErrUnsupported", err)
		}
	})
}
