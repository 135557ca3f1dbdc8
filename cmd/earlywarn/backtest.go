package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/internal/i18n"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/earlywarn/earlywarn/pipeline"
	"github.com/earlywarn/earlywarn/pipeline/publish"
)

func newBacktestCmd(p i18n.Printer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "backtest",
		Short: p.T("cli.cmd.backtest.short"),
		Long:  p.T("cli.cmd.backtest.long"),
		Example: examples(p,
			"cli.cmd.backtest.example.gen", "earlywarn gen --seed 11 --out /tmp/county",
			"cli.cmd.backtest.example.backtest", "earlywarn backtest --input /tmp/county --from 2025-01-01 --to 2025-12-31"),
	}
	addConfigFlag(cmd, p)
	cmd.Flags().String("input", "", p.T("cli.flag.input"))
	cmd.Flags().String("out", "", p.T("cli.flag.out"))
	cmd.Flags().String("lang", "", p.T("cli.flag.lang.backtest"))
	cmd.Flags().String("from", "", p.T("cli.flag.from"))
	cmd.Flags().String("to", "", p.T("cli.flag.to"))
	cmd.Flags().String("truth", "", p.T("cli.flag.truth"))
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		plan, err := loadPlan(cmd, map[string]string{"input": "input", "out": "output", "lang": "lang"})
		if err != nil {
			return err
		}
		cfg := plan.Config
		opts, err := backtestOptions(cmd, cfg)
		if err != nil {
			return err
		}
		stderr := cmd.ErrOrStderr()
		opts.Reporter = newStepReporter(stderr, cfg.Lang)
		if isTerminal(stderr) {
			bar := progressbar.NewOptions(-1, progressbar.OptionSetWriter(stderr), progressbar.OptionSetDescription(i18n.T(cfg.Lang, "cli.progress.days")), progressbar.OptionClearOnFinish())
			opts.Progress = func(done, total int) {
				bar.ChangeMax(total)
				_ = bar.Set(done)
			}
		}
		res, err := pipeline.Backtest(cmd.Context(), plan, opts)
		if err != nil {
			return err
		}
		files, err := publish.WriteBacktest(cfg.Output, cfg.Lang, res)
		if err != nil {
			return err
		}
		printBacktest(cmd.OutOrStdout(), cfg.Lang, res, files)
		return nil
	}
	return cmd
}

func backtestOptions(cmd *cobra.Command, cfg configs.Config) (pipeline.BacktestOptions, error) {
	var opts pipeline.BacktestOptions
	date := func(flag string) (time.Time, error) {
		v, _ := cmd.Flags().GetString(flag)
		if v == "" {
			return time.Time{}, nil
		}
		return parseDay(flag, v, false)
	}
	var err error
	if opts.From, err = date("from"); err != nil {
		return opts, err
	}
	if opts.To, err = date("to"); err != nil {
		return opts, err
	}
	if !opts.From.IsZero() && !opts.To.IsZero() && opts.To.Before(opts.From) {
		return opts, usageErrorf("cli.backtest.from_after_to", opts.From.Format(time.DateOnly), opts.To.Format(time.DateOnly))
	}
	opts.Truth, _ = cmd.Flags().GetString("truth")
	if opts.Truth == "" {
		if p := filepath.Join(cfg.Input, "ground_truth.csv"); fileExists(p) {
			opts.Truth = p
		}
	}
	return opts, nil
}

func fileExists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}

func printBacktest(w io.Writer, lang string, res *pipeline.BacktestResult, files []string) {
	p := i18n.Printer(lang)
	fmt.Fprintln(w, p.T("cli.backtest.title", res.From, res.To, res.Days, res.MatterDays, res.Seconds))
	fmt.Fprintf(w, "%-26s %8s %9s %8s %8s %14s %10s\n", p.T("cli.backtest.col.rule"), p.T("cli.backtest.col.events"),
		p.T("cli.backtest.col.detected"), p.T("cli.backtest.col.rate"), p.T("cli.backtest.col.alerts"),
		p.T("cli.backtest.col.false"), p.T("cli.backtest.col.lead"))
	for _, r := range res.Rows {
		name := r.Name
		switch r.Scope {
		case "family":
			name = "[" + r.Name + "]"
		case "kind":
			name = "  " + r.Name
		}
		lead := "-"
		if r.MedianLeadDays != nil {
			lead = fmt.Sprintf("%.1f", *r.MedianLeadDays)
		}
		rate := "-"
		if res.HasTruth && r.Events > 0 {
			rate = fmt.Sprintf("%.3f", r.DetectionRate())
		}
		fmt.Fprintf(w, "%-26s %8d %9d %8s %8d %14.3f %10s\n", name, r.Events, r.Detected, rate, r.Alerts, res.FalsePer1000(r), lead)
	}
	if d := res.DueSoon; d != nil {
		ahead := "-"
		if d.MedianAhead != nil {
			ahead = fmt.Sprintf("%.1f", *d.MedianAhead)
		}
		fmt.Fprintln(w, p.T("cli.backtest.due_soon", d.Days, d.BecameOverdue, d.ListedBefore, ahead))
	}
	fmt.Fprintln(w, p.T("cli.backtest.written", files))
}
