package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"time"

	"github.com/koodrive/koodrive"
)

// idEpoch starts the ID clock in 2010, which gives 19-digit IDs like
// KooDrive's and room until 2079 in 63 bits.
var idEpoch = time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)

// idSeqBits leaves 4096 IDs per millisecond before an ID borrows from the
// next millisecond.
const idSeqBits = 22

// idGen makes time-ordered IDs: milliseconds since idEpoch in the high bits,
// a counter in the low ones, and never an ID at or below the last one, even
// if the clock steps back.
type idGen struct {
	mu   sync.Mutex
	last int64
	now  func() time.Time
}

// newIDGen starts after the largest ID in the database (every table whose
// IDs it makes), so that a clock set back across a restart, or a restart
// within the same millisecond, cannot reissue an ID.
func newIDGen(ctx context.Context, db *sql.DB, now func() time.Time) (*idGen, error) {
	var last int64
	err := db.QueryRowContext(ctx, `
		SELECT max(m) FROM (
			SELECT coalesce(max(id), 0) AS m FROM organizations
			UNION ALL SELECT coalesce(max(id), 0) FROM departments
			UNION ALL SELECT coalesce(max(id), 0) FROM users
			UNION ALL SELECT coalesce(max(id), 0) FROM spaces
			UNION ALL SELECT coalesce(max(id), 0) FROM audit_log
			UNION ALL SELECT coalesce(max(id), 0) FROM import_uploads
			UNION ALL SELECT coalesce(max(id), 0) FROM tasks
		) AS ids`).Scan(&last)
	if err != nil {
		return nil, fmt.Errorf("read largest id: %w", err)
	}
	return &idGen{last: last, now: now}, nil
}

func (g *idGen) next() koodrive.ID {
	g.mu.Lock()
	defer g.mu.Unlock()
	id := g.now().Sub(idEpoch).Milliseconds() << idSeqBits
	if id <= g.last {
		id = g.last + 1
	}
	g.last = id
	return koodrive.ID(id)
}
