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

// benchCreateLoads creates users with the session token under wrk at each
// connection count, each request answered after its commit, compared with
// one durable SQLite insert per request and, in the note, with the bare
// HTTP handler at the same connections.
func benchCreateLoads(ctx context.Context, k *server, cfg config) ([]figure, error) {
	var figs []figure
	for _, conns := range connSet {
		name := fmt.Sprintf("create_user_c%d", conns)
		res, err := runWrk(ctx, wrkLoad{url: k.url + "/koodrive/ose/v1/users", conns: conns, duration: cfg.duration,
			max: cfg.maxCreates, prefix: fmt.Sprintf("wrkc%d", conns), token: k.token, script: cfg.wrkScript})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		figs = append(figs, res.figures(name, "wrk, session token, durable", createCeilings(conns))...)
	}
	return figs, nil
}

// benchCreates creates users over HTTP from conns connections for
// cfg.duration (or cfg.maxCreates users), each request signed by the app
// (which wrk cannot do) and answered after its commit.
func benchCreates(ctx context.Context, k *server, cfg config, conns int, app *appCredential) ([]figure, error) {
	name := fmt.Sprintf("create_user_app_c%d", conns)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns}}
	defer client.CloseIdleConnections()
	deadline := time.Now().Add(cfg.duration)
	var next atomic.Int64
	var failed atomic.Int64
	var firstErr atomic.Value
	lat := make([][]time.Duration, conns)
	var wg sync.WaitGroup
	start := time.Now()
	for c := range conns {
		wg.Go(func() {
			for time.Now().Before(deadline) && ctx.Err() == nil {
				n := next.Add(1)
				if n > int64(cfg.maxCreates) {
					return
				}
				body := fmt.Sprintf(`{"userId":"signedc%dn%08d"}`, conns, n)
				req, _ := http.NewRequestWithContext(ctx, "POST", k.url+"/koodrive/ose/v1/users", bytes.NewReader([]byte(body)))
				req.Header.Set(signing.HeaderUserID, k.adminID)
				if err := signing.Sign(req, app.ID, app.Secret, time.Now()); err != nil {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
					continue
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
		return nil, fmt.Errorf("%s: %d creates failed, the first with %v", name, failed.Load(), firstErr.Load())
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("%s: no user was created", name)
	}
	slices.Sort(all)
	return loadResult{rate: float64(len(all)) / elapsed.Seconds(), p50: percentileMs(all, 0.50), p99: percentileMs(all, 0.99),
		requests: len(all), elapsed: elapsed, countStop: next.Load() > int64(cfg.maxCreates)}.figures(name, "Go driver, app signature, durable",
		createCeilings(conns)), nil
}

// createCeilings are the ceilings of a create-user load on conns
// connections: one durable insert per request, then the bare handler.
func createCeilings(conns int) []string {
	return []string{fmt.Sprintf("ceiling_sqlite_insert_c%d", conns), fmt.Sprintf("ceiling_http_bare_c%d", conns)}
}
