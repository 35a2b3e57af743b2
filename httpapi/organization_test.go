package httpapi_test

import (
	"context"
	"testing"

	"github.com/koodrive/koodrive"
	"github.com/koodrive/koodrive/httpapi"
)

func TestOrganization(t *testing.T) {
	org := &koodrive.Organization{ID: bigID, Name: "Acme", RootDeptID: 100, CapacityGB: 1000, AllocatedGB: 300, UserCount: 12, MaxUsers: 50}
	var got koodrive.OrganizationUpdate
	var finds int
	orgs := &OrganizationService{
		FindOrganizationFn: func(context.Context) (*koodrive.Organization, error) {
			finds++
			return org, nil
		},
		UpdateOrganizationFn: func(_ context.Context, a koodrive.Actor, in koodrive.OrganizationUpdate) (*koodrive.Organization, error) {
			got = in
			if a.Role != koodrive.RoleSystemAdmin {
				return nil, koodrive.NewError(koodrive.EFORBIDDEN, "", koodrive.MsgForbiddenRole, nil)
			}
			if in.CapacityGB != nil && *in.CapacityGB < org.AllocatedGB {
				return nil, koodrive.Invalid("capacityGb", koodrive.MsgCapacityBelowAllocated, koodrive.Params{"Allocated": org.AllocatedGB})
			}
			return org, nil
		},
	}
	h := newServer(t, httpapi.Services{Organization: orgs})
	const path = "/koodrive/admin/v1/organization"
	orgFields := map[string]any{
		"id": bigID.String(), "name": "Acme", "rootDeptId": "100", "capacityGb": 1000, "allocatedGb": 300,
		"unallocatedGb": 700, "userCount": 12, "maxUsers": 50,
	}

	t.Run("OKGet", func(t *testing.T) {
		r := do(t, h, "GET", path, "")
		r.wantOK(t)
		d := r.data(t)
		wantKeys(t, d, "id", "name", "rootDeptId", "capacityGb", "allocatedGb", "unallocatedGb", "userCount", "maxUsers")
		wantFields(t, d, orgFields)
	})
	t.Run("ErrGetForbidden", func(t *testing.T) {
		finds = 0
		do(t, h, "GET", path, "", "Authorization", "Bearer u").wantError(t, 403, koodrive.CodeNoPermission)
		if finds != 0 {
			t.Errorf("FindOrganization called %d times for a common user", finds)
		}
	})
	t.Run("OKUpdate", func(t *testing.T) {
		r := do(t, h, "PUT", path, `{"name": "Acme Ltd", "capacityGb": 2000, "maxUsers": 60}`)
		r.wantOK(t)
		wantFields(t, r.data(t), orgFields)
		if got.Name == nil || *got.Name != "Acme Ltd" || got.CapacityGB == nil || *got.CapacityGB != 2000 || got.MaxUsers == nil || *got.MaxUsers != 60 {
			t.Errorf("update name %v capacity %v maxUsers %v; want Acme Ltd 2000 60", show(got.Name), show(got.CapacityGB), show(got.MaxUsers))
		}
	})
	t.Run("OKUpdateSome", func(t *testing.T) {
		do(t, h, "PUT", path, `{"maxUsers": 60}`).wantOK(t)
		if got.Name != nil || got.CapacityGB != nil || got.MaxUsers == nil {
			t.Errorf("update %+v, want maxUsers only", got)
		}
	})
	t.Run("ErrUpdateBelowAllocated", func(t *testing.T) {
		do(t, h, "PUT", path, `{"capacityGb": 10}`).wantError(t, 400, koodrive.CodeInvalidParameter, "300")
	})
	t.Run("ErrUpdateType", func(t *testing.T) {
		do(t, h, "PUT", path, `{"capacityGb": "10"}`).wantError(t, 400, koodrive.CodeBadRequest, "capacityGb")
	})
	t.Run("ErrUpdateForbidden", func(t *testing.T) {
		do(t, h, "PUT", path, `{"maxUsers": 60}`, "Authorization", "Bearer u").wantError(t, 403, koodrive.CodeNoPermission)
	})
	// Organization settings are koodrive's administration, like app
	// management: no app signature is taken there.
	t.Run("ErrAppAuth", func(t *testing.T) {
		r := do(t, h, "GET", path, "", "Authorization", "HMAC-SHA256 AppId=a,SignedHeaders=host,Signature=s")
		r.wantError(t, 401, koodrive.CodeBadRequest)
	})
}
