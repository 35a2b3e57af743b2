package sqldb

import (
	"context"
	"fmt"
	"strings"

	"github.com/koodrive/koodrive"
)

// DepartmentService implements koodrive.DepartmentService.
type DepartmentService struct{ db *DB }

var _ koodrive.DepartmentService = (*DepartmentService)(nil)

// NewDepartmentService returns the service on db.
func NewDepartmentService(db *DB) *DepartmentService { return &DepartmentService{db: db} }

func deptResource(id koodrive.ID) string { return "department/" + id.String() }

// CreateDepartment creates a department under in.ParentID, with its team space.
func (s *DepartmentService) CreateDepartment(ctx context.Context, a koodrive.Actor, in koodrive.DepartmentCreate) (*koodrive.Department, error) {
	var d *koodrive.Department
	err := s.db.mutate(ctx, a, koodrive.AuditCreateDepartment, "department", func(tx *Tx, m *mutation) error {
		if err := in.Validate(); err != nil {
			return err
		}
		parent, err := findDepartment(ctx, tx, "parentId", in.ParentID)
		if err != nil {
			return err
		}
		if err := a.Authorize(koodrive.OpManageDepartments, "parentId", parent); err != nil {
			return err
		}
		if parent.Level >= koodrive.MaxDepartmentLevels {
			return koodrive.NewError(koodrive.EMAXLEVELS, "parentId", koodrive.MsgMaxLevels, koodrive.Params{"Max": koodrive.MaxDepartmentLevels})
		}
		d = &koodrive.Department{
			ID: s.db.ids.next(), OrgID: parent.OrgID, ParentID: parent.ID, Name: in.Name,
			Level: parent.Level + 1, CreatedAt: tx.now, UpdatedAt: tx.now,
		}
		d.Path = koodrive.ChildPath(parent.Path, d.ID)
		m.resource = deptResource(d.ID)
		_, err = tx.ExecContext(ctx, `
			INSERT INTO departments (id, org_id, parent_id, name, name_key, path, level, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`,
			int64(d.ID), int64(d.OrgID), int64(d.ParentID), d.Name, koodrive.FoldKey(d.Name), d.Path, d.Level, millis(tx.now))
		if err := nameTaken(err, in.Name); err != nil {
			return err
		}
		if err != nil {
			return fmt.Errorf("create department: %w", err)
		}
		return insertTeamSpace(ctx, s.db, tx, d, a.ID)
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// nameTaken turns a unique violation of sibling names into ECONFLICT; nil
// for any other error.
func nameTaken(err error, name string) error {
	if uniqueField(err) == "name" {
		return koodrive.NewError(koodrive.ECONFLICT, "name", koodrive.MsgDeptTaken, koodrive.Params{"Name": name})
	}
	return nil
}

// UpdateDepartment renames a department and moves it, with its subtree,
// under another parent.
func (s *DepartmentService) UpdateDepartment(ctx context.Context, a koodrive.Actor, id koodrive.ID, in koodrive.DepartmentUpdate) (*koodrive.Department, error) {
	var d *koodrive.Department
	err := s.db.mutate(ctx, a, koodrive.AuditUpdateDepartment, deptResource(id), func(tx *Tx, _ *mutation) error {
		if err := koodrive.ValidateDepartmentName("name", in.Name); err != nil {
			return err
		}
		var err error
		if d, err = findDepartment(ctx, tx, "departmentId", id); err != nil {
			return err
		}
		if err := a.Authorize(koodrive.OpManageDepartments, "departmentId", d); err != nil {
			return err
		}
		oldPath, parentID, level := d.Path, d.ParentID, d.Level
		switch {
		case d.ParentID == 0 && in.ParentID != 0:
			return koodrive.Invalid("parentId", koodrive.MsgMoveRoot, nil)
		case d.ParentID != 0 && in.ParentID == 0:
			return koodrive.Invalid("parentId", koodrive.MsgFieldRequired, nil)
		case in.ParentID != d.ParentID:
			parent, err := findDepartment(ctx, tx, "parentId", in.ParentID)
			if err != nil {
				return err
			}
			if err := a.Authorize(koodrive.OpManageDepartments, "parentId", parent); err != nil {
				return err
			}
			if d.Contains(parent.Path) {
				return koodrive.Invalid("parentId", koodrive.MsgMoveIntoSelf, nil)
			}
			lo, hi := koodrive.PathRange(d.Path)
			var deepest int
			if err := tx.QueryRowContext(ctx, `SELECT max(level) FROM departments WHERE path >= $1 AND path < $2`, lo, hi).Scan(&deepest); err != nil {
				return fmt.Errorf("measure subtree of %d: %w", id, err)
			}
			level = parent.Level + 1
			if depth := level + deepest - d.Level; depth > koodrive.MaxDepartmentLevels {
				return koodrive.NewError(koodrive.EMAXLEVELS, "parentId", koodrive.MsgMaxLevelsMove,
					koodrive.Params{"Max": koodrive.MaxDepartmentLevels, "Depth": depth})
			}
			parentID, d.Path = parent.ID, koodrive.ChildPath(parent.Path, d.ID)
		}
		// The department itself first, with its new name under its new
		// parent, so that the sibling-name check sees where it ends up.
		_, err = tx.ExecContext(ctx, `
			UPDATE departments SET parent_id = $1, name = $2, name_key = $3, path = $4, level = $5, updated_at = $6 WHERE id = $7`,
			nullID(parentID), in.Name, koodrive.FoldKey(in.Name), d.Path, level, millis(tx.now), int64(d.ID))
		if err := nameTaken(err, in.Name); err != nil {
			return err
		}
		if err != nil {
			return fmt.Errorf("update department %d: %w", id, err)
		}
		if d.ParentID == 0 {
			// The root department carries the organization's name.
			if _, err := tx.ExecContext(ctx, `UPDATE organizations SET name = $1 WHERE root_dept_id = $2`, in.Name, int64(d.ID)); err != nil {
				return fmt.Errorf("rename organization: %w", err)
			}
		}
		if d.Path != oldPath {
			lo, hi := koodrive.PathRange(oldPath)
			if _, err := tx.ExecContext(ctx, `
				UPDATE departments SET path = $1 || substr(path, $2), level = level + $3, updated_at = $4
				WHERE path >= $5 AND path < $6`,
				d.Path, len(oldPath)+1, level-d.Level, millis(tx.now), lo, hi); err != nil {
				return fmt.Errorf("move the subtree of %d: %w", id, err)
			}
		}
		d.ParentID, d.Name, d.Level, d.UpdatedAt = parentID, in.Name, level, tx.now
		return nil
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// nullID stores 0 as NULL: the root has no parent.
func nullID(id koodrive.ID) any {
	if id == 0 {
		return nil
	}
	return int64(id)
}

// DeleteDepartment deletes an empty department and releases its team space.
func (s *DepartmentService) DeleteDepartment(ctx context.Context, a koodrive.Actor, id koodrive.ID) error {
	return s.db.mutate(ctx, a, koodrive.AuditDeleteDepartment, deptResource(id), func(tx *Tx, _ *mutation) error {
		d, err := findDepartment(ctx, tx, "departmentId", id)
		if err != nil {
			return err
		}
		if err := a.Authorize(koodrive.OpManageDepartments, "departmentId", d); err != nil {
			return err
		}
		if d.ParentID == 0 {
			return koodrive.Invalid("departmentId", koodrive.MsgDeleteRoot, nil)
		}
		var users, children int
		if err := tx.QueryRowContext(ctx, `
			SELECT (SELECT count(*) FROM users WHERE dept_id = $1), (SELECT count(*) FROM departments WHERE parent_id = $1)`,
			int64(id)).Scan(&users, &children); err != nil {
			return fmt.Errorf("count members of %d: %w", id, err)
		}
		if users > 0 || children > 0 {
			return koodrive.Invalid("departmentId", koodrive.MsgDeptNotEmpty, koodrive.Params{"Users": users, "Children": children})
		}
		sp, err := findSpace(ctx, tx, koodrive.SpaceDepartment, id)
		if err != nil {
			return err
		}
		if err := releaseSpace(ctx, tx, sp, true); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM departments WHERE id = $1`, int64(id)); err != nil {
			return fmt.Errorf("delete department %d: %w", id, err)
		}
		return nil
	})
}

// FindDepartmentByID returns one department.
func (s *DepartmentService) FindDepartmentByID(ctx context.Context, a koodrive.Actor, id koodrive.ID) (*koodrive.Department, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	d, err := findDepartment(ctx, tx, "departmentId", id)
	if err != nil {
		return nil, err
	}
	if err := a.Authorize(koodrive.OpReadDepartments, "departmentId", d); err != nil {
		return nil, err
	}
	return d, nil
}

// FindDepartments returns the children of f.ParentID, or the root alone, whose
// names contain f.KeyWord.
func (s *DepartmentService) FindDepartments(ctx context.Context, a koodrive.Actor, f koodrive.DepartmentFilter) ([]*koodrive.Department, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()

	where, args := "d.parent_id IS NULL", []any{}
	if f.ParentID != 0 {
		parent, err := findDepartment(ctx, tx, "departmentId", f.ParentID)
		if err != nil {
			return nil, err
		}
		if err := a.Authorize(koodrive.OpReadDepartments, "departmentId", parent); err != nil {
			return nil, err
		}
		where, args = "d.parent_id = $1", append(args, int64(f.ParentID))
	} else if err := a.Authorize(koodrive.OpReadDepartments, "departmentId", nil); err != nil {
		return nil, err
	}
	if f.KeyWord != "" {
		args = append(args, likePattern(f.KeyWord))
		where += fmt.Sprintf(` AND d.name_key LIKE $%d ESCAPE '\'`, len(args))
	}
	depts, err := queryDepartments(ctx, tx, `SELECT `+deptColumns+` FROM departments d WHERE `+where+` ORDER BY d.name_key, d.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list departments: %w", err)
	}
	return depts, nil
}

// likePattern matches text containing s, ignoring case; LIKE's wildcards in s
// match only themselves.
func likePattern(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(koodrive.FoldKey(s)) + "%"
}
