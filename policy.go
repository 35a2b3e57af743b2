package koodrive

// Actor is the authenticated user on whose behalf a request acts.
type Actor struct {
	ID       ID
	UserID   string
	Role     Role
	DeptID   ID
	DeptPath string
	AppID    string // the app acting for the user, "" for the user's own session
}

// Operator is the actor of the command line, which holds the data folder and
// so every right over it.
var Operator = Actor{UserID: "(operator)", Role: RoleSystemAdmin}

// Operation is something the authorization policy decides on.
type Operation string

// Operations.
const (
	OpReadDepartments   Operation = "read_departments"
	OpManageDepartments Operation = "manage_departments" // create, change, delete
	OpReadUsers         Operation = "read_users"
	OpManageUsers       Operation = "manage_users" // create, import, change, delete
	OpManageApps        Operation = "manage_apps"  // app credentials
	OpReadSpaces        Operation = "read_spaces"
	OpManageSpaces      Operation = "manage_spaces" // allocate, resize, disable, release
	OpManageOrg         Operation = "manage_organization"
	OpReadAudit         Operation = "read_audit"
	OpReadUsage         Operation = "read_usage" // the organization's totals
)

// Scope is how far a role's right to an operation reaches.
type Scope int

// Scopes.
const (
	ScopeNone    Scope = iota
	ScopeSubtree       // the actor's own department and everything below it
	ScopeAll
)

// The whole policy is these two tables; every service consults them through
// Authorize and AuthorizeGrant.
var scopes = map[Role]map[Operation]Scope{
	RoleSystemAdmin: {
		OpReadDepartments: ScopeAll, OpManageDepartments: ScopeAll,
		OpReadUsers: ScopeAll, OpManageUsers: ScopeAll,
		OpReadSpaces: ScopeAll, OpManageSpaces: ScopeAll,
		OpManageApps: ScopeAll, OpManageOrg: ScopeAll, OpReadAudit: ScopeAll, OpReadUsage: ScopeAll,
	},
	RoleDeptAdmin: {
		OpReadDepartments: ScopeAll, OpManageDepartments: ScopeSubtree,
		OpReadUsers: ScopeSubtree, OpManageUsers: ScopeSubtree,
		OpReadSpaces: ScopeSubtree, OpManageSpaces: ScopeSubtree,
		OpReadUsage: ScopeAll,
	},
	RoleMemberManager: {
		OpReadDepartments: ScopeAll,
		OpReadUsers:       ScopeSubtree, OpManageUsers: ScopeSubtree,
		OpReadSpaces: ScopeSubtree,
		OpReadUsage:  ScopeAll,
	},
	RoleDriveAdmin: {
		OpReadDepartments: ScopeAll, OpReadUsers: ScopeAll,
		OpReadSpaces: ScopeAll, OpManageSpaces: ScopeAll,
		OpReadUsage: ScopeAll,
	},
	RoleUser: {},
}

// manages lists the roles of the users each role may change or delete:
// administrators do not change each other.
var manages = map[Role][]Role{
	RoleSystemAdmin:   {RoleDeptAdmin, RoleUser, RoleSystemAdmin, RoleDriveAdmin, RoleMemberManager},
	RoleDeptAdmin:     {RoleUser, RoleMemberManager},
	RoleMemberManager: {RoleUser},
}

// grants lists the roles each role may give to a user it creates or changes.
// Nobody below a system administrator hands out an organization-wide role.
var grants = map[Role][]Role{
	RoleSystemAdmin:   {RoleDeptAdmin, RoleUser, RoleSystemAdmin, RoleDriveAdmin, RoleMemberManager},
	RoleDeptAdmin:     {RoleDeptAdmin, RoleUser, RoleMemberManager},
	RoleMemberManager: {RoleUser},
}

// Scope returns how far the actor's right to op reaches.
func (a Actor) Scope(op Operation) Scope { return scopes[a.Role][op] }

// Authorize decides whether the actor may perform op on the department at
// target (a Department.Path); field names the request field that chose the
// target, for the error message. It returns nil or an EFORBIDDEN error.
func (a Actor) Authorize(op Operation, field string, target *Department) error {
	switch a.Scope(op) {
	case ScopeAll:
		return nil
	case ScopeSubtree:
		if target == nil {
			break
		}
		if a.DeptPath != "" && (&Department{Path: a.DeptPath}).Contains(target.Path) {
			return nil
		}
		return NewError(EFORBIDDEN, field, MsgForbiddenScope, Params{"ID": target.ID.String()})
	}
	return NewError(EFORBIDDEN, "", MsgForbiddenRole, nil)
}

// AuthorizeGrant decides whether the actor may give role r to a user.
func (a Actor) AuthorizeGrant(field string, r Role) error {
	for _, g := range grants[a.Role] {
		if g == r {
			return nil
		}
	}
	return NewError(EFORBIDDEN, field, MsgForbiddenGrant, Params{"Role": int(r)})
}

// AuthorizeUserChange decides whether the actor may change the role,
// status or department of user u in dept, or delete u. Nobody changes
// their own access: an administrator who locks itself out cannot undo it.
func (a Actor) AuthorizeUserChange(u *User, dept *Department) error {
	if u.ID == a.ID {
		return NewError(EFORBIDDEN, "userId", MsgForbiddenSelf, nil)
	}
	if err := a.Authorize(OpManageUsers, "userId", dept); err != nil {
		return err
	}
	for _, r := range manages[a.Role] {
		if r == u.Role {
			return nil
		}
	}
	return NewError(EFORBIDDEN, "userId", MsgForbiddenManage, Params{"Role": int(u.Role)})
}

// AuthorizeSpaceRead decides whether the actor may read a space of the
// department dept; users may always read their own personal space.
func (a Actor) AuthorizeSpaceRead(s *Space, dept *Department) error {
	if s != nil && s.Type == SpacePersonal && s.OwnerID == a.ID {
		return nil
	}
	return a.Authorize(OpReadSpaces, "ownerId", dept)
}

// AuthorizeUserRead decides whether the actor may see user u, who is placed
// in the department dept. Everyone may see themselves.
func (a Actor) AuthorizeUserRead(u *User, dept *Department) error {
	if u.ID == a.ID {
		return nil
	}
	return a.Authorize(OpReadUsers, "userId", dept)
}

// HomeDepartment is the department a listing without a department starts
// from: the root for an actor who may read everything, else its own.
func (a Actor) HomeDepartment(op Operation, root ID) ID {
	if a.Scope(op) == ScopeAll {
		return root
	}
	return a.DeptID
}
