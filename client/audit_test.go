package client_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/koodrive/koodrive"
)

func TestAudit(t *testing.T) {
	f := newFake(t).on("POST /koodrive/ose/v1/auditlog", `{"code":0,"msg":"success","total":31,"logInfoList":[`+
		`{"logId":"1575416580416769793","tenantId":"9","operatorName":"admin","operatorId":"3","operateTime":"2026-01-02T03:04:05.678Z",`+
		`"operation":"CreateUser","resource":"user/5","operateResult":0,"operatorIP":"127.0.0.1","message":"","traceId":"tr1","appId":"app1"},`+
		`{"logId":"2","tenantId":"9","operatorName":"(operator)","operatorId":"","operateTime":"2026-01-02T03:04:05.000Z",`+
		`"operation":"UpdateOrganization","resource":"organization","operateResult":1,"operatorIP":"","message":"容量不足","traceId":"","appId":""}]}`)
	audit := f.client().Audit()

	failed := koodrive.AuditFailed
	entries, total, err := audit.FindAuditEntries(ctx, koodrive.Actor{}, koodrive.AuditFilter{
		From: time.Date(2026, 1, 1, 8, 0, 0, 0, time.FixedZone("CST", 8*3600)), OperatorName: "admin",
		Operations: []string{"CreateUser"}, Excluded: []string{"DeleteUser"}, Result: &failed, OperatorIP: "127.0.0.1",
		PageSize: 2, PageNum: 3, Ascending: true,
	})
	wantNoErr(t, err)
	wantJSON(t, f.last().Body, `{"operTimeFrom":"2026-01-01T00:00:00Z","operatorName":"admin","operations":["CreateUser"],"excludedOperations":["DeleteUser"],`+
		`"operateResult":1,"operatorIP":"127.0.0.1","pageInfo":{"pageSize":2,"pageNum":3},"sortInfo":{"sortType":1,"sortDirection":1}}`)
	if total != 31 || len(entries) != 2 {
		t.Fatalf("%d entries, total %d; want 2, 31", len(entries), total)
	}
	want := []*koodrive.AuditEntry{
		{ID: bigID, OrgID: 9, Time: time.Date(2026, 1, 2, 3, 4, 5, 678e6, time.UTC), OperatorID: 3, OperatorName: "admin", AppID: "app1",
			Operation: "CreateUser", Resource: "user/5", Result: 0, ClientIP: "127.0.0.1", TraceID: "tr1"},
		{ID: 2, OrgID: 9, Time: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), OperatorName: "(operator)",
			Operation: "UpdateOrganization", Resource: "organization", Result: 1, Message: &koodrive.Message{ID: "容量不足"}},
	}
	for i := range want {
		if !entries[i].Time.Equal(want[i].Time) {
			t.Errorf("entry %d time %v, want %v", i, entries[i].Time, want[i].Time)
		}
		entries[i].Time = want[i].Time
		if !reflect.DeepEqual(entries[i], want[i]) {
			t.Errorf("entry %d %+v, want %+v", i, entries[i], want[i])
		}
	}

	t.Run("Defaults", func(t *testing.T) {
		_, _, err := audit.FindAuditEntries(ctx, koodrive.Actor{}, koodrive.AuditFilter{})
		wantNoErr(t, err)
		wantJSON(t, f.last().Body, `{"pageInfo":{},"sortInfo":{"sortType":1,"sortDirection":2}}`)
	})
}
