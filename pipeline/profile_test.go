package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestCorrectedExportThroughProfile: a later export of the same cases (closed since, one
// geography filled in) replaces them with their contact and events; the earlier file is
// skipped when seen again.
func TestCorrectedExportThroughProfile(t *testing.T) {
	const header = "unique_key,account,opendate,closedate,complaint_type,descriptor,zip,borough,city,council_dist,community_board\n"
	cfg := testConfig(t)
	cfg.Profile = "../configs/profiles/nyc-council-constituent-services.yaml"
	dir := t.TempDir()
	cfg.Input = dir
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(header+body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("2024-01.csv", "NYCC1,NYCC01,2023-01-02,,Housing,Heat,,,,,\nNYCC2,NYCC01,2023-01-03,,Housing,Heat,,,,,\n")
	run := func() *Summary {
		s, err := Run(context.Background(), plan(t, cfg), Options{AsOf: asOf(t, "2024-06-30"), Version: "test"})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	run()
	write("2024-02.csv", "NYCC1,NYCC01,2023-01-02,2024-02-01,Housing,Heat,10001,Manhattan,New York,NYCC01,01 Manhattan\n")
	s := run()
	if len(s.Inputs) != 2 || !s.Inputs[0].Skipped || s.Inputs[1].Read != 1 || s.Inputs[1].Loaded != 1 {
		t.Fatalf("inputs %+v", s.Inputs)
	}
	r := query(t, cfg, `SELECT case_id, status, township, (SELECT count(*) FROM contacts o WHERE o.case_id = c.case_id),
  (SELECT string_agg(event_type, ',' ORDER BY event_type) FROM events e WHERE e.case_id = c.case_id) FROM cases c ORDER BY case_id`)
	want := [][]any{{"NYCC1", "closed", "Manhattan", int64(1), "accepted,closed"}, {"NYCC2", "open", "Unspecified", int64(1), "accepted"}}
	if len(r) != 2 {
		t.Fatalf("cases %v", r)
	}
	for i := range want {
		for j := range want[i] {
			if r[i][j] != want[i][j] {
				t.Errorf("case %d: %v, want %v", i, r[i], want[i])
				break
			}
		}
	}
	// The closed case is no longer on the watchlist; the open one still is.
	w := query(t, cfg, "SELECT matter_id FROM watchlist WHERE run_id = $1 ORDER BY matter_id", s.RunID)
	if len(w) != 1 || w[0][0] != "case:NYCC2" {
		t.Errorf("watchlist %v, want only case:NYCC2", w)
	}
}
