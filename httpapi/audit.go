package httpapi

import (
	"net/http"
	"strings"
	"time"

	"github.com/koodrive/koodrive"
)

// auditLogRequest is the body of POST /auditlog (KooDrive's listAuditLogs).
// Every field is optional; {} asks for the latest page.
type auditLogRequest struct {
	OperTimeFrom       string   `json:"operTimeFrom"`
	OperTimeTo         string   `json:"operTimeTo"`
	OperatorName       string   `json:"operatorName"`
	Operations         []string `json:"operations"`
	ExcludedOperations []string `json:"excludedOperations"`
	OperateResult      *int     `json:"operateResult"`
	OperatorIP         string   `json:"operatorIP"`
	PageInfo           struct {
		PageSize *int `json:"pageSize"`
		PageNum  *int `json:"pageNum"`
	} `json:"pageInfo"`
	SortInfo struct {
		SortType      *int `json:"sortType"`
		SortDirection *int `json:"sortDirection"`
	} `json:"sortInfo"`
}

// KooDrive's sortInfo values: entries sort by operation time only.
const (
	sortByTime     = 1
	sortAscending  = 1
	sortDescending = 2
)

// intOr returns *p, or def when the field is absent, and fails unless the
// value is in [lo, hi].
func intOr(field string, p *int, def, lo, hi int) (int, error) {
	if p == nil {
		return def, nil
	}
	if *p < lo || *p > hi {
		return 0, koodrive.Invalid(field, koodrive.MsgIntRange, koodrive.Params{"Min": lo, "Max": hi})
	}
	return *p, nil
}

// parseTime reads an optional ISO 8601 time such as
// 2025-01-01T00:00:01.000Z; zero when absent.
func parseTime(field, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, koodrive.Invalid(field, koodrive.MsgTimeInvalid, nil)
	}
	return t, nil
}

// filter validates the request and turns it into the domain's filter.
func (req *auditLogRequest) filter() (koodrive.AuditFilter, error) {
	f := koodrive.AuditFilter{
		OperatorName: strings.TrimSpace(req.OperatorName), Operations: req.Operations, Excluded: req.ExcludedOperations,
		OperatorIP: strings.TrimSpace(req.OperatorIP),
	}
	var err error
	if f.From, err = parseTime("operTimeFrom", req.OperTimeFrom); err != nil {
		return f, err
	}
	if f.To, err = parseTime("operTimeTo", req.OperTimeTo); err != nil {
		return f, err
	}
	if _, err = intOr("operateResult", req.OperateResult, 0, koodrive.AuditSucceeded, koodrive.AuditFailed); err != nil {
		return f, err
	}
	f.Result = req.OperateResult // nil: either result
	if f.PageSize, err = intOr("pageInfo.pageSize", req.PageInfo.PageSize, 10, 1, koodrive.MaxPageSize); err != nil {
		return f, err
	}
	if f.PageNum, err = intOr("pageInfo.pageNum", req.PageInfo.PageNum, 1, 1, 1<<31-1); err != nil {
		return f, err
	}
	if _, err = intOr("sortInfo.sortType", req.SortInfo.SortType, sortByTime, sortByTime, sortByTime); err != nil {
		return f, err
	}
	dir, err := intOr("sortInfo.sortDirection", req.SortInfo.SortDirection, sortDescending, sortAscending, sortDescending)
	if err != nil {
		return f, err
	}
	f.Ascending = dir == sortAscending
	return f, nil
}

// auditEntryJSON is KooDrive's logInfo, plus the trace ID that ties the
// entry to the request's log lines and the app that acted, if any.
type auditEntryJSON struct {
	LogID         koodrive.ID `json:"logId"`
	TenantID      koodrive.ID `json:"tenantId"`
	OperatorName  string      `json:"operatorName"`
	OperatorID    string      `json:"operatorId"` // "" for the command line
	OperateTime   string      `json:"operateTime"`
	Operation     string      `json:"operation"`
	Resource      string      `json:"resource"`
	OperateResult int         `json:"operateResult"`
	OperatorIP    string      `json:"operatorIP"`
	Message       string      `json:"message"`
	TraceID       string      `json:"traceId"`
	AppID         string      `json:"appId"`
}

// timeFormat is the form of KooDrive's example times, with milliseconds.
const timeFormat = "2006-01-02T15:04:05.000Z07:00"

type auditLogBody struct {
	envelope
	Total       int              `json:"total"`
	LogInfoList []auditEntryJSON `json:"logInfoList"`
}

func (s *Server) listAuditLog(w http.ResponseWriter, r *http.Request, a koodrive.Actor) error {
	var req auditLogRequest
	if err := decodeBody(w, r, &req); err != nil {
		return err
	}
	f, err := req.filter()
	if err != nil {
		return err
	}
	entries, total, err := s.svc.Audit.FindAuditEntries(r.Context(), a, f)
	if err != nil {
		return err
	}
	lang := info(r.Context()).lang
	body := auditLogBody{envelope: s.success(r), Total: total, LogInfoList: make([]auditEntryJSON, len(entries))}
	for i, e := range entries {
		out := auditEntryJSON{
			LogID: e.ID, TenantID: e.OrgID, OperatorName: e.OperatorName,
			OperateTime: e.Time.UTC().Format(timeFormat), Operation: e.Operation, Resource: e.Resource,
			OperateResult: e.Result, OperatorIP: e.ClientIP, TraceID: e.TraceID, AppID: e.AppID,
		}
		if e.OperatorID != 0 {
			out.OperatorID = e.OperatorID.String()
		}
		// The reason a change failed is stored as a message, not as text,
		// so each reader gets it in its own language.
		if e.Message != nil {
			out.Message = s.catalog.Text(lang, *e.Message)
		}
		body.LogInfoList[i] = out
	}
	writeJSON(w, http.StatusOK, body)
	return nil
}
