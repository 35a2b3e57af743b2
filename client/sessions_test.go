package client_test

import (
	"testing"

	"github.com/koodrive/koodrive"
	"github.com/koodrive/koodrive/client"
)

func TestSessions(t *testing.T) {
	info := `"role":"2","userName":"admin","innerUserId":"1575416580416769793","userId":"admin","tenantId":"9","orgId":"9","orgName":"Acme","deptId":"8"`
	f := newFake(t).
		on("POST /koodrive/ose/v1/session/", `{"code":0,"msg":"success","data":{"accessToken":"Bearer abc","sessionId":"sid","userId":"admin","userInfo":{`+info+`,"xHwSchema":"","userCount":3}}}`).
		on("GET /koodrive/ose/v1/session/auth", `{"code":0,"msg":"success","data":{`+info+`,"userCount":"3"}}`).
		on("POST /koodrive/ose/v1/session/refresh", `{"accessToken":"Bearer def","code":0,"msg":"success"}`).
		on("GET /koodrive/ose/v1/session/logoff", ok)
	wantUser := client.SessionUser{ID: bigID, UserID: "admin", Name: "admin", Role: koodrive.RoleSystemAdmin, OrgID: 9, OrgName: "Acme", DeptID: 8, UserCount: 3}

	anon, err := client.New(f.URL)
	wantNoErr(t, err)
	s, err := anon.CreateSession(ctx, "code1")
	wantNoErr(t, err)
	wantJSON(t, f.last().Body, `{"code":"code1"}`)
	if s.Token != "abc" || s.SessionID != "sid" || s.UserID != "admin" || s.User != wantUser {
		t.Errorf("session %+v, want token abc (without Bearer), sid, admin, %+v", s, wantUser)
	}

	c, err := client.New(f.URL, client.WithToken(s.Token))
	wantNoErr(t, err)
	u, err := c.ValidateSession(ctx)
	wantNoErr(t, err)
	if *u != wantUser {
		t.Errorf("user %+v, want %+v (userCount from a string)", *u, wantUser)
	}

	token, err := c.RefreshSession(ctx, "sid")
	wantNoErr(t, err)
	if got := f.last().Header; got.Get("X-Session-Id") != "sid" || got.Get("Authorization") != "Bearer abc" {
		t.Errorf("refresh sent x-session-id %q, Authorization %q", got.Get("X-Session-Id"), got.Get("Authorization"))
	}
	if token != "def" {
		t.Errorf("token %q, want def", token)
	}
	wantNoErr(t, c.Logoff(ctx))
	if got := f.last().Header.Get("Authorization"); got != "Bearer def" {
		t.Errorf("after refresh Authorization %q, want the new token", got)
	}
}
