package main

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/earlywarn/earlywarn/data/synth"
	"github.com/earlywarn/earlywarn/internal/i18n"
)

func newGenCmd(p i18n.Printer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "gen",
		Short: p.T("cli.cmd.gen.short"),
		Long:  p.T("cli.cmd.gen.long"),
		Example: examples(p,
			"cli.cmd.gen.example.small", "earlywarn gen --seed 7 --cases 20000 --out /tmp/county",
			"cli.cmd.gen.example.bench", "earlywarn gen --seed 1 --cases 1000000 --contacts 10000000 --out /tmp/bench",
			"cli.cmd.gen.example.office", "earlywarn gen --seed 7 --format office --out /tmp/office",
			"cli.cmd.gen.example.board", "earlywarn gen --seed 7 --format board --out /tmp/board"),
	}
	cmd.Flags().Uint64("seed", 1, p.T("cli.flag.seed"))
	cmd.Flags().Int("cases", 20000, p.T("cli.flag.cases"))
	cmd.Flags().Int("contacts", 0, p.T("cli.flag.contacts"))
	cmd.Flags().String("start", "2025-01-01", p.T("cli.flag.start"))
	cmd.Flags().Int("days", 365, p.T("cli.flag.days"))
	cmd.Flags().String("out", "", p.T("cli.flag.gen_out"))
	cmd.Flags().String("format", synth.FormatCanonical, p.T("cli.flag.gen_format"))
	cmd.Flags().String("lang", "", p.T("cli.flag.lang.messages"))
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		p, err := messageLang(cmd)
		if err != nil {
			return err
		}
		f := cmd.Flags()
		seed, _ := f.GetUint64("seed")
		cases, _ := f.GetInt("cases")
		contacts, _ := f.GetInt("contacts")
		days, _ := f.GetInt("days")
		startText, _ := f.GetString("start")
		out, _ := f.GetString("out")
		format, _ := f.GetString("format")
		start, err := time.Parse(time.DateOnly, startText)
		switch {
		case out == "":
			return usageErrorf("cli.gen.need_out")
		case err != nil:
			return usageErrorf("cli.bad_date", "start", startText)
		case cases < 1:
			return usageErrorf("cli.gen.cases_min", cases)
		case contacts < 0:
			return usageErrorf("cli.gen.contacts_min", contacts)
		case days < 30:
			return usageErrorf("cli.gen.days_min", days)
		case !slices.Contains(synth.Formats, format):
			return usageErrorf("cli.gen.bad_format", format, strings.Join(synth.Formats, ", "))
		}
		var progress func(done, total int)
		if w := cmd.ErrOrStderr(); isTerminal(w) {
			bar := progressbar.NewOptions(cases, progressbar.OptionSetWriter(w), progressbar.OptionSetDescription(p.T("cli.progress.cases")),
				progressbar.OptionShowCount(), progressbar.OptionThrottle(200*time.Millisecond), progressbar.OptionClearOnFinish())
			progress = func(done, _ int) { _ = bar.Set(done) }
			defer bar.Finish()
		}
		s, err := synth.Generate(cmd.Context(), synth.Config{Seed: seed, Cases: cases, Contacts: contacts, Start: start, Days: days, Format: format}, out, progress)
		if err != nil {
			return err
		}
		if b := s.Board; b != nil {
			fmt.Fprintln(cmd.OutOrStdout(), p.T("cli.gen.wrote_board", out, b.Messages, b.Users, b.HotIssues, b.DecoyPlaces,
				b.FrequentWriters, b.Unanswered, s.AsOf.Format(time.DateOnly)))
			return nil
		}
		fmt.Fprintln(cmd.OutOrStdout(), p.T("cli.gen.wrote", out, s.Cases, s.Contacts, s.Events, s.Planted, s.AsOf.Format(time.DateOnly)))
		return nil
	}
	return cmd
}
