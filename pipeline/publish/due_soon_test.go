package publish_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/earlywarn/earlywarn/pipeline/pipelinetest"
	"github.com/earlywarn/earlywarn/pipeline/publish"
)

// TestDueSoonInReportAndWorkbook: the due-soon list is a section of report.html and a sheet of
// watchlist.xlsx, by responsible unit, apart from the tiers; the sheet prints landscape, fitted
// to the width, its header row repeated.
func TestDueSoonInReportAndWorkbook(t *testing.T) {
	cfg := pipelinetest.Config(t)
	cfg.Watchlist.TitleGist = true // the list's column of gists (TestTitlesWithoutGist: none without)
	s := pipelinetest.Run(t, cfg)
	db := pipelinetest.Open(t, cfg)
	// The tiny county has one case due soon of its own (XF-002); these replace it.
	pipelinetest.Exec(t, db, "DELETE FROM due_soon", fmt.Sprintf(`INSERT INTO due_soon VALUES
  ('%[1]s', 'XF-009', 'handle', DATE '2025-07-03', 3, '县人社局', '城关镇', '劳资纠纷', DATE '2025-05-01'),
  ('%[1]s', 'XF-007', 'accept', DATE '2025-07-01', 1, '城关镇人民政府', '城关镇', '征地拆迁', DATE '2025-06-16'),
  ('%[1]s', 'XF-008', 'review', DATE '2025-07-06', 6, '城关镇人民政府', '东城街道', '征地拆迁', DATE '2025-04-01'),
  ('other-run', 'XF-001', 'accept', DATE '2025-07-01', 1, '县人社局', '城关镇', '征地拆迁', DATE '2025-06-16')`, s.RunID))

	zh := render(t, db, s.RunID, "zh")
	i := strings.Index(zh, `id="due-soon"`)
	if i < 0 {
		t.Fatal("the report has no due-soon section")
	}
	section := zh[i:]
	for _, want := range []string{"临期预警", "共 3 件，涉及 2 个责任单位", "城关镇人民政府（2 件）", "县人社局（1 件）",
		"<td>XF-007</td><td>待受理</td><td>2025-07-01</td><td>1</td>", "<td>XF-008</td><td>复查中</td>", "<td>XF-009</td><td>办理中</td>"} {
		if !strings.Contains(section, want) {
			t.Errorf("zh section lacks %q", want)
		}
	}
	if strings.Contains(section, "XF-001") || strings.Index(section, "XF-007") > strings.Index(section, "XF-008") || strings.Index(section, "XF-009") > strings.Index(section, "XF-007") {
		t.Error("another run's case, or the cases out of order")
	}
	if en := render(t, db, s.RunID, "en"); !strings.Contains(en, "城关镇人民政府 (2)") || !strings.Contains(en, "3 pending cases, at 2 responsible units") {
		t.Errorf("en section: %s", en[strings.Index(en, `id="due-soon"`):])
	}

	path := filepath.Join(t.TempDir(), "w.xlsx")
	if err := publish.WriteXLSX(context.Background(), db, s.RunID, publish.Settings{Lang: "zh"}, path, time.Now()); err != nil {
		t.Fatal(err)
	}
	f := open(t, path)
	sheet := publish.DueSoonSheetName("zh")
	if !slices.Contains(f.GetSheetList(), sheet) || sheet != "临期预警" {
		t.Fatalf("sheets %v", f.GetSheetList())
	}
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(rows[0][0], "共 3 件") || strings.Join(rows[1], ",") != "责任单位,信访件编号,当前阶段,办理期限,剩余天数,乡镇街道,问题类别,事由" {
		t.Errorf("note and header %q", rows[:2])
	}
	var got []string
	for _, r := range rows[2:] {
		got = append(got, strings.Join(r, ","))
	}
	// each case with the gist of its content (what it is about), where it has one
	want := []string{"县人社局,XF-009,办理中,2025-07-03,3,城关镇,劳资纠纷",
		"城关镇人民政府,XF-007,待受理,2025-07-01,1,城关镇,征地拆迁,某某化工有限公司2025年以来夜间排放刺鼻气体",
		"城关镇人民政府,XF-008,复查中,2025-07-06,6,东城街道,征地拆迁"}
	if !slices.Equal(got, want) {
		t.Errorf("rows %q, want %q", got, want)
	}
	layout, err := f.GetPageLayout(sheet)
	if err != nil || layout.Orientation == nil || *layout.Orientation != "landscape" || layout.FitToWidth == nil || *layout.FitToWidth != 1 ||
		layout.FitToHeight == nil || *layout.FitToHeight != 0 || layout.Size == nil || *layout.Size != 9 {
		t.Errorf("page layout %+v %v, want A4 landscape fitted to the width", layout, err)
	}
	if hf, err := f.GetHeaderFooter(sheet); err != nil || hf == nil || !strings.Contains(hf.OddHeader, "2025") {
		t.Errorf("page header %+v %v, want the run's date on every page", hf, err)
	}
	props, err := f.GetSheetProps(sheet)
	if err != nil || props.FitToPage == nil || !*props.FitToPage {
		t.Errorf("fit to page %+v %v", props, err)
	}
	titles := false
	for _, n := range f.GetDefinedName() {
		if n.Name == "_xlnm.Print_Titles" && n.Scope == sheet && n.RefersTo == "'临期预警'!$2:$2" {
			titles = true
		}
	}
	if !titles {
		t.Errorf("no repeated header row: %+v", f.GetDefinedName())
	}
}
