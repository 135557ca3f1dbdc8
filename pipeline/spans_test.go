package pipeline

import (
	"context"
	"fmt"
	"testing"
)

// TestFlagsAndWatchlistsAreStoredOnceForTheRunsThatHaveThem: over a sequence of nights (a
// first export, the same export screened again, the next day's export, which corrects old cases,
// and the days of a week after it), every run's flags and watchlist read back from views flags
// and watchlist as they were when it was stored, after later runs have closed and opened spans;
// a flag or item a later run has alike is stored once (an item once a week); and a database an
// earlier version made, with tables flags and watchlist holding a copy per run, is moved to
// spans on the next run and still gives its runs' flags and watchlists.
func TestFlagsAndWatchlistsAreStoredOnceForTheRunsThatHaveThem(t *testing.T) {
	first, next := twoExports(t)
	cfg := testConfig(t)
	cfg.Quarantine.MaxRejectRate = 0
	kinds := []struct {
		view, spans, rows string
		count             func(*Summary) int64
	}{
		{"flags", "flag_spans", `SELECT * EXCLUDE (run_id) FROM flags WHERE run_id = $1 ORDER BY ALL`,
			func(s *Summary) int64 {
				var n int64
				for _, r := range s.Rules {
					n += r.Flags
				}
				return n
			}},
		{"watchlist", "watchlist_spans", `SELECT * EXCLUDE (run_id) FROM watchlist WHERE run_id = $1 ORDER BY rank`,
			func(s *Summary) int64 {
				return query(t, cfg, `SELECT count(*) FROM watchlist_ranks WHERE run_id = $1`, s.RunID)[0][0].(int64)
			}},
	}
	stored := map[string]string{} // view and run id → the run's rows when it was stored
	var runs []string
	night := func(input, day string) {
		t.Helper()
		cfg.Input = input
		s, err := Run(context.Background(), plan(t, cfg), Options{AsOf: asOf(t, day), Today: asOf(t, "2026-01-01"), Version: "test", Full: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range kinds {
			rows := query(t, cfg, k.rows, s.RunID)
			// What the view gives is what the run made: its flags (as many as screening collected),
			// its items (one for each rank stored).
			if len(rows) == 0 || int64(len(rows)) != k.count(s) {
				t.Fatalf("run %s: view %s gives %d rows for the %d the run made", s.RunID, k.view, len(rows), k.count(s))
			}
			stored[k.view+" "+s.RunID] = fmt.Sprint(rows)
		}
		// Each rule's flags: as many as screening collected.
		got := map[string]int64{}
		for _, r := range query(t, cfg, `SELECT rule_id, count(*) FROM flags WHERE run_id = $1 GROUP BY rule_id`, s.RunID) {
			got[r[0].(string)] = r[1].(int64)
		}
		for id, r := range s.Rules {
			if got[id] != r.Flags {
				t.Errorf("run %s: view flags gives %d flags of rule %s, screening collected %d", s.RunID, got[id], id, r.Flags)
			}
		}
		runs = append(runs, s.RunID)
	}
	night(first, "2025-10-01")

	// The database as an earlier version left it: flags and watchlists in tables, a copy per
	// run; no spans and no order of runs.
	for _, stmt := range []string{
		`CREATE TABLE flags_copy AS SELECT * FROM flags`, `DROP VIEW flags`, `DROP TABLE flag_spans`,
		`ALTER TABLE flags_copy RENAME TO flags`,
		`CREATE TABLE watchlist_copy AS SELECT * FROM watchlist`, `DROP VIEW watchlist`,
		`DROP TABLE watchlist_spans`, `DROP TABLE watchlist_ranks`, `ALTER TABLE watchlist_copy RENAME TO watchlist`,
		`ALTER TABLE runs DROP COLUMN seq`,
	} {
		query(t, cfg, stmt)
	}
	night(first, "2025-10-01")
	night(next, "2025-10-02")
	for d := 3; d <= 7; d++ { // a week and a day of runs in all
		night(next, fmt.Sprintf("2025-10-%02d", d))
	}

	for _, k := range kinds {
		var total int64
		for _, id := range runs {
			rows := query(t, cfg, k.rows, id)
			if got := fmt.Sprint(rows); got != stored[k.view+" "+id] {
				t.Errorf("run %s's %s read back differ from those it stored", id, k.view)
			}
			total += int64(len(rows))
		}
		spans := query(t, cfg, `SELECT count(*), count(*) FILTER (WHERE to_seq IS NULL OR to_seq > from_seq) FROM `+k.spans)[0]
		// The second run screened the first's export as of the same day: it stores nothing anew.
		again := int64(len(query(t, cfg, k.rows, runs[1])))
		if n, shared := spans[0].(int64), spans[1].(int64); shared == 0 || n > total-again {
			t.Errorf("%d spans hold the %d rows of view %s of %d runs, %d of them for more than one run: what a later run has alike is not stored once",
				n, total, k.view, len(runs), shared)
		}
	}
	// A watchlist span covers at most a week of runs, and items unchanged that long are stored
	// again.
	longest := query(t, cfg, `SELECT max(coalesce(to_seq, (SELECT max(seq) FROM runs)) - from_seq + 1) FROM watchlist_spans`)[0][0].(int64)
	if longest != watchlistSpanRuns {
		t.Errorf("the longest watchlist span covers %d runs, want %d", longest, watchlistSpanRuns)
	}
	if got := query(t, cfg, `SELECT count(*) FROM runs WHERE seq IS NULL`)[0][0].(int64); got != 0 {
		t.Errorf("%d runs have no place in the order of runs", got)
	}
}

// TestReasonsCarryOverOnTheSameBasis: a run on the latest stored run's screening basis takes
// that run's reasons for the flags whose facts it had (marked here in the database, so that
// carried reasons show), in another output language too, and screens again only the cases that
// changed; on another basis (here another leader_top) it renders them again and screens every
// case.
func TestReasonsCarryOverOnTheSameBasis(t *testing.T) {
	cfg := testConfig(t)
	cfg.Input, _ = cutAt(t, sampleInput, "2025-10-01")
	var rescreened int
	run := func(full bool) string {
		t.Helper()
		s, err := Run(context.Background(), plan(t, cfg), Options{AsOf: asOf(t, "2025-10-01"), Today: asOf(t, "2026-01-01"), Version: "test", Full: full})
		if err != nil {
			t.Fatal(err)
		}
		rescreened = 0
		for _, r := range s.Rules {
			if r.Rescreened != nil {
				rescreened++
			}
		}
		return s.RunID
	}
	const mark = "〔上次〕"
	marked := func(id string) (n, all int64) {
		r := query(t, cfg, `SELECT count(*) FILTER (WHERE starts_with(reason_zh, $2)), count(*) FROM flags WHERE run_id = $1`, id, mark)[0]
		return r[0].(int64), r[1].(int64)
	}
	run(true)
	query(t, cfg, `UPDATE flag_spans SET reason_zh = $1 || reason_zh`, mark)
	if n, all := marked(run(true)); all == 0 || n != all {
		t.Errorf("on the same basis %d of %d flags carried the latest run's reasons, want all", n, all)
	}
	cfg.Lang = "en"
	if n, all := marked(run(false)); all == 0 || n != all || rescreened == 0 {
		t.Errorf("in another language %d of %d flags carried the latest run's reasons and %d rules were screened again for some cases only, want all and some",
			n, all, rescreened)
	}
	cfg.Watchlist.LeaderTop++
	if n, all := marked(run(false)); all == 0 || n != 0 || rescreened != 0 {
		t.Errorf("on another basis %d of %d flags carried the latest run's reasons and %d rules were screened again for some cases only, want none",
			n, all, rescreened)
	}
}
