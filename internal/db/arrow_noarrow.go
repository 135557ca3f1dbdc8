//go:build !duckdb_arrow

package db

import (
	"context"
	"database/sql"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// ArrowAvailable reports whether this build has DuckDB's Arrow interface (build tag
// duckdb_arrow), which FromArrow needs.
const ArrowAvailable = false

// FromArrow needs DuckDB's Arrow interface, which the duckdb_arrow build tag enables: here it
// releases rr and fails with ErrNoArrow.
func FromArrow(_ context.Context, _ *sql.Conn, _ string, rr array.RecordReader, _ string, _ ...any) error {
	rr.Release()
	return ErrNoArrow
}

// Records runs query on q and calls each with every record batch of its result, in order: here,
// without DuckDB's Arrow interface, through database/sql (recordsFromRows).
func Records(ctx context.Context, q *sql.Conn, query string, args []any, each func(arrow.RecordBatch) error) error {
	return recordsFromRows(ctx, q, query, args, each)
}
