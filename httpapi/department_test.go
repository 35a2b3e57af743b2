package httpapi_test

import (
	"context"
	"testing"

	"github.com/koodrive/koodrive"
	"github.com/koodrive/koodrive/httpapi"
)

func TestUpdateDepartment(t *testing.T) {
	var got koodrive.DepartmentUpdate
	var gotID koodrive.ID
	depts := &DepartmentService{UpdateDepartmentFn: func(_ context.Context, _ koodrive.Actor, id koodrive.ID, in koodrive.DepartmentUpdate) (*koodrive.Department, error) {
		got, gotID = in, id
		if in.Name == "Deep" {
			return nil, koodrive.NewError(koodrive.EMAXLEVELS, "parentId", koodrive.MsgMaxLevelsMove, koodrive.Params{"Max": 5, "Depth": 6})
		}
		if in.Name == "Taken" {
			return nil, koodrive.NewError(koodrive.ECONFLICT, "name", koodrive.MsgDeptTaken, koodrive.Params{"Name": in.Name})
		}
		return &koodrive.Department{ID: id, Name: in.Name, ParentID: in.ParentID}, nil
	}}
	h := newServer(t, httpapi.Services{Departments: depts})

	for _, tc := range []struct {
		name, body string
		parent     koodrive.ID
	}{
		{"OKParentString", `{"name": "Sales", "parentId": "1575416580416769793"}`, bigID},
		{"OKParentNumber", `{"name": "Sales", "parentId": 1575416580416769793}`, bigID},
		{"OKRootParentString0", `{"name": "Org", "parentId": "0"}`, 0},
		{"OKRootParentNumber0", `{"name": "Org", "parentId": 0}`, 0},
		{"OKParentAbsent", `{"name": "Org"}`, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, h, "PUT", "/departments/1575416580416769793", tc.body)
			r.wantOK(t)
			wantKeys(t, r.Body, "code", "msg")
			if gotID != bigID || got.ParentID != tc.parent {
				t.Errorf("id %d, parent %d; want %d, %d", gotID, got.ParentID, bigID, tc.parent)
			}
		})
	}

	for _, tc := range []struct {
		name, path, body string
		status           int
		code             koodrive.Code
	}{
		{"ErrParentNegative", "/departments/5", `{"name": "x", "parentId": "-1"}`, 400, koodrive.CodeInvalidParameter},
		{"ErrParentType", "/departments/5", `{"name": "x", "parentId": true}`, 400, koodrive.CodeBadRequest},
		{"ErrNameType", "/departments/5", `{"name": 1, "parentId": "1"}`, 400, koodrive.CodeBadRequest},
		{"ErrPathID", "/departments/0", `{"name": "x"}`, 400, koodrive.CodeInvalidParameter},
		{"ErrMaxLevels", "/departments/5", `{"name": "Deep", "parentId": "1"}`, 400, koodrive.CodeMaxLevels},
		{"ErrConflict", "/departments/5", `{"name": "Taken", "parentId": "1"}`, 409, koodrive.CodeInvalidParameter},
	} {
		t.Run(tc.name, func(t *testing.T) {
			do(t, h, "PUT", tc.path, tc.body).wantError(t, tc.status, tc.code)
		})
	}
}

func TestDeleteDepartment(t *testing.T) {
	var gotID koodrive.ID
	depts := &DepartmentService{DeleteDepartmentFn: func(_ context.Context, _ koodrive.Actor, id koodrive.ID) error {
		gotID = id
		switch id {
		case 404:
			return koodrive.NewError(koodrive.ENOTFOUND, "departmentId", koodrive.MsgDeptNotFound, koodrive.Params{"ID": "404"})
		case 400:
			return koodrive.Invalid("departmentId", koodrive.MsgDeptNotEmpty, koodrive.Params{"Users": 1, "Children": 0})
		}
		return nil
	}}
	h := newServer(t, httpapi.Services{Departments: depts})

	t.Run("OK", func(t *testing.T) {
		r := do(t, h, "DELETE", "/departments/1575416580416769793", "")
		r.wantOK(t)
		wantKeys(t, r.Body, "code", "msg")
		if gotID != bigID {
			t.Errorf("id %d, want %d", gotID, bigID)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		do(t, h, "DELETE", "/departments/404", "").wantError(t, 404, koodrive.CodeNotFound)
	})
	t.Run("ErrNotEmpty", func(t *testing.T) {
		do(t, h, "DELETE", "/departments/400", "").wantError(t, 400, koodrive.CodeInvalidParameter)
	})
}
