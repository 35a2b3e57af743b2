package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/koodrive/koodrive/i18n"
	"github.com/koodrive/koodrive/sqldb"
)

func tokenCommand(stdout io.Writer) *cobra.Command {
	cmd := &cobra.Command{Use: "token", Short: "Manage access tokens"}
	var f storeFlags
	var user string
	create := &cobra.Command{
		Use:   "create",
		Short: "Issue an access token for a user (printed as the last line)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if user == "" {
				return errors.New("--user is required")
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
			if _, err := sqldb.NewOrganizationService(db).FindOrganization(cmd.Context()); err != nil {
				return describe(catalog, err)
			}
			token, err := sqldb.NewAuthService(db).CreateSession(cmd.Context(), user)
			if err != nil {
				return describe(catalog, err)
			}
			fmt.Fprintln(stdout, token)
			return nil
		},
	}
	create.Flags().StringVar(&f.data, "data", "./koodrive-data", "data folder (env KOODRIVE_DATA)")
	create.Flags().StringVar(&f.db, "db", "", "database (env KOODRIVE_DB)")
	create.Flags().StringVar(&user, "user", "", "userId of the user the token acts for (env KOODRIVE_USER)")
	cmd.AddCommand(create)
	return cmd
}
