package publish

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/earlywarn/earlywarn/internal/db"
)

// exportTable is the connection-local table of the run's watchlist as it is exported, with
// reasons and change notes in the output language; the Parquet file and the CSV read it.
const exportTable = "export"

// exportWatchlist fills exportTable with run runID's watchlist, in rank order, with reasons
// and change notes in lang.
func exportWatchlist(ctx context.Context, q *sql.Conn, runID, lang string) error {
	_, err := q.ExecContext(ctx, exportTableSQL.in(lang), runID)
	return err
}

// writeParquet copies exportTable to path as zstd-compressed Parquet. DuckDB writes the file;
// Publish syncs it before renaming it into place.
func writeParquet(ctx context.Context, q *sql.Conn, path string) error {
	if _, err := q.ExecContext(ctx, exportParquetSQL, path); err != nil {
		return fmt.Errorf("%s: %w", db.FirstLine(exportParquetSQL), err)
	}
	return nil
}
