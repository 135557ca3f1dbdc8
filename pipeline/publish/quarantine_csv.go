package publish

import (
	"context"
	"database/sql"
	"path/filepath"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/pipeline/runrecord"
)

// quarantineColumns are the columns of quarantine.csv: their names in the quarantine table,
// and, under csv.quarantine., their headers in the catalogue.
var quarantineColumns = []string{"file", "line", "record_id", "field", "reason", "raw"}

// writeQuarantineCSV writes the rows the runs quarantined (a run's own and those of earlier
// runs whose outputs were never published; see Summary.QuarantineRuns), in file and line
// order, with headers, field names and reasons in lang; a field read through prof (nil for
// none) with the export's columns it comes from, as the source the row's file matches has them.
func writeQuarantineCSV(ctx context.Context, q *sql.Conn, path string, runs []string, lang string, prof *configs.Profile) error {
	return writeCSV(ctx, q, path, header(lang, "csv.quarantine", quarantineColumns),
		numericColumns(quarantineColumns, "line"),
		func(rec []string) {
			var columns, written []string
			if prof != nil {
				if src := prof.SourceOf(filepath.Base(rec[0])); src != nil {
					columns, written = src.Columns(rec[3]), src.Written(rec[3])
				}
			}
			rec[4] = runrecord.RenderReasonWritten(lang, rec[3], rec[4], written)
			rec[3] = runrecord.FieldInColumns(lang, rec[3], columns)
		},
		quarantineCSVSQL, []any{runs})
}
