package publish

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/web/review"
)

// The largest watchlist.sheet_rows and a list's own rows fit an XLSX sheet, and Settings never
// asks for more: a list's sheet cannot pass Excel's 1,048,576 rows.
func TestTheLargestListFitsASheet(t *testing.T) {
	if configs.MaxSheetRows+listOwnRows > excelize.TotalRows {
		t.Errorf("watchlist.sheet_rows up to %d and %d rows of a list's own pass Excel's %d", configs.MaxSheetRows, listOwnRows, excelize.TotalRows)
	}
	if 5+6*(GroupRows+3) > excelize.TotalRows { // the run, then each table's blank, title and other

		t.Errorf("the summary sheet's six count tables of %d lines could pass Excel's rows", GroupRows)
	}
	for _, c := range []struct{ set, want int }{{0, configs.DefaultSheetRows}, {-1, configs.DefaultSheetRows}, {5, 5}, {configs.MaxSheetRows + 1, configs.MaxSheetRows}, {1 << 30, configs.MaxSheetRows}} {
		if got := (Settings{SheetRows: c.set}).rows(); got != c.want {
			t.Errorf("SheetRows %d gives lists of %d rows, want %d", c.set, got, c.want)
		}
	}
}

// A row past Excel's last fails with the catalogue's message naming the sheet, whichever way the
// sheet is written, instead of excelize's "invalid cell name" (the 10^8 run's failure).
func TestARowPastTheSheetsLimitFails(t *testing.T) {
	if err := checkRow("预警清单", excelize.TotalRows); err != nil {
		t.Errorf("the last row: %v", err)
	}
	err := checkRow("预警清单", excelize.TotalRows+1)
	if got, want := i18n.Localize("zh", err), "工作表“预警清单”超过 Excel 每张表 1048576 行的上限"; got != want {
		t.Errorf("past the last row: %q, want %q", got, want)
	}
	f := excelize.NewFile()
	defer f.Close()
	b := &book{f: f, lang: "zh", rows: configs.DefaultSheetRows}
	w := &sheetWriter{b: b, sheet: "Sheet1", row: excelize.TotalRows - 1}
	w.line(1, 0, "the last row")
	if w.err != nil {
		t.Fatalf("the last row: %v", w.err)
	}
	w.line(1, 0, "one more")
	if w.err == nil || !strings.Contains(i18n.Localize("zh", w.err), "超过 Excel 每张表") {
		t.Errorf("a row past the last: %v", w.err)
	}
	if v, _ := f.GetCellValue("Sheet1", fmt.Sprintf("A%d", excelize.TotalRows)); v != "the last row" {
		t.Errorf("the last row holds %q", v)
	}
}

// A text too long for a cell is cut where a character ends, with a note; an id list where an id
// ends, saying how many ids are left out. Both stay within Excel's 32,767 UTF-16 units, which
// excelize would otherwise enforce by cutting silently, in the middle of an id.
func TestLongCellsAreCutWhereAnIdEnds(t *testing.T) {
	short := strings.Repeat("甲", 100)
	if clip("zh", short) != short || clipList("zh", "C1;C2", ";", WatchlistCSV) != "C1;C2" {
		t.Error("a short cell changed")
	}
	ids := make([]string, 5000) // 5000 × 8 characters and the separators: 44,999
	for i := range ids {
		ids[i] = fmt.Sprintf("K%07d", i)
	}
	for _, lang := range []string{"zh", "en"} {
		got := clipList(lang, strings.Join(ids, ";"), ";", WatchlistCSV)
		if n := cellLen(got); n > excelize.TotalCellChars || n < excelize.TotalCellChars-200 {
			t.Errorf("%s: the cut list is %d units long", lang, n)
		}
		shown := strings.Split(got[:strings.LastIndex(got, ";K")+9], ";")
		if !slices.Equal(shown, ids[:len(shown)]) {
			t.Errorf("%s: the list does not end where an id ends: …%s", lang, got[len(got)-200:])
		}
		more := i18n.T(lang, "sheet.cell.more_ids", len(ids)-len(shown), excelize.TotalCellChars, WatchlistCSV)
		if !strings.HasSuffix(got, more) {
			t.Errorf("%s: the cut list ends %q, want %q", lang, got[len(got)-120:], more)
		}
	}
	// Characters outside the BMP are two units each: 20,000 of them are 40,000 units.
	long := strings.Repeat("𠀋", 20000)
	got := clip("zh", long)
	if n := cellLen(got); n > excelize.TotalCellChars || !strings.HasSuffix(got, i18n.T("zh", "sheet.cell.cut", excelize.TotalCellChars)) ||
		!strings.HasPrefix(got, strings.Repeat("𠀋", 16000)) {
		t.Errorf("a long text cut to %d units, ending %q", n, got[len(got)-80:])
	}
	// In a workbook, the cell holds the cut text whole (excelize does not cut it again).
	f := excelize.NewFile()
	defer f.Close()
	cell := clipList("zh", strings.Join(ids, ";"), ";", WatchlistCSV)
	if err := f.SetCellValue("Sheet1", "A1", cell); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "x.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	g, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	if v, _ := g.GetCellValue("Sheet1", "A1"); v != cell {
		t.Errorf("the workbook's cell holds %d units, written %d", cellLen(v), cellLen(cell))
	}
}

// A due-soon list cut to n keeps the n cases with the fewest days left, in the list's order (by
// unit).
func TestMostUrgentKeepsTheFewestDaysLeftInOrder(t *testing.T) {
	cases := []review.DueCase{{CaseID: "a", Unit: "甲", DaysLeft: 5}, {CaseID: "b", Unit: "甲", DaysLeft: 1},
		{CaseID: "c", Unit: "乙", DaysLeft: 0}, {CaseID: "d", Unit: "乙", DaysLeft: 6}, {CaseID: "e", Unit: "丙", DaysLeft: 1}}
	var got []string
	for _, c := range mostUrgent(cases, 3) {
		got = append(got, c.CaseID)
	}
	if !slices.Equal(got, []string{"b", "c", "e"}) {
		t.Errorf("most urgent 3: %v, want [b c e]", got)
	}
}

// The count tables keep their first lines and sum the rest as "other".
func TestCountsPastGroupRowsAreSummedAsOther(t *testing.T) {
	got := capCounts([]Count{{Key: "a", N: 5}, {Key: "b", N: 3}, {Key: "c", N: 2}, {Key: "d", N: 1}}, 2, "zh")
	if len(got) != 3 || got[2].Label != "其他" || got[2].N != 3 {
		t.Errorf("capped counts %+v", got)
	}
	sup := capOverdue([]UnitOverdue{{Unit: "a", Matters: 4, Red: 1, Overdue: 2, Stalled: 1, MaxDaysOverdue: 9}, {Unit: "b", Matters: 2, Red: 1, Overdue: 1, MaxDaysOverdue: 30}, {Unit: "c", Matters: 1, Stalled: 1, MaxDaysOverdue: 3}}, 1, "zh")
	if len(sup) != 2 || sup[1] != (UnitOverdue{Unit: "其他", Matters: 3, Red: 1, Overdue: 1, Stalled: 1, MaxDaysOverdue: 30}) {
		t.Errorf("capped supervision counts %+v", sup)
	}
	if c := capCounts([]Count{{Key: "a", N: 1}}, 2, "zh"); len(c) != 1 {
		t.Errorf("a short table changed: %+v", c)
	}
}
