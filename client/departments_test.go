package client_test

import (
	"reflect"
	"testing"

	"github.com/koodrive/koodrive"
)

func TestDepartments(t *testing.T) {
	f := newFake(t).
		on("POST /koodrive/ose/v1/departments", `{"code":0,"msg":"success","data":{"id":"1575416580416769793"}}`).
		on("GET /koodrive/ose/v1/departments/1575416580416769793",
			`{"id":"1575416580416769793","orgId":"9","deptId":"1575416580416769793","parentId":"8","name":"Sales","tenantId":"9","code":0,"msg":"success"}`).
		on("GET /koodrive/ose/v1/departmentList",
			`{"code":0,"msg":"success","list":[{"id":"8","orgId":"9","deptId":"8","parentId":"0","name":"Organization","tenantId":"9"}]}`).
		on("PUT /koodrive/ose/v1/departments/8", ok).
		on("DELETE /koodrive/ose/v1/departments/1575416580416769793", ok)
	depts := f.client().Departments()

	t.Run("CreateDepartment", func(t *testing.T) {
		d, err := depts.CreateDepartment(ctx, koodrive.Actor{}, koodrive.DepartmentCreate{Name: "Sales", ParentID: 8})
		wantNoErr(t, err)
		wantCall(t, f.last(), "POST", "/koodrive/ose/v1/departments")
		wantJSON(t, f.last().Body, `{"name":"Sales","parentId":"8"}`)
		if want := (&koodrive.Department{ID: bigID, ParentID: 8, Name: "Sales"}); !reflect.DeepEqual(d, want) {
			t.Errorf("department %+v, want %+v", d, want)
		}
	})

	t.Run("FindDepartmentByID", func(t *testing.T) {
		d, err := depts.FindDepartmentByID(ctx, koodrive.Actor{}, bigID)
		wantNoErr(t, err)
		if want := (&koodrive.Department{ID: bigID, OrgID: 9, ParentID: 8, Name: "Sales"}); !reflect.DeepEqual(d, want) {
			t.Errorf("department %+v, want %+v", d, want)
		}
	})

	t.Run("FindDepartmentsRoot", func(t *testing.T) {
		list, err := depts.FindDepartments(ctx, koodrive.Actor{}, koodrive.DepartmentFilter{})
		wantNoErr(t, err)
		wantCall(t, f.last(), "GET", "/koodrive/ose/v1/departmentList")
		want := []*koodrive.Department{{ID: 8, OrgID: 9, Name: "Organization"}}
		if !reflect.DeepEqual(list, want) {
			t.Errorf("list %+v, want the root with parent 0", list)
		}
		_, err = depts.FindDepartments(ctx, koodrive.Actor{}, koodrive.DepartmentFilter{ParentID: 8, KeyWord: "Sa"})
		wantNoErr(t, err)
		wantCall(t, f.last(), "GET", "/koodrive/ose/v1/departmentList", "departmentId", "8", "keyWord", "Sa")
	})

	t.Run("UpdateRoot", func(t *testing.T) {
		d, err := depts.UpdateDepartment(ctx, koodrive.Actor{}, 8, koodrive.DepartmentUpdate{Name: "Acme"})
		wantNoErr(t, err)
		wantJSON(t, f.last().Body, `{"name":"Acme","parentId":"0"}`)
		if want := (&koodrive.Department{ID: 8, Name: "Acme"}); !reflect.DeepEqual(d, want) {
			t.Errorf("department %+v, want %+v", d, want)
		}
	})

	t.Run("DeleteDepartment", func(t *testing.T) {
		wantNoErr(t, depts.DeleteDepartment(ctx, koodrive.Actor{}, bigID))
		wantCall(t, f.last(), "DELETE", "/koodrive/ose/v1/departments/1575416580416769793")
	})
}
