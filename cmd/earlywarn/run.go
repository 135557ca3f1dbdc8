package main

import (
	"fmt"
	"io"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/pipeline"
	"github.com/earlywarn/earlywarn/pipeline/runrecord"
)

func newRunCmd(p i18n.Printer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "run",
		Short: p.T("cli.cmd.run.short"),
		Long:  p.T("cli.cmd.run.long"),
		Example: examples(p,
			"cli.cmd.run.example.default", "earlywarn run",
			"cli.cmd.run.example.flags", "earlywarn run --config configs/default.yaml --input /data/inbox --as-of 2025-12-31 --lang en"),
	}
	addConfigFlag(cmd, p)
	cmd.Flags().String("db", "", p.T("cli.flag.db"))
	cmd.Flags().String("input", "", p.T("cli.flag.input"))
	cmd.Flags().String("profile", "", p.T("cli.flag.profile"))
	cmd.Flags().String("out", "", p.T("cli.flag.out"))
	cmd.Flags().String("lang", "", p.T("cli.flag.lang.run"))
	cmd.Flags().String("max-reject-rate", "", p.T("cli.flag.max_reject_rate"))
	cmd.Flags().String("as-of", asOfAuto, p.T("cli.flag.as_of"))
	cmd.Flags().Bool("full", false, p.T("cli.flag.full"))
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		flag, _ := cmd.Flags().GetString("as-of")
		asOf, err := parseDay("as-of", flag, true)
		if err != nil {
			return err
		}
		plan, err := loadPlan(cmd, map[string]string{"db": "database", "input": "input", "profile": "profile", "out": "output",
			"lang": "lang", "max-reject-rate": "quarantine.max_reject_rate"})
		if err != nil {
			return err
		}
		cfg := plan.Config
		stderr := cmd.ErrOrStderr()
		rep := newStepReporter(stderr, cfg.Lang)
		full, _ := cmd.Flags().GetBool("full")
		s, err := pipeline.Run(cmd.Context(), plan, pipeline.Options{
			AsOf: asOf, Version: version, Reporter: rep, Full: full,
		})
		if err != nil {
			return serverHoldsDB(cfg.Database, err)
		}
		rep.done()
		if s.Standing != "" {
			fmt.Fprintln(cmd.OutOrStdout(), i18n.T(cfg.Lang, "cli.run.unchanged", s.Standing, s.AsOf, s.Outputs[1], s.WatchlistItems,
				s.Timings["total"]))
			return nil
		}
		printRunResult(cmd.OutOrStdout(), cfg.Lang, s)
		return nil
	}
	return cmd
}

func printRunResult(w io.Writer, lang string, s *pipeline.Summary) {
	var read, loaded, quarantined, skipped, adopted, carried int64
	var interrupted []string // runs whose load this run adopted
	var unpublished []string // runs whose outputs were never published whole, whose loads this run's outputs carry
	var ignored []string     // files of the input folder that match no source of the profile
	for _, f := range s.Inputs {
		if f.Ignored {
			ignored = append(ignored, filepath.Base(f.Path))
			continue
		}
		read += f.Read
		loaded += f.Loaded
		quarantined += f.Quarantined
		if f.Skipped {
			skipped++
		}
		if f.LoadedBy != "" {
			adopted++
			interrupted = appendNew(interrupted, f.LoadedBy)
		}
		if f.UnpublishedRun != "" {
			carried++
			unpublished = appendNew(unpublished, f.UnpublishedRun)
		}
	}
	others := append([]string{s.Outputs[0]}, s.Outputs[2:]...) // every output but the CSV
	p := i18n.Printer(lang)
	sep := p.T("cli.list_sep")
	fmt.Fprintln(w, p.T("cli.run.watchlist", s.Outputs[1], s.WatchlistItems, s.Tiers["red"], s.Tiers["orange"], s.Tiers["yellow"]))
	if s.QuietMatters > 0 {
		fmt.Fprintln(w, p.T("cli.run.quiet", s.QuietMatters))
	}
	if !s.TitleGist && s.WatchlistItems > 0 && 2*s.BareTitles > s.WatchlistItems {
		// Most titles are a place only: say how to give them substance.
		fmt.Fprintln(w, p.T("cli.run.bare_titles", s.BareTitles, s.WatchlistItems))
	}
	changes := []any{s.States[pipeline.StateNew], s.States[pipeline.StateWorse], s.States[pipeline.StateReopened],
		s.States[pipeline.StateContinuing], s.States[pipeline.StateCleared], s.States[pipeline.StateSuppressed]}
	switch {
	case s.PrevAsOf != "":
		fmt.Fprintln(w, p.T("cli.run.changes", append(changes, s.PrevAsOf)...))
	case s.SameAsOfRuns > 0:
		// A re-run of the first date on record: say why it is not compared with the attempt before.
		fmt.Fprintln(w, p.T("cli.run.changes_rerun", append(changes, s.AsOf, s.SameAsOfRuns)...))
	default:
		fmt.Fprintln(w, p.T("cli.run.changes_first", changes...))
	}
	fmt.Fprintln(w, p.T("cli.run.counts", s.AsOf, read, loaded, quarantined, skipped, s.RunID, s.Timings["total"]))
	quarantine := "" // quarantine.csv, for a run that wrote its outputs
	if len(s.Outputs) > 3 {
		quarantine = s.Outputs[3]
	}
	for _, line := range runrecord.LoadLines(lang, s.Inputs, s.Links.OfMissingCases, quarantine) {
		fmt.Fprintln(w, line)
	}
	var byCase []string
	var rescreened, stood int64
	for _, id := range slices.Sorted(maps.Keys(s.Rules)) {
		r := s.Rules[id]
		switch {
		case r.Rescreened == nil:
		case r.Rescreened.Groups != nil:
			fmt.Fprintln(w, p.T("cli.run.rescreened_groups", r.Name.In(lang, id), *r.Rescreened.Groups, r.Rescreened.Cases, r.Rescreened.Carried))
		default:
			byCase = append(byCase, r.Name.In(lang, id))
			rescreened, stood = r.Rescreened.Cases, stood+r.Rescreened.Carried
		}
	}
	switch {
	case len(byCase) > 0 && rescreened > 0 && stood == 0:
		fmt.Fprintln(w, p.T("cli.run.rescreened_no_flags", strings.Join(byCase, sep), rescreened))
	case len(byCase) > 0 && rescreened > 0:
		fmt.Fprintln(w, p.T("cli.run.rescreened", strings.Join(byCase, sep), rescreened, stood))
	case len(byCase) > 0:
		fmt.Fprintln(w, p.T("cli.run.rescreened_none", strings.Join(byCase, sep), stood))
	}
	for _, id := range slices.Sorted(maps.Keys(s.Rules)) {
		// A rule whose period holds no text it reads (an office export, every case with its
		// village) has nothing to say about its counts.
		if r := s.Rules[id]; r.Texts != nil && !r.Texts.All && r.Texts.Counted > 0 {
			fmt.Fprintln(w, p.T("cli.run.texts_kept", r.Name.In(lang, id), r.Texts.Read, r.Texts.Counted))
		}
	}
	if s.DueSoonDays > 0 && s.DueSoon > 0 {
		fmt.Fprintln(w, p.T("cli.run.due_soon", s.DueSoon, s.DueSoonDays))
	} else if s.DueSoonDays > 0 {
		fmt.Fprintln(w, p.T("cli.run.due_soon_none", s.DueSoonDays))
	} else if s.DeadlinesUnknown {
		fmt.Fprintln(w, p.T("cli.run.due_soon_unknown"))
	}
	for _, line := range runrecord.Lines(lang, s.Warnings, func(rule string) string { return s.Rules[rule].Name.In(lang, rule) }) {
		fmt.Fprintln(w, line)
	}
	for _, f := range s.Inputs {
		if len(f.FoundInText) == 0 {
			continue
		}
		var items []string
		for _, field := range slices.Sorted(maps.Keys(f.FoundInText)) {
			c := f.FoundInText[field]
			items = append(items, p.T("cli.run.found_in_text.item", p.T("cli.field."+field), c.Found, c.Searched))
		}
		fmt.Fprintln(w, p.T("cli.run.found_in_text", filepath.Base(f.Path), strings.Join(items, sep)))
	}
	if c := s.Categories; c != nil && c.Total() > 0 {
		var items []string
		for _, cat := range slices.Sorted(maps.Keys(c.Classified)) {
			items = append(items, p.T("cli.run.categories.item", cat, c.Classified[cat]))
		}
		fmt.Fprintln(w, p.T("cli.run.categories", c.Total()-c.Uncertain, strings.Join(items, sep), c.Uncertain, c.MinConfidence,
			c.Model, c.SHA256[:12]))
	}
	if len(ignored) > 0 {
		fmt.Fprintln(w, p.T("cli.run.ignored", len(ignored), strings.Join(ignored, sep)))
	}
	if s.DataLatest != "" {
		fmt.Fprintln(w, p.T("cli.run.as_of_held", s.DataLatest, s.AsOf))
	}
	if s.RecordsLatest != "" {
		fmt.Fprintln(w, p.T("cli.run.as_of_from_events", s.AsOf, s.RecordsLatest))
	}
	if later := s.AfterAsOf["cases"] + s.AfterAsOf["contacts"] + s.AfterAsOf["events"]; later > 0 {
		fmt.Fprintln(w, p.T("cli.run.after_as_of", later, s.AsOf, s.AfterAsOf["cases"], s.AfterAsOf["contacts"], s.AfterAsOf["events"]))
	}
	if adopted > 0 {
		fmt.Fprintln(w, p.T("cli.run.adopted", adopted, strings.Join(interrupted, sep)))
	}
	if s.Republished != "" {
		dir := ""
		if len(s.Outputs) > 0 {
			dir = filepath.Dir(s.Outputs[0])
		}
		fmt.Fprintln(w, p.T("cli.run.republished", s.Republished, dir))
	}
	if carried > 0 {
		fmt.Fprintln(w, p.T("cli.run.carried", carried, strings.Join(unpublished, sep)))
	}
	fmt.Fprintln(w, p.T("cli.run.also", strings.Join(others, sep)))
}

// appendNew appends v to list unless it is there.
func appendNew(list []string, v string) []string {
	if slices.Contains(list, v) {
		return list
	}
	return append(list, v)
}

// stepReporter prints each step of a run to stderr, with the time since the run started, when
// stderr is a terminal; elsewhere (cron, CI, tests) it prints nothing.
type stepReporter struct {
	w     io.Writer
	lang  string
	start time.Time
}

func newStepReporter(w io.Writer, lang string) *stepReporter {
	if !isTerminal(w) {
		w = nil
	}
	return &stepReporter{w: w, lang: lang, start: time.Now()}
}

// stepHook, when set, sees every step's English text before it starts. Only tests set it, to stop
// a child process at a named step and kill it there.
var stepHook func(en string)

func (r *stepReporter) Step(key string, args ...any) {
	if stepHook != nil {
		stepHook(i18n.T("en", key, args...))
	}
	if r.w == nil {
		return
	}
	fmt.Fprintln(r.w, i18n.T(r.lang, "cli.step", time.Since(r.start).Seconds(), i18n.T(r.lang, key, args...)))
}

// done reports the end of the run.
func (r *stepReporter) done() { r.Step("cli.step.done") }
