package main

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/koodrive/koodrive/sqldb"
)

// secretKeyEnv names the environment variable that holds the server key,
// for installations whose instances share one database (the key must be
// the same everywhere) or that keep keys out of the data folder.
const secretKeyEnv = "KOODRIVE_SECRET_KEY"

const keyFileName = "secret.key"

// serverKey returns the key that seals app secrets in the database:
// KOODRIVE_SECRET_KEY if set (32 bytes in base64 or hex), else the key file
// in the data folder, created on first use. Losing it makes every app
// secret unreadable: the apps must then be given new secrets.
func serverKey(data string, getenv func(string) string) (*sqldb.Sealer, error) {
	if v := strings.TrimSpace(getenv(secretKeyEnv)); v != "" {
		key, err := decodeKey(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", secretKeyEnv, err)
		}
		return sqldb.NewSealer(key)
	}
	path := filepath.Join(data, keyFileName)
	text, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		text, err = createKeyFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("server key: %w", err)
	}
	key, err := decodeKey(strings.TrimSpace(string(text)))
	if err != nil {
		return nil, fmt.Errorf("server key %s: %w", path, err)
	}
	return sqldb.NewSealer(key)
}

// createKeyFile writes a new random key readable by its owner only. If
// another process creates it first, that one's key is used.
func createKeyFile(path string) ([]byte, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	key := make([]byte, sqldb.KeySize)
	rand.Read(key)
	text := []byte(base64.StdEncoding.EncodeToString(key) + "\n")
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return os.ReadFile(path)
	}
	if err != nil {
		return nil, err
	}
	if _, err := f.Write(text); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, err
	}
	return text, f.Close()
}

func decodeKey(s string) ([]byte, error) {
	for _, dec := range []func(string) ([]byte, error){
		base64.StdEncoding.DecodeString, base64.RawStdEncoding.DecodeString,
		base64.URLEncoding.DecodeString, base64.RawURLEncoding.DecodeString, hex.DecodeString,
	} {
		if key, err := dec(s); err == nil && len(key) == sqldb.KeySize {
			return key, nil
		}
	}
	return nil, fmt.Errorf("want %d bytes in base64 or hex", sqldb.KeySize)
}
