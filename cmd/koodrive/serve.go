package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/koodrive/koodrive"
	"github.com/koodrive/koodrive/httpapi"
	"github.com/koodrive/koodrive/sqldb"
)

// taskPoll is how often the import runner looks for tasks it was not told
// about: those started on other instances, or left by one that died.
const taskPoll = 2 * time.Second

// shutdownGrace is how long requests in flight may take to finish after
// SIGTERM before the server closes their connections.
const shutdownGrace = 30 * time.Second

type serveFlags struct {
	storeFlags
	addr      string
	init      koodrive.OrganizationInit
	logLevel  slog.Level
	taskLease time.Duration
	debugAddr string
}

func serveCommand(getenv func(string) string, stdout, stderr io.Writer) *cobra.Command {
	var f serveFlags
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the API (the data folder is initialized on first start)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return serve(cmd.Context(), f, cmd.Flags().Changed, getenv, stdout, stderr)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.addr, "addr", "127.0.0.1:8080", "address to listen on (env KOODRIVE_ADDR)")
	f.flags(cmd)
	fl.Int64Var(&f.init.CapacityGB, "capacity-gb", 1024, "organization's total capacity in GB, on first start (env KOODRIVE_CAPACITY_GB)")
	fl.Int64Var(&f.init.MaxUsers, "max-users", 10000, "organization's user limit, on first start (env KOODRIVE_MAX_USERS)")
	fl.StringVar(&f.init.AdminUserID, "admin-user-id", "admin", "userId of the first system administrator, on first start (env KOODRIVE_ADMIN_USER_ID)")
	fl.StringVar(&f.init.Name, "org-name", "Organization", "name of the organization and its root department, on first start (env KOODRIVE_ORG_NAME)")
	fl.TextVar(&f.logLevel, "log-level", slog.LevelInfo, "debug, info, warn or error (env KOODRIVE_LOG_LEVEL)")
	fl.StringVar(&f.debugAddr, "debug-addr", "", "address to serve Go's profiles on (/debug/pprof/), such as 127.0.0.1:6060; none when empty (env KOODRIVE_DEBUG_ADDR)")
	fl.DurationVar(&f.taskLease, "task-lease", sqldb.DefaultTaskLease,
		"how long an import task waits for an instance that stopped answering before another instance takes it over (env KOODRIVE_TASK_LEASE)")
	return cmd
}

func serve(ctx context.Context, f serveFlags, changed func(string) bool, getenv func(string) string, stdout, stderr io.Writer) error {
	if f.taskLease <= 0 {
		return fmt.Errorf("--task-lease %v: want a positive duration", f.taskLease)
	}
	log := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: f.logLevel}))
	st, err := f.openStore(ctx, getenv)
	if err != nil {
		return err
	}
	defer st.Close()
	db, catalog := st.DB, st.catalog

	org, created, err := sqldb.NewOrganizationService(db).InitOrganization(ctx, f.init)
	if err != nil {
		return describe(catalog, err)
	}
	if created {
		log.Info("initialized organization", "org_id", org.ID.String(), "admin_user_id", f.init.AdminUserID,
			"capacity_gb", org.CapacityGB, "max_users", org.MaxUsers)
	} else {
		for _, name := range []string{"capacity-gb", "max-users", "admin-user-id", "org-name"} {
			if changed(name) {
				log.Warn("--" + name + " applies only when a data folder is first initialized; it is ignored")
			}
		}
	}

	imports := sqldb.NewImportService(db)
	imports.TaskLease = f.taskLease
	runnerCtx, stopRunner := context.WithCancel(context.WithoutCancel(ctx))
	runnerDone := make(chan struct{})
	go func() {
		defer close(runnerDone)
		imports.RunTasks(runnerCtx, taskPoll, func(err error) { log.Error("import task", "error", err) })
	}()
	// The runner stops before the database closes; a batch it was in the
	// middle of rolls back and runs again on the next start.
	defer func() { stopRunner(); <-runnerDone }()

	api := httpapi.NewServer(httpapi.DefaultConfig(), log, catalog, httpapi.Services{
		Organization: sqldb.NewOrganizationService(db),
		Users:        sqldb.NewUserService(db),
		Departments:  sqldb.NewDepartmentService(db),
		Imports:      imports,
		Auth:         sqldb.NewAuthService(db),
		Apps:         sqldb.NewAppService(db, st.sealer),
		Spaces:       sqldb.NewSpaceService(db),
		Audit:        sqldb.NewAuditService(db),
		Ping:         db.Ping,
	})
	srv := &http.Server{
		Handler:           api,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute, // a 100,000-row import body on a slow link
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return err
	}
	if f.debugAddr != "" {
		debugCtx, stopDebug := context.WithCancel(ctx)
		defer stopDebug()
		if err := serveDebug(debugCtx, f.debugAddr, log); err != nil {
			ln.Close()
			return err
		}
	}
	fmt.Fprintf(stdout, "koodrive listening on http://%s\n", ln.Addr())
	log.Info("listening", "addr", ln.Addr().String())

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
