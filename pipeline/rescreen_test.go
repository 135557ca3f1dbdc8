package pipeline

import (
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"testing"
	"time"

	"github.com/earlywarn/earlywarn/configs"
)

// TestRescreeningGivesWhatAFullScreeningGives: over a sequence of nights, a database whose
// rules by case and by group screen again only the cases and groups that can have changed and
// one screened whole every night (Options.Full) give the same flags, watchlists, changes and
// due-soon lists. The nights take the sample as each day's export (a fifth of its contacts
// without a case id, so that links decide their cases), skip days, screen a day again with
// corrected records, go back two weeks over records already loaded and forward again, and from
// the fourth night carry late corrections (see correctOldRecords). The first four nights lack
// the contacts of 17 days of June, a gap in the records the fifth night's late records fill;
// the ninth closes the cases of a wave (which is then not flagged) and the last moves cases of
// another to another township. The repeat rule looks back 150 days here and the wave rule 168,
// so that contacts cross their horizons between nights (a wave of April leaves the wave rule's
// period on the seventh night), and the escalation rules flag more readily. The rescreening nights must have let flags stand and screened cases again; the wave
// rule is screened whole on the nights the gap is filled or the records before the last night
// changed otherwise, and when cases left their group. (The sample's waves give no night whose
// date alone changes a wave's facts at its end: that horizon of the wave rule is held to the
// full screening by the reasoning in rescreen_groups.sql only.)
func TestRescreeningGivesWhatAFullScreeningGives(t *testing.T) {
	defer func(n int64) { reasonRange = n }(reasonRange)
	reasonRange = 3 // reasons rendered a few flags at a time, carried or not
	base := sampleWithUnlinkedContacts(t)
	configure := func(name string) configs.Config {
		cfg := testConfig(t)
		cfg.Database = filepath.Join(t.TempDir(), name+".duckdb")
		cfg.Quarantine.MaxRejectRate = 0
		for i, r := range cfg.Rules {
			p := maps.Clone(r.Params)
			switch r.ID {
			case "repeat-contacts":
				p["lookback_days"] = 150
			case "escalation-continued":
				p["min_contacts"] = 1
			case "escalation-higher-level":
				p["min_levels_above"] = 1
			case "group-wave":
				p["lookback_days"] = 168
			}
			cfg.Rules[i].Params = p
		}
		return cfg
	}
	inc, full := configure("rescreened"), configure("full")
	if got := fmt.Sprint(inc.Rules); got != fmt.Sprint(full.Rules) {
		t.Fatal("the two databases' rules differ")
	}
	compared := []struct{ what, rows string }{
		{"flags", `SELECT * EXCLUDE (run_id) FROM flags WHERE run_id = $1 ORDER BY ALL`},
		{"watchlist", `SELECT * EXCLUDE (run_id) FROM watchlist WHERE run_id = $1 ORDER BY rank`},
		{"changes", `SELECT * EXCLUDE (run_id, prev_run_id) FROM matter_changes WHERE run_id = $1 ORDER BY ALL`},
		{"due soon", `SELECT * EXCLUDE (run_id) FROM due_soon WHERE run_id = $1 ORDER BY ALL`},
	}
	carried, rescreened := map[string]int64{}, map[string]int64{}
	textsKept := 0 // nights the hot-issue rule started from the counts the night before kept
	for i, n := range []struct {
		day       string
		corrected bool
	}{
		{"2025-09-20", false}, {"2025-09-21", false}, {"2025-09-23", false}, {"2025-09-23", true},
		{"2025-09-24", true}, {"2025-10-01", true}, {"2025-10-15", true}, {"2025-10-02", true}, {"2025-10-09", true},
		{"2025-10-10", true},
	} {
		input, _ := cutAt(t, base, n.day)
		if n.corrected {
			correctOldRecords(t, input)
		}
		if i < 4 {
			holdBackContacts(t, input, "2025-06-08", "2025-06-24")
		}
		if i >= 8 {
			closeCases(t, input, "河口镇", "2025-06-02", "2025-06-04", "2025-10-05")
		}
		if i >= 9 {
			moveCases(t, input, "石桥镇", "2025-08-24", "洪山镇")
		}
		night := func(cfg configs.Config, fullScreen bool) *Summary {
			t.Helper()
			cfg.Input = input
			s, err := Run(context.Background(), plan(t, cfg), Options{AsOf: asOf(t, n.day), Today: asOf(t, "2026-01-01"), Version: "test", Full: fullScreen})
			if err != nil {
				t.Fatal(err)
			}
			if s.RunID == "" {
				t.Fatalf("night %d (%s): no run stored", i+1, n.day)
			}
			return s
		}
		a, b := night(inc, false), night(full, true)
		if x, y := a.Rules["group-hot-issue"].Texts, b.Rules["group-hot-issue"].Texts; x == nil || y == nil || !y.All || x.Counted != y.Counted {
			t.Errorf("night %d: the hot-issue rule's texts %+v, screened whole %+v; want both, the second all counted, over as many texts", i+1, x, y)
		} else if !x.All {
			textsKept++
		}
		// The wave rule screens some groups only but on the first night, the nights the
		// stretches of the records before the night changed (the fourth: contacts corrected a
		// week earlier; the fifth: the gap filled), back in time (the eighth), and when cases
		// left their group (the tenth).
		whole := map[int]bool{0: true, 3: true, 4: true, 7: true, 9: true}
		if w := a.Rules["group-wave"].Rescreened; (w == nil) != whole[i] || w != nil && w.Groups == nil {
			t.Errorf("night %d (%s): the wave rule rescreened %+v, want it screened whole: %t", i+1, n.day, w, whole[i])
		}
		for id, r := range a.Rules {
			if b.Rules[id].Rescreened != nil {
				t.Errorf("night %d: the full screening rescreened rule %s", i+1, id)
			}
			if r.Rescreened != nil {
				carried[id] += r.Rescreened.Carried
				rescreened[id] += r.Rescreened.Cases
			}
		}
		for _, c := range compared {
			got, want := query(t, inc, c.rows, a.RunID), query(t, full, c.rows, b.RunID)
			if len(want) == 0 && c.what != "changes" && c.what != "due soon" {
				t.Fatalf("night %d (%s): the full screening has no %s", i+1, n.day, c.what)
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("night %d (%s): %s differ: %d rows rescreened, %d screened whole; first difference:\n%s",
					i+1, n.day, c.what, len(got), len(want), firstDifference(got, want))
			}
		}
	}
	if textsKept == 0 {
		t.Error("the hot-issue rule never started from the counts a night before kept")
	}
	for _, id := range []string{"repeat-contacts", "escalation-continued", "escalation-higher-level", "group-wave"} {
		if carried[id] == 0 || rescreened[id] == 0 {
			t.Errorf("rule %s: %d flags stood and %d cases were screened again over the nights, want some of each", id, carried[id], rescreened[id])
		}
	}
}

// holdBackContacts leaves out of the canonical files in dir the contacts dated from from to to:
// a gap in the records of more than 14 days, which the late records of a later night fill.
func holdBackContacts(t *testing.T, dir, from, to string) {
	t.Helper()
	contacts := readRecords(t, filepath.Join(dir, "contacts.csv"))
	kept := contacts[:1]
	for _, r := range contacts[1:] {
		if r[2] < from || r[2] > to {
			kept = append(kept, r)
		}
	}
	if len(kept) == len(contacts) {
		t.Fatalf("no contact from %s to %s to hold back", from, to)
	}
	writeRecords(t, filepath.Join(dir, "contacts.csv"), kept)
}

// moveCases corrects the township of the cases of township received on day to another, to:
// they leave their group.
func moveCases(t *testing.T, dir, township, day, to string) {
	t.Helper()
	cases := readRecords(t, filepath.Join(dir, "cases.csv"))
	moved := 0
	for _, r := range cases[1:] {
		if r[7] == township && r[1] == day {
			r[7] = to
			moved++
		}
	}
	if moved == 0 {
		t.Fatalf("no case of %s received on %s to move", township, day)
	}
	writeRecords(t, filepath.Join(dir, "cases.csv"), cases)
}

// closeCases records a close on day for the cases of township received from from to to, which
// were never closed: a wave whose cases are all resolved is not flagged.
func closeCases(t *testing.T, dir, township, from, to, day string) {
	t.Helper()
	events := readRecords(t, filepath.Join(dir, "events.csv"))
	closed := 0
	for _, c := range readRecords(t, filepath.Join(dir, "cases.csv"))[1:] {
		if c[7] == township && c[1] >= from && c[1] <= to {
			events = append(events, append([]string{"CLOSE" + c[0], c[0], "closed", day}, make([]string, len(events[0])-4)...))
			closed++
		}
	}
	if closed == 0 {
		t.Fatalf("no case of %s received from %s to %s to close", township, from, to)
	}
	writeRecords(t, filepath.Join(dir, "events.csv"), events)
}

// correctOldRecords makes late corrections in the canonical files in dir: contacts dated before
// September moved to the next contact's case, dated a week earlier or reaching the national
// level; answers of 31 August recorded for cases received before mid-August; some of those
// cases received at the city level, others (with several contacts) corrected to be received at
// the end of the year, after every screening date; and cases received in October whose first
// contact came five days before their receipt, at the national level (so that the higher-level
// rule flags them).
func correctOldRecords(t *testing.T, dir string) {
	t.Helper()
	contacts := readRecords(t, filepath.Join(dir, "contacts.csv"))
	for i := 1; i+1 < len(contacts) && contacts[i][2] < "2025-09-01"; i++ {
		r := contacts[i]
		switch {
		case i%41 == 0 && contacts[i+1][1] != "":
			r[1] = contacts[i+1][1]
		case i%43 == 0:
			r[2] = shiftDay(t, r[2], -7)
		case i%29 == 0:
			r[4] = "national"
		}
	}
	// Cases received in October whose first contact, at the national level, came five days
	// before.
	firsts := map[string]int{}
	for i := len(contacts) - 1; i > 0; i-- {
		firsts[contacts[i][1]] = i
	}
	for _, c := range readRecords(t, filepath.Join(dir, "cases.csv"))[1:] {
		if i, ok := firsts[c[0]]; ok && c[1] >= "2025-10-01" && c[0][len(c[0])-1]%2 == 0 && contacts[i][2] == c[1] {
			contacts[i][2], contacts[i][4] = shiftDay(t, c[1], -5), "national"
		}
	}
	writeRecords(t, filepath.Join(dir, "contacts.csv"), contacts)
	busy := map[string]int{} // contacts per case
	for _, r := range contacts[1:] {
		busy[r[1]]++
	}
	events := readRecords(t, filepath.Join(dir, "events.csv"))
	cases := readRecords(t, filepath.Join(dir, "cases.csv"))
	for i := 1; i < len(cases) && cases[i][1] < "2025-08-15"; i++ {
		switch {
		case i%37 == 0:
			events = append(events, append([]string{fmt.Sprintf("LATE%07d", i), cases[i][0], "answered", "2025-08-31"},
				make([]string, len(events[0])-4)...))
		case i%31 == 0:
			cases[i][3] = "city"
		case busy[cases[i][0]] >= 3 && i%5 == 0:
			cases[i][1] = "2025-12-31" // received after every night's as-of date: out of screening
		}
	}
	writeRecords(t, filepath.Join(dir, "events.csv"), events)
	writeRecords(t, filepath.Join(dir, "cases.csv"), cases)
}

// firstDifference shows the first row where got and want differ.
func firstDifference(got, want [][]any) string {
	for i := range max(len(got), len(want)) {
		var g, w any
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if fmt.Sprint(g) != fmt.Sprint(w) {
			return fmt.Sprintf("row %d\n rescreened: %v\n whole:      %v", i+1, g, w)
		}
	}
	return ""
}

// shiftDay moves an ISO date by days.
func shiftDay(t *testing.T, day string, days int) string {
	t.Helper()
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		t.Fatal(err)
	}
	return d.AddDate(0, 0, days).Format(time.DateOnly)
}
