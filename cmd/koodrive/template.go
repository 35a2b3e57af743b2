package main

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/koodrive/koodrive/importer"
)

func templateCommand(stdout io.Writer) *cobra.Command {
	var format, lang, out string
	cmd := &cobra.Command{
		Use:   "template",
		Short: "Write a blank import template (CSV or XLSX, English or Chinese)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f := importer.Format(format)
			if f != importer.FormatCSV && f != importer.FormatXLSX {
				return fmt.Errorf("--format must be csv or xlsx, not %q", format)
			}
			if lang != "en-US" && lang != "zh-CN" {
				return fmt.Errorf("--lang must be en-US or zh-CN, not %q", lang)
			}
			w := stdout
			if out != "" {
				file, err := os.Create(out)
				if err != nil {
					return err
				}
				defer file.Close()
				w = file
			}
			if err := importer.WriteTemplate(w, f, lang); err != nil {
				return err
			}
			if out != "" {
				fmt.Fprintf(cmd.ErrOrStderr(), "wrote %s\n", out)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "csv", "csv or xlsx (env KOODRIVE_FORMAT)")
	cmd.Flags().StringVar(&lang, "lang", "en-US", "en-US or zh-CN: the language of the header row (env KOODRIVE_LANG)")
	cmd.Flags().StringVarP(&out, "output", "o", "", "file to write (default: standard output)")
	return cmd
}
