package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/koodrive/koodrive/sqldb"
)

func tokenCommand(stdout io.Writer) *cobra.Command {
	cmd := &cobra.Command{Use: "token", Short: "Issue access tokens"}
	var f storeFlags
	var user string
	var code bool
	create := &cobra.Command{
		Use:   "create",
		Short: "Issue an access token for a user (printed as the last line)",
		Long: `Issue an access token for a user, printed as the last line. With --code,
print instead a one-time login code that POST /koodrive/ose/v1/session/ exchanges
for a session within 5 minutes.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if user == "" {
				return errors.New("--user is required")
			}
			st, err := f.openStore(cmd.Context(), nil)
			if err != nil {
				return err
			}
			defer st.Close()
			catalog := st.catalog
			if _, err := sqldb.NewOrganizationService(st.DB).FindOrganization(cmd.Context()); err != nil {
				return describe(catalog, err)
			}
			auth := sqldb.NewAuthService(st.DB)
			if code {
				c, err := auth.CreateLoginCode(cmd.Context(), user)
				if err != nil {
					return describe(catalog, err)
				}
				fmt.Fprintln(stdout, c)
				return nil
			}
			sess, err := auth.CreateSession(cmd.Context(), user)
			if err != nil {
				return describe(catalog, err)
			}
			fmt.Fprintln(stdout, sess.Token)
			return nil
		},
	}
	f.flags(create)
	create.Flags().StringVar(&user, "user", "", "userId of the user the token acts for (env KOODRIVE_USER)")
	create.Flags().BoolVar(&code, "code", false, "print a one-time login code instead of a token (env KOODRIVE_CODE)")
	cmd.AddCommand(create)
	return cmd
}
