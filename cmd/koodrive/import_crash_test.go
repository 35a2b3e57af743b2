package main

import (
	"bytes"
	"database/sql"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

// TestImportCrash kills the server with SIGKILL while a 100,000-row import
// runs, starts it again on the same data folder, and checks that the task
// resumes from its last batch and ends with every row imported exactly
// once, and that the organization's totals match its tables.
func TestImportCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 100,000 rows in a server process that it kills")
	}
	const n = 100_000
	data := t.TempDir()
	url, cmd := startBinary(t, data, "--max-users", "200000", "--capacity-gb", "5000")
	out, err := cli(t, nil, "token", "create", "--data", data, "--user", "admin")
	if err != nil {
		t.Fatal(err)
	}
	s := &server{URL: url, Data: data, Admin: lastLine(out)}
	users, allocated := impTotals(t, s)

	var file bytes.Buffer
	impGenCSV(&file, "crash", n, 100, "")
	up := impUploadCSV(t, s, s.Admin, file.Bytes(), "", "")
	if got := impCounts(t, up); got != [4]int{n, n, 0, 0} {
		t.Fatalf("upload counts %v, want [%d %d 0 0]", got, n, n)
	}
	taskID := impStart(t, s, s.Admin, str(t, up, "resultId"))
	var seen impTask
	for end := time.Now().Add(impDeadline); ; {
		seen = impGetTask(t, url, s.Admin, taskID)
		if seen.Progress.Done > 0 || seen.Status >= 2 {
			break
		}
		if time.Now().After(end) {
			t.Fatalf("no progress: %+v", seen)
		}
		time.Sleep(2 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if seen.Status != 1 || seen.Progress.Done >= n/2 {
		t.Fatalf("killed too late to test a resumption: %+v", seen)
	}
	killedAt := seen.Progress.Done

	// Started again as a process, the server answers at once (the token
	// issued before the crash still holds), while the task runs on.
	url2, cmd2 := startBinary(t, data)
	s2 := &server{URL: url2, Data: data, Admin: s.Admin}
	resumed := impGetTask(t, s2.URL, s2.Admin, taskID)
	s2.Root = s2.rootID(t)
	if resumed.Progress.Done < killedAt || resumed.Progress.Created != resumed.Progress.Done {
		t.Errorf("after the restart the task has done %d rows and created %d users; it had done %d before SIGKILL",
			resumed.Progress.Done, resumed.Progress.Created, killedAt)
	}
	task := impWait(t, s2.URL, s2.Admin, taskID, 2*impDeadline)
	impWantProgress(t, task, 2, impProgress{Total: n, Done: n, Created: n})
	t.Logf("killed after %d of %d rows; resumed at %d", killedAt, n, resumed.Progress.Done)

	if got := s2.count(t); got != users+n {
		t.Errorf("users/count %d, want %d", got, users+n)
	}
	gotUsers, gotAllocated := impTotals(t, s2)
	if gotUsers != users+n || gotAllocated != allocated+n/100 {
		t.Errorf("%d users, %d GB allocated; want %d and %d", gotUsers, gotAllocated, users+n, allocated+n/100)
	}
	listed := impAllUserIDs(t, s2.URL, s2.Admin)
	entries := 0
	for _, c := range listed {
		entries += c
	}
	if len(listed) != users+n || entries != users+n {
		t.Errorf("the user list holds %d users with %d distinct userIds, want %d of each", entries, len(listed), users+n)
	}
	missing, twice := 0, 0
	for i := 1; i <= n; i++ {
		switch listed[impGenUserID("crash", i)] {
		case 0:
			missing++
		case 1:
		default:
			twice++
		}
	}
	if missing != 0 || twice != 0 {
		t.Errorf("of the file's %d userIds, %d are missing and %d listed more than once", n, missing, twice)
	}
	impWantGenerated(t, s2, "crash", 100, 1, killedAt, killedAt+1, killedAt+500, n)

	if err := cmd2.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd2.Wait(); err != nil {
		t.Fatalf("koodrive exited with %v after SIGTERM, want status 0", err)
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(data, "koodrive.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var counted, rows, distinct, allocatedGB, capacities int64
	for _, q := range []struct {
		query string
		dst   *int64
	}{
		{`SELECT user_count FROM organizations`, &counted},
		{`SELECT count(*) FROM users`, &rows},
		{`SELECT count(DISTINCT user_key) FROM users`, &distinct},
		{`SELECT allocated_gb FROM organizations`, &allocatedGB},
		{`SELECT coalesce(sum(capacity_gb), 0) FROM spaces`, &capacities},
	} {
		if err := db.QueryRow(q.query).Scan(q.dst); err != nil {
			t.Fatalf("%s: %v", q.query, err)
		}
	}
	if counted != rows || rows != int64(users+n) || distinct != rows {
		t.Errorf("organizations.user_count %d, users rows %d, distinct userIds %d; want all %d", counted, rows, distinct, users+n)
	}
	if allocatedGB != capacities || allocatedGB != int64(allocated+n/100) {
		t.Errorf("organizations.allocated_gb %d, sum of spaces.capacity_gb %d; want both %d", allocatedGB, capacities, allocated+n/100)
	}
}
