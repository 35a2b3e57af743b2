package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// ucUser returns the data of GET /users/{id}, read by the system administrator.
func ucUser(t testing.TB, s *server, id string) map[string]any {
	t.Helper()
	r := s.do(t, "GET", "/users/"+id, s.Admin, nil)
	r.wantOK(t)
	return r.data(t)
}

// ucSnapshot returns GET /users/{id} as canonical JSON, or "404" when the
// user does not exist, so that a test can check a refused request changed
// nothing.
func ucSnapshot(t testing.TB, s *server, id string) string {
	t.Helper()
	r := s.do(t, "GET", "/users/"+id, s.Admin, nil)
	if r.Status == http.StatusNotFound {
		return "404"
	}
	r.wantOK(t)
	b, err := json.Marshal(r.data(t))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// ucUnchanged fails unless the users' snapshots are still those taken in before.
func ucUnchanged(t testing.TB, s *server, before map[string]string) {
	t.Helper()
	for id, want := range before {
		if got := ucSnapshot(t, s, id); got != want {
			t.Errorf("user %s after a refused request:\n got %s\nwant %s", id, got, want)
		}
	}
}

// ucSnapshots takes the snapshots of users.
func ucSnapshots(t testing.TB, s *server, ids ...string) map[string]string {
	t.Helper()
	m := make(map[string]string, len(ids))
	for _, id := range ids {
		m[id] = ucSnapshot(t, s, id)
	}
	return m
}

// ucCount returns users/count for a department ("" for the whole organization).
func ucCount(t testing.TB, s *server, dept string) int {
	t.Helper()
	r := s.do(t, "GET", "/users/count?deptId="+dept, s.Admin, nil)
	r.wantOK(t)
	return num(t, r.Body, "total")
}

// ucListIDs returns the IDs of the first 100 users of a userList query.
func ucListIDs(t testing.TB, s *server, query string) []string {
	t.Helper()
	r := s.do(t, "GET", "/userList?offset=0&limit=100&"+query, s.Admin, nil)
	r.wantOK(t)
	var ids []string
	for _, u := range r.list(t) {
		ids = append(ids, str(t, u, "id"))
	}
	return ids
}

func ucContains(ids []string, id string) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// ucAllocated returns usage/overview's totalAllocation in GB.
func ucAllocated(t testing.TB, s *server) int {
	t.Helper()
	r := s.do(t, "GET", "/space/usage/overview", s.Admin, nil)
	r.wantOK(t)
	return num(t, r.data(t), "totalAllocation")
}

// ucAuth answers GET /session/auth with the token.
func ucAuth(t testing.TB, s *server, token string) reply {
	t.Helper()
	return s.do(t, "GET", "/session/auth", token, nil)
}

// ucHeld is a request whose headers the server has read and authenticated
// but whose body is not sent yet: the server has answered "100 Continue"
// to its Expect header, which it does when the handler starts reading the
// body, after the credentials are checked. Sending the body later lets a
// test run a request with an actor as it was before another request changed
// it.
type ucHeld struct {
	conn net.Conn
	rd   *bufio.Reader
	req  *http.Request
	body []byte
}

func ucHold(t testing.TB, s *server, method, path, token, body string, headers ...string) *ucHeld {
	t.Helper()
	u, err := url.Parse(s.URL)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.DialTimeout("tcp", u.Host, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	var head bytes.Buffer
	fmt.Fprintf(&head, "%s %s HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\n", method, apiPath(path), u.Host, token)
	fmt.Fprintf(&head, "Content-Length: %d\r\nExpect: 100-continue\r\nConnection: close\r\n", len(body))
	for i := 0; i+1 < len(headers); i += 2 {
		fmt.Fprintf(&head, "%s: %s\r\n", headers[i], headers[i+1])
	}
	head.WriteString("\r\n")
	if _, err := conn.Write(head.Bytes()); err != nil {
		t.Fatal(err)
	}
	h := &ucHeld{conn: conn, rd: bufio.NewReader(conn), body: []byte(body)}
	h.req, _ = http.NewRequest(method, s.URL+apiPath(path), nil)
	status, err := h.rd.ReadString('\n')
	if err != nil {
		t.Fatalf("%s %s: waiting for 100 Continue: %v", method, path, err)
	}
	if !strings.Contains(status, " 100 ") {
		// Answered without reading the body (refused before it): show why.
		rest, _ := h.rd.ReadString(0)
		t.Fatalf("%s %s answered %q%s before its body was sent; want 100 Continue", method, path, status, rest)
	}
	for {
		line, err := h.rd.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		if line == "\r\n" {
			break
		}
	}
	return h
}

// release sends the body and reads the answer.
func (h *ucHeld) release(t testing.TB) reply {
	t.Helper()
	if _, err := h.conn.Write(h.body); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(h.rd, h.req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var raw bytes.Buffer
	if _, err := raw.ReadFrom(resp.Body); err != nil {
		t.Fatal(err)
	}
	r := reply{Status: resp.StatusCode, Header: resp.Header, Raw: raw.Bytes()}
	dec := json.NewDecoder(bytes.NewReader(r.Raw))
	dec.UseNumber()
	if err := dec.Decode(&r.Body); err != nil {
		t.Fatalf("status %d, body is not a JSON object: %q", resp.StatusCode, r.Raw)
	}
	return r
}

func TestUpdateUser_Fields(t *testing.T) {
	s := startServer(t)
	sales := s.createDept(t, s.Admin, s.Root, "Sales")
	support := s.createDept(t, s.Admin, s.Root, "Support")
	id := s.createUser(t, s.Admin, map[string]any{"userId": "ed", "name": "Ed", "mobile": "+8613800000001", "email": "ed@example.com"})
	salesNum := json.Number(sales)
	if n, _ := salesNum.Int64(); n <= 1<<53 {
		t.Fatalf("department ID %s is not above 2^53; the number case tests nothing", sales)
	}

	for _, tc := range []struct {
		name string
		body string
		key  string
		want any
	}{
		{"Name", `{"name": "Edward Ng"}`, "name", "Edward Ng"},
		{"NameUnicode", `{"name": "黄 伟"}`, "name", "黄 伟"},
		{"Mobile", `{"mobile": "+86 139-0000-0002"}`, "mobile", "+8613900000002"},
		{"Email", `{"email": "Edward@Example.com"}`, "email", "Edward@Example.com"},
		{"DeptIDAsString", `{"deptId": "` + support + `"}`, "deptId", support},
		{"DeptIDAsNumber", `{"deptId": ` + sales + `}`, "deptId", sales},
		{"RoleAsString", `{"role": "5"}`, "role", json.Number("5")},
		{"RoleAsNumber", `{"role": 0}`, "role", json.Number("0")},
		{"RoleDriveAdmin", `{"role": 3}`, "role", json.Number("3")},
		{"RoleBack", `{"role": "1"}`, "role", json.Number("1")},
		{"StatusAsString", `{"status": "1"}`, "status", json.Number("1")},
		{"StatusEnabled", `{"status": 0}`, "status", json.Number("0")},
		{"StatusAsNumber", `{"status": 1}`, "status", json.Number("1")},
		{"StatusFrozen", `{"status": 7}`, "status", json.Number("7")},
		{"StatusEnabledAsString", `{"status": "0"}`, "status", json.Number("0")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := ucUser(t, s, id)
			r := s.do(t, "PUT", "/users/"+id, s.Admin, tc.body)
			r.wantOK(t)
			if got := r.data(t)[tc.key]; got != tc.want {
				t.Errorf("response data.%s = %v, want %v", tc.key, got, tc.want)
			}
			after := ucUser(t, s, id)
			if got := after[tc.key]; got != tc.want {
				t.Errorf("GET data.%s = %v, want %v", tc.key, got, tc.want)
			}
			// The response is the user as GET now returns it, and no other
			// field changed.
			got, _ := json.Marshal(r.data(t))
			now, _ := json.Marshal(after)
			if string(got) != string(now) {
				t.Errorf("response data %s, GET data %s; want the same", got, now)
			}
			for k, v := range before {
				if k != tc.key && k != "deptName" && after[k] != v {
					t.Errorf("%s changed from %v to %v", k, v, after[k])
				}
			}
		})
	}
	t.Run("DeptNameFollows", func(t *testing.T) {
		s.do(t, "PUT", "/users/"+id, s.Admin, map[string]any{"deptId": support}).wantOK(t)
		if got := ucUser(t, s, id)["deptName"]; got != "Support" {
			t.Errorf("deptName %v, want Support", got)
		}
	})
	t.Run("SeveralAtOnce", func(t *testing.T) {
		r := s.do(t, "PUT", "/users/"+id, s.Admin, map[string]any{"deptId": sales, "role": 5, "status": "1", "name": "E", "email": "e@example.com"})
		r.wantOK(t)
		u := ucUser(t, s, id)
		for k, want := range map[string]any{"deptId": sales, "deptName": "Sales", "role": json.Number("5"), "status": json.Number("1"), "name": "E", "email": "e@example.com"} {
			if u[k] != want {
				t.Errorf("%s = %v, want %v", k, u[k], want)
			}
		}
	})
	t.Run("EmptyBodyObjectChangesNothing", func(t *testing.T) {
		before := ucSnapshot(t, s, id)
		s.do(t, "PUT", "/users/"+id, s.Admin, `{}`).wantOK(t)
		s.do(t, "PUT", "/users/"+id, s.Admin, `{"name": null, "mobile": null, "deptId": null, "role": null, "status": null}`).wantOK(t)
		if got := ucSnapshot(t, s, id); got != before {
			t.Errorf("after {}: %s, want %s", got, before)
		}
	})
	t.Run("MobileEmptyClears", func(t *testing.T) {
		s.do(t, "PUT", "/users/"+id, s.Admin, map[string]any{"mobile": "+8613800000009"}).wantOK(t)
		r := s.do(t, "GET", "/users/mobile/"+id, s.Admin, nil)
		r.wantOK(t)
		if got := str(t, r.Body, "mobile"); got != "+8613800000009" {
			t.Fatalf("mobile %q, want +8613800000009", got)
		}
		s.do(t, "PUT", "/users/"+id, s.Admin, map[string]any{"mobile": ""}).wantOK(t)
		r = s.do(t, "GET", "/users/mobile/"+id, s.Admin, nil)
		r.wantOK(t)
		if got := str(t, r.Body, "mobile"); got != "" {
			t.Errorf("mobile %q after clearing, want \"\"", got)
		}
		if got := ucUser(t, s, id)["mobile"]; got != "" {
			t.Errorf("GET /users mobile %v after clearing, want \"\"", got)
		}
		// A cleared number is free for another user, and two users may
		// both have none.
		s.createUser(t, s.Admin, map[string]any{"userId": "next-owner", "mobile": "+8613800000009"})
		other := s.createUser(t, s.Admin, map[string]any{"userId": "no-mobile"})
		s.do(t, "PUT", "/users/"+other, s.Admin, map[string]any{"mobile": ""}).wantOK(t)
	})
	t.Run("EmailEmptyClears", func(t *testing.T) {
		s.do(t, "PUT", "/users/"+id, s.Admin, map[string]any{"email": ""}).wantOK(t)
		if got := ucUser(t, s, id)["email"]; got != "" {
			t.Errorf("email %v after clearing, want \"\"", got)
		}
	})
}

func TestUpdateUser_MoveChangesListings(t *testing.T) {
	s := startServer(t)
	a := s.createDept(t, s.Admin, s.Root, "A")
	a1 := s.createDept(t, s.Admin, a, "A1")
	b := s.createDept(t, s.Admin, s.Root, "B")
	mover := s.createUser(t, s.Admin, map[string]any{"userId": "mover", "modifyUserInfoReq": map[string]any{"deptId": a1}})
	s.createUser(t, s.Admin, map[string]any{"userId": "stayer", "modifyUserInfoReq": map[string]any{"deptId": a1}})
	s.createUser(t, s.Admin, map[string]any{"userId": "b1", "modifyUserInfoReq": map[string]any{"deptId": b}})

	counts := func() map[string]int {
		return map[string]int{"A": ucCount(t, s, a), "A1": ucCount(t, s, a1), "B": ucCount(t, s, b), "org": ucCount(t, s, "")}
	}
	before := counts()
	if want := map[string]int{"A": 2, "A1": 2, "B": 1, "org": 4}; fmt.Sprint(before) != fmt.Sprint(want) {
		t.Fatalf("counts before %v, want %v", before, want)
	}
	s.do(t, "PUT", "/users/"+mover, s.Admin, map[string]any{"deptId": b}).wantOK(t)
	if got, want := counts(), map[string]int{"A": 1, "A1": 1, "B": 2, "org": 4}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("counts after the move %v, want %v", got, want)
	}
	for _, tc := range []struct {
		query string
		want  bool
	}{
		{"deptId=" + a, false},
		{"deptId=" + a1, false},
		{"deptId=" + a1 + "&isDirect=true", false},
		{"deptId=" + b, true},
		{"deptId=" + b + "&isDirect=true", true},
		{"keyWord=mover", true},
	} {
		r := s.do(t, "GET", "/userList?offset=0&limit=100&"+tc.query, s.Admin, nil)
		r.wantOK(t)
		var ids []string
		for _, u := range r.list(t) {
			ids = append(ids, str(t, u, "id"))
		}
		if got := ucContains(ids, mover); got != tc.want {
			t.Errorf("userList?%s lists the moved user: %v, want %v", tc.query, got, tc.want)
		}
		if got := num(t, r.Body, "total"); got != len(ids) {
			t.Errorf("userList?%s total %d, list has %d", tc.query, got, len(ids))
		}
	}
	if got := ucUser(t, s, mover)["deptName"]; got != "B" {
		t.Errorf("deptName %v, want B", got)
	}
}

func TestUpdateUser_DisableEndsSessions(t *testing.T) {
	s := startServer(t)
	for _, tc := range []struct {
		name   string
		status any
	}{{"Disabled", 1}, {"DisabledAsString", "1"}, {"Frozen", 7}, {"FrozenAsString", "7"}} {
		t.Run(tc.name, func(t *testing.T) {
			userID := "u-" + strings.ToLower(tc.name)
			id, token := s.userIn(t, userID, s.Root, 1)
			ucAuth(t, s, token).wantOK(t)
			s.do(t, "PUT", "/users/"+id, s.Admin, map[string]any{"status": tc.status}).wantOK(t)
			ucAuth(t, s, token).wantError(t, http.StatusUnauthorized, 13000101)
			s.do(t, "GET", "/users/"+id, token, nil).wantError(t, http.StatusUnauthorized, 13000101)

			// Re-enabling does not bring the ended sessions back.
			s.do(t, "PUT", "/users/"+id, s.Admin, map[string]any{"status": 0}).wantOK(t)
			ucAuth(t, s, token).wantError(t, http.StatusUnauthorized, 13000101)
			ucAuth(t, s, s.token(t, userID)).wantOK(t)
		})
	}
	t.Run("LoginCodeEnds", func(t *testing.T) {
		// A login code issued before the user was disabled opens no
		// session after it is enabled again.
		id, _ := s.userIn(t, "coder", s.Root, 1)
		out, err := cli(t, nil, "token", "create", "--data", s.Data, "--user", "coder", "--code")
		if err != nil {
			t.Fatal(err)
		}
		code := lastLine(out)
		s.do(t, "PUT", "/users/"+id, s.Admin, map[string]any{"status": 1}).wantOK(t)
		s.do(t, "PUT", "/users/"+id, s.Admin, map[string]any{"status": 0}).wantOK(t)
		s.do(t, "POST", "/session/", "", map[string]any{"code": code}).wantError(t, http.StatusUnauthorized, 13000101, "login code")
	})
	t.Run("AppAuthForDisabledUser", func(t *testing.T) {
		app := s.newApp(t, "sync")
		id, _ := s.userIn(t, "app-acted", s.Root, 0)
		s.signed(t, app, id, "GET", "/users/count", "").wantOK(t)
		s.do(t, "PUT", "/users/"+id, s.Admin, map[string]any{"status": 1}).wantOK(t)
		s.signed(t, app, id, "GET", "/users/count?deptId="+s.Root, "").wantError(t, http.StatusUnauthorized, 13000101)
	})
	t.Run("OtherChangesKeepSessions", func(t *testing.T) {
		a := s.createDept(t, s.Admin, s.Root, "A")
		id, token := s.userIn(t, "kept", s.Root, 1)
		ucAuth(t, s, token).wantOK(t)
		s.do(t, "PUT", "/users/"+id, s.Admin, map[string]any{"deptId": a, "role": 5, "name": "Kept", "status": 0}).wantOK(t)
		r := ucAuth(t, s, token)
		r.wantOK(t)
		// The session reflects the change at once.
		if got := r.data(t)["deptId"]; got != a {
			t.Errorf("session/auth deptId %v, want %s", got, a)
		}
	})
}

func TestUpdateUser_BadInput(t *testing.T) {
	s := startServer(t)
	s.createUser(t, s.Admin, map[string]any{"userId": "taken", "email": "taken@example.com", "mobile": "+8613900000000"})
	id := s.createUser(t, s.Admin, map[string]any{"userId": "target", "email": "target@example.com", "mobile": "+8613800000000", "name": "T"})
	before := ucSnapshots(t, s, id)
	for _, tc := range []struct {
		name   string
		body   string
		status int
		code   int
		parts  []string
	}{
		{"ErrStatus2", `{"status": 2}`, 400, 13000102, []string{"status", "0, 1, 7"}},
		{"ErrStatus5", `{"status": 5}`, 400, 13000102, []string{"status"}},
		{"ErrStatus5AsString", `{"status": "5"}`, 400, 13000102, []string{"status"}},
		{"ErrStatusNegative", `{"status": -1}`, 400, 13000102, []string{"status"}},
		{"ErrStatusText", `{"status": "off"}`, 400, 13000102, []string{"status"}},
		{"ErrStatusFraction", `{"status": 1.5}`, 400, 13000102, []string{"status"}},
		{"ErrRole4", `{"role": 4}`, 400, 13000102, []string{"role"}},
		{"ErrRole4AsString", `{"role": "4"}`, 400, 13000102, []string{"role"}},
		{"ErrRoleText", `{"role": "admin"}`, 400, 13000102, []string{"role"}},
		{"ErrDeptUnknown", `{"deptId": "1575416580416769793"}`, 404, 13000309, []string{"1575416580416769793", "deptId"}},
		{"ErrDeptUnknownNumber", `{"deptId": 1575416580416769793}`, 404, 13000309, []string{"1575416580416769793", "deptId"}},
		{"ErrDeptZero", `{"deptId": 0}`, 400, 13000102, []string{"deptId"}},
		{"ErrDeptText", `{"deptId": "sales"}`, 400, 13000102, []string{"deptId"}},
		{"ErrDeptAbove64Bits", `{"deptId": 18446744073709551617}`, 400, 13000102, []string{"deptId"}},
		{"ErrNameNumber", `{"name": 5}`, 400, 13000101, []string{"name", "string"}},
		{"ErrNameTooLong", `{"name": "` + strings.Repeat("n", 65) + `"}`, 400, 13000102, []string{"name"}},
		{"ErrMobileNumber", `{"mobile": 13800000001}`, 400, 13000101, []string{"mobile", "string"}},
		{"ErrEmailArray", `{"email": ["a@b.c"]}`, 400, 13000101, []string{"email"}},
		{"ErrRoleBool", `{"role": true}`, 400, 13000101, []string{"role"}},
		{"ErrStatusObject", `{"status": {}}`, 400, 13000101, []string{"status"}},
		{"ErrDeptIDArray", `{"deptId": ["1"]}`, 400, 13000101, []string{"deptId"}},
		{"ErrBodyArray", `[{"name": "x"}]`, 400, 13000101, nil},
		{"ErrMalformed", `{"name": "x",}`, 400, 13000101, []string{"line 1"}},
		{"ErrEmptyBody", ``, 400, 13000101, nil},
		{"ErrEmail", `{"email": "not-an-email"}`, 400, 13000102, []string{"email"}},
		{"ErrMobile", `{"mobile": "call me"}`, 400, 13000102, []string{"mobile"}},
		{"ErrDuplicateEmail", `{"email": "TAKEN@example.com"}`, 409, 13000102, []string{"email"}},
		{"ErrDuplicateMobile", `{"mobile": "+86 139 0000 0000"}`, 409, 13000102, []string{"mobile", "+8613900000000"}},
		// A refused field refuses the whole request: the valid name is not applied either.
		{"ErrDuplicateWithOtherFields", `{"name": "Changed", "status": 1, "email": "taken@example.com"}`, 409, 13000102, []string{"email"}},
		{"ErrStatusWithOtherFields", `{"name": "Changed", "status": 2}`, 400, 13000102, []string{"status"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s.do(t, "PUT", "/users/"+id, s.Admin, tc.body).wantError(t, tc.status, tc.code, tc.parts...)
			ucUnchanged(t, s, before)
		})
	}
	t.Run("ErrUnknownUser", func(t *testing.T) {
		s.do(t, "PUT", "/users/1316083732377070977", s.Admin, `{"name": "x"}`).wantError(t, 404, 13000309, "user 1316083732377070977", "does not exist")
		s.do(t, "PUT", "/users/1316083732377070977", s.Admin, `{"name": "x"}`, "language", "zh-CN").wantError(t, 404, 13000309, "用户 1316083732377070977", "不存在")
	})
	t.Run("ErrNotNumeric", func(t *testing.T) {
		s.do(t, "PUT", "/users/target", s.Admin, `{"name": "x"}`).wantError(t, 400, 13000102, "userId")
		s.do(t, "PUT", "/users/-5", s.Admin, `{"name": "x"}`).wantError(t, 400, 13000102, "userId")
		ucUnchanged(t, s, before)
	})
	t.Run("OwnValuesAreNotTaken", func(t *testing.T) {
		// Setting a user's own email (in another case) or mobile again is no conflict.
		s.do(t, "PUT", "/users/"+id, s.Admin, `{"email": "TARGET@example.com", "mobile": "+86 138 0000 0000"}`).wantOK(t)
	})
}

// TestUpdateUser_Refusals checks who may not change whom; every refusal
// leaves every user as it was.
func TestUpdateUser_Refusals(t *testing.T) {
	s := startServer(t)
	a := s.createDept(t, s.Admin, s.Root, "A")
	a1 := s.createDept(t, s.Admin, a, "A1")
	b := s.createDept(t, s.Admin, s.Root, "B")
	deptAdmin, deptAdminTok := s.userIn(t, "dept-admin", a, 0)
	otherAdmin, _ := s.userIn(t, "other-dept-admin", a1, 0)
	sysAdmin2, _ := s.userIn(t, "sys-admin-2", a1, 2)
	manager, managerTok := s.userIn(t, "manager", a, 5)
	plain, plainTok := s.userIn(t, "plain", a1, 1)
	outsider := s.createUser(t, s.Admin, map[string]any{"userId": "outsider", "modifyUserInfoReq": map[string]any{"deptId": b}})
	adminID := s.adminID(t)
	all := []string{deptAdmin, otherAdmin, sysAdmin2, manager, plain, outsider, adminID}
	// First use activates a user (status 2 to 0); get that out of the way.
	for _, tok := range []string{deptAdminTok, managerTok, plainTok} {
		ucAuth(t, s, tok).wantOK(t)
	}

	for _, tc := range []struct {
		name   string
		token  string
		target string
		body   string
		parts  []string
	}{
		{"ErrSelfRole", plainTok, plain, `{"role": 0}`, []string{"your own"}},
		{"ErrSelfSameRole", plainTok, plain, `{"role": 1}`, []string{"your own"}},
		{"ErrSelfStatus", plainTok, plain, `{"status": 1}`, []string{"your own"}},
		{"ErrSelfDepartment", plainTok, plain, `{"deptId": "` + a + `"}`, []string{"your own"}},
		{"ErrSelfDepartmentWithName", plainTok, plain, `{"name": "New", "deptId": "` + a + `"}`, []string{"your own"}},
		{"ErrDeptAdminSelfRole", deptAdminTok, deptAdmin, `{"role": 1}`, []string{"your own"}},
		{"ErrSystemAdminSelfRole", s.Admin, adminID, `{"role": 1}`, []string{"your own"}},
		{"ErrSystemAdminSelfStatus", s.Admin, adminID, `{"status": 1}`, []string{"your own"}},
		{"ErrCommonUserChangesOther", plainTok, outsider, `{"name": "x"}`, nil},
		{"ErrDeptAdminChangesDeptAdmin", deptAdminTok, otherAdmin, `{"role": 1}`, []string{"role 0"}},
		{"ErrDeptAdminDisablesDeptAdmin", deptAdminTok, otherAdmin, `{"status": 1}`, []string{"role 0"}},
		{"ErrDeptAdminRenamesDeptAdmin", deptAdminTok, otherAdmin, `{"name": "x"}`, []string{"role 0"}},
		{"ErrDeptAdminChangesSystemAdmin", deptAdminTok, sysAdmin2, `{"status": 1}`, []string{"role 2"}},
		{"ErrDeptAdminChangesRootAdmin", deptAdminTok, adminID, `{"role": 1}`, nil},
		{"ErrDeptAdminMovesOutside", deptAdminTok, plain, `{"deptId": "` + b + `"}`, []string{b, "deptId"}},
		{"ErrDeptAdminMovesToRoot", deptAdminTok, plain, `{"deptId": "` + s.Root + `"}`, []string{s.Root, "deptId"}},
		{"ErrDeptAdminChangesOutsider", deptAdminTok, outsider, `{"status": 1}`, []string{b}},
		{"ErrDeptAdminGrantsSystemAdmin", deptAdminTok, plain, `{"role": 2}`, []string{"role", "2"}},
		{"ErrMemberManagerGrants5", managerTok, plain, `{"role": 5}`, []string{"role", "5"}},
		{"ErrMemberManagerGrants0", managerTok, plain, `{"role": "0"}`, []string{"role", "0"}},
		{"ErrMemberManagerChangesDeptAdmin", managerTok, otherAdmin, `{"status": 1}`, []string{"role 0"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := ucSnapshots(t, s, all...)
			s.do(t, "PUT", "/users/"+tc.target, tc.token, tc.body).wantError(t, http.StatusForbidden, 13000410, tc.parts...)
			ucUnchanged(t, s, before)
		})
	}
	t.Run("ErrSelfChangeInChinese", func(t *testing.T) {
		s.do(t, "PUT", "/users/"+plain, plainTok, `{"status": 1}`, "language", "zh-CN").
			wantError(t, http.StatusForbidden, 13000410, "不能修改自己的角色、状态或部门")
		s.do(t, "PUT", "/users/"+plain, plainTok, `{"status": 1}`, "language", "en-US").
			wantError(t, http.StatusForbidden, 13000410, "you cannot change your own role, status or department")
	})
	t.Run("SelfName", func(t *testing.T) {
		r := s.do(t, "PUT", "/users/"+plain, plainTok, `{"name": "Plain Jane", "email": "jane@example.com", "mobile": "+8613700000000"}`)
		r.wantOK(t)
		u := ucUser(t, s, plain)
		for k, want := range map[string]any{"name": "Plain Jane", "email": "jane@example.com", "mobile": "+8613700000000", "role": json.Number("1"), "deptId": a1} {
			if u[k] != want {
				t.Errorf("%s = %v, want %v", k, u[k], want)
			}
		}
		s.do(t, "PUT", "/users/"+deptAdmin, deptAdminTok, `{"name": "Boss"}`).wantOK(t)
		s.do(t, "PUT", "/users/"+adminID, s.Admin, `{"name": "Root Admin"}`).wantOK(t)
	})
	t.Run("DeptAdminInsideSubtree", func(t *testing.T) {
		s.do(t, "PUT", "/users/"+plain, deptAdminTok, map[string]any{"deptId": a, "role": 5}).wantOK(t)
		s.do(t, "PUT", "/users/"+plain, deptAdminTok, map[string]any{"deptId": a1, "role": 1, "status": 1}).wantOK(t)
		u := ucUser(t, s, plain)
		if u["deptId"] != a1 || u["role"] != json.Number("1") || u["status"] != json.Number("1") {
			t.Errorf("user %v, want in A1 with role 1 and status 1", u)
		}
		s.do(t, "PUT", "/users/"+plain, managerTok, map[string]any{"deptId": a, "status": 0}).wantOK(t)
	})
}

// TestUpdateUser_LastAdmin keeps one system administrator able to sign in.
// An administrator cannot change itself, and another one still counts, so
// the last one can only be demoted by a request whose caller stopped being
// an administrator while it was under way: the requests here are held
// after authentication (see ucHeld) and finished one after the other.
func TestUpdateUser_LastAdmin(t *testing.T) {
	s := startServer(t)
	adminA := s.adminID(t)
	adminB, tokB := s.userIn(t, "admin-b", s.Root, 2)
	ucAuth(t, s, tokB).wantOK(t)

	t.Run("ErrDemote", func(t *testing.T) {
		aDemotesB := ucHold(t, s, "PUT", "/users/"+adminB, s.Admin, `{"role": 1}`)
		bDemotesA := ucHold(t, s, "PUT", "/users/"+adminA, tokB, `{"role": "1"}`)
		aDemotesB.release(t).wantOK(t)
		before := ucSnapshots(t, s, adminA, adminB)
		bDemotesA.release(t).wantError(t, 400, 13000102, "last active system administrator")
		ucUnchanged(t, s, before)
		if got := ucUser(t, s, adminA)["role"]; got != json.Number("2") {
			t.Errorf("role of the last administrator %v, want 2", got)
		}
	})
	t.Run("ErrDisableInChinese", func(t *testing.T) {
		s.do(t, "PUT", "/users/"+adminB, s.Admin, `{"role": 2}`).wantOK(t)
		aDisablesB := ucHold(t, s, "PUT", "/users/"+adminB, s.Admin, `{"status": 1}`)
		bDisablesA := ucHold(t, s, "PUT", "/users/"+adminA, tokB, `{"status": 1}`, "language", "zh-CN")
		aDisablesB.release(t).wantOK(t)
		before := ucSnapshots(t, s, adminA, adminB)
		bDisablesA.release(t).wantError(t, 400, 13000102, "最后一个有效的系统管理员")
		ucUnchanged(t, s, before)
		ucAuth(t, s, s.Admin).wantOK(t)
	})
	t.Run("ErrFreeze", func(t *testing.T) {
		s.do(t, "PUT", "/users/"+adminB, s.Admin, `{"status": 0}`).wantOK(t)
		tokB = s.token(t, "admin-b")
		aFreezesB := ucHold(t, s, "PUT", "/users/"+adminB, s.Admin, `{"status": 7}`)
		bFreezesA := ucHold(t, s, "PUT", "/users/"+adminA, tokB, `{"status": "7"}`, "language", "en-US")
		aFreezesB.release(t).wantOK(t)
		bFreezesA.release(t).wantError(t, 400, 13000102, "last active system administrator")
		ucAuth(t, s, s.Admin).wantOK(t)
	})
	t.Run("SecondAdminLetsItThrough", func(t *testing.T) {
		s.do(t, "PUT", "/users/"+adminB, s.Admin, `{"status": 0}`).wantOK(t)
		tokB = s.token(t, "admin-b")
		adminC, tokC := s.userIn(t, "admin-c", s.Root, 2)
		aDemotesB := ucHold(t, s, "PUT", "/users/"+adminB, s.Admin, `{"role": 1}`)
		bDisablesA := ucHold(t, s, "PUT", "/users/"+adminA, tokB, `{"status": 1}`)
		aDemotesB.release(t).wantOK(t)
		bDisablesA.release(t).wantOK(t)
		r := s.do(t, "GET", "/users/"+adminA, tokC, nil)
		r.wantOK(t)
		if got := r.data(t)["status"]; got != json.Number("1") {
			t.Errorf("status of A %v, want 1", got)
		}
		r = s.do(t, "GET", "/users/"+adminC, tokC, nil)
		r.wantOK(t)
		if got := r.data(t)["role"]; got != json.Number("2") {
			t.Errorf("role of C %v, want 2", got)
		}
	})
}

func TestDeleteUser(t *testing.T) {
	s := startServer(t)
	a := s.createDept(t, s.Admin, s.Root, "A")
	a1 := s.createDept(t, s.Admin, a, "A1")
	b := s.createDept(t, s.Admin, s.Root, "B")
	deptAdmin, deptAdminTok := s.userIn(t, "dept-admin", a, 0)

	// deletable makes a user in dept and brings it to status (2 stays not
	// activated: its token is never used).
	n := 0
	deletable := func(t *testing.T, dept string, status int) (id, token string) {
		t.Helper()
		n++
		userID := fmt.Sprintf("del%d", n)
		id, token = s.userIn(t, userID, dept, 1)
		if status != 2 {
			ucAuth(t, s, token).wantOK(t) // activates
			s.do(t, "PUT", "/users/"+id, s.Admin, map[string]any{"status": status}).wantOK(t)
		}
		if got := num(t, ucUser(t, s, id), "status"); got != status {
			t.Fatalf("status %d, want %d", got, status)
		}
		return id, token
	}
	deleted := func(t *testing.T, id, token string, count int) {
		t.Helper()
		s.do(t, "GET", "/users/"+id, s.Admin, nil).wantError(t, 404, 13000309, id)
		s.do(t, "GET", "/users/mobile/"+id, s.Admin, nil).wantError(t, 404, 13000309, id)
		s.do(t, "DELETE", "/users/"+id, s.Admin, nil).wantError(t, 404, 13000309, id)
		if got := s.count(t); got != count {
			t.Errorf("users/count %d, want %d", got, count)
		}
		ucAuth(t, s, token).wantError(t, http.StatusUnauthorized, 13000101)
	}

	t.Run("NotActivated", func(t *testing.T) {
		id, token := deletable(t, s.Root, 2)
		before := s.count(t)
		r := s.do(t, "DELETE", "/users/"+id, s.Admin, nil)
		r.wantOK(t)
		deleted(t, id, token, before-1)
		// The userId is free again.
		s.createUser(t, s.Admin, map[string]any{"userId": fmt.Sprintf("del%d", n)})
	})
	t.Run("Disabled", func(t *testing.T) {
		id, token := deletable(t, a1, 1)
		before, inA := s.count(t), ucCount(t, s, a)
		s.do(t, "DELETE", "/users/"+id, s.Admin, nil).wantOK(t)
		deleted(t, id, token, before-1)
		if got := ucCount(t, s, a); got != inA-1 {
			t.Errorf("users/count?deptId=A %d, want %d", got, inA-1)
		}
	})
	t.Run("DeptAdminInsideSubtree", func(t *testing.T) {
		id, token := deletable(t, a1, 1)
		before := s.count(t)
		s.do(t, "DELETE", "/users/"+id, deptAdminTok, nil).wantOK(t)
		deleted(t, id, token, before-1)
	})
	for _, tc := range []struct {
		name   string
		status int
	}{{"ErrEnabled", 0}, {"ErrFrozen", 7}} {
		t.Run(tc.name, func(t *testing.T) {
			id, _ := deletable(t, s.Root, tc.status)
			before, snap := s.count(t), ucSnapshots(t, s, id)
			s.do(t, "DELETE", "/users/"+id, s.Admin, nil).wantError(t, 400, 13000102, "disabled or not activated", fmt.Sprintf("status %d", tc.status))
			s.do(t, "DELETE", "/users/"+id, s.Admin, nil, "language", "zh-CN").wantError(t, 400, 13000102, "只能删除已禁用或未激活的用户")
			ucUnchanged(t, s, snap)
			if got := s.count(t); got != before {
				t.Errorf("users/count %d, want %d", got, before)
			}
		})
	}
	t.Run("ErrSelf", func(t *testing.T) {
		adminID := s.adminID(t)
		s.do(t, "DELETE", "/users/"+adminID, s.Admin, nil).wantError(t, 403, 13000410, "delete yourself")
		s.do(t, "DELETE", "/users/"+deptAdmin, deptAdminTok, nil, "language", "zh-CN").wantError(t, 403, 13000410, "不能删除自己")
		ucAuth(t, s, s.Admin).wantOK(t)
		ucAuth(t, s, deptAdminTok).wantOK(t)
	})
	t.Run("ErrDeptAdminOutsideSubtree", func(t *testing.T) {
		id, _ := deletable(t, b, 1)
		before, snap := s.count(t), ucSnapshots(t, s, id)
		s.do(t, "DELETE", "/users/"+id, deptAdminTok, nil).wantError(t, 403, 13000410, b)
		ucUnchanged(t, s, snap)
		if got := s.count(t); got != before {
			t.Errorf("users/count %d, want %d", got, before)
		}
	})
	t.Run("ErrDeptAdminDeletesDeptAdmin", func(t *testing.T) {
		id, _ := s.userIn(t, "dept-admin-2", a1, 0)
		s.do(t, "PUT", "/users/"+id, s.Admin, map[string]any{"status": 1}).wantOK(t)
		snap := ucSnapshots(t, s, id)
		s.do(t, "DELETE", "/users/"+id, deptAdminTok, nil).wantError(t, 403, 13000410, "role 0")
		ucUnchanged(t, s, snap)
	})
	t.Run("ErrUnknown", func(t *testing.T) {
		s.do(t, "DELETE", "/users/1316083732377070977", s.Admin, nil).wantError(t, 404, 13000309, "1316083732377070977")
	})
	t.Run("ErrNotNumeric", func(t *testing.T) {
		s.do(t, "DELETE", "/users/del1", s.Admin, nil).wantError(t, 400, 13000102, "userId")
	})
}

func TestDeleteUser_PersonalSpace(t *testing.T) {
	s := startServer(t)
	allocate := func(t *testing.T, userID string) (id, container string) {
		t.Helper()
		id = s.createUser(t, s.Admin, map[string]any{"userId": userID})
		r := s.do(t, "POST", "/space/"+id, s.Admin, map[string]any{"capacity": "5", "type": 1})
		r.wantOK(t)
		return id, str(t, r.data(t), "containerId")
	}
	t.Run("CapacityReturns", func(t *testing.T) {
		before := ucAllocated(t, s)
		id, _ := allocate(t, "spacer")
		if got := ucAllocated(t, s); got != before+5 {
			t.Fatalf("totalAllocation %d after allocating 5 GB, want %d", got, before+5)
		}
		s.do(t, "PUT", "/users/"+id, s.Admin, map[string]any{"status": 1}).wantOK(t)
		s.do(t, "DELETE", "/users/"+id, s.Admin, nil).wantOK(t)
		if got := ucAllocated(t, s); got != before {
			t.Errorf("totalAllocation %d after deleting the user, want %d", got, before)
		}
		s.do(t, "GET", "/space/"+id+"?type=1", s.Admin, nil).wantError(t, 404, 13000309)
	})
	t.Run("ErrSpaceHoldsData", func(t *testing.T) {
		id, container := allocate(t, "hoarder")
		s.do(t, "PUT", "/koodrive/admin/v1/spaces/"+container+"/usage", s.Admin, map[string]any{"spaceUsed": 1048576}).wantOK(t)
		s.do(t, "PUT", "/users/"+id, s.Admin, map[string]any{"status": 1}).wantOK(t)
		allocated, count, snap := ucAllocated(t, s), s.count(t), ucSnapshots(t, s, id)

		s.do(t, "DELETE", "/users/"+id, s.Admin, nil).wantError(t, 400, 13000102, "1 GB")
		s.do(t, "DELETE", "/users/"+id, s.Admin, nil, "language", "zh-CN").wantError(t, 400, 13000102, "1 GB")
		ucUnchanged(t, s, snap)
		if got := ucAllocated(t, s); got != allocated {
			t.Errorf("totalAllocation %d, want %d", got, allocated)
		}
		if got := s.count(t); got != count {
			t.Errorf("users/count %d, want %d", got, count)
		}
		r := s.do(t, "GET", "/space/"+id+"?type=1", s.Admin, nil)
		r.wantOK(t)
		if c, u := num(t, r.data(t), "capacity"), num(t, r.data(t), "spaceUsed"); c != 5 || u != 1048576 {
			t.Errorf("space capacity %d, used %d; want 5 and 1048576", c, u)
		}

		// Once emptied, it goes.
		s.do(t, "PUT", "/koodrive/admin/v1/spaces/"+container+"/usage", s.Admin, map[string]any{"spaceUsed": 0}).wantOK(t)
		s.do(t, "DELETE", "/users/"+id, s.Admin, nil).wantOK(t)
		if got := ucAllocated(t, s); got != allocated-5 {
			t.Errorf("totalAllocation %d, want %d", got, allocated-5)
		}
	})
}

func TestGetUserMobile(t *testing.T) {
	s := startServer(t)
	a := s.createDept(t, s.Admin, s.Root, "A")
	b := s.createDept(t, s.Admin, s.Root, "B")
	_, deptAdminTok := s.userIn(t, "dept-admin", a, 0)
	self, selfTok := s.userIn(t, "self", b, 1)
	inA := s.createUser(t, s.Admin, map[string]any{"userId": "in-a", "mobile": "+86 138-0000-0001", "modifyUserInfoReq": map[string]any{"deptId": a}})
	inB := s.createUser(t, s.Admin, map[string]any{"userId": "in-b", "mobile": "+8613800000002", "modifyUserInfoReq": map[string]any{"deptId": b}})

	t.Run("OK", func(t *testing.T) {
		for _, tok := range []string{s.Admin, deptAdminTok} {
			r := s.do(t, "GET", "/users/mobile/"+inA, tok, nil)
			r.wantOK(t)
			if got := str(t, r.Body, "mobile"); got != "+8613800000001" {
				t.Errorf("mobile %q, want +8613800000001", got)
			}
			if _, nested := r.Body["data"]; nested {
				t.Errorf("mobile is nested under data: %s", r.Raw)
			}
		}
	})
	t.Run("NoMobile", func(t *testing.T) {
		r := s.do(t, "GET", "/users/mobile/"+self, selfTok, nil)
		r.wantOK(t)
		if got := str(t, r.Body, "mobile"); got != "" {
			t.Errorf("mobile %q, want \"\"", got)
		}
	})
	t.Run("ErrUnknown", func(t *testing.T) {
		s.do(t, "GET", "/users/mobile/1316083732377070977", s.Admin, nil).wantError(t, 404, 13000309, "1316083732377070977")
		s.do(t, "GET", "/users/mobile/1316083732377070977", s.Admin, nil, "language", "zh-CN").wantError(t, 404, 13000309, "不存在")
	})
	t.Run("ErrNotNumeric", func(t *testing.T) {
		s.do(t, "GET", "/users/mobile/in-a", s.Admin, nil).wantError(t, 400, 13000102, "userId")
	})
	t.Run("ErrOutsideScope", func(t *testing.T) {
		s.do(t, "GET", "/users/mobile/"+inB, deptAdminTok, nil).wantError(t, 403, 13000410, b)
		s.do(t, "GET", "/users/mobile/"+inB, selfTok, nil).wantError(t, 403, 13000410)
	})
	t.Run("ErrNoToken", func(t *testing.T) {
		s.do(t, "GET", "/users/mobile/"+inA, "", nil).wantError(t, 401, 13000101)
	})
}
