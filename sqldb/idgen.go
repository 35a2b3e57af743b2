package sqldb

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/koodrive/koodrive"
)

// idEpoch starts the ID clock in 2010, which gives 19-digit IDs like
// KooDrive's and room until 2079 in 63 bits.
var idEpoch = time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)

// An ID is milliseconds since idEpoch, the node of the process that made
// it, and a sequence number within the millisecond.
const (
	idNodeBits = 10
	idSeqBits  = 12
	idMaxNode  = 1<<idNodeBits - 1
	idMaxSeq   = 1<<idSeqBits - 1
)

// nodeLease is how long a process's node stays its own without renewal; it
// renews every nodeLease/10.
const nodeLease = 10 * time.Minute

// idGen makes time-ordered IDs, never one at or below the last, even if the
// clock steps back; a millisecond whose sequence runs out borrows the next.
type idGen struct {
	mu     sync.Mutex
	node   int64
	lastMs int64
	seq    int64
	now    func() time.Time
}

func (g *idGen) next() koodrive.ID {
	g.mu.Lock()
	defer g.mu.Unlock()
	ms := g.now().Sub(idEpoch).Milliseconds()
	switch {
	case ms > g.lastMs:
		g.seq = 0
	case g.seq < idMaxSeq:
		ms, g.seq = g.lastMs, g.seq+1
	default:
		ms, g.seq = g.lastMs+1, 0
	}
	g.lastMs = ms
	return koodrive.ID(ms<<(idNodeBits+idSeqBits) | g.node<<idSeqBits | g.seq)
}

// claimIDNode takes the lowest node no live process holds, and starts the
// clock after the largest ID in the database, so that a clock set back
// across a restart cannot reissue an ID.
func (db *DB) claimIDNode(ctx context.Context) (*idGen, error) {
	g := &idGen{now: db.now}
	err := db.write(ctx, func(tx *Tx) error {
		if err := tx.d.lockInit(ctx, tx); err != nil {
			return err
		}
		now := millis(tx.now)
		rows, err := tx.QueryContext(ctx, `SELECT node FROM id_nodes WHERE lease_until >= $1 ORDER BY node`, now)
		if err != nil {
			return fmt.Errorf("claim ID node: %w", err)
		}
		taken := make(map[int64]bool)
		for rows.Next() {
			var n int64
			if err := rows.Scan(&n); err != nil {
				rows.Close()
				return fmt.Errorf("claim ID node: %w", err)
			}
			taken[n] = true
		}
		rows.Close()
		g.node = -1
		for n := int64(0); n <= idMaxNode; n++ {
			if !taken[n] {
				g.node = n
				break
			}
		}
		if g.node < 0 {
			return fmt.Errorf("claim ID node: all %d nodes are held", idMaxNode+1)
		}
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO id_nodes (node, holder, lease_until) VALUES ($1, $2, $3)
			ON CONFLICT (node) DO UPDATE SET holder = excluded.holder, lease_until = excluded.lease_until`,
			g.node, db.instance, millis(tx.now.Add(nodeLease))); err != nil {
			return fmt.Errorf("claim ID node: %w", err)
		}
		var last int64
		if err := tx.QueryRowContext(ctx, `
			SELECT max(m) FROM (
				SELECT coalesce(max(id), 0) AS m FROM organizations
				UNION ALL SELECT coalesce(max(id), 0) FROM departments
				UNION ALL SELECT coalesce(max(id), 0) FROM users
				UNION ALL SELECT coalesce(max(id), 0) FROM spaces
				UNION ALL SELECT coalesce(max(id), 0) FROM audit_log
				UNION ALL SELECT coalesce(max(id), 0) FROM import_uploads
				UNION ALL SELECT coalesce(max(id), 0) FROM tasks
			) AS ids`).Scan(&last); err != nil {
			return fmt.Errorf("read largest id: %w", err)
		}
		g.lastMs, g.seq = last>>(idNodeBits+idSeqBits), idMaxSeq
		return nil
	})
	return g, err
}

// renewLeases keeps the process's ID node its own until Close.
func (db *DB) renewLeases() {
	defer close(db.stopped)
	tick := time.NewTicker(nodeLease / 10)
	defer tick.Stop()
	for {
		select {
		case <-db.stop:
			return
		case <-tick.C:
			ctx, cancel := context.WithTimeout(context.Background(), nodeLease/10)
			db.write(ctx, func(tx *Tx) error {
				_, err := tx.ExecContext(ctx, `UPDATE id_nodes SET lease_until = $1 WHERE node = $2 AND holder = $3`,
					millis(tx.now.Add(nodeLease)), db.ids.node, db.instance)
				return err
			})
			cancel()
		}
	}
}

// releaseLeases gives up the process's ID node, for the next process to
// start, and its tasks, for another instance to carry on at once.
func (db *DB) releaseLeases() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	db.write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM id_nodes WHERE node = $1 AND holder = $2`, db.ids.node, db.instance); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE tasks SET claimed_by = '', lease_until = 0 WHERE claimed_by = $1`, db.instance)
		return err
	})
}
