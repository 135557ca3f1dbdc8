package publish

import (
	"strings"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/internal/i18n"
)

// What the leaders' outputs hold is sized to their readers, and never past a format's limits.
// watchlist.csv and watchlist.parquet hold every matter; each list of watchlist.xlsx (the full
// watchlist's sheet, the cleared matters, the ownership ledger, the due-soon list, the emerging
// topics) holds at most Settings.SheetRows rows (watchlist.sheet_rows), the first by rank, and
// says how many there are in all and where the rest is; the count tables sum what is past
// GroupRows as "other". An Excel sheet holds TotalRows rows and a cell TotalCellChars characters
// (UTF-16 units): configs.MaxSheetRows leaves room for a list's own rows, every row a sheet
// writes is checked against the limit (checkRow), and a text too long for a cell is cut where an
// id or a character ends, saying what was left out (clip, clipList). excelize would cut it
// silently in the middle of an id.

// Limits of the formats.
const (
	xlsxMaxRows = excelize.TotalRows      // rows of an XLSX sheet, its header included
	xlsxMaxCell = excelize.TotalCellChars // UTF-16 units of an XLSX cell's text
	// listOwnRows are the rows a list's sheet adds to its SheetRows rows at most: a note, the
	// header, a blank row and a note on what is left out.
	listOwnRows = 4
	// GroupRows caps the lines of each count table (per township, category, rule or responsible
	// unit, and the supervision counts per unit) of the workbook and the report's supervision
	// counts; the rest are summed as one "other" line.
	GroupRows = 1000
)

// rows is the cap on each list of the workbook: SheetRows, its default when unset, and never
// more than configs.MaxSheetRows.
func (s Settings) rows() int {
	if s.SheetRows <= 0 {
		return configs.DefaultSheetRows
	}
	return min(s.SheetRows, configs.MaxSheetRows)
}

// checkRow fails when row (from 1) of sheet is past what an XLSX sheet holds. Every sheet is
// written through it, so a list the caps did not bound fails with this message instead of
// excelize's "invalid cell name".
func checkRow(sheet string, row int) error {
	if row > xlsxMaxRows {
		return i18n.Errorf("publish.err.sheet_rows", sheet, xlsxMaxRows)
	}
	return nil
}

// cellLen is the length of s as Excel counts it: UTF-16 units.
func cellLen(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// cutAt returns the longest prefix of s of at most limit UTF-16 units, ending where a character
// ends.
func cutAt(s string, limit int) string {
	n := 0
	for i, r := range s {
		if n += utf16.RuneLen(r); n > limit {
			return s[:i]
		}
	}
	return s
}

// clip returns s when it fits a cell, else its start, cut where a character ends, and a note
// in lang that the rest is left out.
func clip(lang, s string) string {
	if len(s) <= xlsxMaxCell || cellLen(s) <= xlsxMaxCell { // a UTF-8 byte is at most a unit
		return s
	}
	more := i18n.T(lang, "sheet.cell.cut", xlsxMaxCell)
	return cutAt(s, xlsxMaxCell-cellLen(more)) + more
}

// clipList returns list, ids joined by sep, when it fits a cell, else its first ids and a note in
// lang of how many more there are and that file holds them all.
func clipList(lang, list, sep, file string) string {
	if len(list) <= xlsxMaxCell || cellLen(list) <= xlsxMaxCell {
		return list
	}
	total := strings.Count(list, sep) + 1
	// The note is at most this long: its count is at most total.
	room := xlsxMaxCell - cellLen(i18n.T(lang, "sheet.cell.more_ids", total, xlsxMaxCell, file))
	head := cutAt(list, room)
	if !strings.HasPrefix(list[len(head):], sep) {
		head = head[:max(strings.LastIndex(head, sep), 0)]
	}
	shown := 0
	if head != "" {
		shown = strings.Count(head, sep) + 1
	}
	return head + i18n.T(lang, "sheet.cell.more_ids", total-shown, xlsxMaxCell, file)
}

// clipCells clips the text values of cells in place (see clip).
func clipCells(lang string, cells []any) {
	for i, v := range cells {
		if s, ok := v.(string); ok {
			cells[i] = clip(lang, s)
		}
	}
}

// withOther keeps the first n lines of a count table (all when n is 0) and adds the rest into
// other, its last line.
func withOther[T any](all []T, n int, other T, add func(other *T, line T)) []T {
	if n == 0 || len(all) <= n {
		return all
	}
	for _, line := range all[n:] {
		add(&other, line)
	}
	return append(all[:n:n], other)
}

// capCounts keeps the first n counts and sums the rest as one "other" count.
func capCounts(all []Count, n int, lang string) []Count {
	other := reportText(lang, "other")
	return withOther(all, n, Count{Key: other, Label: other}, func(o *Count, c Count) { o.N += c.N })
}

// capOverdue keeps the first n lines of the supervision counts and sums the rest as one "other".
func capOverdue(all []UnitOverdue, n int, lang string) []UnitOverdue {
	return withOther(all, n, UnitOverdue{Unit: reportText(lang, "other")}, func(o *UnitOverdue, u UnitOverdue) {
		o.Matters, o.Red, o.Overdue, o.Stalled = o.Matters+u.Matters, o.Red+u.Red, o.Overdue+u.Overdue, o.Stalled+u.Stalled
		o.MaxDaysOverdue = max(o.MaxDaysOverdue, u.MaxDaysOverdue)
	})
}
