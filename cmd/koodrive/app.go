package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/koodrive/koodrive"
	"github.com/koodrive/koodrive/sqldb"
)

// appCommand manages app credentials. Each subcommand opens the data
// folder, does one thing through the app service as the operator, and
// closes it.
func appCommand(getenv func(string) string, stdout io.Writer) *cobra.Command {
	cmd := &cobra.Command{Use: "app", Short: "Manage applications that use app authentication"}
	var f storeFlags
	withApps := func(do func(ctx context.Context, apps koodrive.AppService) error) func(*cobra.Command, []string) error {
		return func(cmd *cobra.Command, _ []string) error {
			st, err := f.openStore(cmd.Context(), getenv)
			if err != nil {
				return err
			}
			defer st.Close()
			return describe(st.catalog, do(cmd.Context(), sqldb.NewAppService(st.DB, st.sealer)))
		}
	}
	printSecret := func(app *koodrive.App) error {
		out, err := json.Marshal(map[string]string{"appId": app.AppID, "appSecret": app.Secret})
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, string(out))
		return nil
	}

	var name string
	create := &cobra.Command{
		Use:   "create",
		Short: `Register an application; the last line printed is {"appId":"...","appSecret":"..."}`,
		Args:  cobra.NoArgs,
		RunE: withApps(func(ctx context.Context, apps koodrive.AppService) error {
			if name == "" {
				return errors.New("--name is required")
			}
			app, err := apps.CreateApp(ctx, koodrive.Operator, name)
			if err != nil {
				return err
			}
			return printSecret(app)
		}),
	}
	create.Flags().StringVar(&name, "name", "", "application name (env KOODRIVE_NAME)")

	list := &cobra.Command{
		Use:   "list",
		Short: "List the applications",
		Args:  cobra.NoArgs,
		RunE: withApps(func(ctx context.Context, apps koodrive.AppService) error {
			all, err := apps.FindApps(ctx, koodrive.Operator)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "APP ID\tNAME\tSTATUS\tCREATED\tOLD SECRET VALID UNTIL")
			for _, a := range all {
				status, until := "enabled", "-"
				if a.Status == koodrive.AppDisabled {
					status = "disabled"
				}
				if !a.PreviousUntil.IsZero() {
					until = a.PreviousUntil.UTC().Format(time.RFC3339)
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", a.AppID, a.Name, status, a.CreatedAt.UTC().Format(time.RFC3339), until)
			}
			return tw.Flush()
		}),
	}

	var appID string
	byID := func(use, short string, do func(ctx context.Context, apps koodrive.AppService) error) *cobra.Command {
		c := &cobra.Command{
			Use:   use + " APP_ID",
			Short: short,
			Args:  cobra.ExactArgs(1),
			PreRun: func(_ *cobra.Command, args []string) {
				appID = args[0]
			},
			RunE: withApps(do),
		}
		return c
	}
	disable := byID("disable", "Stop an application's requests from authenticating", func(ctx context.Context, apps koodrive.AppService) error {
		return apps.SetAppStatus(ctx, koodrive.Operator, appID, koodrive.AppDisabled)
	})
	enable := byID("enable", "Let a disabled application authenticate again", func(ctx context.Context, apps koodrive.AppService) error {
		return apps.SetAppStatus(ctx, koodrive.Operator, appID, koodrive.AppEnabled)
	})
	remove := byID("delete", "Delete an application", func(ctx context.Context, apps koodrive.AppService) error {
		return apps.DeleteApp(ctx, koodrive.Operator, appID)
	})
	var grace time.Duration
	rotate := byID("rotate", `Give an application a new secret; the last line printed is {"appId":"...","appSecret":"..."}`,
		func(ctx context.Context, apps koodrive.AppService) error {
			app, err := apps.RotateAppSecret(ctx, koodrive.Operator, appID, grace)
			if err != nil {
				return err
			}
			return printSecret(app)
		})
	rotate.Flags().DurationVar(&grace, "grace", 0, "how long the old secret keeps working, up to 168h (env KOODRIVE_GRACE)")

	for _, c := range []*cobra.Command{create, list, disable, enable, remove, rotate} {
		f.flags(c)
		cmd.AddCommand(c)
	}
	return cmd
}
