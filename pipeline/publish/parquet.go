package publish

import (
	"context"
	"database/sql"

	"github.com/earlywarn/earlywarn/internal/db"
)

// exportTable is the connection-local table of the run's watchlist as it is exported, with
// reasons and change notes in the output language; the Parquet file and the CSV read it.
const exportTable = "export"

// exportWatchlist fills exportTable with run runID's watchlist, in rank order, with reasons
// and change notes in lang.
func exportWatchlist(ctx context.Context, q *sql.Conn, runID, lang string) error {
	_, err := q.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE `+db.Ident(exportTable)+` AS
SELECT rank, matter_id, matter_kind, tier, state, score, rules, `+db.Ident("reason_"+lang)+` AS reason, `+db.Ident("state_note_"+lang)+` AS state_note,
       responsible_unit, township, category, first_flagged, case_ids, contact_ids, event_ids
FROM watchlist WHERE run_id = $1 ORDER BY rank`, runID)
	return err
}

// writeParquet copies exportTable to path as zstd-compressed Parquet. DuckDB writes the file;
// Publish syncs it before renaming it into place.
func writeParquet(ctx context.Context, q *sql.Conn, path string) error {
	return db.Exec(ctx, q, "COPY "+db.Ident(exportTable)+" TO "+db.Literal(path)+" (FORMAT parquet, COMPRESSION zstd)")
}
