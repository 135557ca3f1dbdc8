package review

import (
	"context"
	"database/sql"
	"slices"

	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/i18n"
)

// Execer is what EnsureSchema writes through: *sql.DB, *sql.Conn or *sql.Tx.
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// EnsureSchema creates the review tables that do not exist yet, and gives the watchlist of a
// database only an earlier version has run on the columns the app reads
// (sql/schema_watchlist_columns.sql).
func EnsureSchema(ctx context.Context, q db.Querier) error {
	stmts := Schema
	old, err := db.IsTable(ctx, q, "watchlist")
	if err != nil {
		return i18n.Wrap(err, "web.db.review_tables")
	}
	if old {
		stmts = append(slices.Clip(stmts), watchlistColumnsSQL...)
	}
	if err := db.Exec(ctx, q, stmts...); err != nil {
		return i18n.Wrap(err, "web.db.review_tables")
	}
	return nil
}
