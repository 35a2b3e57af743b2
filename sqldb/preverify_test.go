package sqldb_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/koodrive/koodrive"
)

var (
	yes = func() *bool { b := true; return &b }()
	no  = func() *bool { b := false; return &b }()
)

// row is an import row for a department with no capacity allocated.
func row(dept string) koodrive.ImportRow {
	return koodrive.ImportRow{TargetDeptName: dept, PersonalCapacity: "0", IsAllocateCapacity: no}
}

// withCap allocates gb to the row.
func withCap(r koodrive.ImportRow, gb string) koodrive.ImportRow {
	r.PersonalCapacity, r.IsAllocateCapacity = gb, yes
	return r
}

// withID gives the row identity fields.
func withID(r koodrive.ImportRow, userID, email, mobile string) koodrive.ImportRow {
	r.UserID, r.Email, r.Mobile = userID, email, mobile
	return r
}

// want is the expected outcome of a row: pass when no reasons are listed,
// else failing with exactly these message IDs, in any order.
type want []koodrive.MessageID

func pass() want { return nil }

func fails(ids ...koodrive.MessageID) want { return ids }

// checkResults compares results with the expected outcomes row by row.
func checkResults(tb testing.TB, got []koodrive.VerifyResult, wants []want) {
	tb.Helper()
	if len(got) != len(wants) {
		tb.Fatalf("%d results, want %d", len(got), len(wants))
	}
	for i, w := range wants {
		g := got[i]
		wantSuccess := koodrive.VerifyPass
		if len(w) > 0 {
			wantSuccess = koodrive.VerifyFail
		}
		if g.IsSuccess != wantSuccess || !slices.Equal(sortedIDs(reasonIDs(g)), sortedIDs(w)) {
			tb.Errorf("row %d: IsSuccess %d, reasons %v; want %d, %v", i+1, g.IsSuccess, g.Reasons, wantSuccess, []koodrive.MessageID(w))
		}
	}
}

func sortedIDs(ids []koodrive.MessageID) []koodrive.MessageID {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	return ids
}

func reasonIDs(r koodrive.VerifyResult) []koodrive.MessageID {
	var ids []koodrive.MessageID
	for _, m := range r.Reasons {
		ids = append(ids, m.ID)
	}
	return ids
}

func TestImportService_PreverifyImport(t *testing.T) {
	eachBackend(t, testImportService_PreverifyImport)
}

func testImportService_PreverifyImport(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		rows := []koodrive.ImportRow{
			row(""),
			row("Sales"),
			row("sales"),
			withCap(row("EMEA"), "10"),
			row("Sales/EMEA"),
			row("Acme/Sales/EMEA"),
			row(" Sales / EMEA "),
			withID(row("Eng"), "newbie", "newbie@example.com", "+1 555 0100"),
		}
		got, err := db.Import.PreverifyImport(ctx, tr.Admin, tr.Root.ID, rows)
		if err != nil {
			t.Fatal(err)
		}
		wants := make([]want, len(rows))
		checkResults(t, got, wants)
	})

	t.Run("WritesNothing", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		MustCreateUser(t, db, tr.Admin, koodrive.UserCreate{UserID: "old", Role: new(koodrive.RoleUser)})
		orgBefore := MustFindOrg(t, db)
		usersBefore, _, err := db.Users.FindUsers(ctx, tr.Admin, koodrive.UserFilter{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		var rows []koodrive.ImportRow
		for i := range 50 {
			rows = append(rows, withID(withCap(row("Sales"), "1"), fmt.Sprintf("new%d", i), "", ""))
		}
		got, err := db.Import.PreverifyImport(ctx, tr.Admin, tr.Root.ID, rows)
		if err != nil {
			t.Fatal(err)
		}
		checkResults(t, got, make([]want, len(rows)))

		if got, want := *MustFindOrg(t, db), *orgBefore; got != want {
			t.Errorf("organization after = %+v, want %+v", got, want)
		}
		usersAfter, _, err := db.Users.FindUsers(ctx, tr.Admin, koodrive.UserFilter{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := userIDs(usersAfter), userIDs(usersBefore); got != want {
			t.Errorf("users after = %s, want %s", got, want)
		}
		if _, err := db.Auth.CreateSession(ctx, "new0"); koodrive.ErrorKind(err) != koodrive.ENOTFOUND {
			t.Errorf("a verified row's user exists: CreateSession err = %v, want ENOTFOUND", err)
		}
	})

	t.Run("Departments", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		MustCreateDept(t, db, tr.Admin, tr.Eng.ID, "EMEA") // a second EMEA, outside Sales
		MustCreateDept(t, db, tr.Admin, tr.EMEA.ID, "Paris")

		// From the root, EMEA is ambiguous; from Sales it is not.
		rows := []koodrive.ImportRow{
			row("EMEA"), row("Sales/EMEA"), row("Eng/EMEA"), row("Nowhere"), row("Paris"), row("Sales/Paris"),
		}
		got, err := db.Import.PreverifyImport(ctx, tr.Admin, tr.Root.ID, rows)
		if err != nil {
			t.Fatal(err)
		}
		checkResults(t, got, []want{
			fails(koodrive.MsgRowDeptAmbiguous), pass(), pass(), fails(koodrive.MsgRowDeptNotFound), pass(),
			fails(koodrive.MsgRowDeptNotFound),
		})

		rows = []koodrive.ImportRow{
			row(""), row("EMEA"), row("emea"), row("Sales"), row("Sales/EMEA"), row("Acme/Sales/EMEA/Paris"),
			row("Eng"), row("Eng/EMEA"), row("Acme"), row("Acme/Eng/EMEA"),
		}
		got, err = db.Import.PreverifyImport(ctx, tr.Admin, tr.Sales.ID, rows)
		if err != nil {
			t.Fatal(err)
		}
		notFound := fails(koodrive.MsgRowDeptNotFound)
		checkResults(t, got, []want{pass(), pass(), pass(), pass(), pass(), pass(), notFound, notFound, notFound, notFound})
	})

	t.Run("Capacity", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrgWith(t, db, koodrive.OrganizationInit{Name: "Acme", CapacityGB: 10, MaxUsers: 100, AdminUserID: "admin"})
		missing := row("")
		missing.IsAllocateCapacity = nil
		rows := []koodrive.ImportRow{
			withCap(row(""), "4"),  // 6 left
			withCap(row(""), "4"),  // 2 left
			withCap(row(""), "4"),  // does not fit
			withCap(row(""), "2"),  // fits exactly: 0 left
			row(""),                // no capacity needed
			withCap(row(""), "1"),  // nothing left
			withCap(row(""), "0"),  // allocation needs at least 1
			withCap(row(""), ""),   // required
			withCap(row(""), "-1"), // a whole number >= 0
			withCap(row(""), "1.5"),
			withCap(row(""), "lots"),
			withCap(row(""), strconv.Itoa(koodrive.MaxCapacityGB+1)),
			func() koodrive.ImportRow { r := row(""); r.PersonalCapacity = "3"; return r }(), // not allocated: must be 0
			missing,
		}
		got, err := db.Import.PreverifyImport(ctx, o.Admin, o.Root.ID, rows)
		if err != nil {
			t.Fatal(err)
		}
		checkResults(t, got, []want{
			pass(), pass(), fails(koodrive.MsgRowCapacityExceeded), pass(), pass(), fails(koodrive.MsgRowCapacityExceeded),
			fails(koodrive.MsgRowCapacityZero), fails(koodrive.MsgFieldRequired),
			fails(koodrive.MsgRowCapacityRange), fails(koodrive.MsgRowCapacityRange), fails(koodrive.MsgRowCapacityRange),
			fails(koodrive.MsgRowCapacityRange), fails(koodrive.MsgRowCapacityNotZero), fails(koodrive.MsgFieldRequired),
		})
	})

	t.Run("UserLimit", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrgWith(t, db, koodrive.OrganizationInit{Name: "Acme", CapacityGB: 10, MaxUsers: 5, AdminUserID: "admin"})
		MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "a", Role: new(koodrive.RoleUser)})
		MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "b", Role: new(koodrive.RoleUser)})
		// 3 users exist: 2 more fit. A failing row takes no place.
		rows := []koodrive.ImportRow{row(""), row("Nowhere"), row(""), row(""), row("")}
		got, err := db.Import.PreverifyImport(ctx, o.Admin, o.Root.ID, rows)
		if err != nil {
			t.Fatal(err)
		}
		checkResults(t, got, []want{
			pass(), fails(koodrive.MsgRowDeptNotFound), pass(), fails(koodrive.MsgRowUserLimit), fails(koodrive.MsgRowUserLimit),
		})
	})

	t.Run("ExistingIdentities", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		MustCreateUser(t, db, o.Admin, koodrive.UserCreate{
			UserID: "Alice", Email: "Alice@Example.com", Mobile: "+86 138 0013 8000", Role: new(koodrive.RoleUser),
		})
		rows := []koodrive.ImportRow{
			withID(row(""), "alice", "", ""),
			withID(row(""), "ADMIN", "", ""),
			withID(row(""), "bob", "alice@example.COM", ""),
			withID(row(""), "carol", "", "+86-138-0013-8000"),
			withID(row(""), "dave", "dave@example.com", "+86 138 0013 8001"),
		}
		got, err := db.Import.PreverifyImport(ctx, o.Admin, o.Root.ID, rows)
		if err != nil {
			t.Fatal(err)
		}
		exists := koodrive.MsgRowExists
		checkResults(t, got, []want{fails(exists), fails(exists), fails(exists), fails(exists), pass()})
		fields := func(r koodrive.VerifyResult) string {
			var f []string
			for _, m := range r.Reasons {
				f = append(f, fmt.Sprint(m.Params["Field"]))
			}
			return strings.Join(f, ",")
		}
		for i, wantFields := range []string{"userId", "userId", "email", "mobile"} {
			if got := fields(got[i]); got != wantFields {
				t.Errorf("row %d: fields %s, want %s", i+1, got, wantFields)
			}
		}

		// One row taking all three. With more users in the organization
		// than identities in the batch, the store looks the identities up
		// one by one instead of reading every user (as above): the same
		// answers.
		for _, id := range []string{"x1", "x2", "x3"} {
			MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: id, Role: new(koodrive.RoleUser)})
		}
		got, err = db.Import.PreverifyImport(ctx, o.Admin, o.Root.ID, []koodrive.ImportRow{
			withID(row(""), "ALICE", "ALICE@example.com", "+86 13800138000"),
		})
		if err != nil {
			t.Fatal(err)
		}
		checkResults(t, got, []want{fails(exists, exists, exists)})
		if got := fields(got[0]); !sameSet(got, "userId,email,mobile") {
			t.Errorf("fields %s, want userId, email and mobile", got)
		}
	})

	t.Run("BatchDuplicates", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		rows := []koodrive.ImportRow{
			withID(row(""), "x", "x@example.com", "+1 555 0100"),
			withID(row(""), "y", "y@example.com", "+1 555 0101"),
			withID(row(""), "X", "", ""),
			withID(row(""), "z", "Y@EXAMPLE.COM", ""),
			withID(row(""), "w", "", "+1-555-0100"),
			withID(row(""), "v", "", ""),
		}
		got, err := db.Import.PreverifyImport(ctx, o.Admin, o.Root.ID, rows)
		if err != nil {
			t.Fatal(err)
		}
		dup := koodrive.MsgRowDuplicate
		checkResults(t, got, []want{pass(), pass(), fails(dup), fails(dup), fails(dup), pass()})
		for i, w := range []struct {
			field string
			first int
		}{{"userId", 1}, {"email", 2}, {"mobile", 1}} {
			p := got[i+2].Reasons[0].Params
			if p["Field"] != w.field || p["Row"] != w.first {
				t.Errorf("row %d: Field %v, Row %v, want %s, %d", i+3, p["Field"], p["Row"], w.field, w.first)
			}
		}
	})

	t.Run("ErrRowCount", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		_, err := db.Import.PreverifyImport(ctx, o.Admin, o.Root.ID, nil)
		assertKind(t, err, koodrive.EINVALID)
		_, err = db.Import.PreverifyImport(ctx, o.Admin, o.Root.ID, []koodrive.ImportRow{})
		assertKind(t, err, koodrive.EINVALID)
		_, err = db.Import.PreverifyImport(ctx, o.Admin, o.Root.ID, make([]koodrive.ImportRow, koodrive.MaxImportRows+1))
		assertKind(t, err, koodrive.EINVALID)
	})

	t.Run("MaxRows", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		rows := make([]koodrive.ImportRow, koodrive.MaxImportRows)
		for i := range rows {
			rows[i] = row("")
		}
		got, err := db.Import.PreverifyImport(ctx, o.Admin, o.Root.ID, rows)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(got), koodrive.MaxImportRows; got != want {
			t.Fatalf("%d results, want %d", got, want)
		}
		// 1 user exists and the limit is 1000.
		for i, r := range got {
			if wantOK := i < int(defaultInit.MaxUsers)-1; (r.IsSuccess == koodrive.VerifyPass) != wantOK {
				t.Fatalf("row %d: IsSuccess %d, reasons %v", i+1, r.IsSuccess, r.Reasons)
			}
		}
	})

	t.Run("ErrCurDeptNotFound", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		_, err := db.Import.PreverifyImport(ctx, o.Admin, o.Root.ID+1_000_000, []koodrive.ImportRow{row("")})
		assertError(t, err, koodrive.ENOTFOUND, "curDeptId")
	})

	t.Run("Scope", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		deptAdmin := MustUserActor(t, db, tr.Admin, "sales-admin", tr.Sales.ID, koodrive.RoleDeptAdmin)
		rows := []koodrive.ImportRow{row("")}
		for _, dept := range []koodrive.ID{tr.Sales.ID, tr.EMEA.ID} {
			got, err := db.Import.PreverifyImport(ctx, deptAdmin, dept, rows)
			if err != nil {
				t.Fatalf("dept admin in its subtree: %v", err)
			}
			checkResults(t, got, []want{pass()})
		}
		for _, dept := range []koodrive.ID{tr.Eng.ID, tr.Root.ID} {
			_, err := db.Import.PreverifyImport(ctx, deptAdmin, dept, rows)
			assertError(t, err, koodrive.EFORBIDDEN, "curDeptId")
		}
		for _, r := range []koodrive.Role{koodrive.RoleUser, koodrive.RoleDriveAdmin} {
			a := MustUserActor(t, db, tr.Admin, fmt.Sprintf("role%d", r), tr.Sales.ID, r)
			_, err := db.Import.PreverifyImport(ctx, a, tr.Sales.ID, rows)
			assertKind(t, err, koodrive.EFORBIDDEN)
		}
	})

	t.Run("LargeBatch", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		const capacity, maxUsers = 2500, 1302
		o := MustInitOrgWith(t, db, koodrive.OrganizationInit{Name: "Acme", CapacityGB: capacity, MaxUsers: maxUsers, AdminUserID: "admin"})
		sales := MustCreateDept(t, db, o.Admin, o.Root.ID, "Sales")
		eng := MustCreateDept(t, db, o.Admin, o.Root.ID, "Eng")
		MustCreateDept(t, db, o.Admin, o.Root.ID, "Ops")
		MustCreateDept(t, db, o.Admin, sales.ID, "EMEA")
		MustCreateDept(t, db, o.Admin, eng.ID, "EMEA")
		MustCreateDept(t, db, o.Admin, sales.ID, "APAC")
		MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "exist1", Email: "exist1@example.com", Mobile: "+10000000001", Role: new(koodrive.RoleUser)})

		// Ten kinds of rows, repeated. A candidate row is well formed; whether
		// it passes depends on the capacity and users left when it is reached.
		type expect struct {
			candidate bool
			needGB    int64
			reasons   want // of a row that is not a candidate
		}
		const n = 5000
		rows := make([]koodrive.ImportRow, n)
		kinds := make([]expect, n)
		for i := range rows {
			uid := fmt.Sprintf("u%05d", i)
			var r koodrive.ImportRow
			var e expect
			switch i % 10 {
			case 0:
				r, e = withID(withCap(row("Sales"), "2"), uid, "", ""), expect{candidate: true, needGB: 2}
			case 1:
				r, e = withID(row("eng"), uid, "", fmt.Sprintf("+86 139 %08d", i)), expect{candidate: true}
			case 2:
				r, e = withID(withCap(row("Sales/EMEA"), "1"), uid, uid+"@example.com", ""), expect{candidate: true, needGB: 1}
			case 3:
				r, e = withID(row("EMEA"), uid, "", ""), expect{reasons: fails(koodrive.MsgRowDeptAmbiguous)}
			case 4:
				r, e = withID(row("Nowhere"), uid, "", ""), expect{reasons: fails(koodrive.MsgRowDeptNotFound)}
			case 5:
				r = withID(row("ops"), uid, "", "")
				r.PersonalCapacity = "3"
				e = expect{reasons: fails(koodrive.MsgRowCapacityNotZero)}
			case 6:
				r, e = withID(withCap(row("Sales/APAC"), "0"), uid, "", ""), expect{reasons: fails(koodrive.MsgRowCapacityZero)}
			case 7:
				// The userId of row i-7, in capitals.
				r = withID(row(""), strings.ToUpper(fmt.Sprintf("u%05d", i-7)), "", "")
				e = expect{reasons: fails(koodrive.MsgRowDuplicate)}
			case 8:
				// The email of an existing user, repeated in the batch.
				r, e = withID(withCap(row("Eng/EMEA"), "1"), uid, "Exist1@Example.com", ""), expect{reasons: fails(koodrive.MsgRowDuplicate, koodrive.MsgRowExists)}
				if i == 8 {
					e.reasons = fails(koodrive.MsgRowExists)
				}
			case 9:
				r, e = withID(withCap(row("acme/ops"), "5"), uid, "", ""), expect{candidate: true, needGB: 5}
			}
			rows[i], kinds[i] = r, e
		}
		wants := make([]want, n)
		both := make(map[int]bool) // rows over both limits: either reason will do
		users, left := int64(2), int64(capacity)
		var passed int
		for i, e := range kinds {
			switch {
			case !e.candidate:
				wants[i] = e.reasons
			case users >= maxUsers:
				wants[i] = fails(koodrive.MsgRowUserLimit)
				both[i] = e.needGB > left
			case e.needGB > left:
				wants[i] = fails(koodrive.MsgRowCapacityExceeded)
			default:
				users++
				left -= e.needGB
				passed++
			}
		}
		// The batch must reach both limits for the test to mean anything.
		if left > 4 || users != maxUsers {
			t.Fatalf("test data: %d GB and %d users left at the end", left, maxUsers-users)
		}

		orgBefore := MustFindOrg(t, db)
		got, err := db.Import.PreverifyImport(ctx, o.Admin, o.Root.ID, rows)
		if err != nil {
			t.Fatal(err)
		}
		for i := range both {
			if both[i] && slices.Equal(reasonIDs(got[i]), []koodrive.MessageID{koodrive.MsgRowCapacityExceeded}) {
				wants[i] = fails(koodrive.MsgRowCapacityExceeded)
			}
		}
		checkResults(t, got, wants)
		var gotPassed int
		for _, r := range got {
			if r.IsSuccess == koodrive.VerifyPass {
				gotPassed++
			}
		}
		if gotPassed != passed {
			t.Errorf("%d rows pass, want %d", gotPassed, passed)
		}
		if got, want := *MustFindOrg(t, db), *orgBefore; got != want {
			t.Errorf("organization after = %+v, want %+v", got, want)
		}
	})
}

// sameSet reports whether two comma-separated lists hold the same items.
func sameSet(a, b string) bool {
	x, y := strings.Split(a, ","), strings.Split(b, ",")
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}
