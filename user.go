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

// UserFilter selects users for a listing.
type UserFilter struct {
	DeptID  ID   // 0: every user the caller may read
	Direct  bool // only users placed directly in DeptID, not in its sub-departments
	KeyWord string
	Offset  int
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
}
