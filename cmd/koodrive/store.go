package main

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"time"

	"github.com/koodrive/koodrive/sqldb"
)

// storeFlags are the flags every command that opens the data uses.
type storeFlags struct {
	data string
	db   string
}

// open opens the database named by --db, or the SQLite file in --data.
func (f storeFlags) open(ctx context.Context) (*sqldb.DB, error) {
	path := f.db
	switch {
	case path == "":
		path = filepath.Join(f.data, "koodrive.db")
	case strings.HasPrefix(path, "postgres://"), strings.HasPrefix(path, "postgresql://"):
		return nil, errors.New("--db: PostgreSQL is not supported by this version; use a SQLite file path")
	case strings.HasPrefix(path, "sqlite://"):
		path = strings.TrimPrefix(path, "sqlite://")
	}
	return sqldb.Open(ctx, path, time.Now)
}
