// Command bench measures koodrive on loopback and prints each figure as a
// table row and as a machine-readable line:
//
//	BENCH name=... value=... unit=... [ratio=...]
//
// It builds koodrive, starts it on a fresh data folder, and bounds every
// load in time and count; then it measures the import and create paths
// again on PostgreSQL, on a throwaway cluster of its own unless given a
// server. Run it from the repository root:
//
//	go run ./bench
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"time"
)

func main() {
	var cfg config
	flag.IntVar(&cfg.rows, "rows", 100_000, "rows in the pre-verification batch")
	flag.IntVar(&cfg.importRows, "import-rows", 100_000, "users in the CSV import")
	flag.IntVar(&cfg.rssRows, "rss-rows", 1_000_000, "users in the import whose peak memory is measured (0: skip it)")
	flag.IntVar(&cfg.conns, "conns", 64, "concurrent connections creating users")
	flag.DurationVar(&cfg.duration, "duration", 10*time.Second, "how long to create users")
	flag.IntVar(&cfg.maxCreates, "max-creates", 200_000, "bound on users created by each load")
	flag.IntVar(&cfg.sequential, "sequential", 300, "sequential creates timed for the cost of authentication")
	flag.StringVar(&cfg.binary, "koodrive", "", "koodrive binary to measure (default: build ./cmd/koodrive)")
	flag.StringVar(&cfg.postgres, "postgres", "auto",
		`PostgreSQL server to measure the import and create paths on as well: a DSN (a new database is made on it), "auto" (a throwaway cluster of the installed PostgreSQL, skipped if there is none) or "off"`)
	short := flag.Bool("short", false, "a few seconds: small batch, short load")
	flag.Parse()
	if *short {
		cfg = cfg.short()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, cfg, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}
