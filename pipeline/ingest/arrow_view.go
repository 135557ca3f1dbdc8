package ingest

import (
	"context"
	"database/sql"
	"errors"

	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/i18n"
)

// fromArrow is db.FromArrow, its error in a build without the duckdb_arrow tag in words.
func fromArrow(ctx context.Context, q *sql.Conn, name string, rr array.RecordReader, stmt string, args ...any) error {
	err := db.FromArrow(ctx, q, name, rr, stmt, args...)
	if errors.Is(err, db.ErrNoArrow) {
		return i18n.Errorf("ingest.no_arrow")
	}
	return err
}
