package koodrive

import (
	"context"
	"strconv"
)

// MaxImportRows is the most rows one JSON batch may hold.
const MaxImportRows = 100_000

// Values of VerifyResult.IsSuccess (KooDrive's: 0 is a pass).
const (
	VerifyPass = 0
	VerifyFail = 1
)

// ImportRow is one user of a batch import as the client sent it. The
// identity fields are optional in KooDrive's pre-verification; when present
// they are checked for duplicates.
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

// Keys returns the forms in which the row's identities are compared:
// userId and email ignoring case, the mobile number normalized ("" when
// absent or not a phone number).
func (r ImportRow) Keys() (user, email, mobile string) {
	if r.Mobile != "" {
		if m, err := NormalizeMobile("", r.Mobile); err == nil {
			mobile = m
		}
	}
	return FoldKey(r.UserID), FoldKey(r.Email), mobile
}

// VerifyResult is the outcome for one row: IsSuccess is VerifyPass or
// VerifyFail, and Reasons say why a row fails; Kind classifies the first.
type VerifyResult struct {
	IsSuccess int
	Kind      Kind
	Reasons   []Message
}

// Action is what an import does with a row that passes.
type Action int

// Actions.
const (
	ActionNone   Action = iota // the row fails
	ActionCreate               // a new user
	ActionUpdate               // the existing user with the row's userId changes
	ActionSkip                 // the existing user stays as it is
)

// VerifiedRow is a row after verification, with what it resolved to.
type VerifiedRow struct {
	Row        ImportRow // with the mobile number normalized
	Dept       *Department
	CapacityGB int64
	Allocate   bool
	Role       Role
	Action     Action
	Result     VerifyResult
}

// ImportMode says what an import does with rows whose userId exists.
type ImportMode string

// Import modes.
const (
	ImportCreate ImportMode = "create" // they fail: the default, so that a re-run changes nothing
	ImportUpdate ImportMode = "update" // the users change to match the rows
	ImportSkip   ImportMode = "skip"   // they are left alone
)

// ParseImportMode parses a mode; "" is ImportCreate.
func ParseImportMode(s string) (ImportMode, error) {
	switch m := ImportMode(s); m {
	case "":
		return ImportCreate, nil
	case ImportCreate, ImportUpdate, ImportSkip:
		return m, nil
	}
	return "", Invalid("mode", MsgStatusInvalid, Params{"Values": "create, update, skip"})
}

// ImportService verifies batch imports.
type ImportService interface {
	// PreverifyImport checks rows against the organization as it is now and
	// writes nothing: one result per row, in order. EFORBIDDEN unless the
	// actor manages users in curDeptID, ENOTFOUND for an unknown curDeptID,
	// EINVALID for no rows or more than MaxImportRows.
	PreverifyImport(ctx context.Context, a Actor, curDeptID ID, rows []ImportRow) ([]VerifyResult, error)

	ImportTasks
}

// Owners maps identity keys (see ImportRow.Keys) to the IDs of the users
// who hold them.
type Owners map[string]ID

// Existing holds which of a batch's identities already belong to users.
type Existing struct {
	UserKeys  Owners
	EmailKeys Owners
	Mobiles   Owners
}

// RowKeys are a row's identities as stored (see ImportRow.Keys); "" for
// an identity the row does not give.
type RowKeys struct{ User, Email, Mobile string }

// ImportKeys returns the identities of each row, worked out once for the
// look-ups and the checks that need them.
func ImportKeys(rows []ImportRow) []RowKeys {
	keys := make([]RowKeys, len(rows))
	for i, r := range rows {
		keys[i].User, keys[i].Email, keys[i].Mobile = r.Keys()
	}
	return keys
}

// ImportIdentities returns the distinct identity keys of the rows, the ones
// to look up as Existing.
func ImportIdentities(keys []RowKeys) (userKeys, emailKeys, mobiles []string) {
	userKeys, emailKeys, mobiles = distinct(keys, func(k RowKeys) string { return k.User }),
		distinct(keys, func(k RowKeys) string { return k.Email }), distinct(keys, func(k RowKeys) string { return k.Mobile })
	return userKeys, emailKeys, mobiles
}

func distinct(keys []RowKeys, key func(RowKeys) string) []string {
	seen := make(map[string]struct{}, len(keys))
	var out []string
	for _, k := range keys {
		if v := key(k); v != "" {
			if _, ok := seen[v]; !ok {
				seen[v] = struct{}{}
				out = append(out, v)
			}
		}
	}
	return out
}

// VerifyImport applies the rules to rows held in memory, finding duplicates
// and taken identities itself; see Verifier for the rules. keys are the
// rows' ImportKeys (nil: worked out here).
func VerifyImport(tree *DeptTree, org *Organization, rows []ImportRow, keys []RowKeys, existing Existing, opts VerifyOptions) []VerifiedRow {
	if keys == nil {
		keys = ImportKeys(rows)
	}
	v := NewVerifier(tree, org, opts)
	// Each identity's row number of its first use, one map per kind.
	first := [3]map[string]int{make(map[string]int, len(rows)), make(map[string]int, len(rows)), make(map[string]int, len(rows))}
	out := make([]VerifiedRow, len(rows))
	for i, r := range rows {
		number := r.Line
		if number == 0 {
			number = i + 1
		}
		var f Facts
		k := keys[i]
		for j, id := range [3]struct {
			key   string
			dup   *int
			taken *ID
			owner Owners
		}{{k.User, &f.DupUserID, &f.UserOwner, existing.UserKeys}, {k.Email, &f.DupEmail, &f.EmailOwner, existing.EmailKeys},
			{k.Mobile, &f.DupMobile, &f.MobileOwner, existing.Mobiles}} {
			if id.key == "" {
				continue
			}
			if n, ok := first[j][id.key]; ok {
				*id.dup = n
			} else {
				first[j][id.key] = number
			}
			*id.taken = id.owner[id.key]
		}
		out[i] = v.Verify(r, f)
	}
	return out
}

// VerifyOptions choose which rules apply.
type VerifyOptions struct {
	// Mode decides what rows whose userId exists do; "" is KooDrive's
	// pre-verification: they fail, and userId may be absent.
	Mode ImportMode
	// Actor, when set, is the administrator whose rights the rows need:
	// the roles they grant and, in update mode, the users they change.
	Actor *Actor
}

// Facts are what the store found out about a row's identities.
type Facts struct {
	DupUserID, DupEmail, DupMobile int // the row number of an earlier row with the same value; 0 if none
	UserOwner                      ID  // the existing user with the row's userId; 0 if none
	EmailOwner, MobileOwner        ID  // the user who holds the row's email or mobile; 0 if none
	// In update mode, the existing user, its department and its personal
	// space (nil if none), for the rights and allocation rules.
	Existing      *User
	ExistingDept  *Department
	ExistingSpace *Space
}

// Verifier applies the rules of batch imports to rows one at a time, in
// order, keeping the running totals; the store supplies each row's Facts,
// so that a file of any size is verified in constant memory.
//
// In skip mode, a row whose userId belongs to a user is skipped before any
// other rule: nothing in it will be used. Otherwise the rules, in order:
// what reading the row found; userId present (imports only); the target department resolves inside the tree; personalCapacity
// is a whole number of GB, 0 without allocation and at least 1 with it;
// identity fields are well formed; the role exists and the actor may grant
// it; identities are unique in the batch and not held by another user (in
// update mode, a row whose user exists updates it). Rows that pass all of
// that accumulate: new users against the user limit, capacity against the
// organization's unallocated capacity; a row that would exceed either
// fails and accumulates nothing.
type Verifier struct {
	tree  *DeptTree
	opts  VerifyOptions
	users int64 // users after the rows so far
	max   int64
	left  int64 // unallocated GB after the rows so far
}

// NewVerifier starts a verification against the organization's totals.
func NewVerifier(tree *DeptTree, org *Organization, opts VerifyOptions) *Verifier {
	return &Verifier{tree: tree, opts: opts, users: org.UserCount, max: org.MaxUsers, left: org.UnallocatedGB()}
}

// Verify checks the next row.
func (v *Verifier) Verify(r ImportRow, f Facts) VerifiedRow {
	out := VerifiedRow{}
	var reasons []Message
	kind := Kind("")
	fail := func(k Kind, m Message) {
		if kind == "" {
			kind = k
		}
		reasons = append(reasons, m)
	}
	failErr := func(err error) {
		e := AsError(err)
		fail(e.Kind, e.Message)
	}

	// In skip mode a row whose user exists is left alone whatever else it
	// says: its cells are not used, so they cannot be wrong.
	if v.opts.Mode == ImportSkip && f.UserOwner != 0 {
		return VerifiedRow{Row: r, Action: ActionSkip, Result: VerifyResult{IsSuccess: VerifyPass}}
	}
	for _, p := range r.Problems {
		fail(EINVALID, p)
	}
	if r.UserID == "" && v.opts.Mode != "" {
		fail(EINVALID, Message{ID: MsgUserIDRequired})
	}
	dept, why := v.tree.Resolve(r.TargetDeptName)
	if why != nil {
		fail(ENOTFOUND, *why)
	}
	out.Dept = dept

	capOK := false
	switch n, err := strconv.ParseInt(r.PersonalCapacity, 10, 64); {
	case r.PersonalCapacity == "":
		failErr(Invalid("personalCapacity", MsgFieldRequired, nil))
	case err != nil || n < 0 || n > MaxCapacityGB:
		failErr(Invalid("personalCapacity", MsgRowCapacityRange, Params{"Max": MaxCapacityGB}))
	default:
		out.CapacityGB, capOK = n, true
	}
	switch alloc := r.IsAllocateCapacity; {
	case alloc == nil:
		if len(r.Problems) == 0 {
			failErr(Invalid("isAllocateCapacity", MsgFieldRequired, nil))
		}
	case capOK && !*alloc && out.CapacityGB != 0:
		fail(EINVALID, Message{ID: MsgRowCapacityNotZero})
	case capOK && *alloc && out.CapacityGB < 1:
		fail(EINVALID, Message{ID: MsgRowCapacityZero})
	default:
		out.Allocate = *alloc
	}

	if r.UserID != "" {
		if err := ValidateUserID("userId", r.UserID); err != nil {
			failErr(err)
		}
	}
	if err := ValidateUserName("name", r.Name); err != nil {
		failErr(err)
	}
	if r.Mobile != "" {
		if m, err := NormalizeMobile("mobile", r.Mobile); err != nil {
			failErr(err)
		} else {
			r.Mobile = m
		}
	}
	if r.Email != "" {
		if err := ValidateEmail("email", r.Email); err != nil {
			failErr(err)
		}
	}
	out.Role = RoleUser
	if r.Role != "" {
		if role, ok := ParseRole(r.Role); !ok {
			failErr(Invalid("role", MsgRoleInvalid, nil))
		} else {
			out.Role = role
		}
	}
	if v.opts.Actor != nil && (r.Role != "" || v.opts.Mode != "") {
		if err := v.opts.Actor.AuthorizeGrant("role", out.Role); err != nil {
			failErr(err)
		}
	}

	for _, d := range []struct {
		field, value string
		row          int
	}{{"userId", r.UserID, f.DupUserID}, {"mobile", r.Mobile, f.DupMobile}, {"email", r.Email, f.DupEmail}} {
		if d.row != 0 {
			fail(ECONFLICT, Message{ID: MsgRowDuplicate, Params: Params{"Field": d.field, "Value": d.value, "Row": d.row}})
		}
	}
	out.Action = ActionCreate
	if f.UserOwner != 0 {
		switch v.opts.Mode {
		case ImportUpdate:
			out.Action = ActionUpdate
			if f.Existing != nil && v.opts.Actor != nil {
				if err := v.opts.Actor.AuthorizeUserChange(f.Existing, f.ExistingDept); err != nil {
					failErr(err)
				}
			}
		default:
			fail(ECONFLICT, Message{ID: MsgRowExists, Params: Params{"Field": "userId", "Value": r.UserID}})
		}
	}
	for _, t := range []struct {
		field, value string
		owner        ID
	}{{"mobile", r.Mobile, f.MobileOwner}, {"email", r.Email, f.EmailOwner}} {
		// Taken unless by the very user that this row updates or skips.
		if t.owner != 0 && (t.owner != f.UserOwner || out.Action == ActionCreate) {
			fail(ECONFLICT, Message{ID: MsgRowExists, Params: Params{"Field": t.field, "Value": t.value}})
		}
	}
	out.Row = r

	if len(reasons) == 0 {
		switch out.Action {
		case ActionCreate:
			switch {
			case v.users+1 > v.max:
				fail(ELIMIT, Message{ID: MsgRowUserLimit, Params: Params{"Max": v.max}})
			case out.Allocate && out.CapacityGB > v.left:
				fail(EINSUFFICIENTSPACE, Message{ID: MsgRowCapacityExceeded, Params: Params{"Need": out.CapacityGB, "Left": v.left}})
			default:
				v.users++
				if out.Allocate {
					v.left -= out.CapacityGB
				}
			}
		case ActionUpdate:
			if out.Allocate {
				var current int64
				if f.ExistingSpace != nil {
					current = f.ExistingSpace.CapacityGB
				}
				if err := CheckAllocation(f.ExistingSpace, out.CapacityGB, v.left); err != nil {
					failErr(err)
				} else {
					v.left -= out.CapacityGB - current
				}
			}
		}
	}
	out.Result = VerifyResult{IsSuccess: VerifyPass}
	if len(reasons) > 0 {
		out.Action = ActionNone
		out.Result = VerifyResult{IsSuccess: VerifyFail, Kind: kind, Reasons: reasons}
	}
	return out
}
