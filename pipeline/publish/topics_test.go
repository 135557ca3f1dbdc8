package publish_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/earlywarn/earlywarn/pipeline/pipelinetest"
	"github.com/earlywarn/earlywarn/pipeline/publish"
)

// TestTopicsAreShownApartFromTheWatchlist: the run's emerging topics (table topic_bursts, the
// window from the run record) make a short section of the report after the watchlist's summary,
// before the matters to act on, and a sheet of the workbook, in Chinese and in English; a run
// with none says so.
func TestTopicsAreShownApartFromTheWatchlist(t *testing.T) {
	cfg := pipelinetest.Config(t)
	s := pipelinetest.Run(t, cfg)
	db := pipelinetest.Open(t, cfg)
	ctx := context.Background()

	// The tiny fixture's records stop for 19 days in May (a gap, not quiet days): its baseline
	// from 25 May holds 23 of 56 days, too few to tell what is emerging, and the section says so.
	if html := render(t, db, s.RunID, "zh"); !strings.Contains(html, "此前 56 天的记录不足一半（仅 23 天），无法判断新出现的话题。") {
		t.Errorf("report with a short baseline does not say so")
	}
	// With the baseline on record and nothing rising, the section says that.
	if _, err := db.ExecContext(ctx, `UPDATE runs SET record = json_merge_patch(record, '{"topics": {"window_days": 14, "baseline_days": 56, "known_baseline_days": 56, "topics": []}}') WHERE run_id = $1`, s.RunID); err != nil {
		t.Fatal(err)
	}
	if html := render(t, db, s.RunID, "zh"); !strings.Contains(html, "近 14 天没有比此前 56 天明显上升的话题。") {
		t.Errorf("report without topics does not say so")
	}
	for _, stmt := range []string{
		`INSERT INTO topic_bursts VALUES ($1, 1, '地下车库漏水', ['车辆被泡'], 20, 21, 1.4, 9.1e-17, 56, DATE '2025-06-21', DATE '2025-06-30',
		   ['C1', 'C2'], ['城关镇', '河口镇'], [12, 9])`,
		`INSERT INTO topic_bursts VALUES ($1, 2, '物业乱收费', [], 7, 7, 1.0, 0.00031, 56, DATE '2025-06-25', DATE '2025-06-29',
		   ['C9'], ['城关镇'], [7])`,
	} {
		if _, err := db.ExecContext(ctx, stmt, s.RunID); err != nil {
			t.Fatal(err)
		}
	}
	zh := render(t, db, s.RunID, "zh")
	topics, act := strings.Index(zh, `id="topics"`), strings.Index(zh, "需处理事项")
	if topics < 0 || act < 0 || topics > act || strings.Index(zh, `class="cards"`) > topics {
		t.Fatalf("topics section at %d, matters to act on at %d: want it after the counts, before the matters", topics, act)
	}
	for _, want := range []string{"近 14 天（2025-06-17 至 2025-06-30）与此前 56 天相比", "<b>地下车库漏水</b>", "城关镇（12）、河口镇（9）",
		"2025-06-21 至 2025-06-30", "9.1e-17", "车辆被泡", "C1 C2", "<b>物业乱收费</b>"} {
		if !strings.Contains(zh[topics:act], want) {
			t.Errorf("report's topics lack %q", want)
		}
	}
	en := render(t, db, s.RunID, "en")
	for _, want := range []string{"Emerging topics", "Over the last 14 days (2025-06-17 to 2025-06-30)", "城关镇 (12); 河口镇 (9)"} {
		if !strings.Contains(en, want) {
			t.Errorf("English report lacks %q", want)
		}
	}

	for _, lang := range []string{"zh", "en"} {
		path := filepath.Join(t.TempDir(), lang+".xlsx")
		if err := publish.WriteXLSX(ctx, db, s.RunID, publish.Settings{Lang: lang}, path, time.Date(2026, 1, 2, 3, 4, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		f := open(t, path)
		sheet := publish.TopicsSheetName(lang)
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 4 || !strings.Contains(rows[0][0], "14") || rows[2][1] != "地下车库漏水" || rows[2][2] != "20" || rows[3][1] != "物业乱收费" {
			t.Errorf("%s sheet %q: %q", lang, sheet, rows)
		}
		if lang == "zh" && !slices.Equal(rows[1][:3], []string{"序号", "话题", "不同信访人"}) {
			t.Errorf("header %q", rows[1])
		}
		if ps, err := f.GetPageLayout(sheet); err != nil || ps.Orientation == nil || *ps.Orientation != "landscape" {
			t.Errorf("sheet %q does not print landscape: %+v %v", sheet, ps, err)
		}
	}

	// A database an earlier version made has no topic_bursts: its outputs, written again, have
	// no topics section and a sheet saying there are none.
	if _, err := db.ExecContext(ctx, `DROP TABLE topic_bursts`); err != nil {
		t.Fatal(err)
	}
	if html := render(t, db, s.RunID, "zh"); strings.Contains(html, `id="topics"`) {
		t.Error("a database without topic_bursts shows a topics section")
	}
	if err := publish.WriteXLSX(ctx, db, s.RunID, publish.Settings{Lang: "zh"}, filepath.Join(t.TempDir(), "old.xlsx"), time.Now()); err != nil {
		t.Errorf("workbook of a database without topic_bursts: %v", err)
	}
}
