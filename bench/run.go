package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

type config struct {
	importRows int
	rssRows    int
	sequential int
	rows       int
	conns      int
	duration   time.Duration
	maxCreates int
	binary     string
	postgres   string // "auto", "off" or a server's DSN
}

func (c config) short() config {
	c.rows, c.conns, c.duration, c.maxCreates, c.sequential = 2_000, 8, time.Second, 2_000, 50
	c.importRows, c.rssRows = 2_000, 5_000
	return c
}

// figure is one measured value.
type figure struct {
	name  string
	value float64
	unit  string
	ratio float64 // to the figure's ceiling; 0 when it has none
	note  string
}

func run(ctx context.Context, cfg config, out io.Writer) error {
	dir, err := os.MkdirTemp("", "koodrive-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if cfg.binary == "" {
		cfg.binary = filepath.Join(dir, "koodrive")
		build := exec.CommandContext(ctx, "go", "build", "-o", cfg.binary, "./cmd/koodrive")
		build.Env = append(os.Environ(), "CGO_ENABLED=0")
		build.Dir = repoRoot()
		if msg, err := build.CombinedOutput(); err != nil {
			return fmt.Errorf("build koodrive: %v\n%s", err, msg)
		}
	}
	k, err := startKoodrive(ctx, cfg.binary, filepath.Join(dir, "data"), "", cfg.maxUsers())
	if err != nil {
		return err
	}
	defer k.stop()

	var figs []figure
	pre, err := benchPreverify(ctx, k, cfg.rows)
	if err != nil {
		return err
	}
	figs = append(figs, pre...)
	imported, err := benchImport(ctx, k, dir, cfg.importRows)
	if err != nil {
		return err
	}
	figs = append(figs, imported...)
	costs, err := benchAuthCost(ctx, k, dir, cfg.sequential)
	if err != nil {
		return err
	}
	figs = append(figs, costs...)
	creates, err := benchCreates(ctx, k, cfg, nil)
	if err != nil {
		return err
	}
	figs = append(figs, creates...)
	a, err := k.newApp(ctx)
	if err != nil {
		return err
	}
	signed, err := benchCreates(ctx, k, cfg, a)
	if err != nil {
		return err
	}
	figs = append(figs, signed...)
	if cfg.rssRows > 0 {
		rss, err := benchImportRSS(ctx, cfg, dir, cfg.rssRows)
		if err != nil {
			return err
		}
		figs = append(figs, rss...)
	}
	k.stop()
	pg, err := benchPostgres(ctx, cfg, dir, figs)
	if err != nil {
		return err
	}
	report(out, append(figs, pg...))
	return nil
}

func (c config) maxUsers() int { return c.rows + c.importRows + 2*c.maxCreates + c.sequential + 10 }

func report(out io.Writer, figs []figure) {
	fmt.Fprintf(out, "%-34s %14s %-8s %7s  %s\n", "figure", "value", "unit", "ratio", "note")
	for _, f := range figs {
		ratio := ""
		if f.ratio != 0 {
			ratio = fmt.Sprintf("%.2f", f.ratio)
		}
		fmt.Fprintf(out, "%-34s %14.1f %-8s %7s  %s\n", f.name, f.value, f.unit, ratio, f.note)
	}
	for _, f := range figs {
		if f.unit == "" { // a note, such as a part that was skipped
			continue
		}
		line := fmt.Sprintf("BENCH name=%s value=%.1f unit=%s", f.name, f.value, f.unit)
		if f.ratio != 0 {
			line += fmt.Sprintf(" ratio=%.3f", f.ratio)
		}
		fmt.Fprintln(out, line)
	}
}

// repoRoot finds the module root from the working directory.
func repoRoot() string {
	dir, _ := os.Getwd()
	for d := dir; d != filepath.Dir(d); d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
	}
	return dir
}

// server is a koodrive under measurement.
type server struct {
	url     string
	token   string
	root    string
	adminID string
	binary  string
	data    string
	db      string
	cmd     *exec.Cmd
}

// startKoodrive starts the binary on a data folder and the database db
// ("": the SQLite file in the folder).
func startKoodrive(ctx context.Context, binary, data, db string, maxUsers int) (*server, error) {
	args := []string{"serve", "--addr", "127.0.0.1:0", "--data", data,
		"--max-users", fmt.Sprint(maxUsers), "--capacity-gb", "100000000", "--log-level", "warn"}
	if db != "" {
		args = append(args, "--db", db)
	}
	cmd := exec.CommandContext(ctx, binary, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	k := &server{cmd: cmd, binary: binary, data: data, db: db}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		k.stop()
		return nil, fmt.Errorf("koodrive did not start: %v", err)
	}
	go io.Copy(io.Discard, stdout)
	k.url = strings.TrimSpace(strings.TrimPrefix(line, "koodrive listening on "))
	tok, err := exec.CommandContext(ctx, binary, k.storeArgs("token", "create", "--user", "admin")...).Output()
	if err != nil {
		k.stop()
		return nil, fmt.Errorf("token create: %v", err)
	}
	k.token = strings.TrimSpace(string(tok))
	var list struct {
		List []struct {
			ID string `json:"id"`
		} `json:"list"`
	}
	if err := k.call(ctx, "GET", "/departmentList", nil, &list); err != nil || len(list.List) == 0 {
		k.stop()
		return nil, fmt.Errorf("read root department: %v", err)
	}
	k.root = list.List[0].ID
	var who struct {
		Data struct {
			ID string `json:"innerUserId"`
		} `json:"data"`
	}
	if err := k.call(ctx, "GET", "/session/auth", nil, &who); err != nil {
		k.stop()
		return nil, err
	}
	k.adminID = who.Data.ID
	return k, nil
}

// appCredential is an app registered with koodrive app create.
type appCredential struct {
	ID     string `json:"appId"`
	Secret string `json:"appSecret"`
}

func (k *server) newApp(ctx context.Context) (*appCredential, error) {
	out, err := exec.CommandContext(ctx, k.binary, k.storeArgs("app", "create", "--name", "bench")...).Output()
	if err != nil {
		return nil, fmt.Errorf("app create: %v", err)
	}
	var a appCredential
	return &a, json.Unmarshal(out, &a)
}

// storeArgs are the arguments of a command on the server's data.
func (k *server) storeArgs(args ...string) []string {
	args = append(args, "--data", k.data)
	if k.db != "" {
		args = append(args, "--db", k.db)
	}
	return args
}

func (k *server) stop() {
	k.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { k.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		k.cmd.Process.Kill()
		<-done
	}
}

// call sends one API request and decodes a successful reply into v.
func (k *server) call(ctx context.Context, method, path string, body []byte, v any) error {
	req, err := http.NewRequestWithContext(ctx, method, k.url+"/koodrive/ose/v1"+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+k.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: %d %.300s", method, path, resp.StatusCode, raw)
	}
	if v != nil {
		return json.Unmarshal(raw, v)
	}
	return nil
}
