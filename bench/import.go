package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/koodrive/koodrive"
	"github.com/koodrive/koodrive/client"
)

// teamCount is the number of departments, Team00..Team49, the generated
// users are spread over.
const teamCount = 50

func teamName(i int) string { return fmt.Sprintf("Team%02d", i) }

// generatedUser is the i-th user of the generated files, which the bulk
// ceiling inserts too.
type generatedUser struct {
	userID, name, mobile, email string
	team                        int
}

func importUser(i int) generatedUser {
	return generatedUser{userID: fmt.Sprintf("imp%07d", i), name: fmt.Sprintf("User %d", i),
		mobile: fmt.Sprintf("+86138%08d", i), email: fmt.Sprintf("imp%07d@example.com", i), team: i % teamCount}
}

// writeImportFile writes a CSV of n users spread over the departments
// Team00..Team49, streaming, and returns its path.
func writeImportFile(dir string, n int) (string, error) {
	path := filepath.Join(dir, fmt.Sprintf("users-%d.csv", n))
	f, err := os.Create(path)
	if err != nil {
		return "", err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprintln(w, "User ID,Name,Mobile,Email,Department,Role,Personal capacity (GB),Allocate capacity")
	for i := range n {
		u := importUser(i)
		fmt.Fprintf(w, "%s,%s,%s,%s,%s,,%d,yes\n", u.userID, u.name, u.mobile, u.email, teamName(u.team), 1+i%5)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return "", err
	}
	return path, f.Close()
}

// importFile uploads a file and runs its import, returning the time each
// step took.
func importFile(ctx context.Context, k *server, path string) (upload, task time.Duration, err error) {
	c, err := client.New(k.url, client.WithToken(k.token))
	if err != nil {
		return 0, 0, err
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	start := time.Now()
	rep, err := c.Imports().UploadFile(ctx, koodrive.UploadCreate{}, filepath.Base(path), f)
	if err != nil {
		return 0, 0, err
	}
	if rep.Upload.Failed > 0 {
		return 0, 0, fmt.Errorf("%d rows of %s failed verification", rep.Upload.Failed, path)
	}
	upload = time.Since(start)
	start = time.Now()
	t, err := c.Imports().StartImport(ctx, koodrive.Actor{}, rep.Upload.ID)
	for err == nil && (t.Status == koodrive.TaskNew || t.Status == koodrive.TaskExecuting) {
		time.Sleep(100 * time.Millisecond)
		t, err = c.Imports().FindTask(ctx, koodrive.Actor{}, t.ID)
	}
	if err != nil {
		return 0, 0, err
	}
	if t.Status != koodrive.TaskSucceeded || t.Created != rep.Upload.Rows {
		return 0, 0, fmt.Errorf("import of %s ended with status %d, %d of %d created", path, t.Status, t.Created, rep.Upload.Rows)
	}
	return upload, time.Since(start), nil
}

// benchImport imports the rows users of the CSV at path into the running
// server.
func benchImport(ctx context.Context, k *server, path string, rows int) ([]figure, error) {
	upload, task, err := importFile(ctx, k, path)
	if err != nil {
		return nil, err
	}
	// The upload stores every row before verifying it, and the import
	// inserts every user: each writes at least the rows the bulk ceiling
	// inserts.
	return []figure{
		{name: "import_verify", value: float64(rows) / upload.Seconds(), unit: "rows/s", ceilings: []string{"ceiling_sqlite_bulk"},
			note: fmt.Sprintf("%d-row CSV uploaded, stored and verified in %v", rows, upload.Round(time.Millisecond))},
		{name: "import_users", value: float64(rows) / task.Seconds(), unit: "users/s", ceilings: []string{"ceiling_sqlite_bulk"},
			note: fmt.Sprintf("%d users (and personal spaces) created in %v", rows, task.Round(time.Millisecond))},
	}, nil
}

// rssBudgetMiB is DESIGN.md's bound on the memory of a large import.
const rssBudgetMiB = 256

// benchImportRSS imports a large file into a server of its own, so that
// the server's peak resident memory (VmHWM) is that of the import alone,
// and then lists the users of that server, which holds more than rows.
func benchImportRSS(ctx context.Context, cfg config, dir string) ([]figure, error) {
	rows := cfg.rssRows
	path, err := writeImportFile(dir, rows)
	if err != nil {
		return nil, err
	}
	k, err := startKoodrive(ctx, cfg.binary, filepath.Join(dir, "rss-data"), "", rows+10)
	if err != nil {
		return nil, err
	}
	defer k.stop()
	upload, task, err := importFile(ctx, k, path)
	if err != nil {
		return nil, err
	}
	peak, err := peakRSS(k.cmd.Process.Pid)
	if err != nil {
		return nil, err
	}
	figs := []figure{{name: "import_peak_rss", value: float64(peak) / (1 << 20), unit: "MiB", ratio: float64(peak) / (1 << 20) / rssBudgetMiB,
		note: fmt.Sprintf("%d-row CSV: verified in %v, imported in %v; ratio: share of the %d MiB budget", rows,
			upload.Round(time.Second), task.Round(time.Second), rssBudgetMiB)}}
	listed, err := benchListUsers(ctx, k, rows, cfg.listRequests)
	if err != nil {
		return nil, err
	}
	return append(figs, listed...), nil
}

// peakRSS reads a process's peak resident set size in bytes.
func peakRSS(pid int) (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no VmHWM in /proc/%d/status", pid)
}

// teams creates the departments the generated files name.
func (k *server) teams(ctx context.Context) error {
	for i := range teamCount {
		body := fmt.Sprintf(`{"name":"%s","parentId":"%s"}`, teamName(i), k.root)
		if err := k.call(ctx, "POST", "/departments", []byte(body), nil); err != nil {
			return err
		}
	}
	return nil
}
