package httpapi

import (
	"net/http"
	"strings"

	"github.com/koodrive/koodrive"
)

// departmentJSON is KooDrive's departmentInfo. koodrive has no separate
// OrgID directory, so deptId repeats id and tenantId repeats orgId.
type departmentJSON struct {
	ID       koodrive.ID `json:"id"`
	OrgID    koodrive.ID `json:"orgId"`
	DeptID   koodrive.ID `json:"deptId"`
	ParentID koodrive.ID `json:"parentId"` // "0" for the root
	Name     string      `json:"name"`
	TenantID koodrive.ID `json:"tenantId"`
}

func toDepartmentJSON(d *koodrive.Department) departmentJSON {
	return departmentJSON{ID: d.ID, OrgID: d.OrgID, DeptID: d.ID, ParentID: d.ParentID, Name: d.Name, TenantID: d.OrgID}
}

type createDepartmentRequest struct {
	Name     string `json:"name"`
	ParentID scalar `json:"parentId"`
}

type createdJSON struct {
	ID koodrive.ID `json:"id"`
}

func (s *Server) createDepartment(w http.ResponseWriter, r *http.Request, a koodrive.Actor) error {
	var req createDepartmentRequest
	if err := decodeBody(w, r, &req); err != nil {
		return err
	}
	parent, err := req.ParentID.id("parentId")
	if err != nil {
		return err
	}
	d, err := s.svc.Departments.CreateDepartment(r.Context(), a, koodrive.DepartmentCreate{Name: req.Name, ParentID: parent})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, dataBody[createdJSON]{s.success(r), createdJSON{ID: d.ID}})
	return nil
}

// departmentBody is GET /departments/{id}: the department's fields at the top
// level beside code and msg, as KooDrive returns them.
type departmentBody struct {
	departmentJSON
	envelope
}

func (s *Server) getDepartment(w http.ResponseWriter, r *http.Request, a koodrive.Actor) error {
	id, err := pathID(r, "departmentId")
	if err != nil {
		return err
	}
	d, err := s.svc.Departments.FindDepartmentByID(r.Context(), a, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, departmentBody{toDepartmentJSON(d), s.success(r)})
	return nil
}

type departmentListBody struct {
	envelope
	List []departmentJSON `json:"list"`
}

func (s *Server) listDepartments(w http.ResponseWriter, r *http.Request, a koodrive.Actor) error {
	var f koodrive.DepartmentFilter
	var err error
	if f.ParentID, err = queryID(r, "departmentId"); err != nil {
		return err
	}
	if f.KeyWord, err = queryKeyWord(r, "keyWord"); err != nil {
		return err
	}
	depts, err := s.svc.Departments.FindDepartments(r.Context(), a, f)
	if err != nil {
		return err
	}
	list := make([]departmentJSON, len(depts))
	for i, d := range depts {
		list[i] = toDepartmentJSON(d)
	}
	writeJSON(w, http.StatusOK, departmentListBody{s.success(r), list})
	return nil
}

type updateDepartmentRequest struct {
	Name     string `json:"name"`
	ParentID scalar `json:"parentId"`
}

func (s *Server) updateDepartment(w http.ResponseWriter, r *http.Request, a koodrive.Actor) error {
	id, err := pathID(r, "departmentId")
	if err != nil {
		return err
	}
	var req updateDepartmentRequest
	if err := decodeBody(w, r, &req); err != nil {
		return err
	}
	in := koodrive.DepartmentUpdate{Name: req.Name}
	// KooDrive sends both fields every time, so a client renaming the root
	// sends the root's parentId, which is "0": no parent, not a bad ID.
	if strings.TrimSpace(req.ParentID.text) != "0" {
		if in.ParentID, err = req.ParentID.id("parentId"); err != nil {
			return err
		}
	}
	if _, err := s.svc.Departments.UpdateDepartment(r.Context(), a, id, in); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.success(r))
	return nil
}

func (s *Server) deleteDepartment(w http.ResponseWriter, r *http.Request, a koodrive.Actor) error {
	id, err := pathID(r, "departmentId")
	if err != nil {
		return err
	}
	if err := s.svc.Departments.DeleteDepartment(r.Context(), a, id); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.success(r))
	return nil
}
