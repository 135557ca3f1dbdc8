package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/earlywarn/earlywarn/pipeline"
)

func newRunCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Load new input files, screen them and write the watchlist",
		Long: `Run the nightly job: load the input folder's cases, contacts and events files (a file
already loaded, by checksum, is skipped), screen as of --as-of, store the flags, the watchlist
and a run record in the database, and write watchlist.parquet, watchlist.csv, quarantine.csv (the
rows this run rejected) and summary.json to the output folder. The load commits as one
transaction and the run (flags, watchlist, run record) as another: a run that fails or is killed
while loading leaves the database as it was; one that fails or is killed later leaves its inputs
loaded and no run, and the next run adopts that load, counting its rows and rejects as its own.
A run in which any input file has more than quarantine.max_reject_rate of its rows rejected
fails and stores nothing.`,
		Example: `  earlywarn run
  earlywarn run --config configs/default.yaml --input /data/inbox --as-of 2025-12-31 --lang en`,
	}
	addConfigFlag(cmd)
	cmd.Flags().String("db", "", "DuckDB file (config: database)")
	cmd.Flags().String("input", "", "folder with cases, contacts and events files (config: input)")
	cmd.Flags().String("out", "", "output folder (config: output)")
	cmd.Flags().String("lang", "", "language of reasons and headers: zh or en (config: lang)")
	cmd.Flags().String("max-reject-rate", "", "fail when more than this fraction (0 to 1) of any input file's rows is quarantined (config: quarantine.max_reject_rate)")
	cmd.Flags().String("as-of", asOfAuto, "screen as of this date (YYYY-MM-DD), or auto for the latest date in the data")
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		flag, _ := cmd.Flags().GetString("as-of")
		asOf, err := parseDay("as-of", flag, true)
		if err != nil {
			return err
		}
		plan, err := loadPlan(cmd, map[string]string{"db": "database", "input": "input", "out": "output", "lang": "lang",
			"max-reject-rate": "quarantine.max_reject_rate"})
		if err != nil {
			return err
		}
		cfg := plan.Config
		stderr := cmd.ErrOrStderr()
		rep := newStepReporter(stderr, cfg.Lang)
		s, err := pipeline.Run(cmd.Context(), plan, pipeline.Options{
			AsOf: asOf, Version: version, Reporter: rep,
		})
		if err != nil {
			return serverHoldsDB(cfg.Database, err)
		}
		rep.done()
		printRunResult(cmd.OutOrStdout(), cfg.Lang, s)
		return nil
	}
	return cmd
}

func printRunResult(w io.Writer, lang string, s *pipeline.Summary) {
	var read, loaded, quarantined, skipped, adopted int64
	var interrupted []string // runs whose load this run adopted
	for _, f := range s.Inputs {
		read += f.Read
		loaded += f.Loaded
		quarantined += f.Quarantined
		if f.Skipped {
			skipped++
		}
		if f.LoadedBy != "" {
			adopted++
			if !slices.Contains(interrupted, f.LoadedBy) {
				interrupted = append(interrupted, f.LoadedBy)
			}
		}
	}
	others := append([]string{s.Outputs[0]}, s.Outputs[2:]...) // every output but the CSV
	if lang == "en" {
		fmt.Fprintf(w, "watchlist: %s (%d matters: %d red, %d orange, %d yellow)\n", s.Outputs[1], s.WatchlistItems, s.Tiers["red"], s.Tiers["orange"], s.Tiers["yellow"])
		fmt.Fprintf(w, "since the last run: %d new, %d worse, %d back, %d continuing, %d cleared; %d dismissed in review and held back\n",
			s.States[pipeline.StateNew], s.States[pipeline.StateWorse], s.States[pipeline.StateReopened], s.States[pipeline.StateContinuing], s.States[pipeline.StateCleared], s.States[pipeline.StateSuppressed])
		fmt.Fprintf(w, "as of %s; rows read %d, loaded %d, quarantined %d; %d file(s) already loaded, skipped; run %s in %.1fs\n", s.AsOf, read, loaded, quarantined, skipped, s.RunID, s.Timings["total"])
		if adopted > 0 {
			fmt.Fprintf(w, "%d file(s) loaded by interrupted run %s were screened by this run and are counted above\n", adopted, strings.Join(interrupted, ", "))
		}
		fmt.Fprintf(w, "also: %s\n", strings.Join(others, ", "))
		return
	}
	fmt.Fprintf(w, "预警清单：%s（共 %d 项：红 %d，橙 %d，黄 %d）\n", s.Outputs[1], s.WatchlistItems, s.Tiers["red"], s.Tiers["orange"], s.Tiers["yellow"])
	fmt.Fprintf(w, "较上次运行：新增 %d，加重 %d，再现 %d，持续 %d，消除 %d；已核销暂缓 %d\n",
		s.States[pipeline.StateNew], s.States[pipeline.StateWorse], s.States[pipeline.StateReopened], s.States[pipeline.StateContinuing], s.States[pipeline.StateCleared], s.States[pipeline.StateSuppressed])
	fmt.Fprintf(w, "截至 %s；读入 %d 行，载入 %d 行，隔离 %d 行，跳过已载入文件 %d 个；运行编号 %s，用时 %.1f 秒\n", s.AsOf, read, loaded, quarantined, skipped, s.RunID, s.Timings["total"])
	if adopted > 0 {
		fmt.Fprintf(w, "中断的运行 %s 已载入的文件 %d 个由本次运行接续筛查，行数已计入上面\n", strings.Join(interrupted, "、"), adopted)
	}
	fmt.Fprintf(w, "另见：%s\n", strings.Join(others, "、"))
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

// stepHook, when set, sees every step's English name before it starts. Only tests set it, to stop
// a child process at a named step and kill it there.
var stepHook func(en string)

func (r *stepReporter) Step(zh, en string) {
	if stepHook != nil {
		stepHook(en)
	}
	if r.w == nil {
		return
	}
	msg := zh
	if r.lang == "en" {
		msg = en
	}
	fmt.Fprintf(r.w, "[%6.1fs] %s\n", time.Since(r.start).Seconds(), msg)
}

func (r *stepReporter) done() { r.Step("完成", "done") }
