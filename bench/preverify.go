package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// benchPreverify pre-verifies a batch of rows spread over 50 departments,
// a tenth of them failing, and compares the time with the ceiling: decoding
// the same body with encoding/json and nothing else. Each is timed
// preverifyRuns times and its median kept, so that neither is the first
// call into a cold heap while the other is not.
func benchPreverify(ctx context.Context, k *server, rows int) ([]figure, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, `{"curDeptId":"%s","users":[`, k.root)
	wantFail := 0
	for i := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		dept := teamName(i % teamCount)
		if i%10 == 9 {
			dept = "Missing"
			wantFail++
		}
		fmt.Fprintf(&b, `{"targetDeptName":%q,"personalCapacity":%d,"isAllocateCapacity":true,"userId":"bench%07d","name":"User %d","mobile":"+86139%08d","email":"bench%07d@example.com"}`,
			dept, 1+i%5, i, i, i, i)
	}
	b.WriteString("]}")
	body := b.Bytes()

	var res struct {
		Data []struct {
			IsSuccess int `json:"isSuccess"`
		} `json:"data"`
	}
	var failed int
	elapsed, err := median(func() error {
		if err := k.call(ctx, "POST", "/users/batchimport/preverify", body, &res); err != nil {
			return err
		}
		failed = 0
		for _, r := range res.Data {
			failed += r.IsSuccess
		}
		if len(res.Data) != rows || failed != wantFail {
			return fmt.Errorf("pre-verification returned %d results with %d failures, want %d and %d", len(res.Data), failed, rows, wantFail)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}

	decode, err := median(func() error {
		var decoded struct {
			CurDeptID string `json:"curDeptId"`
			Users     []struct {
				TargetDeptName     string `json:"targetDeptName"`
				PersonalCapacity   int64  `json:"personalCapacity"`
				IsAllocateCapacity bool   `json:"isAllocateCapacity"`
				UserID             string `json:"userId"`
				Name               string `json:"name"`
				Mobile             string `json:"mobile"`
				Email              string `json:"email"`
			} `json:"users"`
		}
		return json.Unmarshal(body, &decoded)
	})
	if err != nil {
		return nil, err
	}

	perSec := float64(rows) / elapsed.Seconds()
	ceiling := float64(rows) / decode.Seconds()
	return []figure{
		{name: "ceiling_json_decode", value: ceiling, unit: "rows/s", note: fmt.Sprintf("%d rows, %.1f MB; median of %d", rows, float64(len(body))/1e6, preverifyRuns)},
		{name: "preverify", value: perSec, unit: "rows/s", ceilings: []string{"ceiling_json_decode"},
			note: fmt.Sprintf("%d rows in %v over HTTP, %d failing; median of %d", rows, elapsed.Round(time.Millisecond), failed, preverifyRuns)},
	}, nil
}

// preverifyRuns is how many times each side of the pre-verification figure
// is timed.
const preverifyRuns = 5

// median times fn preverifyRuns times and returns the median time.
func median(fn func() error) (time.Duration, error) {
	times := make([]time.Duration, preverifyRuns)
	for i := range times {
		start := time.Now()
		if err := fn(); err != nil {
			return 0, err
		}
		times[i] = time.Since(start)
	}
	slices.Sort(times)
	return times[len(times)/2], nil
}
