package publish

import (
	"context"
	"database/sql"
)

// quarantineColumns are the columns of quarantine.csv: their names in the quarantine table,
// and, under csv.quarantine., their headers in the catalogue.
var quarantineColumns = []string{"file", "line", "field", "reason", "raw"}

// writeQuarantineCSV writes the rows run runID quarantined, in file and line order, with
// headers in lang.
func writeQuarantineCSV(ctx context.Context, q *sql.Conn, path, runID, lang string) error {
	return writeCSV(ctx, q, path, header(lang, "csv.quarantine", quarantineColumns), nil,
		`SELECT file, line::VARCHAR, field, reason, raw FROM quarantine
WHERE run_id = $1 ORDER BY file, line NULLS LAST, field, reason, raw`, runID)
}
