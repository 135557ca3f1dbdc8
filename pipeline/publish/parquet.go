package publish

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/earlywarn/earlywarn/internal/db"
)

// writeParquet writes run runID's watchlist, in rank order, with reasons and change notes in
// lang, to path as zstd-compressed Parquet. DuckDB writes the file, streaming; Publish syncs it
// before renaming it into place.
func writeParquet(ctx context.Context, q *sql.Conn, path, runID, lang string) error {
	stmt := exportParquetSQL.in(lang)
	if _, err := q.ExecContext(ctx, stmt, runID, path); err != nil {
		return fmt.Errorf("%s: %w", db.FirstLine(stmt), err)
	}
	return nil
}
