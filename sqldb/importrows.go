package sqldb

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/koodrive/koodrive"
)

// rowChunk is how many import rows are read, verified or imported at once:
// the memory an import needs does not grow with its file.
const rowChunk = 500

// storedRow is an import row as the import_rows table holds it.
type storedRow struct {
	number  int
	row     koodrive.ImportRow
	keys    [3]string // user, email, mobile
	verdict int
	result  koodrive.VerifyResult
	outcome koodrive.Outcome
	userRef koodrive.ID
}

const importRowColumns = `row_no, line, user_id, name, mobile, email, department, capacity, allocate, role, problems,
	coalesce(user_key, ''), coalesce(email_key, ''), coalesce(mobile_key, ''), verdict, reasons, outcome, user_ref`

func scanImportRow(rows interface{ Scan(...any) error }) (*storedRow, error) {
	var r storedRow
	var allocate *int64
	var problems, reasons string
	if err := rows.Scan(&r.number, &r.row.Line, &r.row.UserID, &r.row.Name, &r.row.Mobile, &r.row.Email, &r.row.TargetDeptName,
		&r.row.PersonalCapacity, &allocate, &r.row.Role, &problems, &r.keys[0], &r.keys[1], &r.keys[2],
		&r.verdict, &reasons, &r.outcome, &r.userRef); err != nil {
		return nil, err
	}
	if allocate != nil {
		b := *allocate == 1
		r.row.IsAllocateCapacity = &b
	}
	if err := decodeJSON(problems, &r.row.Problems); err != nil {
		return nil, err
	}
	if err := decodeJSON(reasons, &r.result); err != nil {
		return nil, err
	}
	r.result.IsSuccess = r.verdict
	return &r, nil
}

// queryImportRows reads import rows; the query selects importRowColumns.
func queryImportRows(ctx context.Context, tx *Tx, query string, args ...any) ([]*storedRow, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*storedRow
	for rows.Next() {
		r, err := scanImportRow(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// encodeJSON stores a value as JSON text, "" for nothing.
func encodeJSON(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil || string(b) == "null" || string(b) == "[]" {
		return "", err
	}
	return string(b), nil
}

// decodeJSON reads what encodeJSON stored, keeping numbers as they were
// written (message parameters print as their digits, not as floats).
func decodeJSON(s string, v any) error {
	if s == "" {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("decode stored %T: %w", v, err)
	}
	return nil
}

// firstRows adds to first the row number and line of the first row of the
// upload holding each of keys in column.
func firstRows(ctx context.Context, tx *Tx, uploadID koodrive.ID, column string, keys []string, first map[string][2]int) error {
	rows, err := tx.QueryContext(ctx, `
		SELECT `+column+`, min(row_no), min(line) FROM import_rows
		WHERE upload_id = $1 AND `+column+` IN (`+tx.d.texts("$2")+`) GROUP BY `+column,
		int64(uploadID), jsonList(keys))
	if err != nil {
		return fmt.Errorf("find duplicates: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var key string
		var n, line int
		if err := rows.Scan(&key, &n, &line); err != nil {
			return fmt.Errorf("find duplicates: %w", err)
		}
		first[key] = [2]int{n, line}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("find duplicates: %w", err)
	}
	return nil
}

// rowFacts finds, for a chunk of an upload's rows, what the verification
// needs to know of their identities: earlier rows of the upload with the
// same values, and the users who hold them. In update mode it also loads
// the users that rows would change. Without dups it does not look for
// earlier rows: an upload's rows never change, so a row that passed its
// verification has none, and only a row skipped then (skip mode) may be
// verified again in full.
func rowFacts(ctx context.Context, tx *Tx, uploadID koodrive.ID, chunk []*storedRow, update, dups bool) ([]koodrive.Facts, error) {
	facts := make([]koodrive.Facts, len(chunk))
	columns := [3]struct{ upload, users string }{{"user_key", "user_key"}, {"email_key", "email_key"}, {"mobile_key", "mobile"}}
	for k, col := range columns {
		var keys []string
		for _, r := range chunk {
			if r.keys[k] != "" {
				keys = append(keys, r.keys[k])
			}
		}
		if len(keys) == 0 {
			continue
		}
		// The line of each value's first row: lines grow with row numbers.
		first := make(map[string][2]int) // key -> row number, line
		if dups {
			if err := firstRows(ctx, tx, uploadID, col.upload, keys, first); err != nil {
				return nil, err
			}
		}
		held, err := owners(ctx, tx, col.users, keys)
		if err != nil {
			return nil, err
		}
		for i, r := range chunk {
			key := r.keys[k]
			if key == "" {
				continue
			}
			dup := 0
			if f := first[key]; f[0] != 0 && f[0] < r.number {
				dup = f[1]
			}
			switch k {
			case 0:
				facts[i].DupUserID, facts[i].UserOwner = dup, held[key]
			case 1:
				facts[i].DupEmail, facts[i].EmailOwner = dup, held[key]
			case 2:
				facts[i].DupMobile, facts[i].MobileOwner = dup, held[key]
			}
		}
	}
	if update {
		if err := loadExisting(ctx, tx, facts); err != nil {
			return nil, err
		}
	}
	return facts, nil
}

// loadExisting fills in the users the rows would change, their departments
// and their personal spaces.
func loadExisting(ctx context.Context, tx *Tx, facts []koodrive.Facts) error {
	var ids []string
	for _, f := range facts {
		if f.UserOwner != 0 {
			ids = append(ids, f.UserOwner.String())
		}
	}
	if len(ids) == 0 {
		return nil
	}
	users := make(map[koodrive.ID]*koodrive.User)
	depts := make(map[koodrive.ID]*koodrive.Department)
	rows, err := tx.QueryContext(ctx, `SELECT `+userColumns+`, `+deptColumns+userFrom+` WHERE u.id IN (`+tx.d.ints("$1")+`)`, jsonList(ids))
	if err != nil {
		return fmt.Errorf("load users to update: %w", err)
	}
	for rows.Next() {
		var u koodrive.User
		var d koodrive.Department
		ud, userDone := userDest(&u)
		dd, deptDone := deptDest(&d)
		if err := rows.Scan(append(ud, dd...)...); err != nil {
			rows.Close()
			return fmt.Errorf("load users to update: %w", err)
		}
		userDone()
		deptDone()
		users[u.ID], depts[u.ID] = &u, &d
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load users to update: %w", err)
	}
	spaces := make(map[koodrive.ID]*koodrive.Space)
	srows, err := tx.QueryContext(ctx, `SELECT `+spaceColumns+` FROM spaces s WHERE s.user_id IN (`+tx.d.ints("$1")+`)`, jsonList(ids))
	if err != nil {
		return fmt.Errorf("load spaces to update: %w", err)
	}
	for srows.Next() {
		sp, err := scanSpace(srows)
		if err != nil {
			srows.Close()
			return fmt.Errorf("load spaces to update: %w", err)
		}
		spaces[sp.OwnerID] = sp
	}
	srows.Close()
	if err := srows.Err(); err != nil {
		return fmt.Errorf("load spaces to update: %w", err)
	}
	for i := range facts {
		if id := facts[i].UserOwner; id != 0 {
			facts[i].Existing, facts[i].ExistingDept, facts[i].ExistingSpace = users[id], depts[id], spaces[id]
		}
	}
	return nil
}
