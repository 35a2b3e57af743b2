package sqldb

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCache keeps a pool's statements prepared from one transaction to the
// next. SQLite parses a statement when it is prepared, and parsing was a
// sixth of the time of a user creation when every transaction prepared its
// own. database/sql keeps a pool-level statement prepared on each
// connection it has run on, and a transaction borrows its connection's
// copy. (PostgreSQL needs none of this: pgx caches statements per
// connection.)
type stmtCache struct {
	pool *sql.DB
	m    sync.Map // query → *sql.Stmt
	busy sync.Map // query → struct{}: being prepared
	wg   sync.WaitGroup
}

// maxCachedQuery keeps statements whose text is unlikely to repeat out of
// the cache (the bulk statements of inChunks's sizes fit).
const maxCachedQuery = 16 << 10

// forTx returns the pool-level statement of query for a transaction, or nil
// if there is none yet. Then it prepares one in the background: the caller
// holds a connection, which on SQLite's one-connection writer pool is the
// only one, so preparing now would wait for the caller itself.
func (c *stmtCache) forTx(query string) *sql.Stmt {
	if v, ok := c.m.Load(query); ok {
		return v.(*sql.Stmt)
	}
	if len(query) > maxCachedQuery {
		return nil
	}
	if _, loaded := c.busy.LoadOrStore(query, struct{}{}); !loaded {
		c.wg.Go(func() {
			if st, err := c.pool.PrepareContext(context.Background(), query); err == nil {
				c.m.Store(query, st)
			} else {
				c.busy.Delete(query) // tried again on a later use
			}
		})
	}
	return nil
}

// get returns the pool-level statement of query, preparing it now if
// needed: for callers that hold no connection.
func (c *stmtCache) get(ctx context.Context, query string) (*sql.Stmt, error) {
	if v, ok := c.m.Load(query); ok {
		return v.(*sql.Stmt), nil
	}
	st, err := c.pool.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if v, loaded := c.m.LoadOrStore(query, st); loaded {
		st.Close()
		return v.(*sql.Stmt), nil
	}
	return st, nil
}

// close closes the statements, once the background preparations are done.
func (c *stmtCache) close() {
	c.wg.Wait()
	c.m.Range(func(_, v any) bool {
		v.(*sql.Stmt).Close()
		return true
	})
}
