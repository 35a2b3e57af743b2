package sqldb_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/koodrive/koodrive"
)

func TestAuditService_InitOrganization(t *testing.T) {
	eachBackend(t, testAuditService_InitOrganization)
}

func testAuditService_InitOrganization(t *testing.T) {
	t.Parallel()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		entries, total := mustAuditEntries(t, db, o.Admin, koodrive.AuditFilter{PageSize: 10, PageNum: 1})
		if total != 1 || len(entries) != 1 {
			t.Fatalf("entries after InitOrganization: total %d, %d listed, want 1, 1", total, len(entries))
		}
		e := entries[0]
		want := koodrive.AuditEntry{
			ID: e.ID, OrgID: o.ID, Time: t0, OperatorID: 0, OperatorName: koodrive.Operator.UserID,
			Operation: koodrive.AuditInitOrganization, Resource: "organization", Result: koodrive.AuditSucceeded,
		}
		if *e != want {
			t.Errorf("entry = %+v, want %+v", *e, want)
		}
		if e.ID == 0 {
			t.Errorf("ID = 0, want one")
		}
		// A second InitOrganization finds the organization and records nothing.
		if _, created, err := db.Orgs.InitOrganization(context.Background(), defaultInit); err != nil || created {
			t.Fatalf("second InitOrganization: created %v, err %v", created, err)
		}
		if _, total := mustAuditEntries(t, db, o.Admin, koodrive.AuditFilter{PageSize: 10, PageNum: 1}); total != 1 {
			t.Errorf("total = %d, want 1", total)
		}
	})
}

// auditStep is one mutation of an audit test, made by actor; run returns
// the resources its entry may name (nil: any).
type auditStep struct {
	name      string
	actor     koodrive.Actor
	operation string
	run       func(ctx context.Context) (resources []string, err error)
}

func TestAudit_Mutations(t *testing.T) { eachBackend(t, testAudit_Mutations) }

func testAudit_Mutations(t *testing.T) {
	t.Parallel()

	// Every successful mutation leaves one entry, in the same transaction,
	// that says who did what to which resource for which request.
	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		admin := o.Admin
		var sales, emea *koodrive.Department
		var ann *koodrive.User
		var sp *koodrive.Space
		viaApp := admin
		viaApp.AppID = "0123456789abcdef0123456789abcdef"
		steps := []auditStep{
			{"CreateDepartment", admin, koodrive.AuditCreateDepartment, func(ctx context.Context) (r []string, err error) {
				sales, err = db.Depts.CreateDepartment(ctx, admin, koodrive.DepartmentCreate{Name: "Sales", ParentID: o.Root.ID})
				return deptResources(sales), err
			}},
			{"CreateSubDepartment", admin, koodrive.AuditCreateDepartment, func(ctx context.Context) (r []string, err error) {
				emea, err = db.Depts.CreateDepartment(ctx, admin, koodrive.DepartmentCreate{Name: "EMEA", ParentID: sales.ID})
				return deptResources(emea), err
			}},
			{"UpdateDepartment", admin, koodrive.AuditUpdateDepartment, func(ctx context.Context) ([]string, error) {
				_, err := db.Depts.UpdateDepartment(ctx, admin, emea.ID, koodrive.DepartmentUpdate{Name: "Europe", ParentID: o.Root.ID})
				return deptResources(emea), err
			}},
			{"CreateUser", admin, koodrive.AuditCreateUser, func(ctx context.Context) (r []string, err error) {
				ann, err = db.Users.CreateUser(ctx, admin, koodrive.UserCreate{UserID: "ann", DeptID: sales.ID, Role: new(koodrive.RoleUser)})
				if err != nil {
					return nil, err
				}
				return []string{"user/" + ann.ID.String()}, nil
			}},
			{"UpdateUser", admin, koodrive.AuditUpdateUser, func(ctx context.Context) ([]string, error) {
				_, err := db.Users.UpdateUser(ctx, admin, ann.ID, koodrive.UserUpdate{Name: new("Ann"), Status: new(koodrive.StatusEnabled)})
				return []string{"user/" + ann.ID.String()}, err
			}},
			{"UpdateUserViaApp", viaApp, koodrive.AuditUpdateUser, func(ctx context.Context) ([]string, error) {
				_, err := db.Users.UpdateUser(ctx, viaApp, ann.ID, koodrive.UserUpdate{Mobile: new("+1 555 0100")})
				return []string{"user/" + ann.ID.String()}, err
			}},
			{"CreateSpace", admin, koodrive.AuditCreateSpace, func(ctx context.Context) (r []string, err error) {
				sp, err = db.Spaces.CreateSpace(ctx, admin, koodrive.SpaceCreate{OwnerID: ann.ID, Type: koodrive.SpacePersonal, CapacityGB: 10})
				if err != nil {
					return nil, err
				}
				return spaceResources(sp), nil
			}},
			{"CreateTeamSpace", admin, koodrive.AuditCreateSpace, func(ctx context.Context) ([]string, error) {
				team, err := db.Spaces.CreateSpace(ctx, admin, koodrive.SpaceCreate{OwnerID: sales.ID, Type: koodrive.SpaceDepartment, CapacityGB: 10})
				if err != nil {
					return nil, err
				}
				return spaceResources(team), nil
			}},
			{"UpdateSpace", admin, koodrive.AuditUpdateSpace, func(ctx context.Context) ([]string, error) {
				_, err := db.Spaces.UpdateSpace(ctx, admin, koodrive.SpaceUpdate{OwnerID: ann.ID, Type: koodrive.SpacePersonal, CapacityGB: new(int64(20))})
				return spaceResources(sp), err
			}},
			{"ReportSpaceUsage", admin, koodrive.AuditReportSpaceUsage, func(ctx context.Context) ([]string, error) {
				return []string{"space/" + sp.ContainerID}, db.Spaces.ReportUsage(ctx, admin, sp.ContainerID, 0)
			}},
			{"DeleteSpace", admin, koodrive.AuditDeleteSpace, func(ctx context.Context) ([]string, error) {
				return spaceResources(sp), db.Spaces.DeleteSpace(ctx, admin, ann.ID, koodrive.SpacePersonal)
			}},
			{"DisableUser", admin, koodrive.AuditUpdateUser, func(ctx context.Context) ([]string, error) {
				_, err := db.Users.UpdateUser(ctx, admin, ann.ID, koodrive.UserUpdate{Status: new(koodrive.StatusDisabled)})
				return []string{"user/" + ann.ID.String()}, err
			}},
			{"DeleteUser", admin, koodrive.AuditDeleteUser, func(ctx context.Context) ([]string, error) {
				return []string{"user/" + ann.ID.String()}, db.Users.DeleteUser(ctx, admin, ann.ID)
			}},
			{"DeleteDepartment", admin, koodrive.AuditDeleteDepartment, func(ctx context.Context) ([]string, error) {
				return deptResources(emea), db.Depts.DeleteDepartment(ctx, admin, emea.ID)
			}},
			{"UpdateOrganization", admin, koodrive.AuditUpdateOrganization, func(ctx context.Context) ([]string, error) {
				_, err := db.Orgs.UpdateOrganization(ctx, admin, koodrive.OrganizationUpdate{CapacityGB: new(int64(2000))})
				return []string{"organization"}, err
			}},
			{"Operator", koodrive.Operator, koodrive.AuditCreateUser, func(ctx context.Context) ([]string, error) {
				u, err := db.Users.CreateUser(ctx, koodrive.Operator, koodrive.UserCreate{UserID: "by-cli", Role: new(koodrive.RoleUser)})
				if err != nil {
					return nil, err
				}
				return []string{"user/" + u.ID.String()}, nil
			}},
		}
		for i, step := range steps {
			db.Clock.Advance(time.Second)
			meta := koodrive.RequestMeta{TraceID: fmt.Sprintf("trace-%02d-%s", i, strings.Repeat("x", 40)), ClientIP: fmt.Sprintf("198.51.100.%d", i+1)}
			ctx := koodrive.WithRequestMeta(context.Background(), meta)
			before := mustAuditTotal(t, db, admin)
			resources, err := step.run(ctx)
			if err != nil {
				t.Fatalf("%s: %v", step.name, err)
			}
			if got, want := mustAuditTotal(t, db, admin), before+1; got != want {
				t.Errorf("%s: %d entries, want %d (one more)", step.name, got, want)
			}
			e := mustLastAuditEntry(t, db, admin)
			want := koodrive.AuditEntry{
				ID: e.ID, OrgID: o.ID, Time: db.Clock.Now(), OperatorID: step.actor.ID, OperatorName: step.actor.UserID,
				AppID: step.actor.AppID, Operation: step.operation, Resource: e.Resource, Result: koodrive.AuditSucceeded,
				ClientIP: meta.ClientIP, TraceID: meta.TraceID,
			}
			if *e != want {
				t.Errorf("%s: entry = %+v, want %+v", step.name, *e, want)
			}
			if !slices.Contains(resources, e.Resource) {
				t.Errorf("%s: Resource = %q, want one of %q", step.name, e.Resource, resources)
			}
		}
		// Without request metadata the entry has none.
		db.Clock.Advance(time.Second)
		MustCreateDept(t, db, admin, o.Root.ID, "Plain")
		if e := mustLastAuditEntry(t, db, admin); e.TraceID != "" || e.ClientIP != "" || e.Operation != koodrive.AuditCreateDepartment {
			t.Errorf("entry without request metadata = %+v", *e)
		}
	})

	// A refused mutation leaves an entry with result 1 and the reason,
	// and changes nothing else.
	t.Run("Refused", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		st := mustSpaceTree(t, db)
		admin := st.Admin
		deptAdmin := MustUserActor(t, db, admin, "sales-admin", st.Sales.ID, koodrive.RoleDeptAdmin)
		MustActor(t, db, "ann") // enabled
		full := mustCreateSpace(t, db, admin, st.Bob.ID, koodrive.SpacePersonal, 10)
		mustReportUsage(t, db, admin, full.ContainerID, 3*koodrive.GB)
		mustCreateSpace(t, db, admin, st.Eng.ID, koodrive.SpaceDepartment, 100)
		mustUpdateUser(t, db, admin, st.Cy.ID, koodrive.UserUpdate{Email: new("cy@example.com")})

		steps := []auditStep{
			{"UserIDTaken", admin, koodrive.AuditCreateUser, func(ctx context.Context) ([]string, error) {
				_, err := db.Users.CreateUser(ctx, admin, koodrive.UserCreate{UserID: "ANN", Role: new(koodrive.RoleUser)})
				return nil, err
			}},
			{"CreateUserOutsideScope", deptAdmin, koodrive.AuditCreateUser, func(ctx context.Context) ([]string, error) {
				_, err := db.Users.CreateUser(ctx, deptAdmin, koodrive.UserCreate{UserID: "zed", DeptID: st.Eng.ID, Role: new(koodrive.RoleUser)})
				return nil, err
			}},
			{"StatusInvalid", admin, koodrive.AuditUpdateUser, func(ctx context.Context) ([]string, error) {
				_, err := db.Users.UpdateUser(ctx, admin, st.Ann.ID, koodrive.UserUpdate{Name: new("Changed"), Status: new(koodrive.Status(3))})
				return []string{"user/" + st.Ann.ID.String()}, err
			}},
			{"EmailTaken", admin, koodrive.AuditUpdateUser, func(ctx context.Context) ([]string, error) {
				_, err := db.Users.UpdateUser(ctx, admin, st.Ann.ID, koodrive.UserUpdate{Name: new("Changed"), Email: new("CY@example.com")})
				return []string{"user/" + st.Ann.ID.String()}, err
			}},
			{"LastAdmin", koodrive.Operator, koodrive.AuditUpdateUser, func(ctx context.Context) ([]string, error) {
				_, err := db.Users.UpdateUser(ctx, koodrive.Operator, admin.ID, koodrive.UserUpdate{Role: new(koodrive.RoleUser)})
				return []string{"user/" + admin.ID.String()}, err
			}},
			{"UserNotFound", admin, koodrive.AuditUpdateUser, func(ctx context.Context) ([]string, error) {
				id := admin.ID + 1_000_000
				_, err := db.Users.UpdateUser(ctx, admin, id, koodrive.UserUpdate{Name: new("Ghost")})
				return []string{"user/" + id.String()}, err
			}},
			{"DeleteActive", admin, koodrive.AuditDeleteUser, func(ctx context.Context) ([]string, error) {
				return []string{"user/" + st.Ann.ID.String()}, db.Users.DeleteUser(ctx, admin, st.Ann.ID)
			}},
			{"DeleteUserHoldingData", admin, koodrive.AuditDeleteUser, func(ctx context.Context) ([]string, error) {
				return []string{"user/" + st.Bob.ID.String()}, db.Users.DeleteUser(ctx, admin, st.Bob.ID)
			}},
			{"DeptNameTaken", admin, koodrive.AuditCreateDepartment, func(ctx context.Context) ([]string, error) {
				_, err := db.Depts.CreateDepartment(ctx, admin, koodrive.DepartmentCreate{Name: "eng", ParentID: st.Root.ID})
				return nil, err
			}},
			{"MoveIntoSelf", admin, koodrive.AuditUpdateDepartment, func(ctx context.Context) ([]string, error) {
				_, err := db.Depts.UpdateDepartment(ctx, admin, st.Sales.ID, koodrive.DepartmentUpdate{Name: "Renamed", ParentID: st.EMEA.ID})
				return deptResources(st.Sales), err
			}},
			{"DeptNotEmpty", admin, koodrive.AuditDeleteDepartment, func(ctx context.Context) ([]string, error) {
				return deptResources(st.Sales), db.Depts.DeleteDepartment(ctx, admin, st.Sales.ID)
			}},
			{"DeleteRoot", admin, koodrive.AuditDeleteDepartment, func(ctx context.Context) ([]string, error) {
				return deptResources(st.Root), db.Depts.DeleteDepartment(ctx, admin, st.Root.ID)
			}},
			{"InsufficientSpace", admin, koodrive.AuditCreateSpace, func(ctx context.Context) ([]string, error) {
				_, err := db.Spaces.CreateSpace(ctx, admin, koodrive.SpaceCreate{OwnerID: st.Ann.ID, Type: koodrive.SpacePersonal, CapacityGB: koodrive.MaxCapacityGB})
				return []string{"space/user/" + st.Ann.ID.String()}, err
			}},
			{"SpaceExists", admin, koodrive.AuditCreateSpace, func(ctx context.Context) ([]string, error) {
				_, err := db.Spaces.CreateSpace(ctx, admin, koodrive.SpaceCreate{OwnerID: st.Bob.ID, Type: koodrive.SpacePersonal, CapacityGB: 1})
				return spaceResources(full), err
			}},
			{"BelowUsed", deptAdmin, koodrive.AuditUpdateSpace, func(ctx context.Context) ([]string, error) {
				_, err := db.Spaces.UpdateSpace(ctx, deptAdmin, koodrive.SpaceUpdate{OwnerID: st.Bob.ID, Type: koodrive.SpacePersonal, CapacityGB: new(int64(2)), Status: new(koodrive.SpaceDisabled)})
				return spaceResources(full), err
			}},
			{"SpaceHoldsData", admin, koodrive.AuditDeleteSpace, func(ctx context.Context) ([]string, error) {
				return spaceResources(full), db.Spaces.DeleteSpace(ctx, admin, st.Bob.ID, koodrive.SpacePersonal)
			}},
			{"SpaceOutsideScope", deptAdmin, koodrive.AuditUpdateSpace, func(ctx context.Context) ([]string, error) {
				_, err := db.Spaces.UpdateSpace(ctx, deptAdmin, koodrive.SpaceUpdate{OwnerID: st.Eng.ID, Type: koodrive.SpaceDepartment, CapacityGB: new(int64(1))})
				return []string{"space/department/" + st.Eng.ID.String()}, err
			}},
			{"NegativeUsage", admin, koodrive.AuditReportSpaceUsage, func(ctx context.Context) ([]string, error) {
				return []string{"space/" + full.ContainerID}, db.Spaces.ReportUsage(ctx, admin, full.ContainerID, -1)
			}},
			{"CapacityBelowAllocated", admin, koodrive.AuditUpdateOrganization, func(ctx context.Context) ([]string, error) {
				_, err := db.Orgs.UpdateOrganization(ctx, admin, koodrive.OrganizationUpdate{Name: new("Other"), CapacityGB: new(int64(109))})
				return []string{"organization"}, err
			}},
			{"CapacityTooLarge", admin, koodrive.AuditUpdateOrganization, func(ctx context.Context) ([]string, error) {
				_, err := db.Orgs.UpdateOrganization(ctx, admin, koodrive.OrganizationUpdate{CapacityGB: new(int64(koodrive.MaxOrgCapacityGB + 1))})
				return []string{"organization"}, err
			}},
			{"OrganizationForbidden", deptAdmin, koodrive.AuditUpdateOrganization, func(ctx context.Context) ([]string, error) {
				_, err := db.Orgs.UpdateOrganization(ctx, deptAdmin, koodrive.OrganizationUpdate{MaxUsers: new(int64(5))})
				return []string{"organization"}, err
			}},
		}
		for i, step := range steps {
			db.Clock.Advance(time.Second)
			meta := koodrive.RequestMeta{TraceID: fmt.Sprintf("refused-%02d", i), ClientIP: "2001:db8::1"}
			ctx := koodrive.WithRequestMeta(context.Background(), meta)
			state := mustState(t, db, admin)
			before := mustAuditTotal(t, db, admin)
			resources, err := step.run(ctx)
			if err == nil {
				t.Fatalf("%s: succeeded, want it refused", step.name)
			}
			if koodrive.ErrorKind(err) == koodrive.EINTERNAL {
				t.Errorf("%s: %v, want a refusal, not an internal error", step.name, err)
			}
			if got := mustState(t, db, admin); got != state {
				t.Errorf("%s: state changed:\n%s\nwant\n%s", step.name, got, state)
			}
			if got, want := mustAuditTotal(t, db, admin), before+1; got != want {
				t.Errorf("%s: %d entries, want %d (one more)", step.name, got, want)
			}
			e := mustLastAuditEntry(t, db, admin)
			if e.Operation != step.operation || e.Result != koodrive.AuditFailed || e.OperatorID != step.actor.ID ||
				e.OperatorName != step.actor.UserID || e.TraceID != meta.TraceID || e.ClientIP != meta.ClientIP ||
				!e.Time.Equal(db.Clock.Now()) || e.OrgID != st.ID {
				t.Errorf("%s: entry = %+v, want operation %s, result 1, operator %d %q, trace %q, IP %q at %v",
					step.name, *e, step.operation, step.actor.ID, step.actor.UserID, meta.TraceID, meta.ClientIP, db.Clock.Now())
			}
			if resources != nil && !slices.Contains(resources, e.Resource) {
				t.Errorf("%s: Resource = %q, want one of %q", step.name, e.Resource, resources)
			}
			checkAuditMessage(t, step.name, e, koodrive.AsError(err).Message)
		}
	})

	// Numbers in a refusal's parameters come back exactly, even those a
	// float64 would round.
	t.Run("ExactNumbers", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		st := mustSpaceTree(t, db)
		sp := mustCreateSpace(t, db, st.Admin, st.Ann.ID, koodrive.SpacePersonal, 10)
		err := db.Spaces.ReportUsage(context.Background(), st.Admin, sp.ContainerID, -1)
		assertMessage(t, err, koodrive.EINVALID, "spaceUsed", koodrive.MsgIntRange)
		e := mustLastAuditEntry(t, db, st.Admin)
		if e.Message == nil {
			t.Fatalf("entry = %+v, want a message", *e)
		}
		if got, want := fmt.Sprint(e.Message.Params["Max"]), "9223372036854775807"; got != want {
			t.Errorf("Max = %s, want %s", got, want)
		}
		_, err = db.Orgs.UpdateOrganization(context.Background(), st.Admin, koodrive.OrganizationUpdate{CapacityGB: new(int64(koodrive.MaxOrgCapacityGB + 1))})
		assertMessage(t, err, koodrive.EINVALID, "capacityGb", koodrive.MsgIntRange)
		e = mustLastAuditEntry(t, db, st.Admin)
		if got, want := fmt.Sprint(e.Message.Params["Max"]), fmt.Sprint(int64(koodrive.MaxOrgCapacityGB)); got != want {
			t.Errorf("Max = %s, want %s", got, want)
		}
	})
}

// checkAuditMessage checks that the entry's message is the failure's:
// the same ID and parameters, compared as text.
func checkAuditMessage(tb testing.TB, name string, e *koodrive.AuditEntry, want koodrive.Message) {
	tb.Helper()
	if e.Message == nil {
		tb.Errorf("%s: entry Message = nil, want %s", name, want)
		return
	}
	if got := e.Message.ID; got != want.ID {
		tb.Errorf("%s: message ID = %q, want %q", name, got, want.ID)
	}
	if got, want := paramsText(e.Message.Params), paramsText(want.Params); got != want {
		tb.Errorf("%s: message params = %s, want %s", name, got, want)
	}
}

// paramsText renders params sorted by name, each value with %v.
func paramsText(p koodrive.Params) string {
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%v;", k, p[k])
	}
	return b.String()
}

func TestAuditService_FindAuditEntries(t *testing.T) {
	eachBackend(t, testAuditService_FindAuditEntries)
}

func testAuditService_FindAuditEntries(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	// auditLog writes entries at t0 + i minutes and returns a model of
	// what each entry should say, index i.
	type rec struct {
		op, operator, ip string
		result           int
		at               time.Time
	}
	auditLog := func(t *testing.T, db *DB) (*Org, []rec) {
		t.Helper()
		o := MustInitOrg(t, db)
		log := []rec{{koodrive.AuditInitOrganization, koodrive.Operator.UserID, "", 0, t0}}
		var sales *koodrive.Department
		var ann *koodrive.User
		var boss, annActor koodrive.Actor
		const ipA, ipB, ipC = "192.0.2.1", "192.0.2.2", "2001:db8::c"
		steps := []struct {
			ip  string
			a   *koodrive.Actor
			op  string
			run func(ctx context.Context) error
		}{
			{ipA, &o.Admin, koodrive.AuditCreateDepartment, func(ctx context.Context) (err error) {
				sales, err = db.Depts.CreateDepartment(ctx, o.Admin, koodrive.DepartmentCreate{Name: "Sales", ParentID: o.Root.ID})
				return err
			}},
			{ipB, &o.Admin, koodrive.AuditCreateDepartment, func(ctx context.Context) error {
				_, err := db.Depts.CreateDepartment(ctx, o.Admin, koodrive.DepartmentCreate{Name: "SALES", ParentID: o.Root.ID})
				return err
			}},
			{ipA, &o.Admin, koodrive.AuditCreateUser, func(ctx context.Context) error {
				_, err := db.Users.CreateUser(ctx, o.Admin, koodrive.UserCreate{UserID: "boss", Role: new(koodrive.RoleSystemAdmin)})
				boss = MustActor(t, db, "boss")
				return err
			}},
			{ipA, &o.Admin, koodrive.AuditCreateUser, func(ctx context.Context) (err error) {
				ann, err = db.Users.CreateUser(ctx, o.Admin, koodrive.UserCreate{UserID: "ann", DeptID: sales.ID, Role: new(koodrive.RoleUser)})
				annActor = MustActor(t, db, "ann")
				return err
			}},
			{ipB, &boss, koodrive.AuditUpdateUser, func(ctx context.Context) error {
				_, err := db.Users.UpdateUser(ctx, boss, ann.ID, koodrive.UserUpdate{Name: new("Ann")})
				return err
			}},
			{ipB, &boss, koodrive.AuditUpdateUser, func(ctx context.Context) error {
				_, err := db.Users.UpdateUser(ctx, boss, ann.ID, koodrive.UserUpdate{Status: new(koodrive.Status(3))})
				return err
			}},
			{ipC, &annActor, koodrive.AuditUpdateUser, func(ctx context.Context) error {
				_, err := db.Users.UpdateUser(ctx, annActor, ann.ID, koodrive.UserUpdate{Name: new("Ann Lee")})
				return err
			}},
			{ipC, &annActor, koodrive.AuditCreateDepartment, func(ctx context.Context) error {
				_, err := db.Depts.CreateDepartment(ctx, annActor, koodrive.DepartmentCreate{Name: "Mine", ParentID: sales.ID})
				return err
			}},
			{ipA, &o.Admin, koodrive.AuditCreateSpace, func(ctx context.Context) error {
				_, err := db.Spaces.CreateSpace(ctx, o.Admin, koodrive.SpaceCreate{OwnerID: ann.ID, Type: koodrive.SpacePersonal, CapacityGB: 10})
				return err
			}},
			{"", &o.Admin, koodrive.AuditUpdateOrganization, func(ctx context.Context) error {
				_, err := db.Orgs.UpdateOrganization(ctx, o.Admin, koodrive.OrganizationUpdate{CapacityGB: new(int64(2000))})
				return err
			}},
			{ipB, &boss, koodrive.AuditReportSpaceUsage, func(ctx context.Context) error {
				return db.Spaces.ReportUsage(ctx, boss, "no-such-container", 1)
			}},
		}
		for i, s := range steps {
			db.Clock.Advance(time.Minute)
			ctx := context.Background()
			if s.ip != "" {
				ctx = koodrive.WithRequestMeta(ctx, koodrive.RequestMeta{TraceID: fmt.Sprintf("t%d", i), ClientIP: s.ip})
			}
			err := s.run(ctx)
			result := koodrive.AuditSucceeded
			if err != nil {
				result = koodrive.AuditFailed
			}
			log = append(log, rec{s.op, s.a.UserID, s.ip, result, db.Clock.Now()})
		}
		// The log is what this test means it to be: failures where meant.
		results := make([]int, len(log))
		for i, r := range log {
			results[i] = r.result
		}
		if got, want := fmt.Sprint(results), "[0 0 1 0 0 0 1 0 1 0 0 1]"; got != want {
			t.Fatalf("results = %s, want %s", got, want)
		}
		return o, log
	}
	render := func(entries []*koodrive.AuditEntry) string {
		var b strings.Builder
		for _, e := range entries {
			fmt.Fprintf(&b, "%s %s %s %d %s\n", e.Time.Format(time.TimeOnly), e.Operation, e.OperatorName, e.Result, e.ClientIP)
		}
		return b.String()
	}
	renderLog := func(log []rec, keep func(int, rec) bool, ascending bool) (string, int) {
		var b strings.Builder
		var n int
		for j := range log {
			i := len(log) - 1 - j
			if ascending {
				i = j
			}
			r := log[i]
			if keep(i, r) {
				fmt.Fprintf(&b, "%s %s %s %d %s\n", r.at.Format(time.TimeOnly), r.op, r.operator, r.result, r.ip)
				n++
			}
		}
		return b.String(), n
	}

	t.Run("Filters", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o, log := auditLog(t, db)
		at := func(i int) time.Time { return t0.Add(time.Duration(i) * time.Minute) }
		for _, tt := range []struct {
			name string
			f    koodrive.AuditFilter
			keep func(int, rec) bool
		}{
			{"All", koodrive.AuditFilter{}, func(int, rec) bool { return true }},
			{"Ascending", koodrive.AuditFilter{Ascending: true}, func(int, rec) bool { return true }},
			{"FromTo", koodrive.AuditFilter{From: at(3), To: at(7)}, func(i int, _ rec) bool { return i >= 3 && i <= 7 }},
			{"FromToAscending", koodrive.AuditFilter{From: at(3), To: at(7), Ascending: true}, func(i int, _ rec) bool { return i >= 3 && i <= 7 }},
			{"From", koodrive.AuditFilter{From: at(9)}, func(i int, _ rec) bool { return i >= 9 }},
			{"FromBetween", koodrive.AuditFilter{From: at(9).Add(-time.Millisecond)}, func(i int, _ rec) bool { return i >= 9 }},
			{"To", koodrive.AuditFilter{To: at(2)}, func(i int, _ rec) bool { return i <= 2 }},
			{"ToBetween", koodrive.AuditFilter{To: at(3).Add(-time.Millisecond)}, func(i int, _ rec) bool { return i <= 2 }},
			{"Instant", koodrive.AuditFilter{From: at(4), To: at(4)}, func(i int, _ rec) bool { return i == 4 }},
			{"Empty", koodrive.AuditFilter{From: at(5), To: at(4)}, func(int, rec) bool { return false }},
			{"OperatorBoss", koodrive.AuditFilter{OperatorName: "boss"}, func(_ int, r rec) bool { return r.operator == "boss" }},
			{"OperatorAnn", koodrive.AuditFilter{OperatorName: "ann"}, func(_ int, r rec) bool { return r.operator == "ann" }},
			{"OperatorCLI", koodrive.AuditFilter{OperatorName: koodrive.Operator.UserID}, func(_ int, r rec) bool { return r.operator == koodrive.Operator.UserID }},
			{"OperatorNobody", koodrive.AuditFilter{OperatorName: "nobody"}, func(int, rec) bool { return false }},
			{"Operations", koodrive.AuditFilter{Operations: []string{koodrive.AuditCreateDepartment, koodrive.AuditUpdateUser}}, func(_ int, r rec) bool {
				return r.op == koodrive.AuditCreateDepartment || r.op == koodrive.AuditUpdateUser
			}},
			{"Excluded", koodrive.AuditFilter{Excluded: []string{koodrive.AuditCreateDepartment, koodrive.AuditInitOrganization}}, func(_ int, r rec) bool {
				return r.op != koodrive.AuditCreateDepartment && r.op != koodrive.AuditInitOrganization
			}},
			{"OperationsExcluded", koodrive.AuditFilter{
				Operations: []string{koodrive.AuditCreateUser, koodrive.AuditUpdateUser}, Excluded: []string{koodrive.AuditUpdateUser},
			}, func(_ int, r rec) bool { return r.op == koodrive.AuditCreateUser }},
			{"Succeeded", koodrive.AuditFilter{Result: new(koodrive.AuditSucceeded)}, func(_ int, r rec) bool { return r.result == 0 }},
			{"Failed", koodrive.AuditFilter{Result: new(koodrive.AuditFailed)}, func(_ int, r rec) bool { return r.result == 1 }},
			{"IP", koodrive.AuditFilter{OperatorIP: "192.0.2.2"}, func(_ int, r rec) bool { return r.ip == "192.0.2.2" }},
			{"IPv6", koodrive.AuditFilter{OperatorIP: "2001:db8::c"}, func(_ int, r rec) bool { return r.ip == "2001:db8::c" }},
			{"Combined", koodrive.AuditFilter{OperatorName: "boss", Result: new(koodrive.AuditFailed), From: at(6)}, func(i int, r rec) bool {
				return r.operator == "boss" && r.result == 1 && i >= 6
			}},
		} {
			tt.f.PageSize, tt.f.PageNum = 100, 1
			entries, total := mustAuditEntries(t, db, o.Admin, tt.f)
			want, n := renderLog(log, tt.keep, tt.f.Ascending)
			if got := render(entries); got != want {
				t.Errorf("%s:\n%swant\n%s", tt.name, got, want)
			}
			if total != n {
				t.Errorf("%s: total %d, want %d", tt.name, total, n)
			}
		}
	})

	t.Run("Pages", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o, log := auditLog(t, db)
		for _, ascending := range []bool{false, true} {
			var pages []string
			for page := 1; page <= 4; page++ {
				entries, total := mustAuditEntries(t, db, o.Admin, koodrive.AuditFilter{PageSize: 5, PageNum: page, Ascending: ascending})
				if total != len(log) {
					t.Errorf("page %d: total %d, want %d", page, total, len(log))
				}
				if got, want := len(entries), max(0, min(5, len(log)-5*(page-1))); got != want {
					t.Errorf("page %d: %d entries, want %d", page, got, want)
				}
				pages = append(pages, render(entries))
			}
			want, _ := renderLog(log, func(int, rec) bool { return true }, ascending)
			if got := strings.Join(pages, ""); got != want {
				t.Errorf("ascending %v: pages\n%swant\n%s", ascending, got, want)
			}
		}
		// A filtered listing pages what passes the filter.
		entries, total := mustAuditEntries(t, db, o.Admin, koodrive.AuditFilter{Result: new(koodrive.AuditFailed), PageSize: 2, PageNum: 2})
		if total != 4 || len(entries) != 2 || entries[0].Operation != koodrive.AuditUpdateUser || entries[1].Operation != koodrive.AuditCreateDepartment {
			t.Errorf("second page of failures: total %d,\n%swant total 4 and the two oldest failures", total, render(entries))
		}
		// The newest entries first by default, at equal times too.
		db.Clock.Advance(time.Hour)
		MustCreateDept(t, db, o.Admin, o.Root.ID, "First")
		MustCreateDept(t, db, o.Admin, o.Root.ID, "Second")
		entries, _ = mustAuditEntries(t, db, o.Admin, koodrive.AuditFilter{PageSize: 2, PageNum: 1})
		if len(entries) != 2 || !entries[0].Time.Equal(entries[1].Time) || entries[0].ID <= entries[1].ID {
			t.Errorf("newest two = %+v, %+v, want the later one first", *entries[0], *entries[1])
		}
	})

	t.Run("ErrForbidden", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		for _, r := range []koodrive.Role{koodrive.RoleDeptAdmin, koodrive.RoleUser, koodrive.RoleDriveAdmin, koodrive.RoleMemberManager} {
			a := MustUserActor(t, db, o.Admin, fmt.Sprintf("role%d", r), o.Root.ID, r)
			entries, _, err := db.Audit.FindAuditEntries(ctx, a, koodrive.AuditFilter{PageSize: 10, PageNum: 1})
			assertKind(t, err, koodrive.EFORBIDDEN)
			if entries != nil {
				t.Errorf("role %d: entries = %v, want nil", r, entries)
			}
		}
		// Another system administrator reads it, and so does the command line.
		boss := MustUserActor(t, db, o.Admin, "boss", o.Root.ID, koodrive.RoleSystemAdmin)
		for _, a := range []koodrive.Actor{boss, koodrive.Operator} {
			if _, total := mustAuditEntries(t, db, a, koodrive.AuditFilter{PageSize: 1, PageNum: 1}); total != 6 {
				t.Errorf("%s: total %d, want 6", a.UserID, total)
			}
		}
	})

	t.Run("ErrPage", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		for _, tt := range []struct {
			field string
			f     koodrive.AuditFilter
		}{
			{"pageInfo.pageSize", koodrive.AuditFilter{PageSize: 0, PageNum: 1}},
			{"pageInfo.pageSize", koodrive.AuditFilter{PageSize: -1, PageNum: 1}},
			{"pageInfo.pageSize", koodrive.AuditFilter{PageSize: koodrive.MaxPageSize + 1, PageNum: 1}},
			{"pageInfo.pageNum", koodrive.AuditFilter{PageSize: 10, PageNum: 0}},
			{"pageInfo.pageNum", koodrive.AuditFilter{PageSize: 10, PageNum: -3}},
		} {
			_, _, err := db.Audit.FindAuditEntries(ctx, o.Admin, tt.f)
			assertMessage(t, err, koodrive.EINVALID, tt.field, koodrive.MsgIntRange)
		}
		if _, total := mustAuditEntries(t, db, o.Admin, koodrive.AuditFilter{PageSize: koodrive.MaxPageSize, PageNum: 1 << 20}); total != 1 {
			t.Errorf("far page: total %d, want 1", total)
		}
	})
}

// TestAudit_Reopen restarts the server within the same millisecond (or
// after the clock went back): the IDs of entries and spaces written before
// must not be issued again.
func TestAudit_Reopen(t *testing.T) { eachBackend(t, testAudit_Reopen) }

func testAudit_Reopen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		// Entries and spaces whose IDs are above every user's and
		// department's.
		_, err := db.Depts.CreateDepartment(ctx, o.Admin, koodrive.DepartmentCreate{Name: "Bad/Name", ParentID: o.Root.ID})
		assertKind(t, err, koodrive.EINVALID)
		mustCreateSpace(t, db, o.Admin, o.Root.ID, koodrive.SpaceDepartment, 1)
		before := mustAuditTotal(t, db, o.Admin)

		db.MustReopen(t)
		u, err := db.Users.CreateUser(ctx, o.Admin, koodrive.UserCreate{UserID: "ann", Role: new(koodrive.RoleUser)})
		if err != nil {
			t.Fatalf("create user after reopen: %v", err)
		}
		d, err := db.Depts.CreateDepartment(ctx, o.Admin, koodrive.DepartmentCreate{Name: "Sales", ParentID: o.Root.ID})
		if err != nil {
			t.Fatalf("create department after reopen: %v", err)
		}
		if _, err := db.Spaces.CreateSpace(ctx, o.Admin, koodrive.SpaceCreate{OwnerID: u.ID, Type: koodrive.SpacePersonal, CapacityGB: 1}); err != nil {
			t.Fatalf("create space after reopen: %v", err)
		}
		if _, err := db.Spaces.CreateSpace(ctx, o.Admin, koodrive.SpaceCreate{OwnerID: d.ID, Type: koodrive.SpaceDepartment, CapacityGB: 1}); err != nil {
			t.Fatalf("create team space after reopen: %v", err)
		}
		if got, want := mustAuditTotal(t, db, o.Admin), before+4; got != want {
			t.Errorf("entries = %d, want %d", got, want)
		}
		entries, _ := mustAuditEntries(t, db, o.Admin, koodrive.AuditFilter{PageSize: 100, PageNum: 1})
		seen := make(map[koodrive.ID]bool)
		for _, e := range entries {
			if seen[e.ID] {
				t.Errorf("entry ID %d twice", e.ID)
			}
			seen[e.ID] = true
		}
	})
}

// mustState renders what the services say of the organization: its totals,
// every user with its space, every department with its team space.
func mustState(tb testing.TB, db *DB, admin koodrive.Actor) string {
	tb.Helper()
	ctx := context.Background()
	var b strings.Builder
	fmt.Fprintf(&b, "org %+v\nusage %+v\n", *MustFindOrg(tb, db), *mustUsage(tb, db, admin))
	users, _, err := db.Spaces.FindUserSpaces(ctx, admin, koodrive.SpaceFilter{UserFilter: koodrive.UserFilter{Limit: koodrive.MaxPageSize}})
	if err != nil {
		tb.Fatalf("state: %v", err)
	}
	for _, us := range users {
		fmt.Fprintf(&b, "user %+v\n", *us.User)
		if us.Space != nil {
			fmt.Fprintf(&b, "  space %+v\n", *us.Space)
		}
	}
	depts, _, err := db.Spaces.FindDepartmentSpaces(ctx, admin, "", 0, koodrive.MaxPageSize)
	if err != nil {
		tb.Fatalf("state: %v", err)
	}
	for _, ds := range depts {
		fmt.Fprintf(&b, "department %+v users %d\n  space %+v\n", *ds.Department, ds.UserCount, *ds.Space)
	}
	return b.String()
}

func mustAuditEntries(tb testing.TB, db *DB, a koodrive.Actor, f koodrive.AuditFilter) ([]*koodrive.AuditEntry, int) {
	tb.Helper()
	entries, total, err := db.Audit.FindAuditEntries(context.Background(), a, f)
	if err != nil {
		tb.Fatalf("find audit entries: %v", err)
	}
	return entries, total
}

func mustAuditTotal(tb testing.TB, db *DB, a koodrive.Actor) int {
	tb.Helper()
	_, total := mustAuditEntries(tb, db, a, koodrive.AuditFilter{PageSize: 1, PageNum: 1})
	return total
}

// mustLastAuditEntry returns the newest entry.
func mustLastAuditEntry(tb testing.TB, db *DB, a koodrive.Actor) *koodrive.AuditEntry {
	tb.Helper()
	entries, _ := mustAuditEntries(tb, db, a, koodrive.AuditFilter{PageSize: 1, PageNum: 1})
	if len(entries) != 1 {
		tb.Fatalf("no audit entries")
	}
	return entries[0]
}

func deptResources(d *koodrive.Department) []string {
	if d == nil {
		return nil
	}
	return []string{"department/" + d.ID.String()}
}

// spaceResources are the names an entry may give a space: audit.go
// documents "space/<containerId>"; the owner is what names a space in the
// API, so "space/user/<id>" and "space/department/<id>" are accepted too.
func spaceResources(sp *koodrive.Space) []string {
	if sp == nil {
		return nil
	}
	kind := "department"
	if sp.Type == koodrive.SpacePersonal {
		kind = "user"
	}
	return []string{"space/" + sp.ContainerID, "space/" + kind + "/" + sp.OwnerID.String()}
}
