package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// connSet is the connection counts of every create-user load: one client
// alone, a busy integration, and more clients than koodrive has workers.
var connSet = []int{1, 16, 64}

// wrkScript makes each request create a new user: every thread of every
// load has a prefix of its own (the load's, from the arguments, and the
// thread's number, from setup) and counts its requests. Each thread stops
// after its share of the load's bound. As wrk's Requests/sec divides by the
// whole -d even when every thread stopped early, each thread times its
// first request and last response (LuaJIT's ffi reads the monotonic
// clock) and done prints them.
const wrkScript = `
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk, bench_timespec *tp);
]]
local ts = ffi.new("bench_timespec")
local function now_us()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000000 + math.floor(tonumber(ts.tv_nsec) / 1000)
end

wrk.method = "POST"
local threads = {}
local prefix, limit, sent = "", 0, 0
responses, stopped, first_us, last_us = 0, 0, 0, 0

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function init(args)
  prefix = args[1] .. "t" .. tid .. "n"
  limit = tonumber(args[2])
end

function request()
  if first_us == 0 then first_us = now_us() end
  sent = sent + 1
  return wrk.format(nil, nil, nil, '{"userId":"' .. prefix .. sent .. '"}')
end

function response(status, headers, body)
  responses = responses + 1
  last_us = now_us()
  if responses >= limit then
    stopped = 1
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  for _, t in ipairs(threads) do
    io.write(string.format("bench-thread responses=%d stopped=%d first_us=%d last_us=%d\n",
      t:get("responses"), t:get("stopped"), t:get("first_us"), t:get("last_us")))
  end
end
`

// wrkLoad is one wrk run posting create-user bodies to url.
type wrkLoad struct {
	url      string
	conns    int
	duration time.Duration
	max      int    // bound on the responses of the whole load
	prefix   string // of the load's userIds, unique among the loads on one server
	token    string // a session token to send, if any
	script   string // the path of wrkScript, written by writeWrkScript
}

// loadResult is what a create-user load measured.
type loadResult struct {
	rate      float64 // requests per second
	p50, p99  float64 // ms
	requests  int
	elapsed   time.Duration
	countStop bool // a thread reached its bound before -d ran out
}

// figures names the rate name and the latencies name_p50 and name_p99,
// each compared with the same figure of every ceiling (the ratio is to the
// first).
func (r loadResult) figures(name, note string, ceilings []string) []figure {
	note = fmt.Sprintf("%s; %d requests in %v", note, r.requests, r.elapsed.Round(time.Millisecond))
	if r.countStop {
		note += ", stopped by -max-creates"
	}
	with := func(suffix string) []string {
		var c []string
		for _, s := range ceilings {
			c = append(c, s+suffix)
		}
		return c
	}
	return []figure{
		{name: name, value: r.rate, unit: "req/s", note: note, ceilings: with("")},
		{name: name + "_p50", value: r.p50, unit: "ms", ceilings: with("_p50")},
		{name: name + "_p99", value: r.p99, unit: "ms", ceilings: with("_p99")},
	}
}

// writeWrkScript writes wrkScript into dir for every load of the run.
func writeWrkScript(dir string) (string, error) {
	path := filepath.Join(dir, "create.lua")
	return path, os.WriteFile(path, []byte(wrkScript), 0o600)
}

// ensureWrk finds wrk, installing Debian's package if it is missing.
func ensureWrk(ctx context.Context) (version string, err error) {
	if _, err := exec.LookPath("wrk"); err != nil {
		install := func() ([]byte, error) {
			return exec.CommandContext(ctx, "apt-get", "install", "-y", "-qq", "wrk").CombinedOutput()
		}
		out, err := install()
		if err != nil {
			// A fresh machine may have no package lists yet.
			if upd, uerr := exec.CommandContext(ctx, "apt-get", "update", "-qq").CombinedOutput(); uerr != nil {
				return "", fmt.Errorf("wrk is not installed and apt-get cannot install it: %v\n%s%s", err, out, upd)
			}
			if out, err = install(); err != nil {
				return "", fmt.Errorf("wrk is not installed and apt-get install -y -qq wrk failed: %v\n%s", err, out)
			}
		}
	}
	out, _ := exec.CommandContext(ctx, "wrk", "-v").CombinedOutput()
	first, _, _ := strings.Cut(string(out), "\n")
	first, _, _ = strings.Cut(first, " Copyright")
	return strings.TrimSpace(first), nil
}

var (
	wrkRate    = regexp.MustCompile(`(?m)^Requests/sec:\s+([0-9.]+)`)
	wrkTotal   = regexp.MustCompile(`(?m)^\s*(\d+) requests in ([0-9.]+\w+),`)
	wrkPct     = regexp.MustCompile(`(?m)^\s+(50|99)%\s+([0-9.]+)(us|ms|s|m|h)\s*$`)
	wrkThread  = regexp.MustCompile(`(?m)^bench-thread responses=(\d+) stopped=(\d+) first_us=(\d+) last_us=(\d+)$`)
	wrkFailure = regexp.MustCompile(`(?m)^\s*(Non-2xx or 3xx responses: \d+|Socket errors: .*)$`)
)

// runWrk runs one load on loopback, failing if any request failed.
func runWrk(ctx context.Context, l wrkLoad) (loadResult, error) {
	if !strings.HasPrefix(l.url, "http://127.0.0.1:") {
		return loadResult{}, fmt.Errorf("wrk loads only 127.0.0.1, not %s", l.url)
	}
	threads := min(l.conns, 2)
	perThread := (l.max + threads - 1) / threads
	args := []string{"-t", strconv.Itoa(threads), "-c", strconv.Itoa(l.conns),
		"-d", fmt.Sprintf("%ds", max(1, int(l.duration.Round(time.Second).Seconds()))),
		// Beyond wrk's default of 2s a slow answer is still an answer;
		// a longer one is counted as a socket error and fails the load.
		"--timeout", "10s", "--latency", "-s", l.script,
		"-H", "Content-Type: application/json"}
	if l.token != "" {
		args = append(args, "-H", "Authorization: Bearer "+l.token)
	}
	args = append(args, l.url, "--", l.prefix, strconv.Itoa(perThread))
	out, err := exec.CommandContext(ctx, "wrk", args...).CombinedOutput()
	if err != nil {
		return loadResult{}, fmt.Errorf("wrk: %v\n%s", err, out)
	}
	return parseWrk(string(out))
}

// parseWrk reads the output of wrk --latency and of wrkScript's done.
func parseWrk(out string) (loadResult, error) {
	if m := wrkFailure.FindAllString(out, -1); len(m) > 0 {
		return loadResult{}, fmt.Errorf("wrk: %s\n%s", strings.Join(m, "; "), out)
	}
	var r loadResult
	m := wrkRate.FindStringSubmatch(out)
	t := wrkTotal.FindStringSubmatch(out)
	if m == nil || t == nil {
		return r, fmt.Errorf("wrk: no Requests/sec in\n%s", out)
	}
	r.rate, _ = strconv.ParseFloat(m[1], 64)
	r.requests, _ = strconv.Atoi(t[1])
	if r.requests == 0 {
		return r, fmt.Errorf("wrk: no request answered\n%s", out)
	}
	r.elapsed, _ = time.ParseDuration(t[2])
	for _, p := range wrkPct.FindAllStringSubmatch(out, -1) {
		v, _ := strconv.ParseFloat(p[2], 64)
		ms := v * map[string]float64{"us": 1e-3, "ms": 1, "s": 1e3, "m": 60e3, "h": 3600e3}[p[3]]
		if p[1] == "50" {
			r.p50 = ms
		} else {
			r.p99 = ms
		}
	}
	if r.p50 == 0 || r.p99 == 0 {
		return r, fmt.Errorf("wrk: no 50%% and 99%% latencies in\n%s", out)
	}
	var first, last int64
	responses := 0
	for _, th := range wrkThread.FindAllStringSubmatch(out, -1) {
		n, _ := strconv.Atoi(th[1])
		f, _ := strconv.ParseInt(th[3], 10, 64)
		l, _ := strconv.ParseInt(th[4], 10, 64)
		responses += n
		r.countStop = r.countStop || th[2] == "1"
		if f > 0 && (first == 0 || f < first) {
			first = f
		}
		last = max(last, l)
	}
	if r.countStop && last > first {
		span := time.Duration(last-first) * time.Microsecond
		r.rate, r.elapsed = float64(responses)/span.Seconds(), span
	}
	return r, nil
}
