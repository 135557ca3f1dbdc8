package pipeline

import (
	"context"
	"database/sql"
	"time"

	"github.com/earlywarn/earlywarn/internal/report"
	"github.com/earlywarn/earlywarn/internal/xlsx"
)

// Outputs for leaders, written beside the watchlist.
const (
	ReportHTML    = report.FileName
	WatchlistXLSX = xlsx.FileName
)

// leaderOutputs are the files writeLeaderOutputs writes, in the order they are published.
var leaderOutputs = []string{ReportHTML, WatchlistXLSX}

// writeLeaderOutputs writes the run's HTML report and Excel workbook (with the ledger of owned
// matters from the review tables) to the temporary paths tmp gives; publish renames them into
// place with the other outputs.
func writeLeaderOutputs(ctx context.Context, q *sql.Conn, runID, lang string, tmp func(string) string) error {
	now := time.Now()
	if err := report.WriteFile(ctx, q, runID, lang, tmp(ReportHTML), now); err != nil {
		return err
	}
	return xlsx.Write(ctx, q, runID, lang, tmp(WatchlistXLSX), now)
}
