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

type userListBody struct {
	envelope
	List  []userJSON `json:"list"`
	Total int        `json:"total"`
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
	if f.Offset, err = queryInt(r, "offset", 0, 1<<31-1, true, 0); err != nil {
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
	list := make([]userJSON, len(users))
	for i, u := range users {
		list[i] = toUserJSON(u)
	}
	writeJSON(w, http.StatusOK, userListBody{s.success(r), list, total})
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
