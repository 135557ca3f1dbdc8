// Command bench measures the nightly job at scale beside a reference: the four core rules as an
// analyst would write them in plain DuckDB SQL (scripts/reference/core_rules.sql), run in the
// same invocation on the same files with the same screening date, threads and memory limit.
// It generates a synthetic county (1 M cases and 10 M contacts by default; kept in DIR and
// reused), then, alternating earlywarn and the reference, --rounds times each:
//
//   - full run: `earlywarn run` with configs/default.yaml in a child process on a fresh
//     database, against the whole script (load the CSV files, rules, watchlist, CSV output) on a
//     fresh database;
//   - core rules alone (scripts/internal/corebench): on the database of the last full run,
//     earlywarn's screening tables and core rules against the script's rules section;
//   - one new day (unless --incremental=false): the county is cut at its as-of day D into
//     "the county up to D-2", "day D-1's records" and "day D's records" (cases received,
//     contacts and events dated that day); earlywarn loads and screens the first once, runs the
//     night of D-1 once (the first after the load: printed apart, since its checkpoint merges the
//     load's row groups), then, on a copy of that database each round, runs on day D's files
//     alone (the night's run), and once more with no new file.
//     Their medians are printed over the full run's (the issue-16 targets: ≤ 0.10 and ≤ 0.05)
//     and over the reference's full run (an analyst reruns the script on the whole files).
//
// Each round's figures are printed as they come (a long bench stopped early keeps them); at the
// end it prints medians with every round's figure, the ratio earlywarn / reference, the load
// average before and after, peak RSS of earlywarn's runs, and where the last full run's time
// went (summary.json's timings, each rule, publishing as the process's wall less the run's
// total). --ingest also loads each file with DuckDB's bare read_csv (scripts/internal/ingestref)
// before and after the runs and prints rows per second beside earlywarn's.
//
// With --reuse the database of the previous bench run in DIR is screened again (its inputs are
// skipped: same checksums): no reference, no incremental night. This measures screening
// quickly while working on the rules.
//
//	go run -tags duckdb_arrow ./scripts/bench [--cases N] [--contacts N] [--rounds 3] [--dir DIR] [--incremental=false] [--ingest] [--reuse]
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/data"
	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/pipeline"
	"github.com/earlywarn/earlywarn/pipeline/publish"
	"github.com/earlywarn/earlywarn/scripts/internal/corebench"
	"github.com/earlywarn/earlywarn/scripts/internal/ingestref"
	"github.com/earlywarn/earlywarn/scripts/reference"
)

type options struct {
	cases, contacts, rounds    int
	dir                        string
	reuse, incremental, ingest bool
}

func main() {
	var o options
	flag.IntVar(&o.cases, "cases", 1_000_000, "cases to generate")
	flag.IntVar(&o.contacts, "contacts", -1, "contacts to generate (default 10 per case; 0: the generator's natural count, about 1.6 per case)")
	flag.IntVar(&o.rounds, "rounds", 3, "rounds of each comparison (medians are printed)")
	flag.StringVar(&o.dir, "dir", filepath.Join(os.TempDir(), "earlywarn-bench"), "work folder (the county is kept and reused)")
	flag.BoolVar(&o.reuse, "reuse", false, "screen the database of the previous bench run again instead of loading the county afresh")
	flag.BoolVar(&o.incremental, "incremental", true, "measure one new day on the county up to the day before")
	flag.BoolVar(&o.ingest, "ingest", false, "also compare each file's ingest with DuckDB's bare read_csv")
	flag.Parse()
	if o.contacts < 0 {
		o.contacts = 10 * o.cases
	}
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// ewRun is one `earlywarn run`: its process wall seconds, peak RSS and summary.
type ewRun struct {
	wall, peakMB float64
	s            pipeline.Summary
}

func run(o options) error {
	ctx := context.Background()
	if err := os.MkdirAll(o.dir, 0o755); err != nil {
		return err
	}
	bin := filepath.Join(o.dir, "earlywarn")
	if err := sh("go", "build", "-tags", "duckdb_arrow", "-o", bin, "./cmd/earlywarn"); err != nil {
		return err
	}
	county := filepath.Join(o.dir, fmt.Sprintf("county-%d-%d", o.cases, o.contacts))
	if _, err := os.Stat(filepath.Join(county, "generator.json")); err != nil {
		t := time.Now()
		if err := sh(bin, "gen", "--seed", "1", "--cases", fmt.Sprint(o.cases), "--contacts", fmt.Sprint(o.contacts), "--out", county); err != nil {
			return err
		}
		fmt.Printf("generated %s in %.1f s\n", county, time.Since(t).Seconds())
	}
	asOf, err := countyAsOf(county)
	if err != nil {
		return err
	}
	cfg, err := configs.BuiltInConfig()
	if err != nil {
		return err
	}
	dbPath := filepath.Join(o.dir, "bench.duckdb")
	out := filepath.Join(o.dir, "out")
	refDB := filepath.Join(o.dir, "reference.duckdb")
	loadBefore := ingestref.LoadAverage()

	if o.reuse {
		if _, err := os.Stat(dbPath); err != nil {
			return fmt.Errorf("--reuse needs the database of an earlier bench run: %w; run once without --reuse", err)
		}
		r, err := earlywarn(bin, county, dbPath, out, asOf)
		if err != nil {
			return err
		}
		fmt.Printf("\n== earlywarn bench --reuse: %s as of %s; load average %s before, %s after\n", county, day(asOf), loadBefore, ingestref.LoadAverage())
		breakdown(r, nil)
		return nil
	}

	ingest := map[string][]float64{}
	if o.ingest {
		if err := referenceLoad(county, filepath.Join(o.dir, "ingestref.duckdb"), cfg, ingest); err != nil {
			return err
		}
	}

	// Full runs, alternating.
	var ews []ewRun
	var refs []float64
	var refSections map[string]float64
	var refRows int64
	for i := range o.rounds {
		ours := func() error {
			os.Remove(dbPath)
			r, err := earlywarn(bin, county, dbPath, out, asOf)
			ews = append(ews, r)
			if err == nil {
				fmt.Printf("full run, round %d: earlywarn %.2f s (load average %s)\n", i+1, r.wall, ingestref.LoadAverage())
			}
			return err
		}
		theirs := func() error {
			secs, sections, rows, err := referenceRun(ctx, cfg, county, refDB, filepath.Join(o.dir, "reference_watchlist.csv"), asOf)
			refs, refSections, refRows = append(refs, secs), sections, rows
			if err == nil {
				fmt.Printf("full run, round %d: reference %.2f s (load average %s)\n", i+1, secs, ingestref.LoadAverage())
			}
			return err
		}
		if err := alternate(i, ours, theirs); err != nil {
			return err
		}
	}
	loadMid := ingestref.LoadAverage()

	// The core rules alone, on the last full run's database.
	core, err := corebench.Run(ctx, cfg, dbPath, asOf, o.rounds)
	if err != nil {
		return fmt.Errorf("core rules: %w", err)
	}
	fmt.Printf("core rules alone: earlywarn %s s, reference %s s (load average %s)\n", runs(core.Earlywarn), runs(core.Reference), ingestref.LoadAverage())

	// One new day.
	var inc *incremental
	if o.incremental {
		if inc, err = oneNewDay(o, bin, county, asOf); err != nil {
			return fmt.Errorf("one new day: %w", err)
		}
	}
	if o.ingest {
		if err := referenceLoad(county, filepath.Join(o.dir, "ingestref.duckdb"), cfg, ingest); err != nil {
			return err
		}
	}
	loadAfter := ingestref.LoadAverage()

	ewWall := make([]float64, len(ews))
	peak := 0.0
	for i, r := range ews {
		ewWall[i], peak = r.wall, max(peak, r.peakMB)
	}
	mEw, mRef := ingestref.Median(ewWall), ingestref.Median(refs)
	last := ews[len(ews)-1]
	fmt.Printf("\n== earlywarn / reference: %s (%s), as of %s; %d rounds, alternating\n",
		countyCounts(county), county, day(asOf), o.rounds)
	fmt.Printf("load average: %s before, %s after the full runs, %s at the end\n", loadBefore, loadMid, loadAfter)
	fmt.Printf("reference: scripts/reference/core_rules.sql (%d watchlist rows), same threads (%d; 0 = all cores) and memory_limit (%s)\n\n",
		refRows, cfg.Threads, cfg.MemoryLimit)
	fmt.Printf("%-30s %28s %28s %8s\n", "work", "earlywarn median s (runs)", "reference median s (runs)", "ratio")
	row := func(name string, ours, theirs []float64) {
		fmt.Printf("%-30s %8.2f %-19s %8.2f %-19s %8.2f\n", name, ingestref.Median(ours), runs(ours), ingestref.Median(theirs), runs(theirs),
			ingestref.Median(ours)/ingestref.Median(theirs))
	}
	row("full run", ewWall, refs)
	row("core rules alone", core.Earlywarn, core.Reference)
	if inc != nil {
		row("one new day (vs full script)", inc.day, refs)
		row("rerun, nothing new (vs script)", inc.rerun, refs)
		fmt.Printf("\n%-30s %8.2f %-19s over earlywarn's full run %.2f s: %.2f (target ≤ 0.10)\n", "one new day", ingestref.Median(inc.day), runs(inc.day), mEw, ingestref.Median(inc.day)/mEw)
		fmt.Printf("%-30s %8.2f %-19s over earlywarn's full run %.2f s: %.2f (target ≤ 0.05)\n", "rerun, nothing new", ingestref.Median(inc.rerun), runs(inc.rerun), mEw, ingestref.Median(inc.rerun)/mEw)
		fmt.Printf("%-30s %8.2f s once: loading and screening the county up to %s\n", "the year before", inc.year, day(asOf.AddDate(0, 0, -2)))
		fmt.Printf("%-30s %8.2f s once: the night of %s, the first after the year's load (%.2f of the full run)\n",
			"the first night", inc.eve, day(asOf.AddDate(0, 0, -1)), inc.eve/mEw)
		fmt.Printf("%-30s %d rows of day %s added each measured night, on the first night's database\n", "", inc.dayRows, day(asOf))
	}
	fmt.Printf("\nfull run: earlywarn %.2f s, peak RSS %.0f MB, watchlist %d matters; reference %.2f s; earlywarn / reference %.2f\n",
		mEw, peak, last.s.WatchlistItems, mRef, mEw/mRef)
	fmt.Printf("reference by section (last round): %s\n", sections(refSections))

	fmt.Printf("\ncore rules alone, flags earlywarn / reference:")
	for _, id := range reference.CoreRules {
		fmt.Printf(" %s %d/%d", id, core.Flags[id][0], core.Flags[id][1])
	}
	fmt.Printf("\nearlywarn's core screening by step (last round):")
	for _, st := range core.Steps {
		fmt.Printf(" %s %.2f;", st.Name, st.Seconds)
	}
	fmt.Println()
	fmt.Printf("\n== where the last full run's time went (summary.json)\n")
	breakdown(last, core.Steps)
	if o.ingest {
		printIngest(last.s, ingest)
	}
	return nil
}

// alternate runs ours then theirs in even rounds, theirs then ours in odd ones.
func alternate(i int, ours, theirs func() error) error {
	if i%2 == 1 {
		ours, theirs = theirs, ours
	}
	if err := ours(); err != nil {
		return err
	}
	return theirs()
}

// earlywarn runs `earlywarn run` in a child process and reads its summary.json.
func earlywarn(bin, input, db, out string, asOf time.Time, extra ...string) (ewRun, error) {
	t := time.Now()
	args := append([]string{"run", "--config", "configs/default.yaml", "--input", input, "--db", db, "--out", out, "--as-of", day(asOf)}, extra...)
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
	if err := cmd.Run(); err != nil {
		return ewRun{}, fmt.Errorf("earlywarn %s: %w", strings.Join(args, " "), err)
	}
	r := ewRun{wall: time.Since(t).Seconds(), peakMB: float64(cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss) / 1024}
	b, err := os.ReadFile(filepath.Join(out, publish.SummaryJSON))
	if err != nil {
		return r, err
	}
	return r, json.Unmarshal(b, &r.s)
}

// referenceRun runs the whole reference script on a fresh database at dbPath: its seconds
// (opening the database included), each section's, and the watchlist's rows.
func referenceRun(ctx context.Context, cfg configs.Config, county, dbPath, csvPath string, asOf time.Time) (float64, map[string]float64, int64, error) {
	os.Remove(dbPath)
	start := time.Now()
	d, err := pipeline.OpenDB(ctx, dbPath, cfg)
	if err != nil {
		return 0, nil, 0, err
	}
	defer d.Close()
	q, err := d.Conn(ctx)
	if err != nil {
		return 0, nil, 0, err
	}
	defer q.Close()
	secs := map[string]float64{}
	v := reference.Vars{InputDir: county, AsOf: asOf, WatchlistCSV: csvPath}
	for _, s := range reference.Full {
		t := time.Now()
		if err := reference.Run(ctx, q, v, s); err != nil {
			return 0, nil, 0, err
		}
		secs[s] = time.Since(t).Seconds()
	}
	q.Close()
	if err := d.Close(); err != nil {
		return 0, nil, 0, err
	}
	total := time.Since(start).Seconds()
	var rows int64
	d2, err := pipeline.OpenDB(ctx, dbPath, cfg)
	if err == nil {
		err = d2.QueryRowContext(ctx, "SELECT count(*) FROM ref_watchlist").Scan(&rows)
		d2.Close()
	}
	return total, secs, rows, err
}

type incremental struct {
	year, eve  float64
	day, rerun []float64
	dayRows    int64
}

// oneNewDay cuts the county at asOf into the county up to two days before, the day before's
// records and asOf's own. It loads and screens the first once (the year), runs on the day
// before's files once (the first night after the year's load, which pays DuckDB's merging of
// the load's row groups in its checkpoint), then on a fresh copy of that database each round
// runs earlywarn on the new day's files (a night after a night, as every night but the first
// is), and again with nothing new.
func oneNewDay(o options, bin, county string, asOf time.Time) (*incremental, error) {
	ctx := context.Background()
	cutDir := county + "-nights"
	before, eve, newDay := filepath.Join(cutDir, "before"), filepath.Join(cutDir, "eve"), filepath.Join(cutDir, "day")
	rows, err := cut(ctx, county, cutDir, asOf)
	if err != nil {
		return nil, err
	}
	inc := &incremental{dayRows: rows}
	yearDB := filepath.Join(o.dir, "year.duckdb")
	os.Remove(yearDB)
	r, err := earlywarn(bin, before, yearDB, filepath.Join(o.dir, "out-year"), asOf.AddDate(0, 0, -2))
	if err != nil {
		return nil, err
	}
	inc.year = r.wall
	if r, err = earlywarn(bin, eve, yearDB, filepath.Join(o.dir, "out-year"), asOf.AddDate(0, 0, -1)); err != nil {
		return nil, err
	}
	inc.eve = r.wall
	fmt.Printf("the first night after the year's load: earlywarn %.2f s (load average %s)\n", r.wall, ingestref.LoadAverage())
	nightDB, nightOut := filepath.Join(o.dir, "night.duckdb"), filepath.Join(o.dir, "out-night")
	for range o.rounds {
		// The night starts from the database and the published outputs of the night before.
		if err := copyFile(yearDB, nightDB); err != nil {
			return nil, err
		}
		if err := copyDir(filepath.Join(o.dir, "out-year"), nightOut); err != nil {
			return nil, err
		}
		r, err := earlywarn(bin, newDay, nightDB, nightOut, asOf)
		if err != nil {
			return nil, err
		}
		inc.day = append(inc.day, r.wall)
		fmt.Printf("one new day: earlywarn %.2f s (load average %s)\n", r.wall, ingestref.LoadAverage())
		r, err = earlywarn(bin, newDay, nightDB, nightOut, asOf)
		if err != nil {
			return nil, err
		}
		inc.rerun = append(inc.rerun, r.wall)
	}
	return inc, nil
}

// cut writes, in folder dir, the county's records up to two days before asOf into before/, the
// day before's (cases received, contacts and events dated that day) into eve/ and asOf's own
// into day/, as canonical CSV files (every column read as text and written back), unless they
// are there already. It returns the new day's rows.
func cut(ctx context.Context, county, dir string, asOf time.Time) (int64, error) {
	done := filepath.Join(dir, "done")
	if b, err := os.ReadFile(done); err == nil {
		var n int64
		_, err := fmt.Sscan(string(b), &n)
		return n, err
	}
	parts := []struct {
		dir, cond string
		on        time.Time
	}{{"before", "<", asOf.AddDate(0, 0, -1)}, {"eve", "=", asOf.AddDate(0, 0, -1)}, {"day", "=", asOf}}
	for _, part := range parts {
		if err := os.MkdirAll(filepath.Join(dir, part.dir), 0o755); err != nil {
			return 0, err
		}
	}
	cfg, err := configs.BuiltInConfig()
	if err != nil {
		return 0, err
	}
	conn, err := pipeline.OpenDB(ctx, filepath.Join(dir, "cut.duckdb"), cfg)
	if err != nil {
		return 0, err
	}
	defer os.Remove(filepath.Join(dir, "cut.duckdb"))
	defer conn.Close()
	dateCol := map[string]string{"cases": "received_date", "contacts": "contact_date", "events": "event_date"}
	var total int64
	for _, t := range data.Tables {
		src := filepath.Join(county, t.Name+".csv")
		read := fmt.Sprintf("read_csv(%s, header = true, all_varchar = true)", db.Literal(src))
		for _, part := range parts {
			q := fmt.Sprintf("COPY (SELECT * FROM %s WHERE CAST(%s AS DATE) %s DATE %s) TO %s (HEADER)",
				read, dateCol[t.Name], part.cond, db.Literal(day(part.on)), db.Literal(filepath.Join(dir, part.dir, t.Name+".csv")))
			res, err := conn.ExecContext(ctx, q)
			if err != nil {
				return 0, err
			}
			if part.dir == "day" {
				n, _ := res.RowsAffected()
				total += n
			}
		}
	}
	return total, os.WriteFile(done, []byte(fmt.Sprint(total)), 0o644)
}

func copyFile(from, to string) error {
	os.Remove(to + ".wal")
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// copyDir replaces folder to with a copy of folder from.
func copyDir(from, to string) error {
	if err := os.RemoveAll(to); err != nil {
		return err
	}
	return filepath.Walk(from, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, path)
		if err != nil {
			return err
		}
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		return copyFile(path, filepath.Join(to, rel))
	})
}

// breakdown prints where a run's time went: summary.json's timings, each rule's seconds, and
// publishing (the process's wall less the run's total). steps, when given, are earlywarn's core
// screening steps measured apart (the screening tables among them).
func breakdown(r ewRun, steps []corebench.Step) {
	s := r.s
	keys := make([]string, 0, len(s.Timings))
	for k := range s.Timings {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Printf("%-34s %8s %8s\n", "step", "seconds", "flags")
	for _, k := range []string{"republish", "ingest", "places", "screen"} {
		if v, ok := s.Timings[k]; ok {
			fmt.Printf("%-34s %8.2f\n", k, v)
		}
	}
	ids := make([]string, 0, len(s.Rules))
	for id := range s.Rules {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	rulesTotal := 0.0
	for _, id := range ids {
		fmt.Printf("  %-32s %8.2f %8d\n", id, s.Rules[id].Seconds, s.Rules[id].Flags)
		rulesTotal += s.Rules[id].Seconds
	}
	fmt.Printf("  %-32s %8.2f\n", "all rules", rulesTotal)
	fmt.Printf("  %-32s %8.2f   (screening tables, input checks, reasons)\n", "screen less the rules", s.Timings["screen"]-rulesTotal)
	for _, st := range steps {
		if strings.HasPrefix(st.Name, "screening table") {
			fmt.Printf("    %-30s %8.2f   (measured apart, core rules alone)\n", st.Name, st.Seconds)
		}
	}
	for _, k := range []string{"topics", "watchlist", "store", "total"} {
		if v, ok := s.Timings[k]; ok {
			label := k
			switch k {
			case "watchlist":
				label = "watchlist and run-to-run tracking"
			case "store":
				label = "store (flags, watchlist, run)"
			case "total":
				label = "total (before publishing)"
			}
			fmt.Printf("%-34s %8.2f\n", label, v)
		}
	}
	fmt.Printf("%-34s %8.2f   (process wall %.2f less total; with start-up)\n", "publish", r.wall-s.Timings["total"], r.wall)
	fmt.Printf("peak RSS %.0f MB; watchlist %d matters\n", r.peakMB, s.WatchlistItems)
}

func printIngest(s pipeline.Summary, ref map[string][]float64) {
	fmt.Printf("\n%-10s %12s %22s %26s %8s\n", "ingest", "rows", "earlywarn rows/s", "bare read_csv rows/s", "ratio")
	for _, f := range s.Inputs {
		r, ok := ref[f.TableName]
		if !ok || f.Skipped {
			continue
		}
		m := ingestref.Median(r)
		fmt.Printf("%-10s %12d %13.2f M (%5.1f s) %17.2f M (%5.1f s) %8.2f   reference runs %s\n",
			f.TableName, f.Read, float64(f.Read)/f.Seconds/1e6, f.Seconds, float64(f.Read)/m/1e6, m, m/f.Seconds, runs(r))
	}
}

// referenceLoad loads each canonical file of county with the bare read_csv and appends the
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

func countyAsOf(county string) (time.Time, error) {
	b, err := os.ReadFile(filepath.Join(county, "generator.json"))
	if err != nil {
		return time.Time{}, err
	}
	var g struct {
		AsOf string `json:"as_of"`
	}
	if err := json.Unmarshal(b, &g); err != nil {
		return time.Time{}, err
	}
	return time.Parse(time.DateOnly, g.AsOf)
}

// countyCounts says how many cases, contacts and events generator.json counts.
func countyCounts(county string) string {
	var g struct {
		Counts struct{ Cases, Contacts, Events int } `json:"counts"`
	}
	if b, err := os.ReadFile(filepath.Join(county, "generator.json")); err != nil || json.Unmarshal(b, &g) != nil {
		return "?"
	}
	c := g.Counts
	return fmt.Sprintf("%d cases, %d contacts, %d events (%d rows)", c.Cases, c.Contacts, c.Events, c.Cases+c.Contacts+c.Events)
}

func day(t time.Time) string { return t.Format(time.DateOnly) }

func runs(xs []float64) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprintf("%.2f", x)
	}
	return "(" + strings.Join(parts, " ") + ")"
}

func sections(m map[string]float64) string {
	var parts []string
	for _, s := range reference.Full {
		if v, ok := m[s]; ok {
			parts = append(parts, fmt.Sprintf("%s %.2f", s, v))
		}
	}
	return strings.Join(parts, ", ")
}

func sh(name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s %s: %w", name, strings.Join(args, " "), err)
	}
	return nil
}
