package sqldb_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/koodrive/koodrive"
)

// rowSlice is a RowSource over rows held in memory. When err is set, Read
// returns it instead of the row at index failAt.
type rowSlice struct {
	rows   []koodrive.ImportRow
	next   int
	failAt int
	err    error
	// onRead, when set, runs before each row is returned, with its index.
	onRead func(i int)
}

func (s *rowSlice) Read() (koodrive.ImportRow, error) {
	if s.err != nil && s.next == s.failAt {
		return koodrive.ImportRow{}, s.err
	}
	if s.next == len(s.rows) {
		return koodrive.ImportRow{}, io.EOF
	}
	if s.onRead != nil {
		s.onRead(s.next)
	}
	s.next++
	return s.rows[s.next-1], nil
}

// mustUpload uploads rows into the department (0: the root) in mode.
func mustUpload(tb testing.TB, db *DB, a koodrive.Actor, dept koodrive.ID, mode koodrive.ImportMode, rows []koodrive.ImportRow) *koodrive.Upload {
	tb.Helper()
	up, err := db.Import.UploadImport(context.Background(), a, koodrive.UploadCreate{CurDeptID: dept, Mode: mode, FileName: "users.csv"}, &rowSlice{rows: rows})
	if err != nil {
		tb.Fatalf("upload %d rows: %v", len(rows), err)
	}
	return up
}

// mustUploadRows returns every row of an upload, or only the failing ones,
// reading it a page at a time.
func mustUploadRows(tb testing.TB, db *DB, a koodrive.Actor, id koodrive.ID, failedOnly bool) []koodrive.RowResult {
	tb.Helper()
	return mustAllRows(tb, func(offset, limit int) ([]koodrive.RowResult, int, error) {
		return db.Import.UploadRows(context.Background(), a, id, failedOnly, offset, limit)
	})
}

// mustAllRows pages through a row listing and checks that the pages agree
// on the total.
func mustAllRows(tb testing.TB, page func(offset, limit int) ([]koodrive.RowResult, int, error)) []koodrive.RowResult {
	tb.Helper()
	var all []koodrive.RowResult
	for {
		rows, total, err := page(len(all), koodrive.MaxPageSize)
		if err != nil {
			tb.Fatalf("rows from %d: %v", len(all), err)
		}
		all = append(all, rows...)
		if len(rows) < koodrive.MaxPageSize {
			if got, want := len(all), total; got != want {
				tb.Fatalf("read %d rows, want the total %d", got, want)
			}
			return all
		}
	}
}

// reasonParam returns a parameter of a row's first reason as text.
func reasonParam(r koodrive.RowResult, name string) string {
	if len(r.Result.Reasons) == 0 {
		return ""
	}
	return fmt.Sprint(r.Result.Reasons[0].Params[name])
}

// mustStoredUploads counts what the database holds of uploads.
func mustStoredUploads(tb testing.TB, db *DB) (uploads, rows int) {
	tb.Helper()
	raw := db.MustRawReadOnly(tb)
	if err := raw.QueryRow(`SELECT (SELECT count(*) FROM import_uploads), (SELECT count(*) FROM import_rows)`).Scan(&uploads, &rows); err != nil {
		tb.Fatalf("count stored uploads: %v", err)
	}
	return uploads, rows
}

func TestImportService_UploadImport(t *testing.T) { eachBackend(t, testImportService_UploadImport) }

func testImportService_UploadImport(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		orgBefore := MustFindOrg(t, db)
		rows := []koodrive.ImportRow{
			withID(withCap(row("Sales"), "5"), "alice", "alice@example.com", "+86 138 0000 0001"),
			withID(row("Nowhere"), "bob", "", ""),
			withID(row("Sales/EMEA"), "carol", "", ""),
			withID(row(""), "ALICE", "", ""),
			withID(row("eng"), "dave", "", ""),
		}
		up, err := db.Import.UploadImport(ctx, tr.Admin, koodrive.UploadCreate{FileName: "users.csv"}, &rowSlice{rows: rows})
		if err != nil {
			t.Fatal(err)
		}
		if up.ID == 0 {
			t.Errorf("ID = 0, want one")
		}
		want := koodrive.Upload{ID: up.ID, CurDeptID: tr.Root.ID, Mode: koodrive.ImportCreate, FileName: "users.csv",
			Rows: 5, Passed: 3, Failed: 2, CreatedBy: tr.Admin.ID, CreatedAt: t0}
		if *up != want {
			t.Errorf("upload = %+v, want %+v", *up, want)
		}
		found, err := db.Import.FindUpload(ctx, tr.Admin, up.ID)
		if err != nil {
			t.Fatal(err)
		}
		if *found != want {
			t.Errorf("FindUpload = %+v, want %+v", *found, want)
		}

		// Verifying writes nothing to the organization.
		if got, want := *MustFindOrg(t, db), *orgBefore; got != want {
			t.Errorf("organization after = %+v, want %+v", got, want)
		}
		if _, err := db.Auth.CreateSession(ctx, "alice"); koodrive.ErrorKind(err) != koodrive.ENOTFOUND {
			t.Errorf("CreateSession(alice) err = %v, want ENOTFOUND: an upload creates no user", err)
		}
	})

	t.Run("Modes", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		MustCreateUser(t, db, tr.Admin, koodrive.UserCreate{UserID: "old", DeptID: tr.Sales.ID, Role: new(koodrive.RoleUser)})
		MustCreateUser(t, db, tr.Admin, koodrive.UserCreate{UserID: "old2", DeptID: tr.Sales.ID, Role: new(koodrive.RoleUser)})
		rows := []koodrive.ImportRow{
			withID(row("Sales"), "old", "", ""),
			withID(row("Sales"), "new", "", ""),
			withID(row("Nowhere"), "other", "", ""),
			withID(row("Nowhere"), "OLD2", "", ""), // skipped whatever else it says
		}
		for _, tt := range []struct {
			mode                    koodrive.ImportMode
			passed, skipped, failed int
		}{
			{koodrive.ImportCreate, 1, 0, 3},
			{koodrive.ImportSkip, 1, 2, 1},
			{koodrive.ImportUpdate, 2, 0, 2},
		} {
			up := mustUpload(t, db, tr.Admin, 0, tt.mode, rows)
			if up.Mode != tt.mode || up.Rows != 4 || up.Passed != tt.passed || up.Skipped != tt.skipped || up.Failed != tt.failed {
				t.Errorf("%s: Mode %q, Rows %d, Passed %d, Skipped %d, Failed %d; want %q, 4, %d, %d, %d", tt.mode,
					up.Mode, up.Rows, up.Passed, up.Skipped, up.Failed, tt.mode, tt.passed, tt.skipped, tt.failed)
			}
		}
		_, err := db.Import.UploadImport(ctx, tr.Admin, koodrive.UploadCreate{Mode: "replace"}, &rowSlice{rows: rows})
		assertError(t, err, koodrive.EINVALID, "mode")
	})

	t.Run("Rows", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		// Lines as a file with a header and a blank line after row 2 would
		// number them.
		var rows []koodrive.ImportRow
		for i := range 7 {
			r := withID(row(""), fmt.Sprintf("u%d", i), "", "")
			if i%3 == 1 {
				r.TargetDeptName = "Nowhere"
			}
			r.Line = i + 2
			if i >= 2 {
				r.Line++
			}
			rows = append(rows, r)
		}
		rows[0] = withID(withCap(rows[0], "3"), "Ann", "Ann@Example.com", "+86 138-0000-0001")
		rows[0].Name, rows[0].Role = "Ann Smith", "5"
		rows[6].IsAllocateCapacity = nil
		rows[6].Problems = []koodrive.Message{{ID: koodrive.MsgYesNo, Params: koodrive.Params{"Field": "isAllocateCapacity", "Value": "maybe"}}}
		up := mustUpload(t, db, o.Admin, 0, "", rows)
		if got, want := up.Failed, 3; got != want { // rows 2, 5 and 7
			t.Fatalf("Failed = %d, want %d", got, want)
		}

		all := mustUploadRows(t, db, o.Admin, up.ID, false)
		if got, want := len(all), len(rows); got != want {
			t.Fatalf("%d rows, want %d", got, want)
		}
		for i, r := range all {
			if r.Number != i+1 || r.Row.Line != rows[i].Line || r.Row.UserID != rows[i].UserID {
				t.Errorf("row %d: Number %d, Line %d, UserID %q; want %d, %d, %q", i+1, r.Number, r.Row.Line, r.Row.UserID, i+1, rows[i].Line, rows[i].UserID)
			}
			if r.Outcome != koodrive.OutcomePending || r.UserID != 0 {
				t.Errorf("row %d: Outcome %d, UserID %d, want pending and 0 before the import", i+1, r.Outcome, r.UserID)
			}
			wantFail := i%3 == 1 || i == 6
			if got := r.Result.IsSuccess == koodrive.VerifyFail; got != wantFail {
				t.Errorf("row %d: IsSuccess %d, reasons %v; want failing %t", i+1, r.Result.IsSuccess, r.Result.Reasons, wantFail)
			}
		}
		// The row as it was read comes back.
		first := all[0].Row
		if first.Name != "Ann Smith" || first.Email != "Ann@Example.com" || first.Mobile != "+86 138-0000-0001" || first.Role != "5" ||
			first.PersonalCapacity != "3" || first.IsAllocateCapacity == nil || !*first.IsAllocateCapacity || first.TargetDeptName != "" {
			t.Errorf("row 1 = %+v, want it as uploaded: %+v", first, rows[0])
		}
		if r := all[1]; r.Result.Kind != koodrive.ENOTFOUND || len(r.Result.Reasons) != 1 || r.Result.Reasons[0].ID != koodrive.MsgRowDeptNotFound ||
			reasonParam(r, "Name") != "Nowhere" {
			t.Errorf("row 2 result = %+v, want ENOTFOUND RowDeptNotFound naming Nowhere", r.Result)
		}
		// What reading found is kept, and reported first.
		last := all[6]
		if last.Row.IsAllocateCapacity != nil || len(last.Row.Problems) != 1 || last.Row.Problems[0].ID != koodrive.MsgYesNo {
			t.Errorf("row 7 = %+v, want isAllocateCapacity missing and the YesNo problem", last.Row)
		}
		if r := last.Result; r.Kind != koodrive.EINVALID || len(r.Reasons) != 1 || r.Reasons[0].ID != koodrive.MsgYesNo ||
			reasonParam(last, "Value") != "maybe" {
			t.Errorf("row 7 result = %+v, want EINVALID with only YesNo (Value maybe)", r)
		}

		// The failing ones, in file order.
		failed := mustUploadRows(t, db, o.Admin, up.ID, true)
		var numbers []int
		for _, r := range failed {
			numbers = append(numbers, r.Number)
		}
		if got, want := fmt.Sprint(numbers), "[2 5 7]"; got != want {
			t.Errorf("failing rows %s, want %s", got, want)
		}

		// Pages.
		for _, tt := range []struct {
			failedOnly    bool
			offset, limit int
			want          string
			total         int
		}{
			{false, 0, 2, "[1 2]", 7},
			{false, 2, 2, "[3 4]", 7},
			{false, 6, 2, "[7]", 7},
			{false, 7, 2, "[]", 7},
			{true, 1, 1, "[5]", 3},
			{true, 2, 10, "[7]", 3},
		} {
			page, total, err := db.Import.UploadRows(ctx, o.Admin, up.ID, tt.failedOnly, tt.offset, tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			numbers := []int{}
			for _, r := range page {
				numbers = append(numbers, r.Number)
			}
			if got := fmt.Sprint(numbers); got != tt.want || total != tt.total {
				t.Errorf("UploadRows(failedOnly %t, %d, %d) = %s, total %d; want %s, %d", tt.failedOnly, tt.offset, tt.limit, got, total, tt.want, tt.total)
			}
		}
		_, _, err := db.Import.UploadRows(ctx, o.Admin, up.ID, false, 0, 0)
		assertError(t, err, koodrive.EINVALID, "limit")
		_, _, err = db.Import.UploadRows(ctx, o.Admin, up.ID, false, 0, koodrive.MaxPageSize+1)
		assertError(t, err, koodrive.EINVALID, "limit")
		_, _, err = db.Import.UploadRows(ctx, o.Admin, up.ID, false, -1, 10)
		assertError(t, err, koodrive.EINVALID, "offset")
		_, _, err = db.Import.UploadRows(ctx, o.Admin, up.ID+1_000_000, false, 0, 10)
		assertError(t, err, koodrive.ENOTFOUND, "resultId")
	})

	// Rows are verified a chunk at a time; a duplicate far from its first
	// row is still one, and names the first row's line.
	t.Run("DuplicatesAcrossChunks", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrgWith(t, db, koodrive.OrganizationInit{Name: "Acme", CapacityGB: 10000, MaxUsers: 10000, AdminUserID: "admin"})
		const n = 1300
		rows := make([]koodrive.ImportRow, n)
		for i := range rows {
			rows[i] = withID(withCap(row(""), "1"), fmt.Sprintf("u%04d", i), fmt.Sprintf("u%04d@example.com", i), fmt.Sprintf("+86 139 %08d", i))
			rows[i].Line = 10 + 2*i // lines grow, but are not row numbers
		}
		dups := map[int]struct {
			field string
			first int // index of the first row
		}{
			750:  {"userId", 50},  // 700 rows later, in the next chunk
			1210: {"email", 10},   // two chunks later
			520:  {"mobile", 499}, // the last row of the first chunk
			900:  {"userId", 50},  // a second duplicate of the same row
		}
		for i, d := range dups {
			switch d.field {
			case "userId":
				rows[i].UserID = fmt.Sprintf("U%04d", d.first)
			case "email":
				rows[i].Email = fmt.Sprintf("U%04d@EXAMPLE.com", d.first)
			case "mobile":
				rows[i].Mobile = fmt.Sprintf("+86-139-%08d", d.first)
			}
		}
		up := mustUpload(t, db, o.Admin, 0, "", rows)
		if up.Rows != n || up.Failed != len(dups) || up.Passed != n-len(dups) {
			t.Fatalf("Rows, Passed, Failed = %d, %d, %d, want %d, %d, %d", up.Rows, up.Passed, up.Failed, n, n-len(dups), len(dups))
		}
		failed := mustUploadRows(t, db, o.Admin, up.ID, true)
		if got, want := len(failed), len(dups); got != want {
			t.Fatalf("%d failing rows, want %d", got, want)
		}
		for _, r := range failed {
			d, ok := dups[r.Number-1]
			if !ok {
				t.Errorf("row %d fails (%v), want it to pass", r.Number, r.Result.Reasons)
				continue
			}
			if len(r.Result.Reasons) != 1 || r.Result.Reasons[0].ID != koodrive.MsgRowDuplicate || r.Result.Kind != koodrive.ECONFLICT {
				t.Errorf("row %d: kind %q, reasons %v, want ECONFLICT with one RowDuplicate", r.Number, r.Result.Kind, r.Result.Reasons)
				continue
			}
			if got, want := reasonParam(r, "Field"), d.field; got != want {
				t.Errorf("row %d: Field %s, want %s", r.Number, got, want)
			}
			if got, want := reasonParam(r, "Row"), fmt.Sprint(rows[d.first].Line); got != want {
				t.Errorf("row %d: Row %s, want %s (the line of row %d)", r.Number, got, want, d.first+1)
			}
		}
	})

	t.Run("ErrNoRows", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		up, err := db.Import.UploadImport(ctx, o.Admin, koodrive.UploadCreate{FileName: "empty.csv"}, &rowSlice{})
		assertMessage(t, err, koodrive.EINVALID, "file", koodrive.MsgRowCount)
		if up != nil {
			t.Errorf("upload = %+v, want nil", *up)
		}
		if uploads, rows := mustStoredUploads(t, db); uploads != 0 || rows != 0 {
			t.Errorf("stored %d uploads, %d rows, want none", uploads, rows)
		}
	})

	t.Run("ErrReadMidway", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		rows := make([]koodrive.ImportRow, 800)
		for i := range rows {
			rows[i] = withID(row(""), fmt.Sprintf("u%d", i), "", "")
		}
		// Learn the upload's ID while it is being read, from the file.
		var id koodrive.ID
		raw := db.MustRawReadOnly(t)
		src := &rowSlice{rows: rows, failAt: 700, err: errors.New("disk on fire"), onRead: func(i int) {
			if i == 600 {
				var stored int
				if err := raw.QueryRow(`SELECT id, (SELECT count(*) FROM import_rows) FROM import_uploads`).Scan(&id, &stored); err != nil {
					t.Errorf("read the upload being stored: %v", err)
				}
				if stored == 0 {
					t.Errorf("no rows stored after 600 read, want the first chunk")
				}
			}
		}}
		up, err := db.Import.UploadImport(ctx, o.Admin, koodrive.UploadCreate{FileName: "users.csv"}, src)
		if !errors.Is(err, src.err) {
			t.Fatalf("err = %v, want %v", err, src.err)
		}
		if up != nil {
			t.Errorf("upload = %+v, want nil", *up)
		}
		if id == 0 {
			t.Fatal("no upload stored while reading")
		}
		_, err = db.Import.FindUpload(ctx, o.Admin, id)
		assertError(t, err, koodrive.ENOTFOUND, "resultId")
		_, _, err = db.Import.UploadRows(ctx, o.Admin, id, false, 0, 10)
		assertError(t, err, koodrive.ENOTFOUND, "resultId")
		if uploads, rows := mustStoredUploads(t, db); uploads != 0 || rows != 0 {
			t.Errorf("stored %d uploads, %d rows, want none", uploads, rows)
		}
	})

	t.Run("ErrCurDeptNotFound", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		_, err := db.Import.UploadImport(ctx, o.Admin, koodrive.UploadCreate{CurDeptID: o.Root.ID + 1_000_000}, &rowSlice{rows: []koodrive.ImportRow{row("")}})
		assertError(t, err, koodrive.ENOTFOUND, "curDeptId")
	})

	t.Run("Scope", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		deptAdmin := MustUserActor(t, db, tr.Admin, "sales-admin", tr.Sales.ID, koodrive.RoleDeptAdmin)
		rows := []koodrive.ImportRow{withID(row(""), "new", "", "")}
		for _, dept := range []koodrive.ID{tr.Sales.ID, tr.EMEA.ID} {
			up := mustUpload(t, db, deptAdmin, dept, "", rows)
			if up.CurDeptID != dept || up.Passed != 1 {
				t.Errorf("upload into %d: CurDeptID %d, Passed %d, want %d, 1", dept, up.CurDeptID, up.Passed, dept)
			}
		}
		for _, dept := range []koodrive.ID{tr.Eng.ID, tr.Root.ID, 0} {
			_, err := db.Import.UploadImport(ctx, deptAdmin, koodrive.UploadCreate{CurDeptID: dept}, &rowSlice{rows: rows})
			assertError(t, err, koodrive.EFORBIDDEN, "curDeptId")
		}
		for _, r := range []koodrive.Role{koodrive.RoleUser, koodrive.RoleDriveAdmin} {
			a := MustUserActor(t, db, tr.Admin, fmt.Sprintf("role%d", r), tr.Sales.ID, r)
			_, err := db.Import.UploadImport(ctx, a, koodrive.UploadCreate{CurDeptID: tr.Sales.ID}, &rowSlice{rows: rows})
			assertKind(t, err, koodrive.EFORBIDDEN)
		}
		if uploads, _ := mustStoredUploads(t, db); uploads != 2 {
			t.Errorf("stored %d uploads, want 2 (the ones allowed)", uploads)
		}

		// The rows are checked with the uploader's rights: a department
		// administrator grants no system administrator's role, nor changes
		// a system administrator.
		MustCreateUser(t, db, tr.Admin, koodrive.UserCreate{UserID: "boss", DeptID: tr.Sales.ID, Role: new(koodrive.RoleSystemAdmin)})
		MustCreateUser(t, db, tr.Admin, koodrive.UserCreate{UserID: "worker", DeptID: tr.Sales.ID, Role: new(koodrive.RoleUser)})
		grant := withID(row(""), "new2", "", "")
		grant.Role = "2"
		up := mustUpload(t, db, deptAdmin, tr.Sales.ID, koodrive.ImportUpdate, []koodrive.ImportRow{
			grant, withID(row(""), "boss", "", ""), withID(row(""), "worker", "", ""),
		})
		all := mustUploadRows(t, db, deptAdmin, up.ID, false)
		for i, w := range []koodrive.MessageID{koodrive.MsgForbiddenGrant, koodrive.MsgForbiddenManage, ""} {
			var got koodrive.MessageID
			if rs := all[i].Result.Reasons; len(rs) > 0 {
				got = rs[0].ID
			}
			if got != w {
				t.Errorf("row %d: reasons %v, want %q", i+1, all[i].Result.Reasons, w)
			}
			if w != "" && all[i].Result.Kind != koodrive.EFORBIDDEN {
				t.Errorf("row %d: kind %q, want EFORBIDDEN", i+1, all[i].Result.Kind)
			}
		}
	})

	// An upload is its uploader's: others do not see it, except a system
	// administrator.
	t.Run("Visibility", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		mine := MustUserActor(t, db, tr.Admin, "sales-admin", tr.Sales.ID, koodrive.RoleDeptAdmin)
		peer := MustUserActor(t, db, tr.Admin, "sales-admin2", tr.Sales.ID, koodrive.RoleDeptAdmin)
		up := mustUpload(t, db, mine, tr.Sales.ID, "", []koodrive.ImportRow{withID(row(""), "new", "", "")})

		_, err := db.Import.FindUpload(ctx, peer, up.ID)
		assertError(t, err, koodrive.ENOTFOUND, "resultId")
		_, _, err = db.Import.UploadRows(ctx, peer, up.ID, false, 0, 10)
		assertError(t, err, koodrive.ENOTFOUND, "resultId")
		_, err = db.Import.StartImport(ctx, peer, up.ID)
		assertError(t, err, koodrive.ENOTFOUND, "resultId")

		for name, a := range map[string]koodrive.Actor{"uploader": mine, "system administrator": tr.Admin} {
			found, err := db.Import.FindUpload(ctx, a, up.ID)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if *found != *up {
				t.Errorf("%s: FindUpload = %+v, want %+v", name, *found, *up)
			}
			if rows, total, err := db.Import.UploadRows(ctx, a, up.ID, false, 0, 10); err != nil || total != 1 || len(rows) != 1 {
				t.Errorf("%s: UploadRows = %d rows, total %d, err %v; want 1, 1, nil", name, len(rows), total, err)
			}
		}
	})
}
