package pipeline

import (
	"context"
	"database/sql"
	"time"

	"github.com/earlywarn/earlywarn/internal/i18n"
)

// storeDueSoon stores runID's due-soon list (临期预警) from the case state screening built as of
// asOf: the pending cases whose current stage falls due within days (watchlist.due_soon_days;
// 0: none). It is kept apart from the watchlist and its tiers, in table due_soon, which the
// report, the workbook and the review app read by run. It returns how many cases it holds.
func storeDueSoon(ctx context.Context, q *sql.Conn, runID string, asOf time.Time, days int) (int64, error) {
	res, err := q.ExecContext(ctx, storeDueSoonSQL, sql.Named("run_id", runID),
		sql.Named("as_of", day(asOf)), sql.Named("due_soon_days", days))
	if err != nil {
		return 0, i18n.Wrap(err, "run.err.store_due_soon")
	}
	return res.RowsAffected()
}
