package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/koodrive/koodrive"
	"github.com/koodrive/koodrive/sqldb"
)

// noEnv marks a flag that its environment variable must not set: one that
// changes data on the spot, where a variable left over from configuring
// serve would change it without anyone asking.
const noEnv = "koodrive/no-env"

func orgCommand(stdout io.Writer) *cobra.Command {
	cmd := &cobra.Command{Use: "org", Short: "Show or change the organization's settings"}
	var f storeFlags
	withOrg := func(do func(context.Context, koodrive.OrganizationService) (*koodrive.Organization, error)) func(*cobra.Command, []string) error {
		return func(cmd *cobra.Command, _ []string) error {
			st, err := f.openStore(cmd.Context(), nil)
			if err != nil {
				return err
			}
			defer st.Close()
			org, err := do(cmd.Context(), sqldb.NewOrganizationService(st.DB))
			if err != nil {
				return describe(st.catalog, asFlag(err))
			}
			tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintf(tw, "name\t%s\n", org.Name)
			fmt.Fprintf(tw, "capacity\t%d GB\n", org.CapacityGB)
			fmt.Fprintf(tw, "allocated\t%d GB\n", org.AllocatedGB)
			fmt.Fprintf(tw, "unallocated\t%d GB\n", org.UnallocatedGB())
			fmt.Fprintf(tw, "users\t%d of %d\n", org.UserCount, org.MaxUsers)
			return tw.Flush()
		}
	}
	show := &cobra.Command{
		Use:   "show",
		Short: "Show the organization's capacity and user limit",
		Args:  cobra.NoArgs,
		RunE: withOrg(func(ctx context.Context, orgs koodrive.OrganizationService) (*koodrive.Organization, error) {
			return orgs.FindOrganization(ctx)
		}),
	}
	var in koodrive.OrganizationUpdate
	var name string
	var capacity, maxUsers int64
	set := &cobra.Command{
		Use:   "set",
		Short: "Change the organization's total capacity, user limit or name",
		Long: `Change the organization's total capacity (never below what is allocated to spaces),
its user limit (never below the users it has) or its name. Flags not given stay as they are.`,
		Args: cobra.NoArgs,
		RunE: withOrg(func(ctx context.Context, orgs koodrive.OrganizationService) (*koodrive.Organization, error) {
			return orgs.UpdateOrganization(ctx, koodrive.Operator, in)
		}),
	}
	set.Flags().StringVar(&name, "name", "", "the organization's name (also its root department's)")
	set.Flags().Int64Var(&capacity, "capacity-gb", 0, "total capacity in GB")
	set.Flags().Int64Var(&maxUsers, "max-users", 0, "user limit")
	set.PreRunE = func(cmd *cobra.Command, _ []string) error {
		fl := cmd.Flags()
		if fl.Changed("name") {
			in.Name = &name
		}
		if fl.Changed("capacity-gb") {
			in.CapacityGB = &capacity
		}
		if fl.Changed("max-users") {
			in.MaxUsers = &maxUsers
		}
		if in.Name == nil && in.CapacityGB == nil && in.MaxUsers == nil {
			return fmt.Errorf("nothing to change: give --capacity-gb, --max-users or --name")
		}
		return nil
	}
	for _, name := range []string{"name", "capacity-gb", "max-users"} {
		set.Flags().SetAnnotation(name, noEnv, []string{"true"})
	}
	for _, c := range []*cobra.Command{show, set} {
		f.flags(c)
		cmd.AddCommand(c)
	}
	return cmd
}

// asFlag names the API field at fault in err by the flag that set it.
func asFlag(err error) error {
	var e *koodrive.Error
	if !errors.As(err, &e) {
		return err
	}
	flag, ok := map[string]string{"name": "--name", "capacityGb": "--capacity-gb", "maxUsers": "--max-users"}[e.Field]
	if !ok {
		return err
	}
	p := koodrive.Params{}
	for k, v := range e.Message.Params {
		p[k] = v
	}
	p["Field"] = flag
	return &koodrive.Error{Kind: e.Kind, Field: flag, Message: koodrive.Message{ID: e.Message.ID, Params: p}, Err: e.Err}
}
