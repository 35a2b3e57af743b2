package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/koodrive/koodrive"
	"github.com/koodrive/koodrive/client"
)

// importFlags are koodrive import's options.
type importFlags struct {
	server, token, lang, failedRows, mode string
	dept                                  int64
	dryRun, yes                           bool
	poll                                  time.Duration
}

// failuresListed is how many failing rows the report prints; the failed
// rows file has them all.
const failuresListed = 20

func importCommand(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	var f importFlags
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Import users from a CSV or XLSX file into a running server",
		Long: `Import users from a CSV or XLSX file (see koodrive template) into a running server:
the file is uploaded and verified, the report is printed, and after you confirm
(or with --yes) the import runs as a task with a progress bar. Rows that fail
are written to a CSV file with a reason column, to fix and import again. The
command exits non-zero if any row failed.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runImport(cmd.Context(), f, args[0], stdin, stdout, stderr)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.server, "server", "http://127.0.0.1:8080", "koodrive server URL (env KOODRIVE_SERVER)")
	fl.StringVar(&f.token, "token", "", "access token (env KOODRIVE_TOKEN)")
	fl.Int64Var(&f.dept, "dept", 0, "ID of the department the file's department names are relative to (default: the root) (env KOODRIVE_DEPT)")
	fl.StringVar(&f.mode, "mode", "create", "create: existing users fail; update: they change; skip: they are left alone (env KOODRIVE_MODE)")
	fl.BoolVar(&f.dryRun, "dry-run", false, "verify and report, import nothing (env KOODRIVE_DRY_RUN)")
	fl.BoolVar(&f.yes, "yes", false, "import without asking (env KOODRIVE_YES)")
	fl.StringVar(&f.failedRows, "failed-rows", "", "where to write the rows that fail (default: FILE-failed.csv beside FILE) (env KOODRIVE_FAILED_ROWS)")
	fl.StringVar(&f.lang, "lang", "en-US", "language of reasons and the failed rows file: en-US or zh-CN (env KOODRIVE_LANG)")
	fl.DurationVar(&f.poll, "poll", 250*time.Millisecond, "how often to ask the server for progress")
	fl.MarkHidden("poll")
	return cmd
}

func runImport(ctx context.Context, f importFlags, path string, stdin io.Reader, stdout, stderr io.Writer) error {
	if f.token == "" {
		return errors.New("--token is required (or KOODRIVE_TOKEN): issue one with koodrive token create")
	}
	mode, err := koodrive.ParseImportMode(f.mode)
	if err != nil {
		return fmt.Errorf("--mode must be create, update or skip, not %q", f.mode)
	}
	c, err := client.New(f.server, client.WithToken(f.token), client.WithLanguage(f.lang))
	if err != nil {
		return err
	}
	file, err := os.Open(path)
	if err != nil {
		return err
	}
	defer file.Close()
	if f.failedRows == "" {
		f.failedRows = strings.TrimSuffix(path, filepath.Ext(path)) + "-failed.csv"
	}
	imports := c.Imports()

	fmt.Fprintf(stdout, "Verifying %s ...\n", path)
	rep, err := imports.UploadFile(ctx, koodrive.UploadCreate{CurDeptID: koodrive.ID(f.dept), Mode: mode}, filepath.Base(path), file)
	if err != nil {
		return err
	}
	up := rep.Upload
	verb := map[koodrive.ImportMode]string{koodrive.ImportCreate: "to create", koodrive.ImportUpdate: "to create or update",
		koodrive.ImportSkip: "to create"}[mode]
	fmt.Fprintf(stdout, "%s: %d rows: %d %s, %d to skip, %d failing\n", filepath.Base(path), up.Rows, up.Passed, verb, up.Skipped, up.Failed)
	if up.Failed > 0 {
		printFailures(rep.Failures, up.Failed, stdout)
		if err := saveFailedRows(ctx, imports, up.ID, true, f.failedRows); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "All failing rows, with their reasons, are in %s\n", f.failedRows)
	}
	switch {
	case f.dryRun:
		fmt.Fprintln(stdout, "Dry run: nothing was imported.")
		return failed(up.Failed, f.failedRows)
	case up.Passed == 0:
		fmt.Fprintln(stdout, "Nothing to import.")
		return failed(up.Failed, f.failedRows)
	case !f.yes:
		fmt.Fprintf(stdout, "Import %d rows? [y/N] ", up.Passed)
		answer, _ := bufio.NewReader(stdin).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
			fmt.Fprintln(stdout, "\nNothing was imported (answer y, or pass --yes).")
			return failed(up.Failed, f.failedRows)
		}
	}

	task, err := imports.StartImport(context.WithoutCancel(ctx), koodrive.Actor{}, up.ID)
	if err != nil {
		return err
	}
	start := time.Now()
	task, err = follow(ctx, imports, task, f.poll, stderr)
	if err != nil {
		return err
	}
	elapsed := time.Since(start)
	tw := tabwriter.NewWriter(stdout, 0, 4, 1, ' ', 0)
	fmt.Fprintf(tw, "Task %s %s in %s (%.0f rows/s):\n", task.ID, statusWord(task.Status), elapsed.Round(100*time.Millisecond),
		float64(task.Done)/max(elapsed.Seconds(), 0.001))
	fmt.Fprintf(tw, "  created\t%d\n  updated\t%d\n  skipped\t%d\n  failed\t%d\n", task.Created, task.Updated, task.Skipped, task.Failed)
	if left := task.Total - task.Done; left > 0 {
		fmt.Fprintf(tw, "  not imported\t%d\n", left)
	}
	tw.Flush()
	if task.Failed > 0 {
		if err := saveFailedRows(ctx, imports, task.ID, false, f.failedRows); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "The rows that failed, with their reasons, are in %s\n", f.failedRows)
	}
	if task.Status == koodrive.TaskCancelled {
		return fmt.Errorf("the import was cancelled after %d of %d rows", task.Done, task.Total)
	}
	return failed(task.Failed, f.failedRows)
}

// follow shows a task's progress until it ends. Interrupted (Ctrl-C), it
// cancels the task and waits for it to stop after its current batch.
func follow(ctx context.Context, imports *client.ImportService, task *koodrive.Task, poll time.Duration, stderr io.Writer) (*koodrive.Task, error) {
	bar := progressbar.NewOptions(task.Total,
		progressbar.OptionSetWriter(stderr),
		progressbar.OptionSetDescription("Importing"),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("rows"),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionSetWidth(30),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(stderr) }),
	)
	bg := context.WithoutCancel(ctx)
	cancelled := false
	for {
		select {
		case <-ctx.Done():
			if !cancelled {
				cancelled = true
				fmt.Fprintln(stderr, "\nInterrupted: cancelling the import after its current batch ...")
				if err := imports.CancelTask(bg, koodrive.Actor{}, task.ID); err != nil && koodrive.ErrorKind(err) != koodrive.ECONFLICT {
					return nil, err
				}
			}
		case <-time.After(poll):
		}
		t, err := imports.FindTask(bg, koodrive.Actor{}, task.ID)
		if err != nil {
			return nil, err
		}
		bar.Set(t.Done)
		if t.Status != koodrive.TaskNew && t.Status != koodrive.TaskExecuting {
			bar.Finish()
			return t, nil
		}
	}
}

func statusWord(s koodrive.TaskStatus) string {
	switch s {
	case koodrive.TaskSucceeded:
		return "finished"
	case koodrive.TaskCancelled:
		return "was cancelled"
	}
	return "failed"
}

// printFailures lists the first of an upload's total failing rows, from
// those its report brought.
func printFailures(failures []koodrive.RowResult, total int, stdout io.Writer) {
	rows := failures[:min(failuresListed, len(failures))]
	fmt.Fprintln(stdout, "Failing rows:")
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	for _, r := range rows {
		reason := ""
		if len(r.Result.Reasons) > 0 {
			reason = string(r.Result.Reasons[0].ID) // the server's text, in --lang
		}
		fmt.Fprintf(tw, "  line %d\t%s\t%s\n", r.Row.Line, r.Row.UserID, reason)
	}
	tw.Flush()
	if total > len(rows) {
		fmt.Fprintf(stdout, "  ... and %d more\n", total-len(rows))
	}
}

// saveFailedRows downloads the failing rows of an upload or a task.
func saveFailedRows(ctx context.Context, imports *client.ImportService, id koodrive.ID, upload bool, path string) error {
	rc, err := imports.FailedRows(ctx, id, upload)
	if err != nil {
		return err
	}
	defer rc.Close()
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, rc); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// failed is the command's error when rows failed: scripts can tell from
// the exit status.
func failed(n int, path string) error {
	if n == 0 {
		return nil
	}
	return fmt.Errorf("%d rows failed; see %s", n, path)
}
