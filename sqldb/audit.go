package sqldb

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/koodrive/koodrive"
)

// mutation is what an audit entry says of a change: the operation and the
// resource, which the change may only learn as it goes (a new user's ID).
type mutation struct {
	op       string
	resource string
}

// mutate makes a change, with the organization locked, in a transaction it
// may share with other changes (groupcommit.go), and records it in the
// audit log: a success with the change, so that no change commits without
// its entry, and a failure after the change's writes are undone, so that
// refused attempts are on record too.
func (db *DB) mutate(ctx context.Context, a koodrive.Actor, op, resource string, apply func(tx *Tx, m *mutation) error) error {
	m := &mutation{op: op, resource: resource}
	return db.commits.submit(ctx, &change{
		run: func(tx *Tx) error {
			if err := apply(tx, m); err != nil {
				return err
			}
			return insertAudit(ctx, tx, db.ids.next(), a, m, nil)
		},
		// A refused or failed change is on record too, in the same commit.
		fail: func(tx *Tx, failure error) error {
			return insertAudit(ctx, tx, db.ids.next(), a, m, failure)
		},
	})
}

func insertAudit(ctx context.Context, tx *Tx, id koodrive.ID, a koodrive.Actor, m *mutation, failure error) error {
	meta := koodrive.RequestMetaFrom(ctx)
	result, msgID, params := koodrive.AuditSucceeded, "", ""
	if failure != nil {
		result = koodrive.AuditFailed
		e := koodrive.AsError(failure)
		msgID = string(e.Message.ID)
		if len(e.Message.Params) > 0 {
			b, err := json.Marshal(e.Message.Params)
			if err != nil {
				return fmt.Errorf("audit %s: %w", m.op, err)
			}
			params = string(b)
		}
	}
	// The organization's ID is read in the statement: one round trip per
	// entry, which group commit makes per change.
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO audit_log (id, org_id, time, operator_id, operator_name, operator_key, app_id, operation, resource, result, client_ip, trace_id, message_id, message_params)
		VALUES ($1, (SELECT coalesce(max(id), 0) FROM organizations), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
		int64(id), millis(tx.now), int64(a.ID), a.UserID, koodrive.FoldKey(a.UserID), a.AppID, m.op, m.resource, result,
		meta.ClientIP, meta.TraceID, msgID, params); err != nil {
		return fmt.Errorf("audit %s: %w", m.op, err)
	}
	return nil
}

// AuditService implements koodrive.AuditService.
type AuditService struct{ db *DB }

var _ koodrive.AuditService = (*AuditService)(nil)

// NewAuditService returns the service on db.
func NewAuditService(db *DB) *AuditService { return &AuditService{db: db} }

// FindAuditEntries returns a page of the audit log.
func (s *AuditService) FindAuditEntries(ctx context.Context, a koodrive.Actor, f koodrive.AuditFilter) ([]*koodrive.AuditEntry, int, error) {
	if err := a.Authorize(koodrive.OpReadAudit, "", nil); err != nil {
		return nil, 0, err
	}
	if f.PageSize < 1 || f.PageSize > koodrive.MaxPageSize {
		return nil, 0, koodrive.Invalid("pageInfo.pageSize", koodrive.MsgIntRange, koodrive.Params{"Min": 1, "Max": koodrive.MaxPageSize})
	}
	if f.PageNum < 1 {
		return nil, 0, koodrive.Invalid("pageInfo.pageNum", koodrive.MsgIntRange, koodrive.Params{"Min": 1, "Max": 1<<31 - 1})
	}
	var where []string
	var args []any
	add := func(cond string, arg any) {
		args = append(args, arg)
		where = append(where, strings.ReplaceAll(cond, "$?", fmt.Sprintf("$%d", len(args))))
	}
	if !f.From.IsZero() {
		add(`time >= $?`, millis(f.From))
	}
	if !f.To.IsZero() {
		add(`time <= $?`, millis(f.To))
	}
	if f.OperatorName != "" {
		add(`operator_key = $?`, koodrive.FoldKey(f.OperatorName)) // userIds compare ignoring case
	}
	if len(f.Operations) > 0 {
		add(`operation IN (`+s.db.d.texts("$?")+`)`, jsonList(f.Operations))
	}
	if len(f.Excluded) > 0 {
		add(`operation NOT IN (`+s.db.d.texts("$?")+`)`, jsonList(f.Excluded))
	}
	if f.Result != nil {
		add(`result = $?`, *f.Result)
	}
	if f.OperatorIP != "" {
		add(`client_ip = $?`, f.OperatorIP)
	}
	cond := "1 = 1"
	if len(where) > 0 {
		cond = strings.Join(where, " AND ")
	}
	order := "DESC"
	if f.Ascending {
		order = "ASC"
	}

	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	var total int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count audit entries: %w", err)
	}
	args = append(args, f.PageSize, (f.PageNum-1)*f.PageSize)
	rows, err := tx.QueryContext(ctx, `
		SELECT id, org_id, time, operator_id, operator_name, app_id, operation, resource, result, client_ip, trace_id, message_id, message_params
		FROM audit_log WHERE `+cond+fmt.Sprintf(` ORDER BY time %[1]s, id %[1]s LIMIT $%[2]d OFFSET $%[3]d`, order, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list audit entries: %w", err)
	}
	defer rows.Close()
	var out []*koodrive.AuditEntry
	for rows.Next() {
		var e koodrive.AuditEntry
		var at int64
		var msgID, params string
		if err := rows.Scan(&e.ID, &e.OrgID, &at, &e.OperatorID, &e.OperatorName, &e.AppID, &e.Operation, &e.Resource,
			&e.Result, &e.ClientIP, &e.TraceID, &msgID, &params); err != nil {
			return nil, 0, fmt.Errorf("list audit entries: %w", err)
		}
		e.Time = fromMillis(at)
		if msgID != "" {
			e.Message = &koodrive.Message{ID: koodrive.MessageID(msgID)}
			if params != "" {
				// Numbers stay as they were written (json.Number), not float64.
				dec := json.NewDecoder(bytes.NewReader([]byte(params)))
				dec.UseNumber()
				if err := dec.Decode(&e.Message.Params); err != nil {
					return nil, 0, fmt.Errorf("audit entry %d: %w", e.ID, err)
				}
			}
		}
		out = append(out, &e)
	}
	return out, total, rows.Err()
}

// jsonList encodes values as a JSON array, a list bound to one parameter.
func jsonList[T any](values []T) string {
	b, _ := json.Marshal(values)
	return string(b)
}
