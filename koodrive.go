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

// Validate reports the first problem with the initial settings.
func (in OrganizationInit) Validate() error {
	if in.CapacityGB < 0 || in.CapacityGB > MaxCapacityGB*1000 {
		return Invalid("capacity-gb", MsgIntRange, Params{"Min": 0, "Max": MaxCapacityGB * 1000})
	}
	if in.MaxUsers < 1 || in.MaxUsers > 100_000_000 {
		return Invalid("max-users", MsgIntRange, Params{"Min": 1, "Max": 100_000_000})
	}
	if err := ValidateDepartmentName("name", in.Name); err != nil {
		return err
	}
	return ValidateUserID("admin-user-id", in.AdminUserID)
}

// OrganizationService reads and initializes the organization.
type OrganizationService interface {
	// InitOrganization creates the organization, its root department and its
	// system administrator unless they already exist, and returns the
	// organization and whether it was created now. EINVALID for bad settings.
	InitOrganization(ctx context.Context, in OrganizationInit) (*Organization, bool, error)

	// FindOrganization returns the organization. ENOTFOUND before it is initialized.
	FindOrganization(ctx context.Context) (*Organization, error)
}
