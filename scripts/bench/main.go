// Command bench measures the nightly job at scale: it generates a synthetic county (1 M cases
// and 10 M contacts by default), loads it with DuckDB's bare read_csv as a reference, runs
// `earlywarn run` on the same files in a child process, and prints ingest rows per second
// beside the reference, seconds per rule and for the whole run, and the run's peak memory.
//
// With --reuse the database of the previous bench run in DIR is kept: its inputs are already
// loaded, so the run skips them (same checksums) and screens again; no reference load. This
// measures screening quickly while working on the rules.
//
//	go run -tags duckdb_arrow ./scripts/bench [--cases N] [--contacts N] [--dir DIR] [--reuse]
package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/csv"
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

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/earlywarn/earlywarn/data"
	"github.com/earlywarn/earlywarn/pipeline"
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
	ref := map[string]loadTime{}
	if reuse {
		if _, err := os.Stat(db); err != nil {
			return fmt.Errorf("--reuse needs the database of an earlier bench run: %w; run once without --reuse", err)
		}
	} else {
		var err error
		if ref, err = referenceLoad(county, filepath.Join(dir, "reference.duckdb")); err != nil {
			return err
		}
		os.Remove(db)
	}
	t := time.Now()
	cmd := exec.Command(bin, "run", "--config", "configs/default.yaml", "--input", county, "--db", db, "--out", out)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("earlywarn run: %w", err)
	}
	wall := time.Since(t).Seconds()
	peakMB := float64(cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss) / 1024
	var s pipeline.Summary
	b, err := os.ReadFile(filepath.Join(out, pipeline.SummaryJSON))
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}

	fmt.Printf("\n== earlywarn bench: %d cases, %d contacts (%s)\n", cases, contacts, county)
	fmt.Printf("%-10s %12s %22s %26s %8s\n", "ingest", "rows", "earlywarn rows/s", "bare read_csv rows/s", "ratio")
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
		ours := float64(f.Read) / f.Seconds
		theirs := float64(r.rows) / r.seconds
		fmt.Printf("%-10s %12d %13.2f M (%5.1f s) %17.2f M (%5.1f s) %8.2f\n", f.TableName, f.Read, ours/1e6, f.Seconds, theirs/1e6, r.seconds, ours/theirs)
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
	fmt.Printf("\nwhole run: %.1f s (ingest %.1f, screen %.1f, watchlist %.1f; process wall %.1f)\n",
		s.Timings["total"], s.Timings["ingest"], s.Timings["screen"], s.Timings["watchlist"], wall)
	fmt.Printf("peak RSS: %.0f MB\n", peakMB)
	fmt.Printf("watchlist: %d matters\n", s.WatchlistItems)
	return nil
}

type loadTime struct {
	rows    int64
	seconds float64
}

// referenceLoad loads each file with DuckDB's read_csv into a fresh table, typed as the
// canonical schema: the fastest load DuckDB offers, with no validation.
func referenceLoad(county, dbPath string) (map[string]loadTime, error) {
	os.Remove(dbPath)
	db, err := sql.Open("duckdb", dbPath)
	if err != nil {
		return nil, err
	}
	defer func() { db.Close(); os.Remove(dbPath) }()
	out := map[string]loadTime{}
	for _, t := range data.Tables {
		path := filepath.Join(county, t.Name+".csv")
		header, err := csvHeader(path)
		if err != nil {
			return nil, err
		}
		// The file's columns in its order, typed as the schema types them.
		cols := make([]string, len(header))
		for i, name := range header {
			typ := "VARCHAR"
			for _, c := range t.Columns {
				if c.Name == name {
					typ = c.Type
				}
			}
			cols[i] = fmt.Sprintf("'%s': '%s'", name, typ)
		}
		start := time.Now()
		_, err = db.ExecContext(context.Background(), fmt.Sprintf(
			"CREATE TABLE %s AS SELECT * FROM read_csv('%s', header = true, auto_detect = false, columns = {%s})",
			t.Name, path, strings.Join(cols, ", ")))
		if err != nil {
			return nil, fmt.Errorf("reference load of %s: %w", t.Name, err)
		}
		seconds := time.Since(start).Seconds()
		var n int64
		if err := db.QueryRow("SELECT count(*) FROM " + t.Name).Scan(&n); err != nil {
			return nil, err
		}
		out[t.Name] = loadTime{rows: n, seconds: seconds}
	}
	return out, nil
}

// csvHeader returns the column names on the first line of a CSV file.
func csvHeader(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return csv.NewReader(bufio.NewReader(f)).Read()
}

func sh(name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s %s: %w", name, strings.Join(args, " "), err)
	}
	return nil
}
