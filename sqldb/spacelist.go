package sqldb

import (
	"context"
	"fmt"

	"github.com/koodrive/koodrive"
)

// FindUserSpaces lists users with their personal spaces.
func (s *SpaceService) FindUserSpaces(ctx context.Context, a koodrive.Actor, f koodrive.SpaceFilter) ([]koodrive.UserSpace, int, error) {
	if err := f.Validate(); err != nil {
		return nil, 0, err
	}
	if f.Status != nil && *f.Status != koodrive.SpaceNormal && *f.Status != koodrive.SpaceDisabled {
		return nil, 0, koodrive.Invalid("spaceStatus", koodrive.MsgStatusInvalid, koodrive.Params{"Values": "0, 1"})
	}
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	var extra []cond
	if f.Status != nil {
		extra = append(extra, cond{"s.status = %s", int(*f.Status)})
	}
	q, err := s.db.userQuery(ctx, tx, a, koodrive.OpReadSpaces, f.UserFilter, extra...)
	if err != nil {
		return nil, 0, err
	}
	var total int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users u LEFT JOIN spaces s ON s.user_id = u.id WHERE `+q.where, q.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count user spaces: %w", err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+userColumns+`, s.container_id IS NOT NULL, `+nullableSpaceColumns+
		` FROM users u JOIN departments d ON d.id = u.dept_id LEFT JOIN spaces s ON s.user_id = u.id WHERE `+q.where+q.page, q.pageArgs...)
	if err != nil {
		return nil, 0, fmt.Errorf("list user spaces: %w", err)
	}
	defer rows.Close()
	var out []koodrive.UserSpace
	for rows.Next() {
		var u koodrive.User
		var sp koodrive.Space
		var has bool
		ud, userDone := userDest(&u)
		sd, spaceDone := spaceDest(&sp)
		if err := rows.Scan(append(append(ud, &has), sd...)...); err != nil {
			return nil, 0, fmt.Errorf("list user spaces: %w", err)
		}
		userDone()
		us := koodrive.UserSpace{User: &u}
		if has {
			spaceDone()
			us.Space = &sp
		}
		out = append(out, us)
	}
	return out, total, rows.Err()
}

// nullableSpaceColumns are spaceColumns for a LEFT JOIN that may find none.
const nullableSpaceColumns = `coalesce(s.container_id, ''), coalesce(s.type, 0), coalesce(s.dept_id, s.user_id, 0), coalesce(s.org_id, 0),
	coalesce(s.capacity_gb, 0), coalesce(s.used_bytes, 0), coalesce(s.status, 0), coalesce(s.allocated, 0),
	coalesce(s.created_by, 0), coalesce(s.updated_by, 0), coalesce(s.created_at, 0), coalesce(s.updated_at, 0)`

// FindDepartmentSpaces lists departments with their team spaces.
func (s *SpaceService) FindDepartmentSpaces(ctx context.Context, a koodrive.Actor, keyWord string, offset, limit int) ([]koodrive.DepartmentSpace, int, error) {
	if err := (&koodrive.UserFilter{Offset: offset, Limit: limit}).Validate(); err != nil {
		return nil, 0, err
	}
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	root, err := s.db.rootID(ctx, tx)
	if err != nil {
		return nil, 0, err
	}
	home, err := findDepartment(ctx, tx, "deptId", a.HomeDepartment(koodrive.OpReadSpaces, root))
	if err != nil {
		return nil, 0, err
	}
	if err := a.Authorize(koodrive.OpReadSpaces, "deptId", home); err != nil {
		return nil, 0, err
	}
	lo, hi := koodrive.PathRange(home.Path)
	where, args := `d.path >= $1 AND d.path < $2`, []any{lo, hi}
	if keyWord != "" {
		args = append(args, likePattern(keyWord))
		where += ` AND d.name_key LIKE $3 ESCAPE '\'`
	}
	var total int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM departments d WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count department spaces: %w", err)
	}
	args = append(args, limit, offset)
	rows, err := tx.QueryContext(ctx, `
		SELECT `+deptColumns+`, `+spaceColumns+`, (SELECT count(*) FROM users u WHERE u.dept_id = d.id)
		FROM departments d JOIN spaces s ON s.dept_id = d.id
		WHERE `+where+fmt.Sprintf(` ORDER BY d.path LIMIT $%d OFFSET $%d`, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list department spaces: %w", err)
	}
	defer rows.Close()
	var out []koodrive.DepartmentSpace
	for rows.Next() {
		var d koodrive.Department
		var sp koodrive.Space
		ds := koodrive.DepartmentSpace{Department: &d, Space: &sp}
		dd, deptDone := deptDest(&d)
		sd, spaceDone := spaceDest(&sp)
		if err := rows.Scan(append(append(dd, sd...), &ds.UserCount)...); err != nil {
			return nil, 0, fmt.Errorf("list department spaces: %w", err)
		}
		deptDone()
		spaceDone()
		out = append(out, ds)
	}
	return out, total, rows.Err()
}
