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

// CreateDepartment creates a department under in.ParentID.
func (s *DepartmentService) CreateDepartment(ctx context.Context, a koodrive.Actor, in koodrive.DepartmentCreate) (*koodrive.Department, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()

	parent, err := findDepartment(ctx, tx, "parentId", in.ParentID)
	if err != nil {
		return nil, err
	}
	if err := a.Authorize(koodrive.OpManageDepartments, "parentId", parent); err != nil {
		return nil, err
	}
	if parent.Level >= koodrive.MaxDepartmentLevels {
		return nil, koodrive.NewError(koodrive.EMAXLEVELS, "parentId", koodrive.MsgMaxLevels, koodrive.Params{"Max": koodrive.MaxDepartmentLevels})
	}
	d := &koodrive.Department{
		ID: s.db.ids.next(), OrgID: parent.OrgID, ParentID: parent.ID, Name: in.Name,
		Level: parent.Level + 1, CreatedAt: tx.now, UpdatedAt: tx.now,
	}
	d.Path = koodrive.ChildPath(parent.Path, d.ID)
	_, err = tx.ExecContext(ctx, `
		INSERT INTO departments (id, org_id, parent_id, name, name_key, path, level, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`,
		int64(d.ID), int64(d.OrgID), int64(d.ParentID), d.Name, koodrive.FoldKey(d.Name), d.Path, d.Level, millis(tx.now))
	if uniqueField(err) == "name" {
		return nil, koodrive.NewError(koodrive.ECONFLICT, "name", koodrive.MsgDeptTaken, koodrive.Params{"Name": in.Name})
	}
	if err != nil {
		return nil, fmt.Errorf("create department: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("create department: %w", err)
	}
	return d, nil
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
