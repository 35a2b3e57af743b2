package main

import (
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode"

	"github.com/koodrive/koodrive"
	"github.com/koodrive/koodrive/client"
)

// The client tests drive the real server through package client, as an
// integration written against koodrive's service interfaces would.

// clientFor returns a client of s with opts, failing the test on error.
func clientFor(t *testing.T, s *server, opts ...client.Option) *client.Client {
	t.Helper()
	c, err := client.New(s.URL, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func clientID(t *testing.T, s string) koodrive.ID {
	t.Helper()
	id, err := koodrive.ParseID(s)
	if err != nil {
		t.Fatalf("id %q: %v", s, err)
	}
	return id
}

// clientWantKind fails unless err is a *client.Error of kind k with a trace ID.
func clientWantKind(t *testing.T, err error, k koodrive.Kind) *client.Error {
	t.Helper()
	var ce *client.Error
	if !errors.As(err, &ce) {
		t.Fatalf("error %v (%T), want a *client.Error of kind %s", err, err, k)
	}
	if got := koodrive.ErrorKind(err); got != k {
		t.Errorf("kind %q, want %q (status %d, code %d, msg %q)", got, k, ce.Status, ce.Code, ce.Msg)
	}
	if len(ce.TraceID) != 58 {
		t.Errorf("trace ID %q, want the server's 58 characters", ce.TraceID)
	}
	return ce
}

func TestClient_UsersAndDepartments(t *testing.T) {
	s := startServer(t)
	ctx := t.Context()
	c := clientFor(t, s, client.WithToken(s.Admin))
	users, depts := c.Users(), c.Departments()
	var none koodrive.Actor // ignored: the token decides who acts
	root := clientID(t, s.Root)

	roots, err := depts.FindDepartments(ctx, none, koodrive.DepartmentFilter{})
	if err != nil || len(roots) != 1 || roots[0].ID != root || roots[0].ParentID != 0 {
		t.Fatalf("root departments %+v, %v; want the root %d with parent 0", roots, err, root)
	}
	sales, err := depts.CreateDepartment(ctx, none, koodrive.DepartmentCreate{Name: "Sales", ParentID: root})
	if err != nil {
		t.Fatal(err)
	}
	emea, err := depts.CreateDepartment(ctx, none, koodrive.DepartmentCreate{Name: "EMEA", ParentID: sales.ID})
	if err != nil {
		t.Fatal(err)
	}
	got, err := depts.FindDepartmentByID(ctx, none, emea.ID)
	if err != nil || got.Name != "EMEA" || got.ParentID != sales.ID || got.OrgID == 0 {
		t.Errorf("FindDepartmentByID %+v, %v; want EMEA under Sales", got, err)
	}
	children, err := depts.FindDepartments(ctx, none, koodrive.DepartmentFilter{ParentID: root})
	if err != nil || len(children) != 1 || children[0].ID != sales.ID {
		t.Errorf("children of the root %+v, %v; want Sales", children, err)
	}

	// 23 users in Sales and its subtree, made through the client.
	created := map[koodrive.ID]string{}
	for i := range 23 {
		dept := sales.ID
		if i%3 == 0 {
			dept = emea.ID
		}
		in := koodrive.UserCreate{UserID: fmt.Sprintf("client-%02d", i), Name: fmt.Sprintf("Client %d", i), DeptID: dept}
		if i == 0 {
			in.Mobile, in.Email = "13800000001", "c0@example.com"
		}
		u, err := users.CreateUser(ctx, none, in)
		if err != nil {
			t.Fatalf("create %s: %v", in.UserID, err)
		}
		if u.ID == 0 || u.DeptID != dept || u.Status != koodrive.StatusNotActivated || u.Role != koodrive.RoleUser {
			t.Errorf("created %+v", u)
		}
		created[u.ID] = in.UserID
	}

	t.Run("AllUsersAcrossPages", func(t *testing.T) {
		// Halfway through, a user already listed is deleted and one is
		// added: the cursor keeps the listing's place, where an offset
		// would now skip a user.
		want := map[koodrive.ID]string{}
		for id, userID := range created {
			want[id] = userID
		}
		seen := map[koodrive.ID]bool{}
		for u, err := range c.AllUsers(ctx, koodrive.UserFilter{DeptID: sales.ID, Limit: 5}) {
			if err != nil {
				t.Fatal(err)
			}
			if seen[u.ID] {
				t.Errorf("user %d (%s) listed twice", u.ID, u.UserID)
			}
			seen[u.ID] = true
			if want[u.ID] != u.UserID {
				t.Errorf("listed %d %q, want %q", u.ID, u.UserID, want[u.ID])
			}
			if len(seen) == 7 {
				for id, userID := range created {
					if userID == "client-01" {
						if err := users.DeleteUser(ctx, none, id); err != nil {
							t.Fatal(err)
						}
						delete(created, id)
					}
				}
				late, err := users.CreateUser(ctx, none, koodrive.UserCreate{UserID: "client-late", DeptID: sales.ID})
				if err != nil {
					t.Fatal(err)
				}
				want[late.ID], created[late.ID] = "client-late", "client-late"
			}
		}
		if len(seen) != len(want) {
			t.Errorf("%d users listed, want %d", len(seen), len(want))
		}
	})

	t.Run("FindUsersByOffsetAndCursor", func(t *testing.T) {
		page, total, err := users.FindUsers(ctx, none, koodrive.UserFilter{DeptID: emea.ID, Direct: true, Limit: 3})
		if err != nil || total != 8 || len(page) != 3 {
			t.Fatalf("EMEA page of %d, total %d, %v; want 3 of 8", len(page), total, err)
		}
		next, _, err := users.FindUsers(ctx, none, koodrive.UserFilter{DeptID: emea.ID, Direct: true, Cursor: page[2].ID, Limit: 3})
		if err != nil || len(next) != 3 || next[0].ID <= page[2].ID {
			t.Errorf("page after cursor %d: %d users, %v", page[2].ID, len(next), err)
		}
		n, err := users.CountUsers(ctx, none, sales.ID)
		if err != nil || n != 23 {
			t.Errorf("CountUsers(Sales) %d, %v; want 23", n, err)
		}
	})

	t.Run("GetUpdateDelete", func(t *testing.T) {
		var id koodrive.ID
		for k, v := range created {
			if v == "client-00" {
				id = k
			}
		}
		u, err := users.FindUserByID(ctx, none, id)
		if err != nil {
			t.Fatal(err)
		}
		if u.UserID != "client-00" || u.DeptID != emea.ID || u.DeptName != "EMEA" || u.Email != "c0@example.com" || u.OrgID == 0 {
			t.Errorf("user %+v", u)
		}
		mobile, err := users.FindUserMobile(ctx, id)
		if err != nil || !strings.HasSuffix(mobile, "13800000001") {
			t.Errorf("mobile %q, %v", mobile, err)
		}
		name, role, disabled, email := "Renamed", koodrive.RoleMemberManager, koodrive.StatusDisabled, ""
		u, err = users.UpdateUser(ctx, none, id, koodrive.UserUpdate{DeptID: &sales.ID, Name: &name, Role: &role, Status: &disabled, Email: &email})
		if err != nil {
			t.Fatal(err)
		}
		if u.Name != "Renamed" || u.DeptID != sales.ID || u.Role != role || u.Status != disabled || u.Email != "" {
			t.Errorf("updated %+v", u)
		}
		if err := users.DeleteUser(ctx, none, id); err != nil {
			t.Fatal(err)
		}
		_, err = users.FindUserByID(ctx, none, id)
		clientWantKind(t, err, koodrive.ENOTFOUND)
	})

	t.Run("UpdateAndDeleteDepartment", func(t *testing.T) {
		empty, err := depts.CreateDepartment(ctx, none, koodrive.DepartmentCreate{Name: "Empty", ParentID: root})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := depts.UpdateDepartment(ctx, none, empty.ID, koodrive.DepartmentUpdate{Name: "Moved", ParentID: sales.ID}); err != nil {
			t.Fatal(err)
		}
		d, err := depts.FindDepartmentByID(ctx, none, empty.ID)
		if err != nil || d.Name != "Moved" || d.ParentID != sales.ID {
			t.Errorf("after update %+v, %v; want Moved under Sales", d, err)
		}
		// The root keeps parent "0" when renamed.
		if _, err := depts.UpdateDepartment(ctx, none, root, koodrive.DepartmentUpdate{Name: "Acme"}); err != nil {
			t.Fatal(err)
		}
		if err := depts.DeleteDepartment(ctx, none, empty.ID); err != nil {
			t.Fatal(err)
		}
		_, err = depts.FindDepartmentByID(ctx, none, empty.ID)
		clientWantKind(t, err, koodrive.ENOTFOUND)
		err = depts.DeleteDepartment(ctx, none, sales.ID) // it has users
		clientWantKind(t, err, koodrive.EINVALID)
	})
}

func TestClient_Spaces(t *testing.T) {
	s := startServer(t)
	ctx := t.Context()
	c := clientFor(t, s, client.WithToken(s.Admin))
	spaces := c.Spaces()
	var none koodrive.Actor
	root := clientID(t, s.Root)
	dept, err := c.Departments().CreateDepartment(ctx, none, koodrive.DepartmentCreate{Name: "Team", ParentID: root})
	if err != nil {
		t.Fatal(err)
	}
	u, err := c.Users().CreateUser(ctx, none, koodrive.UserCreate{UserID: "spacer", DeptID: dept.ID})
	if err != nil {
		t.Fatal(err)
	}

	personal, err := spaces.CreateSpace(ctx, none, koodrive.SpaceCreate{OwnerID: u.ID, Type: koodrive.SpacePersonal, CapacityGB: 10})
	if err != nil {
		t.Fatal(err)
	}
	if personal.OwnerID != u.ID || personal.CapacityGB != 10 || len(personal.ContainerID) != 40 || !personal.Allocated {
		t.Errorf("personal space %+v", personal)
	}
	_, err = spaces.CreateSpace(ctx, none, koodrive.SpaceCreate{OwnerID: u.ID, Type: koodrive.SpacePersonal, CapacityGB: 10})
	clientWantKind(t, err, koodrive.ECONFLICT)
	_, err = spaces.CreateSpace(ctx, none, koodrive.SpaceCreate{OwnerID: dept.ID, Type: koodrive.SpaceDepartment, CapacityGB: 5000})
	clientWantKind(t, err, koodrive.EINSUFFICIENTSPACE)
	team, err := spaces.CreateSpace(ctx, none, koodrive.SpaceCreate{OwnerID: dept.ID, Type: koodrive.SpaceDepartment, CapacityGB: 20})
	if err != nil {
		t.Fatal(err)
	}

	if err := spaces.ReportUsage(ctx, none, personal.ContainerID, 3*koodrive.GB+1); err != nil {
		t.Fatal(err)
	}
	capacity := int64(12)
	got, err := spaces.UpdateSpace(ctx, none, koodrive.SpaceUpdate{OwnerID: u.ID, Type: koodrive.SpacePersonal, CapacityGB: &capacity})
	if err != nil || got.CapacityGB != 12 || got.UsedBytes != 3*koodrive.GB+1 {
		t.Errorf("resized %+v, %v; want 12 GB holding the reported bytes", got, err)
	}
	got, err = spaces.FindSpace(ctx, none, dept.ID, koodrive.SpaceDepartment)
	if err != nil || got.ContainerID != team.ContainerID || got.CapacityGB != 20 {
		t.Errorf("team space %+v, %v", got, err)
	}

	usage, err := spaces.Usage(ctx, none)
	if err != nil {
		t.Fatal(err)
	}
	if usage.CapacityGB != 1024 || usage.AllocatedGB != 32 || usage.UsedBytes != 3*koodrive.GB+1 ||
		usage.ByType[koodrive.SpacePersonal].AllocatedGB != 12 || usage.ByType[koodrive.SpaceDepartment].AllocatedGB != 20 {
		t.Errorf("usage %+v", usage)
	}
	alloc, err := spaces.Allocations(ctx)
	if err != nil || len(alloc) != 3 || alloc[koodrive.SpacePersonal].AllocatedGB != 12 || alloc[0].TotalCapacityGB != 1024 {
		t.Errorf("allocations %+v, %v", alloc, err)
	}
	overview, err := spaces.UsageOverview(ctx)
	if err != nil || overview.TotalAllocationGB != 32 || overview.QuotaGB != 1024-32 || overview.TotalUsedKB != koodrive.CeilDiv(3*koodrive.GB+1, 1024) {
		t.Errorf("overview %+v, %v", overview, err)
	}

	var withSpace int
	for us, err := range c.AllUserSpaces(ctx, koodrive.SpaceFilter{UserFilter: koodrive.UserFilter{Limit: 1}}) {
		if err != nil {
			t.Fatal(err)
		}
		if us.Space != nil {
			withSpace++
			if us.User.ID != u.ID || us.Space.ContainerID != personal.ContainerID {
				t.Errorf("user space %+v %+v", us.User, us.Space)
			}
		}
	}
	if withSpace != 1 {
		t.Errorf("%d users with a space, want 1", withSpace)
	}
	var names []string
	for ds, err := range c.AllDepartmentSpaces(ctx, "") {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, ds.Department.Name)
		if ds.Department.ID == dept.ID && (ds.Space == nil || ds.Space.CapacityGB != 20 || ds.UserCount != 1) {
			t.Errorf("Team %+v with space %+v", ds, ds.Space)
		}
	}
	if strings.Join(names, ",") != "Organization,Team" {
		t.Errorf("departments %v, want Organization, Team", names)
	}

	// A space that holds data is not released; once emptied it is.
	clientWantKind(t, spaces.DeleteSpace(ctx, none, u.ID, koodrive.SpacePersonal), koodrive.EINVALID)
	if err := spaces.ReportUsage(ctx, none, personal.ContainerID, 0); err != nil {
		t.Fatal(err)
	}
	if err := spaces.DeleteSpace(ctx, none, u.ID, koodrive.SpacePersonal); err != nil {
		t.Fatal(err)
	}
	_, err = spaces.FindSpace(ctx, none, u.ID, koodrive.SpacePersonal)
	clientWantKind(t, err, koodrive.ENOTFOUND)
}

func TestClient_OrganizationAndAudit(t *testing.T) {
	s := startServer(t)
	ctx := t.Context()
	var n atomic.Int64
	traceIDs := func() string { return fmt.Sprintf("client-e2e-%047d", n.Add(1)) }
	c := clientFor(t, s, client.WithToken(s.Admin), client.WithTraceIDs(traceIDs))
	orgs := c.Organization()

	org, err := orgs.FindOrganization(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if org.Name != "Organization" || org.CapacityGB != 1024 || org.MaxUsers != 10000 || org.UserCount != 1 || org.RootDeptID != clientID(t, s.Root) {
		t.Errorf("organization %+v", org)
	}
	name, capacity := "Acme", int64(2048)
	org, err = orgs.UpdateOrganization(ctx, koodrive.Actor{}, koodrive.OrganizationUpdate{Name: &name, CapacityGB: &capacity})
	if err != nil || org.Name != "Acme" || org.CapacityGB != 2048 || org.MaxUsers != 10000 {
		t.Fatalf("updated %+v, %v", org, err)
	}
	updateTrace := fmt.Sprintf("client-e2e-%047d", n.Load())
	tooFew := int64(0)
	_, err = orgs.UpdateOrganization(ctx, koodrive.Actor{}, koodrive.OrganizationUpdate{MaxUsers: &tooFew})
	refusedTrace := clientWantKind(t, err, koodrive.EINVALID).TraceID
	if refusedTrace != fmt.Sprintf("client-e2e-%047d", n.Load()) {
		t.Errorf("error trace ID %q, want the one the client sent", refusedTrace)
	}
	_, _, err = orgs.InitOrganization(ctx, koodrive.OrganizationInit{})
	if koodrive.ErrorKind(err) != koodrive.EINVALID || !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("InitOrganization: %v, want EINVALID, unsupported", err)
	}

	// Both attempts are in the audit log, each with its request's trace ID.
	byTrace := map[string]*koodrive.AuditEntry{}
	for e, err := range c.AllAuditEntries(ctx, koodrive.AuditFilter{Operations: []string{koodrive.AuditUpdateOrganization}, PageSize: 1}) {
		if err != nil {
			t.Fatal(err)
		}
		byTrace[e.TraceID] = e
	}
	ok, refused := byTrace[updateTrace], byTrace[refusedTrace]
	if len(byTrace) != 2 || ok == nil || refused == nil {
		t.Fatalf("entries by trace %v, want the update %s and the refusal %s", byTrace, updateTrace, refusedTrace)
	}
	if ok.Result != koodrive.AuditSucceeded || ok.OperatorName != "admin" || ok.OperatorID == 0 || ok.Resource != "organization" || ok.Time.IsZero() {
		t.Errorf("update entry %+v", ok)
	}
	if refused.Result != koodrive.AuditFailed || refused.Message == nil || refused.Message.ID == "" {
		t.Errorf("refused entry %+v, want a failure with its reason", refused)
	}
	entries, total, err := c.Audit().FindAuditEntries(ctx, koodrive.Actor{}, koodrive.AuditFilter{PageSize: 2, PageNum: 1, Ascending: true})
	if err != nil || len(entries) != 2 || total < 3 || entries[0].Operation != koodrive.AuditInitOrganization {
		t.Errorf("oldest entries %+v of %d, %v; want the first start first", entries, total, err)
	}
}

func TestClient_Preverify(t *testing.T) {
	s := startServer(t)
	ctx := t.Context()
	root := clientID(t, s.Root)
	c := clientFor(t, s, client.WithToken(s.Admin))
	if _, err := c.Departments().CreateDepartment(ctx, koodrive.Actor{}, koodrive.DepartmentCreate{Name: "Sales", ParentID: root}); err != nil {
		t.Fatal(err)
	}
	yes, no := true, false
	rows := []koodrive.ImportRow{
		{TargetDeptName: "Sales", PersonalCapacity: "10", IsAllocateCapacity: &yes, UserID: "new-1"},
		{TargetDeptName: "Marketing", PersonalCapacity: "10", IsAllocateCapacity: &yes},
		{TargetDeptName: "Sales", PersonalCapacity: "5", IsAllocateCapacity: &no},
	}
	results, err := c.Imports().PreverifyImport(ctx, koodrive.Actor{}, root, rows)
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 3 || results[0].IsSuccess != koodrive.VerifyPass || results[1].IsSuccess != koodrive.VerifyFail || results[2].IsSuccess != koodrive.VerifyFail {
		t.Fatalf("results %+v, want pass, fail, fail", results)
	}
	if r := results[1].Reasons; len(r) != 1 || !strings.Contains(string(r[0].ID), "Marketing") {
		t.Errorf("reasons %+v, want the department not found", r)
	}

	zh := clientFor(t, s, client.WithToken(s.Admin), client.WithLanguage("zh-CN"))
	results, err = zh.Imports().PreverifyImport(ctx, koodrive.Actor{}, root, rows[1:2])
	if err != nil {
		t.Fatal(err)
	}
	if r := results[0].Reasons; len(r) != 1 || !clientHasHan(string(r[0].ID)) {
		t.Errorf("reasons %+v, want Chinese", r)
	}
	_, err = c.Imports().PreverifyImport(ctx, koodrive.Actor{}, root, nil)
	clientWantKind(t, err, koodrive.EINVALID)
}

func clientHasHan(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
}

func TestClient_AppAuth(t *testing.T) {
	s := startServer(t)
	ctx := t.Context()
	a := s.newApp(t, "SDK")
	admin := clientID(t, s.adminID(t))
	c := clientFor(t, s, client.WithApp(a.ID, a.Secret, admin))
	var none koodrive.Actor

	dept, err := c.Departments().CreateDepartment(ctx, none, koodrive.DepartmentCreate{Name: "Signed", ParentID: clientID(t, s.Root)})
	if err != nil {
		t.Fatal(err)
	}
	u, err := c.Users().CreateUser(ctx, none, koodrive.UserCreate{UserID: "signed-user", DeptID: dept.ID})
	if err != nil {
		t.Fatal(err)
	}
	// Identical requests within one second: the signed trace ID keeps the
	// server from taking the second for a replay.
	for range 3 {
		if _, err := c.Users().FindUserByID(ctx, none, u.ID); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.Spaces().CreateSpace(ctx, none, koodrive.SpaceCreate{OwnerID: u.ID, Type: koodrive.SpacePersonal, CapacityGB: 1}); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, err := range c.AllUsers(ctx, koodrive.UserFilter{Limit: 1}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 2 {
		t.Errorf("%d users, want 2", n)
	}
	entries, _, err := clientFor(t, s, client.WithToken(s.Admin)).Audit().FindAuditEntries(ctx, none, koodrive.AuditFilter{Operations: []string{koodrive.AuditCreateUser}})
	if err != nil || len(entries) != 1 || entries[0].AppID != a.ID || entries[0].OperatorID != admin {
		t.Errorf("audit of the app's create %+v, %v; want app %s acting for %d", entries, err, a.ID, admin)
	}

	t.Run("ErrTokenOnlyEndpoint", func(t *testing.T) {
		_, err := c.Organization().FindOrganization(ctx)
		clientWantKind(t, err, koodrive.EUNAUTHENTICATED)
	})
	t.Run("ErrWrongSecret", func(t *testing.T) {
		bad := clientFor(t, s, client.WithApp(a.ID, "wrong", admin))
		_, err := bad.Users().CountUsers(ctx, none, 0)
		clientWantKind(t, err, koodrive.EUNAUTHENTICATED)
	})
	t.Run("ErrClockOutOfWindow", func(t *testing.T) {
		late := clientFor(t, s, client.WithApp(a.ID, a.Secret, admin), client.WithClock(func() time.Time { return time.Now().Add(-time.Hour) }))
		_, err := late.Users().CountUsers(ctx, none, 0)
		clientWantKind(t, err, koodrive.EUNAUTHENTICATED)
	})
}

func TestClient_Errors(t *testing.T) {
	s := startServer(t)
	ctx := t.Context()
	var none koodrive.Actor
	root := clientID(t, s.Root)
	admin := clientFor(t, s, client.WithToken(s.Admin))
	_, userToken := s.userIn(t, "common", s.Root, int(koodrive.RoleUser))
	common := clientFor(t, s, client.WithToken(userToken))

	t.Run("NotFound", func(t *testing.T) {
		_, err := admin.Users().FindUserByID(ctx, none, 12345)
		ce := clientWantKind(t, err, koodrive.ENOTFOUND)
		if ce.Status != 404 || ce.Code != koodrive.CodeNotFound || !strings.Contains(ce.Msg, "12345") {
			t.Errorf("error %+v", ce)
		}
		// The trace ID finds the request's log line.
		if lines := s.logs.logLines(t, "trace_id", ce.TraceID); len(lines) == 0 {
			t.Errorf("no server log line with trace ID %s", ce.TraceID)
		}
	})
	t.Run("Forbidden", func(t *testing.T) {
		_, err := common.Departments().CreateDepartment(ctx, none, koodrive.DepartmentCreate{Name: "Mine", ParentID: root})
		ce := clientWantKind(t, err, koodrive.EFORBIDDEN)
		if ce.Status != 403 || ce.Code != koodrive.CodeNoPermission {
			t.Errorf("error %+v", ce)
		}
		_, _, err = common.Audit().FindAuditEntries(ctx, none, koodrive.AuditFilter{})
		clientWantKind(t, err, koodrive.EFORBIDDEN)
	})
	t.Run("ForbiddenInChinese", func(t *testing.T) {
		zh := clientFor(t, s, client.WithToken(userToken), client.WithLanguage("zh-CN"))
		_, err := zh.Organization().FindOrganization(ctx)
		if ce := clientWantKind(t, err, koodrive.EFORBIDDEN); !clientHasHan(ce.Msg) {
			t.Errorf("msg %q, want Chinese", ce.Msg)
		}
	})
	t.Run("Unauthenticated", func(t *testing.T) {
		_, err := clientFor(t, s, client.WithToken("0123456789")).Users().CountUsers(ctx, none, 0)
		clientWantKind(t, err, koodrive.EUNAUTHENTICATED)
		_, err = clientFor(t, s).Users().CountUsers(ctx, none, 0)
		clientWantKind(t, err, koodrive.EUNAUTHENTICATED)
	})
	t.Run("Invalid", func(t *testing.T) {
		bad := koodrive.Role(4)
		_, err := admin.Users().CreateUser(ctx, none, koodrive.UserCreate{UserID: "x", Role: &bad})
		if ce := clientWantKind(t, err, koodrive.EINVALID); !strings.Contains(ce.Msg, "role") {
			t.Errorf("msg %q, want it to name the role", ce.Msg)
		}
	})
	t.Run("Conflict", func(t *testing.T) {
		_, err := admin.Users().CreateUser(ctx, none, koodrive.UserCreate{UserID: "common"})
		clientWantKind(t, err, koodrive.ECONFLICT)
	})
	t.Run("MaxLevels", func(t *testing.T) {
		parent := root
		for level := 2; level <= koodrive.MaxDepartmentLevels; level++ {
			d, err := admin.Departments().CreateDepartment(ctx, none, koodrive.DepartmentCreate{Name: fmt.Sprintf("L%d", level), ParentID: parent})
			if err != nil {
				t.Fatal(err)
			}
			parent = d.ID
		}
		_, err := admin.Departments().CreateDepartment(ctx, none, koodrive.DepartmentCreate{Name: "TooDeep", ParentID: parent})
		clientWantKind(t, err, koodrive.EMAXLEVELS)
	})
	t.Run("Malformed", func(t *testing.T) {
		err := admin.Raw(ctx, "POST", "/koodrive/ose/v1/users", []byte(`{"userId":`), nil)
		clientWantKind(t, err, koodrive.EMALFORMED)
	})
	t.Run("TraceIDRefused", func(t *testing.T) {
		odd := clientFor(t, s, client.WithToken(s.Admin), client.WithTraceIDs(func() string { return "short" }))
		_, err := odd.Users().CountUsers(ctx, none, 0)
		if ce := clientWantKind(t, err, koodrive.EINVALID); !strings.Contains(ce.Msg, "X-Traceid") {
			t.Errorf("msg %q, want it to name X-Traceid", ce.Msg)
		}
	})
	t.Run("Raw", func(t *testing.T) {
		var out struct {
			Total int `json:"total"`
		}
		if err := admin.Raw(ctx, "GET", "/koodrive/ose/v1/users/count?deptId="+s.Root, nil, &out); err != nil || out.Total != 2 {
			t.Errorf("count %d, %v; want 2", out.Total, err)
		}
		if err := admin.Health(ctx); err != nil {
			t.Errorf("health: %v", err)
		}
	})
}

func TestClient_Sessions(t *testing.T) {
	s := startServer(t)
	ctx := t.Context()
	out, err := cli(t, nil, "token", "create", "--data", s.Data, "--user", "admin", "--code")
	if err != nil {
		t.Fatal(err)
	}
	anon := clientFor(t, s)
	info, err := anon.CreateSession(ctx, lastLine(out))
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasPrefix(info.Token, "Bearer") || info.SessionID == "" || info.UserID != "admin" ||
		info.User.Role != koodrive.RoleSystemAdmin || info.User.ID != clientID(t, s.adminID(t)) || info.User.UserCount != 1 {
		t.Errorf("session %+v", info)
	}
	_, err = anon.CreateSession(ctx, lastLine(out))
	clientWantKind(t, err, koodrive.EUNAUTHENTICATED)

	c := clientFor(t, s, client.WithToken(info.Token))
	me, err := c.ValidateSession(ctx)
	if err != nil || me.UserID != "admin" || me.OrgName != "Organization" || me.UserCount != 1 {
		t.Errorf("session user %+v, %v", me, err)
	}
	token, err := c.RefreshSession(ctx, info.SessionID)
	if err != nil || token == info.Token {
		t.Fatalf("refresh: %q, %v; want a new token", token, err)
	}
	if _, err := c.ValidateSession(ctx); err != nil {
		t.Errorf("after refresh the client has the new token: %v", err)
	}
	_, err = clientFor(t, s, client.WithToken(info.Token)).ValidateSession(ctx)
	clientWantKind(t, err, koodrive.EUNAUTHENTICATED)

	if err := c.Logoff(ctx); err != nil {
		t.Fatal(err)
	}
	_, err = c.ValidateSession(ctx)
	clientWantKind(t, err, koodrive.EUNAUTHENTICATED)
}
