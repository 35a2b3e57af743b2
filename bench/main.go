// Command bench measures koodrive on loopback against ceilings measured in
// the same run, and prints each figure as a table row and as a
// machine-readable line:
//
//	BENCH name=... value=... unit=... [ratio=...]
//
// A figure's ratio compares it with its ceiling: for a rate, value divided
// by the ceiling's; for a latency, the ceiling's divided by value; either
// way 1.0 is as fast as the ceiling and less is slower. The ceilings are a
// bare net/http JSON handler (ceiling_http_bare_cN), the same handler with
// one durable SQLite insert per request (ceiling_sqlite_insert_cN), a raw
// SQLite bulk insert of the rows the import imports (ceiling_sqlite_bulk)
// and decoding the pre-verification body with encoding/json
// (ceiling_json_decode).
//
// It builds koodrive and starts it on a fresh data folder; the HTTP ceilings
// run in processes of their own as well (this program re-executed with the
// hidden flag -ceiling-server). Create-user loads run under Debian's wrk
// (installed with apt-get if missing) at 1, 16 and 64 connections, and with
// app signatures under an in-repo Go driver; each load is bounded in time
// (-duration) and count (-max-creates). Then it lists users on the server
// of the large import, and measures the import and create paths again on
// PostgreSQL, on a throwaway cluster of its own unless given a server.
// Run it from the repository root:
//
//	go run ./bench [-short] [-postgres off|auto|DSN] [-duration 10s]
//
// Flags:
//
//	-rows N          rows in the pre-verification batch (100,000)
//	-import-rows N   users in the CSV import, and rows of ceiling_sqlite_bulk (100,000)
//	-rss-rows N      users in the import whose peak memory is measured and whose
//	                 server is then listed (1,000,000; 0 skips both)
//	-duration D      length of each create-user load, whole seconds for wrk (10s)
//	-max-creates N   bound on the requests of each load (200,000)
//	-list-requests N sequential requests timed for each page of the user list (200)
//	-koodrive PATH   koodrive binary to measure (default: build ./cmd/koodrive)
//	-postgres X      PostgreSQL for the _pg figures: a DSN, auto or off (auto)
//	-short           the smoke run: small sizes and one-second loads
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
	if isCeilingRun(os.Args[1:]) {
		os.Exit(ceilingMain(os.Args[1:], os.Stdout, os.Stderr))
	}
	var cfg config
	flag.IntVar(&cfg.rows, "rows", 100_000, "rows in the pre-verification batch")
	flag.IntVar(&cfg.importRows, "import-rows", 100_000, "users in the CSV import, and rows of the bulk-insert ceiling")
	flag.IntVar(&cfg.rssRows, "rss-rows", 1_000_000, "users in the import whose peak memory is measured and whose server is listed (0: skip both)")
	flag.DurationVar(&cfg.duration, "duration", 10*time.Second, "length of each create-user load")
	flag.IntVar(&cfg.maxCreates, "max-creates", 200_000, "bound on the requests of each create-user load")
	flag.IntVar(&cfg.listRequests, "list-requests", 200, "sequential requests timed for each page of the user list")
	flag.StringVar(&cfg.binary, "koodrive", "", "koodrive binary to measure (default: build ./cmd/koodrive)")
	flag.StringVar(&cfg.postgres, "postgres", "auto",
		`PostgreSQL server to measure the import and create paths on as well: a DSN (a new database is made on it), "auto" (a throwaway cluster of the installed PostgreSQL, skipped if there is none) or "off"`)
	short := flag.Bool("short", false, "the smoke run: small sizes, one-second loads")
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
