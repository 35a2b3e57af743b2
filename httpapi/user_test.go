package httpapi_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/koodrive/koodrive"
	"github.com/koodrive/koodrive/httpapi"
)

func someUser(id koodrive.ID) *koodrive.User {
	return &koodrive.User{
		ID: id, OrgID: 9, UserID: fmt.Sprintf("u%d", id), Name: "Name", Mobile: "+8613800000001", Email: "a@example.com",
		DeptID: bigID, DeptName: "Sales", Role: koodrive.RoleUser, Status: koodrive.StatusEnabled,
	}
}

func TestUpdateUser(t *testing.T) {
	var got koodrive.UserUpdate
	var gotID koodrive.ID
	users := &UserService{UpdateUserFn: func(_ context.Context, a koodrive.Actor, id koodrive.ID, in koodrive.UserUpdate) (*koodrive.User, error) {
		if a.ID != admin.ID {
			t.Errorf("actor %d, want %d", a.ID, admin.ID)
		}
		got, gotID = in, id
		return someUser(id), nil
	}}
	h := newServer(t, httpapi.Services{Users: users})

	t.Run("OKStrings", func(t *testing.T) {
		r := do(t, h, "PUT", "/users/1575416580416769793",
			`{"deptId": "1575416580416769793", "role": "0", "status": "1", "name": "New", "mobile": "", "email": "b@example.com"}`)
		r.wantOK(t)
		if gotID != bigID {
			t.Errorf("id %d, want %d", gotID, bigID)
		}
		if got.DeptID == nil || *got.DeptID != bigID {
			t.Errorf("DeptID %v, want %d", got.DeptID, bigID)
		}
		if got.Role == nil || *got.Role != koodrive.RoleDeptAdmin {
			t.Errorf("Role %v, want 0", got.Role)
		}
		if got.Status == nil || *got.Status != koodrive.StatusDisabled {
			t.Errorf("Status %v, want 1", got.Status)
		}
		if got.Name == nil || *got.Name != "New" || got.Mobile == nil || *got.Mobile != "" || got.Email == nil || *got.Email != "b@example.com" {
			t.Errorf("Name %v, Mobile %v, Email %v; want New, \"\" (clears), b@example.com", got.Name, got.Mobile, got.Email)
		}
		d := r.data(t)
		wantFields(t, d, map[string]any{"id": "1575416580416769793", "deptId": "1575416580416769793", "orgId": "9", "role": 1, "status": 0})
	})

	t.Run("OKNumbers", func(t *testing.T) {
		do(t, h, "PUT", "/users/7", `{"deptId": 1575416580416769793, "role": 2, "status": 7}`).wantOK(t)
		if got.DeptID == nil || *got.DeptID != bigID {
			t.Errorf("DeptID %v, want %d exactly", got.DeptID, bigID)
		}
		if got.Role == nil || *got.Role != koodrive.RoleSystemAdmin || got.Status == nil || *got.Status != koodrive.StatusFrozen {
			t.Errorf("Role %v, Status %v; want 2, 7", got.Role, got.Status)
		}
		if got.Name != nil || got.Mobile != nil || got.Email != nil {
			t.Errorf("Name %v, Mobile %v, Email %v; want nil: absent fields stay", got.Name, got.Mobile, got.Email)
		}
	})

	t.Run("OKEmpty", func(t *testing.T) {
		do(t, h, "PUT", "/users/7", `{"name": null}`).wantOK(t)
		if got != (koodrive.UserUpdate{}) {
			t.Errorf("update %+v, want nothing changed", got)
		}
	})

	// The values a status may take are the domain's to check; a status
	// that is no integer at all is answered here.
	t.Run("OKStatusOutOfRangeGoesToDomain", func(t *testing.T) {
		do(t, h, "PUT", "/users/7", `{"status": 3}`).wantOK(t)
		if got.Status == nil || *got.Status != 3 {
			t.Errorf("Status %v, want 3", got.Status)
		}
	})

	for _, tc := range []struct {
		name, path, body string
		status           int
		code             koodrive.Code
		parts            []string
	}{
		{"ErrStatusText", "/users/7", `{"status": "on"}`, 400, koodrive.CodeInvalidParameter, []string{"status", "0, 1, 7"}},
		{"ErrStatusFraction", "/users/7", `{"status": 1.5}`, 400, koodrive.CodeInvalidParameter, []string{"status"}},
		{"ErrStatusType", "/users/7", `{"status": true}`, 400, koodrive.CodeBadRequest, []string{"status"}},
		{"ErrRole", "/users/7", `{"role": "admin"}`, 400, koodrive.CodeInvalidParameter, []string{"role"}},
		{"ErrDeptIDZero", "/users/7", `{"deptId": 0}`, 400, koodrive.CodeInvalidParameter, []string{"deptId"}},
		{"ErrDeptIDType", "/users/7", `{"deptId": {}}`, 400, koodrive.CodeBadRequest, []string{"deptId"}},
		{"ErrNameType", "/users/7", `{"name": 5}`, 400, koodrive.CodeBadRequest, []string{"name", "string"}},
		{"ErrBodyEmpty", "/users/7", ``, 400, koodrive.CodeBadRequest, nil},
		{"ErrBodySyntax", "/users/7", `{"name": }`, 400, koodrive.CodeBadRequest, []string{"line 1"}},
		{"ErrPathID", "/users/abc", `{}`, 400, koodrive.CodeInvalidParameter, []string{"userId"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			do(t, h, "PUT", tc.path, tc.body).wantError(t, tc.status, tc.code, tc.parts...)
		})
	}
}

func TestDeleteUser(t *testing.T) {
	var gotID koodrive.ID
	users := &UserService{DeleteUserFn: func(_ context.Context, _ koodrive.Actor, id koodrive.ID) error {
		gotID = id
		switch id {
		case 13:
			return koodrive.Invalid("userId", koodrive.MsgDeleteActive, koodrive.Params{"Status": 0})
		case 500:
			return errors.New("database is locked")
		}
		return nil
	}}
	h := newServer(t, httpapi.Services{Users: users})

	t.Run("OK", func(t *testing.T) {
		r := do(t, h, "DELETE", "/users/1575416580416769793", "")
		r.wantOK(t)
		wantKeys(t, r.Body, "code", "msg")
		if gotID != bigID {
			t.Errorf("id %d, want %d", gotID, bigID)
		}
	})
	t.Run("ErrActive", func(t *testing.T) {
		do(t, h, "DELETE", "/users/13", "").wantError(t, 400, koodrive.CodeInvalidParameter)
	})
	t.Run("ErrInternalNotEchoed", func(t *testing.T) {
		r := do(t, h, "DELETE", "/users/500", "")
		r.wantError(t, 500, koodrive.CodeInternal)
		if strings.Contains(string(r.Raw), "locked") {
			t.Errorf("the cause reached the client: %s", r.Raw)
		}
	})
}

func TestGetUserMobile(t *testing.T) {
	users := &UserService{FindUserByIDFn: func(_ context.Context, _ koodrive.Actor, id koodrive.ID) (*koodrive.User, error) {
		if id != bigID {
			return nil, koodrive.NewError(koodrive.ENOTFOUND, "userId", koodrive.MsgUserNotFound, koodrive.Params{"ID": id.String()})
		}
		return someUser(id), nil
	}}
	h := newServer(t, httpapi.Services{Users: users})

	t.Run("OK", func(t *testing.T) {
		r := do(t, h, "GET", "/users/mobile/1575416580416769793", "")
		r.wantOK(t)
		wantKeys(t, r.Body, "code", "msg", "mobile")
		wantFields(t, r.Body, map[string]any{"mobile": "+8613800000001"})
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		do(t, h, "GET", "/users/mobile/5", "").wantError(t, 404, koodrive.CodeNotFound)
	})
}

func TestListUsers_Cursor(t *testing.T) {
	var got koodrive.UserFilter
	users := &UserService{FindUsersFn: func(_ context.Context, _ koodrive.Actor, f koodrive.UserFilter) ([]*koodrive.User, int, error) {
		got = f
		// Three users in all: a page of two is full, the next one is not.
		all := []*koodrive.User{someUser(bigID - 2), someUser(bigID - 1), someUser(bigID)}
		start := f.Offset
		if f.Cursor != 0 {
			start = len(all)
			for i, u := range all {
				if u.ID == f.Cursor {
					start = i + 1
				}
			}
		}
		end := min(start+f.Limit, len(all))
		return all[start:end], len(all), nil
	}}
	h := newServer(t, httpapi.Services{Users: users})

	t.Run("OKFullPageHasNextCursor", func(t *testing.T) {
		r := do(t, h, "GET", "/userList?offset=0&limit=2", "")
		r.wantOK(t)
		wantFields(t, r.Body, map[string]any{"total": 3, "nextCursor": (bigID - 1).String()})
		if n := len(objects(t, r.Body, "list")); n != 2 {
			t.Errorf("%d users, want 2", n)
		}
	})
	t.Run("OKCursorWithoutOffset", func(t *testing.T) {
		r := do(t, h, "GET", "/userList?cursor="+(bigID-1).String()+"&limit=2", "")
		r.wantOK(t)
		if got.Cursor != bigID-1 || got.Offset != 0 || got.Limit != 2 {
			t.Errorf("filter %+v, want cursor %d, offset 0, limit 2", got, bigID-1)
		}
		if _, ok := r.Body["nextCursor"]; ok {
			t.Errorf("nextCursor in a short page: %s", r.Raw)
		}
		list := objects(t, r.Body, "list")
		if len(list) != 1 || str(t, list[0], "id") != bigID.String() {
			t.Errorf("list %v, want the last user only", list)
		}
	})
	t.Run("OKCursorWithOffsetZero", func(t *testing.T) {
		do(t, h, "GET", "/userList?cursor=5&offset=0&limit=2", "").wantOK(t)
	})
	t.Run("ErrOffsetRequiredWithoutCursor", func(t *testing.T) {
		do(t, h, "GET", "/userList?limit=2", "").wantError(t, 400, koodrive.CodeInvalidParameter, "offset is required")
	})
	t.Run("ErrCursor", func(t *testing.T) {
		do(t, h, "GET", "/userList?cursor=first&limit=2", "").wantError(t, 400, koodrive.CodeInvalidParameter, "cursor")
	})
	t.Run("ErrUnauthenticated", func(t *testing.T) {
		r := do(t, h, "GET", "/userList?offset=0&limit=2", "", "Authorization", "Bearer nobody")
		r.wantError(t, http.StatusUnauthorized, koodrive.CodeBadRequest)
	})
}
