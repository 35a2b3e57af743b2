package sqldb_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/koodrive/koodrive"
)

// taskRunner is the part of the store that runs import tasks in the
// background; the domain's ImportService leaves it to the server.
type taskRunner interface {
	RunTasks(ctx context.Context, poll time.Duration, report func(error))
	RunBatch(ctx context.Context) (bool, error)
}

// startRunner runs db's import tasks in the background, as the server does,
// until stop is called or the test ends. Any failure it reports fails the
// test: no batch should need a retry here.
func startRunner(tb testing.TB, db *DB) (stop func()) {
	tb.Helper()
	r, ok := db.Import.(taskRunner)
	if !ok {
		tb.Fatalf("%T does not run tasks", db.Import)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		r.RunTasks(ctx, 5*time.Millisecond, func(err error) { tb.Errorf("task runner: %v", err) })
	}()
	var once sync.Once
	stop = func() { once.Do(func() { cancel(); <-done }) }
	tb.Cleanup(stop)
	return stop
}

// taskEnded reports whether a task has stopped for good.
func taskEnded(t *koodrive.Task) bool {
	return t.Status == koodrive.TaskSucceeded || t.Status == koodrive.TaskFailed || t.Status == koodrive.TaskCancelled
}

// waitTask polls a task until until holds for it, and returns it.
func waitTask(tb testing.TB, db *DB, a koodrive.Actor, id koodrive.ID, until func(*koodrive.Task) bool) *koodrive.Task {
	tb.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		t, err := db.Import.FindTask(context.Background(), a, id)
		if err != nil {
			tb.Fatalf("find task %d: %v", id, err)
		}
		if until(t) {
			return t
		}
		if time.Now().After(deadline) {
			tb.Fatalf("task %d still at status %d, %d of %d rows done", id, t.Status, t.Done, t.Total)
		}
		time.Sleep(time.Millisecond)
	}
}

// mustStartImport turns an upload into a task.
func mustStartImport(tb testing.TB, db *DB, a koodrive.Actor, up *koodrive.Upload) *koodrive.Task {
	tb.Helper()
	task, err := db.Import.StartImport(context.Background(), a, up.ID)
	if err != nil {
		tb.Fatalf("start import of %d: %v", up.ID, err)
	}
	return task
}

// mustRunImport starts an upload's task, runs it to its end and returns it.
func mustRunImport(tb testing.TB, db *DB, a koodrive.Actor, up *koodrive.Upload) *koodrive.Task {
	tb.Helper()
	task := mustStartImport(tb, db, a, up)
	stop := startRunner(tb, db)
	defer stop()
	return waitTask(tb, db, a, task.ID, taskEnded)
}

// mustTaskRows returns every row of a task, or only the failing ones.
func mustTaskRows(tb testing.TB, db *DB, a koodrive.Actor, id koodrive.ID, failedOnly bool) []koodrive.RowResult {
	tb.Helper()
	return mustAllRows(tb, func(offset, limit int) ([]koodrive.RowResult, int, error) {
		return db.Import.TaskRows(context.Background(), a, id, failedOnly, offset, limit)
	})
}

// outcomes describes what became of rows, one word each: created,
// updated, skipped, pending, or failed: and the first reason.
func outcomes(rows []koodrive.RowResult) string {
	words := make([]string, len(rows))
	for i, r := range rows {
		switch r.Outcome {
		case koodrive.OutcomePending:
			words[i] = "pending"
		case koodrive.OutcomeCreated:
			words[i] = "created"
		case koodrive.OutcomeUpdated:
			words[i] = "updated"
		case koodrive.OutcomeSkipped:
			words[i] = "skipped"
		case koodrive.OutcomeFailed:
			words[i] = "failed:"
			if len(r.Result.Reasons) > 0 {
				words[i] += string(r.Result.Reasons[0].ID)
			}
		default:
			words[i] = fmt.Sprintf("outcome%d", r.Outcome)
		}
	}
	return strings.Join(words, " ")
}

// taskCounts describes a task's status and counters.
func taskCounts(t *koodrive.Task) string {
	return fmt.Sprintf("status %d, done %d/%d, created %d, updated %d, skipped %d, failed %d",
		t.Status, t.Done, t.Total, t.Created, t.Updated, t.Skipped, t.Failed)
}

// mustAuditFor returns the audit entries of op on resource, oldest first.
func mustAuditFor(tb testing.TB, db *DB, admin koodrive.Actor, op, resource string) []*koodrive.AuditEntry {
	tb.Helper()
	entries, _ := mustAuditEntries(tb, db, admin, koodrive.AuditFilter{Operations: []string{op}, PageSize: koodrive.MaxPageSize, PageNum: 1, Ascending: true})
	var out []*koodrive.AuditEntry
	for _, e := range entries {
		if e.Resource == resource {
			out = append(out, e)
		}
	}
	return out
}

// manyRows returns n passing rows into the root, each with a GB of its own.
func manyRows(n int) []koodrive.ImportRow {
	rows := make([]koodrive.ImportRow, n)
	for i := range rows {
		rows[i] = withID(withCap(row(""), "1"), fmt.Sprintf("u%05d", i), "", "")
	}
	return rows
}

// bigOrg initializes an organization with room for thousands of users.
func bigOrg(tb testing.TB, db *DB) *Org {
	tb.Helper()
	return MustInitOrgWith(tb, db, koodrive.OrganizationInit{Name: "Acme", CapacityGB: 10_000, MaxUsers: 10_000, AdminUserID: "admin"})
}

// mustStopAfterBatch runs one batch of a started task and stops, as a
// server that is shut down between batches.
func mustStopAfterBatch(tb testing.TB, db *DB, a koodrive.Actor, id koodrive.ID) *koodrive.Task {
	tb.Helper()
	if ran, err := db.Import.(taskRunner).RunBatch(context.Background()); err != nil || !ran {
		tb.Fatalf("run a batch: ran %t, err %v; want the task's first batch run", ran, err)
	}
	task, err := db.Import.FindTask(context.Background(), a, id)
	if err != nil {
		tb.Fatal(err)
	}
	if taskEnded(task) || task.Done >= task.Total {
		tb.Fatalf("the task ran to its end (%s) in one batch: the test needs more rows", taskCounts(task))
	}
	if task.Status != koodrive.TaskExecuting || task.Done < 500 || task.Done%500 != 0 {
		tb.Fatalf("stopped task: %s; want executing, a whole number of 500-row batches done", taskCounts(task))
	}
	return task
}

func TestImportService_StartImport(t *testing.T) { eachBackend(t, testImportService_StartImport) }

func testImportService_StartImport(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		up := mustUpload(t, db, o.Admin, 0, koodrive.ImportSkip, []koodrive.ImportRow{withID(row(""), "a", "", ""), row("Nowhere")})
		db.Clock.Advance(time.Minute)
		task, err := db.Import.StartImport(ctx, o.Admin, up.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := koodrive.Task{ID: task.ID, Type: koodrive.TaskImport, OrgID: o.ID, CreatedBy: o.Admin.ID, UploadID: up.ID,
			Status: koodrive.TaskNew, Mode: koodrive.ImportSkip, Total: 2, CreatedAt: t0.Add(time.Minute)}
		if task.ID == 0 || *task != want {
			t.Errorf("task = %+v, want %+v", *task, want)
		}
		found, err := db.Import.FindTask(ctx, o.Admin, task.ID)
		if err != nil {
			t.Fatal(err)
		}
		if *found != want {
			t.Errorf("FindTask = %+v, want %+v", *found, want)
		}
		if got, err := db.Import.FindUpload(ctx, o.Admin, up.ID); err != nil || got.TaskID != task.ID {
			t.Errorf("FindUpload = %+v, %v; want TaskID %d", got, err, task.ID)
		}

		entries := mustAuditFor(t, db, o.Admin, koodrive.AuditStartImport, "task/"+task.ID.String())
		if len(entries) != 1 || entries[0].Result != koodrive.AuditSucceeded || entries[0].OperatorID != o.Admin.ID {
			t.Errorf("StartImport audit entries = %v, want one success by the admin", entries)
		}
	})

	t.Run("ErrStartedTwice", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		up := mustUpload(t, db, o.Admin, 0, "", []koodrive.ImportRow{withID(row(""), "a", "", "")})
		task := mustStartImport(t, db, o.Admin, up)
		_, err := db.Import.StartImport(ctx, o.Admin, up.ID)
		assertMessage(t, err, koodrive.ECONFLICT, "resultId", koodrive.MsgImportStarted)
		if got, want := fmt.Sprint(koodrive.AsError(err).Message.Params["Task"]), task.ID.String(); got != want {
			t.Errorf("Params[Task] = %s, want %s", got, want)
		}
		entries := mustAuditFor(t, db, o.Admin, koodrive.AuditStartImport, "upload/"+up.ID.String())
		if len(entries) != 1 || entries[0].Result != koodrive.AuditFailed {
			t.Fatalf("audit entries of the refused start = %v, want one failure", entries)
		}
		checkAuditMessage(t, "StartImport", entries[0], koodrive.AsError(err).Message)

		// Still after the task has ended.
		stop := startRunner(t, db)
		waitTask(t, db, o.Admin, task.ID, taskEnded)
		stop()
		_, err = db.Import.StartImport(ctx, o.Admin, up.ID)
		assertMessage(t, err, koodrive.ECONFLICT, "resultId", koodrive.MsgImportStarted)
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		_, err := db.Import.StartImport(ctx, o.Admin, 12345)
		assertError(t, err, koodrive.ENOTFOUND, "resultId")
		_, err = db.Import.FindTask(ctx, o.Admin, 12345)
		assertError(t, err, koodrive.ENOTFOUND, "taskId")
		_, _, err = db.Import.TaskRows(ctx, o.Admin, 12345, false, 0, 10)
		assertError(t, err, koodrive.ENOTFOUND, "taskId")
		err = db.Import.CancelTask(ctx, o.Admin, 12345)
		assertError(t, err, koodrive.ENOTFOUND, "taskId")
	})
}

func TestImportService_RunTasks(t *testing.T) { eachBackend(t, testImportService_RunTasks) }

func testImportService_RunTasks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		before := MustFindOrg(t, db)
		alice := withID(withCap(row("Sales"), "5"), "alice", "Alice@Example.com", "+86 138 0000 0001")
		alice.Name, alice.Role = "Alice", "0"
		rows := []koodrive.ImportRow{
			alice,
			withID(row("Sales/EMEA"), "bob", "", ""),
			withID(row("Nowhere"), "nobody", "", ""),
			withID(row(""), "ALICE", "", ""),
			withID(withCap(row(""), "10"), "carol", "", ""),
		}
		up := mustUpload(t, db, tr.Admin, 0, "", rows)
		task := mustStartImport(t, db, tr.Admin, up)
		db.Clock.Advance(time.Minute)
		stop := startRunner(t, db)
		got := waitTask(t, db, tr.Admin, task.ID, taskEnded)
		stop()

		want := *task
		want.Status, want.Done, want.Created, want.Failed = koodrive.TaskSucceeded, 5, 3, 2
		want.StartedAt, want.EndedAt = t0.Add(time.Minute), t0.Add(time.Minute)
		if *got != want {
			t.Errorf("task = %+v, want %+v", *got, want)
		}

		all := mustTaskRows(t, db, tr.Admin, task.ID, false)
		if got, want := outcomes(all), "created created failed:RowDeptNotFound failed:RowDuplicate created"; got != want {
			t.Errorf("outcomes = %s, want %s", got, want)
		}
		if got, want := outcomes(mustUploadRows(t, db, tr.Admin, up.ID, false)), outcomes(all); got != want {
			t.Errorf("upload rows' outcomes = %s, want the task's %s", got, want)
		}
		failed := mustTaskRows(t, db, tr.Admin, task.ID, true)
		if got, want := fmt.Sprintf("%d,%d", failed[0].Number, failed[len(failed)-1].Number), "3,4"; len(failed) != 2 || got != want {
			t.Errorf("failing rows: %d, numbers %s; want 2, %s", len(failed), got, want)
		}
		for i, r := range all {
			if (r.UserID != 0) != (r.Outcome == koodrive.OutcomeCreated) {
				t.Errorf("row %d: UserID %d with outcome %d, want a user exactly for a created row", i+1, r.UserID, r.Outcome)
			}
		}

		// The users are as the rows say, not yet activated.
		for _, w := range []struct {
			row   int
			dept  koodrive.ID
			role  koodrive.Role
			space int64 // 0: none
		}{{0, tr.Sales.ID, koodrive.RoleDeptAdmin, 5}, {1, tr.EMEA.ID, koodrive.RoleUser, 0}, {4, tr.Root.ID, koodrive.RoleUser, 10}} {
			u, err := db.Users.FindUserByID(ctx, tr.Admin, all[w.row].UserID)
			if err != nil {
				t.Fatal(err)
			}
			if u.UserID != rows[w.row].UserID || u.DeptID != w.dept || u.Role != w.role || u.Status != koodrive.StatusNotActivated {
				t.Errorf("row %d: user %+v, want userId %s, dept %d, role %d, not activated", w.row+1, *u, rows[w.row].UserID, w.dept, w.role)
			}
			sp, err := db.Spaces.FindSpace(ctx, tr.Admin, u.ID, koodrive.SpacePersonal)
			switch {
			case w.space == 0:
				assertKind(t, err, koodrive.ENOTFOUND)
			case err != nil:
				t.Errorf("row %d: personal space: %v", w.row+1, err)
			case sp.CapacityGB != w.space:
				t.Errorf("row %d: personal space of %d GB, want %d", w.row+1, sp.CapacityGB, w.space)
			}
		}
		u, err := db.Users.FindUserByID(ctx, tr.Admin, all[0].UserID)
		if err != nil {
			t.Fatal(err)
		}
		if u.Name != "Alice" || u.Email != "Alice@Example.com" || u.Mobile != "+8613800000001" {
			t.Errorf("alice: name %q, email %q, mobile %q; want Alice, Alice@Example.com, +8613800000001", u.Name, u.Email, u.Mobile)
		}

		org := MustFindOrg(t, db)
		if got, want := org.UserCount, before.UserCount+3; got != want {
			t.Errorf("UserCount = %d, want %d", got, want)
		}
		if got, want := org.AllocatedGB, before.AllocatedGB+15; got != want {
			t.Errorf("AllocatedGB = %d, want %d", got, want)
		}

		entries := mustAuditFor(t, db, tr.Admin, koodrive.AuditImportUsers, "task/"+task.ID.String())
		if len(entries) != 1 || entries[0].Result != koodrive.AuditSucceeded || entries[0].OperatorID != tr.Admin.ID ||
			entries[0].OperatorName != tr.Admin.UserID || entries[0].Message != nil {
			t.Errorf("ImportUsers audit entries = %v, want one success by %s", entries, tr.Admin.UserID)
		}
	})

	t.Run("Update", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		ann := MustCreateUser(t, db, tr.Admin, koodrive.UserCreate{UserID: "ann", DeptID: tr.Sales.ID, Email: "ann@example.com", Mobile: "+1 555 0100", Role: new(koodrive.RoleUser)})
		ben := MustCreateUser(t, db, tr.Admin, koodrive.UserCreate{UserID: "ben", DeptID: tr.Eng.ID, Role: new(koodrive.RoleUser)})
		cat := MustCreateUser(t, db, tr.Admin, koodrive.UserCreate{UserID: "cat", DeptID: tr.Sales.ID, Role: new(koodrive.RoleUser)})
		mustCreateSpace(t, db, tr.Admin, ann.ID, koodrive.SpacePersonal, 10)
		mustCreateSpace(t, db, tr.Admin, cat.ID, koodrive.SpacePersonal, 20)
		before := MustFindOrg(t, db)

		annRow := withID(withCap(row("Eng"), "15"), "ANN", "ann2@example.com", "")
		annRow.Name, annRow.Role = "Ann B", "5"
		// ann moves, grows, and changes role, name and email; ben stays where
		// it is and gets a first space; cat shrinks; dan is new.
		rows := []koodrive.ImportRow{
			annRow,
			withID(withCap(row(""), "4"), "ben", "", ""),
			withID(withCap(row("Sales"), "5"), "cat", "", ""),
			withID(withCap(row("Sales"), "1"), "dan", "", ""),
			withID(row("Nowhere"), "ben", "", ""),
		}
		up := mustUpload(t, db, tr.Admin, 0, koodrive.ImportUpdate, rows)
		task := mustRunImport(t, db, tr.Admin, up)
		if got, want := taskCounts(task), "status 2, done 5/5, created 1, updated 3, skipped 0, failed 1"; got != want {
			t.Errorf("task: %s, want %s", got, want)
		}
		all := mustTaskRows(t, db, tr.Admin, task.ID, false)
		if got, want := outcomes(all), "updated updated updated created failed:RowDeptNotFound"; got != want {
			t.Errorf("outcomes = %s, want %s", got, want)
		}
		for i, id := range []koodrive.ID{ann.ID, ben.ID, cat.ID} {
			if all[i].UserID != id {
				t.Errorf("row %d: UserID %d, want %d", i+1, all[i].UserID, id)
			}
		}

		got, err := db.Users.FindUserByID(ctx, tr.Admin, ann.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.UserID != "ann" || got.DeptID != tr.Eng.ID || got.Role != koodrive.RoleMemberManager || got.Name != "Ann B" ||
			got.Email != "ann2@example.com" || got.Mobile != ann.Mobile {
			t.Errorf("ann = %+v, want userId ann, dept %d, role 5, name Ann B, email ann2@example.com, mobile %s kept", *got, tr.Eng.ID, ann.Mobile)
		}
		if got, err := db.Users.FindUserByID(ctx, tr.Admin, ben.ID); err != nil || got.DeptID != tr.Eng.ID {
			t.Errorf("ben = %+v, %v; want it left in Eng (an empty department cell)", got, err)
		}
		for _, w := range []struct {
			u  *koodrive.User
			gb int64
		}{{ann, 15}, {ben, 4}, {cat, 5}} {
			if got := mustFindSpace(t, db, tr.Admin, w.u.ID, koodrive.SpacePersonal).CapacityGB; got != w.gb {
				t.Errorf("%s: space of %d GB, want %d", w.u.UserID, got, w.gb)
			}
		}
		org := MustFindOrg(t, db)
		if got, want := org.AllocatedGB, before.AllocatedGB+5+4-15+1; got != want {
			t.Errorf("AllocatedGB = %d, want %d", got, want)
		}
		if got, want := org.UserCount, before.UserCount+1; got != want {
			t.Errorf("UserCount = %d, want %d", got, want)
		}
	})

	t.Run("Skip", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		ann := MustCreateUser(t, db, tr.Admin, koodrive.UserCreate{UserID: "ann", Name: "Ann", DeptID: tr.Sales.ID, Role: new(koodrive.RoleUser)})
		mustCreateSpace(t, db, tr.Admin, ann.ID, koodrive.SpacePersonal, 10)
		bea := MustCreateUser(t, db, tr.Admin, koodrive.UserCreate{UserID: "bea", DeptID: tr.Sales.ID, Role: new(koodrive.RoleUser)})
		annRow := withID(withCap(row("Eng"), "3"), "ann", "", "")
		annRow.Name = "Someone Else"
		up := mustUpload(t, db, tr.Admin, 0, koodrive.ImportSkip, []koodrive.ImportRow{
			annRow,
			withID(row("Eng"), "new", "", ""),
			withID(withCap(row("Nowhere"), "lots"), "BEA", "", ""), // skipped whatever else it says
		})
		task := mustRunImport(t, db, tr.Admin, up)
		if got, want := taskCounts(task), "status 2, done 3/3, created 1, updated 0, skipped 2, failed 0"; got != want {
			t.Errorf("task: %s, want %s", got, want)
		}
		all := mustTaskRows(t, db, tr.Admin, task.ID, false)
		if all[2].UserID != bea.ID {
			t.Errorf("row 3: UserID %d, want bea's %d", all[2].UserID, bea.ID)
		}
		if got, want := outcomes(all), "skipped created skipped"; got != want {
			t.Errorf("outcomes = %s, want %s", got, want)
		}
		if all[0].UserID != ann.ID {
			t.Errorf("skipped row: UserID %d, want ann's %d", all[0].UserID, ann.ID)
		}
		if got, err := db.Users.FindUserByID(ctx, tr.Admin, ann.ID); err != nil || got.DeptID != tr.Sales.ID || got.Name != "Ann" {
			t.Errorf("ann = %+v, %v; want unchanged", got, err)
		}
		if got := mustFindSpace(t, db, tr.Admin, ann.ID, koodrive.SpacePersonal).CapacityGB; got != 10 {
			t.Errorf("ann's space: %d GB, want 10 (unchanged)", got)
		}
	})

	// Between the upload and the run the organization changes: each batch
	// is checked again against it as it is.
	t.Run("Recheck", func(t *testing.T) {
		t.Parallel()

		t.Run("DeptDeleted", func(t *testing.T) {
			t.Parallel()
			db := MustOpenDB(t)
			tr := mustTree(t, db)
			up := mustUpload(t, db, tr.Admin, 0, "", []koodrive.ImportRow{
				withID(row("Sales/EMEA"), "a", "", ""), withID(row("Eng"), "b", "", ""), withID(row("EMEA"), "c", "", ""),
			})
			if err := db.Depts.DeleteDepartment(ctx, tr.Admin, tr.EMEA.ID); err != nil {
				t.Fatal(err)
			}
			task := mustRunImport(t, db, tr.Admin, up)
			if got, want := taskCounts(task), "status 2, done 3/3, created 1, updated 0, skipped 0, failed 2"; got != want {
				t.Errorf("task: %s, want %s", got, want)
			}
			all := mustTaskRows(t, db, tr.Admin, task.ID, false)
			if got, want := outcomes(all), "failed:RowDeptNotFound created failed:RowDeptNotFound"; got != want {
				t.Errorf("outcomes = %s, want %s", got, want)
			}
			if all[0].Result.Kind != koodrive.ENOTFOUND {
				t.Errorf("row 1: kind %q, want ENOTFOUND", all[0].Result.Kind)
			}
		})

		// The department the file is relative to is gone: nothing can run.
		t.Run("CurDeptDeleted", func(t *testing.T) {
			t.Parallel()
			db := MustOpenDB(t)
			tr := mustTree(t, db)
			up := mustUpload(t, db, tr.Admin, tr.Eng.ID, "", []koodrive.ImportRow{withID(row(""), "a", "", ""), withID(row(""), "b", "", "")})
			if err := db.Depts.DeleteDepartment(ctx, tr.Admin, tr.Eng.ID); err != nil {
				t.Fatal(err)
			}
			task := mustRunImport(t, db, tr.Admin, up)
			if got, want := taskCounts(task), "status 3, done 2/2, created 0, updated 0, skipped 0, failed 2"; got != want {
				t.Errorf("task: %s, want %s", got, want)
			}
			all := mustTaskRows(t, db, tr.Admin, task.ID, false)
			if got, want := outcomes(all), "failed:DeptNotFound failed:DeptNotFound"; got != want {
				t.Errorf("outcomes = %s, want %s", got, want)
			}
		})

		t.Run("CapacityReduced", func(t *testing.T) {
			t.Parallel()
			db := MustOpenDB(t)
			o := MustInitOrgWith(t, db, koodrive.OrganizationInit{Name: "Acme", CapacityGB: 100, MaxUsers: 100, AdminUserID: "admin"})
			up := mustUpload(t, db, o.Admin, 0, "", []koodrive.ImportRow{
				withID(withCap(row(""), "30"), "a", "", ""), withID(withCap(row(""), "30"), "b", "", ""),
				withID(withCap(row(""), "30"), "c", "", ""), withID(row(""), "d", "", ""),
			})
			if up.Passed != 4 {
				t.Fatalf("Passed = %d, want 4", up.Passed)
			}
			if _, err := db.Orgs.UpdateOrganization(ctx, o.Admin, koodrive.OrganizationUpdate{CapacityGB: new(int64(70))}); err != nil {
				t.Fatal(err)
			}
			task := mustRunImport(t, db, o.Admin, up)
			all := mustTaskRows(t, db, o.Admin, task.ID, false)
			if got, want := outcomes(all), "created created failed:RowCapacityExceeded created"; got != want {
				t.Errorf("outcomes = %s, want %s", got, want)
			}
			if got, want := reasonParam(all[2], "Need")+","+reasonParam(all[2], "Left"), "30,10"; got != want {
				t.Errorf("row 3: Need,Left = %s, want %s", got, want)
			}
			if all[2].Result.Kind != koodrive.EINSUFFICIENTSPACE {
				t.Errorf("row 3: kind %q, want EINSUFFICIENTSPACE", all[2].Result.Kind)
			}
			if got, want := MustFindOrg(t, db).AllocatedGB, int64(60); got != want {
				t.Errorf("AllocatedGB = %d, want %d", got, want)
			}
		})

		t.Run("MaxUsersReduced", func(t *testing.T) {
			t.Parallel()
			db := MustOpenDB(t)
			o := MustInitOrgWith(t, db, koodrive.OrganizationInit{Name: "Acme", CapacityGB: 100, MaxUsers: 10, AdminUserID: "admin"})
			var rows []koodrive.ImportRow
			for i := range 5 {
				rows = append(rows, withID(row(""), fmt.Sprintf("u%d", i), "", ""))
			}
			up := mustUpload(t, db, o.Admin, 0, "", rows)
			if _, err := db.Orgs.UpdateOrganization(ctx, o.Admin, koodrive.OrganizationUpdate{MaxUsers: new(int64(4))}); err != nil {
				t.Fatal(err)
			}
			task := mustRunImport(t, db, o.Admin, up)
			all := mustTaskRows(t, db, o.Admin, task.ID, false)
			if got, want := outcomes(all), "created created created failed:RowUserLimit failed:RowUserLimit"; got != want {
				t.Errorf("outcomes = %s, want %s", got, want)
			}
			if all[3].Result.Kind != koodrive.ELIMIT {
				t.Errorf("row 4: kind %q, want ELIMIT", all[3].Result.Kind)
			}
			if got, want := MustFindOrg(t, db).UserCount, int64(4); got != want {
				t.Errorf("UserCount = %d, want %d", got, want)
			}
		})

		t.Run("IdentityTaken", func(t *testing.T) {
			t.Parallel()
			db := MustOpenDB(t)
			o := MustInitOrg(t, db)
			up := mustUpload(t, db, o.Admin, 0, "", []koodrive.ImportRow{
				withID(row(""), "a", "a@example.com", ""),
				withID(row(""), "b", "", ""),
				withID(row(""), "c", "", "+86 138 0000 0003"),
				withID(row(""), "d", "d@example.com", "+86 138 0000 0004"),
			})
			MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "x", Email: "A@EXAMPLE.COM", Role: new(koodrive.RoleUser)})
			MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "B", Role: new(koodrive.RoleUser)})
			MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "y", Mobile: "+8613800000003", Role: new(koodrive.RoleUser)})
			task := mustRunImport(t, db, o.Admin, up)
			all := mustTaskRows(t, db, o.Admin, task.ID, false)
			if got, want := outcomes(all), "failed:RowExists failed:RowExists failed:RowExists created"; got != want {
				t.Errorf("outcomes = %s, want %s", got, want)
			}
			for i, field := range []string{"email", "userId", "mobile"} {
				if got := reasonParam(all[i], "Field"); got != field {
					t.Errorf("row %d: Field %s, want %s", i+1, got, field)
				}
				if all[i].Result.Kind != koodrive.ECONFLICT {
					t.Errorf("row %d: kind %q, want ECONFLICT", i+1, all[i].Result.Kind)
				}
			}
			if got, want := taskCounts(task), "status 2, done 4/4, created 1, updated 0, skipped 0, failed 3"; got != want {
				t.Errorf("task: %s, want %s", got, want)
			}
		})

		// The creator lost the right to import: the task fails, every row
		// with the reason, and nothing is created.
		for _, tt := range []struct {
			name   string
			change koodrive.UserUpdate
			kind   koodrive.Kind
			msg    koodrive.MessageID
		}{
			{"CreatorDemoted", koodrive.UserUpdate{Role: new(koodrive.RoleUser)}, koodrive.EFORBIDDEN, koodrive.MsgForbiddenRole},
			{"CreatorDisabled", koodrive.UserUpdate{Status: new(koodrive.StatusDisabled)}, koodrive.EUNAUTHENTICATED, koodrive.MsgUserDisabled},
		} {
			t.Run(tt.name, func(t *testing.T) {
				t.Parallel()
				db := MustOpenDB(t)
				tr := mustTree(t, db)
				creator := MustUserActor(t, db, tr.Admin, "sales-admin", tr.Sales.ID, koodrive.RoleDeptAdmin)
				up := mustUpload(t, db, creator, tr.Sales.ID, "", []koodrive.ImportRow{
					withID(row(""), "a", "", ""), withID(row("Nowhere"), "b", "", ""), withID(row("EMEA"), "c", "", ""),
				})
				task := mustStartImport(t, db, creator, up)
				if _, err := db.Users.UpdateUser(ctx, tr.Admin, creator.ID, tt.change); err != nil {
					t.Fatal(err)
				}
				users := MustUserTotal(t, db, tr.Admin)
				stop := startRunner(t, db)
				got := waitTask(t, db, tr.Admin, task.ID, taskEnded)
				stop()
				if got, want := taskCounts(got), "status 3, done 3/3, created 0, updated 0, skipped 0, failed 3"; got != want {
					t.Errorf("task: %s, want %s", got, want)
				}
				all := mustTaskRows(t, db, tr.Admin, task.ID, false)
				for _, i := range []int{0, 2} {
					r := all[i]
					if r.Outcome != koodrive.OutcomeFailed || r.Result.Kind != tt.kind || len(r.Result.Reasons) != 1 || r.Result.Reasons[0].ID != tt.msg {
						t.Errorf("row %d: outcome %d, kind %q, reasons %v; want failed, %s, [%s]", i+1, r.Outcome, r.Result.Kind, r.Result.Reasons, tt.kind, tt.msg)
					}
				}
				if all[1].Outcome != koodrive.OutcomeFailed {
					t.Errorf("row 2: outcome %d, want failed", all[1].Outcome)
				}
				if got := MustUserTotal(t, db, tr.Admin); got != users {
					t.Errorf("%d users, want %d: nothing imported", got, users)
				}

				entries := mustAuditFor(t, db, tr.Admin, koodrive.AuditImportUsers, "task/"+task.ID.String())
				if len(entries) != 1 || entries[0].Result != koodrive.AuditFailed || entries[0].OperatorID != creator.ID {
					t.Fatalf("ImportUsers audit entries = %v, want one failure by the creator", entries)
				}
				checkAuditMessage(t, "ImportUsers", entries[0], koodrive.Message{ID: tt.msg})
			})
		}
	})

	// A runner stopped between batches (a server shut down) leaves the task
	// executing; the next one resumes it after the last batch done.
	t.Run("Resume", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := bigOrg(t, db)
		const n = 1500
		up := mustUpload(t, db, o.Admin, 0, "", manyRows(n))
		task := mustStartImport(t, db, o.Admin, up)
		stopped := mustStopAfterBatch(t, db, o.Admin, task.ID)
		if stopped.Created != stopped.Done {
			t.Errorf("stopped task: %s, want every row done created", taskCounts(stopped))
		}
		if got, want := MustUserTotal(t, db, o.Admin), 1+stopped.Done; got != want {
			t.Errorf("%d users after the stop, want %d", got, want)
		}
		pending := mustTaskRows(t, db, o.Admin, task.ID, false)[stopped.Done:]
		if got, want := outcomes(pending), strings.TrimSpace(strings.Repeat("pending ", n-stopped.Done)); got != want {
			t.Errorf("rows after the stop: %.60s..., want all pending", got)
		}

		db.MustReopen(t)
		stop := startRunner(t, db)
		got := waitTask(t, db, o.Admin, task.ID, taskEnded)
		stop()
		if got, want := taskCounts(got), fmt.Sprintf("status 2, done %d/%d, created %d, updated 0, skipped 0, failed 0", n, n, n); got != want {
			t.Errorf("task: %s, want %s", got, want)
		}
		all := mustTaskRows(t, db, o.Admin, task.ID, false)
		seen := make(map[koodrive.ID]bool)
		for i, r := range all {
			if r.Outcome != koodrive.OutcomeCreated || r.UserID == 0 || seen[r.UserID] {
				t.Fatalf("row %d: outcome %d, UserID %d (seen before: %t); want created, a user of its own", i+1, r.Outcome, r.UserID, seen[r.UserID])
			}
			seen[r.UserID] = true
		}
		if got, want := MustUserTotal(t, db, o.Admin), 1+n; got != want {
			t.Errorf("%d users, want %d", got, want)
		}
		org := MustFindOrg(t, db)
		if org.UserCount != 1+n || org.AllocatedGB != n {
			t.Errorf("UserCount, AllocatedGB = %d, %d, want %d, %d", org.UserCount, org.AllocatedGB, 1+n, n)
		}
		if entries := mustAuditFor(t, db, o.Admin, koodrive.AuditImportUsers, "task/"+task.ID.String()); len(entries) != 1 {
			t.Errorf("%d ImportUsers audit entries, want 1", len(entries))
		}
	})

	// Two runners at once (two servers on one database) take turns at the
	// task's batches: no row is imported twice.
	t.Run("TwoRunners", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := bigOrg(t, db)
		const n = 1200
		up := mustUpload(t, db, o.Admin, 0, "", manyRows(n))
		task := mustStartImport(t, db, o.Admin, up)
		stop1, stop2 := startRunner(t, db), startRunner(t, db)
		got := waitTask(t, db, o.Admin, task.ID, taskEnded)
		stop1()
		stop2()
		if got, want := taskCounts(got), fmt.Sprintf("status 2, done %d/%d, created %d, updated 0, skipped 0, failed 0", n, n, n); got != want {
			t.Errorf("task: %s, want %s", got, want)
		}
		if got, want := MustUserTotal(t, db, o.Admin), 1+n; got != want {
			t.Errorf("%d users, want %d", got, want)
		}
		if entries := mustAuditFor(t, db, o.Admin, koodrive.AuditImportUsers, "task/"+task.ID.String()); len(entries) != 1 {
			t.Errorf("%d ImportUsers audit entries, want 1", len(entries))
		}
	})

	// The creator loses its rights after the first batch: the rows done
	// stay, the remaining ones fail.
	t.Run("CreatorDisabledMidway", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := bigOrg(t, db)
		creator := MustUserActor(t, db, o.Admin, "admin2", o.Root.ID, koodrive.RoleSystemAdmin)
		const n = 1500
		up := mustUpload(t, db, creator, 0, "", manyRows(n))
		task := mustStartImport(t, db, creator, up)
		stopped := mustStopAfterBatch(t, db, o.Admin, task.ID)
		if _, err := db.Users.UpdateUser(ctx, o.Admin, creator.ID, koodrive.UserUpdate{Status: new(koodrive.StatusDisabled)}); err != nil {
			t.Fatal(err)
		}
		startRunner(t, db)
		got := waitTask(t, db, o.Admin, task.ID, taskEnded)
		want := fmt.Sprintf("status 3, done %d/%d, created %d, updated 0, skipped 0, failed %d", n, n, stopped.Done, n-stopped.Done)
		if got := taskCounts(got); got != want {
			t.Errorf("task: %s, want %s", got, want)
		}
		all := mustTaskRows(t, db, o.Admin, task.ID, false)
		for i, r := range all {
			wantFail := i >= stopped.Done
			if (r.Outcome == koodrive.OutcomeFailed) != wantFail || (!wantFail && r.Outcome != koodrive.OutcomeCreated) ||
				wantFail && r.Result.Reasons[0].ID != koodrive.MsgUserDisabled {
				t.Fatalf("row %d: %s, want %s", i+1, outcomes(all[i:i+1]), map[bool]string{true: "failed:UserDisabled", false: "created"}[wantFail])
			}
		}
		if got, want := MustUserTotal(t, db, o.Admin), 2+stopped.Done; got != want {
			t.Errorf("%d users, want %d", got, want)
		}
		failed := mustTaskRows(t, db, o.Admin, task.ID, true)
		if got, want := len(failed), n-stopped.Done; got != want {
			t.Errorf("%d failing rows, want %d", got, want)
		}
	})
}

func TestImportService_CancelTask(t *testing.T) { eachBackend(t, testImportService_CancelTask) }

func testImportService_CancelTask(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("New", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		up := mustUpload(t, db, o.Admin, 0, "", []koodrive.ImportRow{withID(row(""), "a", "", "")})
		task := mustStartImport(t, db, o.Admin, up)
		db.Clock.Advance(time.Minute)
		if err := db.Import.CancelTask(ctx, o.Admin, task.ID); err != nil {
			t.Fatal(err)
		}
		got, err := db.Import.FindTask(ctx, o.Admin, task.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != koodrive.TaskCancelled || !got.Cancel || !got.EndedAt.Equal(t0.Add(time.Minute)) || got.Done != 0 {
			t.Errorf("task = %+v, want cancelled at once, ended at %v, nothing done", *got, t0.Add(time.Minute))
		}
		entries := mustAuditFor(t, db, o.Admin, koodrive.AuditCancelImport, "task/"+task.ID.String())
		if len(entries) != 1 || entries[0].Result != koodrive.AuditSucceeded {
			t.Errorf("CancelImport audit entries = %v, want one success", entries)
		}

		// A runner started later leaves it: it runs the next task, which
		// is newer, and the cancelled one stays as it is.
		later := mustRunImport(t, db, o.Admin, mustUpload(t, db, o.Admin, 0, "", []koodrive.ImportRow{withID(row(""), "b", "", "")}))
		if later.Status != koodrive.TaskSucceeded {
			t.Fatalf("later task: %s, want succeeded", taskCounts(later))
		}
		if after, err := db.Import.FindTask(ctx, o.Admin, task.ID); err != nil || *after != *got {
			t.Errorf("cancelled task after a run = %+v, %v; want unchanged: %+v", after, err, *got)
		}
		if rows := mustTaskRows(t, db, o.Admin, task.ID, false); outcomes(rows) != "pending" {
			t.Errorf("outcomes = %s, want pending", outcomes(rows))
		}
		if _, err := db.Auth.CreateSession(ctx, "a"); koodrive.ErrorKind(err) != koodrive.ENOTFOUND {
			t.Errorf("CreateSession(a) err = %v, want ENOTFOUND: the cancelled task created its user", err)
		}

		err = db.Import.CancelTask(ctx, o.Admin, task.ID)
		assertMessage(t, err, koodrive.ECONFLICT, "taskId", koodrive.MsgTaskEnded)
	})

	// Cancelling a running task stops it after the batch it is in: the
	// rows done stay done, the rest stay pending.
	t.Run("Executing", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := bigOrg(t, db)
		const n = 1500
		up := mustUpload(t, db, o.Admin, 0, "", manyRows(n))
		task := mustStartImport(t, db, o.Admin, up)
		mustStopAfterBatch(t, db, o.Admin, task.ID)
		if err := db.Import.CancelTask(ctx, o.Admin, task.ID); err != nil {
			t.Fatalf("cancel a running task: %v", err)
		}
		startRunner(t, db)
		// Batches and the cancellation commit one after the other: what is
		// done now is all that will be.
		asked, err := db.Import.FindTask(ctx, o.Admin, task.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !asked.Cancel || asked.Done >= n {
			t.Fatalf("task after CancelTask: %s, cancel %t; want cancel asked with rows left", taskCounts(asked), asked.Cancel)
		}
		got := waitTask(t, db, o.Admin, task.ID, taskEnded)
		want := fmt.Sprintf("status 4, done %d/%d, created %d, updated 0, skipped 0, failed 0", asked.Done, n, asked.Done)
		if got := taskCounts(got); got != want {
			t.Errorf("task: %s, want %s", got, want)
		}
		all := mustTaskRows(t, db, o.Admin, task.ID, false)
		for i, r := range all {
			if wantDone := i < asked.Done; (r.Outcome == koodrive.OutcomeCreated) != wantDone || (!wantDone && r.Outcome != koodrive.OutcomePending) {
				t.Fatalf("row %d: %s, want %s", i+1, outcomes(all[i:i+1]), map[bool]string{true: "created", false: "pending"}[wantDone])
			}
		}
		if got, want := MustUserTotal(t, db, o.Admin), 1+asked.Done; got != want {
			t.Errorf("%d users, want %d", got, want)
		}
		imports := mustAuditFor(t, db, o.Admin, koodrive.AuditImportUsers, "task/"+task.ID.String())
		cancels := mustAuditFor(t, db, o.Admin, koodrive.AuditCancelImport, "task/"+task.ID.String())
		if len(imports) != 1 || len(cancels) != 1 || cancels[0].Result != koodrive.AuditSucceeded {
			t.Errorf("audit: %d ImportUsers, CancelImport %v; want one each, the cancel a success", len(imports), cancels)
		}
	})

	t.Run("ErrEnded", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		task := mustRunImport(t, db, o.Admin, mustUpload(t, db, o.Admin, 0, "", []koodrive.ImportRow{withID(row(""), "a", "", "")}))
		err := db.Import.CancelTask(ctx, o.Admin, task.ID)
		assertMessage(t, err, koodrive.ECONFLICT, "taskId", koodrive.MsgTaskEnded)
		entries := mustAuditFor(t, db, o.Admin, koodrive.AuditCancelImport, "task/"+task.ID.String())
		if len(entries) != 1 || entries[0].Result != koodrive.AuditFailed {
			t.Fatalf("CancelImport audit entries = %v, want one failure", entries)
		}
		checkAuditMessage(t, "CancelImport", entries[0], koodrive.AsError(err).Message)
	})

	t.Run("ErrNotOwn", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		mine := MustUserActor(t, db, tr.Admin, "sales-admin", tr.Sales.ID, koodrive.RoleDeptAdmin)
		peer := MustUserActor(t, db, tr.Admin, "sales-admin2", tr.Sales.ID, koodrive.RoleDeptAdmin)
		task := mustStartImport(t, db, mine, mustUpload(t, db, mine, tr.Sales.ID, "", []koodrive.ImportRow{withID(row(""), "a", "", "")}))
		err := db.Import.CancelTask(ctx, peer, task.ID)
		assertError(t, err, koodrive.ENOTFOUND, "taskId")
		_, err = db.Import.FindTask(ctx, peer, task.ID)
		assertError(t, err, koodrive.ENOTFOUND, "taskId")
		_, _, err = db.Import.TaskRows(ctx, peer, task.ID, false, 0, 10)
		assertError(t, err, koodrive.ENOTFOUND, "taskId")
		// A system administrator may cancel anyone's.
		if err := db.Import.CancelTask(ctx, tr.Admin, task.ID); err != nil {
			t.Fatal(err)
		}
		if got, err := db.Import.FindTask(ctx, mine, task.ID); err != nil || got.Status != koodrive.TaskCancelled {
			t.Errorf("FindTask = %+v, %v; want cancelled", got, err)
		}
	})
}

func TestImportService_FindTasks(t *testing.T) { eachBackend(t, testImportService_FindTasks) }

func testImportService_FindTasks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustOpenDB(t)
	tr := mustTree(t, db)
	deptAdmin := MustUserActor(t, db, tr.Admin, "sales-admin", tr.Sales.ID, koodrive.RoleDeptAdmin)
	start := func(a koodrive.Actor, dept koodrive.ID) *koodrive.Task {
		db.Clock.Advance(time.Second)
		return mustStartImport(t, db, a, mustUpload(t, db, a, dept, "", []koodrive.ImportRow{withID(row(""), "x", "", "")}))
	}
	// Oldest first: three of the admin's, one of the department admin's.
	tasks := []*koodrive.Task{start(tr.Admin, 0), start(deptAdmin, tr.Sales.ID), start(tr.Admin, tr.Eng.ID), start(tr.Admin, 0)}
	if err := db.Import.CancelTask(ctx, tr.Admin, tasks[2].ID); err != nil {
		t.Fatal(err)
	}
	ids := func(list []*koodrive.Task) string {
		var b []string
		for _, t := range list {
			for i, x := range tasks {
				if x.ID == t.ID {
					b = append(b, fmt.Sprint(i))
				}
			}
		}
		return strings.Join(b, ",")
	}

	for _, tt := range []struct {
		name string
		a    koodrive.Actor
		f    koodrive.TaskFilter
		want string
		next bool
	}{
		{"All", tr.Admin, koodrive.TaskFilter{}, "3,2,1,0", false},
		{"FirstPage", tr.Admin, koodrive.TaskFilter{PageSize: 2}, "3,2", true},
		{"LastPage", tr.Admin, koodrive.TaskFilter{PageSize: 2, Cursor: tasks[2].ID}, "1,0", false},
		{"ExactPage", tr.Admin, koodrive.TaskFilter{PageSize: 4}, "3,2,1,0", false},
		{"Cancelled", tr.Admin, koodrive.TaskFilter{Statuses: []koodrive.TaskStatus{koodrive.TaskCancelled}}, "2", false},
		{"New", tr.Admin, koodrive.TaskFilter{Statuses: []koodrive.TaskStatus{koodrive.TaskNew}}, "3,1,0", false},
		{"NewOrCancelled", tr.Admin, koodrive.TaskFilter{Statuses: []koodrive.TaskStatus{koodrive.TaskNew, koodrive.TaskCancelled}}, "3,2,1,0", false},
		{"Succeeded", tr.Admin, koodrive.TaskFilter{Statuses: []koodrive.TaskStatus{koodrive.TaskSucceeded}}, "", false},
		{"TypeImport", tr.Admin, koodrive.TaskFilter{Type: koodrive.TaskImport}, "3,2,1,0", false},
		{"OtherType", tr.Admin, koodrive.TaskFilter{Type: 2}, "", false},
		{"OwnOnly", deptAdmin, koodrive.TaskFilter{}, "1", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, next, err := db.Import.FindTasks(ctx, tt.a, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if ids(got) != tt.want || (next != 0) != tt.next {
				t.Errorf("tasks %s, next %d; want %s, next set %t", ids(got), next, tt.want, tt.next)
			}
			if tt.next && next != got[len(got)-1].ID {
				t.Errorf("next = %d, want the last task's ID %d", next, got[len(got)-1].ID)
			}
		})
	}

	t.Run("Paging", func(t *testing.T) {
		var all []*koodrive.Task
		var cursor koodrive.ID
		for range 10 {
			page, next, err := db.Import.FindTasks(ctx, tr.Admin, koodrive.TaskFilter{PageSize: 1, Cursor: cursor})
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, page...)
			if cursor = next; cursor == 0 {
				break
			}
		}
		if got, want := ids(all), "3,2,1,0"; got != want {
			t.Errorf("pages gave %s, want %s", got, want)
		}
	})

	t.Run("ErrPageSize", func(t *testing.T) {
		for _, size := range []int{-1, koodrive.MaxPageSize + 1} {
			_, _, err := db.Import.FindTasks(ctx, tr.Admin, koodrive.TaskFilter{PageSize: size})
			assertError(t, err, koodrive.EINVALID, "pageSize")
		}
	})
}
