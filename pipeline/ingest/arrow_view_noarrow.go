//go:build !duckdb_arrow

package ingest

import (
	"context"
	"database/sql"

	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/earlywarn/earlywarn/internal/i18n"
)

// fromArrow needs DuckDB's Arrow interface, which the duckdb_arrow build tag enables.
func fromArrow(_ context.Context, _ *sql.Conn, _ string, rr array.RecordReader, _ string, _ ...any) error {
	rr.Release()
	return i18n.Errorf("ingest.no_arrow")
}
