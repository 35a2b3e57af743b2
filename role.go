package koodrive

import "strconv"

// Role is what a user may administer. The values are KooDrive's.
type Role int

// Roles.
const (
	RoleDeptAdmin     Role = 0 // administers its own department's subtree
	RoleUser          Role = 1 // administers nothing
	RoleSystemAdmin   Role = 2 // administers everything
	RoleDriveAdmin    Role = 3 // reads the whole organization, changes nothing in it
	RoleMemberManager Role = 5 // manages users, not departments, in its own subtree
)

// Valid reports whether r is one of the defined roles.
func (r Role) Valid() bool {
	switch r {
	case RoleDeptAdmin, RoleUser, RoleSystemAdmin, RoleDriveAdmin, RoleMemberManager:
		return true
	}
	return false
}

// ParseRole parses a role given as a decimal string.
func ParseRole(s string) (Role, bool) {
	n, err := strconv.Atoi(s)
	if err != nil || !Role(n).Valid() {
		return 0, false
	}
	return Role(n), true
}

// Status is a user account's state. The values are KooDrive's.
type Status int

// Statuses.
const (
	StatusEnabled      Status = 0
	StatusDisabled     Status = 1
	StatusNotActivated Status = 2 // created, never signed in
	StatusFrozen       Status = 7
)

// CanSignIn reports whether a user in this status may authenticate.
func (s Status) CanSignIn() bool { return s == StatusEnabled || s == StatusNotActivated }
