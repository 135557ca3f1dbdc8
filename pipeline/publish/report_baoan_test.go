package publish_test

import (
	"bytes"
	"context"
	"html"
	"strings"
	"testing"
	"time"

	"github.com/earlywarn/earlywarn/pipeline/pipelinetest"
	"github.com/earlywarn/earlywarn/pipeline/publish"
)

// The report shows which listed matters are owned or resolved, by whom, in what state and with
// which reminders, and counts them.
func TestReportShowsOwnership(t *testing.T) {
	cfg := pipelinetest.Config(t)
	s := pipelinetest.Run(t, cfg)
	db := pipelinetest.Open(t, cfg)
	var a, b string
	if err := db.QueryRow(`SELECT list(matter_id ORDER BY rank)[1], list(matter_id ORDER BY rank)[2] FROM watchlist WHERE run_id = $1`, s.RunID).Scan(&a, &b); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 15, 10, 0, 0, 0, time.UTC)
	render := func(lang string) string {
		t.Helper()
		d, err := publish.LoadReport(context.Background(), db, s.RunID, publish.Settings{Lang: lang}, now)
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if err := publish.RenderReport(&out, d); err != nil {
			t.Fatal(err)
		}
		return out.String()
	}
	if page := render("zh"); !strings.Contains(page, `id="baoan"`) || !strings.Contains(page, "清单上的事项尚无包案") {
		t.Errorf("the report of a run nobody reviewed:\n%s", page[strings.Index(page, `id="baoan"`):][:300])
	}
	pipelinetest.Exec(t, db,
		`INSERT INTO matter_review (matter_id, state, owner, plan, due_date, taken_at, resolved_at, version, updated_at, updated_by) VALUES ('`+a+`', 'owned', '张局长', '约谈', DATE '2026-03-01', TIMESTAMPTZ '2026-02-10 09:00:00+00', NULL, 3, now(), '张局长')`,
		`INSERT INTO matter_review (matter_id, state, owner, plan, due_date, taken_at, resolved_at, version, updated_at, updated_by) VALUES ('`+b+`', 'resolved', '李主任', '协调补偿', DATE '2026-04-30', TIMESTAMPTZ '2026-03-02 09:00:00+00', TIMESTAMPTZ '2026-03-10 09:00:00+00', 4, now(), '李主任')`)
	page := render("zh")
	i := strings.Index(page, `id="baoan"`)
	if i < 0 {
		t.Fatal("no 包案 section")
	}
	sec := page[i:]
	sec = sec[:strings.Index(sec, "</table>")]
	for _, want := range []string{"包案办理中 1 项、已化解 1 项；办理中的有 1 项有提醒", a, b, "张局长", "李主任", "包案办理中", "已化解", "2026-03-01", "已逾期、本月未报进展"} {
		if !strings.Contains(sec, want) {
			t.Errorf("the 包案 section lacks %s:\n%s", want, sec)
		}
	}
	// Matters by their titles, the id under each.
	var titleA string
	if err := db.QueryRow(`SELECT title FROM watchlist WHERE matter_id = $1 LIMIT 1`, a).Scan(&titleA); err != nil || titleA == "" || !strings.Contains(sec, html.EscapeString(titleA)) {
		t.Errorf("the 包案 section lacks the title %q (%v)", titleA, err)
	}
	if en := render("en"); !strings.Contains(en, "1 are owned and 1 resolved") {
		t.Error("the English report lacks the ownership counts")
	}
}
