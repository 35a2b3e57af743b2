package main

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/koodrive/koodrive/internal/pgtest"
)

// instancesKey is the server key both instances are given, as instances
// sharing a database must be.
const instancesKey = "KOODRIVE_SECRET_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="

// TestTwoInstances runs two koodrive processes on one PostgreSQL database,
// as two instances behind a load balancer: started together, each with a
// data folder of its own. Users created through either are seen through
// both; a session opened on one works on the other, and ends on both; a
// signed request used on one is a replay on the other; and an import task
// whose instance is killed is finished by the other, every row once.
func TestTwoInstances(t *testing.T) {
	dsn := pgtest.DSN(t)
	flags := []string{"--db", dsn, "--max-users", "100000", "--capacity-gb", "5000", "--task-lease", "2s"}
	dataA, dataB := t.TempDir(), t.TempDir()
	cmdA, listeningA := launchBinary(t, dataA, []string{instancesKey}, flags...)
	_, listeningB := launchBinary(t, dataB, []string{instancesKey}, flags...)
	urlA, urlB := listeningA(), listeningB()
	keyEnv := env{"KOODRIVE_SECRET_KEY": instancesKey[len("KOODRIVE_SECRET_KEY="):]}
	// login opens a session of the administrator at url with a login code
	// made by the command line on data.
	login := func(t *testing.T, url, data string) (token, sessionID string) {
		t.Helper()
		out, err := cli(t, keyEnv, "token", "create", "--data", data, "--db", dsn, "--user", "admin", "--code")
		if err != nil {
			t.Fatal(err)
		}
		r := doURL(t, url, "POST", "/session/", "", map[string]any{"code": lastLine(out)})
		r.wantOK(t)
		return strings.TrimPrefix(str(t, r.data(t), "accessToken"), "Bearer "), str(t, r.data(t), "sessionId")
	}

	admin, _ := login(t, urlA, dataA)
	a := &server{URL: urlA, Data: dataA, Admin: admin}
	b := &server{URL: urlB, Data: dataB, Admin: admin}
	a.Root, b.Root = a.rootID(t), b.rootID(t)
	if a.Root != b.Root {
		t.Fatalf("root department %s on A, %s on B: the instances initialized two organizations", a.Root, b.Root)
	}

	t.Run("Sessions", func(t *testing.T) {
		// The session opened on A works on B.
		doURL(t, urlB, "GET", "/session/auth", admin, nil).wantOK(t)
		// Another, opened on B and refreshed on A: the new token works on
		// B and the old one on neither; ended on B, it is refused on A.
		old, sid := login(t, urlB, dataB)
		r := doURL(t, urlA, "POST", "/session/refresh", old, nil, "x-session-id", sid)
		r.wantOK(t)
		fresh := strings.TrimPrefix(str(t, r.Body, "accessToken"), "Bearer ")
		doURL(t, urlB, "GET", "/session/auth", fresh, nil).wantOK(t)
		for _, url := range []string{urlA, urlB} {
			doURL(t, url, "GET", "/session/auth", old, nil).wantError(t, http.StatusUnauthorized, 13000101)
		}
		doURL(t, urlB, "GET", "/session/logoff", fresh, nil).wantOK(t)
		doURL(t, urlA, "GET", "/session/auth", fresh, nil).wantError(t, http.StatusUnauthorized, 13000101)
	})

	t.Run("Creates", func(t *testing.T) {
		before := a.count(t)
		const each = 40
		var wg sync.WaitGroup
		for i, s := range []*server{a, b, a, b} {
			wg.Go(func() {
				for j := range each {
					r := s.do(t, "POST", "/users", admin, map[string]any{"userId": fmt.Sprintf("two%d-%02d", i, j)})
					if r.Status != http.StatusOK || r.code() != 0 {
						t.Errorf("create through %s: status %d, %s", s.URL, r.Status, r.Raw)
						return
					}
				}
			})
		}
		wg.Wait()
		want := before + 4*each
		for _, s := range []*server{a, b} {
			if got := s.count(t); got != want {
				t.Errorf("%s counts %d users, want %d", s.URL, got, want)
			}
			listed := impAllUserIDs(t, s.URL, admin)
			for i := range 4 {
				for j := range each {
					if id := fmt.Sprintf("two%d-%02d", i, j); listed[id] != 1 {
						t.Fatalf("%s lists %s %d times, want once", s.URL, id, listed[id])
					}
				}
			}
			impTotals(t, s)
		}
	})

	t.Run("AppReplay", func(t *testing.T) {
		out, err := cli(t, keyEnv, "app", "create", "--data", dataB, "--db", dsn, "--name", "hr")
		if err != nil {
			t.Fatal(err)
		}
		var app app
		if err := jsonLast(out, &app); err != nil {
			t.Fatal(err)
		}
		req := a.signedRequest(t, app, a.adminID(t), "GET", "/users/count", "", time.Now())
		// The same request sent to B, under the Host a load balancer in
		// front of both would pass on: its signature holds there, but it
		// has been used.
		replay, err := http.NewRequest("GET", urlB+req.URL.RequestURI(), nil)
		if err != nil {
			t.Fatal(err)
		}
		replay.Header, replay.Host = req.Header.Clone(), req.URL.Host
		send(t, req).wantOK(t)
		send(t, replay).wantError(t, http.StatusUnauthorized, 13000101)
	})

	t.Run("ImportTakenOver", func(t *testing.T) {
		const n = 20_000
		users, allocated := impTotals(t, b)
		var file bytes.Buffer
		impGenCSV(&file, "inst", n, 100, "")
		up := impUploadCSV(t, a, admin, file.Bytes(), "", "")
		taskID := impStart(t, a, admin, str(t, up, "resultId"))
		var seen impTask
		for end := time.Now().Add(impDeadline); ; {
			seen = impGetTask(t, urlA, admin, taskID)
			if seen.Progress.Done > 0 || seen.Status >= 2 {
				break
			}
			if time.Now().After(end) {
				t.Fatalf("no progress: %+v", seen)
			}
			time.Sleep(2 * time.Millisecond)
		}
		if err := cmdA.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		cmdA.Wait()
		if seen.Status != 1 || seen.Progress.Done >= n {
			t.Fatalf("A was killed too late to hand the task over: %+v", seen)
		}
		task := impWait(t, urlB, admin, taskID, impDeadline)
		impWantProgress(t, task, 2, impProgress{Total: n, Done: n, Created: n})
		t.Logf("A killed after %d of %d rows; B finished the task", seen.Progress.Done, n)
		gotUsers, gotAllocated := impTotals(t, b)
		if gotUsers != users+n || gotAllocated != allocated+n/100 {
			t.Errorf("%d users, %d GB allocated; want %d and %d", gotUsers, gotAllocated, users+n, allocated+n/100)
		}
		listed := impAllUserIDs(t, urlB, admin)
		for i := 1; i <= n; i++ {
			if id := impGenUserID("inst", i); listed[id] != 1 {
				t.Fatalf("B lists %s %d times, want once", id, listed[id])
			}
		}
	})
}
