package client

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/koodrive/koodrive"
)

// SessionInfo is a new session (POST /session/).
type SessionInfo struct {
	Token     string // the access token, without "Bearer ": pass it to WithToken
	SessionID string // names the session for RefreshSession; it authenticates nothing
	UserID    string // the user's external userId
	User      SessionUser
}

// SessionUser is a session's user as KooDrive's session APIs describe it.
type SessionUser struct {
	ID        koodrive.ID // koodrive's id (innerUserId), for WithApp's acting user
	UserID    string      // the external userId
	Name      string      // userName: the name, or the userId when there is none
	Role      koodrive.Role
	OrgID     koodrive.ID
	OrgName   string
	DeptID    koodrive.ID
	UserCount int64 // users in the organization
}

// sessionUserJSON is SessionUserInfo and OrgUserInfo: role is a string,
// userCount a number in one and a string in the other.
type sessionUserJSON struct {
	Role        string  `json:"role"`
	UserName    string  `json:"userName"`
	InnerUserID wireID  `json:"innerUserId"`
	UserID      string  `json:"userId"`
	OrgID       wireID  `json:"orgId"`
	OrgName     string  `json:"orgName"`
	DeptID      wireID  `json:"deptId"`
	UserCount   wireInt `json:"userCount"`
}

func (u *sessionUserJSON) user() (SessionUser, error) {
	role, ok := koodrive.ParseRole(u.Role)
	if !ok {
		return SessionUser{}, fmt.Errorf("session user %s: role %q", u.UserID, u.Role)
	}
	return SessionUser{
		ID: koodrive.ID(u.InnerUserID), UserID: u.UserID, Name: u.UserName, Role: role,
		OrgID: koodrive.ID(u.OrgID), OrgName: u.OrgName, DeptID: koodrive.ID(u.DeptID), UserCount: int64(u.UserCount),
	}, nil
}

// stripBearer takes the token out of an accessToken, "Bearer <token>".
func stripBearer(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > len("Bearer ") && strings.EqualFold(s[:len("Bearer ")], "Bearer ") {
		return strings.TrimSpace(s[len("Bearer "):])
	}
	return s
}

// CreateSession exchanges a one-time login code (koodrive token create
// --code) for a session (POST /koodrive/ose/v1/session/). It needs no
// credentials and does not change the client's: use the token with a new
// client, New(url, WithToken(info.Token)). EUNAUTHENTICATED for an
// unknown, used or expired code.
func (c *Client) CreateSession(ctx context.Context, code string) (*SessionInfo, error) {
	body := struct {
		Code string `json:"code"`
	}{code}
	var out dataBody[struct {
		AccessToken string          `json:"accessToken"`
		SessionID   string          `json:"sessionId"`
		UserID      string          `json:"userId"`
		UserInfo    sessionUserJSON `json:"userInfo"`
	}]
	if err := c.do(ctx, request{method: http.MethodPost, path: oseV1 + "/session/", body: body}, &out); err != nil {
		return nil, err
	}
	u, err := out.Data.UserInfo.user()
	if err != nil {
		return nil, fmt.Errorf("POST %s/session/: %w", oseV1, err)
	}
	return &SessionInfo{Token: stripBearer(out.Data.AccessToken), SessionID: out.Data.SessionID, UserID: out.Data.UserID, User: u}, nil
}

// ValidateSession returns the user of the client's token (GET
// /koodrive/ose/v1/session/auth). EUNAUTHENTICATED for an unknown or
// expired token.
func (c *Client) ValidateSession(ctx context.Context) (*SessionUser, error) {
	var out dataBody[sessionUserJSON]
	if err := c.do(ctx, request{method: http.MethodGet, path: oseV1 + "/session/auth"}, &out); err != nil {
		return nil, err
	}
	u, err := out.Data.user()
	if err != nil {
		return nil, fmt.Errorf("GET %s/session/auth: %w", oseV1, err)
	}
	return &u, nil
}

// RefreshSession gives the client's session, sessionID, a new token (POST
// /koodrive/ose/v1/session/refresh) and returns it. The old token stops
// working at once, so the client sends the new one from now on; requests
// already under way with the old one fail (EUNAUTHENTICATED).
func (c *Client) RefreshSession(ctx context.Context, sessionID string) (string, error) {
	var out struct {
		AccessToken string `json:"accessToken"`
	}
	req := request{method: http.MethodPost, path: oseV1 + "/session/refresh", header: http.Header{"X-Session-Id": {sessionID}}}
	if err := c.do(ctx, req, &out); err != nil {
		return "", err
	}
	token := stripBearer(out.AccessToken)
	c.setToken(token)
	return token, nil
}

// Logoff ends the session of the client's token (GET
// /koodrive/ose/v1/session/logoff); ending one already ended succeeds.
func (c *Client) Logoff(ctx context.Context) error {
	return c.do(ctx, request{method: http.MethodGet, path: oseV1 + "/session/logoff"}, nil)
}
