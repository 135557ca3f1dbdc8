// Package corebench times the core rules alone on a database earlywarn has loaded, earlywarn
// beside the reference script (scripts/reference): earlywarn's screening tables
// (rules.PrepareSQL) and its core rules (reference.CoreRules) materialised as a run screens them,
// against the script's settings and rules sections on the same tables, alternating, nothing
// written to the database (every table either side makes is temporary). scripts/bench and
// scripts/rulebench --reference print it.
package corebench

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/pipeline"
	"github.com/earlywarn/earlywarn/rules"
	"github.com/earlywarn/earlywarn/scripts/internal/ingestref"
	"github.com/earlywarn/earlywarn/scripts/reference"
)

// Result holds each round's seconds, both sides, and earlywarn's by step of its last round.
type Result struct {
	Earlywarn, Reference []float64
	Steps                []Step // earlywarn's last round: the screening tables, then each rule
	Flags                map[string][2]int
}

// Step is one timed step of a round.
type Step struct {
	Name    string
	Seconds float64
}

// Ratio is the median of earlywarn's rounds over the median of the reference's.
func (r Result) Ratio() float64 {
	return ingestref.Median(r.Earlywarn) / ingestref.Median(r.Reference)
}

// Run screens the database at dbPath as of asOf rounds times each way, alternating (earlywarn
// first in even rounds, the reference first in odd ones), with cfg's threads and memory limit.
func Run(ctx context.Context, cfg configs.Config, dbPath string, asOf time.Time, rounds int) (Result, error) {
	var specs []configs.RuleSpec
	for _, r := range cfg.Rules {
		if slices.Contains(reference.CoreRules, r.ID) && r.IsEnabled() {
			specs = append(specs, r)
		}
	}
	if len(specs) != len(reference.CoreRules) {
		return Result{}, fmt.Errorf("the config has %d of the %d core rules %v", len(specs), len(reference.CoreRules), reference.CoreRules)
	}
	rs, err := rules.Compile(specs, cfg.Clocks)
	if err != nil {
		return Result{}, err
	}
	cfg.Database = dbPath
	d, err := pipeline.OpenDB(ctx, dbPath, cfg)
	if err != nil {
		return Result{}, err
	}
	defer d.Close()
	q, err := d.Conn(ctx)
	if err != nil {
		return Result{}, err
	}
	defer q.Close()

	res := Result{Flags: map[string][2]int{}}
	ours := func() error {
		start := time.Now()
		var steps []Step
		for i, st := range rules.PrepareSQL(cfg.Clocks, asOf) {
			t := time.Now()
			if _, err := q.ExecContext(ctx, st.SQL, st.Args...); err != nil {
				return fmt.Errorf("screening table %d: %w", i+1, err)
			}
			steps = append(steps, Step{fmt.Sprintf("screening table %d", i+1), time.Since(t).Seconds()})
		}
		for _, r := range rs {
			t := time.Now()
			if err := r.Materialize(ctx, q, asOf); err != nil {
				return fmt.Errorf("%s: %w", r.ID, err)
			}
			steps = append(steps, Step{r.ID, time.Since(t).Seconds()})
			var n int
			if err := q.QueryRowContext(ctx, "SELECT count(*) FROM "+rules.FlagsTable).Scan(&n); err != nil {
				return err
			}
			f := res.Flags[r.ID]
			f[0] = n
			res.Flags[r.ID] = f
		}
		res.Earlywarn = append(res.Earlywarn, time.Since(start).Seconds())
		res.Steps = steps
		return nil
	}
	theirs := func() error {
		start := time.Now()
		if err := reference.Run(ctx, q, reference.Vars{AsOf: asOf}, reference.Settings, reference.Rules); err != nil {
			return err
		}
		res.Reference = append(res.Reference, time.Since(start).Seconds())
		for _, id := range reference.CoreRules {
			var n int
			if err := q.QueryRowContext(ctx, "SELECT count(*) FROM ref_flags WHERE rule_id = $1", id).Scan(&n); err != nil {
				return err
			}
			f := res.Flags[id]
			f[1] = n
			res.Flags[id] = f
		}
		return nil
	}
	for i := range rounds {
		first, second := ours, theirs
		if i%2 == 1 {
			first, second = theirs, ours
		}
		if err := first(); err != nil {
			return res, err
		}
		if err := second(); err != nil {
			return res, err
		}
	}
	return res, nil
}
