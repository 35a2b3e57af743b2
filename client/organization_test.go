package client_test

import (
	"reflect"
	"testing"

	"github.com/koodrive/koodrive"
)

func TestOrganization(t *testing.T) {
	org := `{"code":0,"msg":"success","data":{"id":"9","name":"Acme","rootDeptId":"8","capacityGb":1024,"allocatedGb":15,"unallocatedGb":1009,"userCount":3,"maxUsers":100}}`
	f := newFake(t).on("GET /koodrive/admin/v1/organization", org).on("PUT /koodrive/admin/v1/organization", org)
	orgs := f.client().Organization()
	want := &koodrive.Organization{ID: 9, Name: "Acme", RootDeptID: 8, CapacityGB: 1024, AllocatedGB: 15, UserCount: 3, MaxUsers: 100}

	o, err := orgs.FindOrganization(ctx)
	wantNoErr(t, err)
	if !reflect.DeepEqual(o, want) {
		t.Errorf("organization %+v, want %+v", o, want)
	}

	name, users := "Acme", int64(100)
	o, err = orgs.UpdateOrganization(ctx, koodrive.Actor{}, koodrive.OrganizationUpdate{Name: &name, MaxUsers: &users})
	wantNoErr(t, err)
	wantJSON(t, f.last().Body, `{"name":"Acme","maxUsers":100}`)
	if !reflect.DeepEqual(o, want) {
		t.Errorf("organization %+v, want %+v", o, want)
	}
}
