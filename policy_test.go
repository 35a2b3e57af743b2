package koodrive_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/koodrive/koodrive"
)

// testTree is a small department tree built with ChildPath:
//
//	root(1) > a(5) > a1(7)
//	root(1) > b(6)
//	root(1) > trap(50)   (its path "/1/50/" starts with "/1/5")
type testTree struct {
	root, a, a1, b, trap *koodrive.Department
}

func newTestTree(tb testing.TB) testTree {
	tb.Helper()
	mk := func(parent *koodrive.Department, id koodrive.ID, name string) *koodrive.Department {
		d := &koodrive.Department{ID: id, Name: name, Level: 1}
		if parent == nil {
			d.Path = koodrive.ChildPath("", id)
		} else {
			d.ParentID, d.Level, d.Path = parent.ID, parent.Level+1, koodrive.ChildPath(parent.Path, id)
		}
		return d
	}
	var tr testTree
	tr.root = mk(nil, 1, "Root")
	tr.a = mk(tr.root, 5, "A")
	tr.a1 = mk(tr.a, 7, "A1")
	tr.b = mk(tr.root, 6, "B")
	tr.trap = mk(tr.root, 50, "Trap")
	for _, c := range []struct {
		d    *koodrive.Department
		want string
	}{{tr.root, "/1/"}, {tr.a, "/1/5/"}, {tr.a1, "/1/5/7/"}, {tr.b, "/1/6/"}, {tr.trap, "/1/50/"}} {
		if c.d.Path != c.want {
			tb.Fatalf("ChildPath gave %s path %q, want %q", c.d.Name, c.d.Path, c.want)
		}
	}
	return tr
}

// wantForbidden checks that err is a *koodrive.Error of kind EFORBIDDEN and
// returns it.
func wantForbidden(tb testing.TB, err error) *koodrive.Error {
	tb.Helper()
	if err == nil {
		tb.Fatal("err = nil, want an EFORBIDDEN error")
	}
	var e *koodrive.Error
	if !errors.As(err, &e) {
		tb.Fatalf("err = %T %v, want a *koodrive.Error", err, err)
	}
	if e.Kind != koodrive.EFORBIDDEN {
		tb.Fatalf("kind = %q, want %q (%v)", e.Kind, koodrive.EFORBIDDEN, err)
	}
	if got := e.Kind.Code(); got != koodrive.CodeNoPermission {
		tb.Errorf("code = %d, want %d", got, koodrive.CodeNoPermission)
	}
	return e
}

var allRoles = []koodrive.Role{
	koodrive.RoleDeptAdmin, koodrive.RoleUser, koodrive.RoleSystemAdmin, koodrive.RoleDriveAdmin, koodrive.RoleMemberManager,
}

var allOps = []koodrive.Operation{
	koodrive.OpReadDepartments, koodrive.OpManageDepartments, koodrive.OpReadUsers, koodrive.OpManageUsers,
}

// intendedReach is the policy as the design states it, written out
// independently of the tables in policy.go: "all", "subtree" or "none".
var intendedReach = map[koodrive.Role]map[koodrive.Operation]string{
	koodrive.RoleSystemAdmin: {
		koodrive.OpReadDepartments: "all", koodrive.OpManageDepartments: "all",
		koodrive.OpReadUsers: "all", koodrive.OpManageUsers: "all",
	},
	koodrive.RoleDeptAdmin: {
		koodrive.OpReadDepartments: "all", koodrive.OpManageDepartments: "subtree",
		koodrive.OpReadUsers: "subtree", koodrive.OpManageUsers: "subtree",
	},
	koodrive.RoleMemberManager: {
		koodrive.OpReadDepartments: "all", koodrive.OpManageDepartments: "none",
		koodrive.OpReadUsers: "subtree", koodrive.OpManageUsers: "subtree",
	},
	koodrive.RoleDriveAdmin: {
		koodrive.OpReadDepartments: "all", koodrive.OpManageDepartments: "none",
		koodrive.OpReadUsers: "all", koodrive.OpManageUsers: "none",
	},
	koodrive.RoleUser: {
		koodrive.OpReadDepartments: "none", koodrive.OpManageDepartments: "none",
		koodrive.OpReadUsers: "none", koodrive.OpManageUsers: "none",
	},
}

func TestActor_Authorize(t *testing.T) {
	tr := newTestTree(t)
	targets := []struct {
		name   string
		dept   *koodrive.Department
		inside bool // inside the actor's subtree (actor sits in tr.a)
	}{
		{"Own", tr.a, true},
		{"Descendant", tr.a1, true},
		{"Sibling", tr.b, false},
		{"Root", tr.root, false},
		{"PrefixTrap", tr.trap, false},
		{"Nil", nil, false},
	}

	for _, role := range allRoles {
		for _, op := range allOps {
			for _, tg := range targets {
				t.Run(fmt.Sprintf("Role%d/%s/%s", role, op, tg.name), func(t *testing.T) {
					a := koodrive.Actor{ID: 100, UserID: "actor", Role: role, DeptID: tr.a.ID, DeptPath: tr.a.Path}
					reach := intendedReach[role][op]
					want := reach == "all" || (reach == "subtree" && tg.inside)

					err := a.Authorize(op, "deptId", tg.dept)
					if want {
						if err != nil {
							t.Fatalf("Authorize = %v, want nil", err)
						}
						return
					}
					e := wantForbidden(t, err)
					if reach == "subtree" && tg.dept != nil {
						// Outside the subtree: the message names the department and field.
						if e.Message.ID != koodrive.MsgForbiddenScope {
							t.Errorf("message = %q, want %q", e.Message.ID, koodrive.MsgForbiddenScope)
						}
						if got, want := e.Message.Params["ID"], tg.dept.ID.String(); got != want {
							t.Errorf("Params[ID] = %v, want %q", got, want)
						}
						if e.Field != "deptId" {
							t.Errorf("Field = %q, want %q", e.Field, "deptId")
						}
					}
					if reach == "none" && e.Message.ID != koodrive.MsgForbiddenRole {
						t.Errorf("message = %q, want %q", e.Message.ID, koodrive.MsgForbiddenRole)
					}
				})
			}
		}
	}

	t.Run("OKDeptAdminAtRootReachesEverything", func(t *testing.T) {
		a := koodrive.Actor{ID: 100, Role: koodrive.RoleDeptAdmin, DeptID: tr.root.ID, DeptPath: tr.root.Path}
		for _, d := range []*koodrive.Department{tr.root, tr.a, tr.a1, tr.b, tr.trap} {
			if err := a.Authorize(koodrive.OpManageDepartments, "deptId", d); err != nil {
				t.Errorf("Authorize(%s) = %v, want nil", d.Path, err)
			}
		}
	})

	t.Run("ErrSubtreeWithoutDeptPath", func(t *testing.T) {
		// An actor whose department path is unknown reaches nothing below "all".
		a := koodrive.Actor{ID: 100, Role: koodrive.RoleDeptAdmin, DeptID: tr.a.ID}
		wantForbidden(t, a.Authorize(koodrive.OpManageUsers, "deptId", tr.a))
		wantForbidden(t, a.Authorize(koodrive.OpManageUsers, "deptId", tr.root))
	})

	t.Run("ErrInvalidRole", func(t *testing.T) {
		a := koodrive.Actor{ID: 100, Role: 4, DeptID: tr.a.ID, DeptPath: tr.a.Path}
		for _, op := range allOps {
			wantForbidden(t, a.Authorize(op, "deptId", tr.a))
		}
	})
}

func TestDepartment_Contains(t *testing.T) {
	tr := newTestTree(t)
	for _, tt := range []struct {
		name string
		d    *koodrive.Department
		path string
		want bool
	}{
		{"OKSelf", tr.a, tr.a.Path, true},
		{"OKChild", tr.a, tr.a1.Path, true},
		{"OKDeep", tr.a, "/1/5/7/9/11/", true},
		{"OKRootContainsAll", tr.root, tr.trap.Path, true},
		{"ErrSibling", tr.a, tr.b.Path, false},
		{"ErrParent", tr.a, tr.root.Path, false},
		{"ErrPrefixTrap", tr.a, tr.trap.Path, false},
		{"ErrPrefixTrapDescendant", tr.a, "/1/50/3/", false},
		{"ErrChildNotParent", tr.a1, tr.a.Path, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.d.Contains(tt.path); got != tt.want {
				t.Errorf("%q.Contains(%q) = %v, want %v", tt.d.Path, tt.path, got, tt.want)
			}
		})
	}
}

func TestPathRange(t *testing.T) {
	inRange := func(lo, hi, p string) bool { return lo <= p && p < hi }
	for _, tt := range []struct {
		name string
		base string
		path string
		want bool
	}{
		{"OKSelf", "/1/5/", "/1/5/", true},
		{"OKChild", "/1/5/", "/1/5/7/", true},
		{"OKDeep", "/1/5/", "/1/5/7/9223372036854775807/", true},
		{"OKBigChild", "/1/5/", "/1/5/99999999999/", true},
		{"ErrPrefixTrap", "/1/5/", "/1/50/", false},
		{"ErrPrefixTrapChild", "/1/5/", "/1/50/2/", false},
		{"ErrPrefixTrap59", "/1/5/", "/1/59/", false},
		{"ErrSiblingBelow", "/1/5/", "/1/4/", false},
		{"ErrSiblingAbove", "/1/5/", "/1/6/", false},
		{"ErrParent", "/1/5/", "/1/", false},
		{"ErrParentNoSlash", "/1/5/", "/1/5", false},
		{"OKRootAll", "/1/", "/1/50/2/", true},
		{"ErrOtherRoot", "/1/", "/10/", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			lo, hi := koodrive.PathRange(tt.base)
			if got := inRange(lo, hi, tt.path); got != tt.want {
				t.Errorf("%q in PathRange(%q) = [%q, %q): %v, want %v", tt.path, tt.base, lo, hi, got, tt.want)
			}
			// PathRange and Contains must agree on every path.
			if got := (&koodrive.Department{Path: tt.base}).Contains(tt.path); got != tt.want {
				t.Errorf("Contains(%q, %q) = %v, want %v", tt.base, tt.path, got, tt.want)
			}
		})
	}
}

func TestAncestorIDs(t *testing.T) {
	for _, tt := range []struct {
		path string
		want []koodrive.ID
	}{
		{"/1/", []koodrive.ID{1}},
		{"/1/5/7/", []koodrive.ID{1, 5, 7}},
		{"/1/1575416580416769793/", []koodrive.ID{1, 1575416580416769793}},
		{"/", nil},
	} {
		got := koodrive.AncestorIDs(tt.path)
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("AncestorIDs(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
}

func TestActor_AuthorizeGrant(t *testing.T) {
	may := map[koodrive.Role][]koodrive.Role{
		koodrive.RoleSystemAdmin:   {0, 1, 2, 3, 5},
		koodrive.RoleDeptAdmin:     {0, 1, 5},
		koodrive.RoleMemberManager: {1},
		koodrive.RoleDriveAdmin:    nil,
		koodrive.RoleUser:          nil,
		4:                          nil, // not a role
		-1:                         nil,
	}
	granted := []koodrive.Role{-1, 0, 1, 2, 3, 4, 5, 6, 99}
	for actorRole, allowed := range may {
		for _, r := range granted {
			want := false
			for _, g := range allowed {
				want = want || g == r
			}
			t.Run(fmt.Sprintf("Role%dGrants%d", actorRole, r), func(t *testing.T) {
				a := koodrive.Actor{ID: 100, Role: actorRole, DeptID: 5, DeptPath: "/1/5/"}
				err := a.AuthorizeGrant("role", r)
				if want {
					if err != nil {
						t.Fatalf("AuthorizeGrant = %v, want nil", err)
					}
					return
				}
				e := wantForbidden(t, err)
				if e.Message.ID != koodrive.MsgForbiddenGrant {
					t.Errorf("message = %q, want %q", e.Message.ID, koodrive.MsgForbiddenGrant)
				}
				if got := e.Message.Params["Role"]; got != int(r) {
					t.Errorf("Params[Role] = %v (%T), want %d", got, got, int(r))
				}
				if e.Field != "role" {
					t.Errorf("Field = %q, want %q", e.Field, "role")
				}
			})
		}
	}
}

func TestActor_AuthorizeUserRead(t *testing.T) {
	tr := newTestTree(t)
	self := &koodrive.User{ID: 100, UserID: "me", DeptID: tr.a.ID}
	peer := &koodrive.User{ID: 101, UserID: "peer", DeptID: tr.a.ID}
	below := &koodrive.User{ID: 102, UserID: "below", DeptID: tr.a1.ID}
	outside := &koodrive.User{ID: 103, UserID: "outside", DeptID: tr.b.ID}
	trap := &koodrive.User{ID: 104, UserID: "trap", DeptID: tr.trap.ID}
	actor := func(r koodrive.Role) koodrive.Actor {
		return koodrive.Actor{ID: 100, UserID: "me", Role: r, DeptID: tr.a.ID, DeptPath: tr.a.Path}
	}

	for _, tt := range []struct {
		name string
		role koodrive.Role
		u    *koodrive.User
		dept *koodrive.Department
		want bool
	}{
		{"OKUserSelf", koodrive.RoleUser, self, tr.a, true},
		{"ErrUserPeer", koodrive.RoleUser, peer, tr.a, false},
		{"ErrUserOutside", koodrive.RoleUser, outside, tr.b, false},
		{"OKDeptAdminPeer", koodrive.RoleDeptAdmin, peer, tr.a, true},
		{"OKDeptAdminBelow", koodrive.RoleDeptAdmin, below, tr.a1, true},
		{"ErrDeptAdminOutside", koodrive.RoleDeptAdmin, outside, tr.b, false},
		{"ErrDeptAdminPrefixTrap", koodrive.RoleDeptAdmin, trap, tr.trap, false},
		{"OKMemberManagerBelow", koodrive.RoleMemberManager, below, tr.a1, true},
		{"ErrMemberManagerOutside", koodrive.RoleMemberManager, outside, tr.b, false},
		{"OKDriveAdminOutside", koodrive.RoleDriveAdmin, outside, tr.b, true},
		{"OKSystemAdminOutside", koodrive.RoleSystemAdmin, outside, tr.b, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := actor(tt.role).AuthorizeUserRead(tt.u, tt.dept)
			if tt.want {
				if err != nil {
					t.Fatalf("AuthorizeUserRead = %v, want nil", err)
				}
				return
			}
			wantForbidden(t, err)
		})
	}
}

func TestActor_HomeDepartment(t *testing.T) {
	const root, own koodrive.ID = 1, 5
	for _, role := range allRoles {
		for _, op := range allOps {
			want := own
			if intendedReach[role][op] == "all" {
				want = root
			}
			a := koodrive.Actor{ID: 100, Role: role, DeptID: own, DeptPath: "/1/5/"}
			if got := a.HomeDepartment(op, root); got != want {
				t.Errorf("role %d HomeDepartment(%s) = %d, want %d", role, op, got, want)
			}
		}
	}
}
