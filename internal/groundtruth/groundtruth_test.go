package groundtruth

import "testing"

func TestEvaluate(t *testing.T) {
	events := []Event{
		{ID: "t1", Family: "repeat", CaseIDs: []string{"a"}},
		{ID: "t2", Family: "repeat", CaseIDs: []string{"b"}},
		{ID: "t3", Family: "group", CaseIDs: []string{"c", "d", "e"}},
	}
	flags := []Flag{
		{Family: "repeat", Matter: "case:a", CaseIDs: []string{"a"}},
		{Family: "repeat", Matter: "case:z", CaseIDs: []string{"z"}},
		{Family: "group", Matter: "group:1", CaseIDs: []string{"e", "f"}},
		{Family: "stalled", Matter: "case:b", CaseIDs: []string{"b"}}, // right case, wrong family
	}
	s := Evaluate(events, flags)
	check := func(family string, recall, precision float64) {
		t.Helper()
		if got := s[family]; got.Recall() != recall || got.Precision() != precision {
			t.Errorf("%s: recall %v precision %v, want %v %v", family, got.Recall(), got.Precision(), recall, precision)
		}
	}
	check("repeat", 0.5, 0.5)
	check("group", 1, 1)
	check("stalled", 1, 0)
	if len(s["repeat"].Missed) != 1 || s["repeat"].Missed[0] != "t2" {
		t.Errorf("missed %v", s["repeat"].Missed)
	}
}
