package rules

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/earlywarn/earlywarn/data/datatest"
	"github.com/earlywarn/earlywarn/internal/db"
)

// flagRow is one flag as a test sees it.
type flagRow struct {
	Matter, Cases, Contacts, FirstFlagged string
	Strength                              float64
	Facts                                 map[string]any
}

// screenOne compiles spec, builds the case state as of asOf and returns the rule's flags by
// matter id.
func screenOne(t *testing.T, q *sql.Conn, spec Spec, asOf string) map[string]flagRow {
	t.Helper()
	if spec.ID == "" {
		spec.ID = "r"
	}
	if spec.Weight == 0 {
		spec.Weight = 1
	}
	rs, err := Compile([]Spec{spec}, DefaultClocks())
	if err != nil {
		t.Fatalf("compile: %v", err)
	}
	day, err := time.Parse(time.DateOnly, asOf)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range PrepareSQL(DefaultClocks(), day) {
		datatest.Exec(t, q, st.SQL, st.Args...)
	}
	for _, st := range LettersSQL(rs, day, day) {
		datatest.Exec(t, q, st.SQL, st.Args...)
	}
	if err := rs[0].Materialize(context.Background(), q, day); err != nil {
		t.Fatalf("rule: %v", err)
	}
	out := map[string]flagRow{}
	err = db.Query(context.Background(), q, `SELECT matter_id, array_to_string(case_ids, ','),
  array_to_string(contact_ids, ','), strftime(first_flagged, '%Y-%m-%d'), strength, facts
FROM `+db.Ident(FlagsTable), nil, func(rows *sql.Rows) error {
		var f flagRow
		var facts string
		if err := rows.Scan(&f.Matter, &f.Cases, &f.Contacts, &f.FirstFlagged, &f.Strength, &facts); err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(facts), &f.Facts); err != nil {
			return fmt.Errorf("facts %s: %w", facts, err)
		}
		for _, lang := range Languages {
			if _, err := rs[0].Reason(lang, facts); err != nil {
				t.Errorf("reason %s for %s: %v", lang, f.Matter, err)
			}
		}
		out[f.Matter] = f
		return nil
	})
	if err != nil {
		t.Fatalf("rule flags: %v", err)
	}
	return out
}

func days(from string, offsets ...int) []string {
	d, _ := time.Parse(time.DateOnly, from)
	out := make([]string, len(offsets))
	for i, o := range offsets {
		out[i] = d.AddDate(0, 0, o).Format(time.DateOnly)
	}
	return out
}

// contactsOn makes one contact of case id on each date, with levels in turn if given.
func contactsOn(id string, dates []string, levels ...string) []datatest.Contact {
	out := make([]datatest.Contact, len(dates))
	for i, d := range dates {
		out[i] = datatest.Contact{ID: fmt.Sprintf("%s-v%d", id, i), CaseID: id, Date: d}
		if i < len(levels) {
			out[i].Level = levels[i]
		}
	}
	return out
}

func TestRepeatVisits(t *testing.T) {
	const asOf = "2025-06-30"
	spec := Spec{Kind: KindRepeat, Params: map[string]any{"window_days": 90, "min_contacts": 4, "lookback_days": 365}}
	tests := []struct {
		name      string
		dates     []string
		levels    []string
		events    []datatest.Event
		wantFlag  bool
		wantFirst string
	}{
		{name: "four contacts within 90 days, at the threshold", dates: days("2025-03-01", 0, 30, 60, 89), wantFlag: true, wantFirst: "2025-05-29"},
		{name: "four contacts spanning 91 days: window edge excludes the first", dates: days("2025-03-01", 0, 30, 60, 90)},
		{name: "three contacts, below the threshold", dates: days("2025-05-01", 0, 1, 2)},
		{name: "a fourth contact after the as-of date is not seen", dates: append(days("2025-06-01", 0, 5, 10), "2025-07-02")},
		{name: "outside the lookback", dates: days("2024-03-01", 0, 1, 2, 3)},
		{name: "closed, no contact after the close: resolved", dates: days("2025-05-01", 0, 1, 2, 3),
			events: []datatest.Event{{Type: "accepted", Date: "2025-05-02"}, {Type: "closed", Date: "2025-05-10"}}},
		{name: "closed but contacts continue: unresolved", dates: days("2025-05-01", 0, 1, 2, 30),
			events:   []datatest.Event{{Type: "accepted", Date: "2025-05-02"}, {Type: "closed", Date: "2025-05-10"}},
			wantFlag: true, wantFirst: "2025-05-31"},
		{name: "answered, contacts continue", dates: days("2025-05-01", 0, 10, 20, 30),
			events:   []datatest.Event{{Type: "accepted", Date: "2025-05-02"}, {Type: "answered", Date: "2025-05-05"}},
			wantFlag: true, wantFirst: "2025-05-31"},
		{name: "climbing levels", dates: days("2025-05-01", 0, 10, 20, 30), levels: []string{"county", "city", "city", "province"},
			wantFlag: true, wantFirst: "2025-05-31"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := datatest.New(t)
			id := fmt.Sprintf("c%d", i)
			datatest.AddCases(t, q, datatest.Case{ID: id, Received: tt.dates[0]})
			datatest.AddContacts(t, q, contactsOn(id, tt.dates, tt.levels...)...)
			for j, e := range tt.events {
				e.ID, e.CaseID = fmt.Sprintf("%s-e%d", id, j), id
				datatest.AddEvents(t, q, e)
			}
			flags := screenOne(t, q, spec, asOf)
			f, got := flags["case:"+id]
			if got != tt.wantFlag {
				t.Fatalf("flagged = %v, want %v (flags %v)", got, tt.wantFlag, flags)
			}
			if !got {
				return
			}
			if f.FirstFlagged != tt.wantFirst {
				t.Errorf("first flagged %s, want %s", f.FirstFlagged, tt.wantFirst)
			}
			if f.Strength < 1 {
				t.Errorf("strength %v < 1 for a flag", f.Strength)
			}
			if tt.levels != nil && (f.Facts["top_level"] != "province" || f.Facts["levels_climbed"] != float64(2)) {
				t.Errorf("escalation facts %v", f.Facts)
			}
			if n := len(strings.Split(f.Contacts, ",")); n < 4 {
				t.Errorf("evidence has %d contacts, want at least 4: %s", n, f.Contacts)
			}
		})
	}
}

// The evidence of a repeat flag is the contacts of the latest window holding the peak count,
// and the facts the reason cites (count, people, first and last date) are theirs; only
// total_contacts covers the whole lookback.
func TestRepeatEvidenceIsTheLatestPeakWindow(t *testing.T) {
	q := datatest.New(t)
	// Four contacts in February, one in April, four in June: two windows of 30 days hold the
	// peak of four, and the June one is the latest.
	dates := []string{"2025-02-01", "2025-02-05", "2025-02-10", "2025-02-15", "2025-04-20",
		"2025-06-01", "2025-06-05", "2025-06-10", "2025-06-15"}
	datatest.AddCases(t, q, datatest.Case{ID: "c1", Received: dates[0]})
	datatest.AddContacts(t, q, contactsOn("c1", dates)...)
	spec := Spec{Kind: KindRepeat, Params: map[string]any{"window_days": 30, "min_contacts": 4, "lookback_days": 365}}
	f, ok := screenOne(t, q, spec, "2025-06-30")["case:c1"]
	if !ok {
		t.Fatal("case not flagged")
	}
	if want := "c1-v5,c1-v6,c1-v7,c1-v8"; f.Contacts != want {
		t.Errorf("evidence %s, want the June window %s", f.Contacts, want)
	}
	if f.FirstFlagged != "2025-02-15" {
		t.Errorf("first flagged %s, want 2025-02-15 (the first window at the threshold)", f.FirstFlagged)
	}
	for fact, want := range map[string]any{"contacts": float64(4), "total_contacts": float64(9), "persons": float64(1),
		"first_contact": "2025-06-01", "last_contact": "2025-06-15", "levels_climbed": float64(0)} {
		if f.Facts[fact] != want {
			t.Errorf("fact %s = %v, want %v", fact, f.Facts[fact], want)
		}
	}
}

func TestGroupHeadCount(t *testing.T) {
	spec := Spec{Kind: KindGroup, Params: map[string]any{"signal": "head_count", "min_people": 5}}
	for _, tt := range []struct {
		name   string
		people int
		closed bool
		want   bool
	}{
		{"five people, at the threshold", 5, false, true},
		{"four people", 4, false, false},
		{"forty people", 40, false, true},
		{"resolved case", 12, true, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			q := datatest.New(t)
			datatest.AddCases(t, q, datatest.Case{ID: "c1", Received: "2025-05-01", HeadCount: tt.people})
			datatest.AddContacts(t, q, datatest.Contact{ID: "v1", CaseID: "c1", Date: "2025-05-01", HeadCount: tt.people})
			if tt.closed {
				datatest.AddEvents(t, q, datatest.Event{ID: "e1", CaseID: "c1", Type: "closed", Date: "2025-05-20"})
			}
			flags := screenOne(t, q, spec, "2025-06-30")
			f, got := flags["case:c1"]
			if got != tt.want {
				t.Fatalf("flagged = %v, want %v", got, tt.want)
			}
			if got && (f.FirstFlagged != "2025-05-01" || f.Contacts != "v1" || f.Facts["people"] != float64(tt.people)) {
				t.Errorf("flag %+v", f)
			}
		})
	}
}

func TestGroupWave(t *testing.T) {
	spec := Spec{Kind: KindGroup, Params: map[string]any{"signal": "wave", "group_by": []any{"township", "category", "target_org"},
		"window_days": 5, "min_complainants": 6}}
	for _, tt := range []struct {
		name      string
		offsets   []int  // day offset of each complainant's case
		repeatOne bool   // the last case comes from the first complainant
		target    string // target of the last case, when it differs
		want      bool
		wantFirst string
	}{
		{name: "six complainants within five days", offsets: []int{0, 0, 1, 2, 3, 4}, want: true, wantFirst: "2025-05-05"},
		{name: "six complainants over six days", offsets: []int{0, 1, 2, 3, 4, 5}},
		{name: "five distinct complainants, one twice", offsets: []int{0, 0, 1, 2, 3, 4}, repeatOne: true},
		{name: "one case about another organisation", offsets: []int{0, 0, 1, 2, 3, 4}, target: "县住建局"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			q := datatest.New(t)
			for i, off := range tt.offsets {
				id := fmt.Sprintf("c%d", i)
				c := datatest.Case{ID: id, Received: days("2025-05-01", off)[0]}
				if i == len(tt.offsets)-1 {
					if tt.repeatOne {
						c.Complainant = "P-c0"
					}
					c.Target = tt.target
				}
				datatest.AddCases(t, q, c)
				datatest.AddContacts(t, q, datatest.Contact{ID: "v" + id, CaseID: id, Date: c.Received, Person: or(c.Complainant, "P-"+id)})
			}
			flags := screenOne(t, q, spec, "2025-06-30")
			if got := len(flags) == 1; got != tt.want {
				t.Fatalf("flagged = %v, want %v: %v", got, tt.want, flags)
			}
			for id, f := range flags {
				if !strings.HasPrefix(id, "group:") || f.FirstFlagged != tt.wantFirst || f.Cases != "c0,c1,c2,c3,c4,c5" {
					t.Errorf("flag %s %+v", id, f)
				}
				if f.Facts["complainants"] != float64(6) || f.Facts["group"] != "城关镇 / 征地拆迁 / 县自然资源局" {
					t.Errorf("facts %v", f.Facts)
				}
			}
		})
	}
}

// The wave rule's sweep, with its block prefilter, agrees with counting distinct complainants
// in every window by brute force: the same groups flagged, on the same first day, at the same
// peak. These groups are busy, so the test against their own rate is off (alpha 1).
func TestGroupWaveMatchesBruteForce(t *testing.T) {
	const window, minPeople, asOf = 5, 10, "2025-06-30"
	targets := []string{"县自然资源局", "县住建局", "县人社局"}
	spec := Spec{Kind: KindGroup, Params: map[string]any{"signal": "wave", "group_by": []any{"township", "category", "target_org"},
		"window_days": window, "min_complainants": minPeople, "alpha": 1}}
	start, _ := time.Parse(time.DateOnly, "2025-04-01")
	for seed := uint64(1); seed <= 8; seed++ {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 7))
			q := datatest.New(t)
			type seen struct{ person, day int }
			byTarget := map[string][]seen{}
			for i := range 150 {
				id := fmt.Sprintf("c%d", i)
				target := targets[rng.IntN(len(targets))]
				person := rng.IntN(20)
				first := rng.IntN(60)
				datatest.AddCases(t, q, datatest.Case{ID: id, Received: start.AddDate(0, 0, first).Format(time.DateOnly),
					Complainant: fmt.Sprint("P", person), Target: target})
				for j := range 1 + rng.IntN(3) {
					day := first + j*rng.IntN(6)
					datatest.AddContacts(t, q, datatest.Contact{ID: fmt.Sprintf("%s-v%d", id, j), CaseID: id,
						Date: start.AddDate(0, 0, day).Format(time.DateOnly), Person: fmt.Sprint("P", person)})
					byTarget[target] = append(byTarget[target], seen{person, day})
				}
			}
			type want struct {
				first string
				peak  int
			}
			expected := map[string]want{}
			for target, cs := range byTarget {
				for day := 0; day < 91; day++ {
					people := map[int]bool{}
					for _, c := range cs {
						if c.day > day-window && c.day <= day {
							people[c.person] = true
						}
					}
					if len(people) < minPeople {
						continue
					}
					w, ok := expected[target]
					if !ok {
						w.first = start.AddDate(0, 0, day).Format(time.DateOnly)
					}
					w.peak = max(w.peak, len(people))
					expected[target] = w
				}
			}
			got := map[string]want{}
			for _, f := range screenOne(t, q, spec, asOf) {
				target := strings.TrimPrefix(f.Facts["group"].(string), "城关镇 / 征地拆迁 / ")
				w, ok := got[target]
				if !ok || f.FirstFlagged < w.first {
					w.first = f.FirstFlagged
				}
				w.peak = max(w.peak, int(f.Facts["peak"].(float64)))
				got[target] = w
			}
			if !maps.Equal(got, expected) {
				t.Errorf("rule found %v, brute force %v", got, expected)
			}
		})
	}
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func TestGroupCopiedLetters(t *testing.T) {
	const text = "我们是新桥村村民，县自然资源局2023年征收我村土地120亩，至今补偿款未足额发放，请求依法处理。"
	variant := "我们是新桥村村民 县自然资源局2024年征收我村土地95亩！至今补偿款未足额发放 请求依法处理"
	spec := Spec{Kind: KindGroup, Params: map[string]any{"signal": "copied_letters", "min_complainants": 3}}
	for _, tt := range []struct {
		name     string
		contents []string
		persons  []string
		channel  string
		want     bool
	}{
		{"three complainants, digits and punctuation differ", []string{text, variant, text}, []string{"a", "b", "c"}, "letter", true},
		{"two complainants", []string{text, variant}, []string{"a", "b"}, "letter", false},
		{"one complainant three times", []string{text, variant, text}, []string{"a", "a", "a"}, "letter", false},
		{"different wording on the same topic", []string{text, variant, "县自然资源局征收新桥村土地补偿款没有发放到位，村民多次反映无果。"}, []string{"a", "b", "c"}, "letter", false},
		{"visits are not letters", []string{text, variant, text}, []string{"a", "b", "c"}, "visit", false},
		{"too short to compare", []string{"欠薪", "欠薪", "欠薪"}, []string{"a", "b", "c"}, "letter", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			q := datatest.New(t)
			for i, content := range tt.contents {
				id := fmt.Sprintf("c%d", i)
				datatest.AddCases(t, q, datatest.Case{ID: id, Received: days("2025-05-01", i*3)[0], Channel: tt.channel,
					Complainant: tt.persons[i], Content: content})
			}
			flags := screenOne(t, q, spec, "2025-06-30")
			if got := len(flags) == 1; got != tt.want {
				t.Fatalf("flagged = %v, want %v: %v", got, tt.want, flags)
			}
			for _, f := range flags {
				if f.Cases != "c0,c1,c2" || f.FirstFlagged != "2025-05-07" {
					t.Errorf("flag %+v", f)
				}
			}
		})
	}
}

func TestStalledCase(t *testing.T) {
	for _, tt := range []struct {
		name      string
		check     map[string]any
		events    []datatest.Event
		asOf      string
		want      bool
		wantFirst string
	}{
		{name: "one day past the handling deadline", check: map[string]any{"check": "overdue"},
			events: []datatest.Event{{Type: "accepted", Date: "2025-01-10"}}, asOf: "2025-03-12", want: true, wantFirst: "2025-03-12"},
		{name: "on the deadline day", check: map[string]any{"check": "overdue"},
			events: []datatest.Event{{Type: "accepted", Date: "2025-01-10"}}, asOf: "2025-03-11"},
		{name: "an extension moves the deadline 30 days", check: map[string]any{"check": "overdue"},
			events: []datatest.Event{{Type: "accepted", Date: "2025-01-10"}, {Type: "extended", Date: "2025-03-01"}}, asOf: "2025-04-01"},
		{name: "not accepted within 15 days", check: map[string]any{"check": "overdue"}, asOf: "2025-01-20", want: true, wantFirst: "2025-01-18"},
		{name: "answered cases wait on the complainant", check: map[string]any{"check": "overdue"},
			events: []datatest.Event{{Type: "accepted", Date: "2025-01-10"}, {Type: "answered", Date: "2025-04-01"}}, asOf: "2025-06-01"},
		{name: "review overdue", check: map[string]any{"check": "overdue"},
			events: []datatest.Event{{Type: "accepted", Date: "2025-01-05"}, {Type: "answered", Date: "2025-02-01"}, {Type: "review_requested", Date: "2025-02-10"}},
			asOf:   "2025-03-20", want: true, wantFirst: "2025-03-13"},
		{name: "closed late is not stalled", check: map[string]any{"check": "overdue"},
			events: []datatest.Event{{Type: "accepted", Date: "2025-01-10"}, {Type: "closed", Date: "2025-05-01"}}, asOf: "2025-06-01"},
		{name: "no progress for exactly 90 days", check: map[string]any{"check": "no_progress", "min_days": 90},
			events: []datatest.Event{{Type: "accepted", Date: "2025-01-10"}, {Type: "extended", Date: "2025-03-01"}}, asOf: "2025-04-10", want: true, wantFirst: "2025-04-10"},
		{name: "no progress for 89 days", check: map[string]any{"check": "no_progress", "min_days": 90},
			events: []datatest.Event{{Type: "accepted", Date: "2025-01-10"}}, asOf: "2025-04-09"},
		{name: "two extensions", check: map[string]any{"check": "extensions", "min_extensions": 2},
			events: []datatest.Event{{Type: "accepted", Date: "2025-01-10"}, {Type: "extended", Date: "2025-03-01"}, {Type: "extended", Date: "2025-03-20"}},
			asOf:   "2025-04-01", want: true, wantFirst: "2025-03-20"},
		{name: "one extension", check: map[string]any{"check": "extensions", "min_extensions": 2},
			events: []datatest.Event{{Type: "accepted", Date: "2025-01-10"}, {Type: "extended", Date: "2025-03-01"}}, asOf: "2025-04-01"},
		{name: "reopening restarts the extension count", check: map[string]any{"check": "extensions", "min_extensions": 2},
			events: []datatest.Event{{Type: "accepted", Date: "2025-01-10"}, {Type: "extended", Date: "2025-02-01"}, {Type: "extended", Date: "2025-03-01"},
				{Type: "closed", Date: "2025-03-10"}, {Type: "reopened", Date: "2025-03-20"}, {Type: "extended", Date: "2025-04-01"}}, asOf: "2025-04-10"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			q := datatest.New(t)
			datatest.AddCases(t, q, datatest.Case{ID: "c1", Received: "2025-01-02"})
			for j, e := range tt.events {
				e.ID, e.CaseID = fmt.Sprintf("e%d", j), "c1"
				datatest.AddEvents(t, q, e)
			}
			flags := screenOne(t, q, Spec{Kind: KindStalled, Params: tt.check}, tt.asOf)
			f, got := flags["case:c1"]
			if got != tt.want {
				t.Fatalf("flagged = %v, want %v: %v", got, tt.want, flags)
			}
			if got && f.FirstFlagged != tt.wantFirst {
				t.Errorf("first flagged %s, want %s", f.FirstFlagged, tt.wantFirst)
			}
		})
	}
}

// Copies from several townships (or categories) name the one most of them come from and say how
// many there are: a leader must not read a county-wide copy as one township's. The reason says
// what was copied: letters, online messages or both.
func TestCopiedLettersNameTheirTownships(t *testing.T) {
	const text = "我们是新桥村村民，县自然资源局2023年征收我村土地120亩，至今补偿款未足额发放，请求依法处理。"
	for _, similarity := range []float64{1, 0.8} {
		for _, c := range []struct {
			channels []string
			want, zh string
		}{
			{[]string{"letter", "letter", "letter", "letter"}, "letter", "的来信4件"},
			{[]string{"online", "online", "online", "online"}, "online", "的网上信访4件"},
			{[]string{"letter", "online", "online", "online"}, "mixed", "的来信和网上信访4件"},
		} {
			t.Run(fmt.Sprint("similarity ", similarity, " ", c.want), func(t *testing.T) {
				q := datatest.New(t)
				for i, town := range []string{"新桥乡", "城关镇", "城关镇", "金山镇"} {
					id := fmt.Sprintf("c%d", i)
					datatest.AddCases(t, q, datatest.Case{ID: id, Received: days("2025-05-01", i)[0], Channel: c.channels[i],
						Complainant: fmt.Sprint("p", i), Content: text, Township: town, Category: "征地拆迁"})
				}
				spec := Spec{Kind: KindGroup, Params: map[string]any{"signal": "copied_letters", "min_complainants": 3, "similarity": similarity}}
				flags := screenOne(t, q, spec, "2025-06-30")
				if len(flags) != 1 {
					t.Fatalf("%d flags, want 1: %v", len(flags), flags)
				}
				rs, err := Compile([]Spec{{ID: "r", Kind: KindGroup, Weight: 1, Params: spec.Params}}, DefaultClocks())
				if err != nil {
					t.Fatal(err)
				}
				for _, f := range flags {
					if f.Facts["township"] != "城关镇" || f.Facts["townships"] != 3.0 || f.Facts["categories"] != 1.0 || f.Facts["channel"] != c.want {
						t.Errorf("facts %v, want 城关镇 of 3 townships, one category, channel %s", f.Facts, c.want)
					}
					zh, err := rs[0].Reason("zh", factsJSON(t, f.Facts))
					if err != nil || !strings.Contains(zh, "（城关镇等3个乡镇街道，征地拆迁") || !strings.Contains(zh, c.zh) {
						t.Errorf("zh reason %q, %v; want %q", zh, err, c.zh)
					}
					en, err := rs[0].Reason("en", factsJSON(t, f.Facts))
					if err != nil || !strings.Contains(en, "(3 townships, most from 城关镇, 征地拆迁") {
						t.Errorf("en reason %q, %v", en, err)
					}
				}
			})
		}
	}
}
