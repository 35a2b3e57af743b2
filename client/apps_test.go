package client_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/koodrive/koodrive"
)

func TestApps(t *testing.T) {
	issued := `{"code":0,"msg":"success","data":{"appId":"a1","name":"HR","status":0,"createdAt":"2026-01-02T03:04:05Z","updatedAt":"2026-01-02T03:04:06Z",` +
		`"previousSecretValidUntil":"2026-01-02T04:04:06Z","appSecret":"s"}}`
	f := newFake(t).
		on("POST /koodrive/admin/v1/apps", issued).
		on("GET /koodrive/admin/v1/apps", `{"code":0,"msg":"success","list":[{"appId":"a1","name":"HR","status":1,"createdAt":"2026-01-02T03:04:05Z","updatedAt":"2026-01-02T03:04:06Z"}]}`).
		on("PUT /koodrive/admin/v1/apps/a1", ok).
		on("DELETE /koodrive/admin/v1/apps/a1", ok).
		on("POST /koodrive/admin/v1/apps/a1/secret", issued)
	apps := f.client().Apps()
	created, updated := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), time.Date(2026, 1, 2, 3, 4, 6, 0, time.UTC)

	a, err := apps.CreateApp(ctx, koodrive.Actor{}, "HR")
	wantNoErr(t, err)
	wantJSON(t, f.last().Body, `{"name":"HR"}`)
	want := &koodrive.App{AppID: "a1", Name: "HR", Secret: "s", CreatedAt: created, UpdatedAt: updated, PreviousUntil: updated.Add(time.Hour)}
	if !reflect.DeepEqual(a, want) {
		t.Errorf("app %+v, want %+v", a, want)
	}

	list, err := apps.FindApps(ctx, koodrive.Actor{})
	wantNoErr(t, err)
	if wantList := []*koodrive.App{{AppID: "a1", Name: "HR", Status: koodrive.AppDisabled, CreatedAt: created, UpdatedAt: updated}}; !reflect.DeepEqual(list, wantList) {
		t.Errorf("apps %+v, want %+v", list, wantList)
	}

	wantNoErr(t, apps.SetAppStatus(ctx, koodrive.Actor{}, "a1", koodrive.AppDisabled))
	wantJSON(t, f.last().Body, `{"status":1}`)
	wantNoErr(t, apps.DeleteApp(ctx, koodrive.Actor{}, "a1"))
	wantCall(t, f.last(), "DELETE", "/koodrive/admin/v1/apps/a1")

	a, err = apps.RotateAppSecret(ctx, koodrive.Actor{}, "a1", time.Hour+500*time.Millisecond)
	wantNoErr(t, err)
	wantJSON(t, f.last().Body, `{"graceSeconds":3600}`)
	if a.Secret != "s" {
		t.Errorf("secret %q, want the new one", a.Secret)
	}
}
