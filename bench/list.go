package main

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// listPage is the part of a GET /userList answer the bench checks.
type listPage struct {
	Code int `json:"code"`
	List []struct {
		ID string `json:"id"`
	} `json:"list"`
	Total      int    `json:"total"`
	NextCursor string `json:"nextCursor"`
}

// listLimit is the page size: KooDrive's largest.
const listLimit = 100

// benchListUsers times n sequential requests for the first page of the
// organization's users and n for a page in the middle of them, reached
// with a cursor as a client paging through would. Each is compared with
// the median latency of the bare HTTP handler on one connection.
func benchListUsers(ctx context.Context, k *server, users, n int) ([]figure, error) {
	var total int
	lat, err := timeList(ctx, k, fmt.Sprintf("offset=0&limit=%d", listLimit), n, func(p listPage) { total = p.Total })
	if err != nil {
		return nil, err
	}
	if total < users {
		return nil, fmt.Errorf("list users: total %d, want at least the %d imported", total, users)
	}
	first := latencyFigures("list_users_first_page", lat, fmt.Sprintf("%d sequential requests, offset 0, %d users listed", n, total))

	// The cursor is the last ID of the previous page: the ID at the
	// middle position is where a client that paged through half of the
	// organization would be.
	var mid listPage
	if err := k.call(ctx, "GET", fmt.Sprintf("/userList?offset=%d&limit=1", users/2-1), nil, &mid); err != nil {
		return nil, err
	}
	if len(mid.List) != 1 {
		return nil, fmt.Errorf("list users: offset %d answered %d users, want 1", users/2-1, len(mid.List))
	}
	lat, err = timeList(ctx, k, fmt.Sprintf("cursor=%s&limit=%d", mid.List[0].ID, listLimit), n, nil)
	if err != nil {
		return nil, err
	}
	deep := latencyFigures("list_users_deep_page", lat, fmt.Sprintf("%d sequential requests, cursor after the %dth user", n, users/2))
	return append(first, deep...), nil
}

// timeList sends n sequential GET /userList?query requests and checks that
// each answered a full page.
func timeList(ctx context.Context, k *server, query string, n int, seen func(listPage)) ([]time.Duration, error) {
	lat := make([]time.Duration, 0, n)
	for range n {
		var p listPage
		start := time.Now()
		if err := k.call(ctx, "GET", "/userList?"+query, nil, &p); err != nil {
			return nil, err
		}
		lat = append(lat, time.Since(start))
		if p.Code != 0 || len(p.List) != listLimit || p.NextCursor == "" {
			return nil, fmt.Errorf("list users ?%s: code %d, %d users, nextCursor %q; want code 0, %d users and a cursor",
				query, p.Code, len(p.List), p.NextCursor, listLimit)
		}
		if seen != nil {
			seen(p)
		}
	}
	return lat, nil
}

// latencyFigures are the median and 99th percentile of lat, each compared
// with the bare handler's median on one connection.
func latencyFigures(name string, lat []time.Duration, note string) []figure {
	slices.Sort(lat)
	ceiling := []string{"ceiling_http_bare_c1_p50"}
	return []figure{
		{name: name + "_p50", value: percentileMs(lat, 0.50), unit: "ms", ceilings: ceiling, note: note},
		{name: name + "_p99", value: percentileMs(lat, 0.99), unit: "ms", ceilings: ceiling},
	}
}

// percentileMs is the p-th quantile of sorted latencies, in milliseconds.
func percentileMs(sorted []time.Duration, p float64) float64 {
	return float64(sorted[int(p*float64(len(sorted)-1))].Microseconds()) / 1000
}
