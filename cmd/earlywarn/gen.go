package main

import (
	"fmt"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/earlywarn/earlywarn/data/synth"
)

func newGenCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "gen",
		Short: "Write a synthetic county with planted events and their ground truth",
		Long: `Write a deterministic synthetic county: cases.csv, contacts.csv and events.csv in the
canonical schema, ground_truth.csv listing the planted repeat, group and stalled events, and
generator.json. The same flags always give byte-identical files.`,
		Example: `  earlywarn gen --seed 7 --cases 20000 --out /tmp/county
  earlywarn gen --seed 1 --cases 1000000 --contacts 10000000 --out /tmp/bench`,
	}
	cmd.Flags().Uint64("seed", 1, "random seed")
	cmd.Flags().Int("cases", 20000, "number of cases")
	cmd.Flags().Int("contacts", 0, "number of contacts (0: about 1.6 per case, as in a real county)")
	cmd.Flags().String("start", "2025-01-01", "first day of the data (YYYY-MM-DD)")
	cmd.Flags().Int("days", 365, "number of days of data")
	cmd.Flags().String("out", "", "output folder (required)")
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		f := cmd.Flags()
		seed, _ := f.GetUint64("seed")
		cases, _ := f.GetInt("cases")
		contacts, _ := f.GetInt("contacts")
		days, _ := f.GetInt("days")
		startText, _ := f.GetString("start")
		out, _ := f.GetString("out")
		start, err := time.Parse(time.DateOnly, startText)
		switch {
		case out == "":
			return usageErrorf("gen needs --out, the folder to write the county to")
		case err != nil:
			return usageErrorf("--start %q is not a date; use YYYY-MM-DD", startText)
		case cases < 1:
			return usageErrorf("--cases must be at least 1, got %d", cases)
		case contacts < 0:
			return usageErrorf("--contacts must be 0 or more, got %d", contacts)
		case days < 30:
			return usageErrorf("--days must be at least 30, got %d", days)
		}
		var progress func(done, total int)
		if w := cmd.ErrOrStderr(); isTerminal(w) {
			bar := progressbar.NewOptions(cases, progressbar.OptionSetWriter(w), progressbar.OptionSetDescription("cases"),
				progressbar.OptionShowCount(), progressbar.OptionThrottle(200*time.Millisecond), progressbar.OptionClearOnFinish())
			progress = func(done, _ int) { _ = bar.Set(done) }
			defer bar.Finish()
		}
		s, err := synth.Generate(cmd.Context(), synth.Config{Seed: seed, Cases: cases, Contacts: contacts, Start: start, Days: days}, out, progress)
		if err != nil {
			return err
		}
		fmt.Fprintf(cmd.OutOrStdout(), "wrote %s: %d cases, %d contacts, %d events, %d planted events; as of %s\n",
			out, s.Cases, s.Contacts, s.Events, s.Planted, s.AsOf.Format(time.DateOnly))
		return nil
	}
	return cmd
}
