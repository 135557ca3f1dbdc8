package pipeline

import (
	"context"
	"database/sql"
	"time"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/i18n"
)

// States of a matter against the previous run.
const (
	StateNew        = "new"        // never on a watchlist before
	StateContinuing = "continuing" // on the previous watchlist, not materially worse
	StateWorse      = "worse"      // on the previous watchlist, materially worse now
	StateReopened   = "reopened"   // listed in an earlier run, or dismissed, and back
	StateCleared    = "cleared"    // on the previous watchlist, off this one
	StateSuppressed = "suppressed" // dismissed in review and not materially worse since
)

// States lists the states in report order.
var States = []string{StateNew, StateWorse, StateReopened, StateContinuing, StateCleared, StateSuppressed}

// track compares the run's items (in runItemsTable) with the previous run's watchlist and with
// review dismissals, writing only temporary tables; storeWatchlist then stores the outcome.
// The previous run is the latest with an earlier as-of date, so that a re-run of a night (a
// corrected export, a run killed while publishing) is compared with the night before, as the
// first attempt was, and gives the same watchlist.
//
//   - it measures each item (distinct complainants, highest level reached, days past the
//     deadline) so later runs can tell whether the matter got materially worse;
//   - it gives each item a state and a note saying what changed;
//   - it holds back items whose dismissal is still in force, and marks for lifting the
//     dismissal of items that got materially worse than when they were dismissed, saying why
//     they came back;
//   - it says so in the note of an item marked resolved in review that the data still flags.
//
// Materially worse means more distinct complainants, a higher level reached, newly past a
// deadline or at least w.WorseOverdueDays further past it; against the previous run a higher
// tier counts too (see sql/track_changes.sql). Without closing data (deadlines false: the input
// check's runrecord.WarnNoClosing) no deadline means anything: no item has days past one (NULL),
// and none is worse for them. It returns the previous run's id and as-of date ("" for none), and
// how many runs were stored as of asOf itself before this one.
func track(ctx context.Context, q *sql.Conn, w configs.Watchlist, asOf time.Time, deadlines bool) (prevRun, prevAsOf string, sameDay int, err error) {
	var id sql.NullString
	var on sql.NullTime
	day := sql.Named("as_of", asOf.Format(time.DateOnly))
	if err := q.QueryRowContext(ctx, prevRunSQL, day).Scan(&id, &on, &sameDay); err != nil {
		return "", "", 0, i18n.Wrap(err, "run.err.prev_run")
	}
	args := []any{sql.Named("prev_run", id.String), day, sql.Named("step", w.WorseOverdueDays), sql.Named("deadlines", deadlines)}
	if err := execStatements(ctx, q, args, trackChangesSQL...); err != nil {
		return "", "", 0, i18n.Wrap(err, "run.err.tracking")
	}
	if on.Valid {
		prevAsOf = on.Time.Format(time.DateOnly)
	}
	return id.String, prevAsOf, sameDay, nil
}

// watchlistSpanRuns is the most runs one stored span of a watchlist item covers: a week of
// nightly runs. Reading a run's watchlist reads the spans of its last week of runs; an item
// unchanged all week is stored again once a week.
const watchlistSpanRuns = 7

// storeWatchlist stores the run's items as the watchlist of runID, the seq-th run stored, as
// of asOf, without those held back by a dismissal, ranked 1..n by tier, then score (highest
// first), the date first flagged and the matter id: each item once for the consecutive runs
// that list it alike, its rank and measures every run (sql/store_watchlist.sql). It lifts the
// dismissals of matters that came back, and records the run's changes against prevRun,
// including the matters it cleared. It returns the number of items per state.
func storeWatchlist(ctx context.Context, q *sql.Conn, runID string, seq int64, asOf time.Time, prevRun string) (map[string]int64, error) {
	args := []any{sql.Named("run_id", runID), sql.Named("seq", seq), sql.Named("span_runs", watchlistSpanRuns),
		sql.Named("as_of", asOf.Format(time.DateOnly)), sql.Named("prev_run", prevRun)}
	if err := execStatements(ctx, q, args, storeWatchlistSQL...); err != nil {
		return nil, i18n.Wrap(err, "run.err.store_watchlist")
	}
	counts, err := db.Counts(ctx, q, changeCountsSQL, sql.Named("run_id", runID))
	if err != nil {
		return nil, i18n.Wrap(err, "run.err.store_watchlist")
	}
	return counts, nil
}
