package koodrive_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/koodrive/koodrive"
)

// vstep is one row given to a Verifier, the facts the store would have
// found for it, and what should become of it: the action, and for a
// failing row the kind and the reasons (message IDs in order, with
// parameters checked key by key, compared as text).
type vstep struct {
	row     koodrive.ImportRow
	facts   koodrive.Facts
	action  koodrive.Action
	kind    koodrive.Kind
	reasons []koodrive.MessageID
	params  []koodrive.Params
}

// vrow is a well-formed row into the verifier's base department with the
// given userId, capacity text and allocation flag.
func vrow(userID, capacity string, alloc bool) koodrive.ImportRow {
	return koodrive.ImportRow{UserID: userID, PersonalCapacity: capacity, IsAllocateCapacity: bptr(alloc)}
}

// vpass is a passing step.
func vpass(r koodrive.ImportRow, f koodrive.Facts, action koodrive.Action) vstep {
	return vstep{row: r, facts: f, action: action}
}

// vfail is a failing step.
func vfail(r koodrive.ImportRow, f koodrive.Facts, kind koodrive.Kind, reasons ...koodrive.MessageID) vstep {
	return vstep{row: r, facts: f, kind: kind, reasons: reasons}
}

func (s vstep) with(p ...koodrive.Params) vstep { s.params = p; return s }

// runSteps feeds the steps to one Verifier, in order, and checks each.
func runSteps(tb testing.TB, v *koodrive.Verifier, steps []vstep) []koodrive.VerifiedRow {
	tb.Helper()
	out := make([]koodrive.VerifiedRow, len(steps))
	for i, s := range steps {
		got := v.Verify(s.row, s.facts)
		out[i] = got
		r := got.Result
		ids := make([]koodrive.MessageID, len(r.Reasons))
		for j, m := range r.Reasons {
			ids[j] = m.ID
		}
		wantSuccess := koodrive.VerifyPass
		if len(s.reasons) > 0 {
			wantSuccess = koodrive.VerifyFail
		}
		if r.IsSuccess != wantSuccess || !slices.Equal(ids, s.reasons) {
			tb.Errorf("row %d: IsSuccess %d, reasons %v; want %d, %v", i+1, r.IsSuccess, r.Reasons, wantSuccess, s.reasons)
			continue
		}
		if got.Action != s.action {
			tb.Errorf("row %d: Action = %d, want %d", i+1, got.Action, s.action)
		}
		if r.Kind != s.kind {
			tb.Errorf("row %d: Kind = %q, want %q (reasons %v)", i+1, r.Kind, s.kind, r.Reasons)
		}
		for j, p := range s.params {
			for k, v := range p {
				if g := r.Reasons[j].Params[k]; fmt.Sprint(g) != fmt.Sprint(v) {
					tb.Errorf("row %d reason %d (%s): Params[%s] = %v, want %v", i+1, j+1, ids[j], k, g, v)
				}
			}
		}
	}
	return out
}

// The users and spaces an update-mode row meets. IDs are arbitrary but
// distinct from the actors'.
const (
	sysAdminID   koodrive.ID = 9001
	salesAdminID koodrive.ID = 9002
	aliceID      koodrive.ID = 9101 // a common user in Sales
	bobID        koodrive.ID = 9102 // another common user in Sales
	bossID       koodrive.ID = 9103 // a system administrator in Sales
	engUserID    koodrive.ID = 9104 // a common user in Engineering
)

func TestVerifier(t *testing.T) {
	a := newAcme()
	sysAdmin := &koodrive.Actor{ID: sysAdminID, UserID: "admin", Role: koodrive.RoleSystemAdmin, DeptID: a.root.ID, DeptPath: a.root.Path}
	salesAdmin := &koodrive.Actor{ID: salesAdminID, UserID: "sales-admin", Role: koodrive.RoleDeptAdmin, DeptID: a.sales.ID, DeptPath: a.sales.Path}
	user := func(id koodrive.ID, userID string, role koodrive.Role, dept *koodrive.Department) *koodrive.User {
		return &koodrive.User{ID: id, UserID: userID, Role: role, DeptID: dept.ID}
	}
	alice := user(aliceID, "alice", koodrive.RoleUser, a.sales)
	boss := user(bossID, "boss", koodrive.RoleSystemAdmin, a.sales)
	engUser := user(engUserID, "eng", koodrive.RoleUser, a.eng)
	self := user(salesAdminID, "sales-admin", koodrive.RoleDeptAdmin, a.sales)
	// existing returns the facts of a row whose userId belongs to u, as the
	// store fills them in update mode.
	existing := func(u *koodrive.User, dept *koodrive.Department, sp *koodrive.Space) koodrive.Facts {
		return koodrive.Facts{UserOwner: u.ID, Existing: u, ExistingDept: dept, ExistingSpace: sp}
	}
	space := func(owner koodrive.ID, gb, used int64) *koodrive.Space {
		return &koodrive.Space{Type: koodrive.SpacePersonal, OwnerID: owner, CapacityGB: gb, UsedBytes: used, Allocated: true}
	}
	taken := koodrive.Facts{UserOwner: aliceID}
	withRole := func(r koodrive.ImportRow, role string) koodrive.ImportRow { r.Role = role; return r }
	withEmail := func(r koodrive.ImportRow, email string) koodrive.ImportRow { r.Email = email; return r }
	withMobile := func(r koodrive.ImportRow, m string) koodrive.ImportRow { r.Mobile = m; return r }
	inDept := func(r koodrive.ImportRow, dept string) koodrive.ImportRow { r.TargetDeptName = dept; return r }
	room := &koodrive.Organization{CapacityGB: 1000, MaxUsers: 1000}

	for _, tt := range []struct {
		name  string
		org   *koodrive.Organization // room when nil
		base  *koodrive.Department   // the root when nil
		opts  koodrive.VerifyOptions
		steps []vstep
	}{
		// KooDrive's pre-verification: userId is optional and an existing
		// one fails.
		{name: "PreverifyUserIDOptional", steps: []vstep{
			vpass(vrow("", "0", false), koodrive.Facts{}, koodrive.ActionCreate),
			vpass(vrow("new", "0", false), koodrive.Facts{}, koodrive.ActionCreate),
		}},
		{name: "ErrPreverifyExists", steps: []vstep{
			vfail(vrow("alice", "0", false), taken, koodrive.ECONFLICT, koodrive.MsgRowExists).with(koodrive.Params{"Field": "userId", "Value": "alice"}),
		}},

		// create: userId is required; an existing one fails.
		{name: "ErrCreateUserIDRequired", opts: koodrive.VerifyOptions{Mode: koodrive.ImportCreate}, steps: []vstep{
			vfail(vrow("", "0", false), koodrive.Facts{}, koodrive.EINVALID, koodrive.MsgUserIDRequired),
			vpass(vrow("new", "0", false), koodrive.Facts{}, koodrive.ActionCreate),
			vfail(vrow("alice", "0", false), taken, koodrive.ECONFLICT, koodrive.MsgRowExists),
		}},
		{name: "ErrSkipUserIDRequired", opts: koodrive.VerifyOptions{Mode: koodrive.ImportSkip}, steps: []vstep{
			vfail(vrow("", "0", false), koodrive.Facts{}, koodrive.EINVALID, koodrive.MsgUserIDRequired),
		}},
		{name: "ErrUpdateUserIDRequired", opts: koodrive.VerifyOptions{Mode: koodrive.ImportUpdate}, steps: []vstep{
			vfail(vrow("", "0", false), koodrive.Facts{}, koodrive.EINVALID, koodrive.MsgUserIDRequired),
		}},

		// skip: an existing user is left alone and takes nothing from the
		// limits, which here are both reached; its fields are still checked.
		{name: "Skip", org: &koodrive.Organization{CapacityGB: 10, AllocatedGB: 10, UserCount: 5, MaxUsers: 5},
			opts: koodrive.VerifyOptions{Mode: koodrive.ImportSkip, Actor: sysAdmin}, steps: []vstep{
				vpass(vrow("alice", "5", true), taken, koodrive.ActionSkip),
				vpass(vrow("alice", "0", false), taken, koodrive.ActionSkip),
				vfail(vrow("new", "0", false), koodrive.Facts{}, koodrive.ELIMIT, koodrive.MsgRowUserLimit),
				vpass(vrow("alice", "0", false), taken, koodrive.ActionSkip),
			}},
		// A row whose user exists is skipped before any other rule, whatever
		// else it says: nothing in it is used (docs/compatibility.md, 48).
		{name: "SkipWhateverElse", opts: koodrive.VerifyOptions{Mode: koodrive.ImportSkip, Actor: salesAdmin}, base: a.sales, steps: []vstep{
			vpass(withEmail(vrow("alice", "0", false), "bad"), taken, koodrive.ActionSkip),
			vpass(inDept(vrow("alice", "0", false), "Nowhere"), taken, koodrive.ActionSkip),
			vpass(vrow("alice", "", true), taken, koodrive.ActionSkip),
			vpass(vrow("alice", "3", false), taken, koodrive.ActionSkip),
			vpass(withRole(vrow("alice", "0", false), "2"), taken, koodrive.ActionSkip),
			vpass(withEmail(vrow("alice", "0", false), "bob@example.com"), koodrive.Facts{UserOwner: aliceID, EmailOwner: bobID}, koodrive.ActionSkip),
			vpass(koodrive.ImportRow{UserID: "alice", Problems: []koodrive.Message{{ID: koodrive.MsgYesNo}}}, taken, koodrive.ActionSkip),
			// A duplicate of an earlier row is skipped too: it names a user
			// that exists.
			vpass(vrow("ALICE", "0", false), koodrive.Facts{UserOwner: aliceID, DupUserID: 1}, koodrive.ActionSkip),
			// A new user's row is checked as in create mode.
			vfail(withEmail(vrow("new", "0", false), "bad"), koodrive.Facts{}, koodrive.EINVALID, koodrive.MsgEmailInvalid),
			vfail(withRole(vrow("new", "0", false), "2"), koodrive.Facts{}, koodrive.EFORBIDDEN, koodrive.MsgForbiddenGrant),
		}},

		// update: the existing user changes; the actor must be allowed to
		// change it; no new user is counted.
		{name: "Update", org: &koodrive.Organization{CapacityGB: 10, UserCount: 5, MaxUsers: 5},
			opts: koodrive.VerifyOptions{Mode: koodrive.ImportUpdate, Actor: sysAdmin}, steps: []vstep{
				vpass(vrow("alice", "0", false), existing(alice, a.sales, nil), koodrive.ActionUpdate),
				vpass(vrow("boss", "0", false), existing(boss, a.sales, nil), koodrive.ActionUpdate),
				vfail(vrow("new", "0", false), koodrive.Facts{}, koodrive.ELIMIT, koodrive.MsgRowUserLimit),
			}},
		{name: "ErrUpdateRights", base: a.sales, opts: koodrive.VerifyOptions{Mode: koodrive.ImportUpdate, Actor: salesAdmin}, steps: []vstep{
			vpass(vrow("alice", "0", false), existing(alice, a.sales, nil), koodrive.ActionUpdate),
			// A department administrator does not change a system administrator...
			vfail(vrow("boss", "0", false), existing(boss, a.sales, nil), koodrive.EFORBIDDEN, koodrive.MsgForbiddenManage).
				with(koodrive.Params{"Role": int(koodrive.RoleSystemAdmin)}),
			// ...nor a user outside its subtree, nor itself.
			vfail(vrow("eng", "0", false), existing(engUser, a.eng, nil), koodrive.EFORBIDDEN, koodrive.MsgForbiddenScope),
			vfail(vrow("sales-admin", "0", false), existing(self, a.sales, nil), koodrive.EFORBIDDEN, koodrive.MsgForbiddenSelf),
		}},

		// update with capacity: the change is checked as a resize of the
		// existing space. 9 GB (and one byte) used of 10; 5 GB unallocated.
		{name: "UpdateCapacity", org: &koodrive.Organization{CapacityGB: 100, AllocatedGB: 95, MaxUsers: 100},
			opts: koodrive.VerifyOptions{Mode: koodrive.ImportUpdate, Actor: sysAdmin}, steps: []vstep{
				vfail(vrow("alice", "8", true), existing(alice, a.sales, space(aliceID, 10, 8*koodrive.GB+1)), koodrive.EINVALID, koodrive.MsgBelowUsed).
					with(koodrive.Params{"UsedGB": 9}),
				vfail(vrow("alice", "16", true), existing(alice, a.sales, space(aliceID, 10, 0)), koodrive.EINSUFFICIENTSPACE, koodrive.MsgInsufficientSpace).
					with(koodrive.Params{"Need": 6, "Left": 5}),
				// No space yet: the whole capacity is new.
				vfail(vrow("bob", "6", true), existing(user(bobID, "bob", koodrive.RoleUser, a.sales), a.sales, nil), koodrive.EINSUFFICIENTSPACE, koodrive.MsgInsufficientSpace).
					with(koodrive.Params{"Need": 6, "Left": 5}),
				vpass(vrow("alice", "15", true), existing(alice, a.sales, space(aliceID, 10, 0)), koodrive.ActionUpdate), // 0 left
				vfail(vrow("new", "1", true), koodrive.Facts{}, koodrive.EINSUFFICIENTSPACE, koodrive.MsgRowCapacityExceeded).
					with(koodrive.Params{"Need": 1, "Left": 0}),
				// Not allocating leaves the space as it is and takes nothing.
				vpass(vrow("alice", "0", false), existing(alice, a.sales, space(aliceID, 15, 0)), koodrive.ActionUpdate),
				// Shrinking frees capacity for the rows after it.
				vpass(vrow("alice", "9", true), existing(alice, a.sales, space(aliceID, 15, 8*koodrive.GB+1)), koodrive.ActionUpdate), // 6 left
				vpass(vrow("new1", "6", true), koodrive.Facts{}, koodrive.ActionCreate),                                               // 0 left
				vfail(vrow("new2", "1", true), koodrive.Facts{}, koodrive.EINSUFFICIENTSPACE, koodrive.MsgRowCapacityExceeded).
					with(koodrive.Params{"Need": 1, "Left": 0}),
			}},

		// Role grants: a department administrator grants no organization-wide role.
		{name: "ErrForbiddenGrant", base: a.sales, opts: koodrive.VerifyOptions{Mode: koodrive.ImportCreate, Actor: salesAdmin}, steps: []vstep{
			vfail(withRole(vrow("a", "0", false), "2"), koodrive.Facts{}, koodrive.EFORBIDDEN, koodrive.MsgForbiddenGrant).
				with(koodrive.Params{"Field": "role", "Role": 2}),
			vfail(withRole(vrow("b", "0", false), "3"), koodrive.Facts{}, koodrive.EFORBIDDEN, koodrive.MsgForbiddenGrant),
			vpass(withRole(vrow("c", "0", false), "0"), koodrive.Facts{}, koodrive.ActionCreate),
			vpass(withRole(vrow("d", "0", false), "5"), koodrive.Facts{}, koodrive.ActionCreate),
			vpass(withRole(vrow("e", "0", false), "1"), koodrive.Facts{}, koodrive.ActionCreate),
			vpass(vrow("f", "0", false), koodrive.Facts{}, koodrive.ActionCreate),
			vfail(withRole(vrow("g", "0", false), "4"), koodrive.Facts{}, koodrive.EINVALID, koodrive.MsgRoleInvalid),
		}},
		{name: "ErrForbiddenGrantPreverify", base: a.sales, opts: koodrive.VerifyOptions{Actor: salesAdmin}, steps: []vstep{
			vfail(withRole(vrow("", "0", false), "2"), koodrive.Facts{}, koodrive.EFORBIDDEN, koodrive.MsgForbiddenGrant),
			vpass(vrow("", "0", false), koodrive.Facts{}, koodrive.ActionCreate),
		}},
		{name: "OKGrantWithoutActor", steps: []vstep{
			vpass(withRole(vrow("a", "0", false), "2"), koodrive.Facts{}, koodrive.ActionCreate),
		}},

		// Identities held by the user the row updates or skips are its own.
		{name: "OwnersUpdate", opts: koodrive.VerifyOptions{Mode: koodrive.ImportUpdate, Actor: sysAdmin}, steps: []vstep{
			vpass(withMobile(withEmail(vrow("alice", "0", false), "alice@example.com"), "+8613800000001"),
				func() koodrive.Facts {
					f := existing(alice, a.sales, nil)
					f.EmailOwner, f.MobileOwner = aliceID, aliceID
					return f
				}(), koodrive.ActionUpdate),
			vfail(withEmail(vrow("alice", "0", false), "bob@example.com"),
				func() koodrive.Facts { f := existing(alice, a.sales, nil); f.EmailOwner = bobID; return f }(),
				koodrive.ECONFLICT, koodrive.MsgRowExists).with(koodrive.Params{"Field": "email", "Value": "bob@example.com"}),
			vfail(withMobile(vrow("alice", "0", false), "+86 138 0000 0002"),
				func() koodrive.Facts { f := existing(alice, a.sales, nil); f.MobileOwner = bobID; return f }(),
				koodrive.ECONFLICT, koodrive.MsgRowExists).with(koodrive.Params{"Field": "mobile", "Value": "+8613800000002"}),
		}},
		{name: "OwnersSkip", opts: koodrive.VerifyOptions{Mode: koodrive.ImportSkip}, steps: []vstep{
			vpass(withEmail(vrow("alice", "0", false), "alice@example.com"), koodrive.Facts{UserOwner: aliceID, EmailOwner: aliceID}, koodrive.ActionSkip),
		}},
		{name: "ErrOwnersCreate", opts: koodrive.VerifyOptions{Mode: koodrive.ImportCreate}, steps: []vstep{
			// A new user may not take alice's address, nor may a row that
			// fails on alice's userId claim it as its own.
			vfail(withEmail(vrow("new", "0", false), "alice@example.com"), koodrive.Facts{EmailOwner: aliceID},
				koodrive.ECONFLICT, koodrive.MsgRowExists).with(koodrive.Params{"Field": "email"}),
			vfail(withEmail(vrow("alice", "0", false), "alice@example.com"), koodrive.Facts{UserOwner: aliceID, EmailOwner: aliceID},
				koodrive.ECONFLICT, koodrive.MsgRowExists, koodrive.MsgRowExists).with(koodrive.Params{"Field": "userId"}, koodrive.Params{"Field": "email"}),
		}},

		// What reading found comes first, and sets the kind.
		{name: "ErrProblemsFirst", steps: []vstep{
			vfail(koodrive.ImportRow{TargetDeptName: "Nowhere", PersonalCapacity: "0",
				Problems: []koodrive.Message{{ID: koodrive.MsgYesNo, Params: koodrive.Params{"Field": "isAllocateCapacity"}}}},
				koodrive.Facts{}, koodrive.EINVALID, koodrive.MsgYesNo, koodrive.MsgRowDeptNotFound).
				with(koodrive.Params{"Field": "isAllocateCapacity"}),
			vfail(koodrive.ImportRow{PersonalCapacity: "0", IsAllocateCapacity: bptr(false), Email: "bad",
				Problems: []koodrive.Message{{ID: koodrive.MsgYesNo}, {ID: koodrive.MsgFileLine}}},
				koodrive.Facts{}, koodrive.EINVALID, koodrive.MsgYesNo, koodrive.MsgFileLine, koodrive.MsgEmailInvalid),
		}},

		// Kind is the first failure's.
		{name: "KindFirstFailure", org: &koodrive.Organization{CapacityGB: 5, UserCount: 1, MaxUsers: 3}, steps: []vstep{
			vfail(withEmail(inDept(vrow("", "0", false), "Nowhere"), "bad"), koodrive.Facts{}, koodrive.ENOTFOUND,
				koodrive.MsgRowDeptNotFound, koodrive.MsgEmailInvalid),
			vfail(withEmail(vrow("x", "0", false), "bad"), koodrive.Facts{DupUserID: 1}, koodrive.EINVALID,
				koodrive.MsgEmailInvalid, koodrive.MsgRowDuplicate),
			vfail(vrow("x", "0", false), koodrive.Facts{DupUserID: 1}, koodrive.ECONFLICT, koodrive.MsgRowDuplicate).
				with(koodrive.Params{"Field": "userId", "Value": "x", "Row": 1}),
			vfail(vrow("y", "6", true), koodrive.Facts{}, koodrive.EINSUFFICIENTSPACE, koodrive.MsgRowCapacityExceeded),
			vpass(vrow("y", "5", true), koodrive.Facts{}, koodrive.ActionCreate),
			vpass(vrow("z", "0", false), koodrive.Facts{}, koodrive.ActionCreate),
			vfail(vrow("w", "0", false), koodrive.Facts{}, koodrive.ELIMIT, koodrive.MsgRowUserLimit).with(koodrive.Params{"Max": 3}),
		}},

		// Passing rows accumulate; a failing row in between takes nothing.
		{name: "Accumulates", org: &koodrive.Organization{CapacityGB: 10, UserCount: 1, MaxUsers: 4}, steps: []vstep{
			vpass(vrow("a", "4", true), koodrive.Facts{}, koodrive.ActionCreate), // 6 GB, 2 users left
			vfail(inDept(vrow("b", "6", true), "Nowhere"), koodrive.Facts{}, koodrive.ENOTFOUND, koodrive.MsgRowDeptNotFound),
			vfail(vrow("c", "7", true), koodrive.Facts{}, koodrive.EINSUFFICIENTSPACE, koodrive.MsgRowCapacityExceeded).
				with(koodrive.Params{"Need": 7, "Left": 6}),
			vpass(vrow("d", "6", true), koodrive.Facts{}, koodrive.ActionCreate), // 0 GB, 1 user left
			vpass(vrow("e", "0", false), koodrive.Facts{}, koodrive.ActionCreate),
			vfail(vrow("f", "0", false), koodrive.Facts{}, koodrive.ELIMIT, koodrive.MsgRowUserLimit),
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			org, base := tt.org, tt.base
			if org == nil {
				org = room
			}
			if base == nil {
				base = a.root
			}
			runSteps(t, koodrive.NewVerifier(a.b.tree(t, base), org, tt.opts), tt.steps)
		})
	}

	t.Run("OKResolved", func(t *testing.T) {
		v := koodrive.NewVerifier(a.b.tree(t, a.root), room, koodrive.VerifyOptions{Mode: koodrive.ImportUpdate, Actor: sysAdmin})
		r := withMobile(withRole(inDept(vrow("alice", "7", true), "Sales/EMEA"), "5"), "+86 138-0000-0001")
		got := runSteps(t, v, []vstep{vpass(r, existing(alice, a.sales, nil), koodrive.ActionUpdate)})[0]
		if got.Dept != a.salesEMEA || got.CapacityGB != 7 || !got.Allocate || got.Role != koodrive.RoleMemberManager {
			t.Errorf("Dept, CapacityGB, Allocate, Role = %s, %d, %t, %d; want %s, 7, true, 5",
				deptName(got.Dept), got.CapacityGB, got.Allocate, got.Role, deptName(a.salesEMEA))
		}
		if got.Row.Mobile != "+8613800000001" {
			t.Errorf("Row.Mobile = %q, want %q", got.Row.Mobile, "+8613800000001")
		}
	})
}

func TestImportRow_Keys(t *testing.T) {
	for _, tt := range []struct {
		row                 koodrive.ImportRow
		user, email, mobile string
	}{
		{koodrive.ImportRow{UserID: "Alice", Email: "Alice@Example.COM", Mobile: "+86 138-0000-0001"}, "alice", "alice@example.com", "+8613800000001"},
		{koodrive.ImportRow{Mobile: "not a phone"}, "", "", ""},
		{koodrive.ImportRow{}, "", "", ""},
	} {
		user, email, mobile := tt.row.Keys()
		if user != tt.user || email != tt.email || mobile != tt.mobile {
			t.Errorf("%+v.Keys() = %q, %q, %q; want %q, %q, %q", tt.row, user, email, mobile, tt.user, tt.email, tt.mobile)
		}
	}
}
