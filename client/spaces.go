package client

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/koodrive/koodrive"
)

var _ koodrive.SpaceService = (*SpaceService)(nil)

// SpaceService is koodrive.SpaceService over /koodrive/ose/v1/space,
// /service/quotaUsed and koodrive's usage report, with the usage endpoints
// that have no interface method. Its methods ignore the Actor argument.
// Spaces come without timestamps, which the API does not answer, and
// Allocated is inferred: a personal space, or a team space with capacity.
type SpaceService struct{ c *Client }

// Spaces returns the space service.
func (c *Client) Spaces() *SpaceService { return &SpaceService{c} }

// spaceJSON is the server's SpaceInfo: capacity in GB, spaceUsed in bytes.
type spaceJSON struct {
	Type        int    `json:"type"`
	Status      int    `json:"status"`
	OwnerID     wireID `json:"ownerId"`
	ContainerID string `json:"containerId"`
	Capacity    int64  `json:"capacity"`
	SpaceUsed   int64  `json:"spaceUsed"`
	TenantID    wireID `json:"tenantId"`
	Creator     wireID `json:"creator"`
	Modifier    wireID `json:"modifier"`
}

func (s *spaceJSON) space() *koodrive.Space {
	t := koodrive.SpaceType(s.Type)
	return &koodrive.Space{
		ContainerID: s.ContainerID, Type: t, OwnerID: koodrive.ID(s.OwnerID), OrgID: koodrive.ID(s.TenantID),
		CapacityGB: s.Capacity, UsedBytes: s.SpaceUsed, Status: koodrive.SpaceStatus(s.Status),
		Allocated: allocated(t, s.Capacity), CreatedBy: koodrive.ID(s.Creator), UpdatedBy: koodrive.ID(s.Modifier),
	}
}

// allocated guesses Space.Allocated, which the API does not carry: a
// personal space exists only once allocated; a team space of capacity 0
// was never given any, or was given it back (or resized to 0, which the
// guess misses).
func allocated(t koodrive.SpaceType, capacity int64) bool {
	return t == koodrive.SpacePersonal || capacity > 0
}

func spacePath(owner koodrive.ID) string { return oseV1 + "/space/" + owner.String() }

func typeQuery(t koodrive.SpaceType) url.Values {
	return url.Values{"type": {strconv.Itoa(int(t))}}
}

// CreateSpace allocates a personal space or a team space's first capacity
// (POST /space/{ownerId}). The capacity goes as a string, as KooDrive types it.
func (s *SpaceService) CreateSpace(ctx context.Context, _ koodrive.Actor, in koodrive.SpaceCreate) (*koodrive.Space, error) {
	body := struct {
		Capacity string `json:"capacity"`
		Type     int    `json:"type"`
	}{strconv.FormatInt(in.CapacityGB, 10), int(in.Type)}
	var out dataBody[spaceJSON]
	if err := s.c.do(ctx, request{method: http.MethodPost, path: spacePath(in.OwnerID), body: body}, &out); err != nil {
		return nil, err
	}
	return out.Data.space(), nil
}

// FindSpace returns a space (GET /space/{ownerId}?type=).
func (s *SpaceService) FindSpace(ctx context.Context, _ koodrive.Actor, owner koodrive.ID, t koodrive.SpaceType) (*koodrive.Space, error) {
	var out dataBody[spaceJSON]
	if err := s.c.do(ctx, request{method: http.MethodGet, path: spacePath(owner), query: typeQuery(t)}, &out); err != nil {
		return nil, err
	}
	return out.Data.space(), nil
}

// UpdateSpace resizes, enables or disables a space (PUT /space/{ownerId})
// and returns it as it now is.
func (s *SpaceService) UpdateSpace(ctx context.Context, _ koodrive.Actor, in koodrive.SpaceUpdate) (*koodrive.Space, error) {
	body := struct {
		Type     int     `json:"type"`
		Capacity *string `json:"capacity,omitempty"`
		Status   *int    `json:"status,omitempty"`
	}{Type: int(in.Type)}
	if in.CapacityGB != nil {
		c := strconv.FormatInt(*in.CapacityGB, 10)
		body.Capacity = &c
	}
	if in.Status != nil {
		st := int(*in.Status)
		body.Status = &st
	}
	var out dataBody[spaceJSON]
	if err := s.c.do(ctx, request{method: http.MethodPut, path: spacePath(in.OwnerID), body: body}, &out); err != nil {
		return nil, err
	}
	return out.Data.space(), nil
}

// DeleteSpace releases a space's capacity (DELETE /space/{ownerId}?type=).
func (s *SpaceService) DeleteSpace(ctx context.Context, _ koodrive.Actor, owner koodrive.ID, t koodrive.SpaceType) error {
	return s.c.do(ctx, request{method: http.MethodDelete, path: spacePath(owner), query: typeQuery(t)}, nil)
}

// userSpaceJSON is an item of /space/userList; no spaceStatus means the
// user has no personal space.
type userSpaceJSON struct {
	ID          wireID `json:"id"`
	UserID      string `json:"userId"`
	Name        string `json:"name"`
	DeptID      wireID `json:"deptId"`
	DeptName    string `json:"deptName"`
	Mobile      string `json:"mobile"`
	Role        int    `json:"role"`
	Status      int    `json:"status"`
	TenantID    wireID `json:"tenantId"`
	ContainerID string `json:"containerId"`
	Capacity    int64  `json:"capacity"`
	SpaceUsed   int64  `json:"spaceUsed"`
	SpaceStatus *int   `json:"spaceStatus"`
}

func (u *userSpaceJSON) userSpace() koodrive.UserSpace {
	out := koodrive.UserSpace{User: &koodrive.User{
		ID: koodrive.ID(u.ID), OrgID: koodrive.ID(u.TenantID), UserID: u.UserID, Name: u.Name, Mobile: u.Mobile,
		DeptID: koodrive.ID(u.DeptID), DeptName: u.DeptName, Role: koodrive.Role(u.Role), Status: koodrive.Status(u.Status),
	}}
	if u.SpaceStatus != nil {
		out.Space = (&spaceJSON{Type: int(koodrive.SpacePersonal), Status: *u.SpaceStatus, OwnerID: u.ID, ContainerID: u.ContainerID,
			Capacity: u.Capacity, SpaceUsed: u.SpaceUsed, TenantID: u.TenantID}).space()
	}
	return out
}

// FindUserSpaces lists users with their personal spaces (GET
// /space/userList) by offset. The endpoint has no cursor, so a filter with
// one is refused (EINVALID, errors.ErrUnsupported) rather than answered
// from the first page. [Client.AllUserSpaces] walks every page.
func (s *SpaceService) FindUserSpaces(ctx context.Context, _ koodrive.Actor, f koodrive.SpaceFilter) ([]koodrive.UserSpace, int, error) {
	if f.Cursor != 0 {
		return nil, 0, unsupported("FindUserSpaces with a cursor", "/space/userList pages by offset")
	}
	q := userQuery(f.UserFilter)
	if f.Status != nil {
		q.Set("spaceStatus", strconv.Itoa(int(*f.Status)))
	}
	var out struct {
		Total wireInt         `json:"total"`
		Users []userSpaceJSON `json:"users"`
	}
	if err := s.c.do(ctx, request{method: http.MethodGet, path: oseV1 + "/space/userList", query: q}, &out); err != nil {
		return nil, 0, err
	}
	items := make([]koodrive.UserSpace, len(out.Users))
	for i := range out.Users {
		items[i] = out.Users[i].userSpace()
	}
	return items, int(out.Total), nil
}

// departmentSpaceJSON is an item of /space/departmentList.
type departmentSpaceJSON struct {
	ID          wireID `json:"id"`
	ParentID    wireID `json:"parentId"`
	Name        string `json:"name"`
	TenantID    wireID `json:"tenantId"`
	OwnerID     wireID `json:"ownerId"`
	Status      int    `json:"status"`
	Capacity    int64  `json:"capacity"`
	SpaceUsed   int64  `json:"spaceUsed"`
	ContainerID string `json:"containerId"`
	UserNum     int    `json:"userNum"`
}

func (d *departmentSpaceJSON) departmentSpace() koodrive.DepartmentSpace {
	out := koodrive.DepartmentSpace{
		Department: &koodrive.Department{ID: koodrive.ID(d.ID), OrgID: koodrive.ID(d.TenantID), ParentID: koodrive.ID(d.ParentID), Name: d.Name},
		UserCount:  d.UserNum,
	}
	if d.ContainerID != "" {
		out.Space = (&spaceJSON{Type: int(koodrive.SpaceDepartment), Status: d.Status, OwnerID: d.OwnerID, ContainerID: d.ContainerID,
			Capacity: d.Capacity, SpaceUsed: d.SpaceUsed, TenantID: d.TenantID}).space()
	}
	return out
}

// FindDepartmentSpaces lists departments with their team spaces in tree
// order (GET /space/departmentList). [Client.AllDepartmentSpaces] walks
// every page.
func (s *SpaceService) FindDepartmentSpaces(ctx context.Context, _ koodrive.Actor, keyWord string, offset, limit int) ([]koodrive.DepartmentSpace, int, error) {
	q := url.Values{"offset": {strconv.Itoa(offset)}, "limit": {strconv.Itoa(limit)}}
	if keyWord != "" {
		q.Set("keyWord", keyWord)
	}
	var out struct {
		Total       wireInt               `json:"total"`
		Departments []departmentSpaceJSON `json:"departments"`
	}
	if err := s.c.do(ctx, request{method: http.MethodGet, path: oseV1 + "/space/departmentList", query: q}, &out); err != nil {
		return nil, 0, err
	}
	items := make([]koodrive.DepartmentSpace, len(out.Departments))
	for i := range out.Departments {
		items[i] = out.Departments[i].departmentSpace()
	}
	return items, int(out.Total), nil
}

// QuotaUsed is GET /koodrive/ose/v1/service/quotaUsed as KooDrive names
// it: a "quota" is GB allocated, "used" bytes stored, "quotaUsed" the GB
// stored rounded up; reserved is the GB no space has been given.
type QuotaUsed struct {
	SpaceCapacity          int64  `json:"spaceCapacity"` // GB purchased
	SpaceQuotaUsed         int64  `json:"spaceQuotaUsed"`
	SpaceUsed              int64  `json:"spaceUsed"`
	UserCount              int64  `json:"userCount"`
	UserMaxCount           int64  `json:"userMaxCount"`
	DeptSpaceQuota         int64  `json:"deptSpaceQuota"`
	PersonalSpaceQuota     int64  `json:"personalSpaceQuota"`
	GroupSpaceQuota        int64  `json:"groupSpaceQuota"`
	ReservedSpaceQuota     int64  `json:"reservedSpaceQuota"`
	DeptSpaceUsed          int64  `json:"deptSpaceUsed"`
	PersonalSpaceUsed      int64  `json:"personalSpaceUsed"`
	GroupSpaceUsed         int64  `json:"groupSpaceUsed"`
	DeptSpaceQuotaUsed     int64  `json:"deptSpaceQuotaUsed"`
	PersonalSpaceQuotaUsed int64  `json:"personalSpaceQuotaUsed"`
	GroupSpaceQuotaUsed    int64  `json:"groupSpaceQuotaUsed"`
	PackageDownloadExpires string `json:"packageDownloadExpires"`
	ProductType            string `json:"productType"`
}

// QuotaUsed returns the organization's capacity, allocations and usage
// (GET /service/quotaUsed).
func (s *SpaceService) QuotaUsed(ctx context.Context) (*QuotaUsed, error) {
	var out dataBody[QuotaUsed]
	if err := s.c.do(ctx, request{method: http.MethodGet, path: oseV1 + "/service/quotaUsed"}, &out); err != nil {
		return nil, err
	}
	return &out.Data, nil
}

// Usage returns the organization's totals, from /service/quotaUsed.
// AllocatedGB is the organization's own total (capacity less what is
// unallocated), ByType the sums of the spaces, so a caller can check that
// they agree. KindTotals.Spaces is 0: the API does not count spaces.
func (s *SpaceService) Usage(ctx context.Context, _ koodrive.Actor) (*koodrive.Usage, error) {
	q, err := s.QuotaUsed(ctx)
	if err != nil {
		return nil, err
	}
	u := &koodrive.Usage{
		CapacityGB: q.SpaceCapacity, AllocatedGB: q.SpaceCapacity - q.ReservedSpaceQuota, UsedBytes: q.SpaceUsed,
		UserCount: q.UserCount, MaxUsers: q.UserMaxCount,
	}
	u.ByType[koodrive.SpaceDepartment] = koodrive.KindTotals{AllocatedGB: q.DeptSpaceQuota, UsedBytes: q.DeptSpaceUsed}
	u.ByType[koodrive.SpacePersonal] = koodrive.KindTotals{AllocatedGB: q.PersonalSpaceQuota, UsedBytes: q.PersonalSpaceUsed}
	u.ByType[koodrive.SpaceGroup] = koodrive.KindTotals{AllocatedGB: q.GroupSpaceQuota, UsedBytes: q.GroupSpaceUsed}
	return u, nil
}

// Allocation is an item of GET /space/allocation/get: the GB allocated to
// one type of space, and the organization's capacity.
type Allocation struct {
	Type            koodrive.SpaceType `json:"type"`
	AllocatedGB     int64              `json:"allocateCapacity"`
	TotalCapacityGB int64              `json:"totalCapacity"`
}

// Allocations returns what each type of space (department, personal,
// group, in that order) has been given (GET /space/allocation/get).
func (s *SpaceService) Allocations(ctx context.Context) ([]Allocation, error) {
	var out dataBody[[]Allocation]
	if err := s.c.do(ctx, request{method: http.MethodGet, path: oseV1 + "/space/allocation/get"}, &out); err != nil {
		return nil, err
	}
	return out.Data, nil
}

// UsageOverview is GET /space/usage/overview: capacities in GB, the amount
// stored in KB, as KooDrive gives them.
type UsageOverview struct {
	TotalCapacityGB   int64 `json:"totalCapacity"`
	TotalAllocationGB int64 `json:"totalAllocation"`
	TotalUsedKB       int64 `json:"totalUsed"`
	QuotaGB           int64 `json:"quota"` // still unallocated
}

// UsageOverview returns the organization's capacity, allocation and usage
// (GET /space/usage/overview).
func (s *SpaceService) UsageOverview(ctx context.Context) (*UsageOverview, error) {
	var out dataBody[UsageOverview]
	if err := s.c.do(ctx, request{method: http.MethodGet, path: oseV1 + "/space/usage/overview"}, &out); err != nil {
		return nil, err
	}
	return &out.Data, nil
}

// ReportUsage records how much a space holds, in bytes, as the storage
// that keeps its files reports it (PUT
// /koodrive/admin/v1/spaces/{containerId}/usage).
func (s *SpaceService) ReportUsage(ctx context.Context, _ koodrive.Actor, containerID string, usedBytes int64) error {
	body := struct {
		SpaceUsed int64 `json:"spaceUsed"`
	}{usedBytes}
	path := adminV1 + "/spaces/" + url.PathEscape(containerID) + "/usage"
	return s.c.do(ctx, request{method: http.MethodPut, path: path, body: body}, nil)
}
