package client

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/koodrive/koodrive"
)

var _ koodrive.AuditService = (*AuditService)(nil)

// AuditService is koodrive.AuditService over POST /koodrive/ose/v1/auditlog
// (system administrators). Its method ignores the Actor argument.
type AuditService struct{ c *Client }

// Audit returns the audit service.
func (c *Client) Audit() *AuditService { return &AuditService{c} }

// auditLogRequest is KooDrive's listAuditLogs body; absent fields select
// everything, and the server's defaults fill the paging.
type auditLogRequest struct {
	OperTimeFrom       string   `json:"operTimeFrom,omitempty"`
	OperTimeTo         string   `json:"operTimeTo,omitempty"`
	OperatorName       string   `json:"operatorName,omitempty"`
	Operations         []string `json:"operations,omitempty"`
	ExcludedOperations []string `json:"excludedOperations,omitempty"`
	OperateResult      *int     `json:"operateResult,omitempty"`
	OperatorIP         string   `json:"operatorIP,omitempty"`
	PageInfo           struct {
		PageSize int `json:"pageSize,omitempty"`
		PageNum  int `json:"pageNum,omitempty"`
	} `json:"pageInfo"`
	SortInfo struct {
		SortType      int `json:"sortType"`
		SortDirection int `json:"sortDirection"`
	} `json:"sortInfo"`
}

// KooDrive's sortInfo: by operation time (the only one), ascending 1 or
// descending 2.
const (
	sortByTime     = 1
	sortAscending  = 1
	sortDescending = 2
)

func auditTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func newAuditLogRequest(f koodrive.AuditFilter) auditLogRequest {
	req := auditLogRequest{
		OperTimeFrom: auditTime(f.From), OperTimeTo: auditTime(f.To), OperatorName: f.OperatorName,
		Operations: f.Operations, ExcludedOperations: f.Excluded, OperateResult: f.Result, OperatorIP: f.OperatorIP,
	}
	req.PageInfo.PageSize, req.PageInfo.PageNum = f.PageSize, f.PageNum
	req.SortInfo.SortType, req.SortInfo.SortDirection = sortByTime, sortDescending
	if f.Ascending {
		req.SortInfo.SortDirection = sortAscending
	}
	return req
}

// auditEntryJSON is the server's logInfo; message is the reason a change
// failed, already in the client's language.
type auditEntryJSON struct {
	LogID         wireID `json:"logId"`
	TenantID      wireID `json:"tenantId"`
	OperatorName  string `json:"operatorName"`
	OperatorID    wireID `json:"operatorId"` // "" for the command line
	OperateTime   string `json:"operateTime"`
	Operation     string `json:"operation"`
	Resource      string `json:"resource"`
	OperateResult int    `json:"operateResult"`
	OperatorIP    string `json:"operatorIP"`
	Message       string `json:"message"`
	TraceID       string `json:"traceId"`
	AppID         string `json:"appId"`
}

// entry returns the domain's entry. Its Message, when there is one, holds
// the server's localized text as its ID, which a catalog renders as it is.
func (e *auditEntryJSON) entry() (*koodrive.AuditEntry, error) {
	t, err := time.Parse(time.RFC3339Nano, e.OperateTime)
	if err != nil {
		return nil, fmt.Errorf("audit entry %d: operateTime %q: %w", e.LogID, e.OperateTime, err)
	}
	out := &koodrive.AuditEntry{
		ID: koodrive.ID(e.LogID), OrgID: koodrive.ID(e.TenantID), Time: t, OperatorID: koodrive.ID(e.OperatorID),
		OperatorName: e.OperatorName, AppID: e.AppID, Operation: e.Operation, Resource: e.Resource,
		Result: e.OperateResult, ClientIP: e.OperatorIP, TraceID: e.TraceID,
	}
	if e.Message != "" {
		out.Message = &koodrive.Message{ID: koodrive.MessageID(e.Message)}
	}
	return out, nil
}

// FindAuditEntries returns a page of entries by time and their total.
// PageSize and PageNum 0 take the server's defaults (10, the first page).
// [Client.AllAuditEntries] walks every page.
func (s *AuditService) FindAuditEntries(ctx context.Context, _ koodrive.Actor, f koodrive.AuditFilter) ([]*koodrive.AuditEntry, int, error) {
	var out struct {
		Total       int              `json:"total"`
		LogInfoList []auditEntryJSON `json:"logInfoList"`
	}
	req := request{method: http.MethodPost, path: oseV1 + "/auditlog", body: newAuditLogRequest(f)}
	if err := s.c.do(ctx, req, &out); err != nil {
		return nil, 0, err
	}
	entries := make([]*koodrive.AuditEntry, len(out.LogInfoList))
	for i := range out.LogInfoList {
		e, err := out.LogInfoList[i].entry()
		if err != nil {
			return nil, 0, fmt.Errorf("POST %s/auditlog: %w", oseV1, err)
		}
		entries[i] = e
	}
	return entries, out.Total, nil
}
