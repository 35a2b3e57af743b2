package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

func TestConcurrentCreates(t *testing.T) {
	s := startServer(t)
	const n = 64
	var wg sync.WaitGroup
	ids := make([]string, n)
	errs := make(chan string, n)
	for i := range n {
		wg.Go(func() {
			r := doQuiet(s.URL, "POST", "/users", s.Admin, fmt.Sprintf(`{"userId":"c%02d"}`, i))
			if r.status != http.StatusOK {
				errs <- fmt.Sprintf("create c%02d: %d %s", i, r.status, r.body)
				return
			}
			ids[i] = r.id
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if got := s.count(t); got != n+1 {
		t.Errorf("count %d, want %d", got, n+1)
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			t.Errorf("id %s issued twice", id)
		}
		seen[id] = true
	}
	r := s.do(t, "GET", "/userList?offset=0&limit=100", s.Admin, nil)
	r.wantOK(t)
	if got := len(r.list(t)); got != n+1 {
		t.Errorf("listed %d users, want %d", got, n+1)
	}
}

func TestConcurrentCreatesAtTheLimit(t *testing.T) {
	s := startServer(t, "--max-users", "10")
	var ok, limited atomic.Int32
	var wg sync.WaitGroup
	for i := range 30 {
		wg.Go(func() {
			switch r := doQuiet(s.URL, "POST", "/users", s.Admin, fmt.Sprintf(`{"userId":"l%02d"}`, i)); r.status {
			case http.StatusOK:
				ok.Add(1)
			case http.StatusBadRequest:
				limited.Add(1)
			default:
				t.Errorf("status %d %s", r.status, r.body)
			}
		})
	}
	wg.Wait()
	if ok.Load() != 9 || limited.Load() != 21 {
		t.Errorf("%d created and %d refused, want 9 and 21", ok.Load(), limited.Load())
	}
	if got := s.count(t); got != 10 {
		t.Errorf("count %d, want 10", got)
	}
}

// TestCrashKeepsAcknowledgedCreates kills the server with SIGKILL while
// creates are in flight, and checks after a restart that every create that
// was answered with success is there, and that the organization's user
// count still equals its rows.
func TestCrashKeepsAcknowledgedCreates(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills a server process")
	}
	data := t.TempDir()
	url, cmd := startBinary(t, data)
	out, err := cli(t, nil, "token", "create", "--data", data, "--user", "admin")
	if err != nil {
		t.Fatal(err)
	}
	token := lastLine(out)

	var mu sync.Mutex
	acked := map[string]string{} // userId -> id
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	var next atomic.Int64
	for range 16 {
		wg.Go(func() {
			for ctx.Err() == nil {
				userID := fmt.Sprintf("crash%06d", next.Add(1))
				r := doQuiet(url, "POST", "/users", token, `{"userId":"`+userID+`"}`)
				if r.status == http.StatusOK {
					mu.Lock()
					acked[userID] = r.id
					mu.Unlock()
				}
				if r.status == 0 { // the server is gone
					return
				}
			}
		})
	}
	for {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 300 || ctx.Err() != nil {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	wg.Wait()
	if len(acked) < 300 {
		t.Fatalf("only %d creates acknowledged before the deadline", len(acked))
	}

	s := startServerIn(t, data, nil)
	for userID, id := range acked {
		r := s.do(t, "GET", "/users/"+id, s.Admin, nil)
		if r.Status != http.StatusOK || r.data(t)["userId"] != userID {
			t.Errorf("acknowledged user %s (%s) lost after SIGKILL: %d %s", userID, id, r.Status, r.Raw)
		}
	}
	if err := s.stop(); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(data, "koodrive.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var counted, rows int
	if err := db.QueryRow(`SELECT user_count FROM organizations`).Scan(&counted); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`SELECT count(*) FROM users`).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if counted != rows || rows < len(acked)+1 {
		t.Errorf("organization counts %d users, table holds %d, %d were acknowledged (+1 admin)", counted, rows, len(acked))
	}
	t.Logf("%d creates acknowledged before SIGKILL, %d rows after restart", len(acked), rows-1)
}

// quietReply is what doQuiet returns: no testing.T, so goroutines may use it.
type quietReply struct {
	status int // 0 if the request failed
	id     string
	body   string
}

var quietClient = &http.Client{Timeout: 30 * time.Second}

func doQuiet(base, method, path, token, body string) quietReply {
	req, err := http.NewRequest(method, base+apiPrefix+path, stringsReader(body))
	if err != nil {
		return quietReply{}
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := quietClient.Do(req)
	if err != nil {
		return quietReply{}
	}
	defer resp.Body.Close()
	var env struct {
		Data struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	raw, err := readAllJSON(resp, &env)
	if err != nil {
		return quietReply{}
	}
	return quietReply{status: resp.StatusCode, id: env.Data.ID, body: raw}
}

// TestSIGTERMShutsDownCleanly sends SIGTERM to a serving process with
// requests in flight: it finishes them, exits with status 0, and every
// acknowledged create is there on the next start.
func TestSIGTERMShutsDownCleanly(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server process")
	}
	data := t.TempDir()
	url, cmd := startBinary(t, data)
	out, err := cli(t, nil, "token", "create", "--data", data, "--user", "admin")
	if err != nil {
		t.Fatal(err)
	}
	token := lastLine(out)
	var mu sync.Mutex
	var acked []string
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := 0; ; i++ {
				r := doQuiet(url, "POST", "/users", token, fmt.Sprintf(`{"userId":"term%d-%d"}`, w, i))
				if r.status != http.StatusOK {
					return
				}
				mu.Lock()
				acked = append(acked, r.id)
				mu.Unlock()
			}
		})
	}
	time.Sleep(300 * time.Millisecond)
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("koodrive exited with %v after SIGTERM, want status 0", err)
		}
	case <-time.After(40 * time.Second):
		t.Fatal("koodrive did not exit within 40 s of SIGTERM")
	}
	wg.Wait()
	if len(acked) == 0 {
		t.Fatal("no create was acknowledged before SIGTERM")
	}
	s := startServerIn(t, data, nil)
	for _, id := range acked {
		s.do(t, "GET", "/users/"+id, s.Admin, nil).wantOK(t)
	}
}
