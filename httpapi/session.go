package httpapi

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/koodrive/koodrive"
)

// sessionUserInfo is KooDrive's SessionUserInfo (create session) and, with
// userCount as a string, its OrgUserInfo (validate session).
type sessionUserInfo struct {
	Role        string      `json:"role"`
	UserName    string      `json:"userName"`
	InnerUserID koodrive.ID `json:"innerUserId"`
	UserID      string      `json:"userId"`
	TenantID    koodrive.ID `json:"tenantId"`
	OrgID       koodrive.ID `json:"orgId"`
	OrgName     string      `json:"orgName"`
	DeptID      koodrive.ID `json:"deptId"`
}

// userInfo describes the session's user as KooDrive's session APIs do.
func (s *Server) userInfo(r *http.Request, a koodrive.Actor) (sessionUserInfo, *koodrive.Organization, error) {
	u, err := s.svc.Users.FindUserByID(r.Context(), a, a.ID)
	if err != nil {
		return sessionUserInfo{}, nil, err
	}
	org, err := s.svc.Organization.FindOrganization(r.Context())
	if err != nil {
		return sessionUserInfo{}, nil, err
	}
	name := u.Name
	if name == "" {
		name = u.UserID
	}
	return sessionUserInfo{
		Role: strconv.Itoa(int(u.Role)), UserName: name, InnerUserID: u.ID, UserID: u.UserID,
		TenantID: org.ID, OrgID: org.ID, OrgName: org.Name, DeptID: u.DeptID,
	}, org, nil
}

type createSessionRequest struct {
	Code   string `json:"code"`
	Domain string `json:"domain"` // the front end's domain; koodrive needs none
}

type sessionJSON struct {
	AccessToken string `json:"accessToken"`
	SessionID   string `json:"sessionId"`
	UserID      string `json:"userId"`
	UserInfo    struct {
		sessionUserInfo
		XHwSchema string `json:"xHwSchema"`
		UserCount int64  `json:"userCount"`
	} `json:"userInfo"`
}

// createSession exchanges a one-time login code (from koodrive token create
// --code) for a session: KooDrive takes an OrgID authorization code here.
func (s *Server) createSession(w http.ResponseWriter, r *http.Request) error {
	var req createSessionRequest
	if err := decodeBody(w, r, &req); err != nil {
		return err
	}
	if strings.TrimSpace(req.Code) == "" {
		return koodrive.Invalid("code", koodrive.MsgFieldRequired, nil)
	}
	sess, err := s.svc.Auth.ExchangeLoginCode(r.Context(), strings.TrimSpace(req.Code))
	if err != nil {
		return err
	}
	a, err := s.svc.Auth.FindActor(r.Context(), sess.UserID)
	if err != nil {
		return err
	}
	info, org, err := s.userInfo(r, *a)
	if err != nil {
		return err
	}
	var out sessionJSON
	out.AccessToken, out.SessionID, out.UserID = "Bearer "+sess.Token, sess.ID, info.UserID
	out.UserInfo.sessionUserInfo, out.UserInfo.UserCount = info, org.UserCount
	writeJSON(w, http.StatusOK, dataBody[sessionJSON]{s.success(r), out})
	return nil
}

type orgUserInfoJSON struct {
	sessionUserInfo
	UserCount string `json:"userCount"`
}

// validateSession answers who the token belongs to (GET /session/auth).
func (s *Server) validateSession(w http.ResponseWriter, r *http.Request, a koodrive.Actor) error {
	info, org, err := s.userInfo(r, a)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, dataBody[orgUserInfoJSON]{s.success(r), orgUserInfoJSON{info, strconv.FormatInt(org.UserCount, 10)}})
	return nil
}

type refreshBody struct {
	AccessToken string `json:"accessToken"`
	envelope
}

// refreshSession replaces the token of the session in x-session-id.
func (s *Server) refreshSession(w http.ResponseWriter, r *http.Request, _ koodrive.Actor) error {
	sid := strings.TrimSpace(r.Header.Get("x-session-id"))
	if sid == "" {
		return koodrive.Invalid("x-session-id", koodrive.MsgFieldRequired, nil)
	}
	token, err := bearerToken(r.Header.Get("Authorization"))
	if err != nil {
		return err
	}
	sess, err := s.svc.Auth.RefreshSession(r.Context(), token, sid)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, refreshBody{"Bearer " + sess.Token, s.success(r)})
	return nil
}

// logoff ends the session of the token, if any: signing out twice, or with
// an expired token, is still a success.
func (s *Server) logoff(w http.ResponseWriter, r *http.Request) error {
	if h := r.Header.Get("Authorization"); h != "" {
		if token, err := bearerToken(h); err == nil {
			if err := s.svc.Auth.EndSession(r.Context(), token); err != nil {
				return err
			}
		}
	}
	writeJSON(w, http.StatusOK, s.success(r))
	return nil
}
