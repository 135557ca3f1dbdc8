package rules

import (
	"fmt"
	"strings"
	"testing"

	"github.com/earlywarn/earlywarn/data/datatest"
)

func TestEscalation(t *testing.T) {
	accepted := datatest.Event{Type: "accepted", Date: "2025-01-05"}
	for _, tt := range []struct {
		name        string
		params      map[string]any
		caseLevel   string
		contacts    []datatest.Contact // case c1; ids and case filled in
		events      []datatest.Event
		asOf        string
		want        bool
		wantFirst   string
		wantContact string
		wantFacts   map[string]any
	}{
		{name: "county case reaches the province", params: map[string]any{"check": "higher_level"},
			contacts: []datatest.Contact{{Date: "2025-02-01", Level: "city"}, {Date: "2025-02-20", Level: "province"}},
			events:   []datatest.Event{accepted}, asOf: "2025-03-01", want: true, wantFirst: "2025-02-20", wantContact: "c1-v1"},
		{name: "one level up is below the default threshold", params: map[string]any{"check": "higher_level"},
			contacts: []datatest.Contact{{Date: "2025-02-01", Level: "city"}, {Date: "2025-02-20", Level: "city"}},
			events:   []datatest.Event{accepted}, asOf: "2025-03-01"},
		{name: "one level up at threshold 1", params: map[string]any{"check": "higher_level", "min_levels_above": 1},
			contacts: []datatest.Contact{{Date: "2025-02-01", Level: "city"}},
			events:   []datatest.Event{accepted}, asOf: "2025-03-01", want: true, wantFirst: "2025-02-01", wantContact: "c1-v0"},
		{name: "levels count from the handling level", params: map[string]any{"check": "higher_level"}, caseLevel: "city",
			contacts: []datatest.Contact{{Date: "2025-02-20", Level: "province"}},
			events:   []datatest.Event{accepted}, asOf: "2025-03-01"},
		{name: "the second contact above meets min_contacts 2", params: map[string]any{"check": "higher_level", "min_contacts": 2},
			contacts: []datatest.Contact{{Date: "2025-02-01", Level: "province"}, {Date: "2025-02-10", Level: "county"}, {Date: "2025-02-20", Level: "national"}},
			events:   []datatest.Event{accepted}, asOf: "2025-03-01", want: true, wantFirst: "2025-02-20", wantContact: "c1-v0,c1-v2"},
		{name: "outside the lookback", params: map[string]any{"check": "higher_level", "lookback_days": 30},
			contacts: []datatest.Contact{{Date: "2025-01-30", Level: "province"}},
			events:   []datatest.Event{accepted}, asOf: "2025-03-01"},
		{name: "a resolved case is not flagged", params: map[string]any{"check": "higher_level"},
			contacts: []datatest.Contact{{Date: "2025-02-01", Level: "province"}},
			events:   []datatest.Event{accepted, {Type: "closed", Date: "2025-02-10"}}, asOf: "2025-03-01"},
		{name: "two contacts after the answer", params: map[string]any{"check": "continued_after_answer", "min_contacts": 2},
			contacts: []datatest.Contact{{Date: "2025-02-01"}, {Date: "2025-02-15"}, {Date: "2025-02-25"}},
			events:   []datatest.Event{accepted, {Type: "answered", Date: "2025-02-01"}}, asOf: "2025-03-01",
			want: true, wantFirst: "2025-02-25", wantContact: "c1-v1,c1-v2"},
		{name: "a contact on the answer day does not count", params: map[string]any{"check": "continued_after_answer", "min_contacts": 2},
			contacts: []datatest.Contact{{Date: "2025-02-01"}, {Date: "2025-02-15"}},
			events:   []datatest.Event{accepted, {Type: "answered", Date: "2025-02-01"}}, asOf: "2025-03-01"},
		{name: "contacts after a close", params: map[string]any{"check": "continued_after_answer", "min_contacts": 2},
			contacts: []datatest.Contact{{Date: "2025-02-15"}, {Date: "2025-02-16"}},
			events:   []datatest.Event{accepted, {Type: "closed", Date: "2025-02-01"}}, asOf: "2025-03-01",
			want: true, wantFirst: "2025-02-16", wantContact: "c1-v0,c1-v1"},
		{name: "a review request puts the case back in a pending stage", params: map[string]any{"check": "continued_after_answer", "min_contacts": 2},
			contacts: []datatest.Contact{{Date: "2025-02-15"}, {Date: "2025-02-16"}},
			events:   []datatest.Event{accepted, {Type: "answered", Date: "2025-02-01"}, {Type: "review_requested", Date: "2025-02-16"}}, asOf: "2025-03-01"},
		{name: "contacts before the answer do not count", params: map[string]any{"check": "continued_after_answer", "min_contacts": 2},
			contacts: []datatest.Contact{{Date: "2025-01-15"}, {Date: "2025-01-20"}, {Date: "2025-02-15"}},
			events:   []datatest.Event{accepted, {Type: "answered", Date: "2025-02-01"}}, asOf: "2025-03-01"},
		{name: "every contact since the answer is evidence; the lookback's make the flag",
			params:   map[string]any{"check": "continued_after_answer", "min_contacts": 2, "lookback_days": 30},
			contacts: []datatest.Contact{{Date: "2025-01-20"}, {Date: "2025-02-10"}, {Date: "2025-02-20"}},
			events:   []datatest.Event{accepted, {Type: "answered", Date: "2025-01-10"}}, asOf: "2025-03-01",
			want: true, wantFirst: "2025-02-20", wantContact: "c1-v0,c1-v1,c1-v2",
			wantFacts: map[string]any{"contacts": float64(3), "recent_contacts": float64(2), "first_contact": "2025-01-20",
				"recent_first_contact": "2025-02-10", "last_contact": "2025-02-20", "answered_on": "2025-01-10", "lookback_days": float64(30)}},
		{name: "contacts since the answer but before the lookback do not flag",
			params:   map[string]any{"check": "continued_after_answer", "min_contacts": 2, "lookback_days": 30},
			contacts: []datatest.Contact{{Date: "2025-01-20"}, {Date: "2025-01-25"}, {Date: "2025-02-10"}},
			events:   []datatest.Event{accepted, {Type: "answered", Date: "2025-01-10"}}, asOf: "2025-03-01"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			q := datatest.New(t)
			datatest.AddCases(t, q, datatest.Case{ID: "c1", Received: "2025-01-02", Level: tt.caseLevel})
			for j, c := range tt.contacts {
				c.ID, c.CaseID = fmt.Sprintf("c1-v%d", j), "c1"
				datatest.AddContacts(t, q, c)
			}
			for j, e := range tt.events {
				e.ID, e.CaseID = fmt.Sprintf("e%d", j), "c1"
				datatest.AddEvents(t, q, e)
			}
			flags := screenOne(t, q, Spec{Kind: KindEscalation, Params: tt.params}, tt.asOf)
			f, got := flags["case:c1"]
			if got != tt.want {
				t.Fatalf("flagged = %v, want %v: %v", got, tt.want, flags)
			}
			if !got {
				return
			}
			if f.FirstFlagged != tt.wantFirst {
				t.Errorf("first flagged %s, want %s", f.FirstFlagged, tt.wantFirst)
			}
			if f.Contacts != tt.wantContact {
				t.Errorf("contact evidence %s, want %s", f.Contacts, tt.wantContact)
			}
			if f.Strength < 1 {
				t.Errorf("strength %v below 1 for a flag at or past its threshold", f.Strength)
			}
			for k, want := range tt.wantFacts {
				if f.Facts[k] != want {
					t.Errorf("fact %s = %v, want %v", k, f.Facts[k], want)
				}
			}
		})
	}
}

func TestEscalationParams(t *testing.T) {
	for _, tt := range []struct {
		params map[string]any
		key    string
	}{
		{map[string]any{"check": "sideways"}, ".check"},
		{map[string]any{"check": "higher_level", "min_levels_above": 4}, ".min_levels_above"},
		{map[string]any{"check": "continued_after_answer", "min_levels_above": 1}, ".min_levels_above"},
		{map[string]any{"check": "higher_level", "lookback_days": -5}, ".lookback_days"},
		{map[string]any{"check": "continued_after_answer", "min_contacts": 0}, ".min_contacts"},
	} {
		_, err := Compile([]Spec{{ID: "e", Kind: KindEscalation, Weight: 1, Params: tt.params}}, DefaultClocks())
		if err == nil || !strings.Contains(err.Error(), "rules[0].params"+tt.key) {
			t.Errorf("%v: error %v, want one naming rules[0].params%s", tt.params, err, tt.key)
		}
	}
}
