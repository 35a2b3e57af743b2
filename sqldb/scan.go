package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/koodrive/koodrive"
)

const deptColumns = `d.id, d.org_id, coalesce(d.parent_id, 0), d.name, d.path, d.level, d.created_at, d.updated_at`

// deptDest returns where deptColumns scan into, and what finishes d after.
func deptDest(d *koodrive.Department) ([]any, func()) {
	var created, updated int64
	return []any{&d.ID, &d.OrgID, &d.ParentID, &d.Name, &d.Path, &d.Level, &created, &updated}, func() {
		d.CreatedAt, d.UpdatedAt = fromMillis(created), fromMillis(updated)
	}
}

func scanDepartment(row interface{ Scan(...any) error }) (*koodrive.Department, error) {
	var d koodrive.Department
	dest, done := deptDest(&d)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	done()
	return &d, nil
}

// findDepartment returns the department with id, or ENOTFOUND naming field.
func findDepartment(ctx context.Context, tx *Tx, field string, id koodrive.ID) (*koodrive.Department, error) {
	d, err := scanDepartment(tx.QueryRowContext(ctx, `SELECT `+deptColumns+` FROM departments d WHERE d.id = $1`, int64(id)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, koodrive.NewError(koodrive.ENOTFOUND, field, koodrive.MsgDeptNotFound, koodrive.Params{"ID": id.String()})
	}
	if err != nil {
		return nil, fmt.Errorf("find department %d: %w", id, err)
	}
	return d, nil
}

// queryDepartments runs a query selecting deptColumns.
func queryDepartments(ctx context.Context, tx *Tx, query string, args ...any) ([]*koodrive.Department, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*koodrive.Department
	for rows.Next() {
		d, err := scanDepartment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

const userColumns = `u.id, u.org_id, u.user_id, u.name, coalesce(u.mobile, ''), coalesce(u.email, ''), u.dept_id, d.name, u.role, u.status, u.created_at, u.updated_at`

// userFrom joins a user to its department, for userColumns.
const userFrom = ` FROM users u JOIN departments d ON d.id = u.dept_id`

// userDest returns where userColumns scan into, and what finishes u after.
func userDest(u *koodrive.User) ([]any, func()) {
	var created, updated int64
	return []any{&u.ID, &u.OrgID, &u.UserID, &u.Name, &u.Mobile, &u.Email, &u.DeptID, &u.DeptName,
			&u.Role, &u.Status, &created, &updated}, func() {
			u.CreatedAt, u.UpdatedAt = fromMillis(created), fromMillis(updated)
		}
}

func scanUser(row interface{ Scan(...any) error }) (*koodrive.User, error) {
	var u koodrive.User
	dest, done := userDest(&u)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	done()
	return &u, nil
}

// placeholders returns "$from, $from+1, ..." for n arguments.
func placeholders(from, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('$')
		b.WriteString(strconv.Itoa(from + i))
	}
	return b.String()
}

// nullString stores "" as NULL, so that unique indexes ignore absent values.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}
