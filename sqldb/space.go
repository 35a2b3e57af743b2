package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"

	"github.com/koodrive/koodrive"
)

// SpaceService implements koodrive.SpaceService.
type SpaceService struct{ db *DB }

var _ koodrive.SpaceService = (*SpaceService)(nil)

// NewSpaceService returns the service on db.
func NewSpaceService(db *DB) *SpaceService { return &SpaceService{db: db} }

const spaceColumns = `s.container_id, s.type, coalesce(s.dept_id, s.user_id), s.org_id, s.capacity_gb, s.used_bytes, s.status, s.allocated,
	s.created_by, s.updated_by, s.created_at, s.updated_at`

// spaceDest returns where spaceColumns scan into, and what finishes sp after.
func spaceDest(sp *koodrive.Space) ([]any, func()) {
	var created, updated int64
	return []any{&sp.ContainerID, &sp.Type, &sp.OwnerID, &sp.OrgID, &sp.CapacityGB, &sp.UsedBytes, &sp.Status, &sp.Allocated,
			&sp.CreatedBy, &sp.UpdatedBy, &created, &updated}, func() {
			sp.CreatedAt, sp.UpdatedAt = fromMillis(created), fromMillis(updated)
		}
}

func scanSpace(row interface{ Scan(...any) error }) (*koodrive.Space, error) {
	var sp koodrive.Space
	dest, done := spaceDest(&sp)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	done()
	return &sp, nil
}

// ownerColumn is the column that holds the owner of a type of space.
func ownerColumn(t koodrive.SpaceType) string {
	if t == koodrive.SpacePersonal {
		return "user_id"
	}
	return "dept_id"
}

// findSpace returns the space of type t owned by owner, or ENOTFOUND.
func findSpace(ctx context.Context, tx *Tx, t koodrive.SpaceType, owner koodrive.ID) (*koodrive.Space, error) {
	sp, err := scanSpace(tx.QueryRowContext(ctx, `SELECT `+spaceColumns+` FROM spaces s WHERE s.`+ownerColumn(t)+` = $1`, int64(owner)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, koodrive.NewError(koodrive.ENOTFOUND, "ownerId", koodrive.MsgSpaceNotFound, koodrive.Params{"ID": owner.String()})
	}
	if err != nil {
		return nil, fmt.Errorf("find space of %d: %w", owner, err)
	}
	return sp, nil
}

// insertTeamSpace gives a new department its team space, with no capacity.
func insertTeamSpace(ctx context.Context, db *DB, tx *Tx, d *koodrive.Department, by koodrive.ID) error {
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO spaces (id, container_id, org_id, type, dept_id, created_by, updated_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $7)`,
		int64(db.ids.next()), randomHex(20), int64(d.OrgID), koodrive.SpaceDepartment, int64(d.ID), int64(by), millis(tx.now)); err != nil {
		return fmt.Errorf("create team space of %d: %w", d.ID, err)
	}
	return nil
}

// allocate moves delta GB (negative to give back) between the organization's
// unallocated capacity and its spaces; the condition makes the check and
// the change one step, so that two allocations of the last gigabytes
// cannot both succeed.
func allocate(ctx context.Context, tx *Tx, orgID koodrive.ID, delta int64) error {
	res, err := tx.ExecContext(ctx, `
		UPDATE organizations SET allocated_gb = allocated_gb + $1
		WHERE id = $2 AND allocated_gb + $1 <= capacity_gb AND allocated_gb + $1 >= 0`, delta, int64(orgID))
	if err != nil {
		return fmt.Errorf("allocate %d GB: %w", delta, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("allocate %d GB: %w", delta, err)
	} else if n == 0 {
		org, err := findOrganization(ctx, tx)
		if err != nil {
			return err
		}
		return koodrive.NewError(koodrive.EINSUFFICIENTSPACE, "capacity", koodrive.MsgInsufficientSpace,
			koodrive.Params{"Need": delta, "Left": org.UnallocatedGB()})
	}
	return nil
}

// releaseSpace gives a space's capacity back to the organization: a
// personal space is removed (remove), a team space returns to never
// allocated. It fails while the space holds data.
func releaseSpace(ctx context.Context, tx *Tx, sp *koodrive.Space, remove bool) error {
	if sp.UsedBytes > 0 {
		return koodrive.Invalid("ownerId", koodrive.MsgSpaceHoldsData, koodrive.Params{"UsedGB": koodrive.CeilDiv(sp.UsedBytes, koodrive.GB)})
	}
	if err := allocate(ctx, tx, sp.OrgID, -sp.CapacityGB); err != nil {
		return err
	}
	var err error
	if remove {
		_, err = tx.ExecContext(ctx, `DELETE FROM spaces WHERE container_id = $1`, sp.ContainerID)
	} else {
		_, err = tx.ExecContext(ctx, `UPDATE spaces SET capacity_gb = 0, allocated = 0, status = 0, updated_at = $1 WHERE container_id = $2`,
			millis(tx.now), sp.ContainerID)
	}
	if err != nil {
		return fmt.Errorf("release space %s: %w", sp.ContainerID, err)
	}
	return nil
}

// spaceOwner finds the department a space of type t belonging to owner is
// governed by: the department itself, or the user's department.
func spaceOwner(ctx context.Context, tx *Tx, t koodrive.SpaceType, owner koodrive.ID) (*koodrive.Department, error) {
	switch t {
	case koodrive.SpaceDepartment:
		return findDepartment(ctx, tx, "ownerId", owner)
	case koodrive.SpacePersonal:
		_, dept, err := findUser(ctx, tx, owner)
		if err != nil {
			// The owner is named by ownerId here, not userId.
			e := koodrive.AsError(err)
			return nil, koodrive.NewError(e.Kind, "ownerId", e.Message.ID, e.Message.Params)
		}
		return dept, nil
	}
	return nil, koodrive.Invalid("type", koodrive.MsgSpaceType, nil)
}

func spaceResource(t koodrive.SpaceType, owner koodrive.ID) string {
	if t == koodrive.SpacePersonal {
		return "space/user/" + owner.String()
	}
	return "space/department/" + owner.String()
}

// CreateSpace allocates a personal space or a team space's first capacity.
func (s *SpaceService) CreateSpace(ctx context.Context, a koodrive.Actor, in koodrive.SpaceCreate) (*koodrive.Space, error) {
	var sp *koodrive.Space
	err := s.db.mutate(ctx, a, koodrive.AuditCreateSpace, spaceResource(in.Type, in.OwnerID), func(tx *Tx, _ *mutation) error {
		dept, err := spaceOwner(ctx, tx, in.Type, in.OwnerID)
		if err != nil {
			return err
		}
		if err := a.Authorize(koodrive.OpManageSpaces, "ownerId", dept); err != nil {
			return err
		}
		existing, err := findSpace(ctx, tx, in.Type, in.OwnerID)
		switch {
		case err == nil && existing.Allocated:
			return koodrive.NewError(koodrive.ECONFLICT, "ownerId", koodrive.MsgSpaceExists, nil)
		case err != nil && koodrive.ErrorKind(err) != koodrive.ENOTFOUND:
			return err
		}
		org, err := findOrganization(ctx, tx)
		if err != nil {
			return err
		}
		if err := koodrive.CheckAllocation(existing, in.CapacityGB, org.UnallocatedGB()); err != nil {
			return err
		}
		if err := allocate(ctx, tx, org.ID, in.CapacityGB); err != nil {
			return err
		}
		if existing == nil {
			err = insertPersonalSpace(ctx, s.db, tx, org.ID, in.OwnerID, in.CapacityGB, a.ID)
		} else {
			err = resizeSpace(ctx, tx, existing.ContainerID, in.CapacityGB, a.ID)
		}
		if err != nil {
			return fmt.Errorf("allocate space of %d: %w", in.OwnerID, err)
		}
		sp, err = findSpace(ctx, tx, in.Type, in.OwnerID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return sp, nil
}

// FindSpace returns a space.
func (s *SpaceService) FindSpace(ctx context.Context, a koodrive.Actor, owner koodrive.ID, t koodrive.SpaceType) (*koodrive.Space, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	dept, err := spaceOwner(ctx, tx, t, owner)
	if err != nil {
		return nil, err
	}
	// Whether a space exists is itself for those who may read it.
	if err := a.AuthorizeSpaceRead(&koodrive.Space{Type: t, OwnerID: owner}, dept); err != nil {
		return nil, err
	}
	return findSpace(ctx, tx, t, owner)
}

// UpdateSpace changes a space's capacity or status.
func (s *SpaceService) UpdateSpace(ctx context.Context, a koodrive.Actor, in koodrive.SpaceUpdate) (*koodrive.Space, error) {
	var sp *koodrive.Space
	err := s.db.mutate(ctx, a, koodrive.AuditUpdateSpace, spaceResource(in.Type, in.OwnerID), func(tx *Tx, _ *mutation) error {
		dept, err := spaceOwner(ctx, tx, in.Type, in.OwnerID)
		if err != nil {
			return err
		}
		if err := a.Authorize(koodrive.OpManageSpaces, "ownerId", dept); err != nil {
			return err
		}
		if sp, err = findSpace(ctx, tx, in.Type, in.OwnerID); err != nil {
			return err
		}
		if in.Status != nil && *in.Status != koodrive.SpaceNormal && *in.Status != koodrive.SpaceDisabled {
			return koodrive.Invalid("status", koodrive.MsgStatusInvalid, koodrive.Params{"Values": "0, 1"})
		}
		if in.CapacityGB != nil {
			org, err := findOrganization(ctx, tx)
			if err != nil {
				return err
			}
			if err := koodrive.CheckAllocation(sp, *in.CapacityGB, org.UnallocatedGB()); err != nil {
				return err
			}
			if err := allocate(ctx, tx, org.ID, *in.CapacityGB-sp.CapacityGB); err != nil {
				return err
			}
			sp.CapacityGB, sp.Allocated = *in.CapacityGB, true
		}
		if in.Status != nil {
			sp.Status = *in.Status
		}
		if _, err := tx.ExecContext(ctx, `
			UPDATE spaces SET capacity_gb = $1, allocated = $2, status = $3, updated_by = $4, updated_at = $5 WHERE container_id = $6`,
			sp.CapacityGB, boolInt(sp.Allocated), sp.Status, int64(a.ID), millis(tx.now), sp.ContainerID); err != nil {
			return fmt.Errorf("update space %s: %w", sp.ContainerID, err)
		}
		sp.UpdatedBy, sp.UpdatedAt = a.ID, tx.now
		return nil
	})
	if err != nil {
		return nil, err
	}
	return sp, nil
}

// DeleteSpace releases a space's capacity.
func (s *SpaceService) DeleteSpace(ctx context.Context, a koodrive.Actor, owner koodrive.ID, t koodrive.SpaceType) error {
	return s.db.mutate(ctx, a, koodrive.AuditDeleteSpace, spaceResource(t, owner), func(tx *Tx, _ *mutation) error {
		dept, err := spaceOwner(ctx, tx, t, owner)
		if err != nil {
			return err
		}
		if err := a.Authorize(koodrive.OpManageSpaces, "ownerId", dept); err != nil {
			return err
		}
		sp, err := findSpace(ctx, tx, t, owner)
		if err != nil {
			return err
		}
		return releaseSpace(ctx, tx, sp, t == koodrive.SpacePersonal)
	})
}

// ReportUsage records how much a space holds.
func (s *SpaceService) ReportUsage(ctx context.Context, a koodrive.Actor, containerID string, usedBytes int64) error {
	return s.db.mutate(ctx, a, koodrive.AuditReportSpaceUsage, "space/"+containerID, func(tx *Tx, _ *mutation) error {
		if usedBytes < 0 {
			return koodrive.Invalid("spaceUsed", koodrive.MsgIntRange, koodrive.Params{"Min": 0, "Max": int64(1<<63 - 1)})
		}
		sp, err := scanSpace(tx.QueryRowContext(ctx, `SELECT `+spaceColumns+` FROM spaces s WHERE s.container_id = $1`, containerID))
		if errors.Is(err, sql.ErrNoRows) {
			return koodrive.NewError(koodrive.ENOTFOUND, "containerId", koodrive.MsgSpaceNotFound, koodrive.Params{"ID": containerID})
		}
		if err != nil {
			return fmt.Errorf("find space %s: %w", containerID, err)
		}
		dept, err := spaceOwner(ctx, tx, sp.Type, sp.OwnerID)
		if err != nil {
			return err
		}
		if err := a.Authorize(koodrive.OpManageSpaces, "containerId", dept); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE spaces SET used_bytes = $1, updated_at = $2 WHERE container_id = $3`,
			usedBytes, millis(tx.now), containerID); err != nil {
			return fmt.Errorf("report usage of %s: %w", containerID, err)
		}
		return nil
	})
}

// Usage returns the organization's totals. The allocated and user totals
// come from the organization's row and the per-type sums from the spaces
// themselves, so a reader can check that they agree.
func (s *SpaceService) Usage(ctx context.Context, a koodrive.Actor) (*koodrive.Usage, error) {
	if err := a.Authorize(koodrive.OpReadUsage, "", nil); err != nil {
		return nil, err
	}
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	org, err := findOrganization(ctx, tx)
	if err != nil {
		return nil, err
	}
	u := &koodrive.Usage{CapacityGB: org.CapacityGB, AllocatedGB: org.AllocatedGB, UserCount: org.UserCount, MaxUsers: org.MaxUsers}
	// Used bytes are summed as floating point: reported usage is not bounded
	// by capacity, and an integer sum could overflow where a float only
	// loses bytes beyond 2^53.
	rows, err := tx.QueryContext(ctx, `
		SELECT type, count(*), coalesce(sum(capacity_gb), 0), coalesce(sum(CAST(used_bytes AS DOUBLE PRECISION)), 0)
		FROM spaces GROUP BY type`)
	if err != nil {
		return nil, fmt.Errorf("sum spaces: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var t koodrive.SpaceType
		var k koodrive.KindTotals
		var used float64
		if err := rows.Scan(&t, &k.Spaces, &k.AllocatedGB, &used); err != nil {
			return nil, fmt.Errorf("sum spaces: %w", err)
		}
		k.UsedBytes = saturate(used)
		if t >= 0 && int(t) < len(u.ByType) {
			u.ByType[t] = k
			u.UsedBytes = saturate(float64(u.UsedBytes) + used)
		}
	}
	return u, rows.Err()
}

// saturate converts a non-negative float to int64, holding at the largest
// int64 rather than wrapping round.
func saturate(f float64) int64 {
	if f >= math.MaxInt64 {
		return math.MaxInt64
	}
	return int64(f)
}
