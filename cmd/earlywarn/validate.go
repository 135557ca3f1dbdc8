package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newValidateCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "validate",
		Short: "Check the config and every rule without touching data",
		Long: `Check the config file: every key known, every value in range, every rule compiled to SQL
and every reason template executed on sample facts, the DuckDB settings (time zone, threads,
memory limit) tried on an in-memory database, and the input: the files it needs, and the
columns the schema or the mapping profile needs in each file's header. Reads only the headers
and opens no database file. All problems of the config are listed at once, each with its
file, line and key.`,
		Example: "  earlywarn validate --config configs/default.yaml",
	}
	addConfigFlag(cmd)
	cmd.Flags().String("input", "", "input file or folder whose headers to check (config: input)")
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		plan, err := loadPlan(cmd, map[string]string{"input": "input"})
		if err != nil {
			return err
		}
		if err := plan.CheckInputs(); err != nil {
			return err
		}
		fmt.Fprintf(cmd.OutOrStdout(), "%s: ok, %d rules enabled\n", plan.Config.SourceName(), len(plan.Rules))
		for _, r := range plan.Rules {
			fmt.Fprintf(cmd.OutOrStdout(), "  %-24s %-14s weight %-4g %s\n", r.ID, r.Kind, r.Weight, r.Description)
		}
		return nil
	}
	return cmd
}
