package pipeline

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/data/synth"
	"github.com/earlywarn/earlywarn/internal/groundtruth"
)

// TestDetectionOnAGeneratedCounty screens a freshly generated county (a seed used nowhere else)
// at the default config and scores the flags against the planted events: recall ≥ 0.95 and
// precision ≥ 0.90 in every family. Its watchlist lists live matters once each (see
// checkLiveAndDistinct).
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
	checkLiveAndDistinct(t, cfg, s.RunID)
}

// checkLiveAndDistinct checks a run's watchlist against the stored records, computed here apart
// from the pipeline: no two listed matters share a case, and every listed matter has a case
// still pending (its last stage event not an answer, review, re-review, termination or close)
// or a contact behind it within its families' active windows.
func checkLiveAndDistinct(t *testing.T, cfg configs.Config, runID string) {
	t.Helper()
	shared := query(t, cfg, `
WITH mc AS (SELECT matter_id, unnest(case_ids) AS case_id FROM watchlist WHERE run_id = $1)
SELECT a.case_id, a.matter_id, b.matter_id FROM mc a JOIN mc b ON a.case_id = b.case_id AND a.matter_id < b.matter_id
LIMIT 5`, runID)
	for _, r := range shared {
		t.Errorf("case %v is in two listed matters: %v and %v", r[0], r[1], r[2])
	}
	stale := query(t, cfg, `
WITH w AS (SELECT * FROM watchlist WHERE run_id = $1),
last_stage AS (
  SELECT case_id, arg_max(event_type, (event_date, event_id)) AS last_type FROM events
  WHERE event_type NOT IN ('supervised', 'return_visit', 'evaluated', 'extended') AND event_date <= (SELECT max(as_of) FROM w)
  GROUP BY case_id
),
pending AS (
  SELECT w.matter_id, bool_or(coalesce(s.last_type NOT IN ('answered', 'reviewed', 'rereviewed', 'terminated', 'closed'), true)) AS pending
  FROM (SELECT matter_id, unnest(case_ids) AS case_id FROM w) w LEFT JOIN last_stage s USING (case_id) GROUP BY ALL
),
newest AS (
  SELECT w.matter_id, max(c.contact_date) AS newest
  FROM (SELECT matter_id, unnest(contact_ids) AS contact_id FROM w) w JOIN contacts c USING (contact_id) GROUP BY ALL
)
SELECT w.matter_id, w.families, n.newest, w.as_of
FROM w JOIN pending p USING (matter_id) LEFT JOIN newest n USING (matter_id)
WHERE NOT p.pending AND (n.newest IS NULL OR w.as_of - n.newest > $2)
LIMIT 5`, runID, max(cfg.Watchlist.ActiveDays.Repeat, cfg.Watchlist.ActiveDays.Group))
	for _, r := range stale {
		t.Errorf("matter %v (%v) is listed with no case pending and its newest contact on %v, as of %v", r[0], r[1], r[2], r[3])
	}
}

func first(s []string, n int) []string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
