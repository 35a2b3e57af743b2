package sqldb

import (
	"context"
	"fmt"
	"time"

	"github.com/koodrive/koodrive"
)

// ImportService implements koodrive.ImportService.
type ImportService struct {
	// TaskLease is how long a task stays with the instance running it
	// after its last batch began; when it runs out (the instance died)
	// another instance takes the task over. Zero means DefaultTaskLease.
	// A lease shorter than a batch takes costs nothing but a takeover: a
	// batch is imported whole, by one instance, or not at all.
	TaskLease time.Duration

	db   *DB
	wake chan struct{} // a task was started: RunTasks looks for work at once
}

var _ koodrive.ImportService = (*ImportService)(nil)

// DefaultTaskLease is the TaskLease of a service that sets none.
const DefaultTaskLease = 30 * time.Second

func (s *ImportService) taskLease() time.Duration {
	if s.TaskLease > 0 {
		return s.TaskLease
	}
	return DefaultTaskLease
}

// NewImportService returns the service on db.
func NewImportService(db *DB) *ImportService {
	return &ImportService{db: db, wake: make(chan struct{}, 1)}
}

// PreverifyImport reads one snapshot of the organization (its totals, the
// current department's subtree, and which of the batch's identities exist)
// and applies koodrive.VerifyImport to it.
func (s *ImportService) PreverifyImport(ctx context.Context, a koodrive.Actor, curDeptID koodrive.ID, rows []koodrive.ImportRow) ([]koodrive.VerifyResult, error) {
	if len(rows) == 0 || len(rows) > koodrive.MaxImportRows {
		return nil, koodrive.Invalid("users", koodrive.MsgRowCount, koodrive.Params{"Max": koodrive.MaxImportRows, "Count": len(rows)})
	}
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()

	tree, org, err := verifyScope(ctx, tx, a, curDeptID)
	if err != nil {
		return nil, err
	}
	keys := koodrive.ImportKeys(rows)
	existing, err := findExisting(ctx, tx, org, keys)
	if err != nil {
		return nil, err
	}
	verified := koodrive.VerifyImport(tree, org, rows, keys, existing, koodrive.VerifyOptions{Actor: &a})
	out := make([]koodrive.VerifyResult, len(verified))
	for i := range verified {
		out[i] = verified[i].Result
	}
	return out, nil
}

// verifyScope reads what rows are verified against: the current
// department's tree, which the actor must manage users of, and the
// organization.
func verifyScope(ctx context.Context, tx *Tx, a koodrive.Actor, curDeptID koodrive.ID) (*koodrive.DeptTree, *koodrive.Organization, error) {
	tree, err := loadDeptTree(ctx, tx, "curDeptId", curDeptID)
	if err != nil {
		return nil, nil, err
	}
	if err := a.Authorize(koodrive.OpManageUsers, "curDeptId", tree.Base); err != nil {
		return nil, nil, err
	}
	org, err := findOrganization(ctx, tx)
	if err != nil {
		return nil, nil, err
	}
	return tree, org, nil
}

// loadDeptTree reads the department id, its ancestors and its subtree.
func loadDeptTree(ctx context.Context, tx *Tx, field string, id koodrive.ID) (*koodrive.DeptTree, error) {
	base, err := findDepartment(ctx, tx, field, id)
	if err != nil {
		return nil, err
	}
	var ancestors []*koodrive.Department
	if ids := koodrive.AncestorIDs(base.Path); len(ids) > 1 {
		args := make([]any, len(ids)-1)
		for i, id := range ids[:len(ids)-1] {
			args[i] = int64(id)
		}
		if ancestors, err = queryDepartments(ctx, tx,
			`SELECT `+deptColumns+` FROM departments d WHERE d.id IN (`+placeholders(1, len(args))+`)`, args...); err != nil {
			return nil, fmt.Errorf("read ancestors of %d: %w", id, err)
		}
	}
	lo, hi := koodrive.PathRange(base.Path)
	subtree, err := queryDepartments(ctx, tx, `SELECT `+deptColumns+` FROM departments d WHERE d.path >= $1 AND d.path < $2`, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("read subtree of %d: %w", id, err)
	}
	return koodrive.NewDeptTree(base, ancestors, subtree), nil
}

// findExisting reports which of the rows' identities already belong to users.
func findExisting(ctx context.Context, tx *Tx, org *koodrive.Organization, keys []koodrive.RowKeys) (koodrive.Existing, error) {
	userKeys, emailKeys, mobiles := koodrive.ImportIdentities(keys)
	if org.UserCount <= int64(len(userKeys)+len(emailKeys)+len(mobiles)) {
		// Fewer users than identities to look up (a first import into a
		// new organization): reading every user is cheaper than probing
		// the indexes once per identity.
		return allIdentities(ctx, tx, org.UserCount)
	}
	var ex koodrive.Existing
	var err error
	if ex.UserKeys, err = owners(ctx, tx, "user_key", userKeys); err != nil {
		return ex, err
	}
	if ex.EmailKeys, err = owners(ctx, tx, "email_key", emailKeys); err != nil {
		return ex, err
	}
	ex.Mobiles, err = owners(ctx, tx, "mobile", mobiles)
	return ex, err
}

// allIdentities returns every user's identities: an Existing that answers
// for any key.
func allIdentities(ctx context.Context, tx *Tx, users int64) (koodrive.Existing, error) {
	ex := koodrive.Existing{UserKeys: make(koodrive.Owners, users), EmailKeys: make(koodrive.Owners), Mobiles: make(koodrive.Owners)}
	rows, err := tx.QueryContext(ctx, `SELECT user_key, coalesce(email_key, ''), coalesce(mobile, ''), id FROM users`)
	if err != nil {
		return ex, fmt.Errorf("read identities: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var user, email, mobile string
		var id koodrive.ID
		if err := rows.Scan(&user, &email, &mobile, &id); err != nil {
			return ex, fmt.Errorf("read identities: %w", err)
		}
		ex.UserKeys[user] = id
		if email != "" {
			ex.EmailKeys[email] = id
		}
		if mobile != "" {
			ex.Mobiles[mobile] = id
		}
	}
	if err := rows.Err(); err != nil {
		return ex, fmt.Errorf("read identities: %w", err)
	}
	return ex, nil
}

// owners returns which of the values the users column holds, and whose
// they are; column is one of the identity columns, never client input. The
// values go in as one JSON array: a query with thousands of numbered
// parameters costs SQLite time quadratic in their number just to prepare.
func owners(ctx context.Context, tx *Tx, column string, values []string) (koodrive.Owners, error) {
	found := make(koodrive.Owners)
	if len(values) == 0 {
		return found, nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+column+`, id FROM users WHERE `+column+` IN (`+tx.d.texts("$1")+`)`, jsonList(values))
	if err != nil {
		return nil, fmt.Errorf("look up existing %s: %w", column, err)
	}
	defer rows.Close()
	for rows.Next() {
		var v string
		var id koodrive.ID
		if err := rows.Scan(&v, &id); err != nil {
			return nil, fmt.Errorf("look up existing %s: %w", column, err)
		}
		found[v] = id
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("look up existing %s: %w", column, err)
	}
	return found, nil
}
