package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"

	"github.com/koodrive/koodrive"
)

// UploadImport stores the rows of a file as they are read, a batch at a
// time, and then verifies them all.
func (s *ImportService) UploadImport(ctx context.Context, a koodrive.Actor, in koodrive.UploadCreate, src koodrive.RowSource) (*koodrive.Upload, error) {
	mode, err := koodrive.ParseImportMode(string(in.Mode))
	if err != nil {
		return nil, err
	}
	up := &koodrive.Upload{ID: s.db.ids.next(), Mode: mode, FileName: in.FileName, CreatedBy: a.ID}
	if err := s.createUpload(ctx, a, up, in.CurDeptID); err != nil {
		return nil, err
	}
	if err := s.storeRows(ctx, up, src); err != nil {
		s.discard(ctx, up.ID)
		return nil, err
	}
	if up.Rows > rowChunk {
		if err := s.db.write(ctx, func(tx *Tx) error { return tx.d.analyze(ctx, tx, "import_rows") }); err != nil {
			s.discard(ctx, up.ID)
			return nil, err
		}
	}
	if err := s.verifyUpload(ctx, a, up); err != nil {
		s.discard(ctx, up.ID)
		return nil, err
	}
	return up, nil
}

func (s *ImportService) createUpload(ctx context.Context, a koodrive.Actor, up *koodrive.Upload, curDeptID koodrive.ID) error {
	return s.db.write(ctx, func(tx *Tx) (err error) {
		if curDeptID == 0 {
			if curDeptID, err = s.db.rootID(ctx, tx); err != nil {
				return err
			}
		}
		dept, err := findDepartment(ctx, tx, "curDeptId", curDeptID)
		if err != nil {
			return err
		}
		if err := a.Authorize(koodrive.OpManageUsers, "curDeptId", dept); err != nil {
			return err
		}
		up.CurDeptID, up.CreatedAt = dept.ID, tx.now
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO import_uploads (id, org_id, cur_dept_id, mode, file_name, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			int64(up.ID), int64(dept.OrgID), int64(dept.ID), string(up.Mode), up.FileName, int64(a.ID), millis(tx.now)); err != nil {
			return fmt.Errorf("create upload: %w", err)
		}
		return nil
	})
}

// discard removes an upload that could not be read or verified.
func (s *ImportService) discard(ctx context.Context, id koodrive.ID) {
	ctx = context.WithoutCancel(ctx)
	s.db.write(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM import_uploads WHERE id = $1`, int64(id))
		return err
	})
}

// storeRows reads src to its end, writing each batch of rows in its own
// transaction so that a large file never holds the write lock for long.
func (s *ImportService) storeRows(ctx context.Context, up *koodrive.Upload, src koodrive.RowSource) error {
	batch := make([]koodrive.ImportRow, 0, rowChunk)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		values := make([][]any, len(batch))
		for i, r := range batch {
			up.Rows++
			if r.Line == 0 {
				r.Line = up.Rows
			}
			user, email, mobile := r.Keys()
			var allocate any
			if r.IsAllocateCapacity != nil {
				allocate = boolInt(*r.IsAllocateCapacity)
			}
			problems, err := encodeJSON(r.Problems)
			if err != nil {
				return err
			}
			values[i] = []any{int64(up.ID), up.Rows, r.Line, r.UserID, nullString(user), r.Name, r.Mobile,
				nullString(mobile), r.Email, nullString(email), r.TargetDeptName, r.PersonalCapacity, allocate, r.Role, problems}
		}
		batch = batch[:0]
		return s.db.write(ctx, func(tx *Tx) error {
			return bulkInsert(ctx, tx, "import_rows", importRowInsertColumns, values, "")
		})
	}
	for {
		r, err := src.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		if up.Rows+len(batch) >= koodrive.MaxFileRows {
			return koodrive.Invalid("file", koodrive.MsgFileTooManyRows, koodrive.Params{"Max": koodrive.MaxFileRows})
		}
		if batch = append(batch, r); len(batch) == rowChunk {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	if up.Rows == 0 {
		return koodrive.Invalid("file", koodrive.MsgRowCount, koodrive.Params{"Max": koodrive.MaxFileRows, "Count": 0})
	}
	return nil
}

var importRowInsertColumns = []string{"upload_id", "row_no", "line", "user_id", "user_key", "name", "mobile", "mobile_key",
	"email", "email_key", "department", "capacity", "allocate", "role", "problems"}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// verifyUpload runs the rules over an upload's rows in file order, a chunk
// at a time, against the organization as it was when the pass began.
func (s *ImportService) verifyUpload(ctx context.Context, a koodrive.Actor, up *koodrive.Upload) error {
	var v *koodrive.Verifier
	err := s.db.read(ctx, func(tx *Tx) error {
		tree, org, err := verifyScope(ctx, tx, a, up.CurDeptID)
		if err != nil {
			return err
		}
		v = koodrive.NewVerifier(tree, org, koodrive.VerifyOptions{Mode: up.Mode, Actor: &a})
		return nil
	})
	if err != nil {
		return err
	}
	for lo := 1; lo <= up.Rows; lo += rowChunk {
		var chunk []*storedRow
		var facts []koodrive.Facts
		err := s.db.read(ctx, func(tx *Tx) error {
			var err error
			if chunk, err = queryImportRows(ctx, tx, `SELECT `+importRowColumns+` FROM import_rows
				WHERE upload_id = $1 AND row_no >= $2 AND row_no < $3 ORDER BY row_no`, int64(up.ID), lo, lo+rowChunk); err != nil {
				return fmt.Errorf("read import rows: %w", err)
			}
			facts, err = rowFacts(ctx, tx, up.ID, chunk, up.Mode == koodrive.ImportUpdate, true)
			return err
		})
		if err != nil {
			return err
		}
		for i, r := range chunk {
			vr := v.Verify(r.row, facts[i])
			r.verdict, r.result = vr.Result.IsSuccess, vr.Result
			switch {
			case vr.Result.IsSuccess == koodrive.VerifyFail:
				up.Failed++
			case vr.Action == koodrive.ActionSkip:
				up.Skipped++
			default:
				up.Passed++
			}
		}
		// A stored row reads as passing until told otherwise: only the
		// failures need writing.
		var failed []*storedRow
		for _, r := range chunk {
			if r.verdict == koodrive.VerifyFail {
				failed = append(failed, r)
			}
		}
		if len(failed) > 0 {
			if err := s.db.write(ctx, func(tx *Tx) error { return saveRowResults(ctx, tx, up.ID, failed, false) }); err != nil {
				return err
			}
		}
	}
	return s.db.write(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE import_uploads SET rows = $1, passed = $2, skipped = $3, failed = $4, verified = 1 WHERE id = $5`,
			up.Rows, up.Passed, up.Skipped, up.Failed, int64(up.ID))
		return err
	})
}

// saveRowResults writes rows' verification results and, with outcomes,
// what became of them.
func saveRowResults(ctx context.Context, tx *Tx, uploadID koodrive.ID, rows []*storedRow, outcomes bool) error {
	return inChunks(tx.d, len(rows), func(lo, hi int) error {
		args := make([]any, 0, 5*(hi-lo)+1)
		for _, r := range rows[lo:hi] {
			reasons := ""
			if r.result.IsSuccess == koodrive.VerifyFail {
				stored := r.result
				stored.IsSuccess = 0 // kept in the verdict column
				var err error
				if reasons, err = encodeJSON(stored); err != nil {
					return err
				}
			}
			outcome := koodrive.OutcomePending
			if outcomes {
				outcome = r.outcome
			}
			args = append(args, r.number, r.verdict, reasons, int(outcome), int64(r.userRef))
		}
		args = append(args, int64(uploadID))
		// A VALUES list names its columns column1, column2... on both
		// engines.
		if _, err := tx.ExecContext(ctx, `
			UPDATE import_rows SET verdict = v.column2, reasons = v.column3, outcome = v.column4, user_ref = v.column5
			FROM (VALUES `+valueRows(tx.d, hi-lo, 1, []string{"INTEGER", "INTEGER", "TEXT", "INTEGER", "BIGINT"})+`) AS v
			WHERE import_rows.upload_id = `+tx.d.param(len(args))+` AND import_rows.row_no = v.column1`, args...); err != nil {
			return fmt.Errorf("save import results: %w", err)
		}
		return nil
	})
}

const uploadColumns = `id, cur_dept_id, mode, file_name, rows, passed, skipped, failed, created_by, created_at, coalesce(task_id, 0), verified`

// findUpload returns a verified upload the actor may see: its own, or any
// for a system administrator.
func findUpload(ctx context.Context, tx *Tx, a koodrive.Actor, id koodrive.ID) (*koodrive.Upload, error) {
	var up koodrive.Upload
	var created int64
	var verified bool
	err := tx.QueryRowContext(ctx, `SELECT `+uploadColumns+` FROM import_uploads WHERE id = $1`, int64(id)).Scan(
		&up.ID, &up.CurDeptID, &up.Mode, &up.FileName, &up.Rows, &up.Passed, &up.Skipped, &up.Failed, &up.CreatedBy, &created, &up.TaskID, &verified)
	if errors.Is(err, sql.ErrNoRows) || err == nil && (!verified || up.CreatedBy != a.ID && a.Role != koodrive.RoleSystemAdmin) {
		return nil, koodrive.NewError(koodrive.ENOTFOUND, "resultId", koodrive.MsgUploadNotFound, koodrive.Params{"ID": id.String()})
	}
	if err != nil {
		return nil, fmt.Errorf("find upload %d: %w", id, err)
	}
	up.CreatedAt = fromMillis(created)
	return &up, nil
}

// FindUpload returns an upload.
func (s *ImportService) FindUpload(ctx context.Context, a koodrive.Actor, id koodrive.ID) (*koodrive.Upload, error) {
	var up *koodrive.Upload
	err := s.db.read(ctx, func(tx *Tx) (err error) {
		up, err = findUpload(ctx, tx, a, id)
		return err
	})
	return up, err
}

// UploadRows returns a page of an upload's rows.
func (s *ImportService) UploadRows(ctx context.Context, a koodrive.Actor, id koodrive.ID, failedOnly bool, offset, limit int) ([]koodrive.RowResult, int, error) {
	return s.pageRows(ctx, a, id, 0, failedOnly, `verdict = 1`, offset, limit)
}

// pageRows reads a page of an upload's rows, those matching failed when
// failedOnly; exactly one of uploadID and taskID is set.
func (s *ImportService) pageRows(ctx context.Context, a koodrive.Actor, uploadID, taskID koodrive.ID, failedOnly bool, failed string, offset, limit int) ([]koodrive.RowResult, int, error) {
	if err := (&koodrive.UserFilter{Offset: offset, Limit: limit}).Validate(); err != nil {
		return nil, 0, err
	}
	var out []koodrive.RowResult
	var total int
	err := s.db.read(ctx, func(tx *Tx) error {
		if taskID != 0 {
			t, err := findTask(ctx, tx, a, taskID)
			if err != nil {
				return err
			}
			uploadID = t.UploadID
		} else if _, err := findUpload(ctx, tx, a, uploadID); err != nil {
			return err
		}
		where := `upload_id = $1`
		if failedOnly {
			where += ` AND ` + failed
		}
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM import_rows WHERE `+where, int64(uploadID)).Scan(&total); err != nil {
			return fmt.Errorf("count import rows: %w", err)
		}
		rows, err := queryImportRows(ctx, tx, `SELECT `+importRowColumns+` FROM import_rows WHERE `+where+` ORDER BY row_no LIMIT $2 OFFSET $3`,
			int64(uploadID), limit, offset)
		if err != nil {
			return fmt.Errorf("read import rows: %w", err)
		}
		for _, r := range rows {
			out = append(out, koodrive.RowResult{Row: r.row, Number: r.number, Outcome: r.outcome, Result: r.result, UserID: r.userRef})
		}
		return nil
	})
	return out, total, err
}
