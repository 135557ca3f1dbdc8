package pipeline

import (
	"context"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/pipeline/publish"
)

func date(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestBacktestAgreesWithRunsAndScoresTheSample backtests two weeks of the bundled sample: the
// last day's flags must be the ones a nightly run as of that day gives, and the planted events
// that begin in the range (a wave, a repeat matter, copied letters) must be detected, with
// their lead times.
func TestBacktestAgreesWithRunsAndScoresTheSample(t *testing.T) {
	cfg := testConfig(t)
	cfg.Input = "../data/sample"
	res, err := Backtest(context.Background(), plan(t, cfg), BacktestOptions{
		From: date(t, "2025-06-01"), To: date(t, "2025-06-14"), Truth: "../data/sample/ground_truth.csv",
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Days != 14 || res.MatterDays == 0 {
		t.Fatalf("days %d, matter-days %d", res.Days, res.MatterDays)
	}
	rs := plan(t, cfg).Rules
	scopes := map[string]int{}
	for _, r := range res.Rows {
		scopes[r.Scope]++
	}
	if scopes["rule"] != len(rs) || scopes["family"] != 3 || scopes["kind"] < 2 {
		t.Errorf("rows per scope %v for %d rules, 3 families and the kinds of planted event in range", scopes, len(rs))
	}

	// The last day's live flags per family are a nightly run's.
	s, err := Run(context.Background(), plan(t, cfg), Options{AsOf: asOf(t, "2025-06-14"), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{}
	for _, r := range query(t, cfg, `SELECT family, count(DISTINCT rule_matter_id) FROM flags WHERE run_id = $1 AND live GROUP BY family`, s.RunID) {
		want[r[0].(string)] = r[1].(int64)
	}
	got := map[string]int64{}
	for _, d := range res.Daily {
		if d.Day.Format(time.DateOnly) == "2025-06-14" {
			got[d.Family] = d.Matters
		}
	}
	for f, n := range want {
		if got[f] != n {
			t.Errorf("%s on 2025-06-14: backtest flagged %d matters, the run %d", f, got[f], n)
		}
	}

	for _, r := range res.Rows {
		if r.Scope != "family" || r.Events == 0 {
			continue
		}
		t.Logf("%-8s events %d detected %d alerts %d false %d (%.3f per 1000 matter-days) lead %v",
			r.Name, r.Events, r.Detected, r.Alerts, r.FalseAlerts, res.FalsePer1000(r), deref(r.MedianLeadDays))
		if r.Detected != r.Events {
			t.Errorf("%s: detected %d of %d planted events", r.Name, r.Detected, r.Events)
		}
		if r.MedianLeadDays == nil || *r.MedianLeadDays < 0 {
			t.Errorf("%s: median lead %v", r.Name, deref(r.MedianLeadDays))
		}
	}

	out := t.TempDir()
	files, err := publish.WriteBacktest(out, "zh", res)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(out, publish.BacktestCSV))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// A header, a record per row, and the due-soon list's record last.
	if len(recs) != len(res.Rows)+2 || !strings.HasPrefix(recs[0][0], "\ufeff范围") {
		t.Errorf("backtest.csv: %d records, header %q", len(recs), recs[0])
	}
	if last := recs[len(recs)-1]; res.DueSoon == nil || last[0] != "临期预警" || last[3] != strconv.FormatInt(res.DueSoon.BecameOverdue, 10) {
		t.Errorf("backtest.csv: last record %q, due soon %+v", last, res.DueSoon)
	}
	if svg, _ := os.ReadFile(files[1]); !strings.Contains(string(svg), "<svg") {
		t.Errorf("%s is not an SVG", files[1])
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// TestBacktestStartingAfterTheDataIsAConfigError: a first day after the latest date in the data
// (the last day when none is given) is the config's problem, said in terms of the dates.
func TestBacktestStartingAfterTheDataIsAConfigError(t *testing.T) {
	cfg := testConfig(t)
	_, err := Backtest(context.Background(), plan(t, cfg), BacktestOptions{From: date(t, "2030-01-01")})
	var ce *ConfigError
	if !errors.As(err, &ce) {
		t.Fatalf("err %v, want a ConfigError", err)
	}
	if en := i18n.Localize("en", err); !strings.Contains(en, "first day 2030-01-01 is after the latest date in the data") {
		t.Errorf("en: %q", en)
	}
	if !strings.Contains(err.Error(), "回测起始日 2030-01-01 晚于数据中的最新日期") {
		t.Errorf("zh: %q", err)
	}
}
