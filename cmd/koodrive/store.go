package main

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/koodrive/koodrive/i18n"
	"github.com/koodrive/koodrive/sqldb"
)

// storeFlags are the flags every command that opens the data uses.
type storeFlags struct {
	data string
	db   string
}

// flags adds --data and --db to a command.
func (f *storeFlags) flags(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.data, "data", "./koodrive-data", "data folder (env KOODRIVE_DATA)")
	cmd.Flags().StringVar(&f.db, "db", "", "database: a SQLite file path (default: koodrive.db in the data folder) or a postgres:// URL (env KOODRIVE_DB)")
}

// store is what a command works with: the database, the catalog its
// messages come from, and the sealer of app secrets when it needs one.
type store struct {
	*sqldb.DB
	catalog *i18n.Catalog
	sealer  *sqldb.Sealer
}

// openStore opens a command's data; with getenv it also loads the server
// key that seals app secrets.
func (f storeFlags) openStore(ctx context.Context, getenv func(string) string) (*store, error) {
	catalog, err := i18n.New()
	if err != nil {
		return nil, err
	}
	var sealer *sqldb.Sealer
	if getenv != nil {
		if sealer, err = serverKey(f.data, getenv); err != nil {
			return nil, err
		}
	}
	db, err := f.open(ctx)
	if err != nil {
		return nil, err
	}
	if sealer != nil {
		if err := db.CheckServerKey(ctx, sealer); err != nil {
			db.Close()
			return nil, err
		}
	}
	return &store{DB: db, catalog: catalog, sealer: sealer}, nil
}

// open opens the database named by --db — a PostgreSQL URL or a SQLite
// file — or the SQLite file in --data.
func (f storeFlags) open(ctx context.Context) (*sqldb.DB, error) {
	dsn := f.db
	switch {
	case dsn == "":
		dsn = filepath.Join(f.data, "koodrive.db")
	case strings.HasPrefix(dsn, "sqlite://"):
		dsn = strings.TrimPrefix(dsn, "sqlite://")
	}
	db, err := sqldb.Open(ctx, dsn, time.Now)
	if err != nil {
		return nil, fmt.Errorf("--db %s: %w", redact(dsn), err)
	}
	return db, nil
}

// redact hides the password of a database URL, for messages.
func redact(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		return u.Redacted()
	}
	return dsn
}
