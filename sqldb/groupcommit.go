package sqldb

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/koodrive/koodrive"
)

// Group commit. Every change made through mutate goes to one committer,
// which runs the changes waiting at that moment in one transaction, each in
// a savepoint of its own, and commits them together: one sync for many
// requests instead of one each. A change that fails is undone alone and its
// failure recorded in the same transaction; each caller is answered only
// after the commit that holds its change (or with the error that kept it
// out). Writes already take turns (SQLite's one writer, PostgreSQL's
// organization lock), so running them on one goroutine costs no parallelism;
// while a group syncs, the next one gathers.

// maxGroup bounds a group, so that a flood of changes still commits, and
// answers, in steps.
const maxGroup = 256

// change is one caller's change.
type change struct {
	ctx context.Context
	// run makes the change; if it fails, its writes are undone and fail,
	// if set, records the failure.
	run  func(tx *Tx) error
	fail func(tx *Tx, err error) error
	done chan error
}

type committer struct {
	db    *DB
	queue chan *change
	// mu orders queueing before closing: a change queued under the read
	// lock is queued before stop closes, so the loop's last drain answers it.
	mu      sync.RWMutex
	closed  bool
	stop    chan struct{} // closed by Close: no more changes
	stopped chan struct{} // closed when the changes queued before are done
}

var errClosed = errors.New("the database is closed")

func newCommitter(db *DB) *committer {
	c := &committer{db: db, queue: make(chan *change, maxGroup), stop: make(chan struct{}), stopped: make(chan struct{})}
	go c.loop()
	return c
}

// submit queues ch and waits for its answer. Once queued, a change is
// waited for whatever ctx does: a caller never hears "failed" of a change
// that was committed. (If ctx ends before the group begins, the change is
// not run at all.)
func (c *committer) submit(ctx context.Context, ch *change) error {
	ch.ctx, ch.done = ctx, make(chan error, 1)
	c.mu.RLock()
	if c.closed {
		c.mu.RUnlock()
		return errClosed
	}
	// The loop keeps taking changes until stop closes, which waits for
	// this read lock: a full queue still drains.
	select {
	case c.queue <- ch:
	case <-ctx.Done():
		c.mu.RUnlock()
		return ctx.Err()
	}
	c.mu.RUnlock()
	return <-ch.done
}

// close stops taking changes and waits for those queued.
func (c *committer) close() {
	c.mu.Lock()
	c.closed = true
	close(c.stop)
	c.mu.Unlock()
	<-c.stopped
}

func (c *committer) loop() {
	defer close(c.stopped)
	group := make([]*change, 0, maxGroup)
	for {
		var first *change
		select {
		case first = <-c.queue:
		case <-c.stop:
			// Answer what was queued before the stop, then end.
			select {
			case first = <-c.queue:
			default:
				return
			}
		}
		group = append(group[:0], first)
	gather:
		for len(group) < maxGroup {
			select {
			case ch := <-c.queue:
				group = append(group, ch)
			default:
				break gather
			}
		}
		c.commit(group)
	}
}

// commit runs a group in one transaction and answers each change.
func (c *committer) commit(group []*change) {
	results := make([]error, len(group))
	if err := c.runGroup(group, results); err != nil {
		for i := range results {
			if results[i] == nil {
				results[i] = err
			}
		}
	}
	for i, ch := range group {
		ch.done <- results[i]
	}
}

// runGroup fills results with each change's own error and returns an error
// that keeps the whole group out of the database, if there is one.
func (c *committer) runGroup(group []*change, results []error) error {
	ctx := context.Background()
	tx, err := c.db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// Callers' statements must not cancel the transaction they share: one
	// client hanging up would undo the others' changes.
	tx.shared = true
	if err := tx.d.lockOrg(ctx, tx); err != nil {
		return err
	}
	for i, ch := range group {
		if err := ch.ctx.Err(); err != nil {
			results[i] = err // gave up before its turn: not run
			continue
		}
		if results[i], err = c.apply(ctx, tx, ch); err != nil {
			// The transaction itself is lost: none of the group holds,
			// including the changes that succeeded before.
			clear(results)
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// apply runs one change in a savepoint: its own error, and an error that
// breaks the transaction (a savepoint that cannot be rolled back to).
func (c *committer) apply(ctx context.Context, tx *Tx, ch *change) (failed, broken error) {
	failed, broken = inSavepoint(ctx, tx, func() error { return protect(func() error { return ch.run(tx) }) })
	if failed != nil && broken == nil && ch.fail != nil {
		// Best effort: if recording the failure fails too, that is
		// undone and the caller hears of the first failure.
		_, broken = inSavepoint(ctx, tx, func() error { return protect(func() error { return ch.fail(tx, failed) }) })
	}
	return failed, broken
}

// inSavepoint runs fn in a savepoint, undoing fn's writes if it fails:
// fn's own error, and an error that breaks the transaction (a savepoint
// that cannot be rolled back to). After a failed statement PostgreSQL
// refuses every other statement of the transaction until a rollback to a
// savepoint; SQLite would go on, but the writes before the failure would
// stay.
func inSavepoint(ctx context.Context, tx *Tx, fn func() error) (failed, broken error) {
	if _, err := tx.Tx.ExecContext(ctx, "SAVEPOINT change"); err != nil {
		return nil, fmt.Errorf("savepoint: %w", err)
	}
	if failed = fn(); failed != nil {
		if _, err := tx.Tx.ExecContext(ctx, "ROLLBACK TO change"); err != nil {
			return nil, fmt.Errorf("undo a failed change: %w (it failed with: %v)", err, failed)
		}
	}
	if _, err := tx.Tx.ExecContext(ctx, "RELEASE change"); err != nil {
		return nil, fmt.Errorf("release savepoint: %w", err)
	}
	return failed, nil
}

// protect runs fn, turning a panic into an internal error: one change's bug
// must not take the committer, and every other caller, down with it.
func protect(fn func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = koodrive.Internal(fmt.Errorf("panic: %v", p))
		}
	}()
	return fn()
}
