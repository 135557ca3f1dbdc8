package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/pipeline/publish"
)

// TestNightsWithNothingNewGiveTheFullRunsResults: over a sequence of nights, one database run
// as the nightly job runs (a night with nothing new screens nothing) and one screened in full
// every night (Options.Full) hold the same latest results after every night: flags, watchlist,
// changes and due-soon list, and the same watchlist.csv in their output folders. The nights: a
// first export; a rerun with nothing new; the next day's export, which also corrects old cases
// (their category, so group signals move); a rerun after a sign-in to the review app; a
// dismissal in review, then a rerun; a later as-of date with nothing new.
func TestNightsWithNothingNewGiveTheFullRunsResults(t *testing.T) {
	first, next := twoExports(t)

	nightly, full := testConfig(t), testConfig(t)
	for _, cfg := range []*configs.Config{&nightly, &full} {
		cfg.Quarantine.MaxRejectRate = 0
	}
	const (
		signIn  = `INSERT INTO audit_log (acted_at, actor, role, action) SELECT now(), 'leader', 'leader', 'sign_in' WHERE $1 <> ''`
		dismiss = `INSERT INTO dismissals (matter_id, run_id, dismissed_by, dismissed_at, reason)
SELECT matter_id, run_id, 'analyst', now(), 'handled' FROM watchlist WHERE run_id = $1 AND rank = 1`
	)
	type night struct {
		name, input, asOf string
		review            string // a statement run before the night's run, given the latest run's id
		unchanged         bool   // the nightly job finds nothing new
	}
	nights := []night{
		{name: "first export", input: first, asOf: "2025-10-01"},
		{name: "rerun", input: first, asOf: "2025-10-01", unchanged: true},
		{name: "next day with corrections", input: next, asOf: "2025-10-02"},
		{name: "rerun of the next day, after a sign-in", input: next, asOf: "2025-10-02", unchanged: true, review: signIn},
		{name: "after a dismissal", input: next, asOf: "2025-10-02", review: dismiss},
		{name: "a later day, nothing new", input: next, asOf: "2025-10-03"},
	}
	latest := map[*configs.Config]string{}
	for _, n := range nights {
		for _, cfg := range []*configs.Config{&nightly, &full} {
			cfg.Input = n.input
			if n.review != "" {
				db, err := OpenDB(context.Background(), cfg.Database, *cfg)
				if err != nil {
					t.Fatal(err)
				}
				_, err = db.Exec(n.review, latest[cfg])
				db.Close()
				if err != nil {
					t.Fatal(err)
				}
			}
			s, err := Run(context.Background(), plan(t, *cfg), Options{
				AsOf: asOf(t, n.asOf), Today: asOf(t, "2026-01-01"), Version: "test", Full: cfg == &full,
			})
			if err != nil {
				t.Fatalf("%s: %v", n.name, err)
			}
			if want := n.unchanged && cfg == &nightly; (s.Standing != "") != want || (s.RunID == "") != want {
				t.Fatalf("%s: run %q, standing %q; want a run stored: %v", n.name, s.RunID, s.Standing, !want)
			}
			if s.Standing != "" {
				if s.Standing != latest[cfg] {
					t.Fatalf("%s: the results of run %s stand, want the latest run %s's", n.name, s.Standing, latest[cfg])
				}
				continue
			}
			latest[cfg] = s.RunID
		}
		for _, c := range []struct{ what, stmt string }{
			{"flags", `SELECT rule_id, matter_id, rule_matter_id, case_ids, contact_ids, first_flagged, strength, facts,
  reason_zh, reason_en, last_evidence, live FROM flags WHERE run_id = $1 ORDER BY ALL`},
			{"watchlist", `SELECT * EXCLUDE (run_id) FROM watchlist WHERE run_id = $1 ORDER BY rank`},
			{"changes", `SELECT * EXCLUDE (run_id, prev_run_id) FROM matter_changes WHERE run_id = $1 ORDER BY ALL`},
			{"due soon", `SELECT * EXCLUDE (run_id) FROM due_soon WHERE run_id = $1 ORDER BY ALL`},
		} {
			a, b := query(t, nightly, c.stmt, latest[&nightly]), query(t, full, c.stmt, latest[&full])
			if len(a) == 0 && c.what != "due soon" {
				t.Fatalf("%s: no %s to compare", n.name, c.what)
			}
			if fmt.Sprint(a) != fmt.Sprint(b) {
				t.Errorf("%s: %s differ: %d rows in the nightly job's database, %d in the one screened in full", n.name, c.what, len(a), len(b))
			}
		}
		a, b := readDir(t, nightly.Output)[publish.WatchlistCSV], readDir(t, full.Output)[publish.WatchlistCSV]
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s: watchlist.csv differs (%d and %d bytes)", n.name, len(a), len(b))
		}
	}
	if got := query(t, nightly, `SELECT count(*) FROM runs`)[0][0].(int64); got != 4 {
		t.Errorf("the nightly job stored %d runs over the six nights, want 4", got)
	}
}

// twoExports writes two exports of the sample: up to 2025-10-01, and up to the next day with late
// corrections (the category of 199 cases received in January, so group signals move).
func twoExports(t *testing.T) (first, next string) {
	t.Helper()
	first, _ = cutAt(t, sampleInput, "2025-10-01")
	next, _ = cutAt(t, sampleInput, "2025-10-02")
	cases := readRecords(t, filepath.Join(next, "cases.csv"))
	for _, r := range cases[1:200] {
		r[6] = "城乡建设"
	}
	writeRecords(t, filepath.Join(next, "cases.csv"), cases)
	return first, next
}
