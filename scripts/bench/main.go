// Command bench measures the nightly job at scale: it generates a synthetic county (1 M cases
// and 10 M contacts by default), runs `earlywarn run` on it in a child process with
// configs/default.yaml, and prints each file's ingest rows per second beside DuckDB's bare
// read_csv into a table on the same file (scripts/internal/ingestref: the same threads,
// memory limit and column types as the run; measured before and after the run, median), with
// the ratio, then seconds per rule and for the whole run, and the run's peak memory.
//
// With --reuse the database of the previous bench run in DIR is kept: its inputs are already
// loaded, so the run skips them (same checksums) and screens again; no reference load. This
// measures screening quickly while working on the rules.
//
//	go run -tags duckdb_arrow ./scripts/bench [--cases N] [--contacts N] [--dir DIR] [--reuse]
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/earlywarn/earlywarn/configs"

	"github.com/earlywarn/earlywarn/data"
	"github.com/earlywarn/earlywarn/pipeline"
	"github.com/earlywarn/earlywarn/pipeline/publish"
	"github.com/earlywarn/earlywarn/scripts/internal/ingestref"
)

func main() {
	cases := flag.Int("cases", 1_000_000, "cases to generate")
	contacts := flag.Int("contacts", 10_000_000, "contacts to generate")
	dir := flag.String("dir", filepath.Join(os.TempDir(), "earlywarn-bench"), "work folder (the county is kept and reused)")
	reuse := flag.Bool("reuse", false, "screen the database of the previous bench run again instead of loading the county afresh")
	flag.Parse()
	if err := run(*cases, *contacts, *dir, *reuse); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(cases, contacts int, dir string, reuse bool) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	bin := filepath.Join(dir, "earlywarn")
	if err := sh("go", "build", "-tags", "duckdb_arrow", "-o", bin, "./cmd/earlywarn"); err != nil {
		return err
	}
	county := filepath.Join(dir, fmt.Sprintf("county-%d-%d", cases, contacts))
	if _, err := os.Stat(filepath.Join(county, "generator.json")); err != nil {
		t := time.Now()
		if err := sh(bin, "gen", "--seed", "1", "--cases", fmt.Sprint(cases), "--contacts", fmt.Sprint(contacts), "--out", county); err != nil {
			return err
		}
		fmt.Printf("generated %s in %.1f s\n", county, time.Since(t).Seconds())
	}

	db := filepath.Join(dir, "bench.duckdb")
	out := filepath.Join(dir, "out")
	cfg, err := configs.BuiltInConfig()
	if err != nil {
		return err
	}
	refDB := filepath.Join(dir, "reference.duckdb")
	ref := map[string][]float64{}
	if reuse {
		if _, err := os.Stat(db); err != nil {
			return fmt.Errorf("--reuse needs the database of an earlier bench run: %w; run once without --reuse", err)
		}
	} else {
		if err := referenceLoad(county, refDB, cfg, ref); err != nil {
			return err
		}
		os.Remove(db)
	}
	loadBefore := ingestref.LoadAverage()
	t := time.Now()
	cmd := exec.Command(bin, "run", "--config", "configs/default.yaml", "--input", county, "--db", db, "--out", out)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("earlywarn run: %w", err)
	}
	wall := time.Since(t).Seconds()
	peakMB := float64(cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss) / 1024
	loadAfter := ingestref.LoadAverage()
	if !reuse {
		// Again after the run: the machine may be shared, so compare with the median.
		if err := referenceLoad(county, refDB, cfg, ref); err != nil {
			return err
		}
	}
	var s pipeline.Summary
	b, err := os.ReadFile(filepath.Join(out, publish.SummaryJSON))
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}

	fmt.Printf("\n== earlywarn bench: %d cases, %d contacts (%s); load average %s before the run, %s after\n", cases, contacts, county, loadBefore, loadAfter)
	fmt.Printf("%-10s %12s %22s %26s %8s\n", "ingest", "rows", "earlywarn rows/s", "bare read_csv rows/s", "ratio")
	var ours, theirs float64
	for _, f := range s.Inputs {
		if f.Skipped {
			fmt.Printf("%-10s %12s   skipped: loaded by an earlier run\n", f.TableName, "")
			continue
		}
		r, ok := ref[f.TableName]
		if !ok {
			fmt.Printf("%-10s %12d %13.2f M (%5.1f s)\n", f.TableName, f.Read, float64(f.Read)/f.Seconds/1e6, f.Seconds)
			continue
		}
		m := ingestref.Median(r)
		ours, theirs = ours+f.Seconds, theirs+m
		fmt.Printf("%-10s %12d %13.2f M (%5.1f s) %17.2f M (%5.1f s) %8.2f   reference runs %.1f s\n",
			f.TableName, f.Read, float64(f.Read)/f.Seconds/1e6, f.Seconds, float64(f.Read)/m/1e6, m, m/f.Seconds, r)
	}
	if ours > 0 {
		fmt.Printf("%-10s %12s %22s %17s (%5.1f s) %8.2f   earlywarn %.1f s; with linking %.1f s\n", "all files", "", "", "", theirs, theirs/ours, ours, s.Timings["ingest"])
	}
	fmt.Printf("\n%-24s %8s %10s\n", "rule", "flags", "seconds")
	ids := make([]string, 0, len(s.Rules))
	for id := range s.Rules {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	rulesTotal := 0.0
	for _, id := range ids {
		fmt.Printf("%-24s %8d %10.2f\n", id, s.Rules[id].Flags, s.Rules[id].Seconds)
		rulesTotal += s.Rules[id].Seconds
	}
	fmt.Printf("%-24s %8s %10.2f\n", "all rules", "", rulesTotal)
	fmt.Printf("%-24s %8s %10.2f   (case state + all rules + reasons)\n", "screen", "", s.Timings["screen"])
	fmt.Printf("\nwhole run: %.1f s (ingest %.1f, screen %.1f, watchlist %.1f, store %.1f; process wall %.1f)\n",
		s.Timings["total"], s.Timings["ingest"], s.Timings["screen"], s.Timings["watchlist"], s.Timings["store"], wall)
	fmt.Printf("peak RSS: %.0f MB\n", peakMB)
	fmt.Printf("watchlist: %d matters\n", s.WatchlistItems)
	return nil
}

// referenceLoad loads each canonical file of county with the reference and appends the
// seconds to ref, by table.
func referenceLoad(county, dbPath string, cfg configs.Config, ref map[string][]float64) error {
	for _, t := range data.Tables {
		_, secs, err := ingestref.Load(context.Background(), cfg, dbPath, t, filepath.Join(county, t.Name+".csv"))
		if err != nil {
			return err
		}
		ref[t.Name] = append(ref[t.Name], secs)
	}
	return nil
}

func sh(name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s %s: %w", name, strings.Join(args, " "), err)
	}
	return nil
}
