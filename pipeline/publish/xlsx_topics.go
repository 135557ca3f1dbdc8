package publish

import (
	"context"

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
	var rows [][]any
	for _, t := range list.Topics {
		rows = append(rows, t.cells())
	}
	return b.listSheet(s, list.Intro, list.Headers, []float64{6, 24, 10, 10, 10, 9, 24, 30, 30, 40}, rows, false)
}
