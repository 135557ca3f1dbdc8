package publish

import (
	"context"
	"fmt"

	"github.com/xuri/excelize/v2"

	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/i18n"
)

// TopicsSheetName returns the name of the workbook's emerging-topics sheet in lang.
func TopicsSheetName(lang string) string { return i18n.T(lang, "sheet.topics.name") }

// topics writes the run's emerging topics (新出现的话题) on their own sheet, the most significant
// first, with a note above saying what they are and the window they were found in. It prints as
// every sheet does: A4 landscape, fitted to the width, the header row on every page.
func (b *book) topics(ctx context.Context, q db.Querier, runID string) error {
	s := TopicsSheetName(b.lang)
	if _, err := b.f.NewSheet(s); err != nil {
		return err
	}
	list, err := loadTopics(ctx, q, runID, b.asOf, b.lang)
	if err != nil {
		return err
	}
	head, err := b.header()
	if err != nil {
		return err
	}
	row := []any{list.Intro}
	if err := b.f.SetSheetRow(s, "A1", &row); err != nil {
		return err
	}
	last, _ := excelize.ColumnNumberToName(len(list.Headers))
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
	cells := make([]any, len(list.Headers))
	for i, t := range list.Headers {
		cells[i] = t
	}
	if err := b.f.SetSheetRow(s, "A2", &cells); err != nil {
		return err
	}
	if err := b.f.SetCellStyle(s, "A2", last+"2", head); err != nil {
		return err
	}
	n := 2
	for _, t := range list.Topics {
		n++
		row := t.cells()
		if err := b.f.SetSheetRow(s, fmt.Sprintf("A%d", n), &row); err != nil {
			return err
		}
	}
	for i, width := range []float64{6, 24, 10, 10, 10, 9, 24, 30, 30, 40} {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := b.f.SetColWidth(s, col, col, width); err != nil {
			return err
		}
	}
	if err := b.f.SetPanes(s, &excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	return b.printable(s, 2)
}
