package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/earlywarn/earlywarn/internal/web"
)

func newValidateCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "validate",
		Short: "Check the config and every rule without touching data",
		Long: `Check the config file: every key known, every value in range, every rule compiled to SQL
and every reason template executed on sample facts. Reads no input and opens no database.
All problems are listed at once, each with its file, line and key.`,
		Example: "  earlywarn validate --config configs/default.yaml",
	}
	addConfigFlag(cmd)
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		cfg, src, err := loadConfig(cmd, nil)
		if err != nil {
			return err
		}
		rs, err := cfg.Compile()
		if sv := cfg.Serve; len(sv.Users) > 0 || sv.Addr != "" || sv.RunAt != "" || sv.SessionMinutes != 0 {
			err = errors.Join(err, web.Validate(sv))
		}
		if err != nil {
			return withLines(src, err)
		}
		fmt.Fprintf(cmd.OutOrStdout(), "%s: ok, %d rules enabled\n", src.name, len(rs))
		for _, r := range rs {
			fmt.Fprintf(cmd.OutOrStdout(), "  %-24s %-14s weight %-4g %s\n", r.ID, r.Kind, r.Weight, r.Description)
		}
		return nil
	}
	return cmd
}
