package pipeline

import (
	"context"
	"fmt"
	"testing"
)

// TestFlagsAreStoredOnceForTheRunsThatHaveThem: over a sequence of nights (a first export, the
// same export screened again, the next day's export, which corrects old cases, and a later day),
// every run's flags read back from view flags as they were when it was stored, after later runs
// have closed and opened spans; a flag a later run has alike is stored once; and a database an
// earlier version made, with a flags table holding a copy per run, is moved to spans on the next
// run and still gives its runs' flags.
func TestFlagsAreStoredOnceForTheRunsThatHaveThem(t *testing.T) {
	first, next := twoExports(t)
	cfg := testConfig(t)
	cfg.Quarantine.MaxRejectRate = 0
	const flagsOf = `SELECT * EXCLUDE (run_id) FROM flags WHERE run_id = $1 ORDER BY ALL`
	stored := map[string]string{} // run id → its flags when it was stored
	var runs []string
	night := func(input, day string) {
		t.Helper()
		cfg.Input = input
		s, err := Run(context.Background(), plan(t, cfg), Options{AsOf: asOf(t, day), Today: asOf(t, "2026-01-01"), Version: "test", Full: true})
		if err != nil {
			t.Fatal(err)
		}
		rows := query(t, cfg, flagsOf, s.RunID)
		if len(rows) == 0 {
			t.Fatalf("run %s has no flags", s.RunID)
		}
		// What the view gives is what screening collected: each rule's count in the run record.
		got := map[string]int64{}
		for _, r := range query(t, cfg, `SELECT rule_id, count(*) FROM flags WHERE run_id = $1 GROUP BY rule_id`, s.RunID) {
			got[r[0].(string)] = r[1].(int64)
		}
		for id, r := range s.Rules {
			if got[id] != r.Flags {
				t.Errorf("run %s: view flags gives %d flags of rule %s, screening collected %d", s.RunID, got[id], id, r.Flags)
			}
		}
		stored[s.RunID] = fmt.Sprint(rows)
		runs = append(runs, s.RunID)
	}
	night(first, "2025-10-01")

	// The database as an earlier version left it: flags in a table, a copy per run; no spans and
	// no order of runs.
	for _, stmt := range []string{
		`CREATE TABLE flags_copy AS SELECT * FROM flags`, `DROP VIEW flags`, `DROP TABLE flag_spans`,
		`ALTER TABLE flags_copy RENAME TO flags`, `ALTER TABLE runs DROP COLUMN seq`,
	} {
		query(t, cfg, stmt)
	}
	night(first, "2025-10-01")
	night(next, "2025-10-02")
	night(next, "2025-10-03")

	var total int64
	for _, id := range runs {
		if got := fmt.Sprint(query(t, cfg, flagsOf, id)); got != stored[id] {
			t.Errorf("run %s's flags read back differ from those it stored", id)
		}
		total += query(t, cfg, `SELECT count(*) FROM flags WHERE run_id = $1`, id)[0][0].(int64)
	}
	spans := query(t, cfg, `SELECT count(*), count(*) FILTER (WHERE to_seq IS NULL OR to_seq > from_seq) FROM flag_spans`)[0]
	// The second run screened the first's export as of the same day: it stores no flag anew.
	again := query(t, cfg, `SELECT count(*) FROM flags WHERE run_id = $1`, runs[1])[0][0].(int64)
	if n, shared := spans[0].(int64), spans[1].(int64); shared == 0 || n > total-again {
		t.Errorf("%d spans hold the %d flags of %d runs, %d of them for more than one run: flags a later run has alike are not stored once",
			n, total, len(runs), shared)
	}
	if got := query(t, cfg, `SELECT count(*) FROM runs WHERE seq IS NULL`)[0][0].(int64); got != 0 {
		t.Errorf("%d runs have no place in the order of runs", got)
	}
}

// TestReasonsCarryOverOnTheSameBasis: a run on the latest stored run's basis takes that run's
// reasons for the flags whose facts it had (marked here in the database, so that carried
// reasons show), and renders them again on another basis (here another leader_top).
func TestReasonsCarryOverOnTheSameBasis(t *testing.T) {
	cfg := testConfig(t)
	cfg.Input, _ = cutAt(t, sampleInput, "2025-10-01")
	run := func() string {
		t.Helper()
		s, err := Run(context.Background(), plan(t, cfg), Options{AsOf: asOf(t, "2025-10-01"), Today: asOf(t, "2026-01-01"), Version: "test", Full: true})
		if err != nil {
			t.Fatal(err)
		}
		return s.RunID
	}
	const mark = "〔上次〕"
	marked := func(id string) (n, all int64) {
		r := query(t, cfg, `SELECT count(*) FILTER (WHERE starts_with(reason_zh, $2)), count(*) FROM flags WHERE run_id = $1`, id, mark)[0]
		return r[0].(int64), r[1].(int64)
	}
	run()
	query(t, cfg, `UPDATE flag_spans SET reason_zh = $1 || reason_zh`, mark)
	if n, all := marked(run()); all == 0 || n != all {
		t.Errorf("on the same basis %d of %d flags carried the latest run's reasons, want all", n, all)
	}
	cfg.Watchlist.LeaderTop++
	if n, all := marked(run()); all == 0 || n != 0 {
		t.Errorf("on another basis %d of %d flags carried the latest run's reasons, want none", n, all)
	}
}
