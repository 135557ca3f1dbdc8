package rules

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/earlywarn/earlywarn/data/datatest"
)

// addPeople adds one new complainant's case, with one contact, on each of dates, about target.
func addPeople(t *testing.T, q *sql.Conn, prefix, target string, dates []string) {
	t.Helper()
	for i, d := range dates {
		id := fmt.Sprintf("%s%d", prefix, i)
		datatest.AddCases(t, q, datatest.Case{ID: id, Received: d, Target: target})
		datatest.AddContacts(t, q, datatest.Contact{ID: "v" + id, CaseID: id, Date: d, Person: "P-" + id})
	}
}

func waveSpec(params map[string]any) Spec {
	p := map[string]any{"signal": "wave", "group_by": []any{"township", "category", "target_org"},
		"window_days": 5, "min_complainants": 6}
	for k, v := range params {
		p[k] = v
	}
	return Spec{Kind: KindGroup, Params: p}
}

// Six unrelated people in five days are ordinary where about one person a day comes (a busy
// group) and unusual where nobody came for weeks (a quiet one): only the quiet group is flagged,
// and its facts say what was expected. With alpha 1 the floor alone flags both.
func TestWaveAdaptsToItsGroup(t *testing.T) {
	q := datatest.New(t)
	// Busy: one new complainant every day from March to June, and one more on 20 May, so that
	// the windows ending 20–24 May hold six people.
	var busy []int
	for i := range 122 {
		busy = append(busy, i)
	}
	addPeople(t, q, "b", "县人社局", days("2025-03-01", busy...))
	addPeople(t, q, "bx", "县人社局", []string{"2025-05-20"})
	// Quiet: nobody since March, then six people from 20 to 23 May.
	addPeople(t, q, "q", "县自然资源局", days("2025-05-20", 0, 0, 1, 2, 3, 3))

	flags := screenOne(t, q, waveSpec(nil), "2025-06-30")
	if len(flags) != 1 {
		t.Fatalf("%d flags, want the quiet group's only: %v", len(flags), flags)
	}
	for _, f := range flags {
		if !strings.HasSuffix(f.Facts["group"].(string), "县自然资源局") || f.Cases != "q0,q1,q2,q3,q4,q5" || f.FirstFlagged != "2025-05-23" {
			t.Errorf("flag %+v", f)
		}
		// An empty baseline expects the floor of the daily mean: 0.1 a day, 0.5 in five days;
		// six or more then have a probability of about 1.4e-5.
		p, _ := f.Facts["p_value"].(float64)
		if f.Facts["observed"] != 6.0 || f.Facts["expected"] != 0.5 || f.Facts["baseline_days"] != 56.0 || !(p > 1e-5 && p < 2e-5) {
			t.Errorf("facts %v", f.Facts)
		}
		if f.Strength != 1 {
			t.Errorf("strength %v, want 1 (six, the floor)", f.Strength)
		}
	}

	all := screenOne(t, q, waveSpec(map[string]any{"alpha": 1}), "2025-06-30")
	if len(all) != 2 {
		t.Fatalf("alpha 1: %d flags, want both groups: %v", len(all), all)
	}
	for _, f := range all {
		if strings.HasSuffix(f.Facts["group"].(string), "县人社局") {
			// The busy group's windows hold five people every day.
			if f.Facts["expected"] != 5.0 || f.Facts["p_value"].(float64) < 0.3 {
				t.Errorf("busy group's facts %v", f.Facts)
			}
		}
	}
}

// A wave shortly after another in the same group is flagged too: the windows of the first are
// left out of the second's baseline. A busy group's own windows above the floor are not left
// out: a group that is always above it is not unusual.
func TestWaveAfterAWave(t *testing.T) {
	q := datatest.New(t)
	addPeople(t, q, "early", "县住建局", []string{"2025-01-02"}) // the first contact on record
	addPeople(t, q, "a", "县自然资源局", days("2025-05-01", 0, 0, 0, 1, 1, 1, 2, 2, 2, 2))
	addPeople(t, q, "b", "县自然资源局", days("2025-05-19", 0, 0, 1, 1, 2, 2))
	flags := screenOne(t, q, waveSpec(nil), "2025-06-30")
	got := map[string]string{}
	for _, f := range flags {
		got[f.FirstFlagged] = f.Cases
	}
	if len(flags) != 2 || got["2025-05-02"] != "a0,a1,a2,a3,a4,a5,a6,a7,a8,a9" || got["2025-05-21"] != "b0,b1,b2,b3,b4,b5" {
		t.Errorf("flags %v, want the waves of 1 and 19 May", got)
	}

	// Busy: eight new people every day for two months, then ten one day.
	q = datatest.New(t)
	var dates []string
	for i := range 61 {
		for range 8 {
			dates = append(dates, days("2025-03-01", i)[0])
		}
	}
	dates = append(dates, days("2025-05-01", 0, 0)...)
	addPeople(t, q, "c", "县人社局", dates)
	for _, f := range screenOne(t, q, waveSpec(nil), "2025-06-30") {
		if f.FirstFlagged >= "2025-04-28" {
			t.Errorf("a busy group flagged on %s: %v", f.FirstFlagged, f.Facts)
		}
	}
}

// At the start of the data, with too few days on record to know a group's rate, the floor alone
// decides, and the facts and reason say that no rate was known. Twelve people there reach twice
// the floor, but a count alone does not make a strong flag: its strength is at most 1 (orange at
// most, not red, by default), while twelve later in the data, tested against their group's rate,
// are twice the floor.
func TestWaveAtTheStartOfTheData(t *testing.T) {
	q := datatest.New(t)
	addPeople(t, q, "a", "县自然资源局", days("2025-01-10", 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 2))
	addPeople(t, q, "b", "县住建局", days("2025-05-20", 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 2))
	var weekly []int // records with no gap from January, so that May's windows have a rate to test
	for d := 0; d < 180; d += 7 {
		weekly = append(weekly, d)
	}
	addPeople(t, q, "c", "县教育局", days("2025-01-03", weekly...))
	flags := screenOne(t, q, waveSpec(nil), "2025-06-30")
	if len(flags) != 2 {
		t.Fatalf("%d flags, want 2", len(flags))
	}
	for _, f := range flags {
		if f.Facts["observed"] != 12.0 || f.Facts["peak"] != 12.0 {
			t.Errorf("facts %v", f.Facts)
		}
		if !strings.HasSuffix(f.Facts["group"].(string), "县自然资源局") {
			if f.Strength != 2 || f.Facts["expected"] == nil {
				t.Errorf("tested flag: strength %v, facts %v; want 2, with what was expected", f.Strength, f.Facts)
			}
			continue
		}
		if f.Facts["expected"] != nil || f.Facts["p_value"] != nil || f.Facts["baseline_days"] != nil {
			t.Errorf("facts %v", f.Facts)
		}
		if f.Strength != 1 {
			t.Errorf("strength %v, want 1: judged by the count alone", f.Strength)
		}
		for lang, says := range map[string]string{"zh": "只按人数判断", "en": "judged by the count alone"} {
			rs, err := Compile([]Spec{{ID: "w", Kind: KindGroup, Weight: 1, Params: waveSpec(nil).Params}}, DefaultClocks())
			if err != nil {
				t.Fatal(err)
			}
			reason, err := rs[0].Reason(lang, factsJSON(t, f.Facts))
			if err != nil || strings.Contains(reason, "<no value>") || strings.Contains(reason, "56") || !strings.Contains(reason, says) {
				t.Errorf("%s reason %q, %v", lang, reason, err)
			}
		}
	}
}

func TestWaveParamsMustMakeSense(t *testing.T) {
	for _, tt := range []struct {
		params map[string]any
		key    string
	}{
		{map[string]any{"alpha": 0}, "alpha"},
		{map[string]any{"alpha": 1.5}, "alpha"},
		{map[string]any{"baseline_days": 5}, "baseline_days"},
		{map[string]any{"guard_days": -1}, "guard_days"},
		{map[string]any{"min_mean": 0}, "min_mean"},
	} {
		spec := waveSpec(tt.params)
		spec.ID, spec.Weight = "w", 1
		_, err := Compile([]Spec{spec}, DefaultClocks())
		if err == nil || !strings.Contains(err.Error(), "rules[0].params."+tt.key+":") {
			t.Errorf("%v: error %v", tt.params, err)
		}
	}
	spec := waveSpec(map[string]any{"alpha": 1})
	spec.ID, spec.Weight = "w", 1
	if _, err := Compile([]Spec{spec}, DefaultClocks()); err != nil {
		t.Errorf("alpha 1: %v", err)
	}
}

func factsJSON(t *testing.T, facts map[string]any) string {
	t.Helper()
	b, err := json.Marshal(facts)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// After a gap in the records (more than a fortnight with no contact of any kind, as when an
// export misses months), the days of the gap are unknown, not quiet: a wave right after it is
// judged by the floor alone, and its facts claim no expected count.
func TestWaveAfterAGapInTheRecords(t *testing.T) {
	for _, tt := range []struct {
		name     string
		lastDay  string // the last day of the background before the wave
		expected any
	}{
		{"no gap: the quiet weeks are known", "2025-05-10", 0.5},
		{"a gap of 15 days: unknown", "2025-05-04", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			q := datatest.New(t)
			var bg []int
			for i := 0; days("2025-01-01", i)[0] <= tt.lastDay; i++ {
				bg = append(bg, i)
			}
			addPeople(t, q, "b", "县人社局", days("2025-01-01", bg...))
			addPeople(t, q, "q", "县自然资源局", days("2025-05-20", 0, 0, 1, 2, 3, 3))
			flags := screenOne(t, q, waveSpec(nil), "2025-06-30")
			if len(flags) != 1 {
				t.Fatalf("%d flags, want the quiet group's: %v", len(flags), flags)
			}
			for _, f := range flags {
				if f.Facts["expected"] != tt.expected || f.Facts["observed"] != 6.0 {
					t.Errorf("facts %v, want expected %v", f.Facts, tt.expected)
				}
			}
		})
	}
}

// A window before a gap in the records is tested against the records before it, as it was when
// they were the latest: a group busy all along is ordinary there, not judged by the count alone
// because a later gap made the latest stretch short (a new user's council export: five
// clusters of ordinary workload listed for months before a gap), and a quiet group's sudden six
// are unusual, with the rate they were compared with.
func TestWaveBeforeAGapInTheRecords(t *testing.T) {
	q := datatest.New(t)
	var daily []int
	for i := 0; days("2024-10-01", i)[0] <= "2025-04-30"; i++ {
		daily = append(daily, i)
	}
	addPeople(t, q, "b", "县人社局", days("2024-10-01", daily...))  // one person a day
	addPeople(t, q, "a", "县住建局", days("2024-10-01", daily...))  // two a day: ten in five days
	addPeople(t, q, "a2", "县住建局", days("2024-10-01", daily...)) //
	addPeople(t, q, "q", "县自然资源局", days("2025-04-10", 0, 0, 1, 2, 3, 3))
	var june []int // after a gap of May, the records resume
	for i := range 30 {
		june = append(june, i)
	}
	addPeople(t, q, "j", "县人社局", days("2025-06-01", june...))
	flags := screenOne(t, q, waveSpec(map[string]any{"lookback_days": 90}), "2025-06-30")
	if len(flags) != 1 {
		t.Fatalf("%d flags, want the quiet group's only: %v", len(flags), flags)
	}
	for _, f := range flags {
		if !strings.HasSuffix(f.Facts["group"].(string), "县自然资源局") || f.Facts["expected"] != 0.5 || f.Facts["baseline_days"] != 56.0 || f.Strength != 1 {
			t.Errorf("flag %+v, want the quiet group's six tested against 56 days before them", f)
		}
	}
}

// Cases that share a placeholder (a profile's default such as Unspecified for a missing
// organisation) share no place or issue: six people in five days there form no group, six at a
// named organisation do.
func TestWaveFormsNoGroupOnAPlaceholder(t *testing.T) {
	q := datatest.New(t)
	addPeople(t, q, "u", "Unspecified", days("2025-05-20", 0, 0, 1, 2, 3, 3))
	addPeople(t, q, "w", "未注明单位", days("2025-05-20", 0, 0, 1, 2, 3, 3))
	addPeople(t, q, "n", "县自然资源局", days("2025-05-20", 0, 0, 1, 2, 3, 3))
	flags := screenOne(t, q, waveSpec(nil), "2025-06-30")
	if len(flags) != 1 {
		t.Fatalf("%d flags, want the named organisation's only: %v", len(flags), flags)
	}
	for _, f := range flags {
		if !strings.HasSuffix(f.Facts["group"].(string), "县自然资源局") {
			t.Errorf("flag %+v", f)
		}
	}
}
