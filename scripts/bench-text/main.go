// Command bench-text measures the text side of the hot_issue signal on a message board and
// prints it beside references measured on the same machine in the same invocation:
//
//   - earlywarn: the place extraction step of a run (timing "places": every text read again)
//     and the hot_issue rule (the rule's seconds in the run record), in `earlywarn run` through
//     the board's profile (cn-message-board-csv) with that rule alone, each with its wall and
//     CPU seconds; beside them the screening tables that every rule reads (the rest of the
//     timing "screen");
//   - reference 1, DuckDB's own read of the same board.csv into a table (CREATE TABLE … AS
//     SELECT * FROM read_csv(…), auto-detected), in a fresh database opened with the run's
//     settings (threads, memory limit);
//   - reference 2, the SQL an analyst would write over the same texts in that table: the places
//     found by one regular expression over subject and body (regexp_extract_all(…,
//     '[^，。！？\s]{2,8}(?:小区|花园|村|路|学校|公司)')), counted by place and month.
//
// The board is generated (`earlywarn gen --format board`, kept in --dir and reused) unless
// --board names one. The first run loads it; each of --repeat rounds then measures the
// references and a run that reads every text for places again (case_places emptied), in turn,
// and the medians are compared: messages (the board's rows, one contact each) per second for
// each, and earlywarn's (extraction and screening together) as a share of the references'. Each
// step's peak resident memory (VmHWM, reset between steps) is printed beside it. --flags FILE writes the last run's
// hot_issue flags (matter, cases, contacts, first flagged, strength, facts, reason), sorted, to
// compare two versions' results (with --reuse, which screens the last invocation's database
// again, so that both see the same load); --cpuprofile FILE profiles the measured rounds.
//
//	go run -tags duckdb_arrow ./scripts/bench-text [--cases N] [--seed S] [--board DIR] [--dir DIR] [--repeat N] [--threads N] [--reuse] [--flags FILE] [--cpuprofile FILE]
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"sort"
	"strings"
	"syscall"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/data/synth"
	"github.com/earlywarn/earlywarn/pipeline"
	"github.com/earlywarn/earlywarn/scripts/internal/ingestref"
)

func main() {
	cases := flag.Int("cases", 100_000, "messages of the generated board")
	seed := flag.Uint64("seed", 5, "seed of the generated board")
	board := flag.String("board", "", "a board folder (board.csv) to measure instead of a generated one")
	dir := flag.String("dir", filepath.Join(os.TempDir(), "earlywarn-bench-text"), "work folder (generated boards are kept and reused)")
	repeat := flag.Int("repeat", 3, "rounds of the references and earlywarn in turn; medians are compared")
	threads := flag.Int("threads", 2, "DuckDB threads for both the references and earlywarn")
	flagsOut := flag.String("flags", "", "write the last run's hot_issue flags, sorted, to this file")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the measured rounds to this file")
	reuse := flag.Bool("reuse", false, "keep the database of the last invocation (the same load: the same row ids, to compare flags)")
	flag.Parse()
	b := &bench{dir: *dir, threads: *threads, cpuprofile: *cpuprofile, reuse: *reuse}
	if err := b.run(*board, *cases, *seed, *repeat, *flagsOut); err != nil {
		fmt.Fprintln(os.Stderr, "bench-text:", err)
		os.Exit(1)
	}
}

type bench struct {
	dir        string
	threads    int
	cpuprofile string
	reuse      bool
	cfg        configs.Config
	messages   int64
	asOf       time.Time
}

// measure is one timed step: wall and CPU seconds (of this process, DuckDB's threads included),
// and the peak resident memory in it (MB; 0 where not measured).
type measure struct{ wall, cpu, peakMB float64 }

func (b *bench) run(board string, cases int, seed uint64, repeat int, flagsOut string) error {
	ctx := context.Background()
	if err := os.MkdirAll(b.dir, 0o755); err != nil {
		return err
	}
	if board == "" {
		board = filepath.Join(b.dir, fmt.Sprintf("board-%d-%d", cases, seed))
		if _, err := os.Stat(filepath.Join(board, "board.csv")); err != nil {
			fmt.Printf("generating %d messages (seed %d) in %s\n", cases, seed, board)
			start, _ := time.Parse(time.DateOnly, "2025-01-01")
			if _, err := synth.Generate(ctx, synth.Config{Seed: seed, Cases: cases, Start: start, Days: 365,
				Format: synth.FormatBoard}, board, nil); err != nil {
				return err
			}
		}
	}
	cfg, err := configs.BuiltInConfig()
	if err != nil {
		return err
	}
	cfg.Threads = b.threads
	cfg.Input, cfg.Profile = board, "cn-message-board-csv"
	cfg.Database = filepath.Join(b.dir, "text.duckdb")
	cfg.Output = filepath.Join(b.dir, "out")
	cfg.Rules = []configs.RuleSpec{{ID: "group-hot-issue", Kind: "group_signal", Weight: 3, MinTier: "orange",
		Params: map[string]any{"signal": "hot_issue"}}}
	b.cfg = cfg
	debug.SetMemoryLimit(pipeline.GoMemoryLimit(cfg)) // as the command line holds a run to its budget
	if !b.reuse {
		os.Remove(cfg.Database)
		os.Remove(cfg.Database + ".wal")
	}

	fmt.Printf("bench-text: %s, %d DuckDB threads, memory limit %s; load average %s\n", board, b.threads, cfg.MemoryLimit,
		ingestref.LoadAverage())
	first, err := b.earlywarn(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("loaded %d messages as of %s (wall s, CPU s, peak RSS MB):", b.messages, b.asOf.Format(time.DateOnly))
	for _, n := range []string{"ingest", "places", "tables", "rule"} {
		fmt.Printf(" %s %.2f, %.2f, %.0f;", n, first[n].wall, first[n].cpu, first[n].peakMB)
	}
	fmt.Print("\n\n")

	if b.cpuprofile != "" {
		f, err := os.Create(b.cpuprofile)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	names := []string{"read_csv", "sql pass", "places", "tables", "rule"}
	all := map[string][]measure{}
	fmt.Printf("%-6s %-10s %9s %9s %12s %12s\n", "round", "step", "wall s", "CPU s", "messages/s", "peak RSS MB")
	for round := 1; round <= repeat; round++ {
		ref, err := b.reference(ctx, board)
		if err != nil {
			return err
		}
		ew, err := b.earlywarn(ctx)
		if err != nil {
			return err
		}
		for k, v := range ew {
			ref[k] = v
		}
		for _, n := range names {
			m := ref[n]
			all[n] = append(all[n], m)
			fmt.Printf("%-6d %-10s %9.2f %9.2f %12.0f %12.0f\n", round, n, m.wall, m.cpu, float64(b.messages)/m.wall, m.peakMB)
		}
	}
	med := func(n string) measure {
		var w, c []float64
		for _, m := range all[n] {
			w, c = append(w, m.wall), append(c, m.cpu)
		}
		return measure{ingestref.Median(w), ingestref.Median(c), 0}
	}
	rate := func(m measure) float64 { return float64(b.messages) / m.wall }
	sum := func(a, c measure) measure { return measure{a.wall + c.wall, a.cpu + c.cpu, 0} }
	refM := sum(med("read_csv"), med("sql pass"))
	ewM := sum(med("places"), med("rule"))
	ewAll := sum(ewM, med("tables"))
	fmt.Printf("\nmedians of %d rounds, %d messages; load average %s\n", repeat, b.messages, ingestref.LoadAverage())
	fmt.Printf("%-40s %9s %9s %12s\n", "", "wall s", "CPU s", "messages/s")
	for _, r := range []struct {
		name string
		m    measure
	}{
		{"reference: DuckDB read_csv into a table", med("read_csv")},
		{"reference: SQL pass (regexp, by month)", med("sql pass")},
		{"reference: both", refM},
		{"earlywarn: place extraction", med("places")},
		{"earlywarn: hot_issue rule", med("rule")},
		{"earlywarn: extraction and rule", ewM},
		{"earlywarn: screening tables (all rules')", med("tables")},
		{"earlywarn: extraction and screening", ewAll},
	} {
		fmt.Printf("%-40s %9.2f %9.2f %12.0f\n", r.name, r.m.wall, r.m.cpu, rate(r.m))
	}
	fmt.Printf("earlywarn's extraction and rule ÷ reference, messages/s: %.2f of the SQL pass, %.2f of read_csv and SQL pass together\n",
		rate(ewM)/rate(med("sql pass")), rate(ewM)/rate(refM))
	if flagsOut != "" {
		n, err := b.writeFlags(ctx, flagsOut)
		if err != nil {
			return err
		}
		fmt.Printf("%d flags of the last run written to %s\n", n, flagsOut)
	}
	return nil
}

// earlywarn runs the job on the board's database (loading it the first time), with case_places
// emptied so that every text is read for places again, and returns the run's steps.
func (b *bench) earlywarn(ctx context.Context) (map[string]measure, error) {
	if _, err := os.Stat(b.cfg.Database); err == nil {
		if err := b.withDB(ctx, b.cfg.Database, func(q *sql.DB) error {
			_, err := q.ExecContext(ctx, "DELETE FROM case_places")
			return err
		}); err != nil {
			return nil, err
		}
	}
	plan, err := pipeline.Prepare(ctx, b.cfg)
	if err != nil {
		return nil, err
	}
	rep := &stepClock{steps: map[string]measure{}}
	rep.Step("run.step.ingest")
	s, err := pipeline.Run(ctx, plan, pipeline.Options{AsOf: b.asOf, Today: time.Now(), Reporter: rep})
	if err != nil {
		return nil, err
	}
	rep.Step("")
	b.asOf, _ = time.Parse(time.DateOnly, s.AsOf)
	if err := b.withDB(ctx, b.cfg.Database, func(q *sql.DB) error {
		return q.QueryRowContext(ctx, "SELECT count(*) FROM contacts").Scan(&b.messages)
	}); err != nil {
		return nil, err
	}
	out := map[string]measure{}
	for _, step := range []string{"ingest", "places"} {
		// The run's own timings for wall; CPU and peak memory between the reporter's steps.
		out[step] = measure{wall: s.Timings[step], cpu: rep.steps[step].cpu, peakMB: rep.steps[step].peakMB}
	}
	// The screening step is the screening tables and the rule: the run record times both and
	// the rule alone.
	rule := s.Rules["group-hot-issue"].Seconds
	out["tables"] = measure{wall: s.Timings["screen"] - rule, cpu: rep.steps["tables"].cpu, peakMB: rep.steps["tables"].peakMB}
	out["rule"] = measure{wall: rule, cpu: rep.steps["rule"].cpu, peakMB: rep.steps["rule"].peakMB}
	return out, nil
}

// reference loads board.csv into a table of a fresh database and runs the analyst's SQL pass.
func (b *bench) reference(ctx context.Context, board string) (map[string]measure, error) {
	path := filepath.Join(b.dir, "ref.duckdb")
	os.Remove(path)
	defer os.Remove(path)
	out := map[string]measure{}
	err := b.withDB(ctx, path, func(q *sql.DB) error {
		m, err := timed(func() error {
			_, err := q.ExecContext(ctx, "CREATE TABLE board AS SELECT * FROM read_csv($path, header = true)",
				sql.Named("path", filepath.Join(board, "board.csv")))
			return err
		})
		if err != nil {
			return err
		}
		out["read_csv"] = m
		m, err = timed(func() error {
			_, err := q.ExecContext(ctx, `CREATE TABLE hot AS
SELECT place, month, count(*) AS messages, count(DISTINCT user) AS users
FROM (SELECT unnest(regexp_extract_all(concat_ws(chr(10), "留言主题", "留言详情"),
                                        '[^，。！？\s]{2,8}(?:小区|花园|村|路|学校|公司)')) AS place,
             date_trunc('month', CAST("留言时间" AS TIMESTAMP)) AS month, "留言用户" AS user
      FROM board)
GROUP BY place, month`)
			return err
		})
		out["sql pass"] = m
		return err
	})
	return out, err
}

func (b *bench) withDB(ctx context.Context, path string, f func(*sql.DB) error) error {
	q, err := pipeline.OpenDB(ctx, path, b.cfg)
	if err != nil {
		return err
	}
	defer q.Close()
	return f(q)
}

// writeFlags writes the hot_issue flags of the latest run, one a line, sorted.
func (b *bench) writeFlags(ctx context.Context, path string) (int, error) {
	var lines []string
	err := b.withDB(ctx, b.cfg.Database, func(q *sql.DB) error {
		rows, err := q.QueryContext(ctx, `SELECT concat_ws(' | ', rule_matter_id, CAST(case_ids AS VARCHAR),
       CAST(contact_ids AS VARCHAR), CAST(first_flagged AS VARCHAR), CAST(strength AS VARCHAR), CAST(facts AS VARCHAR), reason_zh)
FROM flags WHERE run_id = (SELECT run_id FROM runs ORDER BY started_at DESC LIMIT 1)`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				return err
			}
			lines = append(lines, s)
		}
		return rows.Err()
	})
	if err != nil {
		return 0, err
	}
	sort.Strings(lines)
	return len(lines), os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644)
}

// stepClock is a pipeline.Reporter that adds up the process's CPU seconds of each phase of a
// run: ingest (inputs and loading), places, tables (the screening tables), rule (the rules: here
// hot_issue alone) and the rest.
type stepClock struct {
	steps map[string]measure
	phase string
	wall  time.Time
	cpu   float64
}

func (c *stepClock) Step(key string, _ ...any) {
	phase := "rest"
	switch key {
	case "run.step.ingest", "run.step.inputs", "run.step.load":
		phase = "ingest"
	case "run.step.places":
		phase = "places"
	case "run.step.screen":
		phase = "tables"
	case "run.step.rule":
		phase = "rule"
	}
	now, cpu := time.Now(), cpuSeconds()
	if c.phase != "" {
		m := c.steps[c.phase]
		c.steps[c.phase] = measure{wall: m.wall + now.Sub(c.wall).Seconds(), cpu: m.cpu + cpu - c.cpu,
			peakMB: max(m.peakMB, peakRSS())}
	}
	resetPeakRSS()
	c.phase, c.wall, c.cpu = phase, now, cpu
}

// peakRSS is the process's peak resident memory since resetPeakRSS (VmHWM, in MB; 0 where
// /proc has none).
func peakRSS() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb float64
			fmt.Sscanf(strings.TrimSpace(rest), "%f", &kb)
			return kb / 1024
		}
	}
	return 0
}

// resetPeakRSS starts a new peak (Linux: writing 5 to /proc/self/clear_refs).
func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

func timed(f func() error) (measure, error) {
	resetPeakRSS()
	start, cpu := time.Now(), cpuSeconds()
	err := f()
	return measure{time.Since(start).Seconds(), cpuSeconds() - cpu, peakRSS()}, err
}

func cpuSeconds() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}
