package publish

import (
	"context"
	"database/sql"

	"github.com/earlywarn/earlywarn/internal/db"
)

// runSummary is what report.html and the workbook's summary sheet both count of a run's
// watchlist: its items per tier (red first), and per rule, township and category (most
// first). Each Count's Label is its Key.
type runSummary struct {
	ByTier, ByRule, ByTownship, ByCategory []Count
}

// total is the number of the run's watchlist items.
func (s *runSummary) total() int64 {
	var n int64
	for _, c := range s.ByTier {
		n += c.N
	}
	return n
}

// loadRun reads run runID's as-of date and when it finished (NULL while it runs); the error is
// sql.ErrNoRows when there is no such run.
func loadRun(ctx context.Context, q db.Querier, runID string) (asOf string, finished sql.NullTime, err error) {
	err = q.QueryRowContext(ctx, runSQL, runID).Scan(&asOf, &finished)
	return asOf, finished, err
}

// loadSummary counts run runID's watchlist items.
func loadSummary(ctx context.Context, q db.Querier, runID string) (*runSummary, error) {
	s := &runSummary{}
	for _, g := range []struct {
		into *[]Count
		sql  string
	}{
		{&s.ByTier, summaryTierSQL},
		{&s.ByRule, summaryRuleSQL},
		{&s.ByTownship, summaryTownSQL},
		{&s.ByCategory, summaryCatSQL},
	} {
		all, err := db.Collect(ctx, q, g.sql, []any{runID}, func(rows *sql.Rows) (Count, error) {
			var c Count
			err := rows.Scan(&c.Key, &c.N)
			c.Label = c.Key
			return c, err
		})
		if err != nil {
			return nil, err
		}
		*g.into = all
	}
	return s, nil
}
