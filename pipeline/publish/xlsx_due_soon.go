package publish

import (
	"context"
	"fmt"

	"github.com/xuri/excelize/v2"

	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/i18n"
)

// DueSoonSheetName returns the name of the workbook's due-soon sheet in lang.
func DueSoonSheetName(lang string) string { return i18n.T(lang, "sheet.due_soon.name") }

// dueSoon writes the due-soon list (临期预警) on its own sheet, one row per case, by responsible
// unit, the most urgent first, with a note above saying what it is. It prints on landscape
// pages fitted to the width, with the header row repeated on every page.
func (b *book) dueSoon(ctx context.Context, q db.Querier, runID string) error {
	s := DueSoonSheetName(b.lang)
	if _, err := b.f.NewSheet(s); err != nil {
		return err
	}
	list, err := loadDueSoon(ctx, q, runID, b.lang, b.rows)
	if err != nil {
		return err
	}
	n := len(dueSoonColumns) - gistColumns(list.Gist)
	var rows [][]any
	for _, u := range list.Units {
		for _, c := range u.Cases {
			rows = append(rows, []any{u.Unit, c.CaseID, c.StageLabel, c.Deadline, c.DaysLeft, c.Township, c.Category, c.Gist}[:n])
		}
	}
	return b.listSheet(s, list.Intro, header(b.lang, "due_soon", dueSoonColumns[:n]), []float64{22, 16, 10, 11, 8, 12, 12, 36}[:n], rows, true)
}

// listSheet fills sheet s, already made: a note (intro) across the first row, the column titles
// in the second, frozen, then rows (the first b.rows; the note then says how many there are in
// all), each column its width; with filter, filters on the titles. It prints as every sheet
// does: A4 landscape, fitted to the width, the run's date on each page, the title rows repeated.
func (b *book) listSheet(s, intro string, titles []string, widths []float64, rows [][]any, filter bool) error {
	head, err := b.header()
	if err != nil {
		return err
	}
	if len(rows) > b.rows {
		intro += b.t("sheet.list.first", len(rows), b.rows)
		rows = rows[:b.rows]
	}
	row := []any{clip(b.lang, intro)}
	if err := b.f.SetSheetRow(s, "A1", &row); err != nil {
		return err
	}
	last, _ := excelize.ColumnNumberToName(len(titles))
	if err := b.f.MergeCell(s, "A1", last+"1"); err != nil {
		return err
	}
	wrap, err := b.f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	if err := b.f.SetCellStyle(s, "A1", "A1", wrap); err != nil {
		return err
	}
	if err := b.f.SetRowHeight(s, 1, 36); err != nil {
		return err
	}
	cells := make([]any, len(titles))
	for i, t := range titles {
		cells[i] = t
	}
	if err := b.f.SetSheetRow(s, "A2", &cells); err != nil {
		return err
	}
	if err := b.f.SetCellStyle(s, "A2", last+"2", head); err != nil {
		return err
	}
	n := 2
	for _, r := range rows {
		n++
		if err := checkRow(s, n); err != nil {
			return err
		}
		clipCells(b.lang, r)
		if err := b.f.SetSheetRow(s, fmt.Sprintf("A%d", n), &r); err != nil {
			return err
		}
	}
	for i, width := range widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := b.f.SetColWidth(s, col, col, width); err != nil {
			return err
		}
	}
	if err := b.f.SetPanes(s, &excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if filter {
		if err := b.f.AutoFilter(s, fmt.Sprintf("A2:%s%d", last, max(n, 3)), nil); err != nil {
			return err
		}
	}
	return b.printable(s, 2) // as every sheet: A4 landscape, the run's date on each page
}
