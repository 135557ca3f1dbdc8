// Package publish writes what a run and a backtest produced into the output folder, one file
// per format: watchlist.parquet, watchlist.csv, quarantine.csv, watchlist.xlsx, report.html,
// summary.json, and backtest.csv and backtest.svg. Every file is written under a temporary
// name, synced and renamed into place (atomic.go), summary.json last. Headers, sheet names and
// labels come from the message catalogue (internal/i18n).
//
// It reads the run's tables in DuckDB and the records in pipeline/runrecord; it never imports
// the pipeline, which calls Publish once a run is stored.
package publish

import (
	"context"
	"database/sql"
	"os"
	"slices"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/internal/progress"
	"github.com/earlywarn/earlywarn/pipeline/runrecord"
)

// Output file names in the output folder.
const (
	WatchlistParquet = "watchlist.parquet"
	WatchlistCSV     = "watchlist.csv"
	SummaryJSON      = "summary.json"
	QuarantineCSV    = "quarantine.csv"
	ReportHTML       = "report.html"
	WatchlistXLSX    = "watchlist.xlsx"
	BacktestCSV      = "backtest.csv"
	BacktestSVG      = "backtest.svg"
)

// outputs are the files Publish writes, in the order of Summary.Outputs.
var outputs = []string{WatchlistParquet, WatchlistCSV, SummaryJSON, QuarantineCSV, ReportHTML, WatchlistXLSX}

// publishOrder is the order in which the outputs are renamed into place: summary.json, which
// names the run, comes last.
var publishOrder = []string{WatchlistParquet, WatchlistCSV, QuarantineCSV, ReportHTML, WatchlistXLSX, SummaryJSON}

// Outputs returns the names of the files Publish writes, in the order the run record lists
// them.
func Outputs() []string { return slices.Clone(outputs) }

// step reports the catalogue message key.
func step(rep progress.Reporter, key string, args ...any) { rep.Step(key, args...) }

// Publish writes run s's watchlist, quarantined rows, summary, report and workbook into dir,
// with headers, labels and reasons in set.Lang. Every file is written under a temporary name,
// synced, and renamed into place once all are complete, so a reader never sees a half-written
// file; temporary files left by a killed run are replaced. A run killed while renaming can
// leave some files of the new run beside others of the previous one; summary.json, renamed
// last, names the run the folder shows whole.
//
// The files are written side by side in three lanes, each on a connection of its own from pool
// (so Publish reads only stored tables): the full list as Parquet, as CSV, and the leaders'
// report and workbook. Each is mostly one core's work and, at a million matters, about a third
// of the whole. Progress is reported from the calling goroutine only.
func Publish(ctx context.Context, pool *sql.DB, dir string, set Settings, s *runrecord.Summary, rep progress.Reporter) error {
	lang := set.Lang
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return i18n.Wrap(err, "publish.err.output_folder", dir)
	}
	if err := removeTemps(dir, publishOrder); err != nil {
		return err
	}
	tmp := func(name string) string { return tempName(dir, name) }
	now := time.Now().UTC()
	if set.Location != nil {
		now = now.In(set.Location)
	}
	step(rep, "publish.step.write")
	g, gctx := errgroup.WithContext(ctx)
	lane := func(write func(q *sql.Conn) error) {
		g.Go(func() error {
			q, err := pool.Conn(gctx)
			if err != nil {
				return err
			}
			defer q.Close()
			return write(q)
		})
	}
	lane(func(q *sql.Conn) error {
		if err := writeParquet(gctx, q, tmp(WatchlistParquet), s.RunID, lang); err != nil {
			return i18n.Wrap(err, "publish.err.write", WatchlistParquet)
		}
		if err := syncFile(tmp(WatchlistParquet)); err != nil {
			return i18n.Wrap(err, "publish.err.write", WatchlistParquet)
		}
		if err := writeQuarantineCSV(gctx, q, tmp(QuarantineCSV), s.QuarantineRuns(), lang); err != nil {
			return i18n.Wrap(err, "publish.err.write", QuarantineCSV)
		}
		if err := writeSummaryJSON(tmp(SummaryJSON), s); err != nil {
			return i18n.Wrap(err, "publish.err.write", SummaryJSON)
		}
		return nil
	})
	lane(func(q *sql.Conn) error {
		if err := writeWatchlistCSV(gctx, q, tmp(WatchlistCSV), s.RunID, lang); err != nil {
			return i18n.Wrap(err, "publish.err.write", WatchlistCSV)
		}
		return nil
	})
	lane(func(q *sql.Conn) error {
		if err := WriteReport(gctx, q, s.RunID, set, tmp(ReportHTML), now); err != nil {
			return err
		}
		return WriteXLSX(gctx, q, s.RunID, set, tmp(WatchlistXLSX), now)
	})
	if err := g.Wait(); err != nil {
		return err
	}
	step(rep, "publish.step.move", dir)
	return renameInto(dir, publishOrder)
}
