package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// impWantGenerated checks the users of generated rows (see impGenCSV).
func impWantGenerated(t *testing.T, s *server, prefix string, every int, rows ...int) {
	t.Helper()
	for _, i := range rows {
		capacity := 0
		if every > 0 && i%every == 0 {
			capacity = 1
		}
		impWantUser(t, s, impUser{UserID: impGenUserID(prefix, i), Name: fmt.Sprintf("User %d", i),
			Mobile: fmt.Sprintf("+8613%09d", impMobileBase(prefix)+i), Email: fmt.Sprintf("%s%d@example.com", prefix, i), Role: 1}, s.Root, capacity)
	}
}

// TestImportThousandRows imports 1,001 rows, two batches and one row
// more: every row is created once and the result counts them exactly.
func TestImportThousandRows(t *testing.T) {
	s := startServer(t)
	const n = 1001
	var file bytes.Buffer
	impGenCSV(&file, "k", n, 10, "")
	users, allocated := impTotals(t, s)
	r := impUploadForm(t, s, s.Admin, "thousand.csv", file.Bytes(), nil)
	r.wantOK(t)
	up := r.data(t)
	if got := impCounts(t, up); got != [4]int{n, n, 0, 0} {
		t.Fatalf("upload counts %v, want [%d %d 0 0]", got, n, n)
	}
	if f, _ := up["failures"].([]any); len(f) != 0 {
		t.Errorf("upload lists failures: %v", f)
	}
	task := impRun(t, s, s.Admin, up)
	impWantProgress(t, task, 2, impProgress{Total: n, Done: n, Created: n})
	res := impResult(t, s, s.Admin, task.TaskID, "")
	if res.SuccessCount != n || res.CreatedCount != n || res.FailCount != 0 || res.UpdatedCount != 0 || res.SkipCount != 0 ||
		res.RemainingCount != 0 || len(res.FailInfoList) != 0 {
		t.Errorf("result %+v; want %d created and nothing else", res, n)
	}
	gotUsers, gotAllocated := impTotals(t, s)
	if gotUsers != users+n || gotAllocated != allocated+n/10 {
		t.Errorf("%d users, %d GB allocated; want %d and %d", gotUsers, gotAllocated, users+n, allocated+n/10)
	}
	impWantGenerated(t, s, "k", 10, 1, 499, 500, 501, 999, 1000, 1001)
	report := impReport(t, s, s.Admin, str(t, up, "resultId"), false, "")
	ids := map[string]bool{}
	for i, row := range report {
		if row.Line != i+2 || row.Outcome != "created" || row.ID == "" || ids[row.ID] {
			t.Fatalf("report row %d: %+v; want line %d, created, a new user's id", i, row, i+2)
		}
		ids[row.ID] = true
	}
}

// TestImportHundredThousandRows imports 100,000 rows in one file: every
// row is created exactly once, and the test reports how long it took.
func TestImportHundredThousandRows(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 100,000 rows")
	}
	s := startServer(t, "--max-users", "200000", "--capacity-gb", "5000")
	const n = 100_000
	var file bytes.Buffer
	impGenCSV(&file, "h", n, 100, "")
	users, allocated := impTotals(t, s)

	start := time.Now()
	up := impUploadCSV(t, s, s.Admin, file.Bytes(), "", "")
	uploaded := time.Since(start)
	if got := impCounts(t, up); got != [4]int{n, n, 0, 0} {
		t.Fatalf("upload counts %v, want [%d %d 0 0]", got, n, n)
	}
	start = time.Now()
	task := impRun(t, s, s.Admin, up)
	ran := time.Since(start)
	impWantProgress(t, task, 2, impProgress{Total: n, Done: n, Created: n})
	res := impResult(t, s, s.Admin, task.TaskID, "")
	if res.SuccessCount != n || res.FailCount != 0 || res.RemainingCount != 0 {
		t.Errorf("result %+v; want %d created", res, n)
	}
	gotUsers, gotAllocated := impTotals(t, s)
	if gotUsers != users+n || gotAllocated != allocated+n/100 {
		t.Errorf("%d users, %d GB allocated; want %d and %d", gotUsers, gotAllocated, users+n, allocated+n/100)
	}
	sample := []int{1, 500, 501, 50_000, 99_999, n}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20 {
		sample = append(sample, 1+rng.IntN(n))
	}
	impWantGenerated(t, s, "h", 100, sample...)
	t.Logf("100,000 rows (%.1f MB): upload and verification %v, import %v (%.0f rows/s), in all %v",
		float64(file.Len())/1e6, uploaded.Round(time.Millisecond), ran.Round(time.Millisecond), n/ran.Seconds(), (uploaded + ran).Round(time.Millisecond))
}
