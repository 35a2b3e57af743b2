package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/koodrive/koodrive/i18n"
	"github.com/koodrive/koodrive/sqldb"
)

func appCommand(stdout io.Writer) *cobra.Command {
	cmd := &cobra.Command{Use: "app", Short: "Manage applications that use app authentication"}
	var f storeFlags
	var name string
	create := &cobra.Command{
		Use:   "create",
		Short: `Register an application; the last line printed is {"appId":"...","appSecret":"..."}`,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if name == "" {
				return errors.New("--name is required")
			}
			catalog, err := i18n.New()
			if err != nil {
				return err
			}
			db, err := f.open(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			app, err := sqldb.NewAuthService(db).CreateApp(cmd.Context(), name)
			if err != nil {
				return describe(catalog, err)
			}
			out, err := json.Marshal(map[string]string{"appId": app.AppID, "appSecret": app.Secret})
			if err != nil {
				return err
			}
			fmt.Fprintln(stdout, string(out))
			return nil
		},
	}
	create.Flags().StringVar(&f.data, "data", "./koodrive-data", "data folder (env KOODRIVE_DATA)")
	create.Flags().StringVar(&f.db, "db", "", "database (env KOODRIVE_DB)")
	create.Flags().StringVar(&name, "name", "", "application name (env KOODRIVE_NAME)")
	cmd.AddCommand(create)
	return cmd
}
