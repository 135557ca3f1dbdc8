package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/pipeline/runrecord"
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
		lang := plan.Config.Lang
		// The first records of each profiled file, mapped as a run would: a date layout or a
		// code map that fits the header but not the data shows here, not in the night's run.
		samples, err := plan.SampleRecords()
		if err != nil {
			return err
		}
		for _, s := range samples {
			if len(s.Rejected) == 0 {
				fmt.Fprintln(cmd.OutOrStdout(), p.T("cli.validate.sample_ok", filepath.Base(s.Path), s.Read))
			} else {
				fmt.Fprintln(cmd.OutOrStdout(), p.T("cli.validate.sample_rejects", filepath.Base(s.Path), s.Read, s.Quarantined,
					runrecord.RejectedList(lang, s.Rejected, s.Quarantined, true)))
			}
			if s.SetAside > 0 {
				fmt.Fprintln(cmd.OutOrStdout(), p.T("cli.validate.sample_set_aside", filepath.Base(s.Path), s.Read, s.SetAside, s.FirstSetAside))
			}
		}
		// named names the rules of ids as people read them, each with its id for the config.
		names := map[string]string{}
		for _, r := range plan.Rules {
			names[r.ID] = p.T("cli.validate.rule_named", r.DisplayName.In(lang), r.ID)
			fmt.Fprintln(cmd.OutOrStdout(), p.T("cli.validate.rule", r.ID, r.Weight, i18n.Label(lang, "rule", r.Kind), r.Description))
		}
		named := func(ids []string) string {
			out := make([]string, len(ids))
			for i, id := range ids {
				out[i] = names[id]
			}
			return strings.Join(out, p.T("cli.list_sep"))
		}
		personless, err := plan.PersonlessRules()
		if err != nil {
			return err
		}
		if len(personless) > 0 {
			fmt.Fprintln(cmd.OutOrStdout(), p.T("cli.validate.no_persons", named(personless)))
		}
		closingless, err := plan.ClosinglessRules()
		if err != nil {
			return err
		}
		if len(closingless) > 0 {
			fmt.Fprintln(cmd.OutOrStdout(), p.T("cli.validate.no_closing", named(closingless)))
		}
		unmapped, err := plan.UnmappedFields()
		if err != nil {
			return err
		}
		for _, u := range unmapped {
			fmt.Fprintln(cmd.OutOrStdout(), p.T("cli.validate.unmapped", p.T("label.field."+u.Field), u.Field, named(u.Rules)))
		}
		return nil
	}
	return cmd
}
