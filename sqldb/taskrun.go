package sqldb

import (
	"context"
	"fmt"
	"time"

	"github.com/koodrive/koodrive"
)

// runBatch imports a task's next batch of rows in one transaction, which
// also records the task's progress, so that a batch is done exactly once
// whatever stops the server. It reports whether the task has ended.
func (s *ImportService) runBatch(ctx context.Context, id koodrive.ID) (ended bool, err error) {
	err = s.db.write(ctx, func(tx *Tx) error {
		if err := tx.d.lockOrg(ctx, tx); err != nil {
			return err
		}
		var holder string
		t, err := scanTask(tx.QueryRowContext(ctx, `SELECT `+taskColumns+`, claimed_by FROM tasks WHERE id = $1`+tx.d.forUpdate, int64(id)), &holder)
		if err != nil {
			return fmt.Errorf("read task %d: %w", id, err)
		}
		if t.Status != koodrive.TaskNew && t.Status != koodrive.TaskExecuting || holder != s.db.instance {
			// Ended, or taken over by another instance after this one's
			// lease ran out: either way, not this instance's to run.
			ended = true
			return nil
		}
		// Renew the lease, and start the task if this is its first batch.
		if _, err := tx.ExecContext(ctx, `
			UPDATE tasks SET lease_until = $1, status = $2, started_at = CASE WHEN status = $3 THEN $4 ELSE started_at END WHERE id = $5`,
			millis(tx.now.Add(s.taskLease())), koodrive.TaskExecuting, koodrive.TaskNew, millis(tx.now), int64(id)); err != nil {
			return fmt.Errorf("renew task %d: %w", id, err)
		}
		if t.Cancel {
			ended = true
			return endTask(ctx, tx, s.db, t, koodrive.TaskCancelled, nil)
		}
		rows, err := queryImportRows(ctx, tx, `SELECT `+importRowColumns+` FROM import_rows
			WHERE upload_id = $1 AND row_no > $2 ORDER BY row_no LIMIT $3`, int64(t.UploadID), t.Done, rowChunk)
		if err != nil {
			return fmt.Errorf("read rows of task %d: %w", id, err)
		}
		if len(rows) == 0 {
			ended = true
			return endTask(ctx, tx, s.db, t, koodrive.TaskSucceeded, nil)
		}
		// The rules are checked again against the organization as it is
		// now, with the rights its creator has now.
		v, org, err := taskVerifier(ctx, tx, t)
		if err != nil {
			if koodrive.ErrorKind(err) == koodrive.EINTERNAL {
				return err
			}
			ended = true
			return failTask(ctx, tx, s.db, t, err)
		}
		var pending []*storedRow
		for _, r := range rows {
			if r.verdict == koodrive.VerifyPass {
				pending = append(pending, r)
			}
		}
		facts, err := rowFacts(ctx, tx, t.UploadID, pending, t.Mode == koodrive.ImportUpdate, t.Mode == koodrive.ImportSkip)
		if err != nil {
			return err
		}
		var newUsers, allocated int64
		var creates []newUser
		for i, r := range pending {
			vr := v.Verify(r.row, facts[i])
			if vr.Result.IsSuccess == koodrive.VerifyFail {
				r.verdict, r.result = koodrive.VerifyFail, vr.Result
				continue
			}
			if vr.Action == koodrive.ActionCreate {
				// Created together after the loop, in one statement.
				creates = append(creates, s.newUser(tx, org, vr, r))
				continue
			}
			var users, gb int64
			err, broken := inSavepoint(ctx, tx, func() (err error) {
				users, gb, err = s.apply(ctx, tx, t, org, vr, facts[i], r)
				return err
			})
			if broken != nil {
				return broken
			}
			if koodrive.ErrorKind(err) == koodrive.ECONFLICT {
				// Taken between the check and the write: the row fails,
				// not the batch, its writes undone by the savepoint.
				e := koodrive.AsError(err)
				r.verdict, r.result = koodrive.VerifyFail, koodrive.VerifyResult{IsSuccess: koodrive.VerifyFail, Kind: e.Kind,
					Reasons: []koodrive.Message{e.Message}}
				r.outcome, r.userRef = koodrive.OutcomePending, 0
				continue
			}
			if err != nil {
				return err
			}
			newUsers, allocated = newUsers+users, allocated+gb
		}
		users, gb, err := s.createUsers(ctx, tx, t, org, creates)
		if err != nil {
			return err
		}
		newUsers, allocated = newUsers+users, allocated+gb
		for _, r := range rows {
			switch {
			case r.verdict == koodrive.VerifyFail:
				r.outcome = koodrive.OutcomeFailed
				t.Failed++
			case r.outcome == koodrive.OutcomeCreated:
				t.Created++
			case r.outcome == koodrive.OutcomeUpdated:
				t.Updated++
			case r.outcome == koodrive.OutcomeSkipped:
				t.Skipped++
			}
		}
		if newUsers > 0 {
			if err := countUsers(ctx, tx, org.ID, newUsers); err != nil {
				return err
			}
		}
		if allocated != 0 {
			if err := allocate(ctx, tx, org.ID, allocated); err != nil {
				return err
			}
		}
		if err := saveRowResults(ctx, tx, t.UploadID, rows, true); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE tasks SET done = $1, created = $2, updated = $3, skipped = $4, failed = $5 WHERE id = $6`,
			rows[len(rows)-1].number, t.Created, t.Updated, t.Skipped, t.Failed, int64(id))
		return err
	})
	return ended, err
}

// taskVerifier prepares the verification of a task's batch: its creator's
// rights and the organization as they are now.
func taskVerifier(ctx context.Context, tx *Tx, t *koodrive.Task) (*koodrive.Verifier, *koodrive.Organization, error) {
	a, err := findActor(ctx, tx, t.CreatedBy)
	if err != nil {
		return nil, nil, err
	}
	var curDept koodrive.ID
	if err := tx.QueryRowContext(ctx, `SELECT cur_dept_id FROM import_uploads WHERE id = $1`, int64(t.UploadID)).Scan(&curDept); err != nil {
		return nil, nil, fmt.Errorf("read upload of task %d: %w", t.ID, err)
	}
	tree, org, err := verifyScope(ctx, tx, *a, curDept)
	if err != nil {
		return nil, nil, err
	}
	return koodrive.NewVerifier(tree, org, koodrive.VerifyOptions{Mode: t.Mode, Actor: a}), org, nil
}

// apply carries out a verified row other than a create: it updates the
// existing user or leaves it. It returns the GB allocated, which the caller
// adds to the organization's totals once for the batch.
func (s *ImportService) apply(ctx context.Context, tx *Tx, t *koodrive.Task, org *koodrive.Organization, vr koodrive.VerifiedRow,
	f koodrive.Facts, r *storedRow) (users, gb int64, err error) {
	row := vr.Row
	switch vr.Action {
	case koodrive.ActionSkip:
		r.outcome, r.userRef = koodrive.OutcomeSkipped, f.UserOwner
		return 0, 0, nil
	}
	// An update changes what the row's cells say; empty cells keep what is.
	u := f.Existing
	if row.TargetDeptName != "" {
		u.DeptID = vr.Dept.ID
	}
	if row.Role != "" && vr.Role != u.Role {
		if u.Role == koodrive.RoleSystemAdmin {
			if err := keepOneAdmin(ctx, tx, u.ID); err != nil {
				r.verdict, r.result = koodrive.VerifyFail, koodrive.VerifyResult{IsSuccess: koodrive.VerifyFail, Kind: koodrive.EINVALID,
					Reasons: []koodrive.Message{koodrive.AsError(err).Message}}
				return 0, 0, nil
			}
		}
		u.Role = vr.Role
	}
	for _, c := range []struct {
		dst *string
		src string
	}{{&u.Name, row.Name}, {&u.Mobile, row.Mobile}, {&u.Email, row.Email}} {
		if c.src != "" {
			*c.dst = c.src
		}
	}
	if _, err := tx.ExecContext(ctx, `
		UPDATE users SET dept_id = $1, role = $2, name = $3, name_key = $4, mobile = $5, email = $6, email_key = $7, updated_at = $8
		WHERE id = $9`,
		int64(u.DeptID), u.Role, u.Name, koodrive.FoldKey(u.Name), nullString(u.Mobile), nullString(u.Email),
		nullString(koodrive.FoldKey(u.Email)), millis(tx.now), int64(u.ID)); err != nil {
		if taken := takenError(err, u); taken != nil {
			return 0, 0, taken
		}
		return 0, 0, fmt.Errorf("update imported user %d: %w", u.ID, err)
	}
	r.outcome, r.userRef = koodrive.OutcomeUpdated, u.ID
	if !vr.Allocate {
		return 0, 0, nil
	}
	if sp := f.ExistingSpace; sp != nil {
		if err := resizeSpace(ctx, tx, sp.ContainerID, vr.CapacityGB, t.CreatedBy); err != nil {
			return 0, 0, fmt.Errorf("resize space of %d: %w", u.ID, err)
		}
		return 0, vr.CapacityGB - sp.CapacityGB, nil
	}
	if err := insertPersonalSpace(ctx, s.db, tx, org.ID, u.ID, vr.CapacityGB, t.CreatedBy); err != nil {
		return 0, 0, err
	}
	return 0, vr.CapacityGB, nil
}

// newUser is a row's user to be created with the rest of its batch.
type newUser struct {
	user *koodrive.User
	row  *storedRow
	vr   koodrive.VerifiedRow
}

func (s *ImportService) newUser(tx *Tx, org *koodrive.Organization, vr koodrive.VerifiedRow, r *storedRow) newUser {
	row := vr.Row
	return newUser{row: r, vr: vr, user: &koodrive.User{
		ID: s.db.ids.next(), OrgID: org.ID, UserID: row.UserID, Name: row.Name, Mobile: row.Mobile, Email: row.Email,
		DeptID: vr.Dept.ID, Role: vr.Role, Status: koodrive.StatusNotActivated, CreatedAt: tx.now, UpdatedAt: tx.now,
	}}
}

// createUsers inserts a batch's new users, then the personal spaces of
// those that get one, a statement each. It returns the users created and
// the GB allocated, for the organization's totals.
func (s *ImportService) createUsers(ctx context.Context, tx *Tx, t *koodrive.Task, org *koodrive.Organization, batch []newUser) (users, gb int64, err error) {
	if len(batch) == 0 {
		return 0, 0, nil
	}
	values := make([][]any, len(batch))
	for i, n := range batch {
		values[i] = userValues(n.user)
	}
	// An identity taken since the check (none should be: the batch holds
	// the organization's lock) skips its row rather than failing the
	// statement, which on PostgreSQL would end the whole transaction.
	inserted := make(map[koodrive.ID]bool, len(batch))
	if err := inChunks(tx.d, len(values), func(lo, hi int) error {
		query, args := insertQuery(tx.d, "users", userInsertColumns, values[lo:hi], " ON CONFLICT DO NOTHING RETURNING id")
		return queryIDs(ctx, tx, inserted, query, args...)
	}); err != nil {
		return 0, 0, fmt.Errorf("insert %d imported users: %w", len(batch), err)
	}
	var spaces [][]any
	for _, n := range batch {
		if !inserted[n.user.ID] {
			e := koodrive.AsError(takenBy(ctx, tx, n.user))
			n.row.verdict, n.row.result = koodrive.VerifyFail, koodrive.VerifyResult{IsSuccess: koodrive.VerifyFail, Kind: e.Kind,
				Reasons: []koodrive.Message{e.Message}}
			continue
		}
		n.row.outcome, n.row.userRef = koodrive.OutcomeCreated, n.user.ID
		users++
		if n.vr.Allocate {
			spaces = append(spaces, personalSpaceValues(s.db, org.ID, n.user.ID, n.vr.CapacityGB, t.CreatedBy, tx.now))
			gb += n.vr.CapacityGB
		}
	}
	return users, gb, bulkInsert(ctx, tx, "spaces", personalSpaceColumns, spaces, "")
}

// queryIDs runs a query that returns IDs and adds them to ids.
func queryIDs(ctx context.Context, tx *Tx, ids map[koodrive.ID]bool, query string, args ...any) error {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id koodrive.ID
		if err := rows.Scan(&id); err != nil {
			return err
		}
		ids[id] = true
	}
	return rows.Err()
}

// takenBy returns the ECONFLICT error naming which of u's identities an
// existing user holds.
func takenBy(ctx context.Context, tx *Tx, u *koodrive.User) error {
	var field string
	err := tx.QueryRowContext(ctx, `
		SELECT CASE WHEN user_key = $1 THEN 'userId' WHEN email_key = $2 THEN 'email' ELSE 'mobile' END
		FROM users WHERE user_key = $1 OR email_key = $2 OR mobile = $3 LIMIT 1`,
		koodrive.FoldKey(u.UserID), nullString(koodrive.FoldKey(u.Email)), nullString(u.Mobile)).Scan(&field)
	if err != nil {
		field = "userId"
	}
	value := map[string]string{"userId": u.UserID, "email": u.Email, "mobile": u.Mobile}[field]
	return koodrive.NewError(koodrive.ECONFLICT, field, koodrive.MsgValueTaken, koodrive.Params{"Value": value})
}

var personalSpaceColumns = []string{"id", "container_id", "org_id", "type", "user_id", "capacity_gb", "allocated",
	"created_by", "updated_by", "created_at", "updated_at"}

// personalSpaceValues are the values of personalSpaceColumns of a new
// personal space; the caller accounts for its capacity in the totals.
func personalSpaceValues(db *DB, orgID, userID koodrive.ID, capacity int64, by koodrive.ID, now time.Time) []any {
	return []any{int64(db.ids.next()), randomHex(20), int64(orgID), koodrive.SpacePersonal, int64(userID), capacity, 1,
		int64(by), int64(by), millis(now), millis(now)}
}

// insertPersonalSpace gives a user a personal space.
func insertPersonalSpace(ctx context.Context, db *DB, tx *Tx, orgID, userID koodrive.ID, capacity int64, by koodrive.ID) error {
	return bulkInsert(ctx, tx, "spaces", personalSpaceColumns, [][]any{personalSpaceValues(db, orgID, userID, capacity, by, tx.now)}, "")
}

// resizeSpace gives a space capacity GB; the caller accounts for the
// change in the totals.
func resizeSpace(ctx context.Context, tx *Tx, containerID string, capacity int64, by koodrive.ID) error {
	_, err := tx.ExecContext(ctx, `UPDATE spaces SET capacity_gb = $1, allocated = 1, updated_by = $2, updated_at = $3 WHERE container_id = $4`,
		capacity, int64(by), millis(tx.now), containerID)
	return err
}

// failTask ends a task that can no longer run (its creator lost the right,
// its department is gone): the rows not done fail with the reason.
func failTask(ctx context.Context, tx *Tx, db *DB, t *koodrive.Task, cause error) error {
	e := koodrive.AsError(cause)
	reasons, err := encodeJSON(koodrive.VerifyResult{Kind: e.Kind, Reasons: []koodrive.Message{e.Message}})
	if err != nil {
		return err
	}
	// Rows that were to be imported fail with the task's reason; rows that
	// had failed already keep their own.
	for _, q := range []struct {
		query string
		args  []any
	}{
		{`UPDATE import_rows SET verdict = 1, reasons = $1, outcome = $2 WHERE upload_id = $3 AND row_no > $4 AND verdict = 0`,
			[]any{reasons, koodrive.OutcomeFailed, int64(t.UploadID), t.Done}},
		{`UPDATE import_rows SET outcome = $1 WHERE upload_id = $2 AND row_no > $3 AND verdict = 1 AND outcome <> $1`,
			[]any{koodrive.OutcomeFailed, int64(t.UploadID), t.Done}},
	} {
		res, err := tx.ExecContext(ctx, q.query, q.args...)
		if err != nil {
			return fmt.Errorf("fail task %d: %w", t.ID, err)
		}
		n, _ := res.RowsAffected()
		t.Failed += int(n)
	}
	t.Done = t.Total
	if _, err := tx.ExecContext(ctx, `UPDATE tasks SET done = $1, failed = $2 WHERE id = $3`, t.Done, t.Failed, int64(t.ID)); err != nil {
		return fmt.Errorf("fail task %d: %w", t.ID, err)
	}
	return endTask(ctx, tx, db, t, koodrive.TaskFailed, cause)
}

// endTask records a task's end and audits it, as its creator's act.
func endTask(ctx context.Context, tx *Tx, db *DB, t *koodrive.Task, status koodrive.TaskStatus, cause error) error {
	if _, err := tx.ExecContext(ctx, `UPDATE tasks SET status = $1, ended_at = $2 WHERE id = $3`, status, millis(tx.now), int64(t.ID)); err != nil {
		return fmt.Errorf("end task %d: %w", t.ID, err)
	}
	a := koodrive.Actor{ID: t.CreatedBy}
	var userID string
	if err := tx.QueryRowContext(ctx, `SELECT user_id FROM users WHERE id = $1`, int64(t.CreatedBy)).Scan(&userID); err == nil {
		a.UserID = userID
	}
	return insertAudit(ctx, tx, db.ids.next(), a, &mutation{op: koodrive.AuditImportUsers, resource: "task/" + t.ID.String()}, cause)
}
