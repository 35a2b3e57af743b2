package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/koodrive/koodrive"
)

// OrganizationService implements koodrive.OrganizationService.
type OrganizationService struct{ db *DB }

var _ koodrive.OrganizationService = (*OrganizationService)(nil)

// NewOrganizationService returns the service on db.
func NewOrganizationService(db *DB) *OrganizationService { return &OrganizationService{db: db} }

// InitOrganization creates the organization, its root department and its
// first system administrator, unless the organization exists.
func (s *OrganizationService) InitOrganization(ctx context.Context, in koodrive.OrganizationInit) (*koodrive.Organization, bool, error) {
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return nil, false, err
	}
	defer tx.Rollback()
	if err := tx.d.lockInit(ctx, tx); err != nil {
		return nil, false, err
	}
	org, err := findOrganization(ctx, tx)
	if err == nil {
		return org, false, nil
	}
	if koodrive.ErrorKind(err) != koodrive.ENOTFOUND {
		return nil, false, err
	}
	// Settings are checked only when they are used: an existing
	// organization ignores them.
	if err := in.Validate(); err != nil {
		return nil, false, err
	}
	orgID, rootID, adminID := s.db.ids.next(), s.db.ids.next(), s.db.ids.next()
	now := millis(tx.now)
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO organizations (id, name, root_dept_id, capacity_gb, allocated_gb, user_count, max_users, created_at)
		VALUES ($1, $2, $3, $4, 0, 1, $5, $6)`,
		int64(orgID), in.Name, int64(rootID), in.CapacityGB, in.MaxUsers, now); err != nil {
		return nil, false, fmt.Errorf("create organization: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO departments (id, org_id, parent_id, name, name_key, path, level, created_at, updated_at)
		VALUES ($1, $2, NULL, $3, $4, $5, 1, $6, $6)`,
		int64(rootID), int64(orgID), in.Name, koodrive.FoldKey(in.Name), koodrive.ChildPath("/", rootID), now); err != nil {
		return nil, false, fmt.Errorf("create root department: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO users (id, org_id, user_id, user_key, dept_id, role, status, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`,
		int64(adminID), int64(orgID), in.AdminUserID, koodrive.FoldKey(in.AdminUserID), int64(rootID),
		koodrive.RoleSystemAdmin, koodrive.StatusNotActivated, now); err != nil {
		return nil, false, fmt.Errorf("create administrator: %w", err)
	}
	root := &koodrive.Department{ID: rootID, OrgID: orgID}
	if err := insertTeamSpace(ctx, s.db, tx, root, adminID); err != nil {
		return nil, false, err
	}
	if org, err = findOrganization(ctx, tx); err != nil {
		return nil, false, err
	}
	if err := insertAudit(ctx, tx, s.db.ids.next(), koodrive.Operator, &mutation{op: koodrive.AuditInitOrganization, resource: "organization"}, nil); err != nil {
		return nil, false, err
	}
	if err := tx.Commit(); err != nil {
		return nil, false, fmt.Errorf("create organization: %w", err)
	}
	return org, true, nil
}

// FindOrganization returns the organization.
func (s *OrganizationService) FindOrganization(ctx context.Context) (*koodrive.Organization, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return findOrganization(ctx, tx)
}

func findOrganization(ctx context.Context, tx *Tx) (*koodrive.Organization, error) {
	var o koodrive.Organization
	var created int64
	err := tx.QueryRowContext(ctx, `
		SELECT id, name, root_dept_id, capacity_gb, allocated_gb, user_count, max_users, created_at
		FROM organizations ORDER BY id LIMIT 1`).
		Scan(&o.ID, &o.Name, &o.RootDeptID, &o.CapacityGB, &o.AllocatedGB, &o.UserCount, &o.MaxUsers, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, koodrive.NewError(koodrive.ENOTFOUND, "", koodrive.MsgOrgNotInit, nil)
	}
	if err != nil {
		return nil, fmt.Errorf("find organization: %w", err)
	}
	o.CreatedAt = fromMillis(created)
	return &o, nil
}

// UpdateOrganization changes the organization's settings.
func (s *OrganizationService) UpdateOrganization(ctx context.Context, a koodrive.Actor, in koodrive.OrganizationUpdate) (*koodrive.Organization, error) {
	var org *koodrive.Organization
	err := s.db.mutate(ctx, a, koodrive.AuditUpdateOrganization, "organization", func(tx *Tx, _ *mutation) error {
		if err := a.Authorize(koodrive.OpManageOrg, "", nil); err != nil {
			return err
		}
		current, err := findOrganization(ctx, tx)
		if err != nil {
			return err
		}
		next, err := in.Apply(*current)
		if err != nil {
			return err
		}
		// The conditions make the checks and the change one step, so that
		// they hold against an allocation or a new user at the same moment.
		res, err := tx.ExecContext(ctx, `
			UPDATE organizations SET name = $1, capacity_gb = $2, max_users = $3
			WHERE id = $4 AND allocated_gb <= $2 AND user_count <= $3`,
			next.Name, next.CapacityGB, next.MaxUsers, int64(next.ID))
		if err != nil {
			return fmt.Errorf("update organization: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("update organization: %w", err)
		} else if n == 0 {
			now, err := findOrganization(ctx, tx)
			if err != nil {
				return err
			}
			if next.CapacityGB < now.AllocatedGB {
				return koodrive.Invalid("capacityGb", koodrive.MsgCapacityBelowAllocated, koodrive.Params{"Allocated": now.AllocatedGB})
			}
			return koodrive.Invalid("maxUsers", koodrive.MsgMaxUsersBelowCount, koodrive.Params{"Count": now.UserCount})
		}
		if _, err := tx.ExecContext(ctx, `UPDATE departments SET name = $1, name_key = $2, updated_at = $3 WHERE id = $4`,
			next.Name, koodrive.FoldKey(next.Name), millis(tx.now), int64(next.RootDeptID)); err != nil {
			return fmt.Errorf("rename root department: %w", err)
		}
		org, err = findOrganization(ctx, tx)
		return err
	})
	if err != nil {
		return nil, err
	}
	return org, nil
}

// rootID returns the root department's ID, which never changes once the
// organization exists.
func (db *DB) rootID(ctx context.Context, tx *Tx) (koodrive.ID, error) {
	if id := db.root.Load(); id != 0 {
		return koodrive.ID(id), nil
	}
	org, err := findOrganization(ctx, tx)
	if err != nil {
		return 0, err
	}
	db.root.Store(int64(org.RootDeptID))
	return org.RootDeptID, nil
}
