package koodrive_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/koodrive/koodrive"
)

// deptBuilder makes departments with paths built by ChildPath.
type deptBuilder struct {
	all    []*koodrive.Department
	nextID koodrive.ID
}

func (b *deptBuilder) add(parent *koodrive.Department, name string) *koodrive.Department {
	b.nextID++
	d := &koodrive.Department{ID: b.nextID, OrgID: 1, Name: name, Level: 1, Path: koodrive.ChildPath("", b.nextID)}
	if parent != nil {
		d.ParentID, d.Level, d.Path = parent.ID, parent.Level+1, koodrive.ChildPath(parent.Path, d.ID)
	}
	b.all = append(b.all, d)
	return d
}

// tree returns a DeptTree for base as sqldb loads one: base's ancestors by
// the IDs on its path, and its subtree (base included) by PathRange.
func (b *deptBuilder) tree(tb testing.TB, base *koodrive.Department) *koodrive.DeptTree {
	tb.Helper()
	ids := koodrive.AncestorIDs(base.Path)
	var ancestors, subtree []*koodrive.Department
	lo, hi := koodrive.PathRange(base.Path)
	for _, d := range b.all {
		if d.ID != base.ID && slices.Contains(ids, d.ID) {
			ancestors = append(ancestors, d)
		}
		if lo <= d.Path && d.Path < hi {
			subtree = append(subtree, d)
		}
	}
	return koodrive.NewDeptTree(base, ancestors, subtree)
}

// acme builds: Acme > Sales > {EMEA, APAC}; Acme > Engineering > EMEA; Acme > HR.
type acme struct {
	b                                              deptBuilder
	root, sales, salesEMEA, apac, eng, engEMEA, hr *koodrive.Department
}

func newAcme() *acme {
	a := &acme{}
	a.root = a.b.add(nil, "Acme")
	a.sales = a.b.add(a.root, "Sales")
	a.salesEMEA = a.b.add(a.sales, "EMEA")
	a.apac = a.b.add(a.sales, "APAC")
	a.eng = a.b.add(a.root, "Engineering")
	a.engEMEA = a.b.add(a.eng, "EMEA")
	a.hr = a.b.add(a.root, "HR")
	return a
}

func TestDeptTree_Resolve(t *testing.T) {
	a := newAcme()

	for _, tt := range []struct {
		name string
		base *koodrive.Department
		in   string
		want *koodrive.Department
	}{
		{"OKEmptyIsBaseRoot", a.root, "", a.root},
		{"OKEmptyIsBaseSales", a.sales, "", a.sales},
		{"OKSlashesOnlyIsBase", a.sales, " / ", a.sales},
		{"OKName", a.root, "HR", a.hr},
		{"OKNameIgnoresCase", a.root, "hr", a.hr},
		{"OKNameUpperCase", a.root, "ENGINEERING", a.eng},
		{"OKUniqueLeaf", a.root, "APAC", a.apac},
		{"OKPath", a.root, "Sales/EMEA", a.salesEMEA},
		{"OKOtherPath", a.root, "Engineering/EMEA", a.engEMEA},
		{"OKPathIgnoresCase", a.root, "sales/emea", a.salesEMEA},
		{"OKAbsolutePathFromRoot", a.root, "Acme/Sales/EMEA", a.salesEMEA},
		{"OKAbsolutePathThroughAncestor", a.sales, "Acme/Sales/EMEA", a.salesEMEA},
		{"OKPathFromSales", a.sales, "Sales/EMEA", a.salesEMEA},
		{"OKNameInsideSales", a.sales, "EMEA", a.salesEMEA},
		{"OKBaseByName", a.sales, "Sales", a.sales},
		{"OKSpacesAndSlashes", a.root, " Sales / EMEA ", a.salesEMEA},
		{"OKLeadingTrailingSlashes", a.root, "/Sales/EMEA/", a.salesEMEA},
		{"OKRootByName", a.root, "Acme", a.root},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, why := a.b.tree(t, tt.base).Resolve(tt.in)
			if why != nil {
				t.Fatalf("Resolve(%q) failed: %v", tt.in, why)
			}
			if got != tt.want {
				t.Errorf("Resolve(%q) = %v, want %s (%d)", tt.in, deptName(got), tt.want.Name, tt.want.ID)
			}
		})
	}

	t.Run("ErrAmbiguous", func(t *testing.T) {
		got, why := a.b.tree(t, a.root).Resolve("EMEA")
		if got != nil {
			t.Errorf("dept = %s, want nil", deptName(got))
		}
		if why == nil || why.ID != koodrive.MsgRowDeptAmbiguous {
			t.Fatalf("reason = %v, want %s", why, koodrive.MsgRowDeptAmbiguous)
		}
		if c := why.Params["Count"]; c != 2 {
			t.Errorf("Count = %v, want 2", c)
		}
		if n := why.Params["Name"]; n != "EMEA" {
			t.Errorf("Name = %v, want EMEA", n)
		}
		paths := splitPaths(t, why.Params["Paths"])
		slices.Sort(paths)
		if want := []string{"Acme/Engineering/EMEA", "Acme/Sales/EMEA"}; !slices.Equal(paths, want) {
			t.Errorf("Paths = %q, want %q", paths, want)
		}
	})

	t.Run("ErrAmbiguousIgnoresCase", func(t *testing.T) {
		_, why := a.b.tree(t, a.root).Resolve("emea")
		if why == nil || why.ID != koodrive.MsgRowDeptAmbiguous {
			t.Fatalf("reason = %v, want %s", why, koodrive.MsgRowDeptAmbiguous)
		}
	})

	for _, tt := range []struct {
		name     string
		base     *koodrive.Department
		in       string
		wantBase string
	}{
		{"ErrNotFound", a.root, "Marketing", "Acme"},
		{"ErrNotFoundOutsideBase", a.sales, "HR", "Acme/Sales"},
		{"ErrNotFoundOtherBranch", a.sales, "Engineering/EMEA", "Acme/Sales"},
		{"ErrNotFoundAncestorByName", a.sales, "Acme", "Acme/Sales"},
		{"ErrNotFoundWrongParent", a.root, "HR/EMEA", "Acme"},
		{"ErrNotFoundSkippedLevel", a.root, "Acme/EMEA", "Acme"},
		{"ErrNotFoundTooDeep", a.root, "World/Acme/Sales/EMEA", "Acme"},
		{"ErrNotFoundPartialName", a.root, "EME", "Acme"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, why := a.b.tree(t, tt.base).Resolve(tt.in)
			if got != nil {
				t.Errorf("dept = %s, want nil", deptName(got))
			}
			if why == nil || why.ID != koodrive.MsgRowDeptNotFound {
				t.Fatalf("reason = %v, want %s", why, koodrive.MsgRowDeptNotFound)
			}
			if b := why.Params["Base"]; b != tt.wantBase {
				t.Errorf("Base = %v, want %q", b, tt.wantBase)
			}
			if n := why.Params["Name"]; n != tt.in {
				t.Errorf("Name = %v, want %q", n, tt.in)
			}
		})
	}

	t.Run("ErrOutsideBaseEvenIfGiven", func(t *testing.T) {
		// A subtree list that is too broad must not widen the base's reach.
		tr := koodrive.NewDeptTree(a.sales, []*koodrive.Department{a.root}, a.b.all)
		if got, why := tr.Resolve("HR"); got != nil || why == nil || why.ID != koodrive.MsgRowDeptNotFound {
			t.Errorf("Resolve(HR) = %s, %v, want nil, %s", deptName(got), why, koodrive.MsgRowDeptNotFound)
		}
		if got, why := tr.Resolve("EMEA"); got != a.salesEMEA {
			t.Errorf("Resolve(EMEA) = %s, %v, want %s", deptName(got), why, deptName(a.salesEMEA))
		}
	})

	t.Run("ErrAmbiguousManyShowsFive", func(t *testing.T) {
		var b deptBuilder
		root := b.add(nil, "Acme")
		for i := range 7 {
			b.add(b.add(root, fmt.Sprintf("P%d", i)), "Team")
		}
		_, why := b.tree(t, root).Resolve("team")
		if why == nil || why.ID != koodrive.MsgRowDeptAmbiguous {
			t.Fatalf("reason = %v, want %s", why, koodrive.MsgRowDeptAmbiguous)
		}
		if c := why.Params["Count"]; c != 7 {
			t.Errorf("Count = %v, want 7", c)
		}
		paths := splitPaths(t, why.Params["Paths"])
		if len(paths) != 6 {
			t.Fatalf("Paths = %q: %d entries, want 5 paths and …", paths, len(paths))
		}
		if paths[5] != "…" {
			t.Errorf("last entry = %q, want …", paths[5])
		}
		for _, p := range paths[:5] {
			if !strings.HasPrefix(p, "Acme/P") || !strings.HasSuffix(p, "/Team") {
				t.Errorf("path %q, want Acme/P<n>/Team", p)
			}
		}
	})

	t.Run("OKAmbiguousExactlyFiveNoEllipsis", func(t *testing.T) {
		var b deptBuilder
		root := b.add(nil, "Acme")
		for i := range 5 {
			b.add(b.add(root, fmt.Sprintf("P%d", i)), "Team")
		}
		_, why := b.tree(t, root).Resolve("Team")
		if why == nil || why.ID != koodrive.MsgRowDeptAmbiguous {
			t.Fatalf("reason = %v, want %s", why, koodrive.MsgRowDeptAmbiguous)
		}
		paths := splitPaths(t, why.Params["Paths"])
		if len(paths) != 5 || slices.Contains(paths, "…") {
			t.Errorf("Paths = %q, want 5 paths without …", paths)
		}
	})
}

func TestDeptTree_DisplayPath(t *testing.T) {
	a := newAcme()
	tr := a.b.tree(t, a.sales)
	for _, tt := range []struct {
		d    *koodrive.Department
		want string
	}{
		{a.root, "Acme"},
		{a.sales, "Acme/Sales"},
		{a.salesEMEA, "Acme/Sales/EMEA"},
	} {
		if got := tr.DisplayPath(tt.d); got != tt.want {
			t.Errorf("DisplayPath(%s) = %q, want %q", tt.d.Name, got, tt.want)
		}
	}
}

func deptName(d *koodrive.Department) string {
	if d == nil {
		return "<nil>"
	}
	return fmt.Sprintf("%s (%d, %s)", d.Name, d.ID, d.Path)
}

func splitPaths(tb testing.TB, v any) []string {
	tb.Helper()
	s, ok := v.(string)
	if !ok {
		tb.Fatalf("Paths = %v (%T), want a string", v, v)
	}
	return strings.Split(s, ", ")
}
