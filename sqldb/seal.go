package sqldb

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// KeySize is the length of the server key that seals app secrets.
const KeySize = 32

// Sealer encrypts the secrets the server must read back (app secrets) with
// the server key, so that a copy of the database alone does not reveal them.
type Sealer struct{ aead cipher.AEAD }

// NewSealer returns a sealer for a KeySize-byte key.
func NewSealer(key []byte) (*Sealer, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("server key: %d bytes, want %d", len(key), KeySize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("server key: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("server key: %w", err)
	}
	return &Sealer{aead: aead}, nil
}

const sealPrefix = "v1:"

// seal encrypts plain bound to context: the sealed text only opens for the
// same context, so it cannot be moved to another row.
func (s *Sealer) seal(plain, context string) string {
	nonce := make([]byte, s.aead.NonceSize())
	rand.Read(nonce)
	return sealPrefix + base64.StdEncoding.EncodeToString(s.aead.Seal(nonce, nonce, []byte(plain), []byte(context)))
}

var errUnseal = errors.New("cannot decrypt an app secret: the server key differs from the one that sealed it")

func (s *Sealer) open(sealed, context string) (string, error) {
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(sealed, sealPrefix))
	if err != nil || !strings.HasPrefix(sealed, sealPrefix) || len(raw) < s.aead.NonceSize() {
		return "", errUnseal
	}
	n := s.aead.NonceSize()
	plain, err := s.aead.Open(nil, raw[:n], raw[n:], []byte(context))
	if err != nil {
		return "", errUnseal
	}
	return string(plain), nil
}

// ErrServerKey is returned by CheckServerKey for a key other than the one
// the database's app secrets are sealed with.
var ErrServerKey = errors.New("the server key differs from the one this database's app secrets are sealed with: give every instance the same key (KOODRIVE_SECRET_KEY)")

// serverKeyProof is what the server_key row seals: opening it proves the key.
const serverKeyProof, serverKeyContext = "koodrive server key", "server_key"

// CheckServerKey records, on first use, which key seals the app secrets in
// db, and from then on refuses any other key. Instances that share a
// database must share the key; without this check one started with another
// key would fail on every signed request instead of at start.
func (db *DB) CheckServerKey(ctx context.Context, s *Sealer) error {
	return db.write(ctx, func(tx *Tx) error {
		// Insert first, then read: of instances starting together, the
		// first insert wins and every one checks against it.
		if _, err := tx.ExecContext(ctx, `INSERT INTO server_key (id, fingerprint) VALUES (1, $1) ON CONFLICT (id) DO NOTHING`,
			s.seal(serverKeyProof, serverKeyContext)); err != nil {
			return err
		}
		var sealed string
		if err := tx.QueryRowContext(ctx, `SELECT fingerprint FROM server_key WHERE id = 1`).Scan(&sealed); err != nil {
			return err
		}
		if plain, err := s.open(sealed, serverKeyContext); err != nil || plain != serverKeyProof {
			return ErrServerKey
		}
		return nil
	})
}
