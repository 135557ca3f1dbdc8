package pipeline

import (
	"context"
	"database/sql"
	"time"

	"github.com/earlywarn/earlywarn/internal/report"
)

// Outputs for leaders, written beside the watchlist.
const ReportHTML = report.FileName

// leaderOutputs are the files writeLeaderOutputs writes, in the order they are published.
var leaderOutputs = []string{ReportHTML}

// writeLeaderOutputs writes the run's HTML report (and Excel workbook) to the temporary paths
// tmp gives; publish renames them into place with the other outputs.
func writeLeaderOutputs(ctx context.Context, q *sql.Conn, runID, lang string, tmp func(string) string) error {
	return report.WriteFile(ctx, q, runID, lang, tmp(ReportHTML), time.Now())
}
