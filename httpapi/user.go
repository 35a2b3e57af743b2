package httpapi

import (
	"net/http"

	"github.com/koodrive/koodrive"
)

// userJSON is KooDrive's userInfo, plus email.
type userJSON struct {
	ID       koodrive.ID `json:"id"`
	UserID   string      `json:"userId"`
	Name     string      `json:"name"`
	Mobile   string      `json:"mobile"`
	Email    string      `json:"email"`
	DeptID   koodrive.ID `json:"deptId"`
	DeptName string      `json:"deptName"`
	Role     int         `json:"role"`
	Status   int         `json:"status"`
	OrgID    koodrive.ID `json:"orgId"`
}

func toUserJSON(u *koodrive.User) userJSON {
	return userJSON{
		ID: u.ID, UserID: u.UserID, Name: u.Name, Mobile: u.Mobile, Email: u.Email,
		DeptID: u.DeptID, DeptName: u.DeptName, Role: int(u.Role), Status: int(u.Status), OrgID: u.OrgID,
	}
}

// createUserRequest is the body of POST /users. name, mobile and email go
// beyond KooDrive's body, for directories that have them.
type createUserRequest struct {
	UserID            string `json:"userId"`
	Name              string `json:"name"`
	Mobile            string `json:"mobile"`
	Email             string `json:"email"`
	ModifyUserInfoReq *struct {
		DeptID scalar `json:"deptId"`
		Role   scalar `json:"role"`
	} `json:"modifyUserInfoReq"`
}

type createdUserJSON struct {
	ID     koodrive.ID `json:"id"`
	DeptID koodrive.ID `json:"deptId"`
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request, a koodrive.Actor) error {
	var req createUserRequest
	if err := decodeBody(w, r, &req); err != nil {
		return err
	}
	in := koodrive.UserCreate{UserID: req.UserID, Name: req.Name, Mobile: req.Mobile, Email: req.Email}
	if m := req.ModifyUserInfoReq; m != nil {
		var err error
		if in.DeptID, err = m.DeptID.id("modifyUserInfoReq.deptId"); err != nil {
			return err
		}
		if in.Role, err = m.Role.role("modifyUserInfoReq.role"); err != nil {
			return err
		}
	}
	u, err := s.svc.Users.CreateUser(r.Context(), a, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, dataBody[createdUserJSON]{s.success(r), createdUserJSON{ID: u.ID, DeptID: u.DeptID}})
	return nil
}

func (s *Server) getUser(w http.ResponseWriter, r *http.Request, a koodrive.Actor) error {
	id, err := pathID(r, "userId")
	if err != nil {
		return err
	}
	u, err := s.svc.Users.FindUserByID(r.Context(), a, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, dataBody[userJSON]{s.success(r), toUserJSON(u)})
	return nil
}

// userListBody is GET /userList. nextCursor is koodrive's: present when the
// page is full, so that a client can go on from the last user without
// offset paging skipping or repeating users added or removed meanwhile.
type userListBody struct {
	envelope
	List       []userJSON `json:"list"`
	Total      int        `json:"total"`
	NextCursor string     `json:"nextCursor,omitempty"`
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request, a koodrive.Actor) error {
	var f koodrive.UserFilter
	var err error
	if f.DeptID, err = queryID(r, "deptId"); err != nil {
		return err
	}
	if f.Direct, err = queryBool(r, "isDirect"); err != nil {
		return err
	}
	if f.Cursor, err = queryID(r, "cursor"); err != nil {
		return err
	}
	// KooDrive requires offset; a cursor replaces it, so a client paging
	// by cursor need not send offset=0 as well.
	if f.Offset, err = queryInt(r, "offset", 0, 1<<31-1, f.Cursor == 0, 0); err != nil {
		return err
	}
	if f.Limit, err = queryInt(r, "limit", 1, koodrive.MaxPageSize, true, 0); err != nil {
		return err
	}
	if f.KeyWord, err = queryKeyWord(r, "keyWord"); err != nil {
		return err
	}
	users, total, err := s.svc.Users.FindUsers(r.Context(), a, f)
	if err != nil {
		return err
	}
	body := userListBody{envelope: s.success(r), List: make([]userJSON, len(users)), Total: total}
	for i, u := range users {
		body.List[i] = toUserJSON(u)
	}
	if len(users) == f.Limit {
		body.NextCursor = users[len(users)-1].ID.String()
	}
	writeJSON(w, http.StatusOK, body)
	return nil
}

type totalBody struct {
	envelope
	Total int `json:"total"`
}

func (s *Server) countUsers(w http.ResponseWriter, r *http.Request, a koodrive.Actor) error {
	deptID, err := queryID(r, "deptId")
	if err != nil {
		return err
	}
	n, err := s.svc.Users.CountUsers(r.Context(), a, deptID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, totalBody{s.success(r), n})
	return nil
}

// updateUserRequest is the body of PUT /users/{userId}. KooDrive types
// deptId as Long and role and status as Integer; like create, both
// encodings are taken. name, mobile and email are koodrive's: present sets
// the value, "" clears mobile and email, absent (or null) keeps it.
type updateUserRequest struct {
	DeptID scalar  `json:"deptId"`
	Role   scalar  `json:"role"`
	Status scalar  `json:"status"`
	Name   *string `json:"name"`
	Mobile *string `json:"mobile"`
	Email  *string `json:"email"`
}

func (s *Server) updateUser(w http.ResponseWriter, r *http.Request, a koodrive.Actor) error {
	id, err := pathID(r, "userId")
	if err != nil {
		return err
	}
	var req updateUserRequest
	if err := decodeBody(w, r, &req); err != nil {
		return err
	}
	in := koodrive.UserUpdate{Name: req.Name, Mobile: req.Mobile, Email: req.Email}
	if req.DeptID.kind != 0 {
		dept, err := req.DeptID.id("deptId")
		if err != nil {
			return err
		}
		in.DeptID = &dept
	}
	if in.Role, err = req.Role.role("role"); err != nil {
		return err
	}
	if in.Status, err = req.Status.status("status"); err != nil {
		return err
	}
	u, err := s.svc.Users.UpdateUser(r.Context(), a, id, in)
	if err != nil {
		return err
	}
	// KooDrive answers code and msg only; the user as it now is spares the
	// client a second request.
	writeJSON(w, http.StatusOK, dataBody[userJSON]{s.success(r), toUserJSON(u)})
	return nil
}

func (s *Server) deleteUser(w http.ResponseWriter, r *http.Request, a koodrive.Actor) error {
	id, err := pathID(r, "userId")
	if err != nil {
		return err
	}
	if err := s.svc.Users.DeleteUser(r.Context(), a, id); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.success(r))
	return nil
}

type mobileBody struct {
	envelope
	Mobile string `json:"mobile"`
}

// getUserMobile is KooDrive's phone lookup; the number is not masked, as
// nowhere else (docs/compatibility.md, identity fields).
func (s *Server) getUserMobile(w http.ResponseWriter, r *http.Request, a koodrive.Actor) error {
	id, err := pathID(r, "userId")
	if err != nil {
		return err
	}
	u, err := s.svc.Users.FindUserByID(r.Context(), a, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, mobileBody{s.success(r), u.Mobile})
	return nil
}
