package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/koodrive/koodrive/internal/pgtest"
)

// TestMain serves a ceiling when the bench re-executes the test binary as
// one, as it re-executes the bench command.
func TestMain(m *testing.M) {
	if isCeilingRun(os.Args[1:]) {
		os.Exit(ceilingMain(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// TestSmoke runs the whole benchmark at a small size, so that the bench
// command keeps working and prints every figure of the full run; the
// values are not checked.
func TestSmoke(t *testing.T) {
	var out bytes.Buffer
	cfg := config{postgres: os.Getenv(pgtest.EnvDSN)}.short()
	if err := run(context.Background(), cfg, &out); err != nil {
		t.Fatalf("bench: %v\n%s", err, out.String())
	}
	latencies := func(name string) []string { return []string{name, name + "_p50", name + "_p99"} }
	names := []string{"ceiling_sqlite_bulk", "ceiling_json_decode", "preverify", "import_verify", "import_users",
		"verify_signature", "authenticate_token", "import_peak_rss",
		"list_users_first_page_p50", "list_users_first_page_p99", "list_users_deep_page_p50", "list_users_deep_page_p99"}
	var pg []string
	for _, c := range connSet {
		names = append(names, latencies(fmt.Sprintf("ceiling_http_bare_c%d", c))...)
		names = append(names, latencies(fmt.Sprintf("ceiling_sqlite_insert_c%d", c))...)
		names = append(names, latencies(fmt.Sprintf("create_user_c%d", c))...)
		names = append(names, latencies(fmt.Sprintf("create_user_app_c%d", c))...)
		pg = append(pg, latencies(fmt.Sprintf("create_user_c%d", c))...)
	}
	if pgtest.Enabled() {
		for _, name := range append(pg, "import_verify", "import_users") {
			names = append(names, name+"_pg")
		}
	}
	for _, name := range names {
		if !regexp.MustCompile(`(?m)^BENCH name=` + name + ` value=[0-9.]+ unit=\S+`).Match(out.Bytes()) {
			t.Errorf("no BENCH line for %s in:\n%s", name, out.String())
		}
	}
	// Every figure of koodrive is compared with a ceiling (or a budget).
	for _, m := range regexp.MustCompile(`(?m)^BENCH name=(\S+) .*$`).FindAllStringSubmatch(out.String(), -1) {
		if !strings.HasPrefix(m[1], "ceiling_") && !strings.Contains(m[0], " ratio=") {
			t.Errorf("%s has no ratio: %s", m[1], m[0])
		}
	}
	t.Log("\n" + out.String())
}
