package client_test

import (
	"reflect"
	"testing"

	"github.com/koodrive/koodrive"
)

const bigID koodrive.ID = 1575416580416769793 // beyond 2^53: must stay exact

const userJSON = `{"id":"1575416580416769793","userId":"ann","name":"Ann","mobile":"+8613800000001","email":"ann@example.com",` +
	`"deptId":"1575416580416769794","deptName":"Sales","role":0,"status":2,"orgId":"9"}`

var ann = &koodrive.User{
	ID: bigID, OrgID: 9, UserID: "ann", Name: "Ann", Mobile: "+8613800000001", Email: "ann@example.com",
	DeptID: bigID + 1, DeptName: "Sales", Role: koodrive.RoleDeptAdmin, Status: koodrive.StatusNotActivated,
}

func TestUsers(t *testing.T) {
	f := newFake(t).
		on("POST /koodrive/ose/v1/users", `{"code":0,"msg":"success","data":{"id":"1575416580416769793","deptId":"1575416580416769794"}}`).
		on("GET /koodrive/ose/v1/users/1575416580416769793", `{"code":0,"msg":"success","data":`+userJSON+`}`).
		on("PUT /koodrive/ose/v1/users/1575416580416769793", `{"code":0,"msg":"success","data":`+userJSON+`}`).
		on("DELETE /koodrive/ose/v1/users/1575416580416769793", ok).
		on("GET /koodrive/ose/v1/users/mobile/1575416580416769793", `{"code":0,"msg":"success","mobile":"+8613800000001"}`).
		on("GET /koodrive/ose/v1/users/count", `{"code":0,"msg":"success","total":41}`).
		on("GET /koodrive/ose/v1/userList", `{"code":0,"msg":"success","list":[`+userJSON+`],"total":7,"nextCursor":"1575416580416769793"}`)
	users := f.client().Users()

	t.Run("CreateUser", func(t *testing.T) {
		role := koodrive.RoleDeptAdmin
		u, err := users.CreateUser(ctx, koodrive.Actor{}, koodrive.UserCreate{UserID: "ann", Name: "Ann", Email: "ann@example.com", DeptID: bigID + 1, Role: &role})
		wantNoErr(t, err)
		c := f.last()
		wantCall(t, c, "POST", "/koodrive/ose/v1/users")
		wantJSON(t, c.Body, `{"userId":"ann","name":"Ann","email":"ann@example.com","modifyUserInfoReq":{"deptId":"1575416580416769794","role":"0"}}`)
		want := &koodrive.User{ID: bigID, UserID: "ann", Name: "Ann", Email: "ann@example.com", DeptID: bigID + 1, Role: koodrive.RoleDeptAdmin, Status: koodrive.StatusNotActivated}
		if !reflect.DeepEqual(u, want) {
			t.Errorf("user %+v, want %+v", u, want)
		}
	})

	t.Run("CreateUserMinimal", func(t *testing.T) {
		u, err := users.CreateUser(ctx, koodrive.Actor{}, koodrive.UserCreate{UserID: "bob"})
		wantNoErr(t, err)
		wantJSON(t, f.last().Body, `{"userId":"bob"}`)
		if u.Role != koodrive.RoleUser || u.DeptID != bigID+1 {
			t.Errorf("user %+v, want a common user in the department the server answered", u)
		}
	})

	t.Run("FindUserByID", func(t *testing.T) {
		u, err := users.FindUserByID(ctx, koodrive.Actor{}, bigID)
		wantNoErr(t, err)
		wantCall(t, f.last(), "GET", "/koodrive/ose/v1/users/1575416580416769793")
		if !reflect.DeepEqual(u, ann) {
			t.Errorf("user %+v, want %+v", u, ann)
		}
	})

	t.Run("FindUsersByOffset", func(t *testing.T) {
		list, total, err := users.FindUsers(ctx, koodrive.Actor{}, koodrive.UserFilter{DeptID: 5, Direct: true, KeyWord: "an n", Offset: 20, Limit: 10})
		wantNoErr(t, err)
		wantCall(t, f.last(), "GET", "/koodrive/ose/v1/userList", "offset", "20", "limit", "10", "deptId", "5", "isDirect", "true", "keyWord", "an n")
		if total != 7 || len(list) != 1 || !reflect.DeepEqual(list[0], ann) {
			t.Errorf("list %+v total %d, want [ann] 7", list, total)
		}
	})

	t.Run("FindUsersByCursor", func(t *testing.T) {
		_, _, err := users.FindUsers(ctx, koodrive.Actor{}, koodrive.UserFilter{Cursor: bigID, Limit: 100})
		wantNoErr(t, err)
		wantCall(t, f.last(), "GET", "/koodrive/ose/v1/userList", "cursor", "1575416580416769793", "limit", "100")
	})

	t.Run("FindUsersCursorAndOffsetGoToTheServer", func(t *testing.T) {
		_, _, err := users.FindUsers(ctx, koodrive.Actor{}, koodrive.UserFilter{Cursor: 3, Offset: 4, Limit: 1})
		wantNoErr(t, err)
		wantCall(t, f.last(), "GET", "/koodrive/ose/v1/userList", "cursor", "3", "offset", "4", "limit", "1")
	})

	t.Run("CountUsers", func(t *testing.T) {
		n, err := users.CountUsers(ctx, koodrive.Actor{}, 0)
		wantNoErr(t, err)
		wantCall(t, f.last(), "GET", "/koodrive/ose/v1/users/count")
		if n != 41 {
			t.Errorf("count %d, want 41", n)
		}
		_, err = users.CountUsers(ctx, koodrive.Actor{}, bigID)
		wantNoErr(t, err)
		wantCall(t, f.last(), "GET", "/koodrive/ose/v1/users/count", "deptId", "1575416580416769793")
	})

	t.Run("UpdateUser", func(t *testing.T) {
		dept, role, status, name, mobile := bigID+1, koodrive.RoleDeptAdmin, koodrive.StatusDisabled, "Ann", ""
		u, err := users.UpdateUser(ctx, koodrive.Actor{}, bigID, koodrive.UserUpdate{DeptID: &dept, Role: &role, Status: &status, Name: &name, Mobile: &mobile})
		wantNoErr(t, err)
		wantCall(t, f.last(), "PUT", "/koodrive/ose/v1/users/1575416580416769793")
		wantJSON(t, f.last().Body, `{"deptId":"1575416580416769794","role":0,"status":1,"name":"Ann","mobile":""}`)
		if !reflect.DeepEqual(u, ann) {
			t.Errorf("user %+v, want %+v", u, ann)
		}
		_, err = users.UpdateUser(ctx, koodrive.Actor{}, bigID, koodrive.UserUpdate{})
		wantNoErr(t, err)
		wantJSON(t, f.last().Body, `{}`)
	})

	t.Run("DeleteUser", func(t *testing.T) {
		wantNoErr(t, users.DeleteUser(ctx, koodrive.Actor{}, bigID))
		wantCall(t, f.last(), "DELETE", "/koodrive/ose/v1/users/1575416580416769793")
	})

	t.Run("FindUserMobile", func(t *testing.T) {
		m, err := users.FindUserMobile(ctx, bigID)
		wantNoErr(t, err)
		if m != "+8613800000001" {
			t.Errorf("mobile %q", m)
		}
	})
}
