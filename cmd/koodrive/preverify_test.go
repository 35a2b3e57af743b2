package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// orgForImport is an organization with 100 GB, 6 users at most, and the tree
// Organization > {Sales > {EMEA, APAC}, Engineering > EMEA, HR, Dept}.
type orgForImport struct {
	*server
	sales, salesEMEA, apac, eng, engEMEA, hr string
}

func newOrgForImport(t *testing.T) orgForImport {
	t.Helper()
	s := startServer(t, "--capacity-gb", "100", "--max-users", "6")
	o := orgForImport{server: s}
	o.sales = s.createDept(t, s.Admin, s.Root, "Sales")
	o.salesEMEA = s.createDept(t, s.Admin, o.sales, "EMEA")
	o.apac = s.createDept(t, s.Admin, o.sales, "APAC")
	o.eng = s.createDept(t, s.Admin, s.Root, "Engineering")
	o.engEMEA = s.createDept(t, s.Admin, o.eng, "EMEA")
	o.hr = s.createDept(t, s.Admin, s.Root, "HR")
	s.createDept(t, s.Admin, s.Root, "Dept")
	return o
}

// preverify posts rows for curDept and returns the results.
func (s *server) preverify(t *testing.T, curDept any, rows []map[string]any, headers ...string) []map[string]any {
	t.Helper()
	r := s.do(t, "POST", "/users/batchimport/preverify", s.Admin, map[string]any{"curDeptId": curDept, "users": rows}, headers...)
	r.wantOK(t)
	items, ok := r.Body["data"].([]any)
	if !ok || len(items) != len(rows) {
		t.Fatalf("data %v; want an array of %d results", r.Body["data"], len(rows))
	}
	out := make([]map[string]any, len(items))
	for i, it := range items {
		out[i] = it.(map[string]any)
	}
	return out
}

func row(dept string, capacity any, allocate bool) map[string]any {
	return map[string]any{"targetDeptName": dept, "personalCapacity": capacity, "isAllocateCapacity": allocate}
}

func TestPreverify_DocsExample(t *testing.T) {
	o := newOrgForImport(t)
	// KooDrive's example request with its missing comma restored.
	body := "{\n  \"curDeptId\": " + o.Root + ",\n  \"users\": [\n     {\n         \"targetDeptName\": \"Dept\",\n" +
		"          \"personalCapacity\":  10,\n          \"isAllocateCapacity\": true\n     }\n            ]\n}"
	r := o.do(t, "POST", "/users/batchimport/preverify", o.Admin, body)
	r.wantOK(t)
	if !strings.Contains(string(r.Raw), `"data":[{"isSuccess":0}]`) {
		t.Errorf("body %s, want data [{\"isSuccess\":0}]", r.Raw)
	}
	t.Run("ErrAsPublished", func(t *testing.T) {
		broken := strings.Replace(body, ",\n  \"users\"", "\n  \"users\"", 1)
		o.do(t, "POST", "/users/batchimport/preverify", o.Admin, broken).wantError(t, 400, 13000101, "line 3, column 3")
	})
}

func TestPreverify_Rules(t *testing.T) {
	o := newOrgForImport(t)
	o.createUser(t, o.Admin, map[string]any{"userId": "existing", "email": "existing@example.com", "mobile": "+8613900000000"})
	for _, tc := range []struct {
		name   string
		row    map[string]any
		pass   bool
		en, zh []string
	}{
		{"EmptyNameIsCurrentDept", row("", 0, false), true, nil, nil},
		{"ByName", row("HR", 10, true), true, nil, nil},
		{"ByNameIgnoringCase", row("hr", 10, true), true, nil, nil},
		{"ByPath", row("Sales/EMEA", 10, true), true, nil, nil},
		{"ByAbsolutePath", row("Organization/Engineering/EMEA", 1, true), true, nil, nil},
		{"CapacityAsString", row("HR", "10", true), true, nil, nil},
		{"ErrDeptUnknown", row("Marketing", 0, false), false, []string{"Marketing", "not found", "Organization"}, []string{"Marketing", "找不到"}},
		{"ErrDeptAmbiguous", row("EMEA", 0, false), false,
			[]string{"matches 2 departments", "Organization/Sales/EMEA", "Organization/Engineering/EMEA"}, []string{"匹配到 2 个部门"}},
		{"ErrCapacityNegative", row("HR", -1, true), false, []string{"personalCapacity", "0 to 104857600"}, []string{"personalCapacity", "0 到 104857600"}},
		{"ErrCapacityFraction", row("HR", 1.5, true), false, []string{"personalCapacity", "whole number"}, []string{"personalCapacity"}},
		{"ErrCapacityHuge", row("HR", json.Number("1e30"), true), false, []string{"personalCapacity"}, []string{"personalCapacity"}},
		{"ErrCapacityAboveMax", row("HR", 104857601, true), false, []string{"personalCapacity"}, []string{"personalCapacity"}},
		{"ErrCapacityText", row("HR", "ten", true), false, []string{"personalCapacity"}, []string{"personalCapacity"}},
		{"ErrCapacityMissing", map[string]any{"targetDeptName": "HR", "isAllocateCapacity": false}, false,
			[]string{"personalCapacity is required"}, []string{"缺少必填字段 personalCapacity"}},
		{"ErrAllocateMissing", map[string]any{"targetDeptName": "HR", "personalCapacity": 0}, false,
			[]string{"isAllocateCapacity is required"}, []string{"isAllocateCapacity"}},
		{"ErrCapacityWithoutAllocation", row("HR", 5, false), false, []string{"must be 0 when isAllocateCapacity is false"}, []string{"必须为 0"}},
		{"ErrAllocationOfZero", row("HR", 0, true), false, []string{"at least 1 GB"}, []string{"至少为 1 GB"}},
		{"ErrCapacityExceedsOrganization", row("HR", 101, true), false, []string{"needs 101 GB", "100 GB remain"}, []string{"101 GB", "100 GB"}},
		{"ErrExistingUserID", map[string]any{"userId": "EXISTING", "personalCapacity": 0, "isAllocateCapacity": false}, false,
			[]string{"userId EXISTING already belongs to an existing user"}, []string{"已属于现有用户"}},
		{"ErrExistingEmail", map[string]any{"email": "Existing@Example.com", "personalCapacity": 0, "isAllocateCapacity": false}, false,
			[]string{"email"}, []string{"email"}},
		{"ErrExistingMobile", map[string]any{"mobile": "+86 139 0000 0000", "personalCapacity": 0, "isAllocateCapacity": false}, false,
			[]string{"mobile"}, []string{"mobile"}},
		{"ErrBadEmail", map[string]any{"email": "nope", "personalCapacity": 0, "isAllocateCapacity": false}, false,
			[]string{"email must be an email address"}, []string{"电子邮箱"}},
		{"ErrSeveralReasons", map[string]any{"targetDeptName": "Nowhere", "personalCapacity": 3, "isAllocateCapacity": false}, false,
			[]string{"Nowhere", "; ", "must be 0"}, []string{"Nowhere", "；", "必须为 0"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, lang := range []struct {
				header string
				parts  []string
			}{{"en-US", tc.en}, {"zh-CN", tc.zh}} {
				res := o.preverify(t, o.Root, []map[string]any{tc.row}, "language", lang.header)[0]
				reason, _ := res["reason"].(string)
				if pass := num(t, res, "isSuccess") == 0; pass != tc.pass {
					t.Fatalf("%s: isSuccess %v reason %q; want pass=%v", lang.header, res["isSuccess"], reason, tc.pass)
				}
				if tc.pass && reason != "" {
					t.Errorf("%s: a passing row has reason %q", lang.header, reason)
				}
				for _, p := range lang.parts {
					if !strings.Contains(reason, p) {
						t.Errorf("%s: reason %q does not contain %q", lang.header, reason, p)
					}
				}
			}
		})
	}
}

func TestPreverify_ResolvesInsideCurrentDepartment(t *testing.T) {
	o := newOrgForImport(t)
	res := o.preverify(t, o.sales, []map[string]any{row("EMEA", 0, false), row("HR", 0, false), row("APAC", 1, true), row("", 0, false)})
	want := []int{0, 1, 0, 0} // inside Sales, EMEA is unique and HR does not exist
	for i, r := range res {
		if got := num(t, r, "isSuccess"); got != want[i] {
			t.Errorf("row %d: isSuccess %d (%v), want %d", i+1, got, r["reason"], want[i])
		}
	}
	if reason := res[1]["reason"].(string); !strings.Contains(reason, "Organization/Sales") {
		t.Errorf("reason %q does not name the department searched", reason)
	}
}

func TestPreverify_Accumulates(t *testing.T) {
	o := newOrgForImport(t) // 100 GB, 6 users of which 1 exists
	t.Run("Capacity", func(t *testing.T) {
		res := o.preverify(t, o.Root, []map[string]any{
			row("HR", 40, true), row("HR", 40, true), row("HR", 40, true), row("HR", 0, false), row("HR", 20, true),
		})
		want := []int{0, 0, 1, 0, 0}
		for i, r := range res {
			if got := num(t, r, "isSuccess"); got != want[i] {
				t.Errorf("row %d: isSuccess %d (%v), want %d", i+1, got, r["reason"], want[i])
			}
		}
		if reason := res[2]["reason"].(string); !strings.Contains(reason, "needs 40 GB and 20 GB remain") {
			t.Errorf("reason %q, want the need and what remains", reason)
		}
	})
	t.Run("Users", func(t *testing.T) {
		rows := []map[string]any{row("Nowhere", 0, false)} // fails, takes no place
		for range 6 {
			rows = append(rows, row("HR", 0, false))
		}
		res := o.preverify(t, o.Root, rows)
		want := []int{1, 0, 0, 0, 0, 0, 1}
		for i, r := range res {
			if got := num(t, r, "isSuccess"); got != want[i] {
				t.Errorf("row %d: isSuccess %d (%v), want %d", i+1, got, r["reason"], want[i])
			}
		}
		if reason := res[6]["reason"].(string); !strings.Contains(reason, "limit of 6 users") {
			t.Errorf("reason %q, want the user limit", reason)
		}
	})
}

func TestPreverify_DuplicatesInBatch(t *testing.T) {
	o := newOrgForImport(t)
	id := func(userID, email, mobile string) map[string]any {
		return map[string]any{"personalCapacity": 0, "isAllocateCapacity": false, "userId": userID, "email": email, "mobile": mobile}
	}
	res := o.preverify(t, o.Root, []map[string]any{
		id("ann", "ann@example.com", "+8613800000001"),
		id("ANN", "", ""),
		id("bob", "ANN@EXAMPLE.COM", ""),
		id("cat", "", "+86 138-0000-0001"),
		id("dan", "dan@example.com", "+8613800000002"),
	})
	want := []struct {
		ok    int
		parts []string
	}{
		{0, nil},
		{1, []string{"userId ANN repeats row 1"}},
		{1, []string{"email ANN@EXAMPLE.COM repeats row 1"}},
		{1, []string{"mobile +8613800000001 repeats row 1"}},
		{0, nil},
	}
	for i, r := range res {
		if got := num(t, r, "isSuccess"); got != want[i].ok {
			t.Errorf("row %d: isSuccess %d (%v), want %d", i+1, got, r["reason"], want[i].ok)
		}
		for _, p := range want[i].parts {
			if reason, _ := r["reason"].(string); !strings.Contains(reason, p) {
				t.Errorf("row %d: reason %q does not contain %q", i+1, reason, p)
			}
		}
	}
}

func TestPreverify_CurDeptIDAsLargeNumber(t *testing.T) {
	o := newOrgForImport(t)
	// The seed types curDeptId as Integer; IDs exceed 2^53, so it must be read exactly.
	body := `{"curDeptId":` + o.hr + `,"users":[{"targetDeptName":"","personalCapacity":0,"isAllocateCapacity":false}]}`
	r := o.do(t, "POST", "/users/batchimport/preverify", o.Admin, body)
	r.wantOK(t)
	if n, _ := strconv.ParseInt(o.hr, 10, 64); n <= 1<<53 {
		t.Fatalf("department ID %d is not above 2^53; the test proves nothing", n)
	}
}

func TestPreverify_BadInput(t *testing.T) {
	o := newOrgForImport(t)
	before := o.count(t)
	okRow := `{"targetDeptName":"HR","personalCapacity":1,"isAllocateCapacity":true}`
	var tooMany strings.Builder
	tooMany.WriteString(`{"curDeptId":"` + o.Root + `","users":[`)
	for i := range 100_001 {
		if i > 0 {
			tooMany.WriteByte(',')
		}
		tooMany.WriteString(`{"personalCapacity":0,"isAllocateCapacity":false}`)
	}
	tooMany.WriteString(`]}`)
	for _, tc := range []struct {
		name   string
		body   string
		status int
		code   int
		parts  []string
	}{
		{"ErrCurDeptMissing", `{"users":[` + okRow + `]}`, 400, 13000102, []string{"curDeptId", "required"}},
		{"ErrCurDeptText", `{"curDeptId":"sales","users":[` + okRow + `]}`, 400, 13000102, []string{"curDeptId"}},
		{"ErrCurDeptBool", `{"curDeptId":true,"users":[` + okRow + `]}`, 400, 13000101, []string{"curDeptId"}},
		{"ErrCurDeptUnknown", `{"curDeptId":1575416580416769793,"users":[` + okRow + `]}`, 404, 13000309, []string{"1575416580416769793", "curDeptId"}},
		{"ErrUsersMissing", `{"curDeptId":"` + o.Root + `"}`, 400, 13000102, []string{"users", "required"}},
		{"ErrUsersNull", `{"curDeptId":"` + o.Root + `","users":null}`, 400, 13000102, []string{"users", "required"}},
		{"ErrUsersObject", `{"curDeptId":"` + o.Root + `","users":{}}`, 400, 13000101, []string{"users", "array"}},
		{"ErrZeroRows", `{"curDeptId":"` + o.Root + `","users":[]}`, 400, 13000102, []string{"users", "1 to 100000"}},
		{"ErrTooManyRows", tooMany.String(), 400, 13000102, []string{"users", "1 to 100000"}},
		{"ErrRowNotObject", `{"curDeptId":"` + o.Root + `","users":[` + okRow + `,7]}`, 400, 13000101, []string{"users[1]", "object"}},
		{"ErrRowFieldType", `{"curDeptId":"` + o.Root + `","users":[` + okRow + `,` + okRow + `,{"isAllocateCapacity":"yes"}]}`, 400, 13000101,
			[]string{"users[2].isAllocateCapacity", "boolean"}},
		{"ErrRowCapacityType", `{"curDeptId":"` + o.Root + `","users":[{"personalCapacity":[1]}]}`, 400, 13000101,
			[]string{"users[0].personalCapacity", "number"}},
		// A row's mistake is named before the current department's, the
		// same whether the body is decoded in one pass or token by token.
		{"ErrRowBeforeCurDept", `{"curDeptId":"sales","users":[` + okRow + `,{"personalCapacity":true}]}`, 400, 13000101,
			[]string{"users[1].personalCapacity", "number"}},
		{"ErrRowBeforeCurDeptStreamed", `{"curDeptId":"sales","users":[` + okRow + `,{"personalCapacity":true},{"name":1}]}`, 400, 13000101,
			[]string{"users[1].personalCapacity", "number"}},
		{"ErrRowNameType", `{"curDeptId":"` + o.Root + `","users":[{"targetDeptName":3}]}`, 400, 13000101, []string{"users[0].targetDeptName", "string"}},
		{"ErrMissingComma", "{\"curDeptId\":\"" + o.Root + "\"\n\"users\":[]}", 400, 13000101, []string{"line 2, column 1"}},
		{"ErrNotObject", `"users"`, 400, 13000101, []string{"JSON object"}},
		{"ErrTrailing", `{"curDeptId":"` + o.Root + `","users":[` + okRow + `]}]`, 400, 13000101, []string{"after the JSON value"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o.do(t, "POST", "/users/batchimport/preverify", o.Admin, tc.body).wantError(t, tc.status, tc.code, tc.parts...)
		})
	}
	if got := o.count(t); got != before {
		t.Errorf("user count %d, want %d: pre-verification wrote something", got, before)
	}
}

// TestPreverify_LargeBatch checks 2,000 random rows against an expectation
// computed here from the rules, independently of the server's code.
func TestPreverify_LargeBatch(t *testing.T) {
	s := startServer(t, "--capacity-gb", "2000", "--max-users", "850")
	depts := map[string]bool{}
	for i := range 20 {
		name := fmt.Sprintf("Team%02d", i)
		s.createDept(t, s.Admin, s.Root, name)
		depts[name] = true
	}
	rng := rand.New(rand.NewPCG(1, 2))
	rows := make([]map[string]any, 2000)
	for i := range rows {
		dept := fmt.Sprintf("Team%02d", rng.IntN(24)) // 20..23 do not exist
		alloc := rng.IntN(3) > 0
		capacity := 0
		if alloc {
			capacity = rng.IntN(8) // 0 is an error when allocating
		} else if rng.IntN(10) == 0 {
			capacity = 2 // an error without allocation
		}
		rows[i] = row(dept, capacity, alloc)
		rows[i]["userId"] = fmt.Sprintf("user%d", rng.IntN(2500)) // some repeat
	}

	users, left := 1, 2000 // the administrator exists
	seen := map[string]bool{}
	want := make([]int, len(rows))
	for i, r := range rows {
		capacity, alloc := r["personalCapacity"].(int), r["isAllocateCapacity"].(bool)
		valid := depts[r["targetDeptName"].(string)] && !(alloc && capacity == 0) && !(!alloc && capacity != 0)
		dup := seen[r["userId"].(string)]
		seen[r["userId"].(string)] = true
		switch {
		case !valid || dup:
			want[i] = 1
		case users+1 > 850 || (alloc && capacity > left):
			want[i] = 1
		default:
			users++
			left -= capacity
		}
	}
	res := s.preverify(t, s.Root, rows)
	bad := 0
	for i, r := range res {
		if got := num(t, r, "isSuccess"); got != want[i] {
			bad++
			if bad <= 5 {
				t.Errorf("row %d %v: isSuccess %d (%v), want %d", i+1, rows[i], got, r["reason"], want[i])
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d rows differ", bad, len(rows))
	}
	if users < 850 || left > 7 {
		t.Fatalf("the batch does not reach the limits (users %d, capacity left %d); the test proves less than it says", users, left)
	}
}
