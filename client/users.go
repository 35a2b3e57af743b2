package client

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/koodrive/koodrive"
)

var _ koodrive.UserService = (*UserService)(nil)

// UserService is koodrive.UserService over /koodrive/ose/v1/users and
// /userList. Its methods ignore the Actor argument: the client's
// credentials decide who acts.
type UserService struct{ c *Client }

// Users returns the user service.
func (c *Client) Users() *UserService { return &UserService{c} }

// userJSON is the server's userInfo.
type userJSON struct {
	ID       wireID `json:"id"`
	UserID   string `json:"userId"`
	Name     string `json:"name"`
	Mobile   string `json:"mobile"`
	Email    string `json:"email"`
	DeptID   wireID `json:"deptId"`
	DeptName string `json:"deptName"`
	Role     int    `json:"role"`
	Status   int    `json:"status"`
	OrgID    wireID `json:"orgId"`
}

// user has no CreatedAt or UpdatedAt: the API does not answer them.
func (u *userJSON) user() *koodrive.User {
	return &koodrive.User{
		ID: koodrive.ID(u.ID), OrgID: koodrive.ID(u.OrgID), UserID: u.UserID, Name: u.Name, Mobile: u.Mobile, Email: u.Email,
		DeptID: koodrive.ID(u.DeptID), DeptName: u.DeptName, Role: koodrive.Role(u.Role), Status: koodrive.Status(u.Status),
	}
}

func userPath(id koodrive.ID) string { return oseV1 + "/users/" + id.String() }

// createUserRequest is KooDrive's body; role goes as a string, as in
// KooDrive's example.
type createUserRequest struct {
	UserID            string          `json:"userId"`
	Name              string          `json:"name,omitempty"`
	Mobile            string          `json:"mobile,omitempty"`
	Email             string          `json:"email,omitempty"`
	ModifyUserInfoReq *modifyUserInfo `json:"modifyUserInfoReq,omitempty"`
}

type modifyUserInfo struct {
	DeptID *koodrive.ID `json:"deptId,omitempty"`
	Role   string       `json:"role,omitempty"`
}

// CreateUser creates a user (POST /users). The answer holds only the new
// ID and department, so the user returned is the request as the server
// placed it: not activated, with the role asked for (a common user by
// default). DeptName and OrgID are empty and Mobile is as given, not as the
// server normalized it; FindUserByID has them.
func (s *UserService) CreateUser(ctx context.Context, _ koodrive.Actor, in koodrive.UserCreate) (*koodrive.User, error) {
	req := createUserRequest{UserID: in.UserID, Name: in.Name, Mobile: in.Mobile, Email: in.Email}
	if in.DeptID != 0 || in.Role != nil {
		m := &modifyUserInfo{}
		if in.DeptID != 0 {
			m.DeptID = &in.DeptID
		}
		if in.Role != nil {
			m.Role = strconv.Itoa(int(*in.Role))
		}
		req.ModifyUserInfoReq = m
	}
	var out dataBody[struct {
		ID     wireID `json:"id"`
		DeptID wireID `json:"deptId"`
	}]
	if err := s.c.do(ctx, request{method: http.MethodPost, path: oseV1 + "/users", body: req}, &out); err != nil {
		return nil, err
	}
	return &koodrive.User{
		ID: koodrive.ID(out.Data.ID), UserID: in.UserID, Name: in.Name, Mobile: in.Mobile, Email: in.Email,
		DeptID: koodrive.ID(out.Data.DeptID), Role: in.RoleOrDefault(), Status: koodrive.StatusNotActivated,
	}, nil
}

// FindUserByID returns one user (GET /users/{id}), without timestamps.
func (s *UserService) FindUserByID(ctx context.Context, _ koodrive.Actor, id koodrive.ID) (*koodrive.User, error) {
	var out dataBody[userJSON]
	if err := s.c.do(ctx, request{method: http.MethodGet, path: userPath(id)}, &out); err != nil {
		return nil, err
	}
	return out.Data.user(), nil
}

// userList is GET /userList.
type userList struct {
	List       []userJSON `json:"list"`
	Total      int        `json:"total"`
	NextCursor string     `json:"nextCursor"`
}

// userQuery is the query of a user filter, shared with /space/userList.
// A cursor goes instead of offset; offset goes along only when it is set
// as well, so that the server refuses the mix as it refuses it from anyone.
func userQuery(f koodrive.UserFilter) url.Values {
	q := url.Values{}
	if f.Cursor != 0 {
		q.Set("cursor", f.Cursor.String())
		if f.Offset != 0 {
			q.Set("offset", strconv.Itoa(f.Offset))
		}
	} else {
		q.Set("offset", strconv.Itoa(f.Offset))
	}
	q.Set("limit", strconv.Itoa(f.Limit))
	setID(q, "deptId", f.DeptID)
	if f.Direct {
		q.Set("isDirect", "true")
	}
	if f.KeyWord != "" {
		q.Set("keyWord", f.KeyWord)
	}
	return q
}

// findUsers returns a page and the cursor of the next ("" after the last
// page).
func (s *UserService) findUsers(ctx context.Context, f koodrive.UserFilter) ([]*koodrive.User, int, string, error) {
	var out userList
	if err := s.c.do(ctx, request{method: http.MethodGet, path: oseV1 + "/userList", query: userQuery(f)}, &out); err != nil {
		return nil, 0, "", err
	}
	users := make([]*koodrive.User, len(out.List))
	for i := range out.List {
		users[i] = out.List[i].user()
	}
	return users, out.Total, out.NextCursor, nil
}

// FindUsers returns a page of users and the number matching (GET
// /userList), by offset or, when f.Cursor is set, after that cursor.
// [Client.AllUsers] walks every page.
func (s *UserService) FindUsers(ctx context.Context, _ koodrive.Actor, f koodrive.UserFilter) ([]*koodrive.User, int, error) {
	users, total, _, err := s.findUsers(ctx, f)
	return users, total, err
}

// CountUsers counts the users in a department's subtree, or every user the
// caller may read for 0 (GET /users/count).
func (s *UserService) CountUsers(ctx context.Context, _ koodrive.Actor, deptID koodrive.ID) (int, error) {
	q := url.Values{}
	setID(q, "deptId", deptID)
	var out struct {
		Total int `json:"total"`
	}
	if err := s.c.do(ctx, request{method: http.MethodGet, path: oseV1 + "/users/count", query: q}, &out); err != nil {
		return 0, err
	}
	return out.Total, nil
}

// updateUserRequest sends only what changes; "" clears mobile and email.
type updateUserRequest struct {
	DeptID *koodrive.ID `json:"deptId,omitempty"`
	Role   *int         `json:"role,omitempty"`
	Status *int         `json:"status,omitempty"`
	Name   *string      `json:"name,omitempty"`
	Mobile *string      `json:"mobile,omitempty"`
	Email  *string      `json:"email,omitempty"`
}

// UpdateUser changes a user (PUT /users/{id}) and returns it as it now is.
func (s *UserService) UpdateUser(ctx context.Context, _ koodrive.Actor, id koodrive.ID, in koodrive.UserUpdate) (*koodrive.User, error) {
	req := updateUserRequest{DeptID: in.DeptID, Name: in.Name, Mobile: in.Mobile, Email: in.Email}
	if in.Role != nil {
		r := int(*in.Role)
		req.Role = &r
	}
	if in.Status != nil {
		st := int(*in.Status)
		req.Status = &st
	}
	var out dataBody[userJSON]
	if err := s.c.do(ctx, request{method: http.MethodPut, path: userPath(id), body: req}, &out); err != nil {
		return nil, err
	}
	return out.Data.user(), nil
}

// DeleteUser deletes a disabled or not activated user (DELETE /users/{id}).
func (s *UserService) DeleteUser(ctx context.Context, _ koodrive.Actor, id koodrive.ID) error {
	return s.c.do(ctx, request{method: http.MethodDelete, path: userPath(id)}, nil)
}

// FindUserMobile returns a user's full mobile number (GET
// /users/mobile/{id}); "" when the user has none.
func (s *UserService) FindUserMobile(ctx context.Context, id koodrive.ID) (string, error) {
	var out struct {
		Mobile string `json:"mobile"`
	}
	if err := s.c.do(ctx, request{method: http.MethodGet, path: oseV1 + "/users/mobile/" + id.String()}, &out); err != nil {
		return "", err
	}
	return out.Mobile, nil
}
