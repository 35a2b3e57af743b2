package sqldb

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/koodrive/koodrive"
)

// touchEvery is how stale a session's last-use time may get before a request
// writes it again: a session ends between TTL-touchEvery and TTL after its
// last use, and a busy client costs one write per touchEvery, not per request.
const touchEvery = 15 * time.Second

// pruneEvery is how often expired signatures, sessions and codes are removed.
const pruneEvery = time.Minute

// AuthService implements koodrive.AuthService.
type AuthService struct {
	db        *DB
	lastPrune atomic.Int64 // unix ms
}

var _ koodrive.AuthService = (*AuthService)(nil)

// NewAuthService returns the service on db.
func NewAuthService(db *DB) *AuthService { return &AuthService{db: db} }

// CreateSession issues a session for the user with external userId userID.
func (s *AuthService) CreateSession(ctx context.Context, userID string) (*koodrive.Session, error) {
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	id, err := signInUser(ctx, tx, userID)
	if err != nil {
		return nil, err
	}
	sess, err := insertSession(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("create session for %s: %w", userID, err)
	}
	return sess, nil
}

// signInUser finds a user who may sign in by external userId.
func signInUser(ctx context.Context, tx *Tx, userID string) (koodrive.ID, error) {
	var id koodrive.ID
	var status koodrive.Status
	err := tx.QueryRowContext(ctx, `SELECT id, status FROM users WHERE user_key = $1`, koodrive.FoldKey(userID)).Scan(&id, &status)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, koodrive.NewError(koodrive.ENOTFOUND, "user", koodrive.MsgUserNotFound, koodrive.Params{"ID": userID})
	}
	if err != nil {
		return 0, fmt.Errorf("find user %s: %w", userID, err)
	}
	if !status.CanSignIn() {
		return 0, koodrive.NewError(koodrive.EFORBIDDEN, "user", koodrive.MsgUserDisabled, nil)
	}
	return id, nil
}

func insertSession(ctx context.Context, tx *Tx, userID koodrive.ID) (*koodrive.Session, error) {
	sess := &koodrive.Session{ID: randomHex(24), Token: randomHex(24), UserID: userID}
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO sessions (token_hash, session_id, user_id, created_at, last_used_at) VALUES ($1, $2, $3, $4, $4)`,
		hashToken(sess.Token), sess.ID, int64(userID), millis(tx.now)); err != nil {
		return nil, fmt.Errorf("create session: %w", err)
	}
	return sess, nil
}

// CreateLoginCode issues a one-time code for the user.
func (s *AuthService) CreateLoginCode(ctx context.Context, userID string) (string, error) {
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	id, err := signInUser(ctx, tx, userID)
	if err != nil {
		return "", err
	}
	code := randomHex(16)
	if _, err := tx.ExecContext(ctx, `INSERT INTO login_codes (code_hash, user_id, expires_at) VALUES ($1, $2, $3)`,
		hashToken(code), int64(id), millis(tx.now.Add(koodrive.LoginCodeTTL))); err != nil {
		return "", fmt.Errorf("create login code: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return "", fmt.Errorf("create login code: %w", err)
	}
	return code, nil
}

// ExchangeLoginCode spends a code on a session.
func (s *AuthService) ExchangeLoginCode(ctx context.Context, code string) (*koodrive.Session, error) {
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var userID koodrive.ID
	err = tx.QueryRowContext(ctx, `DELETE FROM login_codes WHERE code_hash = $1 AND expires_at >= $2 RETURNING user_id`,
		hashToken(code), millis(tx.now)).Scan(&userID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, koodrive.NewError(koodrive.EUNAUTHENTICATED, "code", koodrive.MsgLoginCode, nil)
	}
	if err != nil {
		return nil, fmt.Errorf("exchange login code: %w", err)
	}
	if _, err := findActor(ctx, tx, userID); err != nil {
		return nil, err
	}
	sess, err := insertSession(ctx, tx, userID)
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("exchange login code: %w", err)
	}
	return sess, nil
}

// Authenticate returns the actor behind a token, slides its session and
// activates a user on first use.
func (s *AuthService) Authenticate(ctx context.Context, token string) (*koodrive.Actor, error) {
	now := s.db.now()
	var a koodrive.Actor
	var status koodrive.Status
	var lastUsed int64
	hash := hashToken(token)
	// One statement, no transaction: it reads one snapshot on its own.
	err := s.db.queryRow(ctx, `
		SELECT s.last_used_at, u.id, u.user_id, u.role, u.status, u.dept_id, d.path
		FROM sessions s JOIN users u ON u.id = s.user_id JOIN departments d ON d.id = u.dept_id
		WHERE s.token_hash = $1`, hash).Scan(&lastUsed, &a.ID, &a.UserID, &a.Role, &status, &a.DeptID, &a.DeptPath)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, koodrive.NewError(koodrive.EUNAUTHENTICATED, "", koodrive.MsgAuthInvalid, nil)
	}
	if err != nil {
		return nil, fmt.Errorf("authenticate: %w", err)
	}

	idle := now.Sub(fromMillis(lastUsed))
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

// RefreshSession gives the session a new token.
func (s *AuthService) RefreshSession(ctx context.Context, token, sessionID string) (*koodrive.Session, error) {
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	sess := &koodrive.Session{ID: sessionID, Token: randomHex(24)}
	err = tx.QueryRowContext(ctx, `
		UPDATE sessions SET token_hash = $1, last_used_at = $2
		WHERE token_hash = $3 AND session_id = $4 AND last_used_at >= $5
		RETURNING user_id`,
		hashToken(sess.Token), millis(tx.now), hashToken(token), sessionID, millis(tx.now.Add(-koodrive.SessionTTL))).Scan(&sess.UserID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, koodrive.NewError(koodrive.EUNAUTHENTICATED, "x-session-id", koodrive.MsgSessionID, nil)
	}
	if err != nil {
		return nil, fmt.Errorf("refresh session: %w", err)
	}
	if _, err := findActor(ctx, tx, sess.UserID); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("refresh session: %w", err)
	}
	return sess, nil
}

// EndSession removes the session of token.
func (s *AuthService) EndSession(ctx context.Context, token string) error {
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, hashToken(token)); err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	return nil
}

// FindActor returns the actor for a user an app acts for.
func (s *AuthService) FindActor(ctx context.Context, id koodrive.ID) (*koodrive.Actor, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return findActor(ctx, tx, id)
}

func findActor(ctx context.Context, tx *Tx, id koodrive.ID) (*koodrive.Actor, error) {
	var a koodrive.Actor
	var status koodrive.Status
	err := tx.QueryRowContext(ctx, `
		SELECT u.id, u.user_id, u.role, u.status, u.dept_id, d.path
		FROM users u JOIN departments d ON d.id = u.dept_id WHERE u.id = $1`, int64(id)).
		Scan(&a.ID, &a.UserID, &a.Role, &status, &a.DeptID, &a.DeptPath)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, &koodrive.Error{Kind: koodrive.EUNAUTHENTICATED, Message: koodrive.Message{ID: koodrive.MsgAuthInvalid},
			Err: fmt.Errorf("user %d does not exist", id)}
	}
	if err != nil {
		return nil, fmt.Errorf("find user %d: %w", id, err)
	}
	if !status.CanSignIn() {
		return nil, koodrive.NewError(koodrive.EUNAUTHENTICATED, "", koodrive.MsgUserDisabled, nil)
	}
	return &a, nil
}

// RememberSignature records a verified signature, failing for one seen
// before; now and then it also forgets what has expired. It commits with
// the changes waiting beside it (groupcommit.go): every signed request
// writes here before it does anything else, so syncing each alone would
// bound signed requests by the disk's syncs.
func (s *AuthService) RememberSignature(ctx context.Context, signature string, until time.Time) error {
	return s.db.commits.submit(ctx, &change{run: func(tx *Tx) error {
		now := millis(tx.now)
		res, err := tx.ExecContext(ctx, `INSERT INTO replay_guard (signature, expires_at) VALUES ($1, $2) ON CONFLICT (signature) DO NOTHING`,
			signature, millis(until))
		if err != nil {
			return fmt.Errorf("remember signature: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("remember signature: %w", err)
		} else if n == 0 {
			return &koodrive.Error{Kind: koodrive.EUNAUTHENTICATED, Message: koodrive.Message{ID: koodrive.MsgAppAuthFailed},
				Err: errors.New("replayed signature")}
		}
		if last := s.lastPrune.Load(); now-last >= pruneEvery.Milliseconds() && s.lastPrune.CompareAndSwap(last, now) {
			return pruneExpired(ctx, tx, now)
		}
		return nil
	}})
}

// pruneExpired forgets what can no longer authenticate anything.
func pruneExpired(ctx context.Context, tx *Tx, now int64) error {
	for _, q := range []struct {
		query string
		arg   int64
	}{
		{`DELETE FROM replay_guard WHERE expires_at < $1`, now},
		{`DELETE FROM login_codes WHERE expires_at < $1`, now},
		{`DELETE FROM sessions WHERE last_used_at < $1`, now - koodrive.SessionTTL.Milliseconds()},
	} {
		if _, err := tx.ExecContext(ctx, q.query, q.arg); err != nil {
			return fmt.Errorf("prune expired credentials: %w", err)
		}
	}
	return nil
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
