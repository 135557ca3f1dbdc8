package rules

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/earlywarn/earlywarn/data/datatest"
)

// baselineCounty: in 城关镇/征地拆迁 one person a day every other day from 2025-01-01; in
// 新桥乡/劳资纠纷 the same background, then burst people on each of the three days ending
// 2025-03-10. Every person has a case of their own.
func baselineCounty(t *testing.T, burst int) *sql.Conn {
	t.Helper()
	q := datatest.New(t)
	add := caseAdder(t, q)
	for _, d := range days("2025-01-01", evenOffsets(68)...) {
		add("城关镇", "征地拆迁", d)
		add("新桥乡", "劳资纠纷", d)
	}
	for _, d := range days("2025-03-08", 0, 1, 2) {
		for range burst {
			add("新桥乡", "劳资纠纷", d)
		}
	}
	return q
}

// caseAdder returns add, which adds a case of its own person in a township and category with
// one contact on date, numbering the cases c001, c002, …
func caseAdder(t *testing.T, q *sql.Conn) func(town, cat, date string) {
	n := 0
	return func(town, cat, date string) {
		n++
		id := fmt.Sprintf("c%03d", n)
		datatest.AddCases(t, q, datatest.Case{ID: id, Received: date, Township: town, Category: cat})
		datatest.AddContacts(t, q, datatest.Contact{ID: id + "-v", CaseID: id, Date: date})
	}
}

func evenOffsets(upTo int) []int {
	var out []int
	for i := 0; i < upTo; i += 2 {
		out = append(out, i)
	}
	return out
}

func TestBaselineSignal(t *testing.T) {
	for _, tt := range []struct {
		name   string
		params map[string]any
		burst  int
		want   bool
	}{
		{"a burst of 12 over 3 days (ears)", map[string]any{}, 4, true},
		{"a burst of 12 over 3 days (negbin)", map[string]any{"method": "negbin"}, 4, true},
		{"the usual level", map[string]any{}, 0, false},
		{"a burst below min_complainants", map[string]any{"min_complainants": 20}, 4, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			q := baselineCounty(t, tt.burst)
			params := map[string]any{"signal": "baseline"}
			for k, v := range tt.params {
				params[k] = v
			}
			flags := screenOne(t, q, Spec{Kind: KindGroup, Params: params}, "2025-03-12")
			if got := len(flags) > 0; got != tt.want {
				t.Fatalf("flagged %v, want %v: %v", got, tt.want, flags)
			}
			for _, f := range flags {
				if f.Facts["group"] != "新桥乡 / 劳资纠纷" {
					t.Errorf("flagged stratum %v, want 新桥乡 / 劳资纠纷", f.Facts["group"])
				}
				if f.FirstFlagged > "2025-03-10" || f.FirstFlagged < "2025-03-08" {
					t.Errorf("first flagged %s, want within the burst", f.FirstFlagged)
				}
				if strings.Count(f.Cases, ",")+1 < 3*tt.burst {
					t.Errorf("evidence cases %s lack the burst's %d cases", f.Cases, 3*tt.burst)
				}
			}
		})
	}
}

func TestBaselineParams(t *testing.T) {
	for _, tt := range []struct {
		params map[string]any
		key    string
	}{
		{map[string]any{"method": "negbin", "k": 3.0}, ".k"},
		{map[string]any{"method": "poisson"}, ".method"},
		{map[string]any{"baseline_days": 3}, ".baseline_days"},
		{map[string]any{"group_by": []any{"township", "weather"}}, ".group_by[1]"},
		{map[string]any{"min_complainants": 0}, ".min_complainants"},
		{map[string]any{"lookback_days": 0}, ".lookback_days"},
	} {
		params := map[string]any{"signal": "baseline"}
		for k, v := range tt.params {
			params[k] = v
		}
		_, err := Compile([]Spec{{ID: "b", Kind: KindGroup, Weight: 1, Params: params}}, DefaultClocks())
		if err == nil || !strings.Contains(err.Error(), "rules[0].params"+tt.key+":") {
			t.Errorf("%v: error %v, want one naming rules[0].params%s", tt.params, err, tt.key)
		}
	}
}

// A burst right after a gap in the records (more than a fortnight with no contact of any kind)
// is not compared with the gap: its days are unknown, not a quiet baseline, and the series
// starts after it. The same burst after a quiet fortnight on record is flagged.
func TestBaselineAfterAGapInTheRecords(t *testing.T) {
	for _, tt := range []struct {
		name  string
		other []string // contacts elsewhere between the background and the burst
		want  bool
	}{
		{"a gap of 17 days", nil, false},
		{"the same days on record, quiet for this stratum", days("2025-02-25", 0, 7, 14), true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			q := datatest.New(t)
			add := caseAdder(t, q)
			// Background to 2025-02-18, then the burst from 2025-03-08 (17 days without a contact).
			for _, d := range days("2025-01-01", evenOffsets(50)...) {
				add("新桥乡", "劳资纠纷", d)
			}
			for _, d := range tt.other {
				add("城关镇", "征地拆迁", d)
			}
			for _, d := range days("2025-03-08", 0, 1, 2) {
				for range 4 {
					add("新桥乡", "劳资纠纷", d)
				}
			}
			flags := screenOne(t, q, Spec{Kind: KindGroup, Params: map[string]any{"signal": "baseline"}}, "2025-03-12")
			if got := len(flags) > 0; got != tt.want {
				t.Errorf("flagged %v, want %v: %v", got, tt.want, flags)
			}
		})
	}
}
