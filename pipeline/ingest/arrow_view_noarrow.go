//go:build !duckdb_arrow

package ingest

import (
	"context"
	"database/sql"
	"errors"

	"github.com/apache/arrow-go/v18/arrow/array"
)

// fromArrow needs DuckDB's Arrow interface, which the duckdb_arrow build tag enables.
func fromArrow(_ context.Context, _ *sql.Conn, _ string, rr array.RecordReader, _ string) error {
	rr.Release()
	return errors.New("this earlywarn was built without -tags duckdb_arrow and cannot load files through a mapping profile; rebuild with go build -tags duckdb_arrow")
}
