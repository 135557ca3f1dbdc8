package web_test

import (
	"strings"
	"testing"
)

// The evidence timeline names the events that annotate the handling in the page's language,
// with an evaluation's result.
func TestTimelineLabelsRecordingEvents(t *testing.T) {
	for lang, want := range map[string][]string{
		"":   {"督办", "回访", "评价 · 不满意"},
		"en": {"supervised", "return visit", "evaluated · unsatisfied"},
	} {
		a := newAppLang(t, lang)
		if _, err := a.db.Exec(`INSERT INTO events (event_id, case_id, event_type, event_date, result) VALUES
  ('E-201', 'XF-003', 'supervised', DATE '2025-05-20', NULL),
  ('E-202', 'XF-003', 'return_visit', DATE '2025-05-21', NULL),
  ('E-203', 'XF-003', 'evaluated', DATE '2025-05-22', 'unsatisfied')`); err != nil {
			t.Fatal(err)
		}
		if _, err := a.db.Exec(`UPDATE watchlist_spans SET event_ids = list_concat(event_ids, ['E-201', 'E-202', 'E-203'])
WHERE matter_id = 'case:XF-003'`); err != nil {
			t.Fatal(err)
		}
		_, page := a.as("leader").get(matterPath("case:XF-003"))
		i := strings.Index(page, `id="timeline"`)
		if i < 0 {
			t.Fatalf("no timeline on the matter page:\n%s", excerpt(page))
		}
		for _, w := range want {
			if !strings.Contains(page[i:], "<td>"+w+"</td>") {
				t.Errorf("lang %q: the timeline lacks %q", lang, w)
			}
		}
	}
}

// The timeline tells every contact of the matter's cases up to its as-of date, not only those
// its flags counted (a stalled case's visit was missing, though its reason dwelt on the days
// without progress); the flags name the case each is of.
func TestTimelineHasEveryContactOfItsCases(t *testing.T) {
	a := newAppLang(t, "")
	if _, err := a.db.Exec(`INSERT INTO contacts BY NAME
SELECT 'V-901' AS contact_id, 'XF-003' AS case_id, as_of - 3 AS contact_date, 'visit' AS channel, 'county' AS level, 'P-9' AS person_id
FROM watchlist WHERE run_id = $1 AND matter_id = 'case:XF-003'
UNION ALL
SELECT 'V-902', 'XF-003', as_of + 3, 'visit', 'county', 'P-9' FROM watchlist WHERE run_id = $1 AND matter_id = 'case:XF-003'`, a.runID); err != nil {
		t.Fatal(err)
	}
	_, page := a.as("leader").get(matterPath("case:XF-003"))
	flags, timeline := strings.Index(page, `id="flags"`), strings.Index(page, `id="timeline"`)
	if flags < 0 || timeline < 0 {
		t.Fatalf("no flags or timeline on the matter page:\n%s", excerpt(page))
	}
	if !strings.Contains(page[timeline:], "<td>V-901 ") {
		t.Error("the timeline lacks the case's contact no flag counted")
	}
	if strings.Contains(page[timeline:], "V-902") {
		t.Error("the timeline has a contact after the as-of date")
	}
	if !strings.Contains(page[flags:timeline], "<td>XF-003</td>") {
		t.Errorf("the flags do not name their case:\n%s", page[flags:timeline])
	}
}
