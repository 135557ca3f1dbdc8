//go:build !duckdb_arrow

package pipeline

import (
	"context"
	"database/sql"
	"errors"

	"github.com/apache/arrow-go/v18/arrow"
)

// fromArrow needs DuckDB's Arrow interface, which the duckdb_arrow build tag enables.
func fromArrow(context.Context, *sql.Conn, string, *arrow.Schema, []arrow.RecordBatch, string) error {
	return errors.New("this earlywarn was built without -tags duckdb_arrow and cannot load files through a mapping profile; rebuild with go build -tags duckdb_arrow")
}
