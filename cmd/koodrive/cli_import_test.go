package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// cliImportFile writes a CSV of n users (u00000, ...), the lines in bad
// naming a department that does not exist.
func cliImportFile(t *testing.T, n int, bad ...int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("User ID,Name,Email,Department,Personal capacity (GB),Allocate capacity\n")
	isBad := map[int]bool{}
	for _, i := range bad {
		isBad[i] = true
	}
	for i := range n {
		dept := ""
		if isBad[i] {
			dept = "Nowhere"
		}
		fmt.Fprintf(&b, "u%05d,User %d,u%05d@example.com,%s,1,yes\n", i, i, i, dept)
	}
	path := filepath.Join(t.TempDir(), "people.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// cliRun runs koodrive with stdin and returns its standard output and error.
func cliRun(t *testing.T, ctx context.Context, e env, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(ctx, args, e.get, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestImportCLI_DryRun(t *testing.T) {
	s := startServer(t)
	file := cliImportFile(t, 50, 3, 7)
	out, _, err := cliRun(t, context.Background(), nil, "", "import", file, "--server", s.URL, "--token", s.Admin, "--dry-run")
	if err == nil || !strings.Contains(err.Error(), "2 rows failed") {
		t.Fatalf("err %v, want one saying 2 rows failed", err)
	}
	for _, want := range []string{"50 rows: 48 to create, 0 to skip, 2 failing", "line 5", "line 9", "Nowhere", "Dry run: nothing was imported"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if got := s.count(t); got != 1 {
		t.Errorf("%d users after a dry run, want 1", got)
	}
	failed, err := os.ReadFile(strings.TrimSuffix(file, ".csv") + "-failed.csv")
	if err != nil || !strings.Contains(string(failed), "u00003") || !strings.Contains(string(failed), "u00007") {
		t.Errorf("failed rows file %q %v", failed, err)
	}
}

func TestImportCLI_AsksFirst(t *testing.T) {
	s := startServer(t)
	file := cliImportFile(t, 10)
	for _, answer := range []string{"", "n\n", "maybe\n"} {
		out, _, err := cliRun(t, context.Background(), nil, answer, "import", file, "--server", s.URL, "--token", s.Admin)
		if err != nil || !strings.Contains(out, "Import 10 rows? [y/N]") || !strings.Contains(out, "Nothing was imported") {
			t.Errorf("answer %q: %v\n%s", answer, err, out)
		}
	}
	if got := s.count(t); got != 1 {
		t.Fatalf("%d users after declining, want 1", got)
	}
	out, stderr, err := cliRun(t, context.Background(), nil, "y\n", "import", file, "--server", s.URL, "--token", s.Admin)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	if !strings.Contains(out, "created 10") || !strings.Contains(stderr, "10/10") {
		t.Errorf("output:\n%s\nprogress:\n%s", out, stderr)
	}
	if got := s.count(t); got != 11 {
		t.Errorf("%d users, want 11", got)
	}
}

func TestImportCLI_YesAndFailures(t *testing.T) {
	s := startServer(t)
	file := cliImportFile(t, 1001, 0, 1000)
	failedPath := filepath.Join(t.TempDir(), "fix-me.csv")
	// Server and token from the environment, as a script would set them.
	e := env{"KOODRIVE_SERVER": s.URL, "KOODRIVE_TOKEN": s.Admin}
	out, _, err := cliRun(t, context.Background(), e, "", "import", file, "--yes", "--failed-rows", failedPath)
	if err == nil || !strings.Contains(err.Error(), "2 rows failed") {
		t.Fatalf("err %v, want one saying 2 rows failed\n%s", err, out)
	}
	for _, want := range []string{"created 999", "failed  2", failedPath} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if got := s.count(t); got != 1000 {
		t.Errorf("%d users, want 1000", got)
	}
	fixed, err := os.ReadFile(failedPath)
	if err != nil {
		t.Fatal(err)
	}
	// Fix the failing rows and import the file the command wrote.
	if err := os.WriteFile(failedPath, bytes.ReplaceAll(fixed, []byte("Nowhere"), nil), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, _, err := cliRun(t, context.Background(), e, "", "import", failedPath, "--yes"); err != nil {
		t.Fatalf("importing the fixed rows: %v\n%s", err, out)
	}
	if got := s.count(t); got != 1002 {
		t.Errorf("%d users after importing the fixed rows, want 1002", got)
	}
	// In create mode a second run changes nothing, and says so.
	out, _, err = cliRun(t, context.Background(), e, "", "import", file, "--yes")
	if err == nil || !strings.Contains(out, "0 to create") || !strings.Contains(out, "Nothing to import") {
		t.Errorf("re-run: %v\n%s", err, out)
	}
	// In skip mode the existing users are skipped, not failures.
	out, _, err = cliRun(t, context.Background(), e, "", "import", file, "--yes", "--mode", "skip")
	if err != nil || !strings.Contains(out, "1001 to skip") {
		t.Errorf("skip mode: %v\n%s", err, out)
	}
}

func TestImportCLI_InterruptCancels(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 20,000 rows")
	}
	s := startServer(t, "--max-users", "30000")
	file := cliImportFile(t, 20000)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		// Ctrl-C once the task runs: the command cancels it.
		for ctx.Err() == nil {
			r := s.do(t, "GET", "/task/list", s.Admin, nil)
			if tasks, _ := r.Body["taskList"].([]any); len(tasks) > 0 {
				cancel()
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	out, stderr, err := cliRun(t, ctx, nil, "", "import", file, "--server", s.URL, "--token", s.Admin, "--yes")
	cancel()
	if err == nil || !strings.Contains(err.Error(), "cancelled") {
		t.Fatalf("err %v, want a cancellation\n%s\n%s", err, out, stderr)
	}
	if !strings.Contains(stderr, "Interrupted: cancelling") || !strings.Contains(out, "not imported") {
		t.Errorf("output:\n%s\nprogress:\n%s", out, stderr)
	}
	r := s.do(t, "GET", "/task/list", s.Admin, nil)
	task := r.Body["taskList"].([]any)[0].(map[string]any)
	p := task["progress"].(map[string]any)
	done, created := num(t, p, "done"), num(t, p, "created")
	if num(t, task, "status") != 4 || done >= 20000 || created != done {
		t.Errorf("task %v: want status 4 with some rows left and created == done", task)
	}
	if got := s.count(t); got != created+1 {
		t.Errorf("%d users, want %d (those created before the cancellation, and the admin)", got, created+1)
	}
}

func TestImportCLI_BadArguments(t *testing.T) {
	s := startServer(t)
	file := cliImportFile(t, 1)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"import", file, "--server", s.URL}, "--token"},
		{[]string{"import", file, "--server", s.URL, "--token", s.Admin, "--mode", "merge"}, "--mode"},
		{[]string{"import", filepath.Join(t.TempDir(), "missing.csv"), "--server", s.URL, "--token", s.Admin}, "no such file"},
		{[]string{"import", file, "--server", s.URL, "--token", "wrong"}, "invalid or has expired"},
		{[]string{"import"}, "accepts 1 arg"},
	} {
		if _, _, err := cliRun(t, context.Background(), nil, "", tc.args...); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("koodrive %v: err %v, want one containing %q", tc.args[1:], err, tc.want)
		}
	}
}

func TestTemplateCLI(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"template"}, "\ufeffUser ID,Name,Mobile,Email,Department,Role,Personal capacity (GB),Allocate capacity"},
		{[]string{"template", "--lang", "zh-CN"}, "\ufeff用户ID,姓名,手机号,邮箱,部门,角色,个人空间容量(GB),是否分配个人空间"},
	} {
		out, _, err := cliRun(t, context.Background(), nil, "", tc.args...)
		if err != nil || strings.TrimSpace(out) != tc.want {
			t.Errorf("koodrive %v: %q %v, want %q", tc.args, out, err, tc.want)
		}
	}
	path := filepath.Join(t.TempDir(), "t.xlsx")
	if _, _, err := cliRun(t, context.Background(), nil, "", "template", "--format", "xlsx", "-o", path); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(path); err != nil || !bytes.HasPrefix(b, []byte("PK\x03\x04")) {
		t.Errorf("%s is not an XLSX file: %v", path, err)
	}
	for _, args := range [][]string{{"template", "--format", "pdf"}, {"template", "--lang", "fr-FR"}} {
		if _, _, err := cliRun(t, context.Background(), nil, "", args...); err == nil {
			t.Errorf("koodrive %v succeeded", args)
		}
	}
}
