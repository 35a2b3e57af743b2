package koodrive

import (
	"context"
	"time"
)

// Audited operations.
const (
	AuditInitOrganization   = "InitOrganization"
	AuditUpdateOrganization = "UpdateOrganization"
	AuditCreateUser         = "CreateUser"
	AuditUpdateUser         = "UpdateUser"
	AuditDeleteUser         = "DeleteUser"
	AuditCreateDepartment   = "CreateDepartment"
	AuditUpdateDepartment   = "UpdateDepartment"
	AuditDeleteDepartment   = "DeleteDepartment"
	AuditCreateSpace        = "CreateSpace"
	AuditUpdateSpace        = "UpdateSpace"
	AuditDeleteSpace        = "DeleteSpace"
	AuditReportSpaceUsage   = "ReportSpaceUsage"
	AuditCreateApp          = "CreateApp"
	AuditUpdateApp          = "UpdateApp"
	AuditDeleteApp          = "DeleteApp"
	AuditRotateAppSecret    = "RotateAppSecret"
	AuditStartImport        = "StartImport"
	AuditCancelImport       = "CancelImport"
	AuditImportUsers        = "ImportUsers" // a task's end, with its outcome
)

// Audit results, as KooDrive's operateResult.
const (
	AuditSucceeded = 0
	AuditFailed    = 1
)

// AuditEntry records one mutation or attempt at one: who, what, when, with
// which result, and the trace ID that ties it to the request's logs.
type AuditEntry struct {
	ID           ID
	OrgID        ID
	Time         time.Time
	OperatorID   ID     // 0 for the command line
	OperatorName string // the operator's userId
	AppID        string // the app acting for the operator, if any
	Operation    string
	Resource     string // "user/<id>", "department/<id>", "space/user/<id>", "space/department/<id>", "space/<containerId>" (usage), "app/<appId>", "organization"
	Result       int
	ClientIP     string
	TraceID      string
	Message      *Message // why it failed; nil on success
}

// AuditFilter selects audit entries; zero fields select everything.
type AuditFilter struct {
	From, To     time.Time
	OperatorName string
	Operations   []string
	Excluded     []string
	Result       *int
	OperatorIP   string
	PageSize     int // 1 to MaxPageSize
	PageNum      int // from 1
	Ascending    bool
}

// AuditService reads the audit log (system administrators only).
type AuditService interface {
	// FindAuditEntries returns a page of entries by time and their total.
	FindAuditEntries(ctx context.Context, a Actor, f AuditFilter) ([]*AuditEntry, int, error)
}

// RequestMeta is what the store needs to know of the request it serves, to
// stamp audit entries.
type RequestMeta struct {
	TraceID  string
	ClientIP string
}

type requestMetaKey struct{}

// WithRequestMeta returns ctx carrying m.
func WithRequestMeta(ctx context.Context, m RequestMeta) context.Context {
	return context.WithValue(ctx, requestMetaKey{}, m)
}

// RequestMetaFrom returns the request metadata in ctx, if any.
func RequestMetaFrom(ctx context.Context) RequestMeta {
	m, _ := ctx.Value(requestMetaKey{}).(RequestMeta)
	return m
}
