package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/koodrive/koodrive"
)

// AppService implements koodrive.AppService.
type AppService struct {
	db     *DB
	sealer *Sealer
}

var _ koodrive.AppService = (*AppService)(nil)

// NewAppService returns the service on db; sealer holds the server key
// that app secrets are stored under.
func NewAppService(db *DB, sealer *Sealer) *AppService { return &AppService{db: db, sealer: sealer} }

const maxAppNameLen = 64

// CreateApp registers an app with a new AppId and AppSecret.
func (s *AppService) CreateApp(ctx context.Context, a koodrive.Actor, name string) (*koodrive.App, error) {
	var app *koodrive.App
	err := s.db.mutate(ctx, a, koodrive.AuditCreateApp, "app", func(tx *Tx, m *mutation) error {
		if err := a.Authorize(koodrive.OpManageApps, "", nil); err != nil {
			return err
		}
		if name == "" || utf8.RuneCountInString(name) > maxAppNameLen || !utf8.ValidString(name) ||
			strings.IndexFunc(name, unicode.IsControl) >= 0 {
			return koodrive.Invalid("name", koodrive.MsgAppNameInvalid, koodrive.Params{"Max": maxAppNameLen})
		}
		app = &koodrive.App{AppID: randomHex(32), Name: name, Secret: randomHex(32), CreatedAt: tx.now, UpdatedAt: tx.now}
		m.resource = "app/" + app.AppID
		if _, err := tx.ExecContext(ctx, `INSERT INTO apps (app_id, name, secret, status, created_at, updated_at) VALUES ($1, $2, $3, 0, $4, $4)`,
			app.AppID, app.Name, s.sealer.seal(app.Secret, app.AppID), millis(tx.now)); err != nil {
			return fmt.Errorf("create app: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return app, nil
}

// FindApps lists the apps.
func (s *AppService) FindApps(ctx context.Context, a koodrive.Actor) ([]*koodrive.App, error) {
	if err := a.Authorize(koodrive.OpManageApps, "", nil); err != nil {
		return nil, err
	}
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `
		SELECT app_id, name, status, created_at, updated_at, coalesce(previous_expires_at, 0) FROM apps ORDER BY created_at, app_id`)
	if err != nil {
		return nil, fmt.Errorf("list apps: %w", err)
	}
	defer rows.Close()
	var apps []*koodrive.App
	for rows.Next() {
		var app koodrive.App
		var created, updated, prevUntil int64
		if err := rows.Scan(&app.AppID, &app.Name, &app.Status, &created, &updated, &prevUntil); err != nil {
			return nil, fmt.Errorf("list apps: %w", err)
		}
		app.CreatedAt, app.UpdatedAt = fromMillis(created), fromMillis(updated)
		if prevUntil >= millis(tx.now) { // as AppKeys: valid through its last millisecond
			app.PreviousUntil = fromMillis(prevUntil)
		}
		apps = append(apps, &app)
	}
	return apps, rows.Err()
}

// SetAppStatus enables or disables an app.
func (s *AppService) SetAppStatus(ctx context.Context, a koodrive.Actor, appID string, status koodrive.AppStatus) error {
	return s.change(ctx, a, koodrive.AuditUpdateApp, appID, func(tx *Tx) (sql.Result, error) {
		if status != koodrive.AppEnabled && status != koodrive.AppDisabled {
			return nil, koodrive.Invalid("status", koodrive.MsgStatusInvalid, koodrive.Params{"Values": "0, 1"})
		}
		return tx.ExecContext(ctx, `UPDATE apps SET status = $1, updated_at = $2 WHERE app_id = $3`, int(status), millis(tx.now), appID)
	})
}

// DeleteApp removes an app.
func (s *AppService) DeleteApp(ctx context.Context, a koodrive.Actor, appID string) error {
	return s.change(ctx, a, koodrive.AuditDeleteApp, appID, func(tx *Tx) (sql.Result, error) {
		return tx.ExecContext(ctx, `DELETE FROM apps WHERE app_id = $1`, appID)
	})
}

// change runs one audited statement on an app, failing with ENOTFOUND if
// it changed no row.
func (s *AppService) change(ctx context.Context, a koodrive.Actor, op, appID string, exec func(*Tx) (sql.Result, error)) error {
	return s.db.mutate(ctx, a, op, "app/"+appID, func(tx *Tx, _ *mutation) error {
		if err := a.Authorize(koodrive.OpManageApps, "", nil); err != nil {
			return err
		}
		res, err := exec(tx)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("change app %s: %w", appID, err)
		} else if n == 0 {
			return appNotFound(appID)
		}
		return nil
	})
}

func appNotFound(appID string) error {
	return koodrive.NewError(koodrive.ENOTFOUND, "appId", koodrive.MsgAppNotFound, koodrive.Params{"ID": appID})
}

// RotateAppSecret gives an app a new secret; the old one works for grace.
func (s *AppService) RotateAppSecret(ctx context.Context, a koodrive.Actor, appID string, grace time.Duration) (*koodrive.App, error) {
	var app koodrive.App
	err := s.db.mutate(ctx, a, koodrive.AuditRotateAppSecret, "app/"+appID, func(tx *Tx, _ *mutation) error {
		if err := a.Authorize(koodrive.OpManageApps, "", nil); err != nil {
			return err
		}
		if grace < 0 || grace > koodrive.MaxRotationGrace {
			return koodrive.Invalid("graceSeconds", koodrive.MsgGraceInvalid, koodrive.Params{"Max": int64(koodrive.MaxRotationGrace.Seconds())})
		}
		var old string
		var created int64
		err := tx.QueryRowContext(ctx, `SELECT name, secret, status, created_at FROM apps WHERE app_id = $1`, appID).
			Scan(&app.Name, &old, &app.Status, &created)
		if errors.Is(err, sql.ErrNoRows) {
			return appNotFound(appID)
		}
		if err != nil {
			return fmt.Errorf("rotate app %s: %w", appID, err)
		}
		app.AppID, app.Secret, app.CreatedAt, app.UpdatedAt = appID, randomHex(32), fromMillis(created), tx.now
		var prev, prevUntil any // NULL: the old secret stops now
		if grace > 0 {
			app.PreviousUntil = tx.now.Add(grace)
			prev, prevUntil = old, millis(app.PreviousUntil)
		}
		if _, err := tx.ExecContext(ctx, `
			UPDATE apps SET secret = $1, previous_secret = $2, previous_expires_at = $3, updated_at = $4 WHERE app_id = $5`,
			s.sealer.seal(app.Secret, appID), prev, prevUntil, millis(tx.now), appID); err != nil {
			return fmt.Errorf("rotate app %s: %w", appID, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &app, nil
}

// AppKeys returns the secrets an app may sign with now.
func (s *AppService) AppKeys(ctx context.Context, appID string) (*koodrive.AppKeys, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var keys koodrive.AppKeys
	var sealed string
	var prev sql.NullString
	var prevUntil sql.NullInt64
	err = tx.QueryRowContext(ctx, `SELECT status, secret, previous_secret, previous_expires_at FROM apps WHERE app_id = $1`, appID).
		Scan(&keys.Status, &sealed, &prev, &prevUntil)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, appNotFound(appID)
	}
	if err != nil {
		return nil, fmt.Errorf("read app %s: %w", appID, err)
	}
	if keys.Current, err = s.sealer.open(sealed, appID); err != nil {
		return nil, fmt.Errorf("read app %s: %w", appID, err)
	}
	if prev.Valid && prevUntil.Int64 >= millis(tx.now) {
		if keys.Previous, err = s.sealer.open(prev.String, appID); err != nil {
			return nil, fmt.Errorf("read app %s: %w", appID, err)
		}
	}
	return &keys, nil
}
