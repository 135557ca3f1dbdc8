package main

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/internal/places"
	"github.com/earlywarn/earlywarn/pipeline"
)

func newLearnPlacesCmd(p i18n.Printer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "learn-places",
		Short: p.T("cli.cmd.learn_places.short"),
		Long:  p.T("cli.cmd.learn_places.long"),
		Example: examples(p,
			"cli.cmd.learn_places.example", "earlywarn learn-places --input replies.xlsx --profile cn-message-board-replies --out gazetteer.csv"),
	}
	addConfigFlag(cmd, p)
	cmd.Flags().String("input", "", p.T("cli.flag.learn_input"))
	cmd.Flags().String("profile", "", p.T("cli.flag.profile"))
	cmd.Flags().String("lang", "", p.T("cli.flag.lang.messages"))
	cmd.Flags().String("out", "gazetteer.csv", p.T("cli.flag.gazetteer_out"))
	cmd.Flags().Int("min-count", 2, p.T("cli.flag.min_count"))
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		var opts pipeline.LearnPlacesOptions
		opts.Out, _ = cmd.Flags().GetString("out")
		opts.MinCount, _ = cmd.Flags().GetInt("min-count")
		if opts.MinCount < 1 {
			return usageErrorf("cli.bad_min_count", opts.MinCount)
		}
		cfg, err := loadConfig(cmd, map[string]string{"input": "input", "profile": "profile", "lang": "lang"})
		if err != nil {
			return err
		}
		plan, err := pipeline.Prepare(cmd.Context(), cfg)
		if err != nil {
			return err
		}
		opts.Reporter = newStepReporter(cmd.ErrOrStderr(), cfg.Lang)
		res, err := pipeline.LearnPlaces(cmd.Context(), plan, opts)
		if err != nil {
			return err
		}
		opts.Reporter.(*stepReporter).done()
		printLearnt(cmd.OutOrStdout(), cfg.Lang, cfg.Text.Gazetteer, opts.Out, res)
		return nil
	}
	return cmd
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// learntShown is how many learnt places the command lists as examples.
const learntShown = 10

// printLearnt says what learn-places read and wrote, with a few learnt places: those with a
// short name first, as they show best what the gazetteer adds.
func printLearnt(w io.Writer, lang, gazetteer, out string, res *pipeline.LearnPlacesResult) {
	p := i18n.Printer(lang)
	fmt.Fprintln(w, p.T("cli.learn.read", res.Texts, len(res.Learnt), res.Bare))
	shown := slices.Clone(res.Learnt)
	slices.SortStableFunc(shown, func(a, b places.Entry) int {
		return cmp.Compare(b2i(pipeline.HasShortName(b)), b2i(pipeline.HasShortName(a)))
	})
	for i, e := range shown {
		if i == learntShown {
			fmt.Fprintln(w, p.T("cli.learn.more", len(res.Learnt)-learntShown))
			break
		}
		aliases := strings.Join(e.Aliases, "、")
		if aliases == "" {
			aliases = "—"
		}
		fmt.Fprintln(w, p.T("cli.learn.entry", e.Name, p.T("places.kind."+string(e.Kind)), aliases))
	}
	if gazetteer != "" {
		fmt.Fprintln(w, p.T("cli.learn.known", gazetteer, res.Known))
	}
	fmt.Fprintln(w, p.T("cli.learn.written", out, res.Known+len(res.Learnt)))
}
