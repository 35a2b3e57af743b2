// Command koodrive serves the KooDrive-compatible organization API and
// administers its data folder. main only calls run, which tests call too.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/koodrive/koodrive"
	"github.com/koodrive/koodrive/i18n"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "koodrive:", err)
		os.Exit(1)
	}
}

// run executes one koodrive command line.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	root := &cobra.Command{
		Use:           "koodrive",
		Short:         "KooDrive-compatible organization administration server",
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return applyEnv(cmd.Flags(), getenv)
		},
	}
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(serveCommand(getenv, stdout, stderr), tokenCommand(stdout), appCommand(getenv, stdout), orgCommand(stdout), templateCommand(stdout),
		importCommand(stdin, stdout, stderr))
	return root.ExecuteContext(ctx)
}

// envName is the environment variable that stands in for a flag not given
// on the command line: --admin-user-id reads KOODRIVE_ADMIN_USER_ID.
func envName(flag string) string {
	b := []byte("KOODRIVE_" + flag)
	for i, c := range b {
		switch {
		case c == '-':
			b[i] = '_'
		case c >= 'a' && c <= 'z':
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// applyEnv sets every flag not given on the command line from its
// environment variable, with the same parsing and checks as the flag.
func applyEnv(flags *pflag.FlagSet, getenv func(string) string) error {
	var errs []error
	flags.VisitAll(func(f *pflag.Flag) {
		if f.Changed || f.Name == "help" || f.Annotations[noEnv] != nil {
			return
		}
		if v := getenv(envName(f.Name)); v != "" {
			if err := flags.Set(f.Name, v); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", envName(f.Name), err))
			}
		}
	})
	return errors.Join(errs...)
}

// describe turns an error into a sentence for the terminal: a koodrive error
// in English from the catalog, anything else as it is.
func describe(catalog *i18n.Catalog, err error) error {
	var e *koodrive.Error
	if errors.As(err, &e) && e.Kind != koodrive.EINTERNAL {
		return errors.New(catalog.Text(i18n.English, e.Message))
	}
	return err
}
