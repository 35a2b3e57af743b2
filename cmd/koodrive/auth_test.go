package main

import (
	"net/http"
	"strings"
	"testing"
)

func TestAuth_TokenSchemes(t *testing.T) {
	s := startServer(t)
	for _, h := range []string{"Bearer " + s.Admin, "Bearer+" + s.Admin, "AT " + s.Admin, "AT+" + s.Admin, "bearer " + s.Admin, s.Admin, "Bearer  " + s.Admin + " "} {
		t.Run(strings.Replace(h, s.Admin, "TOKEN", 1), func(t *testing.T) {
			s.do(t, "GET", "/users/count", "", nil, "Authorization", h).wantOK(t)
		})
	}
}

func TestAuth_Refused(t *testing.T) {
	s := startServer(t)
	for _, tc := range []struct {
		name, header string
		parts        []string
	}{
		{"ErrMissing", "", []string{"Authorization"}},
		{"ErrUnknownToken", "Bearer " + strings.Repeat("0", 48), []string{"invalid or has expired"}},
		{"ErrTokenWithSpaces", "Bearer a b", []string{"Authorization"}},
		{"ErrAppAuthUnknownApp", "HMAC-SHA256 AppId=x,SignedHeaders=host;x-date;x-user-id,Signature=00", []string{"app authentication failed"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := s.count(t)
			var r reply
			if tc.header == "" {
				r = s.do(t, "POST", "/users", "", map[string]any{"userId": "nobody"})
			} else {
				r = s.do(t, "POST", "/users", "", map[string]any{"userId": "nobody"}, "Authorization", tc.header)
			}
			r.wantError(t, http.StatusUnauthorized, 13000101, tc.parts...)
			if !strings.HasPrefix(r.Header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("WWW-Authenticate %q, want a Bearer challenge", r.Header.Get("WWW-Authenticate"))
			}
			if got := s.count(t); got != before {
				t.Errorf("user count %d, want %d", got, before)
			}
		})
	}
	t.Run("ErrMissingInChinese", func(t *testing.T) {
		s.do(t, "GET", "/users/count", "", nil, "language", "zh-CN").wantError(t, 401, 13000101, "缺少 Authorization")
	})
}

func TestAuth_FirstUseActivates(t *testing.T) {
	s := startServer(t)
	id, token := s.userIn(t, "newcomer", s.Root, 1)
	status := func() int {
		r := s.do(t, "GET", "/users/"+id, s.Admin, nil)
		r.wantOK(t)
		return num(t, r.data(t), "status")
	}
	if got := status(); got != 2 {
		t.Fatalf("status %d before the user's first request, want 2 (not activated)", got)
	}
	s.do(t, "GET", "/users/"+id, token, nil).wantOK(t)
	if got := status(); got != 0 {
		t.Fatalf("status %d after the user's first request, want 0 (enabled)", got)
	}
}
