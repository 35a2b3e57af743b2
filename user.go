package koodrive

import (
	"context"
	"time"
)

// User is a member of the organization, placed in one department.
type User struct {
	ID        ID     // koodrive's id
	OrgID     ID     //
	UserID    string // the external id (OrgID / the directory), unique ignoring case
	Name      string
	Mobile    string
	Email     string
	DeptID    ID
	DeptName  string
	Role      Role
	Status    Status
	CreatedAt time.Time
	UpdatedAt time.Time
}

// UserCreate is a request to create one user. Field names in its errors are
// those of POST /koodrive/ose/v1/users.
type UserCreate struct {
	UserID string
	Name   string
	Mobile string
	Email  string
	DeptID ID    // 0: the root department
	Role   *Role // nil: RoleUser
}

// RoleOrDefault returns the role the user is to have.
func (in *UserCreate) RoleOrDefault() Role {
	if in.Role == nil {
		return RoleUser
	}
	return *in.Role
}

// Normalize validates the request and brings mobile numbers to one form.
func (in *UserCreate) Normalize() error {
	if err := ValidateUserID("userId", in.UserID); err != nil {
		return err
	}
	if err := ValidateUserName("name", in.Name); err != nil {
		return err
	}
	if in.Mobile != "" {
		m, err := NormalizeMobile("mobile", in.Mobile)
		if err != nil {
			return err
		}
		in.Mobile = m
	}
	if in.Email != "" {
		if err := ValidateEmail("email", in.Email); err != nil {
			return err
		}
	}
	if !in.RoleOrDefault().Valid() {
		return Invalid("modifyUserInfoReq.role", MsgRoleInvalid, nil)
	}
	return nil
}

// UserUpdate changes a user; nil fields stay as they are.
type UserUpdate struct {
	DeptID *ID
	Role   *Role
	Status *Status
	Name   *string
	Mobile *string // "" removes the number
	Email  *string // "" removes the address
}

// Normalize validates the update and brings a mobile number to one form.
func (in *UserUpdate) Normalize() error {
	if in.Role != nil && !in.Role.Valid() {
		return Invalid("role", MsgRoleInvalid, nil)
	}
	if in.Status != nil && *in.Status != StatusEnabled && *in.Status != StatusDisabled && *in.Status != StatusFrozen {
		return Invalid("status", MsgStatusInvalid, Params{"Values": "0, 1, 7"})
	}
	if in.Name != nil {
		if err := ValidateUserName("name", *in.Name); err != nil {
			return err
		}
	}
	if in.Mobile != nil && *in.Mobile != "" {
		m, err := NormalizeMobile("mobile", *in.Mobile)
		if err != nil {
			return err
		}
		in.Mobile = &m
	}
	if in.Email != nil && *in.Email != "" {
		if err := ValidateEmail("email", *in.Email); err != nil {
			return err
		}
	}
	return nil
}

// ChangesAccess reports whether the update touches what a user may do:
// role, status or department.
func (in *UserUpdate) ChangesAccess() bool {
	return in.DeptID != nil || in.Role != nil || in.Status != nil
}

// UserFilter selects users for a listing, by page (Offset) or after a
// cursor (the last ID of the previous page), which holds its place while
// users are added and removed.
type UserFilter struct {
	DeptID  ID   // 0: every user the caller may read
	Direct  bool // only users placed directly in DeptID, not in its sub-departments
	KeyWord string
	Offset  int
	Cursor  ID // users after this ID; 0 for the first page
	Limit   int
}

// MaxPageSize is the most items one page of a listing holds (KooDrive's limit).
const MaxPageSize = 100

// Validate checks the paging of a filter.
func (f *UserFilter) Validate() error {
	if f.Offset < 0 {
		return Invalid("offset", MsgIntRange, Params{"Min": 0, "Max": 1<<31 - 1})
	}
	if f.Limit < 1 || f.Limit > MaxPageSize {
		return Invalid("limit", MsgIntRange, Params{"Min": 1, "Max": MaxPageSize})
	}
	if f.Cursor < 0 {
		return Invalid("cursor", MsgIDInvalid, nil)
	}
	if f.Cursor != 0 && f.Offset != 0 {
		return Invalid("cursor", MsgCursorWithOffset, nil)
	}
	return nil
}

// UserService manages users. Every method checks the actor's rights:
// EFORBIDDEN when it may not act on the target.
type UserService interface {
	// CreateUser creates a user who is not activated yet. EINVALID for bad
	// fields, ENOTFOUND for an unknown department, ECONFLICT for a taken
	// userId, email or mobile, ELIMIT when the user limit is reached.
	CreateUser(ctx context.Context, a Actor, in UserCreate) (*User, error)

	// FindUserByID returns one user. ENOTFOUND if there is none.
	FindUserByID(ctx context.Context, a Actor, id ID) (*User, error)

	// FindUsers returns a page of users in creation order and the number of
	// users matching the filter. ENOTFOUND for an unknown department.
	FindUsers(ctx context.Context, a Actor, f UserFilter) ([]*User, int, error)

	// CountUsers counts the users in a department's subtree (0: every user
	// the caller may read). ENOTFOUND for an unknown department.
	CountUsers(ctx context.Context, a Actor, deptID ID) (int, error)

	// UpdateUser moves a user, changes its role, status or identity.
	// Disabling or freezing ends its sessions. EFORBIDDEN for a change of
	// one's own access or of a user the actor may not manage, EINVALID for
	// the last system administrator's access, ECONFLICT for a taken value.
	UpdateUser(ctx context.Context, a Actor, id ID, in UserUpdate) (*User, error)

	// DeleteUser deletes a disabled or not activated user; its personal
	// space's capacity returns to the organization. EINVALID otherwise.
	DeleteUser(ctx context.Context, a Actor, id ID) error
}
