package httpapi_test

import (
	"context"
	"testing"

	"github.com/koodrive/koodrive"
	"github.com/koodrive/koodrive/httpapi"
)

func someSpace(owner koodrive.ID, t koodrive.SpaceType, capacity int64) *koodrive.Space {
	return &koodrive.Space{
		ContainerID: "C42", Type: t, OwnerID: owner, OrgID: 9, CapacityGB: capacity, UsedBytes: 654777,
		Status: koodrive.SpaceNormal, Allocated: true, CreatedBy: admin.ID, UpdatedBy: bigID,
	}
}

// spaceKeys are the fields of KooDrive's createSpaceRspInfo and SpaceInfo.
var spaceKeys = []string{"type", "status", "ownerId", "containerId", "bizRootFileId", "bizSboxFileId", "rootFileId",
	"capacity", "spaceUsed", "tenantId", "creator", "modifier", "operatorId"}

func TestCreateSpace(t *testing.T) {
	var got koodrive.SpaceCreate
	spaces := &SpaceService{CreateSpaceFn: func(_ context.Context, _ koodrive.Actor, in koodrive.SpaceCreate) (*koodrive.Space, error) {
		got = in
		switch in.CapacityGB {
		case 999:
			return nil, koodrive.NewError(koodrive.EINSUFFICIENTSPACE, "capacity", koodrive.MsgInsufficientSpace, koodrive.Params{"Need": 999, "Left": 1})
		case 998:
			return nil, koodrive.NewError(koodrive.ECONFLICT, "ownerId", koodrive.MsgSpaceExists, nil)
		}
		return someSpace(in.OwnerID, in.Type, in.CapacityGB), nil
	}}
	h := newServer(t, httpapi.Services{Spaces: spaces})

	t.Run("OKShape", func(t *testing.T) {
		r := do(t, h, "POST", "/space/1575416580416769793", `{"capacity": "10", "type": 1, "capabilities": {"uploadPermission": true}}`)
		r.wantOK(t)
		d := r.data(t)
		wantKeys(t, d, spaceKeys...)
		wantFields(t, d, map[string]any{
			"type": 1, "status": 0, "ownerId": bigID.String(), "containerId": "C42",
			"bizRootFileId": "rootC42", "bizSboxFileId": "sboxC42", "rootFileId": "rootC42",
			"capacity": 10, "spaceUsed": 654777, "tenantId": "9",
			"creator": admin.ID.String(), "modifier": bigID.String(), "operatorId": bigID.String(),
		})
	})

	for _, tc := range []struct {
		name, body string
		want       koodrive.SpaceCreate
	}{
		{"OKCapacityString", `{"capacity": "10", "type": 0}`, koodrive.SpaceCreate{OwnerID: bigID, Type: koodrive.SpaceDepartment, CapacityGB: 10}},
		{"OKCapacityNumber", `{"capacity": 10, "type": 1}`, koodrive.SpaceCreate{OwnerID: bigID, Type: koodrive.SpacePersonal, CapacityGB: 10}},
		{"OKTypeString", `{"capacity": " 7 ", "type": "1"}`, koodrive.SpaceCreate{OwnerID: bigID, Type: koodrive.SpacePersonal, CapacityGB: 7}},
		// The range is the domain's to check (CheckAllocation).
		{"OKNegativeGoesToDomain", `{"capacity": -1, "type": 1}`, koodrive.SpaceCreate{OwnerID: bigID, Type: koodrive.SpacePersonal, CapacityGB: -1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			do(t, h, "POST", "/space/1575416580416769793", tc.body).wantOK(t)
			if got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}

	for _, tc := range []struct {
		name, path, body string
		status           int
		code             koodrive.Code
		parts            []string
	}{
		{"ErrTypeMissing", "/space/5", `{"capacity": "10"}`, 400, koodrive.CodeInvalidParameter, []string{"type is required"}},
		{"ErrTypeNull", "/space/5", `{"capacity": "10", "type": null}`, 400, koodrive.CodeInvalidParameter, []string{"type is required"}},
		{"ErrTypeGroup", "/space/5", `{"capacity": "10", "type": 2}`, 400, koodrive.CodeInvalidParameter, []string{"type must be 0"}},
		{"ErrTypeText", "/space/5", `{"capacity": "10", "type": "personal"}`, 400, koodrive.CodeInvalidParameter, []string{"type must be 0"}},
		{"ErrTypeType", "/space/5", `{"capacity": "10", "type": [1]}`, 400, koodrive.CodeBadRequest, []string{"type"}},
		{"ErrCapacityMissing", "/space/5", `{"type": 1}`, 400, koodrive.CodeInvalidParameter, []string{"capacity is required"}},
		{"ErrCapacityText", "/space/5", `{"capacity": "ten", "type": 1}`, 400, koodrive.CodeInvalidParameter, []string{"capacity", "0 to 104857600"}},
		{"ErrCapacityFraction", "/space/5", `{"capacity": 1.5, "type": 1}`, 400, koodrive.CodeInvalidParameter, []string{"capacity"}},
		{"ErrCapacityBeyond64Bits", "/space/5", `{"capacity": 99999999999999999999, "type": 1}`, 400, koodrive.CodeInvalidParameter, []string{"capacity"}},
		{"ErrCapacityType", "/space/5", `{"capacity": true, "type": 1}`, 400, koodrive.CodeBadRequest, []string{"capacity must be a JSON number"}},
		{"ErrOwnerID", "/space/x1", `{"capacity": 1, "type": 1}`, 400, koodrive.CodeInvalidParameter, []string{"ownerId"}},
		{"ErrBodyNotObject", "/space/5", `[1]`, 400, koodrive.CodeBadRequest, nil},
		{"ErrInsufficientSpace", "/space/5", `{"capacity": 999, "type": 1}`, 400, koodrive.CodeInsufficientSpace, []string{"999 GB"}},
		{"ErrExists", "/space/5", `{"capacity": 998, "type": 1}`, 409, koodrive.CodeInvalidParameter, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			do(t, h, "POST", tc.path, tc.body).wantError(t, tc.status, tc.code, tc.parts...)
		})
	}
}

func TestGetSpace(t *testing.T) {
	var gotOwner koodrive.ID
	var gotType koodrive.SpaceType
	spaces := &SpaceService{FindSpaceFn: func(_ context.Context, _ koodrive.Actor, owner koodrive.ID, st koodrive.SpaceType) (*koodrive.Space, error) {
		gotOwner, gotType = owner, st
		if owner == 404 {
			return nil, koodrive.NewError(koodrive.ENOTFOUND, "ownerId", koodrive.MsgSpaceNotFound, koodrive.Params{"ID": "404"})
		}
		return someSpace(owner, st, 3), nil
	}}
	h := newServer(t, httpapi.Services{Spaces: spaces})

	t.Run("OK", func(t *testing.T) {
		r := do(t, h, "GET", "/space/1575416580416769793?type=1&containerId=ignored", "")
		r.wantOK(t)
		wantKeys(t, r.data(t), spaceKeys...)
		if gotOwner != bigID || gotType != koodrive.SpacePersonal {
			t.Errorf("owner %d type %d, want %d 1", gotOwner, gotType, bigID)
		}
	})
	t.Run("ErrTypeMissing", func(t *testing.T) {
		do(t, h, "GET", "/space/5", "").wantError(t, 400, koodrive.CodeInvalidParameter, "type is required")
	})
	t.Run("ErrTypeGroup", func(t *testing.T) {
		do(t, h, "GET", "/space/5?type=2", "").wantError(t, 400, koodrive.CodeInvalidParameter, "type must be 0")
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		do(t, h, "GET", "/space/404?type=0", "").wantError(t, 404, koodrive.CodeNotFound)
	})
}

func TestUpdateSpace(t *testing.T) {
	var got koodrive.SpaceUpdate
	spaces := &SpaceService{UpdateSpaceFn: func(_ context.Context, _ koodrive.Actor, in koodrive.SpaceUpdate) (*koodrive.Space, error) {
		got = in
		sp := someSpace(in.OwnerID, in.Type, 5)
		if in.Status != nil {
			sp.Status = *in.Status
		}
		return sp, nil
	}}
	h := newServer(t, httpapi.Services{Spaces: spaces})

	for _, tc := range []struct {
		name, body string
		capacity   *int64
		status     *koodrive.SpaceStatus
		typ        koodrive.SpaceType
	}{
		{"OKStatusString", `{"type": 1, "status": "1", "containerId": "C42"}`, nil, ptr(koodrive.SpaceDisabled), koodrive.SpacePersonal},
		{"OKStatusNumber", `{"type": "0", "status": 1}`, nil, ptr(koodrive.SpaceDisabled), koodrive.SpaceDepartment},
		{"OKCapacityString", `{"type": 1, "capacity": "20"}`, ptr(int64(20)), nil, koodrive.SpacePersonal},
		{"OKCapacityNumber", `{"type": 1, "capacity": 20, "status": 0}`, ptr(int64(20)), ptr(koodrive.SpaceNormal), koodrive.SpacePersonal},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, h, "PUT", "/space/1575416580416769793", tc.body)
			r.wantOK(t)
			if got.OwnerID != bigID || got.Type != tc.typ {
				t.Errorf("owner %d type %d; want %d %d", got.OwnerID, got.Type, bigID, tc.typ)
			}
			if !equalPtr(got.CapacityGB, tc.capacity) || !equalPtr(got.Status, tc.status) {
				t.Errorf("capacity %v status %v; want %v %v", show(got.CapacityGB), show(got.Status), show(tc.capacity), show(tc.status))
			}
			d := r.data(t)
			wantKeys(t, d, spaceKeys...)
			if tc.status != nil {
				wantFields(t, d, map[string]any{"status": int(*tc.status)})
			}
		})
	}

	for _, tc := range []struct {
		name, body string
		code       koodrive.Code
		parts      []string
	}{
		{"ErrTypeMissing", `{"status": "1"}`, koodrive.CodeInvalidParameter, []string{"type is required"}},
		{"ErrStatus", `{"type": 1, "status": "2"}`, koodrive.CodeInvalidParameter, []string{"status must be one of 0, 1"}},
		{"ErrStatusText", `{"type": 1, "status": "off"}`, koodrive.CodeInvalidParameter, []string{"status must be one of 0, 1"}},
		{"ErrStatusType", `{"type": 1, "status": false}`, koodrive.CodeBadRequest, []string{"status"}},
		{"ErrCapacity", `{"type": 1, "capacity": "1G"}`, koodrive.CodeInvalidParameter, []string{"capacity"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			do(t, h, "PUT", "/space/5", tc.body).wantError(t, 400, tc.code, tc.parts...)
		})
	}
}

func TestDeleteSpace(t *testing.T) {
	var gotOwner koodrive.ID
	var gotType koodrive.SpaceType = -1
	spaces := &SpaceService{DeleteSpaceFn: func(_ context.Context, _ koodrive.Actor, owner koodrive.ID, st koodrive.SpaceType) error {
		gotOwner, gotType = owner, st
		if owner == 400 {
			return koodrive.Invalid("ownerId", koodrive.MsgSpaceHoldsData, koodrive.Params{"UsedGB": 1})
		}
		return nil
	}}
	h := newServer(t, httpapi.Services{Spaces: spaces})

	t.Run("OK", func(t *testing.T) {
		r := do(t, h, "DELETE", "/space/1575416580416769793?type=0", "")
		r.wantOK(t)
		wantKeys(t, r.Body, "code", "msg")
		if gotOwner != bigID || gotType != koodrive.SpaceDepartment {
			t.Errorf("owner %d type %d; want %d 0", gotOwner, gotType, bigID)
		}
	})
	t.Run("ErrTypeMissing", func(t *testing.T) {
		do(t, h, "DELETE", "/space/5", "").wantError(t, 400, koodrive.CodeInvalidParameter, "type is required")
	})
	t.Run("ErrHoldsData", func(t *testing.T) {
		do(t, h, "DELETE", "/space/400?type=1", "").wantError(t, 400, koodrive.CodeInvalidParameter, "1 GB")
	})
}

func TestListUserSpaces(t *testing.T) {
	var got koodrive.SpaceFilter
	withSpace, without := someUser(bigID), someUser(7)
	sp := someSpace(bigID, koodrive.SpacePersonal, 10)
	sp.Status = koodrive.SpaceDisabled
	spaces := &SpaceService{FindUserSpacesFn: func(_ context.Context, _ koodrive.Actor, f koodrive.SpaceFilter) ([]koodrive.UserSpace, int, error) {
		got = f
		return []koodrive.UserSpace{{User: withSpace, Space: sp}, {User: without}}, 12, nil
	}}
	h := newServer(t, httpapi.Services{Spaces: spaces})

	t.Run("OK", func(t *testing.T) {
		r := do(t, h, "GET", "/space/userList?deptId=1575416580416769793&isDirect=true&offset=10&limit=2&keyWord=Na&spaceStatus=1", "")
		r.wantOK(t)
		wantKeys(t, r.Body, "code", "msg", "total", "users")
		wantFields(t, r.Body, map[string]any{"total": "12"})
		if got.DeptID != bigID || !got.Direct || got.Offset != 10 || got.Limit != 2 || got.KeyWord != "Na" ||
			got.Status == nil || *got.Status != koodrive.SpaceDisabled {
			t.Errorf("filter %+v (status %v)", got, show(got.Status))
		}
		users := objects(t, r.Body, "users")
		if len(users) != 2 {
			t.Fatalf("%d users, want 2", len(users))
		}
		common := []string{"name", "deptId", "deptName", "mobile", "role", "status", "containerId", "capacity", "spaceUsed", "tenantId", "id", "userId"}
		wantKeys(t, users[0], append(common, "spaceStatus")...)
		wantFields(t, users[0], map[string]any{
			"name": "Name", "deptId": bigID.String(), "deptName": "Sales", "mobile": "+8613800000001", "role": 1, "status": 0,
			"containerId": "C42", "capacity": 10, "spaceUsed": 654777, "tenantId": "9", "id": bigID.String(),
			"userId": "u" + bigID.String(), "spaceStatus": 1,
		})
		// A user without a space: no spaceStatus at all, empty space fields.
		wantKeys(t, users[1], common...)
		wantFields(t, users[1], map[string]any{"id": "7", "containerId": "", "capacity": 0, "spaceUsed": 0})
	})
	t.Run("OKNoStatusFilter", func(t *testing.T) {
		do(t, h, "GET", "/space/userList?offset=0&limit=100", "").wantOK(t)
		if got.Status != nil || got.DeptID != 0 || got.Direct {
			t.Errorf("filter %+v, want no status, department or direct", got)
		}
	})
	for _, tc := range []struct{ name, query, part string }{
		{"ErrOffsetMissing", "limit=2", "offset is required"},
		{"ErrLimitMissing", "offset=0", "limit is required"},
		{"ErrLimitRange", "offset=0&limit=101", "limit"},
		{"ErrSpaceStatus", "offset=0&limit=2&spaceStatus=2", "spaceStatus must be one of 0, 1"},
		{"ErrDeptID", "offset=0&limit=2&deptId=abc", "deptId"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			do(t, h, "GET", "/space/userList?"+tc.query, "").wantError(t, 400, koodrive.CodeInvalidParameter, tc.part)
		})
	}
}

func TestListDepartmentSpaces(t *testing.T) {
	var gotKey string
	var gotOffset, gotLimit int
	dept := &koodrive.Department{ID: bigID, OrgID: 9, ParentID: 100, Name: "Sales"}
	root := &koodrive.Department{ID: 100, OrgID: 9, Name: "Org"}
	sp := someSpace(bigID, koodrive.SpaceDepartment, 4)
	spaces := &SpaceService{FindDepartmentSpacesFn: func(_ context.Context, _ koodrive.Actor, keyWord string, offset, limit int) ([]koodrive.DepartmentSpace, int, error) {
		gotKey, gotOffset, gotLimit = keyWord, offset, limit
		return []koodrive.DepartmentSpace{{Department: dept, Space: sp, UserCount: 3}, {Department: root}}, 40, nil
	}}
	h := newServer(t, httpapi.Services{Spaces: spaces})

	t.Run("OK", func(t *testing.T) {
		r := do(t, h, "GET", "/space/departmentList?offset=20&limit=2&keyWord=Sa", "")
		r.wantOK(t)
		wantKeys(t, r.Body, "code", "msg", "total", "departments")
		wantFields(t, r.Body, map[string]any{"total": "40"})
		if gotKey != "Sa" || gotOffset != 20 || gotLimit != 2 {
			t.Errorf("keyWord %q offset %d limit %d; want Sa 20 2", gotKey, gotOffset, gotLimit)
		}
		depts := objects(t, r.Body, "departments")
		keys := []string{"id", "parentId", "name", "tenantId", "ownerId", "status", "capacity", "spaceUsed", "containerId", "userNum"}
		wantKeys(t, depts[0], keys...)
		wantFields(t, depts[0], map[string]any{
			"id": bigID.String(), "parentId": "100", "name": "Sales", "tenantId": "9", "ownerId": bigID.String(),
			"status": 0, "capacity": 4, "spaceUsed": 654777, "containerId": "C42", "userNum": 3,
		})
		wantKeys(t, depts[1], keys...)
		wantFields(t, depts[1], map[string]any{"id": "100", "parentId": "0", "ownerId": "100", "capacity": 0, "containerId": "", "userNum": 0})
	})
	t.Run("ErrOffsetMissing", func(t *testing.T) {
		do(t, h, "GET", "/space/departmentList?limit=2", "").wantError(t, 400, koodrive.CodeInvalidParameter, "offset is required")
	})
	t.Run("ErrLimitZero", func(t *testing.T) {
		do(t, h, "GET", "/space/departmentList?offset=0&limit=0", "").wantError(t, 400, koodrive.CodeInvalidParameter, "limit")
	})
}

func TestUsage(t *testing.T) {
	usage := &koodrive.Usage{
		CapacityGB: 1000, AllocatedGB: 300, UsedBytes: 3*koodrive.GB + 1, UserCount: 12, MaxUsers: 50,
		ByType: [3]koodrive.KindTotals{
			{Spaces: 4, AllocatedGB: 100, UsedBytes: koodrive.GB},
			{Spaces: 9, AllocatedGB: 200, UsedBytes: 2*koodrive.GB + 1},
			{},
		},
	}
	var forbidden bool
	spaces := &SpaceService{UsageFn: func(_ context.Context, a koodrive.Actor) (*koodrive.Usage, error) {
		if forbidden {
			return nil, koodrive.NewError(koodrive.EFORBIDDEN, "", koodrive.MsgForbiddenRole, nil)
		}
		return usage, nil
	}}
	h := newServer(t, httpapi.Services{Spaces: spaces})

	t.Run("Allocation", func(t *testing.T) {
		r := do(t, h, "GET", "/space/allocation/get", "")
		r.wantOK(t)
		items := objects(t, r.Body, "data")
		if len(items) != 3 {
			t.Fatalf("%d items, want 3", len(items))
		}
		for i, want := range []int64{100, 200, 0} {
			wantKeys(t, items[i], "type", "allocateCapacity", "totalCapacity")
			wantFields(t, items[i], map[string]any{"type": i, "allocateCapacity": want, "totalCapacity": 1000})
		}
	})
	t.Run("Overview", func(t *testing.T) {
		r := do(t, h, "GET", "/space/usage/overview", "")
		r.wantOK(t)
		d := r.data(t)
		wantKeys(t, d, "totalAllocation", "totalCapacity", "totalUsed", "quota")
		// 3 GB and a byte is 3,145,728 KB and a part of one, which counts.
		wantFields(t, d, map[string]any{"totalAllocation": 300, "totalCapacity": 1000, "totalUsed": 3*1024*1024 + 1, "quota": 700})
	})
	t.Run("QuotaUsed", func(t *testing.T) {
		r := do(t, h, "GET", "/service/quotaUsed", "")
		r.wantOK(t)
		d := r.data(t)
		wantKeys(t, d, "spaceCapacity", "spaceQuotaUsed", "spaceUsed", "userCount", "userMaxCount",
			"deptSpaceQuota", "personalSpaceQuota", "groupSpaceQuota", "reservedSpaceQuota",
			"deptSpaceUsed", "personalSpaceUsed", "groupSpaceUsed",
			"deptSpaceQuotaUsed", "personalSpaceQuotaUsed", "groupSpaceQuotaUsed", "packageDownloadExpires", "productType")
		wantFields(t, d, map[string]any{
			"spaceCapacity": 1000, "spaceQuotaUsed": 4, "spaceUsed": int64(3*koodrive.GB + 1), "userCount": 12, "userMaxCount": 50,
			"deptSpaceQuota": 100, "personalSpaceQuota": 200, "groupSpaceQuota": 0, "reservedSpaceQuota": 700,
			"deptSpaceUsed": int64(koodrive.GB), "personalSpaceUsed": int64(2*koodrive.GB + 1), "groupSpaceUsed": 0,
			"deptSpaceQuotaUsed": 1, "personalSpaceQuotaUsed": 3, "groupSpaceQuotaUsed": 0,
			"packageDownloadExpires": "", "productType": "",
		})
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		forbidden = true
		defer func() { forbidden = false }()
		for _, path := range []string{"/space/allocation/get", "/space/usage/overview", "/service/quotaUsed"} {
			do(t, h, "GET", path, "").wantError(t, 403, koodrive.CodeNoPermission)
		}
	})
}

func TestReportUsage(t *testing.T) {
	var gotContainer string
	var gotUsed int64
	spaces := &SpaceService{ReportUsageFn: func(_ context.Context, _ koodrive.Actor, containerID string, used int64) error {
		gotContainer, gotUsed = containerID, used
		if containerID == "gone" {
			return koodrive.NewError(koodrive.ENOTFOUND, "containerId", koodrive.MsgSpaceNotFound, koodrive.Params{"ID": containerID})
		}
		return nil
	}}
	h := newServer(t, httpapi.Services{Spaces: spaces})
	const path = "/koodrive/admin/v1/spaces/C42/usage"

	for _, tc := range []struct {
		name, body string
		want       int64
	}{
		{"OKNumber", `{"spaceUsed": 9007199254740993}`, 9007199254740993},
		{"OKString", `{"spaceUsed": "654777"}`, 654777},
		{"OKZero", `{"spaceUsed": 0}`, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, h, "PUT", path, tc.body)
			r.wantOK(t)
			wantKeys(t, r.Body, "code", "msg")
			if gotContainer != "C42" || gotUsed != tc.want {
				t.Errorf("container %q used %d; want C42 %d", gotContainer, gotUsed, tc.want)
			}
		})
	}
	for _, tc := range []struct {
		name, path, body string
		status           int
		code             koodrive.Code
		parts            []string
	}{
		{"ErrMissing", path, `{}`, 400, koodrive.CodeInvalidParameter, []string{"spaceUsed is required"}},
		{"ErrNegative", path, `{"spaceUsed": -1}`, 400, koodrive.CodeInvalidParameter, []string{"spaceUsed", "9223372036854775807"}},
		{"ErrFraction", path, `{"spaceUsed": "1.5"}`, 400, koodrive.CodeInvalidParameter, []string{"spaceUsed"}},
		{"ErrType", path, `{"spaceUsed": {"bytes": 1}}`, 400, koodrive.CodeBadRequest, []string{"spaceUsed"}},
		{"ErrUnknownContainer", "/koodrive/admin/v1/spaces/gone/usage", `{"spaceUsed": 1}`, 404, koodrive.CodeNotFound, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			do(t, h, "PUT", tc.path, tc.body).wantError(t, tc.status, tc.code, tc.parts...)
		})
	}
}

// TestSpaceRoutes holds the precedence of the literal space paths over
// /space/{ownerId}: a list must never be read as a space whose owner is
// "userList".
func TestSpaceRoutes(t *testing.T) {
	var called string
	spaces := &SpaceService{
		FindSpaceFn: func(context.Context, koodrive.Actor, koodrive.ID, koodrive.SpaceType) (*koodrive.Space, error) {
			called = "FindSpace"
			return someSpace(1, 0, 1), nil
		},
		FindUserSpacesFn: func(context.Context, koodrive.Actor, koodrive.SpaceFilter) ([]koodrive.UserSpace, int, error) {
			called = "FindUserSpaces"
			return nil, 0, nil
		},
		FindDepartmentSpacesFn: func(context.Context, koodrive.Actor, string, int, int) ([]koodrive.DepartmentSpace, int, error) {
			called = "FindDepartmentSpaces"
			return nil, 0, nil
		},
	}
	h := newServer(t, httpapi.Services{Spaces: spaces})
	for path, want := range map[string]string{
		"/space/userList?offset=0&limit=1&type=0":       "FindUserSpaces",
		"/space/departmentList?offset=0&limit=1&type=0": "FindDepartmentSpaces",
		"/space/12?type=0":                              "FindSpace",
	} {
		called = ""
		r := do(t, h, "GET", path, "")
		r.wantOK(t)
		if called != want {
			t.Errorf("GET %s called %q, want %q", path, called, want)
		}
		if want != "FindSpace" {
			if items := objects(t, r.Body, map[string]string{"FindUserSpaces": "users", "FindDepartmentSpaces": "departments"}[want]); len(items) != 0 {
				t.Errorf("GET %s: %d items, want an empty array", path, len(items))
			}
		}
	}
	do(t, h, "PATCH", "/space/12", "").wantError(t, 405, koodrive.CodeBadRequest)
}

// TestRequestMeta holds that the trace ID and the client's address reach the
// service, which stamps audit entries with them.
func TestRequestMeta(t *testing.T) {
	var got koodrive.RequestMeta
	spaces := &SpaceService{ReportUsageFn: func(ctx context.Context, _ koodrive.Actor, _ string, _ int64) error {
		got = koodrive.RequestMetaFrom(ctx)
		return nil
	}}
	h := newServer(t, httpapi.Services{Spaces: spaces})
	const path = "/koodrive/admin/v1/spaces/C42/usage"

	t.Run("GivenTraceID", func(t *testing.T) {
		const trace = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRS-_v"
		r := do(t, h, "PUT", path, `{"spaceUsed": 1}`, "X-Traceid", trace)
		r.wantOK(t)
		// httptest's requests come from 192.0.2.1:1234.
		if got.TraceID != trace || got.ClientIP != "192.0.2.1" {
			t.Errorf("meta %+v, want trace %s from 192.0.2.1", got, trace)
		}
	})
	t.Run("MadeTraceID", func(t *testing.T) {
		r := do(t, h, "PUT", path, `{"spaceUsed": 1}`)
		r.wantOK(t)
		if got.TraceID == "" || got.TraceID != r.Header.Get("X-Traceid") {
			t.Errorf("meta trace %q, X-Traceid %q; want the same", got.TraceID, r.Header.Get("X-Traceid"))
		}
	})
}

func ptr[T any](v T) *T { return &v }

func equalPtr[T comparable](a, b *T) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// show renders an optional value for a message.
func show[T any](p *T) any {
	if p == nil {
		return "nil"
	}
	return *p
}
