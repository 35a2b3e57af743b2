package koodrive_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/koodrive/koodrive"
)

func bptr(b bool) *bool { return &b }

// row returns an import row into the base department with the given
// capacity text and allocation flag.
func row(capacity string, alloc bool) koodrive.ImportRow {
	return koodrive.ImportRow{PersonalCapacity: capacity, IsAllocateCapacity: bptr(alloc)}
}

// withID returns r with a userId.
func withID(r koodrive.ImportRow, userID string) koodrive.ImportRow { r.UserID = userID; return r }

// rowWant is what one row should produce: no reasons means it passes.
type rowWant struct {
	reasons []koodrive.MessageID
	params  []koodrive.Params // optional: params of the reasons, checked key by key
}

func pass() rowWant { return rowWant{} }

func fail(ids ...koodrive.MessageID) rowWant { return rowWant{reasons: ids} }

func (w rowWant) with(p ...koodrive.Params) rowWant { w.params = p; return w }

// bigOrg has room for everything.
func bigOrg() *koodrive.Organization {
	return &koodrive.Organization{ID: 1, CapacityGB: 1_000_000_000, MaxUsers: 1_000_000}
}

func checkVerified(tb testing.TB, got []koodrive.VerifiedRow, want []rowWant) {
	tb.Helper()
	if len(got) != len(want) {
		tb.Fatalf("got %d results, want %d", len(got), len(want))
	}
	for i, w := range want {
		r := got[i].Result
		ids := make([]koodrive.MessageID, len(r.Reasons))
		for j, m := range r.Reasons {
			ids[j] = m.ID
		}
		wantSuccess := koodrive.VerifyPass
		if len(w.reasons) > 0 {
			wantSuccess = koodrive.VerifyFail
		}
		if r.IsSuccess != wantSuccess {
			tb.Errorf("row %d: IsSuccess = %d, want %d (reasons %v)", i+1, r.IsSuccess, wantSuccess, r.Reasons)
		}
		if !slices.Equal(ids, w.reasons) {
			tb.Errorf("row %d: reasons = %v, want %v", i+1, ids, w.reasons)
			continue
		}
		for j, p := range w.params {
			for k, v := range p {
				if g := r.Reasons[j].Params[k]; g != v {
					tb.Errorf("row %d reason %d (%s): Params[%s] = %v (%T), want %v (%T)", i+1, j+1, ids[j], k, g, g, v, v)
				}
			}
		}
	}
}

func TestVerifyImport(t *testing.T) {
	a := newAcme()
	tree := func(tb testing.TB) *koodrive.DeptTree { return a.b.tree(tb, a.root) }
	inDept := func(name string) koodrive.ImportRow { r := row("0", false); r.TargetDeptName = name; return r }

	type tc struct {
		name     string
		org      *koodrive.Organization // bigOrg when nil
		existing koodrive.Existing
		rows     []koodrive.ImportRow
		want     []rowWant
	}
	for _, tt := range []tc{
		{name: "OK", rows: []koodrive.ImportRow{row("0", false)}, want: []rowWant{pass()}},
		{name: "OKDeptName", rows: []koodrive.ImportRow{inDept("hr"), inDept("Sales/EMEA")}, want: []rowWant{pass(), pass()}},

		// Department.
		{name: "ErrDeptUnknown", rows: []koodrive.ImportRow{inDept("Marketing")},
			want: []rowWant{fail(koodrive.MsgRowDeptNotFound).with(koodrive.Params{"Name": "Marketing", "Base": "Acme"})}},
		{name: "ErrDeptAmbiguous", rows: []koodrive.ImportRow{inDept("EMEA")},
			want: []rowWant{fail(koodrive.MsgRowDeptAmbiguous).with(koodrive.Params{"Count": 2})}},

		// personalCapacity.
		{name: "ErrCapacityMissing", rows: []koodrive.ImportRow{row("", false)},
			want: []rowWant{fail(koodrive.MsgFieldRequired).with(koodrive.Params{"Field": "personalCapacity"})}},
		{name: "ErrCapacityMissingAllocated", rows: []koodrive.ImportRow{row("", true)},
			want: []rowWant{fail(koodrive.MsgFieldRequired).with(koodrive.Params{"Field": "personalCapacity"})}},
		{name: "ErrCapacityLetters", rows: []koodrive.ImportRow{row("abc", true)},
			want: []rowWant{fail(koodrive.MsgRowCapacityRange).with(koodrive.Params{"Field": "personalCapacity", "Max": koodrive.MaxCapacityGB})}},
		{name: "ErrCapacityNegative", rows: []koodrive.ImportRow{row("-1", true)}, want: []rowWant{fail(koodrive.MsgRowCapacityRange)}},
		{name: "ErrCapacityNegativeNotAllocated", rows: []koodrive.ImportRow{row("-1", false)}, want: []rowWant{fail(koodrive.MsgRowCapacityRange)}},
		{name: "ErrCapacityFraction", rows: []koodrive.ImportRow{row("1.5", true)}, want: []rowWant{fail(koodrive.MsgRowCapacityRange)}},
		{name: "ErrCapacityAboveMax", rows: []koodrive.ImportRow{row("104857601", true)}, want: []rowWant{fail(koodrive.MsgRowCapacityRange)}},
		{name: "ErrCapacityOverflow", rows: []koodrive.ImportRow{row("99999999999999999999", true)}, want: []rowWant{fail(koodrive.MsgRowCapacityRange)}},
		{name: "ErrCapacitySpaces", rows: []koodrive.ImportRow{row(" 5 ", true)}, want: []rowWant{fail(koodrive.MsgRowCapacityRange)}},
		{name: "OKCapacityMax", org: &koodrive.Organization{CapacityGB: 2 * koodrive.MaxCapacityGB, MaxUsers: 10},
			rows: []koodrive.ImportRow{row("104857600", true)}, want: []rowWant{pass()}},

		// isAllocateCapacity.
		{name: "ErrAllocateMissing", rows: []koodrive.ImportRow{{PersonalCapacity: "0"}},
			want: []rowWant{fail(koodrive.MsgFieldRequired).with(koodrive.Params{"Field": "isAllocateCapacity"})}},
		{name: "ErrBothMissing", rows: []koodrive.ImportRow{{}},
			want: []rowWant{fail(koodrive.MsgFieldRequired, koodrive.MsgFieldRequired).with(
				koodrive.Params{"Field": "personalCapacity"}, koodrive.Params{"Field": "isAllocateCapacity"})}},
		{name: "ErrCapacityNotZero", rows: []koodrive.ImportRow{row("5", false)}, want: []rowWant{fail(koodrive.MsgRowCapacityNotZero)}},
		{name: "ErrCapacityZero", rows: []koodrive.ImportRow{row("0", true)}, want: []rowWant{fail(koodrive.MsgRowCapacityZero)}},
		{name: "ErrCapacityBadNoZeroRule", rows: []koodrive.ImportRow{row("abc", false)}, want: []rowWant{fail(koodrive.MsgRowCapacityRange)}},

		// Capacity accumulates across passing rows.
		{name: "ErrCapacityAccumulates", org: &koodrive.Organization{CapacityGB: 10, MaxUsers: 100},
			rows: []koodrive.ImportRow{row("4", true), row("4", true), row("4", true), row("2", true)},
			want: []rowWant{pass(), pass(), fail(koodrive.MsgRowCapacityExceeded).with(koodrive.Params{"Need": int64(4), "Left": int64(2)}), pass()}},
		{name: "ErrCapacityAllocatedCounts", org: &koodrive.Organization{CapacityGB: 100, AllocatedGB: 95, MaxUsers: 100},
			rows: []koodrive.ImportRow{row("5", true), row("1", true)},
			want: []rowWant{pass(), fail(koodrive.MsgRowCapacityExceeded).with(koodrive.Params{"Need": int64(1), "Left": int64(0)})}},
		{name: "OKNotAllocatedConsumesNothing", org: &koodrive.Organization{CapacityGB: 3, MaxUsers: 100},
			rows: []koodrive.ImportRow{row("0", false), row("3", true), row("0", false), row("0", false)},
			want: []rowWant{pass(), pass(), pass(), pass()}},
		{name: "OKFailingRowConsumesNoCapacity", org: &koodrive.Organization{CapacityGB: 5, MaxUsers: 100},
			rows: []koodrive.ImportRow{{TargetDeptName: "Nowhere", PersonalCapacity: "5", IsAllocateCapacity: bptr(true)}, row("5", true)},
			want: []rowWant{fail(koodrive.MsgRowDeptNotFound), pass()}},
		{name: "OKCapacityFailureConsumesNoUser", org: &koodrive.Organization{CapacityGB: 5, MaxUsers: 2},
			rows: []koodrive.ImportRow{row("6", true), row("1", true), row("1", true), row("1", true)},
			want: []rowWant{fail(koodrive.MsgRowCapacityExceeded), pass(), pass(), fail(koodrive.MsgRowUserLimit)}},

		// Users accumulate against MaxUsers, counting existing users.
		{name: "ErrUserLimit", org: &koodrive.Organization{CapacityGB: 10, UserCount: 3, MaxUsers: 5},
			rows: []koodrive.ImportRow{row("0", false), row("0", false), row("0", false), row("0", false)},
			want: []rowWant{pass(), pass(), fail(koodrive.MsgRowUserLimit).with(koodrive.Params{"Max": int64(5)}), fail(koodrive.MsgRowUserLimit)}},
		{name: "ErrUserLimitAlreadyReached", org: &koodrive.Organization{CapacityGB: 10, UserCount: 5, MaxUsers: 5},
			rows: []koodrive.ImportRow{row("0", false)}, want: []rowWant{fail(koodrive.MsgRowUserLimit)}},
		{name: "OKFailingRowConsumesNoSlot", org: &koodrive.Organization{CapacityGB: 10, UserCount: 3, MaxUsers: 5},
			rows: []koodrive.ImportRow{inDept("Nowhere"), row("0", false), row("5", false), row("0", false), row("0", false)},
			want: []rowWant{fail(koodrive.MsgRowDeptNotFound), pass(), fail(koodrive.MsgRowCapacityNotZero), pass(), fail(koodrive.MsgRowUserLimit)}},
		{name: "OKDuplicateConsumesNoSlot", org: &koodrive.Organization{CapacityGB: 10, MaxUsers: 2},
			rows: []koodrive.ImportRow{withID(row("0", false), "alice"), withID(row("0", false), "alice"), withID(row("0", false), "bob")},
			want: []rowWant{pass(), fail(koodrive.MsgRowDuplicate), pass()}},

		// Identity fields are well formed.
		{name: "ErrUserIDInvalid", rows: []koodrive.ImportRow{withID(row("0", false), "a b")},
			want: []rowWant{fail(koodrive.MsgUserIDInvalid).with(koodrive.Params{"Field": "userId"})}},
		{name: "ErrUserIDTooLong", rows: []koodrive.ImportRow{withID(row("0", false), strings.Repeat("x", 65))},
			want: []rowWant{fail(koodrive.MsgUserIDInvalid)}},
		{name: "ErrNameInvalid", rows: []koodrive.ImportRow{{PersonalCapacity: "0", IsAllocateCapacity: bptr(false), Name: "Al\nice"}},
			want: []rowWant{fail(koodrive.MsgUserNameInvalid).with(koodrive.Params{"Field": "name"})}},
		{name: "ErrMobileInvalid", rows: []koodrive.ImportRow{{PersonalCapacity: "0", IsAllocateCapacity: bptr(false), Mobile: "12"}},
			want: []rowWant{fail(koodrive.MsgMobileInvalid).with(koodrive.Params{"Field": "mobile"})}},
		{name: "ErrEmailInvalid", rows: []koodrive.ImportRow{{PersonalCapacity: "0", IsAllocateCapacity: bptr(false), Email: "a@b"}},
			want: []rowWant{fail(koodrive.MsgEmailInvalid).with(koodrive.Params{"Field": "email"})}},
		{name: "OKIdentity", rows: []koodrive.ImportRow{{PersonalCapacity: "0", IsAllocateCapacity: bptr(false),
			UserID: "alice", Name: "Alice Smith", Mobile: "+86 138-0000-0001", Email: "alice@example.com"}},
			want: []rowWant{pass()}},

		// Duplicates in the batch are reported on the later row, naming the first.
		{name: "ErrDuplicateUserIDIgnoresCase",
			rows: []koodrive.ImportRow{withID(row("0", false), "Alice"), withID(row("0", false), "bob"), withID(row("0", false), "ALICE")},
			want: []rowWant{pass(), pass(), fail(koodrive.MsgRowDuplicate).with(koodrive.Params{"Field": "userId", "Value": "ALICE", "Row": 1})}},
		{name: "ErrDuplicateNamesFirstRow",
			rows: []koodrive.ImportRow{withID(row("0", false), "x"), withID(row("0", false), "alice"), withID(row("0", false), "alice"), withID(row("0", false), "Alice")},
			want: []rowWant{pass(), pass(),
				fail(koodrive.MsgRowDuplicate).with(koodrive.Params{"Row": 2}),
				fail(koodrive.MsgRowDuplicate).with(koodrive.Params{"Row": 2})}},
		{name: "ErrDuplicateEmailIgnoresCase",
			rows: []koodrive.ImportRow{
				{PersonalCapacity: "0", IsAllocateCapacity: bptr(false), Email: "a@x.com"},
				{PersonalCapacity: "0", IsAllocateCapacity: bptr(false), Email: "A@X.COM"},
			},
			want: []rowWant{pass(), fail(koodrive.MsgRowDuplicate).with(koodrive.Params{"Field": "email", "Value": "A@X.COM", "Row": 1})}},
		{name: "ErrDuplicateMobileNormalized",
			rows: []koodrive.ImportRow{
				{PersonalCapacity: "0", IsAllocateCapacity: bptr(false), Mobile: "+86 138-0000-0001"},
				{PersonalCapacity: "0", IsAllocateCapacity: bptr(false), Mobile: "+8613800000001"},
			},
			want: []rowWant{pass(), fail(koodrive.MsgRowDuplicate).with(koodrive.Params{"Field": "mobile", "Value": "+8613800000001", "Row": 1})}},
		{name: "OKSameValueDifferentFields",
			rows: []koodrive.ImportRow{
				{PersonalCapacity: "0", IsAllocateCapacity: bptr(false), UserID: "a@x.com"},
				{PersonalCapacity: "0", IsAllocateCapacity: bptr(false), Email: "a@x.com"},
			},
			want: []rowWant{pass(), pass()}},
		{name: "OKEmptyIdentitiesNotDuplicates",
			rows: []koodrive.ImportRow{row("0", false), row("0", false), row("0", false)},
			want: []rowWant{pass(), pass(), pass()}},

		// Duplicates against existing users.
		{name: "ErrExistsUserID", existing: koodrive.Existing{UserKeys: koodrive.Owners{"alice": 1}},
			rows: []koodrive.ImportRow{withID(row("0", false), "Alice"), withID(row("0", false), "bob")},
			want: []rowWant{fail(koodrive.MsgRowExists).with(koodrive.Params{"Field": "userId", "Value": "Alice"}), pass()}},
		{name: "ErrExistsEmail", existing: koodrive.Existing{EmailKeys: koodrive.Owners{"a@x.com": 1}},
			rows: []koodrive.ImportRow{{PersonalCapacity: "0", IsAllocateCapacity: bptr(false), Email: "A@x.com"}},
			want: []rowWant{fail(koodrive.MsgRowExists).with(koodrive.Params{"Field": "email", "Value": "A@x.com"})}},
		{name: "ErrExistsMobile", existing: koodrive.Existing{Mobiles: koodrive.Owners{"+8613800000001": 1}},
			rows: []koodrive.ImportRow{{PersonalCapacity: "0", IsAllocateCapacity: bptr(false), Mobile: "+86 138 0000 0001"}},
			want: []rowWant{fail(koodrive.MsgRowExists).with(koodrive.Params{"Field": "mobile", "Value": "+8613800000001"})}},
		{name: "ErrExistsAndDuplicate", existing: koodrive.Existing{UserKeys: koodrive.Owners{"alice": 1}},
			rows: []koodrive.ImportRow{withID(row("0", false), "alice"), withID(row("0", false), "Alice")},
			want: []rowWant{fail(koodrive.MsgRowExists), fail(koodrive.MsgRowDuplicate, koodrive.MsgRowExists)}},

		// Every reason of a row is reported, in rule order.
		{name: "ErrManyReasons",
			rows: []koodrive.ImportRow{{TargetDeptName: "Nowhere", PersonalCapacity: "abc", IsAllocateCapacity: bptr(true),
				UserID: "a b", Name: "x\x00", Mobile: "12", Email: "bad"}},
			want: []rowWant{fail(koodrive.MsgRowDeptNotFound, koodrive.MsgRowCapacityRange, koodrive.MsgUserIDInvalid,
				koodrive.MsgUserNameInvalid, koodrive.MsgMobileInvalid, koodrive.MsgEmailInvalid)}},
		{name: "ErrDeptAndCapacityRules",
			rows: []koodrive.ImportRow{
				{TargetDeptName: "EMEA", PersonalCapacity: "5", IsAllocateCapacity: bptr(false)},
				{TargetDeptName: "Nowhere", PersonalCapacity: "0", IsAllocateCapacity: bptr(true)},
			},
			want: []rowWant{
				fail(koodrive.MsgRowDeptAmbiguous, koodrive.MsgRowCapacityNotZero),
				fail(koodrive.MsgRowDeptNotFound, koodrive.MsgRowCapacityZero),
			}},
		{name: "ErrAllIdentitiesDuplicated",
			rows: []koodrive.ImportRow{
				{PersonalCapacity: "0", IsAllocateCapacity: bptr(false), UserID: "u", Mobile: "12345", Email: "e@x.io"},
				{PersonalCapacity: "0", IsAllocateCapacity: bptr(false), UserID: "U", Mobile: "1-2-3-4-5", Email: "E@x.io"},
			},
			want: []rowWant{pass(), fail(koodrive.MsgRowDuplicate, koodrive.MsgRowDuplicate, koodrive.MsgRowDuplicate).with(
				koodrive.Params{"Field": "userId"}, koodrive.Params{"Field": "mobile"}, koodrive.Params{"Field": "email"})}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			org := tt.org
			if org == nil {
				org = bigOrg()
			}
			checkVerified(t, koodrive.VerifyImport(tree(t), org, tt.rows, nil, tt.existing, koodrive.VerifyOptions{}), tt.want)
		})
	}

	t.Run("OKResolvedRow", func(t *testing.T) {
		rows := []koodrive.ImportRow{{TargetDeptName: "Sales/EMEA", PersonalCapacity: "7", IsAllocateCapacity: bptr(true),
			UserID: "alice", Mobile: "+86 138-0000-0001"}}
		got := koodrive.VerifyImport(tree(t), bigOrg(), rows, nil, koodrive.Existing{}, koodrive.VerifyOptions{})
		if got[0].Dept != a.salesEMEA {
			t.Errorf("Dept = %s, want %s", deptName(got[0].Dept), deptName(a.salesEMEA))
		}
		if got[0].CapacityGB != 7 {
			t.Errorf("CapacityGB = %d, want 7", got[0].CapacityGB)
		}
		if got[0].Row.Mobile != "+8613800000001" {
			t.Errorf("Row.Mobile = %q, want +8613800000001", got[0].Row.Mobile)
		}
		if got[0].Row.UserID != "alice" {
			t.Errorf("Row.UserID = %q, want alice", got[0].Row.UserID)
		}
		// The caller's rows are not changed.
		if rows[0].Mobile != "+86 138-0000-0001" {
			t.Errorf("input row mobile changed to %q", rows[0].Mobile)
		}
	})

	t.Run("OKBaseBelowRoot", func(t *testing.T) {
		rows := []koodrive.ImportRow{
			{TargetDeptName: "EMEA", PersonalCapacity: "0", IsAllocateCapacity: bptr(false)},
			{TargetDeptName: "HR", PersonalCapacity: "0", IsAllocateCapacity: bptr(false)},
			{PersonalCapacity: "0", IsAllocateCapacity: bptr(false)},
		}
		got := koodrive.VerifyImport(a.b.tree(t, a.sales), bigOrg(), rows, nil, koodrive.Existing{}, koodrive.VerifyOptions{})
		checkVerified(t, got, []rowWant{pass(), fail(koodrive.MsgRowDeptNotFound).with(koodrive.Params{"Base": "Acme/Sales"}), pass()})
		if got[0].Dept != a.salesEMEA {
			t.Errorf("row 1 Dept = %s, want %s", deptName(got[0].Dept), deptName(a.salesEMEA))
		}
		if got[2].Dept != a.sales {
			t.Errorf("row 3 Dept = %s, want %s", deptName(got[2].Dept), deptName(a.sales))
		}
	})

	t.Run("OKManyRows", func(t *testing.T) {
		// 1,000 rows with 1 GB each against 600 GB and 800 users: rows 1-600
		// pass on capacity, then the rest fail on capacity.
		rows := make([]koodrive.ImportRow, 1000)
		for i := range rows {
			rows[i] = withID(row("1", true), fmt.Sprintf("user%04d", i))
		}
		got := koodrive.VerifyImport(tree(t), &koodrive.Organization{CapacityGB: 600, MaxUsers: 800}, rows, nil, koodrive.Existing{}, koodrive.VerifyOptions{})
		for i, v := range got {
			want := koodrive.VerifyPass
			if i >= 600 {
				want = koodrive.VerifyFail
			}
			if v.Result.IsSuccess != want {
				t.Fatalf("row %d: IsSuccess = %d, want %d (%v)", i+1, v.Result.IsSuccess, want, v.Result.Reasons)
			}
		}
	})
}

func TestImportIdentities(t *testing.T) {
	rows := []koodrive.ImportRow{
		{UserID: "Alice", Email: "A@x.com", Mobile: "+86 138-0000-0001"},
		{UserID: "ALICE", Email: "a@X.com", Mobile: "+8613800000001"},
		{UserID: "bob", Mobile: "bad"},
		{},
		{UserID: "a@x.com", Email: "bob"},
	}
	users, emails, mobiles := koodrive.ImportIdentities(koodrive.ImportKeys(rows))
	if want := []string{"alice", "bob", "a@x.com"}; !slices.Equal(users, want) {
		t.Errorf("userKeys = %q, want %q", users, want)
	}
	if want := []string{"a@x.com", "bob"}; !slices.Equal(emails, want) {
		t.Errorf("emailKeys = %q, want %q", emails, want)
	}
	if want := []string{"+8613800000001"}; !slices.Equal(mobiles, want) {
		t.Errorf("mobiles = %q, want %q", mobiles, want)
	}

	t.Run("OKEmpty", func(t *testing.T) {
		u, e, m := koodrive.ImportIdentities(nil)
		if len(u)+len(e)+len(m) != 0 {
			t.Errorf("ImportIdentities(nil) = %q, %q, %q, want nothing", u, e, m)
		}
	})
}
