package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestCreateUser_DocsExample(t *testing.T) {
	s := startServer(t)
	// The request of KooDrive's "Creating a User" page, verbatim.
	r := s.do(t, "POST", "/users", s.Admin, "{\n  \"userId\": \"1008600000029937613\"\n}")
	r.wantOK(t)
	if r.msg() != "success" {
		t.Errorf("msg %q, want success", r.msg())
	}
	data := r.data(t)
	id := str(t, data, "id")
	if got := str(t, data, "deptId"); got != s.Root {
		t.Errorf("deptId %s, want the root %s", got, s.Root)
	}

	u := s.do(t, "GET", "/users/"+id, s.Admin, nil)
	u.wantOK(t)
	got := u.data(t)
	for key, want := range map[string]any{
		"id": id, "userId": "1008600000029937613", "deptId": s.Root, "deptName": "Organization",
		"name": "", "mobile": "", "email": "",
	} {
		if got[key] != want {
			t.Errorf("%s = %v, want %v", key, got[key], want)
		}
	}
	if role := num(t, got, "role"); role != 1 {
		t.Errorf("role %d, want 1 (common user)", role)
	}
	if status := num(t, got, "status"); status != 2 {
		t.Errorf("status %d, want 2 (not activated)", status)
	}
	str(t, got, "orgId")
}

func TestCreateUser_AllFields(t *testing.T) {
	s := startServer(t)
	dept := s.createDept(t, s.Admin, s.Root, "Sales")
	deptNum, _ := json.Number(dept).Int64()
	for i, tc := range []struct {
		name   string
		req    map[string]any
		role   int
		deptID string
	}{
		{"DeptIDAsString", map[string]any{"deptId": dept, "role": "0"}, 0, dept},
		// Above 2^53: a JSON number that a float64 would round.
		{"DeptIDAsNumber", map[string]any{"deptId": json.Number(fmt.Sprint(deptNum)), "role": 5}, 5, dept},
		{"RoleAsNumber", map[string]any{"role": 2}, 2, s.Root},
		{"RoleDriveAdmin", map[string]any{"role": "3"}, 3, s.Root},
		{"EmptyModify", map[string]any{}, 1, s.Root},
		{"NullDept", map[string]any{"deptId": nil, "role": nil}, 1, s.Root},
	} {
		t.Run(tc.name, func(t *testing.T) {
			userID := "u-" + strings.ToLower(tc.name)
			r := s.do(t, "POST", "/users", s.Admin, map[string]any{
				"userId": userID, "name": "名字 " + tc.name, "mobile": "+86 138-0000-" + fmt.Sprintf("%04d", i),
				"email": userID + "@Example.com", "modifyUserInfoReq": tc.req,
			})
			r.wantOK(t)
			if got := str(t, r.data(t), "deptId"); got != tc.deptID {
				t.Errorf("data.deptId %s, want %s", got, tc.deptID)
			}
			u := s.do(t, "GET", "/users/"+str(t, r.data(t), "id"), s.Admin, nil)
			u.wantOK(t)
			d := u.data(t)
			if got := num(t, d, "role"); got != tc.role {
				t.Errorf("role %d, want %d", got, tc.role)
			}
			if got := str(t, d, "deptId"); got != tc.deptID {
				t.Errorf("deptId %s, want %s", got, tc.deptID)
			}
			if got := str(t, d, "name"); got != "名字 "+tc.name {
				t.Errorf("name %q", got)
			}
			if got := str(t, d, "mobile"); got != "+86138"+"0000"+fmt.Sprintf("%04d", i) {
				t.Errorf("mobile %q, want the normalized number", got)
			}
			if got := str(t, d, "email"); got != userID+"@Example.com" {
				t.Errorf("email %q", got)
			}
		})
	}
}

// TestCreateUser_BadInput sends every kind of bad request and checks that
// each gets the right status, code and a message naming the problem, and
// that none of them writes anything.
func TestCreateUser_BadInput(t *testing.T) {
	s := startServer(t)
	s.createUser(t, s.Admin, map[string]any{"userId": "Taken", "email": "taken@example.com", "mobile": "+8613800000000"})
	before := s.count(t)
	for _, tc := range []struct {
		name   string
		body   string
		status int
		code   int
		parts  []string
	}{
		{"ErrEmptyBody", ``, 400, 13000101, []string{"empty"}},
		{"ErrBlankBody", "  \n ", 400, 13000101, []string{"empty"}},
		{"ErrMalformed", `{"userId": "a",}`, 400, 13000101, []string{"line 1, column 16"}},
		{"ErrMissingComma", "{\n \"userId\": \"a\"\n \"name\": \"b\"}", 400, 13000101, []string{"line 3, column 2"}},
		{"ErrTruncated", `{"userId": "a"`, 400, 13000101, []string{"not valid JSON"}},
		{"ErrTrailingData", `{"userId": "a"} {}`, 400, 13000101, []string{"after the JSON value"}},
		{"ErrArrayBody", `[{"userId": "a"}]`, 400, 13000101, []string{"JSON object"}},
		{"ErrUserIDNumber", `{"userId": 12}`, 400, 13000101, []string{"userId", "string"}},
		{"ErrModifyNotObject", `{"userId": "a", "modifyUserInfoReq": "x"}`, 400, 13000101, []string{"modifyUserInfoReq", "object"}},
		{"ErrRoleBool", `{"userId": "a", "modifyUserInfoReq": {"role": true}}`, 400, 13000101, []string{"modifyUserInfoReq.role"}},
		{"ErrDeptObject", `{"userId": "a", "modifyUserInfoReq": {"deptId": {}}}`, 400, 13000101, []string{"modifyUserInfoReq.deptId"}},
		{"ErrUserIDMissing", `{"modifyUserInfoReq": {"role": "1"}}`, 400, 13000102, []string{"userId", "required"}},
		{"ErrUserIDEmpty", `{"userId": ""}`, 400, 13000102, []string{"userId", "required"}},
		{"ErrUserIDSpace", `{"userId": "a b"}`, 400, 13000102, []string{"userId", "spaces"}},
		{"ErrUserIDTooLong", `{"userId": "` + strings.Repeat("u", 65) + `"}`, 400, 13000102, []string{"userId", "64"}},
		{"ErrDeptIDText", `{"userId": "a", "modifyUserInfoReq": {"deptId": "sales"}}`, 400, 13000102, []string{"modifyUserInfoReq.deptId"}},
		{"ErrDeptIDNegative", `{"userId": "a", "modifyUserInfoReq": {"deptId": -5}}`, 400, 13000102, []string{"modifyUserInfoReq.deptId"}},
		{"ErrDeptIDFraction", `{"userId": "a", "modifyUserInfoReq": {"deptId": 1.5}}`, 400, 13000102, []string{"modifyUserInfoReq.deptId"}},
		{"ErrDeptIDAbove64Bits", `{"userId": "a", "modifyUserInfoReq": {"deptId": 18446744073709551617}}`, 400, 13000102, []string{"modifyUserInfoReq.deptId"}},
		{"ErrDeptIDAbove64BitsString", `{"userId": "a", "modifyUserInfoReq": {"deptId": "9223372036854775808"}}`, 400, 13000102, []string{"modifyUserInfoReq.deptId"}},
		{"ErrDeptUnknown", `{"userId": "a", "modifyUserInfoReq": {"deptId": "1575416580416769793"}}`, 404, 13000309, []string{"1575416580416769793", "modifyUserInfoReq.deptId"}},
		{"ErrRoleUnknown", `{"userId": "a", "modifyUserInfoReq": {"role": 4}}`, 400, 13000102, []string{"modifyUserInfoReq.role"}},
		{"ErrRoleText", `{"userId": "a", "modifyUserInfoReq": {"role": "admin"}}`, 400, 13000102, []string{"modifyUserInfoReq.role"}},
		{"ErrRoleNegative", `{"userId": "a", "modifyUserInfoReq": {"role": "-1"}}`, 400, 13000102, []string{"modifyUserInfoReq.role"}},
		{"ErrEmail", `{"userId": "a", "email": "not-an-email"}`, 400, 13000102, []string{"email"}},
		{"ErrMobile", `{"userId": "a", "mobile": "call me"}`, 400, 13000102, []string{"mobile"}},
		{"ErrDuplicateUserID", `{"userId": "Taken"}`, 409, 13000102, []string{"userId", "Taken"}},
		{"ErrDuplicateUserIDCase", `{"userId": "tAKEN"}`, 409, 13000102, []string{"userId", "tAKEN"}},
		{"ErrDuplicateEmail", `{"userId": "b", "email": "TAKEN@example.com"}`, 409, 13000102, []string{"email"}},
		{"ErrDuplicateMobile", `{"userId": "c", "mobile": "+86 138 0000 0000"}`, 409, 13000102, []string{"mobile"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := s.do(t, "POST", "/users", s.Admin, tc.body)
			r.wantError(t, tc.status, tc.code, tc.parts...)
			if got := s.count(t); got != before {
				t.Errorf("user count %d after a refused request, want %d", got, before)
			}
		})
	}
}

func TestCreateUser_BadInputInChinese(t *testing.T) {
	s := startServer(t)
	r := s.do(t, "POST", "/users", s.Admin, `{"userId": "a", "modifyUserInfoReq": {"role": 4}}`, "language", "zh-CN")
	r.wantError(t, 400, 13000102, "modifyUserInfoReq.role", "部门管理员")
	r = s.do(t, "POST", "/users", s.Admin, `{"userId": 5}`, "language", "zh-CN")
	r.wantError(t, 400, 13000101, "userId", "必须是")
	r = s.do(t, "POST", "/users", s.Admin, `{"userId": "a",}`, "language", "zh-CN")
	r.wantError(t, 400, 13000101, "第 1 行")
}

func TestGetUser(t *testing.T) {
	s := startServer(t)
	t.Run("ErrNotNumeric", func(t *testing.T) {
		s.do(t, "GET", "/users/alice", s.Admin, nil).wantError(t, 400, 13000102, "userId")
	})
	t.Run("ErrUnknown", func(t *testing.T) {
		s.do(t, "GET", "/users/1316083732377070977", s.Admin, nil).wantError(t, 404, 13000309, "1316083732377070977")
	})
}

func TestListUsers(t *testing.T) {
	s := startServer(t)
	sales := s.createDept(t, s.Admin, s.Root, "Sales")
	emea := s.createDept(t, s.Admin, sales, "EMEA")
	var salesIDs, emeaIDs []string
	for i := range 3 {
		salesIDs = append(salesIDs, s.createUser(t, s.Admin, map[string]any{"userId": fmt.Sprintf("sales%d", i), "name": fmt.Sprintf("Seller %d", i),
			"modifyUserInfoReq": map[string]any{"deptId": sales}}))
	}
	for i := range 4 {
		emeaIDs = append(emeaIDs, s.createUser(t, s.Admin, map[string]any{"userId": fmt.Sprintf("emea%d", i), "name": fmt.Sprintf("Händler_%d", i),
			"modifyUserInfoReq": map[string]any{"deptId": emea}}))
	}
	ids := func(r reply) []string {
		var out []string
		for _, u := range r.list(t) {
			out = append(out, u["id"].(string))
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		query string
		want  []string
		total int
	}{
		{"WholeOrganization", "offset=0&limit=100", nil, 8},
		{"Subtree", "deptId=" + sales + "&offset=0&limit=100", append(append([]string{}, salesIDs...), emeaIDs...), 7},
		{"Direct", "deptId=" + sales + "&isDirect=true&offset=0&limit=100", salesIDs, 3},
		{"Page", "deptId=" + sales + "&offset=2&limit=3", []string{salesIDs[2], emeaIDs[0], emeaIDs[1]}, 7},
		{"PastTheEnd", "deptId=" + sales + "&offset=50&limit=3", nil, 7},
		{"KeyWordName", "keyWord=h%C3%84NDLER&offset=0&limit=100", emeaIDs, 4},
		{"KeyWordUserID", "keyWord=SALES1&offset=0&limit=100", salesIDs[1:2], 1},
		{"KeyWordWildcardIsLiteral", "keyWord=_&offset=0&limit=100", emeaIDs, 4},
		{"KeyWordPercentIsLiteral", "keyWord=%25&offset=0&limit=100", nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := s.do(t, "GET", "/userList?"+tc.query, s.Admin, nil)
			r.wantOK(t)
			if got := num(t, r.Body, "total"); got != tc.total {
				t.Errorf("total %d, want %d", got, tc.total)
			}
			if tc.want != nil || tc.total == 0 {
				if got := ids(r); strings.Join(got, ",") != strings.Join(tc.want, ",") {
					t.Errorf("ids %v, want %v", got, tc.want)
				}
			}
		})
	}
	for _, tc := range []struct{ name, query, field string }{
		{"ErrNoOffset", "limit=10", "offset"},
		{"ErrNoLimit", "offset=0", "limit"},
		{"ErrLimitZero", "offset=0&limit=0", "limit"},
		{"ErrLimitTooBig", "offset=0&limit=101", "limit"},
		{"ErrOffsetNegative", "offset=-1&limit=10", "offset"},
		{"ErrOffsetText", "offset=first&limit=10", "offset"},
		{"ErrIsDirect", "offset=0&limit=10&isDirect=maybe", "isDirect"},
		{"ErrDeptID", "offset=0&limit=10&deptId=x", "deptId"},
		{"ErrKeyWordTooLong", "offset=0&limit=10&keyWord=" + strings.Repeat("k", 65), "keyWord"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s.do(t, "GET", "/userList?"+tc.query, s.Admin, nil).wantError(t, 400, 13000102, tc.field)
		})
	}
	t.Run("ErrUnknownDept", func(t *testing.T) {
		s.do(t, "GET", "/userList?offset=0&limit=10&deptId=1575416580416769793", s.Admin, nil).wantError(t, 404, 13000309, "deptId")
	})
}

func TestCountUsers(t *testing.T) {
	s := startServer(t)
	a := s.createDept(t, s.Admin, s.Root, "A")
	b := s.createDept(t, s.Admin, a, "B")
	s.createUser(t, s.Admin, map[string]any{"userId": "a1", "modifyUserInfoReq": map[string]any{"deptId": a}})
	s.createUser(t, s.Admin, map[string]any{"userId": "b1", "modifyUserInfoReq": map[string]any{"deptId": b}})
	s.createUser(t, s.Admin, map[string]any{"userId": "b2", "modifyUserInfoReq": map[string]any{"deptId": b}})
	for dept, want := range map[string]int{"": 4, s.Root: 4, a: 3, b: 2} {
		r := s.do(t, "GET", "/users/count?deptId="+dept, s.Admin, nil)
		r.wantOK(t)
		if got := num(t, r.Body, "total"); got != want {
			t.Errorf("count of %q: %d, want %d", dept, got, want)
		}
	}
	s.do(t, "GET", "/users/count?deptId=99", s.Admin, nil).wantError(t, http.StatusNotFound, 13000309, "99")
}
