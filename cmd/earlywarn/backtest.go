package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/earlywarn/earlywarn/configs"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/earlywarn/earlywarn/pipeline"
	"github.com/earlywarn/earlywarn/pipeline/publish"
)

func newBacktestCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "backtest",
		Short: "Screen every day of a date range and score the rules against a ground truth",
		Long: `Load the input folder into a scratch database (the production database is not touched),
screen it as of every day from --from to --to with the config's rules, and report per rule and
per family: planted events detected, alerts raised, false alerts per 1,000 matter-days and the
median lead time (days from the first flag to the event's peak). Writes backtest.csv and
backtest.svg (flagged matters per family and day) to the output folder.

The ground truth is --truth, or ground_truth.csv in the input folder when there is one (the
synthetic county from earlywarn gen has one). Without it only alerts are counted.`,
		Example: `  earlywarn gen --seed 11 --out /tmp/county
  earlywarn backtest --input /tmp/county --from 2025-01-01 --to 2025-12-31`,
	}
	addConfigFlag(cmd)
	cmd.Flags().String("input", "", "folder with cases, contacts and events files (config: input)")
	cmd.Flags().String("out", "", "output folder (config: output)")
	cmd.Flags().String("lang", "", "language of headers: zh or en (config: lang)")
	cmd.Flags().String("from", "", "first day to screen, YYYY-MM-DD (default: 364 days before --to)")
	cmd.Flags().String("to", "", "last day to screen, YYYY-MM-DD (default: the latest date in the data)")
	cmd.Flags().String("truth", "", "ground-truth CSV (default: ground_truth.csv in the input folder, if any)")
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
			bar := progressbar.NewOptions(-1, progressbar.OptionSetWriter(stderr), progressbar.OptionSetDescription("days"), progressbar.OptionClearOnFinish())
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
		return opts, usageErrorf("--from %s is after --to %s", opts.From.Format(time.DateOnly), opts.To.Format(time.DateOnly))
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
	en := lang == "en"
	if en {
		fmt.Fprintf(w, "backtest %s to %s: %d days, %d matter-days, %.1fs\n", res.From, res.To, res.Days, res.MatterDays, res.Seconds)
		fmt.Fprintf(w, "%-26s %8s %9s %8s %8s %14s %10s\n", "rule / family", "events", "detected", "rate", "alerts", "false/1000md", "lead(d)")
	} else {
		fmt.Fprintf(w, "回测 %s 至 %s：%d 天，%d 事项日，用时 %.1f 秒\n", res.From, res.To, res.Days, res.MatterDays, res.Seconds)
		fmt.Fprintf(w, "%-26s %8s %9s %8s %8s %14s %10s\n", "规则/类别", "事件", "检出", "检出率", "预警", "误报/千事项日", "提前(天)")
	}
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
	if en {
		fmt.Fprintf(w, "written: %v\n", files)
	} else {
		fmt.Fprintf(w, "已写出：%v\n", files)
	}
}
