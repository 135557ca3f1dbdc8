package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/earlywarn/earlywarn/configs"
)

// dueSoonInput writes a county of a few cases whose stages fall due around July 2025 (clocks:
// accept within 15 days of receipt, handle within 60 of acceptance):
//
//	D1 accepted 2025-06-03: handling due 2025-08-02
//	D2 received 2025-06-20, accepted 2025-07-02: acceptance due 2025-07-05, then handling due 2025-08-31
//	D3 accepted 2025-06-25: handling due 2025-08-24
//	D4 received 2025-06-28: acceptance due 2025-07-13
//	D5 received 2025-06-15: acceptance due 2025-06-30
//	D6 received 2025-06-09: acceptance due 2025-06-24
func dueSoonInput(t *testing.T) configs.Config {
	t.Helper()
	cfg := testConfig(t)
	dir := t.TempDir()
	cases := "case_id,received_date,channel,level,complainant_id,head_count,category,township,village,target_org,responsible_unit,status,content\n"
	for _, c := range [][3]string{{"D1", "2025-06-01", "县人社局"}, {"D2", "2025-06-20", "城关镇人民政府"}, {"D3", "2025-06-24", "县人社局"},
		{"D4", "2025-06-28", "县人社局"}, {"D5", "2025-06-15", "城关镇人民政府"}, {"D6", "2025-06-09", "城关镇人民政府"}} {
		cases += fmt.Sprintf("%s,%s,visit,county,P-%s,1,劳资纠纷,城关镇,东关村,某公司,%s,办理中,\n", c[0], c[1], c[0], c[2])
	}
	events := "event_id,case_id,event_type,event_date\nE1,D1,accepted,2025-06-03\nE2,D2,accepted,2025-07-02\nE3,D3,accepted,2025-06-25\n"
	for name, text := range map[string]string{"cases.csv": cases, "events.csv": events,
		"contacts.csv": "contact_id,case_id,contact_date,channel,level,person_id,head_count\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg.Input = dir
	return cfg
}

func dueSoonRows(t *testing.T, cfg configs.Config, runID string) []string {
	t.Helper()
	var out []string
	for _, r := range query(t, cfg, `SELECT case_id, stage, strftime(deadline, '%Y-%m-%d'), days_left, responsible_unit
		FROM due_soon WHERE run_id = $1 ORDER BY responsible_unit, deadline, case_id`, runID) {
		out = append(out, fmt.Sprintf("%v %v %v %v %v", r...))
	}
	return out
}

// TestDueSoonListFollowsTheCaseState: each run stores the pending cases whose current stage
// falls due within watchlist.due_soon_days, with days left, stage and unit; a case leaves the
// list when its stage moves on or its deadline passes, and 0 turns the list off.
func TestDueSoonListFollowsTheCaseState(t *testing.T) {
	cfg := dueSoonInput(t)
	for _, c := range []struct {
		asOf string
		days int
		want []string
	}{
		{"2025-07-01", 7, []string{"D2 accept 2025-07-05 4 城关镇人民政府"}},
		// D2 was accepted on 2025-07-02: its new stage falls due on 2025-08-31.
		{"2025-07-03", 7, nil},
		{"2025-07-06", 7, []string{"D4 accept 2025-07-13 7 县人社局"}},
		{"2025-07-13", 7, []string{"D4 accept 2025-07-13 0 县人社局"}},
		{"2025-07-14", 7, nil}, // D4 is overdue now: the stalled rules have it
		{"2025-07-28", 7, []string{"D1 handle 2025-08-02 5 县人社局"}},
		{"2025-07-28", 0, nil},
		{"2025-08-20", 7, []string{"D3 handle 2025-08-24 4 县人社局"}},
		{"2025-08-20", 30, []string{"D3 handle 2025-08-24 4 县人社局", "D2 handle 2025-08-31 11 城关镇人民政府"}},
	} {
		cfg.Watchlist.DueSoonDays = c.days
		s, err := Run(context.Background(), plan(t, cfg), Options{AsOf: asOf(t, c.asOf), Version: "test"})
		if err != nil {
			t.Fatal(err)
		}
		got := dueSoonRows(t, cfg, s.RunID)
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("as of %s, %d days: %v, want %v", c.asOf, c.days, got, c.want)
		}
		if s.DueSoon != int64(len(c.want)) || s.DueSoonDays != c.days {
			t.Errorf("as of %s: run record says %d due soon within %d days", c.asOf, s.DueSoon, s.DueSoonDays)
		}
	}
}

// TestBacktestCountsOverdueCasesListedBeforehand: the backtest says how many cases that became
// overdue in the range had been on the due-soon list before, and how far ahead.
func TestBacktestCountsOverdueCasesListedBeforehand(t *testing.T) {
	cfg := dueSoonInput(t)
	res, err := Backtest(context.Background(), plan(t, cfg), BacktestOptions{From: date(t, "2025-06-25"), To: date(t, "2025-08-10")})
	if err != nil {
		t.Fatal(err)
	}
	// Overdue in the range: D6 (on its first day, never listed before), D5 (listed from the
	// first day, 5 days ahead), D4 and D1 (listed 7 days ahead). D2 moved on in time.
	d := res.DueSoon
	if d == nil || d.Days != 7 || d.BecameOverdue != 4 || d.ListedBefore != 3 || d.MedianAhead == nil || *d.MedianAhead != 7 {
		t.Fatalf("due soon %+v", d)
	}
	cfg.Watchlist.DueSoonDays = 0
	res, err = Backtest(context.Background(), plan(t, cfg), BacktestOptions{From: date(t, "2025-07-01"), To: date(t, "2025-07-03")})
	if err != nil {
		t.Fatal(err)
	}
	if res.DueSoon != nil {
		t.Errorf("due soon %+v with the list off", res.DueSoon)
	}
}
