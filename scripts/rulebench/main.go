// Command rulebench screens a database that earlywarn has loaded (for example the bench's,
// $TMPDIR/earlywarn-bench/bench.duckdb) with the default config's rules (or --config's) and prints
// the seconds and CPU seconds of building the screening tables and of each rule. It writes to
// the database only what a run keeps before screening for a copied-letters rule, the reduced
// texts table case_letters does not hold yet. --txn runs everything inside one open transaction,
// as a run does, to show what that costs; --profile DIR writes DuckDB's JSON profile of each
// statement there.
//
// --kept starts from what the latest run kept in the database (hot_issue's document frequencies),
// as a night does, and stores nothing.
//
// --reference compares instead the core rules alone with the reference script's rules section
// (scripts/reference/core_rules.sql) on the same database, alternating, --rounds times each
// (scripts/internal/corebench), and prints the medians and earlywarn / reference.
//
//	go run -tags duckdb_arrow ./scripts/rulebench --db FILE [--config FILE] [--rule SUBSTRING] [--txn] [--kept] [--profile DIR] [--similarity S] [--cpuprofile FILE] [--memprofile FILE]
//	go run -tags duckdb_arrow ./scripts/rulebench --db FILE --reference [--rounds 3]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/pipeline"
	"github.com/earlywarn/earlywarn/rules"
	"github.com/earlywarn/earlywarn/scripts/internal/corebench"
	"github.com/earlywarn/earlywarn/scripts/internal/ingestref"
	"github.com/earlywarn/earlywarn/scripts/reference"
)

func main() {
	dbPath := flag.String("db", filepath.Join(os.TempDir(), "earlywarn-bench", "bench.duckdb"), "a database loaded by earlywarn run")
	only := flag.String("rule", "", "run only the rules whose id contains this")
	txn := flag.Bool("txn", false, "run inside one open transaction, as earlywarn run does")
	kept := flag.Bool("kept", false, "start from the counts a run kept in the database, as a night does (rules.KeepCounts); nothing is stored")
	profile := flag.String("profile", "", "write DuckDB's JSON profile of each statement to this folder")
	similarity := flag.Float64("similarity", 0, "override the copied-letters rule's similarity (e.g. 0.55)")
	config := flag.String("config", "", "take the rules from this config instead of the built-in default (e.g. one enabling hot_issue)")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the screening to this file")
	memprofile := flag.String("memprofile", "", "write a Go heap profile (allocations included) after the screening to this file")
	withReference := flag.Bool("reference", false, "compare the core rules alone with the reference script's rules, alternating")
	rounds := flag.Int("rounds", 3, "with --reference: rounds each way")
	flag.Parse()
	if *withReference {
		if err := compare(*dbPath, *config, *rounds); err != nil {
			fmt.Fprintln(os.Stderr, "rulebench:", err)
			os.Exit(1)
		}
		return
	}
	if *memprofile != "" {
		runtime.MemProfileRate = 64 << 10
		defer func() {
			if f, err := os.Create(*memprofile); err == nil {
				pprof.Lookup("allocs").WriteTo(f, 0)
				f.Close()
			}
		}()
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "rulebench:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	if err := run(*dbPath, *config, *only, *txn, *kept, *profile, *similarity); err != nil {
		fmt.Fprintln(os.Stderr, "rulebench:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

func run(dbPath, config, only string, txn, kept bool, profile string, similarity float64) error {
	cfg, err := benchConfig(dbPath, config)
	if err != nil {
		return err
	}
	if similarity > 0 {
		for i := range cfg.Rules {
			if cfg.Rules[i].Params["signal"] == "copied_letters" {
				cfg.Rules[i].Params["similarity"] = similarity
			}
		}
	}
	rs, err := rules.Compile(cfg.Rules, cfg.Clocks)
	if err != nil {
		return err
	}
	ctx := context.Background()
	rctx := ctx
	if kept {
		rctx = rules.KeepCounts(ctx, true)
	}
	cfg.Database = dbPath
	db, err := pipeline.OpenDB(ctx, dbPath, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	q, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer q.Close()
	if txn {
		if _, err := q.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
			return err
		}
		defer q.ExecContext(ctx, "ROLLBACK")
	}
	var asOf time.Time
	if err := q.QueryRowContext(ctx, "SELECT CAST(max(contact_date) AS TIMESTAMP) FROM contacts").Scan(&asOf); err != nil {
		return err
	}
	fmt.Printf("rulebench: %s as of %s, in a transaction: %v\n", dbPath, asOf.Format(time.DateOnly), txn)
	timed := func(name string, f func() error) error {
		if profile != "" {
			if _, err := q.ExecContext(ctx, fmt.Sprintf("PRAGMA enable_profiling = 'json'; PRAGMA profiling_output = '%s'",
				filepath.Join(profile, name+".json"))); err != nil {
				return err
			}
			defer q.ExecContext(ctx, "PRAGMA disable_profiling")
		}
		start, cpu0 := time.Now(), cpuSeconds()
		if err := f(); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		fmt.Printf("%-26s %7.2f s %7.2f CPU-s\n", name, time.Since(start).Seconds(), cpuSeconds()-cpu0)
		return nil
	}
	for i, st := range rules.PrepareSQL(cfg.Clocks, asOf) {
		if err := timed(fmt.Sprintf("screening table %d", i+1), func() error {
			_, err := q.ExecContext(ctx, st.SQL, st.Args...)
			return err
		}); err != nil {
			return err
		}
	}
	// The letters a copied-letters rule compares, reduced as a run does before screening (this
	// writes table case_letters: only the texts it does not hold yet).
	var chosen []*rules.Rule
	for _, r := range rs {
		if strings.Contains(r.ID, only) {
			chosen = append(chosen, r)
		}
	}
	for i, st := range rules.LettersSQL(chosen, asOf, asOf) {
		if err := timed(fmt.Sprintf("letters %d", i+1), func() error {
			_, err := q.ExecContext(ctx, st.SQL, st.Args...)
			return err
		}); err != nil {
			return err
		}
	}
	for _, r := range rs {
		if !strings.Contains(r.ID, only) {
			continue
		}
		if err := timed(r.ID, func() error { return r.Materialize(rctx, q, asOf) }); err != nil {
			return err
		}
	}
	return nil
}

// compare times the core rules alone beside the reference script's rules on dbPath.
func compare(dbPath, config string, rounds int) error {
	cfg, err := benchConfig(dbPath, config)
	if err != nil {
		return err
	}
	ctx := context.Background()
	asOf, err := latestContact(ctx, dbPath, cfg)
	if err != nil {
		return err
	}
	load := ingestref.LoadAverage()
	r, err := corebench.Run(ctx, cfg, dbPath, asOf, rounds)
	if err != nil {
		return err
	}
	fmt.Printf("rulebench --reference: %s as of %s; load average %s before, %s after\n", dbPath, asOf.Format(time.DateOnly), load, ingestref.LoadAverage())
	fmt.Printf("core rules alone: earlywarn %.2f s %s, reference %.2f s %s, earlywarn / reference %.2f\n",
		ingestref.Median(r.Earlywarn), secs(r.Earlywarn), ingestref.Median(r.Reference), secs(r.Reference), r.Ratio())
	for _, st := range r.Steps {
		fmt.Printf("  %-24s %7.2f s\n", st.Name, st.Seconds)
	}
	for _, id := range reference.CoreRules {
		fmt.Printf("  flags %-18s earlywarn %d, reference %d\n", id, r.Flags[id][0], r.Flags[id][1])
	}
	return nil
}

func secs(xs []float64) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprintf("%.2f", x)
	}
	return "(" + strings.Join(parts, " ") + ")"
}

// latestContact is the latest contact date of the database, the screening date rulebench uses.
func latestContact(ctx context.Context, dbPath string, cfg configs.Config) (time.Time, error) {
	d, err := pipeline.OpenDB(ctx, dbPath, cfg)
	if err != nil {
		return time.Time{}, err
	}
	defer d.Close()
	var asOf time.Time
	err = d.QueryRowContext(ctx, "SELECT CAST(max(contact_date) AS TIMESTAMP) FROM contacts").Scan(&asOf)
	return asOf, err
}

func cpuSeconds() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

// benchConfig checks that dbPath exists and returns the config to screen it with: config's
// file, or the built-in default when config is "".
func benchConfig(dbPath, config string) (configs.Config, error) {
	if _, err := os.Stat(dbPath); err != nil {
		return configs.Config{}, fmt.Errorf("%w; run go run -tags duckdb_arrow ./scripts/bench first, or point --db at a loaded database", err)
	}
	if config != "" {
		return configs.Load(config, true, nil)
	}
	return configs.BuiltInConfig()
}
