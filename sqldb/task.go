package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/koodrive/koodrive"
)

const taskColumns = `id, type, org_id, created_by, upload_id, status, mode, total, done, created, updated, skipped, failed,
	created_at, started_at, ended_at, cancel`

// scanTask reads taskColumns, and the extra columns after them into extra.
func scanTask(row interface{ Scan(...any) error }, extra ...any) (*koodrive.Task, error) {
	var t koodrive.Task
	var created, started, ended int64
	if err := row.Scan(append([]any{&t.ID, &t.Type, &t.OrgID, &t.CreatedBy, &t.UploadID, &t.Status, &t.Mode, &t.Total, &t.Done, &t.Created,
		&t.Updated, &t.Skipped, &t.Failed, &created, &started, &ended, &t.Cancel}, extra...)...); err != nil {
		return nil, err
	}
	t.CreatedAt = fromMillis(created)
	if started != 0 {
		t.StartedAt = fromMillis(started)
	}
	if ended != 0 {
		t.EndedAt = fromMillis(ended)
	}
	return &t, nil
}

// findTask returns a task the actor may see: its own, or any for a system
// administrator.
func findTask(ctx context.Context, tx *Tx, a koodrive.Actor, id koodrive.ID) (*koodrive.Task, error) {
	t, err := scanTask(tx.QueryRowContext(ctx, `SELECT `+taskColumns+` FROM tasks WHERE id = $1`, int64(id)))
	if errors.Is(err, sql.ErrNoRows) || err == nil && t.CreatedBy != a.ID && a.Role != koodrive.RoleSystemAdmin {
		return nil, koodrive.NewError(koodrive.ENOTFOUND, "taskId", koodrive.MsgTaskNotFound, koodrive.Params{"ID": id.String()})
	}
	if err != nil {
		return nil, fmt.Errorf("find task %d: %w", id, err)
	}
	return t, nil
}

// StartImport turns a verified upload into a task and wakes the runner.
func (s *ImportService) StartImport(ctx context.Context, a koodrive.Actor, uploadID koodrive.ID) (*koodrive.Task, error) {
	var t *koodrive.Task
	err := s.db.mutate(ctx, a, koodrive.AuditStartImport, "upload/"+uploadID.String(), func(tx *Tx, m *mutation) error {
		up, err := findUpload(ctx, tx, a, uploadID)
		if err != nil {
			return err
		}
		if up.TaskID != 0 {
			return koodrive.NewError(koodrive.ECONFLICT, "resultId", koodrive.MsgImportStarted, koodrive.Params{"Task": up.TaskID.String()})
		}
		org, err := findOrganization(ctx, tx)
		if err != nil {
			return err
		}
		t = &koodrive.Task{ID: s.db.ids.next(), Type: koodrive.TaskImport, OrgID: org.ID, CreatedBy: a.ID, UploadID: up.ID,
			Status: koodrive.TaskNew, Mode: up.Mode, Total: up.Rows, CreatedAt: tx.now}
		m.resource = "task/" + t.ID.String()
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO tasks (id, org_id, type, created_by, upload_id, mode, status, total, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			int64(t.ID), int64(t.OrgID), t.Type, int64(a.ID), int64(up.ID), string(up.Mode), t.Status, t.Total, millis(tx.now)); err != nil {
			return fmt.Errorf("create task: %w", err)
		}
		_, err = tx.ExecContext(ctx, `UPDATE import_uploads SET task_id = $1 WHERE id = $2`, int64(t.ID), int64(up.ID))
		return err
	})
	if err != nil {
		return nil, err
	}
	select {
	case s.wake <- struct{}{}:
	default:
	}
	return t, nil
}

// FindTask returns a task.
func (s *ImportService) FindTask(ctx context.Context, a koodrive.Actor, id koodrive.ID) (*koodrive.Task, error) {
	var t *koodrive.Task
	err := s.db.read(ctx, func(tx *Tx) (err error) {
		t, err = findTask(ctx, tx, a, id)
		return err
	})
	return t, err
}

// FindTasks lists tasks, newest first.
func (s *ImportService) FindTasks(ctx context.Context, a koodrive.Actor, f koodrive.TaskFilter) ([]*koodrive.Task, koodrive.ID, error) {
	if f.PageSize == 0 {
		f.PageSize = koodrive.MaxPageSize
	}
	if f.PageSize < 1 || f.PageSize > koodrive.MaxPageSize {
		return nil, 0, koodrive.Invalid("pageSize", koodrive.MsgIntRange, koodrive.Params{"Min": 1, "Max": koodrive.MaxPageSize})
	}
	where, args := "1 = 1", []any{}
	add := func(cond string, v any) {
		args = append(args, v)
		where += fmt.Sprintf(" AND "+cond, len(args))
	}
	if a.Role != koodrive.RoleSystemAdmin {
		add("created_by = $%d", int64(a.ID))
	}
	if f.Type != 0 {
		add("type = $%d", f.Type)
	}
	if len(f.Statuses) > 0 {
		add("status IN ("+s.db.d.ints("$%d")+")", jsonList(f.Statuses))
	}
	if f.Cursor != 0 {
		add("id < $%d", int64(f.Cursor))
	}
	args = append(args, f.PageSize+1)
	var out []*koodrive.Task
	err := s.db.read(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+taskColumns+` FROM tasks WHERE `+where+fmt.Sprintf(` ORDER BY id DESC LIMIT $%d`, len(args)), args...)
		if err != nil {
			return fmt.Errorf("list tasks: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			t, err := scanTask(rows)
			if err != nil {
				return fmt.Errorf("list tasks: %w", err)
			}
			out = append(out, t)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, 0, err
	}
	var next koodrive.ID
	if len(out) > f.PageSize {
		out = out[:f.PageSize]
		next = out[len(out)-1].ID
	}
	return out, next, nil
}

// jsonInts encodes numbers as a JSON array, a list bound to one parameter.

// TaskRows returns a page of a task's rows with their outcomes.
func (s *ImportService) TaskRows(ctx context.Context, a koodrive.Actor, id koodrive.ID, failedOnly bool, offset, limit int) ([]koodrive.RowResult, int, error) {
	return s.pageRows(ctx, a, 0, id, failedOnly, fmt.Sprintf(`outcome = %d`, koodrive.OutcomeFailed), offset, limit)
}

// CancelTask asks a task to stop after its current batch.
func (s *ImportService) CancelTask(ctx context.Context, a koodrive.Actor, id koodrive.ID) error {
	return s.db.mutate(ctx, a, koodrive.AuditCancelImport, "task/"+id.String(), func(tx *Tx, _ *mutation) error {
		t, err := findTask(ctx, tx, a, id)
		if err != nil {
			return err
		}
		switch t.Status {
		case koodrive.TaskNew:
			_, err = tx.ExecContext(ctx, `UPDATE tasks SET status = $1, cancel = 1, ended_at = $2 WHERE id = $3`,
				koodrive.TaskCancelled, millis(tx.now), int64(id))
		case koodrive.TaskExecuting:
			_, err = tx.ExecContext(ctx, `UPDATE tasks SET cancel = 1 WHERE id = $1`, int64(id))
		default:
			return koodrive.NewError(koodrive.ECONFLICT, "taskId", koodrive.MsgTaskEnded, koodrive.Params{"Status": int(t.Status)})
		}
		return err
	})
}

// RunTasks runs import tasks until ctx ends: those waiting when it starts,
// including any a stopped server left executing, and each started later.
// A batch that fails is retried after a pause; report hears of it.
func (s *ImportService) RunTasks(ctx context.Context, poll time.Duration, report func(error)) {
	var failing koodrive.ID // the task whose batches keep failing
	strikes := 0
	for ctx.Err() == nil {
		id, err := s.nextTask(ctx)
		if err == nil && id != 0 {
			err = s.runTask(ctx, id)
		}
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			report(err)
			cause := err
			if id != failing {
				failing, strikes = id, 0
			}
			// A task that fails again and again would hold up every task
			// behind it: it ends, failed, and the next one runs.
			if strikes++; strikes >= maxStrikes && id != 0 {
				if err := s.db.write(ctx, func(tx *Tx) error {
					t, err := scanTask(tx.QueryRowContext(ctx, `SELECT `+taskColumns+` FROM tasks WHERE id = $1`, int64(id)))
					if err != nil {
						return err
					}
					return failTask(ctx, tx, s.db, t, koodrive.Internal(cause))
				}); err != nil {
					report(err)
				}
				strikes = 0
			}
			sleep(ctx, poll)
		case id == 0:
			select {
			case <-ctx.Done():
			case <-s.wake:
			case <-time.After(poll):
			}
		}
	}
}

// RunBatch claims the oldest task this instance may run and imports its
// next batch, as RunTasks does again and again; it reports whether there
// was a task. It lets a caller step through a task a batch at a time.
func (s *ImportService) RunBatch(ctx context.Context) (bool, error) {
	id, err := s.nextTask(ctx)
	if err != nil || id == 0 {
		return false, err
	}
	_, err = s.runBatch(ctx, id)
	return true, err
}

// maxStrikes is how many times in a row a task's batch may fail before
// the task is given up.
const maxStrikes = 5

func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

// nextTask claims the oldest task that is waiting or executing and that no
// live instance holds (its lease has run out, or it is this instance's);
// 0 if there is none.
func (s *ImportService) nextTask(ctx context.Context) (koodrive.ID, error) {
	var id koodrive.ID
	err := s.db.write(ctx, func(tx *Tx) error {
		now := millis(tx.now)
		if !tx.d.leases {
			now = math.MaxInt64 // every lease has run out
		}
		err := tx.QueryRowContext(ctx, `
			SELECT id FROM tasks WHERE status IN ($1, $2) AND (claimed_by = '' OR claimed_by = $3 OR lease_until < $4)
			ORDER BY id LIMIT 1`+tx.d.skipLocked,
			koodrive.TaskNew, koodrive.TaskExecuting, s.db.instance, now).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("claim a task: %w", err)
		}
		_, err = tx.ExecContext(ctx, `UPDATE tasks SET claimed_by = $1, lease_until = $2 WHERE id = $3`,
			s.db.instance, millis(tx.now.Add(s.taskLease())), int64(id))
		return err
	})
	return id, err
}

// runTask runs a task's batches until it ends.
func (s *ImportService) runTask(ctx context.Context, id koodrive.ID) error {
	for {
		ended, err := s.runBatch(ctx, id)
		if err != nil || ended {
			return err
		}
	}
}
