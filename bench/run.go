package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

type config struct {
	rows         int // pre-verification batch
	importRows   int
	rssRows      int
	duration     time.Duration // of each create-user load
	maxCreates   int           // bound on each create-user load
	listRequests int
	binary       string
	wrkScript    string // written by run
	postgres     string // "auto", "off" or a server's DSN
}

func (c config) short() config {
	c.rows, c.importRows, c.rssRows = 2_000, 2_000, 5_000
	c.duration, c.maxCreates, c.listRequests = time.Second, 20_000, 100
	return c
}

// maxUsers bounds the users one server holds: the import and every
// create-user load, each of which may leave a request per connection
// answered after wrk stopped counting.
func (c config) maxUsers() int {
	return c.importRows + 2*len(connSet)*(c.maxCreates+connSet[len(connSet)-1]) + 10
}

func run(ctx context.Context, cfg config, out io.Writer) error {
	wrkVersion, err := ensureWrk(ctx)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "koodrive-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if cfg.wrkScript, err = writeWrkScript(dir); err != nil {
		return err
	}
	if cfg.binary == "" {
		cfg.binary = filepath.Join(dir, "koodrive")
		build := exec.CommandContext(ctx, "go", "build", "-o", cfg.binary, "./cmd/koodrive")
		build.Env = append(os.Environ(), "CGO_ENABLED=0")
		build.Dir = repoRoot()
		if msg, err := build.CombinedOutput(); err != nil {
			return fmt.Errorf("build koodrive: %v\n%s", err, msg)
		}
	}

	// The ceilings run first, each alone, before koodrive holds any memory
	// or CPU.
	figs, err := benchHTTPCeilings(ctx, cfg, dir)
	if err != nil {
		return err
	}
	bulk, err := benchBulkCeiling(ctx, dir, cfg.importRows)
	if err != nil {
		return err
	}
	// The file of the imports on SQLite and on PostgreSQL.
	csv, err := writeImportFile(dir, cfg.importRows)
	if err != nil {
		return err
	}
	figs = append(figs, bulk...)

	k, err := startKoodrive(ctx, cfg.binary, filepath.Join(dir, "data"), "", cfg.maxUsers())
	if err != nil {
		return err
	}
	defer k.stop()
	pre, err := benchPreverify(ctx, k, cfg.rows)
	if err != nil {
		return err
	}
	figs = append(figs, pre...)
	imported, err := benchImport(ctx, k, csv, cfg.importRows)
	if err != nil {
		return err
	}
	figs = append(figs, imported...)
	creates, err := benchCreateLoads(ctx, k, cfg)
	if err != nil {
		return err
	}
	figs = append(figs, creates...)
	costs, err := benchAuthCost(ctx, dir, creates)
	if err != nil {
		return err
	}
	figs = append(figs, costs...)
	a, err := k.newApp(ctx)
	if err != nil {
		return err
	}
	for _, conns := range connSet {
		signed, err := benchCreates(ctx, k, cfg, conns, a)
		if err != nil {
			return err
		}
		figs = append(figs, signed...)
	}
	k.stop()
	if cfg.rssRows > 0 {
		rss, err := benchImportRSS(ctx, cfg, dir)
		if err != nil {
			return err
		}
		figs = append(figs, rss...)
	}
	pg, err := benchPostgres(ctx, cfg, dir, csv, figs)
	if err != nil {
		return err
	}
	figs = append(figs, pg...)
	if err := applyCeilings(figs); err != nil {
		return err
	}
	report(out, machine(wrkVersion), figs)
	return nil
}

// repoRoot finds the module root from the working directory.
func repoRoot() string {
	dir, _ := os.Getwd()
	for d := dir; d != filepath.Dir(d); d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
	}
	return dir
}
