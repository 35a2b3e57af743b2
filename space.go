package koodrive

import (
	"context"
	"time"
)

// SpaceType is KooDrive's kind of space.
type SpaceType int

// Space types.
const (
	SpaceDepartment SpaceType = 0 // a department's team space
	SpacePersonal   SpaceType = 1 // a user's personal space
	SpaceGroup      SpaceType = 2 // group spaces; koodrive has none
)

// SpaceStatus says whether a space may be used.
type SpaceStatus int

// Space statuses.
const (
	SpaceNormal   SpaceStatus = 0
	SpaceDisabled SpaceStatus = 1
)

// GB is the number of bytes in one GB of capacity.
const GB = 1 << 30

// CeilDiv divides a non-negative n by unit, rounding up, without the
// overflow of (n+unit-1)/unit near the largest int64: a space holding one
// byte more than a GB holds two GB's worth.
func CeilDiv(n, unit int64) int64 {
	q := n / unit
	if n%unit != 0 {
		q++
	}
	return q
}

// Space is storage capacity given to a department (its team space, which
// every department has) or to a user (a personal space, which a user has
// once an administrator allocates one).
type Space struct {
	ContainerID string
	Type        SpaceType
	OwnerID     ID // the department or the user
	OrgID       ID
	CapacityGB  int64
	UsedBytes   int64
	Status      SpaceStatus
	// Allocated is false for a team space that has never been given
	// capacity: its first allocation may not be 0.
	Allocated bool
	CreatedBy ID
	UpdatedBy ID
	CreatedAt time.Time
	UpdatedAt time.Time
}

// CheckAllocation applies KooDrive's three allocation rules to giving a
// space (nil when it does not exist yet) capacity GB, with unallocated GB of
// the organization's capacity free: a first allocation is not 0; it is no
// more than what is free beyond what the space already has; and it is not
// less than what the space already holds.
func CheckAllocation(s *Space, capacity, unallocated int64) error {
	if capacity < 0 || capacity > MaxCapacityGB {
		return Invalid("capacity", MsgIntRange, Params{"Min": 0, "Max": MaxCapacityGB})
	}
	var current, used int64
	first := s == nil || !s.Allocated
	if s != nil {
		current, used = s.CapacityGB, s.UsedBytes
	}
	if first && capacity == 0 {
		return Invalid("capacity", MsgFirstAllocation, nil)
	}
	if capacity*GB < used {
		return Invalid("capacity", MsgBelowUsed, Params{"UsedGB": CeilDiv(used, GB)})
	}
	if more := capacity - current; more > unallocated {
		return NewError(EINSUFFICIENTSPACE, "capacity", MsgInsufficientSpace, Params{"Need": more, "Left": unallocated})
	}
	return nil
}

// SpaceCreate is a request to allocate a space.
type SpaceCreate struct {
	OwnerID    ID
	Type       SpaceType
	CapacityGB int64
}

// SpaceUpdate changes a space's capacity, status or both.
type SpaceUpdate struct {
	OwnerID    ID
	Type       SpaceType
	CapacityGB *int64
	Status     *SpaceStatus
}

// UserSpace is a user with the personal space it has, if any.
type UserSpace struct {
	User  *User
	Space *Space // nil: none allocated
}

// DepartmentSpace is a department with its team space and its number of
// users (direct members).
type DepartmentSpace struct {
	Department *Department
	Space      *Space
	UserCount  int
}

// SpaceFilter selects personal spaces for a listing; Status filters on the
// space's status (users without a space never match it).
type SpaceFilter struct {
	UserFilter
	Status *SpaceStatus
}

// KindTotals sums the spaces of one type.
type KindTotals struct {
	Spaces      int
	AllocatedGB int64
	UsedBytes   int64
}

// Usage is the organization's capacity and what its spaces hold.
type Usage struct {
	CapacityGB  int64
	AllocatedGB int64
	UsedBytes   int64
	UserCount   int64
	MaxUsers    int64
	ByType      [3]KindTotals // indexed by SpaceType
}

// SpaceService allocates and changes spaces. Managing needs OpManageSpaces
// on the owner's department (for a personal space, the user's); reading
// needs OpReadSpaces, except that users may read their own personal space.
type SpaceService interface {
	// CreateSpace allocates a personal space, or a team space's first
	// capacity. ECONFLICT if it is already allocated, ENOTFOUND for an
	// unknown owner, EINVALID or EINSUFFICIENTSPACE against the rules.
	CreateSpace(ctx context.Context, a Actor, in SpaceCreate) (*Space, error)

	// FindSpace returns a space. ENOTFOUND if the owner has none.
	FindSpace(ctx context.Context, a Actor, owner ID, t SpaceType) (*Space, error)

	// UpdateSpace changes capacity (under the allocation rules) or status.
	UpdateSpace(ctx context.Context, a Actor, in SpaceUpdate) (*Space, error)

	// DeleteSpace releases a space's capacity to the organization: a
	// personal space is removed, a team space goes back to capacity 0.
	// EINVALID while it holds data.
	DeleteSpace(ctx context.Context, a Actor, owner ID, t SpaceType) error

	// FindUserSpaces lists users with their personal spaces.
	FindUserSpaces(ctx context.Context, a Actor, f SpaceFilter) ([]UserSpace, int, error)

	// FindDepartmentSpaces lists departments the actor may read with their
	// team spaces, in path order; keyWord matches the department's name.
	FindDepartmentSpaces(ctx context.Context, a Actor, keyWord string, offset, limit int) ([]DepartmentSpace, int, error)

	// Usage returns the organization's totals. Any administrator may read it.
	Usage(ctx context.Context, a Actor) (*Usage, error)

	// ReportUsage records how much a space holds, as the storage that keeps
	// its files reports it. ENOTFOUND for an unknown container.
	ReportUsage(ctx context.Context, a Actor, containerID string, usedBytes int64) error
}
