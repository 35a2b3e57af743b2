package main

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

func TestTokenCreate(t *testing.T) {
	s := startServer(t)
	t.Run("OK", func(t *testing.T) {
		out, err := cli(t, nil, "token", "create", "--data", s.Data, "--user", "ADMIN") // userIds compare ignoring case
		if err != nil {
			t.Fatal(err)
		}
		tok := lastLine(out)
		if !regexp.MustCompile(`^[0-9a-f]{48}$`).MatchString(tok) {
			t.Fatalf("token %q, want 48 hex digits", tok)
		}
		s.do(t, "GET", "/users/count", tok, nil).wantOK(t)
	})
	t.Run("DataFromEnvironment", func(t *testing.T) {
		out, err := cli(t, env{"KOODRIVE_DATA": s.Data, "KOODRIVE_USER": "admin"}, "token", "create")
		if err != nil {
			t.Fatal(err)
		}
		s.do(t, "GET", "/users/count", lastLine(out), nil).wantOK(t)
	})
	t.Run("ErrUnknownUser", func(t *testing.T) {
		_, err := cli(t, nil, "token", "create", "--data", s.Data, "--user", "ghost")
		if err == nil || !strings.Contains(err.Error(), "ghost") || !strings.Contains(err.Error(), "does not exist") {
			t.Fatalf("err %v, want one saying user ghost does not exist", err)
		}
	})
	t.Run("ErrNoUser", func(t *testing.T) {
		_, err := cli(t, nil, "token", "create", "--data", s.Data)
		if err == nil || !strings.Contains(err.Error(), "--user") {
			t.Fatalf("err %v, want one naming --user", err)
		}
	})
	t.Run("ErrUninitializedData", func(t *testing.T) {
		_, err := cli(t, nil, "token", "create", "--data", t.TempDir(), "--user", "admin")
		if err == nil || !strings.Contains(err.Error(), "koodrive serve") {
			t.Fatalf("err %v, want one telling to run koodrive serve first", err)
		}
	})
}

func TestAppCreate(t *testing.T) {
	s := startServer(t)
	out, err := cli(t, nil, "app", "create", "--data", s.Data, "--name", "HR sync")
	if err != nil {
		t.Fatal(err)
	}
	var app struct {
		AppID     string `json:"appId"`
		AppSecret string `json:"appSecret"`
	}
	if err := json.Unmarshal([]byte(lastLine(out)), &app); err != nil {
		t.Fatalf("last line %q is not the app JSON: %v", lastLine(out), err)
	}
	if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(app.AppID) || len(app.AppSecret) < 32 {
		t.Errorf("app %+v, want a 64-hex appId and a secret", app)
	}
	out2, err := cli(t, nil, "app", "create", "--data", s.Data, "--name", "HR sync")
	if err != nil {
		t.Fatal(err)
	}
	if lastLine(out2) == lastLine(out) {
		t.Errorf("two apps got the same credentials")
	}
	if _, err := cli(t, nil, "app", "create", "--data", s.Data); err == nil || !strings.Contains(err.Error(), "--name") {
		t.Errorf("err %v, want one naming --name", err)
	}
}

func TestUnknownCommand(t *testing.T) {
	if _, err := cli(t, nil, "frobnicate"); err == nil || !strings.Contains(err.Error(), "frobnicate") {
		t.Fatalf("err %v, want one naming the unknown command", err)
	}
}
