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
	"strings"
	"time"
)

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
	cmd, url, err := startListener(ctx, binary, args, "koodrive listening on ")
	if err != nil {
		return nil, fmt.Errorf("koodrive did not start: %w", err)
	}
	k := &server{cmd: cmd, url: url, binary: binary, data: data, db: db}
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
	// Every file and batch the bench sends names these departments.
	if err := k.teams(ctx); err != nil {
		k.stop()
		return nil, err
	}
	return k, nil
}

// startListener starts a server program and reads the URL it prints, after
// prefix, on its first line.
func startListener(ctx context.Context, prog string, args []string, prefix string) (*exec.Cmd, string, error) {
	cmd := exec.CommandContext(ctx, prog, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, "", err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, "", err
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, prefix) {
		stopProcess(cmd)
		return nil, "", fmt.Errorf("%s printed %q, not its URL: %v", prog, line, err)
	}
	go io.Copy(io.Discard, stdout)
	return cmd, strings.TrimSpace(strings.TrimPrefix(line, prefix)), nil
}

// stopProcess interrupts a server, as an operator would, and kills it if it
// has not ended within 10s.
func stopProcess(cmd *exec.Cmd) {
	cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		<-done
	}
}

// stop stops the server once; later calls do nothing.
func (k *server) stop() {
	if k.cmd != nil {
		stopProcess(k.cmd)
		k.cmd = nil
	}
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
