package koodrive

import (
	"context"
	"strings"
	"time"
)

// Department is a node of the organization's tree. Path lists the IDs from
// the root down to the department itself ("/1/7/42/"), so that "is X inside
// Y's subtree" is a prefix test and a subtree is one range of paths.
type Department struct {
	ID        ID
	OrgID     ID
	ParentID  ID // 0 for the root
	Name      string
	Path      string
	Level     int // the root is level 1
	CreatedAt time.Time
	UpdatedAt time.Time
}

// ChildPath returns the path of a child with the given ID.
func ChildPath(parentPath string, id ID) string {
	if parentPath == "" {
		parentPath = "/"
	}
	return parentPath + id.String() + "/"
}

// Contains reports whether the department at path is d or below d.
func (d *Department) Contains(path string) bool { return strings.HasPrefix(path, d.Path) }

// PathRange returns the bounds lo <= p < hi of the paths in the subtree at
// path, so that a subtree is one index range: "/" sorts just below "0".
func PathRange(path string) (lo, hi string) {
	return path, path[:len(path)-1] + "0"
}

// AncestorIDs returns the IDs on a path from the root down, including the
// last one.
func AncestorIDs(path string) []ID {
	var ids []ID
	for _, s := range strings.Split(strings.Trim(path, "/"), "/") {
		if id, err := ParseID(s); err == nil {
			ids = append(ids, id)
		}
	}
	return ids
}

// DepartmentCreate is a request to create a department.
type DepartmentCreate struct {
	Name     string
	ParentID ID
}

// Validate checks the request.
func (in *DepartmentCreate) Validate() error {
	if err := ValidateDepartmentName("name", in.Name); err != nil {
		return err
	}
	if in.ParentID == 0 {
		return Invalid("parentId", MsgFieldRequired, nil)
	}
	return nil
}

// DepartmentUpdate renames a department, moves it under another parent, or
// both; KooDrive sends both fields every time.
type DepartmentUpdate struct {
	Name     string
	ParentID ID // for the root: 0 or absent
}

// DepartmentFilter selects departments for a listing.
type DepartmentFilter struct {
	ParentID ID // 0: the root department alone
	KeyWord  string
}

// DepartmentService manages the department tree.
type DepartmentService interface {
	// CreateDepartment creates a department with an empty team space.
	// EINVALID for a bad name, ENOTFOUND for an unknown parent, ECONFLICT when
	// a sibling has the same name ignoring case, EMAXLEVELS when the parent is
	// already at the deepest level.
	CreateDepartment(ctx context.Context, a Actor, in DepartmentCreate) (*Department, error)

	// FindDepartmentByID returns one department. ENOTFOUND if there is none.
	FindDepartmentByID(ctx context.Context, a Actor, id ID) (*Department, error)

	// FindDepartments returns the direct children of a department in name
	// order, or the root alone. ENOTFOUND for an unknown parent.
	FindDepartments(ctx context.Context, a Actor, f DepartmentFilter) ([]*Department, error)

	// UpdateDepartment renames and moves a department with its subtree.
	// EINVALID for a move into its own subtree or of the root, EMAXLEVELS
	// when the subtree would be too deep, ECONFLICT for a sibling's name.
	UpdateDepartment(ctx context.Context, a Actor, id ID, in DepartmentUpdate) (*Department, error)

	// DeleteDepartment deletes an empty department and its team space,
	// whose capacity returns to the organization. EINVALID for the root, or
	// while it has users, sub-departments or data in its team space.
	DeleteDepartment(ctx context.Context, a Actor, id ID) error
}
