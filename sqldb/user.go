package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/koodrive/koodrive"
)

// UserService implements koodrive.UserService.
type UserService struct{ db *DB }

var _ koodrive.UserService = (*UserService)(nil)

// NewUserService returns the service on db.
func NewUserService(db *DB) *UserService { return &UserService{db: db} }

// CreateUser creates a user, counting it against the organization's limit in
// the same transaction.
func (s *UserService) CreateUser(ctx context.Context, a koodrive.Actor, in koodrive.UserCreate) (*koodrive.User, error) {
	if err := in.Normalize(); err != nil {
		return nil, err
	}
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()

	if in.DeptID == 0 {
		if in.DeptID, err = s.db.rootID(ctx, tx); err != nil {
			return nil, err
		}
	}
	dept, err := findDepartment(ctx, tx, "modifyUserInfoReq.deptId", in.DeptID)
	if err != nil {
		return nil, err
	}
	if err := a.Authorize(koodrive.OpManageUsers, "modifyUserInfoReq.deptId", dept); err != nil {
		return nil, err
	}
	role := in.RoleOrDefault()
	if err := a.AuthorizeGrant("modifyUserInfoReq.role", role); err != nil {
		return nil, err
	}
	u := &koodrive.User{
		ID: s.db.ids.next(), OrgID: dept.OrgID, UserID: in.UserID, Name: in.Name, Mobile: in.Mobile, Email: in.Email,
		DeptID: dept.ID, DeptName: dept.Name, Role: role, Status: koodrive.StatusNotActivated,
		CreatedAt: tx.now, UpdatedAt: tx.now,
	}
	// Inserting first reports a taken userId as such even at the limit; the
	// count is in the same transaction, so a refused count undoes the insert.
	if err := insertUser(ctx, tx, u); err != nil {
		return nil, err
	}
	if err := countNewUsers(ctx, tx, dept.OrgID, 1); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("create user: %w", err)
	}
	return u, nil
}

// countNewUsers adds n users to the organization's count, or fails with
// ELIMIT if that would pass the limit.
func countNewUsers(ctx context.Context, tx *Tx, orgID koodrive.ID, n int64) error {
	res, err := tx.ExecContext(ctx, `
		UPDATE organizations SET user_count = user_count + $1
		WHERE id = $2 AND user_count + $1 <= max_users`, n, int64(orgID))
	if err != nil {
		return fmt.Errorf("count users: %w", err)
	}
	if changed, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("count users: %w", err)
	} else if changed == 0 {
		org, err := findOrganization(ctx, tx)
		if err != nil {
			return err
		}
		return koodrive.NewError(koodrive.ELIMIT, "", koodrive.MsgUserLimit, koodrive.Params{"Max": org.MaxUsers})
	}
	return nil
}

func insertUser(ctx context.Context, tx *Tx, u *koodrive.User) error {
	_, err := tx.ExecContext(ctx, `
		INSERT INTO users (id, org_id, user_id, user_key, name, name_key, mobile, email, email_key, dept_id, role, status, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)`,
		int64(u.ID), int64(u.OrgID), u.UserID, koodrive.FoldKey(u.UserID), u.Name, koodrive.FoldKey(u.Name), nullString(u.Mobile),
		nullString(u.Email), nullString(koodrive.FoldKey(u.Email)), int64(u.DeptID), u.Role, u.Status, millis(u.CreatedAt))
	if field := uniqueField(err); field != "" {
		value := map[string]string{"userId": u.UserID, "email": u.Email, "mobile": u.Mobile}[field]
		return koodrive.NewError(koodrive.ECONFLICT, field, koodrive.MsgValueTaken, koodrive.Params{"Value": value})
	}
	if err != nil {
		return fmt.Errorf("insert user %s: %w", u.UserID, err)
	}
	return nil
}

// FindUserByID returns one user.
func (s *UserService) FindUserByID(ctx context.Context, a koodrive.Actor, id koodrive.ID) (*koodrive.User, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	u, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+userFrom+` WHERE u.id = $1`, int64(id)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, koodrive.NewError(koodrive.ENOTFOUND, "userId", koodrive.MsgUserNotFound, koodrive.Params{"ID": id.String()})
	}
	if err != nil {
		return nil, fmt.Errorf("find user %d: %w", id, err)
	}
	dept, err := findDepartment(ctx, tx, "deptId", u.DeptID)
	if err != nil {
		return nil, err
	}
	if err := a.AuthorizeUserRead(u, dept); err != nil {
		return nil, err
	}
	return u, nil
}

// FindUsers returns a page of the users in a department's subtree.
func (s *UserService) FindUsers(ctx context.Context, a koodrive.Actor, f koodrive.UserFilter) ([]*koodrive.User, int, error) {
	if err := f.Validate(); err != nil {
		return nil, 0, err
	}
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()

	where, args, err := s.userScope(ctx, tx, a, f.DeptID, f.Direct)
	if err != nil {
		return nil, 0, err
	}
	if f.KeyWord != "" {
		args = append(args, likePattern(f.KeyWord))
		where += fmt.Sprintf(` AND (u.name_key LIKE $%[1]d ESCAPE '\' OR u.user_key LIKE $%[1]d ESCAPE '\')`, len(args))
	}
	var total int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users u WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count users: %w", err)
	}
	args = append(args, f.Limit, f.Offset)
	rows, err := tx.QueryContext(ctx, `SELECT `+userColumns+userFrom+` WHERE `+where+
		fmt.Sprintf(` ORDER BY u.id LIMIT $%d OFFSET $%d`, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	users := make([]*koodrive.User, 0, f.Limit)
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("list users: %w", err)
		}
		users = append(users, u)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("list users: %w", err)
	}
	return users, total, nil
}

// CountUsers counts the users in a department's subtree.
func (s *UserService) CountUsers(ctx context.Context, a koodrive.Actor, deptID koodrive.ID) (int, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	where, args, err := s.userScope(ctx, tx, a, deptID, false)
	if err != nil {
		return 0, err
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users u WHERE `+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}

// userScope checks that the actor may read the users of the department (the
// actor's home department when deptID is 0) and returns the condition that
// selects them: the department alone when direct, else its whole subtree.
func (s *UserService) userScope(ctx context.Context, tx *Tx, a koodrive.Actor, deptID koodrive.ID, direct bool) (string, []any, error) {
	if deptID == 0 {
		root, err := s.db.rootID(ctx, tx)
		if err != nil {
			return "", nil, err
		}
		deptID = a.HomeDepartment(koodrive.OpReadUsers, root)
	}
	dept, err := findDepartment(ctx, tx, "deptId", deptID)
	if err != nil {
		return "", nil, err
	}
	if err := a.Authorize(koodrive.OpReadUsers, "deptId", dept); err != nil {
		return "", nil, err
	}
	if direct {
		return `u.dept_id = $1`, []any{int64(dept.ID)}, nil
	}
	lo, hi := koodrive.PathRange(dept.Path)
	return `u.dept_id IN (SELECT id FROM departments WHERE path >= $1 AND path < $2)`, []any{lo, hi}, nil
}
