package pipeline

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/earlywarn/earlywarn/data/synth"
	"github.com/earlywarn/earlywarn/internal/groundtruth"
)

// TestDetectionOnAGeneratedCounty screens a freshly generated county (a seed used nowhere else)
// at the default config and scores the watchlist against the planted events: recall ≥ 0.95
// and precision ≥ 0.90 in every family.
func TestDetectionOnAGeneratedCounty(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and screens a 20,000-case county")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "county")
	start, _ := time.Parse(time.DateOnly, "2025-01-01")
	if _, err := synth.Generate(context.Background(), synth.Config{Seed: 90210, Cases: 20000, Start: start, Days: 365}, in, nil); err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(t)
	cfg.Input = in
	s, err := Run(context.Background(), plan(t, cfg), Options{AsOf: asOf(t, "auto")})
	if err != nil {
		t.Fatal(err)
	}
	events, err := groundtruth.Read(filepath.Join(in, "ground_truth.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows := query(t, cfg, `SELECT family, matter_id, array_to_string(list_distinct(flatten(list(case_ids))), ';')
FROM flags WHERE run_id = $1 GROUP BY family, matter_id`, s.RunID)
	flags := make([]groundtruth.Flag, len(rows))
	for i, r := range rows {
		flags[i] = groundtruth.Flag{Family: r[0].(string), Matter: r[1].(string), CaseIDs: strings.Split(r[2].(string), ";")}
	}
	scores := groundtruth.Evaluate(events, flags)
	for _, family := range []string{"repeat", "group", "stalled"} {
		sc := scores[family]
		if sc == nil || sc.Events == 0 {
			t.Errorf("%s: no planted events", family)
			continue
		}
		t.Logf("%-8s recall %.3f (%d/%d)  precision %.3f (%d/%d)", family, sc.Recall(), sc.Detected, sc.Events, sc.Precision(), sc.Correct, sc.Flags)
		if sc.Recall() < 0.95 {
			t.Errorf("%s: recall %.3f < 0.95; missed %v", family, sc.Recall(), first(sc.Missed, 10))
		}
		if sc.Precision() < 0.90 {
			t.Errorf("%s: precision %.3f < 0.90; false flags %v", family, sc.Precision(), first(sc.FalseFlags, 10))
		}
	}
}

func first(s []string, n int) []string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
