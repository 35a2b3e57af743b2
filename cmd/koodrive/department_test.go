package main

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

func TestDepartments_CreateGetList(t *testing.T) {
	s := startServer(t)
	// The request of KooDrive's "Creating a Department" page, with our root.
	r := s.do(t, "POST", "/departments", s.Admin, `{"name":"test16","parentId":"`+s.Root+`"}`)
	r.wantOK(t)
	id := str(t, r.data(t), "id")

	rootNum, _ := json.Number(s.Root).Int64()
	// parentId as a JSON number above 2^53.
	r = s.do(t, "POST", "/departments", s.Admin, `{"name":"Beta","parentId":`+strconv.FormatInt(rootNum, 10)+`}`)
	r.wantOK(t)
	beta := str(t, r.data(t), "id")
	alpha := s.createDept(t, s.Admin, s.Root, "alpha")

	t.Run("GetIsFlat", func(t *testing.T) {
		r := s.do(t, "GET", "/departments/"+id, s.Admin, nil)
		r.wantOK(t)
		for key, want := range map[string]any{"id": id, "deptId": id, "parentId": s.Root, "name": "test16"} {
			if r.Body[key] != want {
				t.Errorf("%s = %v, want %v", key, r.Body[key], want)
			}
		}
		if str(t, r.Body, "orgId") == "" || str(t, r.Body, "tenantId") == "" {
			t.Errorf("orgId or tenantId empty: %s", r.Raw)
		}
		if _, nested := r.Body["data"]; nested {
			t.Errorf("department fields are nested under data: %s", r.Raw)
		}
	})
	t.Run("ListWithoutParentIsTheRoot", func(t *testing.T) {
		r := s.do(t, "GET", "/departmentList", s.Admin, nil)
		r.wantOK(t)
		list := r.list(t)
		if len(list) != 1 || list[0]["id"] != s.Root || list[0]["parentId"] != "0" {
			t.Fatalf("list %v, want the root alone with parentId \"0\"", list)
		}
	})
	t.Run("ChildrenByName", func(t *testing.T) {
		r := s.do(t, "GET", "/departmentList?departmentId="+s.Root, s.Admin, nil)
		r.wantOK(t)
		var got []string
		for _, d := range r.list(t) {
			got = append(got, d["id"].(string))
		}
		if want := []string{alpha, beta, id}; strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("children %v, want %v (alpha, Beta, test16)", got, want)
		}
	})
	t.Run("KeyWord", func(t *testing.T) {
		r := s.do(t, "GET", "/departmentList?departmentId="+s.Root+"&keyWord=ET", s.Admin, nil)
		r.wantOK(t)
		if l := r.list(t); len(l) != 1 || l[0]["id"] != beta {
			t.Errorf("list %v, want Beta alone", l)
		}
	})
	t.Run("ErrUnknown", func(t *testing.T) {
		s.do(t, "GET", "/departments/77", s.Admin, nil).wantError(t, 404, 13000309, "77")
		s.do(t, "GET", "/departmentList?departmentId=77", s.Admin, nil).wantError(t, 404, 13000309, "departmentId")
	})
	t.Run("ErrBadID", func(t *testing.T) {
		s.do(t, "GET", "/departments/x1", s.Admin, nil).wantError(t, 400, 13000102, "departmentId")
	})
}

func TestDepartments_Depth(t *testing.T) {
	s := startServer(t)
	parent := s.Root // level 1
	for level := 2; level <= 5; level++ {
		parent = s.createDept(t, s.Admin, parent, "L"+string(rune('0'+level)))
	}
	r := s.do(t, "POST", "/departments", s.Admin, map[string]any{"name": "L6", "parentId": parent})
	r.wantError(t, 400, 13000310, "5")
	r = s.do(t, "POST", "/departments", s.Admin, map[string]any{"name": "L6", "parentId": parent}, "language", "zh-CN")
	r.wantError(t, 400, 13000310, "5 级")
}

func TestDepartments_BadInput(t *testing.T) {
	s := startServer(t)
	s.createDept(t, s.Admin, s.Root, "Sales")
	count := func() int {
		r := s.do(t, "GET", "/departmentList?departmentId="+s.Root, s.Admin, nil)
		r.wantOK(t)
		return len(r.list(t))
	}
	before := count()
	for _, tc := range []struct {
		name   string
		body   string
		status int
		code   int
		parts  []string
	}{
		{"ErrNameTaken", `{"name":"Sales","parentId":"` + s.Root + `"}`, 409, 13000102, []string{"Sales"}},
		{"ErrNameTakenOtherCase", `{"name":"SALES","parentId":"` + s.Root + `"}`, 409, 13000102, []string{"SALES"}},
		{"ErrNameMissing", `{"parentId":"` + s.Root + `"}`, 400, 13000102, []string{"name", "required"}},
		{"ErrNameSlash", `{"name":"a/b","parentId":"` + s.Root + `"}`, 400, 13000102, []string{"name", "/"}},
		{"ErrNameControl", `{"name":"a\u0007b","parentId":"` + s.Root + `"}`, 400, 13000102, []string{"name"}},
		{"ErrNameSpaces", `{"name":" padded ","parentId":"` + s.Root + `"}`, 400, 13000102, []string{"name"}},
		{"ErrNameTooLong", `{"name":"` + strings.Repeat("部", 65) + `","parentId":"` + s.Root + `"}`, 400, 13000102, []string{"name", "64"}},
		{"ErrNameNumber", `{"name":5,"parentId":"` + s.Root + `"}`, 400, 13000101, []string{"name", "string"}},
		{"ErrParentMissing", `{"name":"X"}`, 400, 13000102, []string{"parentId", "required"}},
		{"ErrParentText", `{"name":"X","parentId":"root"}`, 400, 13000102, []string{"parentId"}},
		{"ErrParentUnknown", `{"name":"X","parentId":"123456789"}`, 404, 13000309, []string{"123456789", "parentId"}},
		{"ErrMalformed", `{"name":"X" "parentId":"1"}`, 400, 13000101, []string{"line 1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s.do(t, "POST", "/departments", s.Admin, tc.body).wantError(t, tc.status, tc.code, tc.parts...)
			if got := count(); got != before {
				t.Errorf("%d departments after a refused request, want %d", got, before)
			}
		})
	}
	t.Run("SameNameUnderAnotherParent", func(t *testing.T) {
		other := s.createDept(t, s.Admin, s.Root, "Other")
		s.createDept(t, s.Admin, other, "Sales")
	})
}
