package koodrive

import (
	"context"
	"strconv"
)

// MaxImportRows is the most rows one batch may hold.
const MaxImportRows = 100_000

// Values of VerifyResult.IsSuccess (KooDrive's: 0 is a pass).
const (
	VerifyPass = 0
	VerifyFail = 1
)

// ImportRow is one user of a batch import as the client sent it. The
// identity fields are optional; when present they are checked for duplicates.
type ImportRow struct {
	Line               int    // the row's number in its file (the header is line 1); 0 for JSON rows
	TargetDeptName     string // a name or a "Parent/Child" path inside the current department
	PersonalCapacity   string // GB, as decimal text; "" when missing
	IsAllocateCapacity *bool  // nil when missing
	UserID             string
	Name               string
	Mobile             string
	Email              string
	Role               string // a role number as text; "" for a common user
	// Problems are what reading the row found wrong (a cell that is not
	// yes or no); the verification reports them first.
	Problems []Message
}

// VerifyResult is the outcome for one row: IsSuccess is VerifyPass or
// VerifyFail, and Reasons say why a row fails.
type VerifyResult struct {
	IsSuccess int
	Reasons   []Message
}

// VerifiedRow is a row after verification, with what it resolved to.
type VerifiedRow struct {
	Row        ImportRow // with the mobile number normalized
	Dept       *Department
	CapacityGB int64
	Result     VerifyResult
}

// ImportService verifies batch imports.
type ImportService interface {
	// PreverifyImport checks rows against the organization as it is now and
	// writes nothing: one result per row, in order. EFORBIDDEN unless the
	// actor manages users in curDeptID, ENOTFOUND for an unknown curDeptID,
	// EINVALID for no rows or more than MaxImportRows.
	PreverifyImport(ctx context.Context, a Actor, curDeptID ID, rows []ImportRow) ([]VerifyResult, error)
}

// Existing holds which of a batch's identities already belong to users, by
// FoldKey of userId and email and by normalized mobile.
type Existing struct {
	UserKeys  map[string]bool
	EmailKeys map[string]bool
	Mobiles   map[string]bool
}

// ImportIdentities returns the distinct identity keys of the rows, the ones
// to look up as Existing.
func ImportIdentities(rows []ImportRow) (userKeys, emailKeys, mobiles []string) {
	seen := make(map[string]bool, len(rows))
	add := func(list *[]string, kind, v string) {
		if v != "" && !seen[kind+v] {
			seen[kind+v] = true
			*list = append(*list, v)
		}
	}
	for _, r := range rows {
		add(&userKeys, "u", FoldKey(r.UserID))
		add(&emailKeys, "e", FoldKey(r.Email))
		if m, err := NormalizeMobile("", r.Mobile); err == nil {
			add(&mobiles, "m", m)
		}
	}
	return userKeys, emailKeys, mobiles
}

// VerifyImport applies the pre-verification rules, in order, to every row:
// the target department resolves inside the tree; personalCapacity is a whole
// number of GB, 0 without allocation and at least 1 with it; identity fields
// are well formed, unique in the batch and not taken. Rows that pass all of
// that then accumulate against the organization's unallocated capacity and
// user limit; a row that would exceed either fails and accumulates nothing.
func VerifyImport(tree *DeptTree, org *Organization, rows []ImportRow, existing Existing) []VerifiedRow {
	out := make([]VerifiedRow, len(rows))
	firstRow := make(map[string]int, len(rows)) // identity -> 1-based row number of its first use
	users, left := org.UserCount, org.UnallocatedGB()
	for i, r := range rows {
		v := &out[i]
		var reasons []Message
		fail := func(err error) { reasons = append(reasons, AsError(err).Message) }

		dept, why := tree.Resolve(r.TargetDeptName)
		if why != nil {
			reasons = append(reasons, *why)
		}
		v.Dept = dept

		capOK := false
		switch n, err := strconv.ParseInt(r.PersonalCapacity, 10, 64); {
		case r.PersonalCapacity == "":
			fail(Invalid("personalCapacity", MsgFieldRequired, nil))
		case err != nil || n < 0 || n > MaxCapacityGB:
			fail(Invalid("personalCapacity", MsgRowCapacityRange, Params{"Max": MaxCapacityGB}))
		default:
			v.CapacityGB, capOK = n, true
		}
		switch alloc := r.IsAllocateCapacity; {
		case alloc == nil:
			fail(Invalid("isAllocateCapacity", MsgFieldRequired, nil))
		case capOK && !*alloc && v.CapacityGB != 0:
			reasons = append(reasons, Message{ID: MsgRowCapacityNotZero})
		case capOK && *alloc && v.CapacityGB < 1:
			reasons = append(reasons, Message{ID: MsgRowCapacityZero})
		}

		if r.UserID != "" {
			if err := ValidateUserID("userId", r.UserID); err != nil {
				fail(err)
			}
		}
		if err := ValidateUserName("name", r.Name); err != nil {
			fail(err)
		}
		mobileKey := ""
		if r.Mobile != "" {
			if m, err := NormalizeMobile("mobile", r.Mobile); err != nil {
				fail(err)
			} else {
				r.Mobile, mobileKey = m, m
			}
		}
		if r.Email != "" {
			if err := ValidateEmail("email", r.Email); err != nil {
				fail(err)
			}
		}
		for _, id := range []struct {
			field, value, key string
			taken             map[string]bool
		}{
			{"userId", r.UserID, FoldKey(r.UserID), existing.UserKeys},
			{"mobile", r.Mobile, mobileKey, existing.Mobiles},
			{"email", r.Email, FoldKey(r.Email), existing.EmailKeys},
		} {
			if id.key == "" {
				continue
			}
			if first, dup := firstRow[id.field+"\x00"+id.key]; dup {
				reasons = append(reasons, Message{ID: MsgRowDuplicate, Params: Params{"Field": id.field, "Value": id.value, "Row": first}})
			} else {
				firstRow[id.field+"\x00"+id.key] = i + 1
			}
			if id.taken[id.key] {
				reasons = append(reasons, Message{ID: MsgRowExists, Params: Params{"Field": id.field, "Value": id.value}})
			}
		}

		if len(reasons) == 0 {
			alloc := *r.IsAllocateCapacity
			switch {
			case users+1 > org.MaxUsers:
				reasons = append(reasons, Message{ID: MsgRowUserLimit, Params: Params{"Max": org.MaxUsers}})
			case alloc && v.CapacityGB > left:
				reasons = append(reasons, Message{ID: MsgRowCapacityExceeded, Params: Params{"Need": v.CapacityGB, "Left": left}})
			default:
				users++
				left -= v.CapacityGB
			}
		}
		v.Row = r
		v.Result = VerifyResult{IsSuccess: VerifyPass}
		if len(reasons) > 0 {
			v.Result = VerifyResult{IsSuccess: VerifyFail, Reasons: reasons}
		}
	}
	return out
}
