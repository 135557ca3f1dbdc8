package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/internal/i18n"
)

func newValidateCmd(p i18n.Printer) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "validate",
		Short:   p.T("cli.cmd.validate.short"),
		Long:    p.T("cli.cmd.validate.long"),
		Example: examples(p, "cli.cmd.validate.example", "earlywarn validate --config configs/default.yaml"),
	}
	addConfigFlag(cmd, p)
	cmd.Flags().String("input", "", p.T("cli.flag.validate_input"))
	cmd.Flags().String("profile", "", p.T("cli.flag.profile"))
	cmd.Flags().String("lang", "", p.T("cli.flag.lang.validate"))
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		plan, err := loadPlan(cmd, map[string]string{"input": "input", "profile": "profile", "lang": "lang"})
		if err != nil {
			return err
		}
		inputs, err := plan.CheckInputs()
		if err != nil {
			return err
		}
		p := i18n.Printer(plan.Config.Lang)
		source := plan.Config.SourceName()
		if source == configs.BuiltIn {
			source = p.T("cli.validate.builtin")
		}
		fmt.Fprintln(cmd.OutOrStdout(), p.T("cli.validate.ok", source, len(plan.Rules)))
		for _, in := range inputs {
			switch {
			case in.Ignored:
				fmt.Fprintln(cmd.OutOrStdout(), p.T("cli.validate.ignored", in.Path))
			case in.Source != "":
				fmt.Fprintln(cmd.OutOrStdout(), p.T("cli.validate.source", in.Path, in.Source, in.Table.Name))
			default:
				fmt.Fprintln(cmd.OutOrStdout(), p.T("cli.validate.input", in.Path, in.Table.Name))
			}
		}
		for _, r := range plan.Rules {
			fmt.Fprintln(cmd.OutOrStdout(), p.T("cli.validate.rule", r.ID, r.Kind, r.Weight, r.Description))
		}
		personless, err := plan.PersonlessRules()
		if err != nil {
			return err
		}
		if len(personless) > 0 {
			fmt.Fprintln(cmd.OutOrStdout(), p.T("cli.validate.no_persons", strings.Join(personless, p.T("cli.list_sep"))))
		}
		closingless, err := plan.ClosinglessRules()
		if err != nil {
			return err
		}
		if len(closingless) > 0 {
			fmt.Fprintln(cmd.OutOrStdout(), p.T("cli.validate.no_closing", strings.Join(closingless, p.T("cli.list_sep"))))
		}
		unmapped, err := plan.UnmappedFields()
		if err != nil {
			return err
		}
		for _, u := range unmapped {
			fmt.Fprintln(cmd.OutOrStdout(), p.T("cli.validate.unmapped", p.T("label.field."+u.Field), u.Field, strings.Join(u.Rules, p.T("cli.list_sep"))))
		}
		return nil
	}
	return cmd
}
