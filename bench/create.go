package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/koodrive/koodrive/signing"
)

// benchCreates creates users over HTTP from cfg.conns connections for
// cfg.duration (or cfg.maxCreates users), each answered after its commit,
// with the session token or, given an app, each request signed.
func benchCreates(ctx context.Context, k *server, cfg config, app *appCredential) ([]figure, error) {
	prefix, name := "load", fmt.Sprintf("create_user_c%d", cfg.conns)
	if app != nil {
		prefix, name = "signed", fmt.Sprintf("create_user_app_c%d", cfg.conns)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: cfg.conns, MaxConnsPerHost: cfg.conns}}
	defer client.CloseIdleConnections()
	deadline := time.Now().Add(cfg.duration)
	var next atomic.Int64
	var failed atomic.Int64
	var firstErr atomic.Value
	lat := make([][]time.Duration, cfg.conns)
	var wg sync.WaitGroup
	start := time.Now()
	for c := range cfg.conns {
		wg.Go(func() {
			for time.Now().Before(deadline) && ctx.Err() == nil {
				n := next.Add(1)
				if n > int64(cfg.maxCreates) {
					return
				}
				body := fmt.Sprintf(`{"userId":"%sc%dn%08d"}`, prefix, cfg.conns, n)
				req, _ := http.NewRequestWithContext(ctx, "POST", k.url+"/koodrive/ose/v1/users", bytes.NewReader([]byte(body)))
				if app == nil {
					req.Header.Set("Authorization", "Bearer "+k.token)
				} else {
					req.Header.Set(signing.HeaderUserID, k.adminID)
					if err := signing.Sign(req, app.ID, app.Secret, time.Now()); err != nil {
						failed.Add(1)
						firstErr.CompareAndSwap(nil, err.Error())
						continue
					}
				}
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, resp.Status)
					continue
				}
				lat[c] = append(lat[c], time.Since(t0))
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	all := slices.Concat(lat...)
	if failed.Load() > 0 {
		return nil, fmt.Errorf("%d creates failed, the first with %v", failed.Load(), firstErr.Load())
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("no user was created")
	}
	slices.Sort(all)
	pct := func(p float64) float64 { return float64(all[int(p*float64(len(all)-1))].Microseconds()) / 1000 }
	return []figure{
		{name: name, value: float64(len(all)) / elapsed.Seconds(), unit: "req/s", note: fmt.Sprintf("%d users in %v, durable", len(all), elapsed.Round(time.Millisecond))},
		{name: name + "_p50", value: pct(0.50), unit: "ms"},
		{name: name + "_p99", value: pct(0.99), unit: "ms"},
	}, nil
}
