// Command bench-publish measures publishing on a database `earlywarn run` stored: it writes a
// stored run's outputs again (publish.Publish, as a run does once it is stored) into a scratch
// folder, --repeat times, and prints the seconds and the process's peak RSS (VmHWM, reset at each
// step) of each step (writing every file, side by side, then moving them into place; then the
// leaders' report and workbook again, each alone), and the files' sizes. Alternating with it,
// the reference: DuckDB's own COPY of the same run's watchlist rows (the columns
// watchlist.parquet holds, reasons in the run's language, in rank order) to a CSV file and to a
// zstd Parquet file, the engine writing the full list with none of the Go-side work. Medians are
// printed last.
//
//	go run -tags duckdb_arrow ./scripts/bench-publish --db DB [--run ID] [--config FILE] [--repeat 3] [--keep DIR]
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/pipeline"
	"github.com/earlywarn/earlywarn/pipeline/publish"
	"github.com/earlywarn/earlywarn/pipeline/runrecord"
	"github.com/earlywarn/earlywarn/scripts/internal/ingestref"
)

func main() {
	dbPath := flag.String("db", filepath.Join(os.TempDir(), "earlywarn-bench", "bench.duckdb"), "a database `earlywarn run` stored (default: the bench's)")
	runID := flag.String("run", "", "the run to publish (default: the latest)")
	config := flag.String("config", "", "config file (default: the built-in default)")
	repeat := flag.Int("repeat", 3, "repetitions of each, alternating")
	keep := flag.String("keep", "", "write the outputs into this folder and keep them (default: a temporary folder)")
	flag.Parse()
	if err := run(*dbPath, *runID, *config, *repeat, *keep); err != nil {
		fmt.Fprintln(os.Stderr, "bench-publish:", err)
		os.Exit(1)
	}
}

// timer is a progress.Reporter that records when each step starts and the peak RSS of the step
// before it.
type timer struct {
	steps []string
	at    []time.Time
	peaks []float64 // peaks[i]: of the step that ends at at[i]
}

func (t *timer) Step(key string, args ...any) {
	name := strings.TrimPrefix(key, "publish.step.")
	if len(args) > 0 && name == "write" {
		name = fmt.Sprint(args[0])
	}
	t.peaks = append(t.peaks, peakMiB())
	resetPeak()
	t.steps = append(t.steps, name)
	t.at = append(t.at, time.Now())
}

func run(dbPath, runID, config string, repeat int, keep string) error {
	ctx := context.Background()
	cfg, err := configs.BuiltInConfig()
	if config != "" {
		cfg, err = configs.Load(config, true, nil)
	}
	if err != nil {
		return err
	}
	pool, err := pipeline.OpenDB(ctx, dbPath, cfg)
	if err != nil {
		return err
	}
	defer pool.Close()
	q, err := pool.Conn(ctx)
	if err != nil {
		return err
	}
	defer q.Close()
	if runID == "" {
		if err := q.QueryRowContext(ctx, `SELECT run_id FROM runs WHERE finished_at IS NOT NULL ORDER BY finished_at DESC LIMIT 1`).Scan(&runID); err != nil {
			return fmt.Errorf("latest run: %w", err)
		}
	}
	var record string
	var items int64
	if err := q.QueryRowContext(ctx, `SELECT CAST(record AS VARCHAR), (SELECT count(*) FROM watchlist WHERE run_id = $1) FROM runs WHERE run_id = $1`, runID).Scan(&record, &items); err != nil {
		return fmt.Errorf("run %s: %w", runID, err)
	}
	s := &runrecord.Summary{}
	if err := json.Unmarshal([]byte(record), s); err != nil {
		return err
	}
	dir := keep
	if dir == "" {
		if dir, err = os.MkdirTemp("", "bench-publish-"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	}
	ref := filepath.Join(dir, "reference")
	if err := os.MkdirAll(ref, 0o755); err != nil {
		return err
	}
	set := pipeline.PublishSettings(cfg)
	reason := "reason_zh"
	if cfg.Lang == "en" {
		reason = "reason_en"
	}
	rows := `SELECT rank, matter_id, matter_kind, tier, state, score, rules, ` + reason + ` AS reason, responsible_unit, township,
  category, first_flagged, case_ids, contact_ids, event_ids FROM watchlist WHERE run_id = $1 ORDER BY rank`
	fmt.Printf("== bench-publish: run %s of %s, %d matters, lang %s; load average %s\n", runID, dbPath, items, cfg.Lang, ingestref.LoadAverage())
	med := map[string][]float64{}
	var order []string
	add := func(name string, sec float64) {
		if _, ok := med[name]; !ok {
			order = append(order, name)
		}
		med[name] = append(med[name], sec)
	}
	for i := range repeat {
		resetPeak()
		t := &timer{}
		start := time.Now()
		if err := publish.Publish(ctx, q, pool, dir, set, s, t); err != nil {
			return err
		}
		end := time.Now()
		t.peaks = append(t.peaks, peakMiB())
		peak := slices.Max(t.peaks)
		prev, name := start, "start"
		for j, at := range t.at {
			add("earlywarn "+name, at.Sub(prev).Seconds())
			add("  "+name+" peak RSS MiB", t.peaks[j])
			prev, name = at, t.steps[j]
		}
		add("earlywarn "+name, end.Sub(prev).Seconds())
		add("  "+name+" peak RSS MiB", t.peaks[len(t.peaks)-1])
		add("earlywarn publish (all)", end.Sub(start).Seconds())
		add("earlywarn peak RSS MiB", peak)
		fmt.Printf("run %d: publish %.2f s, peak RSS %.0f MiB\n", i+1, end.Sub(start).Seconds(), peak)
		// The leaders' step again, each file alone.
		for _, f := range []struct {
			name  string
			write func(path string) error
		}{
			{publish.ReportHTML, func(path string) error { return publish.WriteReport(ctx, q, runID, set, path, time.Now()) }},
			{publish.WatchlistXLSX, func(path string) error { return publish.WriteXLSX(ctx, q, runID, set, path, time.Now()) }},
		} {
			t0 := time.Now()
			if err := f.write(filepath.Join(ref, "alone-"+f.name)); err != nil {
				return err
			}
			add("  leaders: "+f.name+" alone", time.Since(t0).Seconds())
		}
		for _, f := range []struct{ name, format string }{{"reference.csv", "csv, HEADER"}, {"reference.parquet", "parquet, COMPRESSION zstd"}} {
			resetPeak()
			t0 := time.Now()
			if _, err := q.ExecContext(ctx, `COPY (`+rows+`) TO '`+filepath.Join(ref, f.name)+`' (FORMAT `+f.format+`)`, runID); err != nil {
				return fmt.Errorf("reference %s: %w", f.name, err)
			}
			add("reference COPY "+f.name, time.Since(t0).Seconds())
		}
	}
	fmt.Printf("\n%-44s %10s   %s\n", "median of "+fmt.Sprint(repeat), "s or MiB", "runs")
	for _, name := range order {
		fmt.Printf("%-44s %10.2f   %.2f\n", name, ingestref.Median(med[name]), med[name])
	}
	fmt.Println("\nfile sizes:")
	for _, name := range append(publish.Outputs(), filepath.Join("reference", "reference.csv"), filepath.Join("reference", "reference.parquet")) {
		if st, err := os.Stat(filepath.Join(dir, name)); err == nil {
			fmt.Printf("  %-32s %10.1f MiB\n", name, float64(st.Size())/(1<<20))
		}
	}
	fmt.Printf("load average %s after\n", ingestref.LoadAverage())
	return nil
}

// resetPeak resets the process's peak RSS (VmHWM) to its current RSS.
func resetPeak() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakMiB is the process's peak RSS since the last resetPeak, in MiB.
func peakMiB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			var kb float64
			fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(line, "VmHWM:"), "kB")), &kb)
			return kb / 1024
		}
	}
	return 0
}
