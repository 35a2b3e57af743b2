package sqldb

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/koodrive/koodrive"
)

// touchEvery is how stale a session's last-use time may get before a request
// writes it again: a session ends between TTL-touchEvery and TTL after its
// last use, and a busy client costs one write per touchEvery, not per request.
const touchEvery = 15 * time.Second

// AuthService implements koodrive.AuthService.
type AuthService struct{ db *DB }

var _ koodrive.AuthService = (*AuthService)(nil)

// NewAuthService returns the service on db.
func NewAuthService(db *DB) *AuthService { return &AuthService{db: db} }

// CreateSession issues a token for the user with external userId userID.
func (s *AuthService) CreateSession(ctx context.Context, userID string) (string, error) {
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	var id int64
	var status koodrive.Status
	err = tx.QueryRowContext(ctx, `SELECT id, status FROM users WHERE user_key = $1`, koodrive.FoldKey(userID)).Scan(&id, &status)
	if errors.Is(err, sql.ErrNoRows) {
		return "", koodrive.NewError(koodrive.ENOTFOUND, "user", koodrive.MsgUserNotFound, koodrive.Params{"ID": userID})
	}
	if err != nil {
		return "", fmt.Errorf("create session for %s: %w", userID, err)
	}
	if !status.CanSignIn() {
		return "", koodrive.NewError(koodrive.EFORBIDDEN, "user", koodrive.MsgUserDisabled, nil)
	}
	token := randomHex(24)
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO sessions (token_hash, user_id, created_at, last_used_at) VALUES ($1, $2, $3, $3)`,
		hashToken(token), id, millis(tx.now)); err != nil {
		return "", fmt.Errorf("create session for %s: %w", userID, err)
	}
	if err := tx.Commit(); err != nil {
		return "", fmt.Errorf("create session for %s: %w", userID, err)
	}
	return token, nil
}

// Authenticate returns the actor behind a token, slides its session and
// activates a user on first use.
func (s *AuthService) Authenticate(ctx context.Context, token string) (*koodrive.Actor, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var a koodrive.Actor
	var status koodrive.Status
	var lastUsed int64
	hash := hashToken(token)
	err = tx.QueryRowContext(ctx, `
		SELECT s.last_used_at, u.id, u.user_id, u.role, u.status, u.dept_id, d.path
		FROM sessions s JOIN users u ON u.id = s.user_id JOIN departments d ON d.id = u.dept_id
		WHERE s.token_hash = $1`, hash).Scan(&lastUsed, &a.ID, &a.UserID, &a.Role, &status, &a.DeptID, &a.DeptPath)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, koodrive.NewError(koodrive.EUNAUTHENTICATED, "", koodrive.MsgAuthInvalid, nil)
	}
	if err != nil {
		return nil, fmt.Errorf("authenticate: %w", err)
	}
	tx.Rollback()

	idle := tx.now.Sub(fromMillis(lastUsed))
	if idle > koodrive.SessionTTL {
		return nil, koodrive.NewError(koodrive.EUNAUTHENTICATED, "", koodrive.MsgAuthInvalid, nil)
	}
	if !status.CanSignIn() {
		return nil, koodrive.NewError(koodrive.EUNAUTHENTICATED, "", koodrive.MsgUserDisabled, nil)
	}
	if idle >= touchEvery || status == koodrive.StatusNotActivated {
		if err := s.touch(ctx, hash, a.ID, status); err != nil {
			return nil, err
		}
	}
	return &a, nil
}

// touch records a session's use and activates its user on first use.
func (s *AuthService) touch(ctx context.Context, hash string, userID koodrive.ID, status koodrive.Status) error {
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	now := millis(tx.now)
	if _, err := tx.ExecContext(ctx, `UPDATE sessions SET last_used_at = $1 WHERE token_hash = $2 AND last_used_at < $1`, now, hash); err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	if status == koodrive.StatusNotActivated {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4`,
			koodrive.StatusEnabled, now, int64(userID), koodrive.StatusNotActivated); err != nil {
			return fmt.Errorf("activate user: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	return nil
}

// CreateApp registers an application with a new AppId and AppSecret.
func (s *AuthService) CreateApp(ctx context.Context, name string) (*koodrive.App, error) {
	if err := koodrive.ValidateUserName("name", name); err != nil || name == "" {
		return nil, koodrive.Invalid("name", koodrive.MsgUserNameInvalid, koodrive.Params{"Max": koodrive.MaxUserNameLen})
	}
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	app := &koodrive.App{AppID: randomHex(32), Name: name, Secret: randomHex(32), CreatedAt: tx.now}
	if _, err := tx.ExecContext(ctx, `INSERT INTO apps (app_id, name, secret, created_at) VALUES ($1, $2, $3, $4)`,
		app.AppID, app.Name, app.Secret, millis(tx.now)); err != nil {
		return nil, fmt.Errorf("create app: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("create app: %w", err)
	}
	return app, nil
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// randomHex returns n random bytes in hex. crypto/rand.Read never fails on
// the systems Go supports; it panics rather than return weak bytes.
func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
