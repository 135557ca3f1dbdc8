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
