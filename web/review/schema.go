package review

import (
	"context"
	"database/sql"

	"github.com/earlywarn/earlywarn/internal/i18n"
)

// Execer is what EnsureSchema writes through: *sql.DB, *sql.Conn or *sql.Tx.
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// EnsureSchema creates the review tables that do not exist yet.
func EnsureSchema(ctx context.Context, q Execer) error {
	for _, s := range Schema {
		if _, err := q.ExecContext(ctx, s); err != nil {
			return i18n.Wrap(err, "web.db.review_tables")
		}
	}
	return nil
}
