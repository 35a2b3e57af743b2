package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/koodrive/koodrive/internal/pgtest"
)

// benchPostgres measures the import and create paths again with koodrive on
// PostgreSQL, each figure named as on SQLite with a _pg suffix, compared
// with the SQLite one in sqlite in its note and with the same ceiling in
// its ratio: the budgets hold whichever engine koodrive runs on.
func benchPostgres(ctx context.Context, cfg config, dir, csv string, sqlite []figure) ([]figure, error) {
	admin, stop, skip, err := postgresServer(cfg.postgres)
	if err != nil {
		return nil, err
	}
	if skip != "" {
		return []figure{{name: "postgres", note: "skipped: " + skip}}, nil
	}
	defer stop()
	dsn, drop, err := pgtest.CreateDatabase(admin)
	if err != nil {
		return nil, fmt.Errorf("create the bench database: %w", err)
	}
	defer drop()
	k, err := startKoodrive(ctx, cfg.binary, filepath.Join(dir, "pg-data"), dsn, cfg.maxUsers())
	if err != nil {
		return nil, err
	}
	defer k.stop()
	var figs []figure
	imported, err := benchImport(ctx, k, csv, cfg.importRows)
	if err != nil {
		return nil, err
	}
	figs = append(figs, imported...)
	creates, err := benchCreateLoads(ctx, k, cfg)
	if err != nil {
		return nil, err
	}
	figs = append(figs, creates...)
	byName := map[string]figure{}
	for _, f := range sqlite {
		byName[f.name] = f
	}
	for i, f := range figs {
		if s, ok := byName[f.name]; ok && s.value > 0 {
			note := fmt.Sprintf("%.2fx SQLite's %.1f", f.value/s.value, s.value)
			if f.note != "" {
				note += "; " + f.note
			}
			f.note = note
		}
		f.name += "_pg"
		figs[i] = f
	}
	return figs, nil
}

// postgresServer returns the admin DSN of the server to measure on, starting
// a throwaway cluster for "auto"; skip says why there is none.
func postgresServer(choice string) (admin string, stop func() error, skip string, err error) {
	switch choice {
	case "off", "":
		return "", nil, "-postgres off", nil
	case "auto":
		admin, stop, err := pgtest.StartCluster()
		if err != nil {
			if errors.Is(err, pgtest.ErrNotInstalled) {
				return "", nil, err.Error(), nil
			}
			return "", nil, "", fmt.Errorf("start PostgreSQL: %w", err)
		}
		return admin, stop, "", nil
	default:
		return choice, func() error { return nil }, "", nil
	}
}
