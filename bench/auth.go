package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/koodrive/koodrive"
	"github.com/koodrive/koodrive/signing"
	"github.com/koodrive/koodrive/sqldb"
)

// benchAuthCost measures what authentication adds to a request: verifying
// one app signature, and authenticating one session token against the
// store (both in this process), each divided by the median latency of one
// durable create-user request on one connection, from creates.
func benchAuthCost(ctx context.Context, dir string, creates []figure) ([]figure, error) {
	i := slices.IndexFunc(creates, func(f figure) bool { return f.name == "create_user_c1_p50" })
	if i < 0 {
		return nil, fmt.Errorf("authentication cost: no create_user_c1_p50 to compare with")
	}
	create := creates[i].value * 1e6 // ns

	req, _ := http.NewRequest("POST", "http://127.0.0.1:8080/koodrive/ose/v1/users", strings.NewReader(`{"userId":"x"}`))
	req.Header.Set(signing.HeaderUserID, "2236765703015235586")
	now := time.Now()
	if err := signing.Sign(req, strings.Repeat("a", 64), strings.Repeat("b", 64), now); err != nil {
		return nil, err
	}
	auth, err := signing.ParseAuthorization(req.Header.Get("Authorization"))
	if err != nil {
		return nil, err
	}
	body := []byte(`{"userId":"x"}`)
	verify := testing.Benchmark(func(b *testing.B) {
		for b.Loop() {
			if err := signing.Verify(req, body, auth, strings.Repeat("b", 64), now); err != nil {
				b.Fatal(err)
			}
		}
	})

	token, err := tokenCost(ctx, filepath.Join(dir, "authcost"))
	if err != nil {
		return nil, err
	}
	verifyNs, tokenNs := float64(verify.NsPerOp()), float64(token.NsPerOp())
	return []figure{
		{name: "verify_signature", value: verifyNs / 1e3, unit: "us", ratio: verifyNs / create, note: "ratio: share of create_user_c1_p50"},
		{name: "authenticate_token", value: tokenNs / 1e3, unit: "us", ratio: tokenNs / create, note: "ratio: share of create_user_c1_p50"},
	}, nil
}

// tokenCost benchmarks AuthService.Authenticate on a fresh store.
func tokenCost(ctx context.Context, dir string) (testing.BenchmarkResult, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return testing.BenchmarkResult{}, err
	}
	db, err := sqldb.Open(ctx, filepath.Join(dir, "koodrive.db"), time.Now)
	if err != nil {
		return testing.BenchmarkResult{}, err
	}
	defer db.Close()
	if _, _, err := sqldb.NewOrganizationService(db).InitOrganization(ctx, koodrive.OrganizationInit{
		Name: "Bench", CapacityGB: 1, MaxUsers: 10, AdminUserID: "admin"}); err != nil {
		return testing.BenchmarkResult{}, err
	}
	auth := sqldb.NewAuthService(db)
	sess, err := auth.CreateSession(ctx, "admin")
	if err != nil {
		return testing.BenchmarkResult{}, err
	}
	var failed error
	res := testing.Benchmark(func(b *testing.B) {
		for b.Loop() {
			if _, err := auth.Authenticate(ctx, sess.Token); err != nil {
				failed = err
				b.FailNow()
			}
		}
	})
	return res, failed
}
