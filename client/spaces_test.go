package client_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/koodrive/koodrive"
	"github.com/koodrive/koodrive/client"
)

const container = "0123456789abcdef0123456789abcdef01234567"

const personalSpaceJSON = `{"type":1,"status":0,"ownerId":"1575416580416769793","containerId":"` + container + `",` +
	`"bizRootFileId":"root` + container + `","bizSboxFileId":"sbox` + container + `","rootFileId":"root` + container + `",` +
	`"capacity":10,"spaceUsed":2048,"tenantId":"9","creator":"3","modifier":"4","operatorId":"4"}`

var personalSpace = &koodrive.Space{
	ContainerID: container, Type: koodrive.SpacePersonal, OwnerID: bigID, OrgID: 9, CapacityGB: 10, UsedBytes: 2048,
	Status: koodrive.SpaceNormal, Allocated: true, CreatedBy: 3, UpdatedBy: 4,
}

func TestSpaces(t *testing.T) {
	space := `{"code":0,"msg":"success","data":` + personalSpaceJSON + `}`
	f := newFake(t).
		on("POST /koodrive/ose/v1/space/1575416580416769793", space).
		on("GET /koodrive/ose/v1/space/1575416580416769793", space).
		on("PUT /koodrive/ose/v1/space/1575416580416769793", space).
		on("DELETE /koodrive/ose/v1/space/1575416580416769793", ok).
		on("GET /koodrive/ose/v1/space/userList", `{"code":0,"msg":"success","total":"2","users":[`+
			`{"name":"Ann","deptId":"8","deptName":"Org","mobile":"","role":1,"status":0,"containerId":"`+container+`","capacity":10,"spaceUsed":2048,"tenantId":"9","id":"1575416580416769793","userId":"ann","spaceStatus":1},`+
			`{"name":"Bob","deptId":"8","deptName":"Org","mobile":"","role":1,"status":2,"containerId":"","capacity":0,"spaceUsed":0,"tenantId":"9","id":"6","userId":"bob"}]}`).
		on("GET /koodrive/ose/v1/space/departmentList", `{"code":0,"msg":"success","total":"2","departments":[`+
			`{"id":"8","parentId":"0","name":"Org","tenantId":"9","ownerId":"8","status":0,"capacity":0,"spaceUsed":0,"containerId":"`+container+`","userNum":3},`+
			`{"id":"10","parentId":"8","name":"Sales","tenantId":"9","ownerId":"10","status":1,"capacity":5,"spaceUsed":7,"containerId":"`+container+`","userNum":0}]}`).
		on("GET /koodrive/ose/v1/service/quotaUsed", `{"code":0,"msg":"success","data":{"spaceCapacity":1024,"spaceQuotaUsed":1,"spaceUsed":2055,`+
			`"userCount":3,"userMaxCount":10000,"deptSpaceQuota":5,"personalSpaceQuota":10,"groupSpaceQuota":0,"reservedSpaceQuota":1009,`+
			`"deptSpaceUsed":7,"personalSpaceUsed":2048,"groupSpaceUsed":0,"deptSpaceQuotaUsed":1,"personalSpaceQuotaUsed":1,"groupSpaceQuotaUsed":0,`+
			`"packageDownloadExpires":"","productType":""}}`).
		on("GET /koodrive/ose/v1/space/allocation/get", `{"code":0,"msg":"success","data":[`+
			`{"type":0,"allocateCapacity":5,"totalCapacity":1024},{"type":1,"allocateCapacity":10,"totalCapacity":1024},{"type":2,"allocateCapacity":0,"totalCapacity":1024}]}`).
		on("GET /koodrive/ose/v1/space/usage/overview", `{"code":0,"msg":"success","data":{"totalAllocation":15,"totalCapacity":1024,"totalUsed":3,"quota":1009}}`).
		on("PUT /koodrive/admin/v1/spaces/"+container+"/usage", ok)
	spaces := f.client().Spaces()

	t.Run("CreateSpace", func(t *testing.T) {
		sp, err := spaces.CreateSpace(ctx, koodrive.Actor{}, koodrive.SpaceCreate{OwnerID: bigID, Type: koodrive.SpacePersonal, CapacityGB: 10})
		wantNoErr(t, err)
		wantJSON(t, f.last().Body, `{"capacity":"10","type":1}`)
		if !reflect.DeepEqual(sp, personalSpace) {
			t.Errorf("space %+v, want %+v", sp, personalSpace)
		}
	})

	t.Run("FindSpace", func(t *testing.T) {
		sp, err := spaces.FindSpace(ctx, koodrive.Actor{}, bigID, koodrive.SpacePersonal)
		wantNoErr(t, err)
		wantCall(t, f.last(), "GET", "/koodrive/ose/v1/space/1575416580416769793", "type", "1")
		if !reflect.DeepEqual(sp, personalSpace) {
			t.Errorf("space %+v, want %+v", sp, personalSpace)
		}
	})

	t.Run("UpdateSpace", func(t *testing.T) {
		capacity, status := int64(12), koodrive.SpaceDisabled
		_, err := spaces.UpdateSpace(ctx, koodrive.Actor{}, koodrive.SpaceUpdate{OwnerID: bigID, Type: koodrive.SpacePersonal, CapacityGB: &capacity, Status: &status})
		wantNoErr(t, err)
		wantJSON(t, f.last().Body, `{"type":1,"capacity":"12","status":1}`)
		_, err = spaces.UpdateSpace(ctx, koodrive.Actor{}, koodrive.SpaceUpdate{OwnerID: bigID, Type: koodrive.SpaceDepartment})
		wantNoErr(t, err)
		wantJSON(t, f.last().Body, `{"type":0}`)
	})

	t.Run("DeleteSpace", func(t *testing.T) {
		wantNoErr(t, spaces.DeleteSpace(ctx, koodrive.Actor{}, bigID, koodrive.SpaceDepartment))
		wantCall(t, f.last(), "DELETE", "/koodrive/ose/v1/space/1575416580416769793", "type", "0")
	})

	t.Run("FindUserSpaces", func(t *testing.T) {
		st := koodrive.SpaceDisabled
		items, total, err := spaces.FindUserSpaces(ctx, koodrive.Actor{}, koodrive.SpaceFilter{UserFilter: koodrive.UserFilter{DeptID: 8, Offset: 0, Limit: 50}, Status: &st})
		wantNoErr(t, err)
		wantCall(t, f.last(), "GET", "/koodrive/ose/v1/space/userList", "offset", "0", "limit", "50", "deptId", "8", "spaceStatus", "1")
		if total != 2 || len(items) != 2 {
			t.Fatalf("%d items, total %d; want 2, 2", len(items), total)
		}
		wantUser := &koodrive.User{ID: bigID, OrgID: 9, UserID: "ann", Name: "Ann", DeptID: 8, DeptName: "Org", Role: koodrive.RoleUser}
		wantSpace := &koodrive.Space{ContainerID: container, Type: koodrive.SpacePersonal, OwnerID: bigID, OrgID: 9, CapacityGB: 10, UsedBytes: 2048, Status: koodrive.SpaceDisabled, Allocated: true}
		if !reflect.DeepEqual(items[0].User, wantUser) || !reflect.DeepEqual(items[0].Space, wantSpace) {
			t.Errorf("item %+v %+v, want %+v %+v", items[0].User, items[0].Space, wantUser, wantSpace)
		}
		if items[1].Space != nil || items[1].User.Status != koodrive.StatusNotActivated {
			t.Errorf("bob %+v with space %+v, want no space", items[1].User, items[1].Space)
		}
	})

	t.Run("ErrFindUserSpacesCursor", func(t *testing.T) {
		_, _, err := spaces.FindUserSpaces(ctx, koodrive.Actor{}, koodrive.SpaceFilter{UserFilter: koodrive.UserFilter{Cursor: 5, Limit: 50}})
		if koodrive.ErrorKind(err) != koodrive.EINVALID || !errors.Is(err, errors.ErrUnsupported) {
			t.Errorf("error %v, want EINVALID and unsupported", err)
		}
	})

	t.Run("FindDepartmentSpaces", func(t *testing.T) {
		items, total, err := spaces.FindDepartmentSpaces(ctx, koodrive.Actor{}, "S", 0, 20)
		wantNoErr(t, err)
		wantCall(t, f.last(), "GET", "/koodrive/ose/v1/space/departmentList", "offset", "0", "limit", "20", "keyWord", "S")
		if total != 2 || len(items) != 2 {
			t.Fatalf("%d items, total %d; want 2, 2", len(items), total)
		}
		want := koodrive.DepartmentSpace{
			Department: &koodrive.Department{ID: 10, OrgID: 9, ParentID: 8, Name: "Sales"},
			Space: &koodrive.Space{ContainerID: container, Type: koodrive.SpaceDepartment, OwnerID: 10, OrgID: 9, CapacityGB: 5, UsedBytes: 7,
				Status: koodrive.SpaceDisabled, Allocated: true},
		}
		if !reflect.DeepEqual(items[1], want) {
			t.Errorf("item %+v %+v, want %+v %+v", items[1].Department, items[1].Space, want.Department, want.Space)
		}
		if items[0].UserCount != 3 || items[0].Space.Allocated || items[0].Department.ParentID != 0 {
			t.Errorf("root %+v %+v, want 3 users, an unallocated space, parent 0", items[0], items[0].Space)
		}
	})

	t.Run("Usage", func(t *testing.T) {
		u, err := spaces.Usage(ctx, koodrive.Actor{})
		wantNoErr(t, err)
		want := &koodrive.Usage{CapacityGB: 1024, AllocatedGB: 15, UsedBytes: 2055, UserCount: 3, MaxUsers: 10000, ByType: [3]koodrive.KindTotals{
			{AllocatedGB: 5, UsedBytes: 7}, {AllocatedGB: 10, UsedBytes: 2048}, {},
		}}
		if !reflect.DeepEqual(u, want) {
			t.Errorf("usage %+v, want %+v", u, want)
		}
	})

	t.Run("Allocations", func(t *testing.T) {
		a, err := spaces.Allocations(ctx)
		wantNoErr(t, err)
		want := []client.Allocation{{koodrive.SpaceDepartment, 5, 1024}, {koodrive.SpacePersonal, 10, 1024}, {koodrive.SpaceGroup, 0, 1024}}
		if !reflect.DeepEqual(a, want) {
			t.Errorf("allocations %+v, want %+v", a, want)
		}
	})

	t.Run("UsageOverview", func(t *testing.T) {
		o, err := spaces.UsageOverview(ctx)
		wantNoErr(t, err)
		if want := (client.UsageOverview{TotalCapacityGB: 1024, TotalAllocationGB: 15, TotalUsedKB: 3, QuotaGB: 1009}); *o != want {
			t.Errorf("overview %+v, want %+v", *o, want)
		}
	})

	t.Run("ReportUsage", func(t *testing.T) {
		wantNoErr(t, spaces.ReportUsage(ctx, koodrive.Actor{}, container, 1<<40))
		wantCall(t, f.last(), "PUT", "/koodrive/admin/v1/spaces/"+container+"/usage")
		wantJSON(t, f.last().Body, `{"spaceUsed":1099511627776}`)
	})
}
