package main

import (
	"net/http"
	"regexp"
	"testing"
)

func TestSession_LoginCode(t *testing.T) {
	s := startServer(t)
	userID, _ := s.userIn(t, "ann", s.Root, 0)
	out, err := cli(t, nil, "token", "create", "--data", s.Data, "--user", "ann", "--code")
	if err != nil {
		t.Fatal(err)
	}
	code := lastLine(out)

	r := s.do(t, "POST", "/session/", "", map[string]any{"code": code, "domain": "drive.example.com"})
	r.wantOK(t)
	d := r.data(t)
	token := str(t, d, "accessToken")
	if !regexp.MustCompile(`^Bearer [0-9a-f]{48}$`).MatchString(token) {
		t.Errorf("accessToken %q, want Bearer and 48 hex digits", token)
	}
	if !regexp.MustCompile(`^[0-9a-f]{48}$`).MatchString(str(t, d, "sessionId")) {
		t.Errorf("sessionId %q", d["sessionId"])
	}
	if d["userId"] != "ann" {
		t.Errorf("userId %v, want ann", d["userId"])
	}
	info := d["userInfo"].(map[string]any)
	for key, want := range map[string]any{"role": "0", "innerUserId": userID, "userId": "ann", "userName": "ann", "deptId": s.Root, "orgName": "Organization"} {
		if info[key] != want {
			t.Errorf("userInfo.%s = %v, want %v", key, info[key], want)
		}
	}
	if num(t, info, "userCount") != 2 {
		t.Errorf("userInfo.userCount %v, want 2", info["userCount"])
	}

	// The accessToken goes into Authorization as it is.
	s.do(t, "GET", "/session/auth", "", nil, "Authorization", token).wantOK(t)

	t.Run("ErrCodeUsedTwice", func(t *testing.T) {
		s.do(t, "POST", "/session", "", map[string]any{"code": code}).wantError(t, 401, 13000101, "login code")
	})
	t.Run("ErrCodeMissing", func(t *testing.T) {
		s.do(t, "POST", "/session/", "", map[string]any{"domain": "x"}).wantError(t, 400, 13000102, "code")
	})
	t.Run("ErrCodeUnknownInChinese", func(t *testing.T) {
		s.do(t, "POST", "/session/", "", map[string]any{"code": "00"}, "language", "zh-CN").wantError(t, 401, 13000101, "登录码")
	})
}

func TestSession_ValidateRefreshLogoff(t *testing.T) {
	s := startServer(t)
	code, err := cli(t, nil, "token", "create", "--data", s.Data, "--user", "admin", "--code")
	if err != nil {
		t.Fatal(err)
	}
	r := s.do(t, "POST", "/session/", "", map[string]any{"code": lastLine(code)})
	r.wantOK(t)
	token, sid := str(t, r.data(t), "accessToken"), str(t, r.data(t), "sessionId")
	auth := func(tok string) reply { return s.do(t, "GET", "/session/auth", "", nil, "Authorization", tok) }

	v := auth(token)
	v.wantOK(t)
	for key, want := range map[string]any{"role": "2", "userId": "admin", "userCount": "1", "deptId": s.Root} {
		if got := v.data(t)[key]; got != want {
			t.Errorf("session/auth data.%s = %v, want %v", key, got, want)
		}
	}

	t.Run("ErrRefreshWithoutSessionID", func(t *testing.T) {
		s.do(t, "POST", "/session/refresh", "", nil, "Authorization", token).wantError(t, 400, 13000102, "x-session-id")
	})
	t.Run("ErrRefreshWithAnotherSessionID", func(t *testing.T) {
		s.do(t, "POST", "/session/refresh", "", nil, "Authorization", token, "x-session-id", "0123").wantError(t, 401, 13000101, "x-session-id")
		auth(token).wantOK(t)
	})
	var fresh string
	t.Run("Refresh", func(t *testing.T) {
		r := s.do(t, "POST", "/session/refresh", "", nil, "Authorization", token, "x-session-id", sid)
		r.wantOK(t)
		fresh = str(t, r.Body, "accessToken") // top level, as KooDrive returns it
		if fresh == token {
			t.Fatal("refresh returned the same token")
		}
		auth(fresh).wantOK(t)
		auth(token).wantError(t, http.StatusUnauthorized, 13000101)
	})
	t.Run("Logoff", func(t *testing.T) {
		s.do(t, "GET", "/session/logoff", "", nil, "Authorization", fresh).wantOK(t)
		auth(fresh).wantError(t, http.StatusUnauthorized, 13000101)
		// Signing out again, or without a token, still succeeds.
		s.do(t, "GET", "/session/logoff", "", nil, "Authorization", fresh).wantOK(t)
		s.do(t, "GET", "/session/logoff", "", nil).wantOK(t)
	})
}

func TestApps_AdminAPI(t *testing.T) {
	s := startServer(t)
	const apps = "/koodrive/admin/v1/apps"
	r := s.do(t, "POST", apps, s.Admin, map[string]any{"name": "Payroll"})
	r.wantOK(t)
	a := app{ID: str(t, r.data(t), "appId"), Secret: str(t, r.data(t), "appSecret")}
	admin := s.adminID(t)
	s.signed(t, a, admin, "GET", "/users/count?n=1", "").wantOK(t)

	r = s.do(t, "GET", apps, s.Admin, nil)
	r.wantOK(t)
	list := r.list(t)
	if len(list) != 1 || list[0]["appId"] != a.ID || list[0]["name"] != "Payroll" || num(t, list[0], "status") != 0 {
		t.Fatalf("list %v", list)
	}
	if _, leaked := list[0]["appSecret"]; leaked {
		t.Errorf("the list shows a secret")
	}

	s.do(t, "PUT", apps+"/"+a.ID, s.Admin, map[string]any{"status": 1}).wantOK(t)
	s.signed(t, a, admin, "GET", "/users/count?n=2", "").wantError(t, 401, 13000101)
	s.do(t, "PUT", apps+"/"+a.ID, s.Admin, map[string]any{"status": 0}).wantOK(t)
	s.signed(t, a, admin, "GET", "/users/count?n=3", "").wantOK(t)

	for _, tc := range []struct {
		name, method, path string
		body               any
		status, code       int
		parts              []string
	}{
		{"ErrStatusUnknown", "PUT", apps + "/" + a.ID, map[string]any{"status": 7}, 400, 13000102, []string{"status"}},
		{"ErrStatusMissing", "PUT", apps + "/" + a.ID, map[string]any{}, 400, 13000102, []string{"status"}},
		{"ErrNameEmpty", "POST", apps, map[string]any{"name": ""}, 400, 13000102, []string{"name"}},
		{"ErrGraceTooLong", "POST", apps + "/" + a.ID + "/secret", map[string]any{"graceSeconds": 8 * 24 * 3600}, 400, 13000102, []string{"graceSeconds"}},
		{"ErrUnknownApp", "PUT", apps + "/nope", map[string]any{"status": 1}, 404, 13000309, []string{"nope"}},
		{"ErrUnknownAppRotate", "POST", apps + "/nope/secret", nil, 404, 13000309, []string{"nope"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s.do(t, tc.method, tc.path, s.Admin, tc.body).wantError(t, tc.status, tc.code, tc.parts...)
		})
	}

	s.do(t, "DELETE", apps+"/"+a.ID, s.Admin, nil).wantOK(t)
	s.signed(t, a, admin, "GET", "/users/count?n=4", "").wantError(t, 401, 13000101)
	s.do(t, "DELETE", apps+"/"+a.ID, s.Admin, nil).wantError(t, 404, 13000309)
}

func TestApps_CommandLine(t *testing.T) {
	s := startServer(t)
	a := s.newApp(t, "cli")
	admin := s.adminID(t)
	run := func(args ...string) string {
		t.Helper()
		out, err := cli(t, nil, append(args, "--data", s.Data)...)
		if err != nil {
			t.Fatalf("koodrive %v: %v", args, err)
		}
		return out
	}
	if out := run("app", "list"); !regexp.MustCompile(a.ID + `\s+cli\s+enabled`).MatchString(out) {
		t.Errorf("app list:\n%s", out)
	}
	run("app", "disable", a.ID)
	if out := run("app", "list"); !regexp.MustCompile(a.ID + `\s+cli\s+disabled`).MatchString(out) {
		t.Errorf("app list after disable:\n%s", out)
	}
	s.signed(t, a, admin, "GET", "/users/count?n=1", "").wantError(t, 401, 13000101)
	run("app", "enable", a.ID)
	s.signed(t, a, admin, "GET", "/users/count?n=2", "").wantOK(t)

	var rotated app
	if err := jsonLast(run("app", "rotate", a.ID, "--grace", "10m"), &rotated); err != nil || rotated.ID != a.ID || rotated.Secret == a.Secret {
		t.Fatalf("app rotate: %+v %v", rotated, err)
	}
	s.signed(t, rotated, admin, "GET", "/users/count?n=3", "").wantOK(t)
	s.signed(t, a, admin, "GET", "/users/count?n=4", "").wantOK(t)

	run("app", "delete", a.ID)
	s.signed(t, rotated, admin, "GET", "/users/count?n=5", "").wantError(t, 401, 13000101)
	if _, err := cli(t, nil, "app", "delete", a.ID, "--data", s.Data); err == nil {
		t.Errorf("deleting a deleted app succeeded")
	}
}
