package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

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
	var u *koodrive.User
	err := s.db.mutate(ctx, a, koodrive.AuditCreateUser, "user", func(tx *Tx, m *mutation) error {
		if err := in.Normalize(); err != nil {
			return err
		}
		var err error
		if in.DeptID == 0 {
			if in.DeptID, err = s.db.rootID(ctx, tx); err != nil {
				return err
			}
		}
		dept, err := findDepartment(ctx, tx, "modifyUserInfoReq.deptId", in.DeptID)
		if err != nil {
			return err
		}
		if err := a.Authorize(koodrive.OpManageUsers, "modifyUserInfoReq.deptId", dept); err != nil {
			return err
		}
		role := in.RoleOrDefault()
		if err := a.AuthorizeGrant("modifyUserInfoReq.role", role); err != nil {
			return err
		}
		u = &koodrive.User{
			ID: s.db.ids.next(), OrgID: dept.OrgID, UserID: in.UserID, Name: in.Name, Mobile: in.Mobile, Email: in.Email,
			DeptID: dept.ID, DeptName: dept.Name, Role: role, Status: koodrive.StatusNotActivated,
			CreatedAt: tx.now, UpdatedAt: tx.now,
		}
		m.resource = userResource(u.ID)
		// Inserting first reports a taken userId as such even at the limit;
		// the count is in the same transaction, so a refused count undoes it.
		if err := insertUser(ctx, tx, u); err != nil {
			return err
		}
		return countUsers(ctx, tx, dept.OrgID, 1)
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

func userResource(id koodrive.ID) string { return "user/" + id.String() }

// countUsers adds n (which may be negative) to the organization's user
// count, or fails with ELIMIT if that would pass the limit.
func countUsers(ctx context.Context, tx *Tx, orgID koodrive.ID, n int64) error {
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
	query, args := insertQuery(tx.d, "users", userInsertColumns, [][]any{userValues(u)}, "")
	_, err := tx.ExecContext(ctx, query, args...)
	if err := takenError(err, u); err != nil {
		return err
	}
	if err != nil {
		return fmt.Errorf("insert user %s: %w", u.UserID, err)
	}
	return nil
}

var userInsertColumns = []string{"id", "org_id", "user_id", "user_key", "name", "name_key", "mobile", "email", "email_key",
	"dept_id", "role", "status", "created_at", "updated_at"}

// userValues are a new user's values of userInsertColumns.
func userValues(u *koodrive.User) []any {
	return []any{int64(u.ID), int64(u.OrgID), u.UserID, koodrive.FoldKey(u.UserID), u.Name, koodrive.FoldKey(u.Name), nullString(u.Mobile),
		nullString(u.Email), nullString(koodrive.FoldKey(u.Email)), int64(u.DeptID), u.Role, u.Status, millis(u.CreatedAt), millis(u.CreatedAt)}
}

// takenError turns a unique violation on a user's identity into ECONFLICT
// naming the field and value; nil for any other error.
func takenError(err error, u *koodrive.User) error {
	field := uniqueField(err)
	if field == "" {
		return nil
	}
	value := map[string]string{"userId": u.UserID, "email": u.Email, "mobile": u.Mobile}[field]
	return koodrive.NewError(koodrive.ECONFLICT, field, koodrive.MsgValueTaken, koodrive.Params{"Value": value})
}

// findUser returns the user with id and its department, or ENOTFOUND.
func findUser(ctx context.Context, tx *Tx, id koodrive.ID) (*koodrive.User, *koodrive.Department, error) {
	u, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+userFrom+` WHERE u.id = $1`, int64(id)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, koodrive.NewError(koodrive.ENOTFOUND, "userId", koodrive.MsgUserNotFound, koodrive.Params{"ID": id.String()})
	}
	if err != nil {
		return nil, nil, fmt.Errorf("find user %d: %w", id, err)
	}
	dept, err := findDepartment(ctx, tx, "deptId", u.DeptID)
	if err != nil {
		return nil, nil, err
	}
	return u, dept, nil
}

// FindUserByID returns one user.
func (s *UserService) FindUserByID(ctx context.Context, a koodrive.Actor, id koodrive.ID) (*koodrive.User, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	u, dept, err := findUser(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if err := a.AuthorizeUserRead(u, dept); err != nil {
		return nil, err
	}
	return u, nil
}

// UpdateUser changes a user's department, role, status or identity.
func (s *UserService) UpdateUser(ctx context.Context, a koodrive.Actor, id koodrive.ID, in koodrive.UserUpdate) (*koodrive.User, error) {
	var u *koodrive.User
	err := s.db.mutate(ctx, a, koodrive.AuditUpdateUser, userResource(id), func(tx *Tx, _ *mutation) error {
		if err := in.Normalize(); err != nil {
			return err
		}
		var dept *koodrive.Department
		var err error
		if u, dept, err = findUser(ctx, tx, id); err != nil {
			return err
		}
		// Users may edit their own name, mobile and email; anything else,
		// or anyone else, needs the right to manage them.
		if u.ID != a.ID || in.ChangesAccess() {
			if err := a.AuthorizeUserChange(u, dept); err != nil {
				return err
			}
		}
		if in.DeptID != nil && *in.DeptID != u.DeptID {
			to, err := findDepartment(ctx, tx, "deptId", *in.DeptID)
			if err != nil {
				return err
			}
			if err := a.Authorize(koodrive.OpManageUsers, "deptId", to); err != nil {
				return err
			}
			u.DeptID, u.DeptName = to.ID, to.Name
		}
		if in.Role != nil && *in.Role != u.Role {
			if err := a.AuthorizeGrant("role", *in.Role); err != nil {
				return err
			}
		}
		wasAdmin := u.Role == koodrive.RoleSystemAdmin && u.Status.CanSignIn()
		if in.Role != nil {
			u.Role = *in.Role
		}
		if in.Status != nil {
			u.Status = *in.Status
		}
		if wasAdmin && !(u.Role == koodrive.RoleSystemAdmin && u.Status.CanSignIn()) {
			if err := keepOneAdmin(ctx, tx, u.ID); err != nil {
				return err
			}
		}
		for _, f := range []struct{ dst, src *string }{{&u.Name, in.Name}, {&u.Mobile, in.Mobile}, {&u.Email, in.Email}} {
			if f.src != nil {
				*f.dst = *f.src
			}
		}
		u.UpdatedAt = tx.now
		_, err = tx.ExecContext(ctx, `
			UPDATE users SET dept_id = $1, role = $2, status = $3, name = $4, name_key = $5, mobile = $6, email = $7,
				email_key = $8, updated_at = $9
			WHERE id = $10`,
			int64(u.DeptID), u.Role, u.Status, u.Name, koodrive.FoldKey(u.Name), nullString(u.Mobile), nullString(u.Email),
			nullString(koodrive.FoldKey(u.Email)), millis(tx.now), int64(u.ID))
		if err := takenError(err, u); err != nil {
			return err
		}
		if err != nil {
			return fmt.Errorf("update user %d: %w", id, err)
		}
		if !u.Status.CanSignIn() {
			// Sessions and unused login codes end; enabling the user again
			// does not bring them back.
			for _, table := range []string{"sessions", "login_codes"} {
				if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE user_id = $1`, int64(u.ID)); err != nil {
					return fmt.Errorf("end sessions of user %d: %w", id, err)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// keepOneAdmin fails unless a system administrator other than id can
// still sign in: an organization nobody can administer cannot be repaired
// through the API.
func keepOneAdmin(ctx context.Context, tx *Tx, id koodrive.ID) error {
	var others int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE role = $1 AND status IN ($2, $3) AND id <> $4`,
		koodrive.RoleSystemAdmin, koodrive.StatusEnabled, koodrive.StatusNotActivated, int64(id)).Scan(&others); err != nil {
		return fmt.Errorf("count administrators: %w", err)
	}
	if others == 0 {
		return koodrive.Invalid("userId", koodrive.MsgLastAdmin, nil)
	}
	return nil
}

// DeleteUser deletes a disabled or not activated user and releases its
// personal space.
func (s *UserService) DeleteUser(ctx context.Context, a koodrive.Actor, id koodrive.ID) error {
	return s.db.mutate(ctx, a, koodrive.AuditDeleteUser, userResource(id), func(tx *Tx, _ *mutation) error {
		u, dept, err := findUser(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := a.AuthorizeUserChange(u, dept); err != nil {
			return err
		}
		if u.Status != koodrive.StatusDisabled && u.Status != koodrive.StatusNotActivated {
			return koodrive.Invalid("userId", koodrive.MsgDeleteActive, koodrive.Params{"Status": int(u.Status)})
		}
		if u.Role == koodrive.RoleSystemAdmin && u.Status.CanSignIn() {
			if err := keepOneAdmin(ctx, tx, u.ID); err != nil {
				return err
			}
		}
		if sp, err := findSpace(ctx, tx, koodrive.SpacePersonal, u.ID); err == nil {
			if err := releaseSpace(ctx, tx, sp, true); err != nil {
				return err
			}
		} else if koodrive.ErrorKind(err) != koodrive.ENOTFOUND {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM users WHERE id = $1`, int64(u.ID)); err != nil {
			return fmt.Errorf("delete user %d: %w", id, err)
		}
		return countUsers(ctx, tx, u.OrgID, -1)
	})
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
	q, err := s.db.userQuery(ctx, tx, a, koodrive.OpReadUsers, f)
	if err != nil {
		return nil, 0, err
	}
	total, err := q.count(ctx, tx)
	if err != nil {
		return nil, 0, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+userColumns+userFrom+` WHERE `+q.where+q.page, q.pageArgs...)
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
	q, err := s.db.userQuery(ctx, tx, a, koodrive.OpReadUsers, koodrive.UserFilter{DeptID: deptID})
	if err != nil {
		return 0, err
	}
	return q.count(ctx, tx)
}

// userQuery is the condition that selects a filter's users (where, args)
// and the clause that takes its page (page, pageArgs: args and more).
type userQuery struct {
	where    string
	args     []any
	page     string
	pageArgs []any
	// everyone says the query selects every user of the organization,
	// whose number the organization keeps: counting a million users
	// would cost a page of the list 80 ms.
	everyone bool
}

// count returns how many users the query selects.
func (q *userQuery) count(ctx context.Context, tx *Tx) (int, error) {
	query, args := `SELECT count(*) FROM users u WHERE `+q.where, q.args
	if q.everyone {
		query, args = `SELECT user_count FROM organizations`, nil
	}
	var n int
	if err := tx.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}

// userQuery checks that the actor may op on the users of the department
// (the actor's home department when f.DeptID is 0) and builds the query for
// the department alone when f.Direct, else its whole subtree; the keyword
// matches the name, userId or mobile number.
// cond is one more condition on a query; expr holds %s where its
// argument's placeholder goes.
type cond struct {
	expr string
	arg  any
}

func (db *DB) userQuery(ctx context.Context, tx *Tx, a koodrive.Actor, op koodrive.Operation, f koodrive.UserFilter, extra ...cond) (*userQuery, error) {
	root, err := db.rootID(ctx, tx)
	if err != nil {
		return nil, err
	}
	deptID := f.DeptID
	if deptID == 0 {
		deptID = a.HomeDepartment(op, root)
	}
	dept, err := findDepartment(ctx, tx, "deptId", deptID)
	if err != nil {
		return nil, err
	}
	if err := a.Authorize(op, "deptId", dept); err != nil {
		return nil, err
	}
	q := &userQuery{everyone: dept.ID == root && !f.Direct && f.KeyWord == "" && len(extra) == 0}
	arg := func(v any) string {
		q.args = append(q.args, v)
		return fmt.Sprintf("$%d", len(q.args))
	}
	var conds []string
	if f.Direct {
		conds = append(conds, `u.dept_id = `+arg(int64(dept.ID)))
	} else {
		lo, hi := koodrive.PathRange(dept.Path)
		conds = append(conds, `u.dept_id IN (SELECT id FROM departments WHERE path >= `+arg(lo)+` AND path < `+arg(hi)+`)`)
	}
	if f.KeyWord != "" {
		p := arg(likePattern(f.KeyWord))
		conds = append(conds, `(u.name_key LIKE `+p+` ESCAPE '\' OR u.user_key LIKE `+p+` ESCAPE '\' OR coalesce(u.mobile, '') LIKE `+p+` ESCAPE '\')`)
	}
	for _, c := range extra {
		conds = append(conds, fmt.Sprintf(c.expr, arg(c.arg)))
	}
	q.where = strings.Join(conds, " AND ")
	q.pageArgs = append(q.pageArgs, q.args...)
	if f.Cursor != 0 {
		q.pageArgs = append(q.pageArgs, int64(f.Cursor))
		q.page = fmt.Sprintf(` AND u.id > $%d`, len(q.pageArgs))
	}
	q.pageArgs = append(q.pageArgs, f.Limit, f.Offset)
	q.page += fmt.Sprintf(` ORDER BY u.id LIMIT $%d OFFSET $%d`, len(q.pageArgs)-1, len(q.pageArgs))
	return q, nil
}
