package httpapi_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/koodrive/koodrive"
	"github.com/koodrive/koodrive/httpapi"
)

func TestAuditLog_Request(t *testing.T) {
	var got koodrive.AuditFilter
	audit := &AuditService{FindAuditEntriesFn: func(_ context.Context, _ koodrive.Actor, f koodrive.AuditFilter) ([]*koodrive.AuditEntry, int, error) {
		got = f
		return nil, 0, nil
	}}
	h := newServer(t, httpapi.Services{Audit: audit})

	t.Run("OKDefaults", func(t *testing.T) {
		r := do(t, h, "POST", "/auditlog", `{}`)
		r.wantOK(t)
		want := koodrive.AuditFilter{PageSize: 10, PageNum: 1}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("filter %+v, want %+v", got, want)
		}
		wantKeys(t, r.Body, "code", "msg", "total", "logInfoList")
		wantFields(t, r.Body, map[string]any{"total": 0})
		if items := objects(t, r.Body, "logInfoList"); len(items) != 0 {
			t.Errorf("%d items, want an empty array", len(items))
		}
	})

	t.Run("OKAllFields", func(t *testing.T) {
		do(t, h, "POST", "/auditlog", `{
			"operTimeFrom": "2025-01-01T00:00:01.000Z",
			"operTimeTo": "2025-01-02T08:00:00+08:00",
			"operatorName": " admin ",
			"operations": ["CreateUser", "DeleteUser"],
			"excludedOperations": ["ReportSpaceUsage"],
			"operateResult": 1,
			"operatorIP": "192.0.2.7",
			"pageInfo": {"pageSize": 100, "pageNum": 3},
			"sortInfo": {"sortType": 1, "sortDirection": 1}
		}`).wantOK(t)
		result := koodrive.AuditFailed
		want := koodrive.AuditFilter{
			From: time.Date(2025, 1, 1, 0, 0, 1, 0, time.UTC), To: time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC),
			OperatorName: "admin", Operations: []string{"CreateUser", "DeleteUser"}, Excluded: []string{"ReportSpaceUsage"},
			Result: &result, OperatorIP: "192.0.2.7", PageSize: 100, PageNum: 3, Ascending: true,
		}
		if !got.From.Equal(want.From) || !got.To.Equal(want.To) {
			t.Errorf("from %v to %v; want %v %v", got.From, got.To, want.From, want.To)
		}
		got.From, got.To, want.From, want.To = time.Time{}, time.Time{}, time.Time{}, time.Time{}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("filter %+v (result %v), want %+v", got, show(got.Result), want)
		}
	})

	t.Run("OKDescendingResultZero", func(t *testing.T) {
		do(t, h, "POST", "/auditlog", `{"operateResult": 0, "sortInfo": {"sortDirection": 2}, "pageInfo": {"pageNum": 2}}`).wantOK(t)
		if got.Ascending || got.Result == nil || *got.Result != koodrive.AuditSucceeded || got.PageNum != 2 || got.PageSize != 10 {
			t.Errorf("filter %+v (result %v), want descending, result 0, page 2 of 10", got, show(got.Result))
		}
	})

	for _, tc := range []struct {
		name, body string
		code       koodrive.Code
		parts      []string
	}{
		{"ErrTimeFrom", `{"operTimeFrom": "yesterday"}`, koodrive.CodeInvalidParameter, []string{"operTimeFrom", "2025-01-01T00:00:01.000Z"}},
		{"ErrTimeTo", `{"operTimeTo": "2025-01-01"}`, koodrive.CodeInvalidParameter, []string{"operTimeTo"}},
		{"ErrPageSizeZero", `{"pageInfo": {"pageSize": 0}}`, koodrive.CodeInvalidParameter, []string{"pageInfo.pageSize", "1 to 100"}},
		{"ErrPageSizeLarge", `{"pageInfo": {"pageSize": 101}}`, koodrive.CodeInvalidParameter, []string{"pageInfo.pageSize"}},
		{"ErrPageNum", `{"pageInfo": {"pageNum": 0}}`, koodrive.CodeInvalidParameter, []string{"pageInfo.pageNum"}},
		{"ErrSortType", `{"sortInfo": {"sortType": 2}}`, koodrive.CodeInvalidParameter, []string{"sortInfo.sortType", "1 to 1"}},
		{"ErrSortDirection", `{"sortInfo": {"sortDirection": 3}}`, koodrive.CodeInvalidParameter, []string{"sortInfo.sortDirection", "1 to 2"}},
		{"ErrResult", `{"operateResult": 2}`, koodrive.CodeInvalidParameter, []string{"operateResult"}},
		{"ErrOperationsType", `{"operations": "CreateUser"}`, koodrive.CodeBadRequest, []string{"operations", "array"}},
		{"ErrPageSizeType", `{"pageInfo": {"pageSize": "10"}}`, koodrive.CodeBadRequest, []string{"pageInfo.pageSize"}},
		{"ErrPageInfoType", `{"pageInfo": 10}`, koodrive.CodeBadRequest, []string{"pageInfo"}},
		{"ErrBodyEmpty", ``, koodrive.CodeBadRequest, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			do(t, h, "POST", "/auditlog", tc.body).wantError(t, 400, tc.code, tc.parts...)
		})
	}
}

func TestAuditLog_Response(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	entries := []*koodrive.AuditEntry{
		{
			ID: bigID, OrgID: 9, Time: time.Date(2025, 1, 2, 11, 4, 5, 678_900_000, shanghai), OperatorID: admin.ID,
			OperatorName: "admin", AppID: "app1", Operation: koodrive.AuditDeleteSpace, Resource: "space/C42",
			Result: koodrive.AuditFailed, ClientIP: "192.0.2.1", TraceID: "trace",
			Message: &koodrive.Message{ID: koodrive.MsgSpaceHoldsData, Params: koodrive.Params{"Field": "ownerId", "UsedGB": 2}},
		},
		{
			ID: 5, OrgID: 9, Time: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), OperatorName: "(operator)",
			Operation: koodrive.AuditInitOrganization, Resource: "organization", Result: koodrive.AuditSucceeded,
		},
	}
	var gotActor koodrive.Actor
	audit := &AuditService{FindAuditEntriesFn: func(_ context.Context, a koodrive.Actor, _ koodrive.AuditFilter) ([]*koodrive.AuditEntry, int, error) {
		gotActor = a
		if a.Role != koodrive.RoleSystemAdmin {
			return nil, 0, koodrive.NewError(koodrive.EFORBIDDEN, "", koodrive.MsgForbiddenRole, nil)
		}
		return entries, 31, nil
	}}
	h := newServer(t, httpapi.Services{Audit: audit})
	keys := []string{"logId", "tenantId", "operatorName", "operatorId", "operateTime", "operation", "resource",
		"operateResult", "operatorIP", "message", "traceId", "appId"}

	t.Run("OK", func(t *testing.T) {
		r := do(t, h, "POST", "/auditlog", `{"pageInfo": {"pageSize": 2}}`)
		r.wantOK(t)
		if gotActor.ID != admin.ID {
			t.Errorf("actor %d, want %d", gotActor.ID, admin.ID)
		}
		wantFields(t, r.Body, map[string]any{"total": 31})
		items := objects(t, r.Body, "logInfoList")
		if len(items) != 2 {
			t.Fatalf("%d items, want 2", len(items))
		}
		for _, it := range items {
			wantKeys(t, it, keys...)
		}
		wantFields(t, items[0], map[string]any{
			"logId": bigID.String(), "tenantId": "9", "operatorName": "admin", "operatorId": admin.ID.String(),
			"operateTime": "2025-01-02T03:04:05.678Z", "operation": "DeleteSpace", "resource": "space/C42",
			"operateResult": 1, "operatorIP": "192.0.2.1", "message": "the space of ownerId still holds 2 GB of data",
			"traceId": "trace", "appId": "app1",
		})
		wantFields(t, items[1], map[string]any{
			"logId": "5", "operatorId": "", "operateTime": "2025-01-01T00:00:00.000Z", "operateResult": 0, "message": "", "appId": "",
		})
	})
	t.Run("OKChinese", func(t *testing.T) {
		r := do(t, h, "POST", "/auditlog", `{}`, "language", "zh-CN")
		r.wantOK(t)
		wantFields(t, objects(t, r.Body, "logInfoList")[0], map[string]any{"message": "ownerId 的空间仍存有 2 GB 数据"})
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		do(t, h, "POST", "/auditlog", `{}`, "Authorization", "Bearer u").wantError(t, 403, koodrive.CodeNoPermission)
	})
}
