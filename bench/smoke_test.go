package main

import (
	"bytes"
	"context"
	"os"
	"regexp"
	"testing"

	"github.com/koodrive/koodrive/internal/pgtest"
)

// TestSmoke runs the whole benchmark at a small size, so that the bench
// command keeps working; the figures it prints are not checked.
func TestSmoke(t *testing.T) {
	var out bytes.Buffer
	cfg := config{postgres: os.Getenv(pgtest.EnvDSN)}.short()
	if err := run(context.Background(), cfg, &out); err != nil {
		t.Fatalf("bench: %v\n%s", err, out.String())
	}
	names := []string{"ceiling_json_decode", "preverify", "create_user_c1_p50", "verify_signature",
		"authenticate_token", "create_user_c8", "create_user_c8_p99", "create_user_app_c8", "import_verify", "import_users", "import_peak_rss"}
	if pgtest.Enabled() {
		names = append(names, "import_users_pg", "create_user_c1_pg", "create_user_c8_pg", "create_user_c8_p99_pg")
	}
	for _, name := range names {
		if !regexp.MustCompile(`(?m)^BENCH name=` + name + ` value=[0-9.]+ unit=\S+`).Match(out.Bytes()) {
			t.Errorf("no BENCH line for %s in:\n%s", name, out.String())
		}
	}
	t.Log("\n" + out.String())
}
