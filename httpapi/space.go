package httpapi

import (
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/koodrive/koodrive"
)

// spaceJSON is KooDrive's createSpaceRspInfo and SpaceInfo. Capacity is in
// GB and spaceUsed in bytes (docs/compatibility.md). koodrive keeps no
// files, so the file IDs are KooDrive's "root"/"sbox" prefixes on the
// container ID, the shape a client expects.
type spaceJSON struct {
	Type          int         `json:"type"`
	Status        int         `json:"status"`
	OwnerID       koodrive.ID `json:"ownerId"`
	ContainerID   string      `json:"containerId"`
	BizRootFileID string      `json:"bizRootFileId"`
	BizSboxFileID string      `json:"bizSboxFileId"`
	RootFileID    string      `json:"rootFileId"`
	Capacity      int64       `json:"capacity"`
	SpaceUsed     int64       `json:"spaceUsed"`
	TenantID      koodrive.ID `json:"tenantId"`
	Creator       koodrive.ID `json:"creator"`
	Modifier      koodrive.ID `json:"modifier"`
	OperatorID    koodrive.ID `json:"operatorId"`
}

func toSpaceJSON(sp *koodrive.Space) spaceJSON {
	return spaceJSON{
		Type: int(sp.Type), Status: int(sp.Status), OwnerID: sp.OwnerID, ContainerID: sp.ContainerID,
		BizRootFileID: "root" + sp.ContainerID, BizSboxFileID: "sbox" + sp.ContainerID, RootFileID: "root" + sp.ContainerID,
		Capacity: sp.CapacityGB, SpaceUsed: sp.UsedBytes, TenantID: sp.OrgID,
		Creator: sp.CreatedBy, Modifier: sp.UpdatedBy, OperatorID: sp.UpdatedBy,
	}
}

// spaceType parses a required space type. KooDrive types it Integer in
// bodies and String in queries; either is taken in both. Only department
// (0) and personal (1) spaces are allocated here: koodrive has no groups.
func (v scalar) spaceType(field string) (koodrive.SpaceType, error) {
	bad := koodrive.Invalid(field, koodrive.MsgSpaceType, nil)
	n, ok, err := v.integer(field, bad)
	switch {
	case err != nil:
		return 0, err
	case !ok:
		return 0, koodrive.Invalid(field, koodrive.MsgFieldRequired, nil)
	case n != int64(koodrive.SpaceDepartment) && n != int64(koodrive.SpacePersonal):
		return 0, bad
	}
	return koodrive.SpaceType(n), nil
}

// capacity parses a capacity in GB, which KooDrive types String and
// clients send as numbers too; ok is false when it is absent. The range and
// the allocation rules are the domain's (koodrive.CheckAllocation).
func (v scalar) capacity(field string) (n int64, ok bool, err error) {
	return v.integer(field, koodrive.Invalid(field, koodrive.MsgIntRange, koodrive.Params{"Min": 0, "Max": koodrive.MaxCapacityGB}))
}

// spaceStatus parses an optional space status, 0 or 1; nil when absent.
func (v scalar) spaceStatus(field string) (*koodrive.SpaceStatus, error) {
	bad := koodrive.Invalid(field, koodrive.MsgStatusInvalid, koodrive.Params{"Values": "0, 1"})
	n, ok, err := v.integer(field, bad)
	switch {
	case err != nil || !ok:
		return nil, err
	case n != int64(koodrive.SpaceNormal) && n != int64(koodrive.SpaceDisabled):
		return nil, bad
	}
	st := koodrive.SpaceStatus(n)
	return &st, nil
}

// queryScalar reads a query parameter as a scalar, so that a value may be
// parsed by the same rules in a query and in a body; absent when empty.
func queryScalar(r *http.Request, name string) scalar {
	s := strings.TrimSpace(r.URL.Query().Get(name))
	if s == "" {
		return scalar{}
	}
	return scalar{kind: 's', text: s}
}

// createSpaceRequest is the body of POST /space/{ownerId}. capabilities
// (the owner's file permissions) is accepted and ignored: koodrive keeps
// no files to apply it to.
type createSpaceRequest struct {
	Capacity scalar `json:"capacity"`
	Type     scalar `json:"type"`
}

func (s *Server) createSpace(w http.ResponseWriter, r *http.Request, a koodrive.Actor) error {
	owner, err := pathID(r, "ownerId")
	if err != nil {
		return err
	}
	var req createSpaceRequest
	if err := decodeBody(w, r, &req); err != nil {
		return err
	}
	in := koodrive.SpaceCreate{OwnerID: owner}
	capacity, ok, err := req.Capacity.capacity("capacity")
	switch {
	case err != nil:
		return err
	case !ok:
		return koodrive.Invalid("capacity", koodrive.MsgFieldRequired, nil)
	}
	in.CapacityGB = capacity
	if in.Type, err = req.Type.spaceType("type"); err != nil {
		return err
	}
	sp, err := s.svc.Spaces.CreateSpace(r.Context(), a, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, dataBody[spaceJSON]{s.success(r), toSpaceJSON(sp)})
	return nil
}

// getSpace answers GET /space/{ownerId}?type=. KooDrive's containerId picks
// one of a user's several personal spaces; a koodrive user has at most
// one, so it is ignored.
func (s *Server) getSpace(w http.ResponseWriter, r *http.Request, a koodrive.Actor) error {
	owner, err := pathID(r, "ownerId")
	if err != nil {
		return err
	}
	t, err := queryScalar(r, "type").spaceType("type")
	if err != nil {
		return err
	}
	sp, err := s.svc.Spaces.FindSpace(r.Context(), a, owner, t)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, dataBody[spaceJSON]{s.success(r), toSpaceJSON(sp)})
	return nil
}

// updateSpaceRequest is the body of PUT /space/{ownerId}; containerId is
// ignored as in getSpace.
type updateSpaceRequest struct {
	Type     scalar `json:"type"`
	Capacity scalar `json:"capacity"`
	Status   scalar `json:"status"`
}

func (s *Server) updateSpace(w http.ResponseWriter, r *http.Request, a koodrive.Actor) error {
	owner, err := pathID(r, "ownerId")
	if err != nil {
		return err
	}
	var req updateSpaceRequest
	if err := decodeBody(w, r, &req); err != nil {
		return err
	}
	in := koodrive.SpaceUpdate{OwnerID: owner}
	if in.Type, err = req.Type.spaceType("type"); err != nil {
		return err
	}
	if capacity, ok, err := req.Capacity.capacity("capacity"); err != nil {
		return err
	} else if ok {
		in.CapacityGB = &capacity
	}
	if in.Status, err = req.Status.spaceStatus("status"); err != nil {
		return err
	}
	sp, err := s.svc.Spaces.UpdateSpace(r.Context(), a, in)
	if err != nil {
		return err
	}
	// KooDrive answers code and msg only; the space as it now is spares the
	// client a second request.
	writeJSON(w, http.StatusOK, dataBody[spaceJSON]{s.success(r), toSpaceJSON(sp)})
	return nil
}

func (s *Server) deleteSpace(w http.ResponseWriter, r *http.Request, a koodrive.Actor) error {
	owner, err := pathID(r, "ownerId")
	if err != nil {
		return err
	}
	t, err := queryScalar(r, "type").spaceType("type")
	if err != nil {
		return err
	}
	if err := s.svc.Spaces.DeleteSpace(r.Context(), a, owner, t); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.success(r))
	return nil
}

// userSpaceJSON is an item of GET /space/userList: the user and its personal
// space. A user without a space has no spaceStatus, which tells "none
// allocated" apart from an allocated space of capacity 0.
type userSpaceJSON struct {
	Name        string      `json:"name"`
	DeptID      koodrive.ID `json:"deptId"`
	DeptName    string      `json:"deptName"`
	Mobile      string      `json:"mobile"`
	Role        int         `json:"role"`
	Status      int         `json:"status"`
	ContainerID string      `json:"containerId"`
	Capacity    int64       `json:"capacity"`
	SpaceUsed   int64       `json:"spaceUsed"`
	TenantID    koodrive.ID `json:"tenantId"`
	ID          koodrive.ID `json:"id"`
	UserID      string      `json:"userId"`
	SpaceStatus *int        `json:"spaceStatus,omitempty"`
}

func toUserSpaceJSON(us koodrive.UserSpace) userSpaceJSON {
	u := us.User
	out := userSpaceJSON{
		Name: u.Name, DeptID: u.DeptID, DeptName: u.DeptName, Mobile: u.Mobile,
		Role: int(u.Role), Status: int(u.Status), TenantID: u.OrgID, ID: u.ID, UserID: u.UserID,
	}
	if sp := us.Space; sp != nil {
		status := int(sp.Status)
		out.ContainerID, out.Capacity, out.SpaceUsed, out.SpaceStatus = sp.ContainerID, sp.CapacityGB, sp.UsedBytes, &status
	}
	return out
}

// userSpaceListBody is GET /space/userList; KooDrive types its total as a
// String, unlike /userList's.
type userSpaceListBody struct {
	envelope
	Total string          `json:"total"`
	Users []userSpaceJSON `json:"users"`
}

// listUserSpaces takes /userList's parameters, plus spaceStatus.
func (s *Server) listUserSpaces(w http.ResponseWriter, r *http.Request, a koodrive.Actor) error {
	var f koodrive.SpaceFilter
	var err error
	if f.DeptID, err = queryID(r, "deptId"); err != nil {
		return err
	}
	if f.Direct, err = queryBool(r, "isDirect"); err != nil {
		return err
	}
	if f.Offset, err = queryInt(r, "offset", 0, 1<<31-1, true, 0); err != nil {
		return err
	}
	if f.Limit, err = queryInt(r, "limit", 1, koodrive.MaxPageSize, true, 0); err != nil {
		return err
	}
	if f.KeyWord, err = queryKeyWord(r, "keyWord"); err != nil {
		return err
	}
	if f.Status, err = queryScalar(r, "spaceStatus").spaceStatus("spaceStatus"); err != nil {
		return err
	}
	items, total, err := s.svc.Spaces.FindUserSpaces(r.Context(), a, f)
	if err != nil {
		return err
	}
	body := userSpaceListBody{envelope: s.success(r), Total: strconv.Itoa(total), Users: make([]userSpaceJSON, len(items))}
	for i, us := range items {
		body.Users[i] = toUserSpaceJSON(us)
	}
	writeJSON(w, http.StatusOK, body)
	return nil
}

// departmentSpaceJSON is an item of GET /space/departmentList: the
// department and its team space, whose owner is the department itself.
type departmentSpaceJSON struct {
	ID          koodrive.ID `json:"id"`
	ParentID    koodrive.ID `json:"parentId"`
	Name        string      `json:"name"`
	TenantID    koodrive.ID `json:"tenantId"`
	OwnerID     koodrive.ID `json:"ownerId"`
	Status      int         `json:"status"`
	Capacity    int64       `json:"capacity"`
	SpaceUsed   int64       `json:"spaceUsed"`
	ContainerID string      `json:"containerId"`
	UserNum     int         `json:"userNum"`
}

func toDepartmentSpaceJSON(ds koodrive.DepartmentSpace) departmentSpaceJSON {
	d := ds.Department
	out := departmentSpaceJSON{ID: d.ID, ParentID: d.ParentID, Name: d.Name, TenantID: d.OrgID, OwnerID: d.ID, UserNum: ds.UserCount}
	// Every department has a team space; without one the department is
	// still listed, as one that holds and was given nothing.
	if sp := ds.Space; sp != nil {
		out.Status, out.Capacity, out.SpaceUsed, out.ContainerID = int(sp.Status), sp.CapacityGB, sp.UsedBytes, sp.ContainerID
	}
	return out
}

type departmentSpaceListBody struct {
	envelope
	Total       string                `json:"total"`
	Departments []departmentSpaceJSON `json:"departments"`
}

func (s *Server) listDepartmentSpaces(w http.ResponseWriter, r *http.Request, a koodrive.Actor) error {
	offset, err := queryInt(r, "offset", 0, 1<<31-1, true, 0)
	if err != nil {
		return err
	}
	limit, err := queryInt(r, "limit", 1, koodrive.MaxPageSize, true, 0)
	if err != nil {
		return err
	}
	keyWord, err := queryKeyWord(r, "keyWord")
	if err != nil {
		return err
	}
	items, total, err := s.svc.Spaces.FindDepartmentSpaces(r.Context(), a, keyWord, offset, limit)
	if err != nil {
		return err
	}
	body := departmentSpaceListBody{envelope: s.success(r), Total: strconv.Itoa(total), Departments: make([]departmentSpaceJSON, len(items))}
	for i, ds := range items {
		body.Departments[i] = toDepartmentSpaceJSON(ds)
	}
	writeJSON(w, http.StatusOK, body)
	return nil
}

// allocationJSON is an item of GET /space/allocation/get, in GB.
type allocationJSON struct {
	Type             int   `json:"type"`
	AllocateCapacity int64 `json:"allocateCapacity"`
	TotalCapacity    int64 `json:"totalCapacity"`
}

// getAllocation answers what each type of space (department, personal,
// group) has been given out of the organization's capacity.
func (s *Server) getAllocation(w http.ResponseWriter, r *http.Request, a koodrive.Actor) error {
	u, err := s.svc.Spaces.Usage(r.Context(), a)
	if err != nil {
		return err
	}
	out := make([]allocationJSON, len(u.ByType))
	for t, k := range u.ByType {
		out[t] = allocationJSON{Type: t, AllocateCapacity: k.AllocatedGB, TotalCapacity: u.CapacityGB}
	}
	writeJSON(w, http.StatusOK, dataBody[[]allocationJSON]{s.success(r), out})
	return nil
}

// usageOverviewJSON is GET /space/usage/overview: capacities in GB, the
// amount used in KB, as KooDrive gives them.
type usageOverviewJSON struct {
	TotalAllocation int64 `json:"totalAllocation"`
	TotalCapacity   int64 `json:"totalCapacity"`
	TotalUsed       int64 `json:"totalUsed"`
	Quota           int64 `json:"quota"`
}

func (s *Server) getUsageOverview(w http.ResponseWriter, r *http.Request, a koodrive.Actor) error {
	u, err := s.svc.Spaces.Usage(r.Context(), a)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, dataBody[usageOverviewJSON]{s.success(r), usageOverviewJSON{
		TotalAllocation: u.AllocatedGB, TotalCapacity: u.CapacityGB,
		TotalUsed: koodrive.CeilDiv(u.UsedBytes, 1024), Quota: u.CapacityGB - u.AllocatedGB,
	}})
	return nil
}

// quotaUsedJSON is GET /service/quotaUsed. KooDrive's naming: a "quota" is
// GB allocated, "used" is bytes stored, "quotaUsed" is the GB stored
// (rounded up to whole GB); reserved is what no space has been given.
// koodrive sells no packages, so the package fields are empty.
type quotaUsedJSON struct {
	SpaceCapacity          int64  `json:"spaceCapacity"`
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

func (s *Server) getQuotaUsed(w http.ResponseWriter, r *http.Request, a koodrive.Actor) error {
	u, err := s.svc.Spaces.Usage(r.Context(), a)
	if err != nil {
		return err
	}
	dept, personal, group := u.ByType[koodrive.SpaceDepartment], u.ByType[koodrive.SpacePersonal], u.ByType[koodrive.SpaceGroup]
	writeJSON(w, http.StatusOK, dataBody[quotaUsedJSON]{s.success(r), quotaUsedJSON{
		SpaceCapacity: u.CapacityGB, SpaceQuotaUsed: koodrive.CeilDiv(u.UsedBytes, koodrive.GB), SpaceUsed: u.UsedBytes,
		UserCount: u.UserCount, UserMaxCount: u.MaxUsers,
		DeptSpaceQuota: dept.AllocatedGB, PersonalSpaceQuota: personal.AllocatedGB, GroupSpaceQuota: group.AllocatedGB,
		ReservedSpaceQuota: u.CapacityGB - u.AllocatedGB,
		DeptSpaceUsed:      dept.UsedBytes, PersonalSpaceUsed: personal.UsedBytes, GroupSpaceUsed: group.UsedBytes,
		DeptSpaceQuotaUsed:     koodrive.CeilDiv(dept.UsedBytes, koodrive.GB),
		PersonalSpaceQuotaUsed: koodrive.CeilDiv(personal.UsedBytes, koodrive.GB),
		GroupSpaceQuotaUsed:    koodrive.CeilDiv(group.UsedBytes, koodrive.GB),
	}})
	return nil
}

// reportUsage is koodrive's PUT /koodrive/admin/v1/spaces/{containerId}/usage:
// koodrive keeps no files, so the storage that does reports what each space
// holds, with app authentication as a service account.
func (s *Server) reportUsage(w http.ResponseWriter, r *http.Request, a koodrive.Actor) error {
	var req struct {
		SpaceUsed scalar `json:"spaceUsed"`
	}
	if err := decodeBody(w, r, &req); err != nil {
		return err
	}
	bad := koodrive.Invalid("spaceUsed", koodrive.MsgIntRange, koodrive.Params{"Min": 0, "Max": int64(math.MaxInt64)})
	used, ok, err := req.SpaceUsed.integer("spaceUsed", bad)
	switch {
	case err != nil:
		return err
	case !ok:
		return koodrive.Invalid("spaceUsed", koodrive.MsgFieldRequired, nil)
	case used < 0:
		return bad
	}
	if err := s.svc.Spaces.ReportUsage(r.Context(), a, r.PathValue("containerId"), used); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.success(r))
	return nil
}
