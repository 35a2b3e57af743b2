// Package koodrive is the domain of an organization-administration server that
// is wire-compatible with Huawei Cloud KooDrive's OSE API: the organization, its
// department tree, users and their roles, capacity, batch-import verification,
// the service interfaces that adapters implement, the authorization policy and
// the error type with KooDrive's codes.
//
// It imports nothing but the standard library. Subpackages adapt it to a
// database (sqldb), to HTTP (httpapi) and to message catalogs (i18n).
package koodrive

import (
	"context"
	"time"
)

// MaxDepartmentLevels is the depth limit of the department tree, counting the
// root department as level 1 (KooDrive allows five levels).
const MaxDepartmentLevels = 5

// MaxCapacityGB is the largest capacity KooDrive accepts for one space, in GB.
const MaxCapacityGB = 104857600

// Organization is the one enterprise a koodrive installation serves. Its
// totals summarize the rows below it and are kept in the same transaction as
// those rows.
type Organization struct {
	ID          ID
	Name        string
	RootDeptID  ID
	CapacityGB  int64 // total purchased capacity
	AllocatedGB int64 // sum of the capacities allocated to spaces
	UserCount   int64 // number of users
	MaxUsers    int64 // purchased number of users
	CreatedAt   time.Time
}

// UnallocatedGB is the capacity that can still be given to spaces.
func (o *Organization) UnallocatedGB() int64 { return o.CapacityGB - o.AllocatedGB }

// OrganizationInit holds what a fresh installation starts with.
type OrganizationInit struct {
	Name        string // organization and root department name
	CapacityGB  int64
	MaxUsers    int64
	AdminUserID string // userId of the first system administrator
}

// Bounds of the organization's settings.
const (
	MaxOrgCapacityGB = MaxCapacityGB * 1000
	MaxOrgUsers      = 100_000_000
)

// validateSettings checks an organization's settings; fields names the
// fields for name, capacity and user limit in the caller's terms.
func validateSettings(name string, capacityGB, maxUsers int64, fields [3]string) error {
	if err := ValidateDepartmentName(fields[0], name); err != nil {
		return err
	}
	if capacityGB < 0 || capacityGB > MaxOrgCapacityGB {
		return Invalid(fields[1], MsgIntRange, Params{"Min": 0, "Max": MaxOrgCapacityGB})
	}
	if maxUsers < 1 || maxUsers > MaxOrgUsers {
		return Invalid(fields[2], MsgIntRange, Params{"Min": 1, "Max": MaxOrgUsers})
	}
	return nil
}

// Validate reports the first problem with the initial settings, named as
// the command line's flags.
func (in OrganizationInit) Validate() error {
	if err := validateSettings(in.Name, in.CapacityGB, in.MaxUsers, [3]string{"org-name", "capacity-gb", "max-users"}); err != nil {
		return err
	}
	return ValidateUserID("admin-user-id", in.AdminUserID)
}

// OrganizationUpdate changes the organization's settings; nil fields stay.
type OrganizationUpdate struct {
	Name       *string
	CapacityGB *int64
	MaxUsers   *int64
}

// Apply returns the organization's settings after the update, checked.
func (in OrganizationUpdate) Apply(o Organization) (Organization, error) {
	if in.Name != nil {
		o.Name = *in.Name
	}
	if in.CapacityGB != nil {
		o.CapacityGB = *in.CapacityGB
	}
	if in.MaxUsers != nil {
		o.MaxUsers = *in.MaxUsers
	}
	return o, validateSettings(o.Name, o.CapacityGB, o.MaxUsers, [3]string{"name", "capacityGb", "maxUsers"})
}

// OrganizationService reads and initializes the organization.
type OrganizationService interface {
	// InitOrganization creates the organization, its root department and its
	// system administrator unless they already exist, and returns the
	// organization and whether it was created now. EINVALID for bad settings.
	InitOrganization(ctx context.Context, in OrganizationInit) (*Organization, bool, error)

	// FindOrganization returns the organization. ENOTFOUND before it is initialized.
	FindOrganization(ctx context.Context) (*Organization, error)

	// UpdateOrganization changes the purchased capacity, the user limit or
	// the name (also the root department's). EINVALID for a capacity below
	// what is allocated or a limit below the users there are; EFORBIDDEN
	// for anyone but a system administrator.
	UpdateOrganization(ctx context.Context, a Actor, in OrganizationUpdate) (*Organization, error)
}
