package client

import (
	"context"
	"net/http"
	"net/url"

	"github.com/koodrive/koodrive"
)

var _ koodrive.DepartmentService = (*DepartmentService)(nil)

// DepartmentService is koodrive.DepartmentService over
// /koodrive/ose/v1/departments and /departmentList. Its methods ignore the
// Actor argument. The API does not answer a department's Path, Level or
// timestamps, so the departments it returns have none.
type DepartmentService struct{ c *Client }

// Departments returns the department service.
func (c *Client) Departments() *DepartmentService { return &DepartmentService{c} }

// departmentJSON is the server's departmentInfo; deptId repeats id and
// tenantId orgId.
type departmentJSON struct {
	ID       wireID `json:"id"`
	OrgID    wireID `json:"orgId"`
	ParentID wireID `json:"parentId"` // "0" for the root
	Name     string `json:"name"`
}

func (d *departmentJSON) department() *koodrive.Department {
	return &koodrive.Department{ID: koodrive.ID(d.ID), OrgID: koodrive.ID(d.OrgID), ParentID: koodrive.ID(d.ParentID), Name: d.Name}
}

func departmentPath(id koodrive.ID) string { return oseV1 + "/departments/" + id.String() }

// departmentRequest is the body of both create and update; KooDrive sends
// both fields every time, and the root's parentId as "0".
type departmentRequest struct {
	Name     string      `json:"name"`
	ParentID koodrive.ID `json:"parentId"`
}

// CreateDepartment creates a department (POST /departments). The answer
// holds only the new ID; the department returned has it with the name and
// parent asked for.
func (s *DepartmentService) CreateDepartment(ctx context.Context, _ koodrive.Actor, in koodrive.DepartmentCreate) (*koodrive.Department, error) {
	var out dataBody[struct {
		ID wireID `json:"id"`
	}]
	req := request{method: http.MethodPost, path: oseV1 + "/departments", body: departmentRequest{in.Name, in.ParentID}}
	if err := s.c.do(ctx, req, &out); err != nil {
		return nil, err
	}
	return &koodrive.Department{ID: koodrive.ID(out.Data.ID), ParentID: in.ParentID, Name: in.Name}, nil
}

// FindDepartmentByID returns one department (GET /departments/{id}).
func (s *DepartmentService) FindDepartmentByID(ctx context.Context, _ koodrive.Actor, id koodrive.ID) (*koodrive.Department, error) {
	var out departmentJSON // at the top level, beside code and msg
	if err := s.c.do(ctx, request{method: http.MethodGet, path: departmentPath(id)}, &out); err != nil {
		return nil, err
	}
	return out.department(), nil
}

// FindDepartments returns the children of f.ParentID, or the root alone
// for 0 (GET /departmentList).
func (s *DepartmentService) FindDepartments(ctx context.Context, _ koodrive.Actor, f koodrive.DepartmentFilter) ([]*koodrive.Department, error) {
	q := url.Values{}
	setID(q, "departmentId", f.ParentID)
	if f.KeyWord != "" {
		q.Set("keyWord", f.KeyWord)
	}
	var out struct {
		List []departmentJSON `json:"list"`
	}
	if err := s.c.do(ctx, request{method: http.MethodGet, path: oseV1 + "/departmentList", query: q}, &out); err != nil {
		return nil, err
	}
	depts := make([]*koodrive.Department, len(out.List))
	for i := range out.List {
		depts[i] = out.List[i].department()
	}
	return depts, nil
}

// UpdateDepartment renames or moves a department (PUT /departments/{id});
// ParentID 0 is the root's "0". The answer carries no department, so the
// one returned is the request's: ID, name and parent.
func (s *DepartmentService) UpdateDepartment(ctx context.Context, _ koodrive.Actor, id koodrive.ID, in koodrive.DepartmentUpdate) (*koodrive.Department, error) {
	req := request{method: http.MethodPut, path: departmentPath(id), body: departmentRequest{in.Name, in.ParentID}}
	if err := s.c.do(ctx, req, nil); err != nil {
		return nil, err
	}
	return &koodrive.Department{ID: id, ParentID: in.ParentID, Name: in.Name}, nil
}

// DeleteDepartment deletes an empty department (DELETE /departments/{id}).
func (s *DepartmentService) DeleteDepartment(ctx context.Context, _ koodrive.Actor, id koodrive.ID) error {
	return s.c.do(ctx, request{method: http.MethodDelete, path: departmentPath(id)}, nil)
}
