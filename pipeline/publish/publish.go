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
// last, says which run the folder holds (Shown), and the next run writes the stored run's
// outputs again. quarantine.csv lists the rows of s.QuarantineRuns.
//
// The files are written in three lanes: the full list as Parquet, as CSV, and the leaders'
// report and workbook. Each is mostly one core's work and, at a million matters, about a third
// of the whole. They run side by side when pool may open connections without limit (no
// SetMaxOpenConns) and the watchlist's id lists fit set.Memory three times over (sideBySide),
// the first on q and the others on connections of their own from pool, so Publish reads only
// stored tables; otherwise (pool nil or limited, where waiting for another connection while q
// is held could wait forever, or too little memory) they take turns on q. Progress is reported
// from the calling goroutine only.
func Publish(ctx context.Context, q *sql.Conn, pool *sql.DB, dir string, set Settings, s *runrecord.Summary, rep progress.Reporter) error {
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
	lanes := []func(ctx context.Context, q *sql.Conn) error{
		func(ctx context.Context, q *sql.Conn) error {
			if err := writeParquet(ctx, q, tmp(WatchlistParquet), s.RunID, lang); err != nil {
				return i18n.Wrap(err, "publish.err.write", WatchlistParquet)
			}
			if err := syncFile(tmp(WatchlistParquet)); err != nil {
				return i18n.Wrap(err, "publish.err.write", WatchlistParquet)
			}
			if err := writeQuarantineCSV(ctx, q, tmp(QuarantineCSV), s.QuarantineRuns(), lang, set.Profile); err != nil {
				return i18n.Wrap(err, "publish.err.write", QuarantineCSV)
			}
			if err := writeSummaryJSON(tmp(SummaryJSON), s, lang); err != nil {
				return i18n.Wrap(err, "publish.err.write", SummaryJSON)
			}
			return nil
		},
		func(ctx context.Context, q *sql.Conn) error {
			if err := writeWatchlistCSV(ctx, q, tmp(WatchlistCSV), s.RunID, lang); err != nil {
				return i18n.Wrap(err, "publish.err.write", WatchlistCSV)
			}
			return nil
		},
		func(ctx context.Context, q *sql.Conn) error {
			if err := WriteReport(ctx, q, s.RunID, set, tmp(ReportHTML), now); err != nil {
				return err
			}
			return WriteXLSX(ctx, q, s.RunID, set, tmp(WatchlistXLSX), now)
		},
	}
	step(rep, "publish.step.write")
	if pool != nil {
		fit, err := sideBySide(ctx, q, s.RunID, set.Memory)
		if err != nil {
			return i18n.Wrap(err, "publish.err.write", WatchlistParquet)
		}
		if !fit {
			pool = nil
		}
	}
	if err := runLanes(ctx, q, pool, lanes); err != nil {
		return err
	}
	step(rep, "publish.step.move", dir)
	return renameInto(dir, publishOrder)
}

// idBytes is about what one id of a watchlist's lists costs a lane in DuckDB's memory: a row
// group of watchlist.parquet or a page of watchlist.csv holds its rows' lists, which DuckDB
// cannot spill (measured: a million-case county's 7 M ids needed about 200 MiB in one lane).
const idBytes = 32

// sideBySide reports whether publishing's lanes may run side by side under a memory_limit of
// memory bytes (0: none): when the watchlist's ids, in each of three lanes at once, would take
// at most half of it. Otherwise they take turns, so that a province's watchlist of millions of
// matters publishes within the limit, about a lane's time more slowly.
func sideBySide(ctx context.Context, q *sql.Conn, runID string, memory int64) (bool, error) {
	if memory <= 0 {
		return true, nil
	}
	var ids int64
	if err := q.QueryRowContext(ctx, evidenceIDsSQL, runID).Scan(&ids); err != nil {
		return false, err
	}
	return 3*ids*idBytes <= memory/2, nil
}

// runLanes runs the lanes side by side, the first on q and each other on a connection of its
// own from pool, when pool opens connections without limit; one after the other on q otherwise.
func runLanes(ctx context.Context, q *sql.Conn, pool *sql.DB, lanes []func(context.Context, *sql.Conn) error) error {
	if pool == nil || pool.Stats().MaxOpenConnections != 0 {
		for _, lane := range lanes {
			if err := lane(ctx, q); err != nil {
				return err
			}
		}
		return nil
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return lanes[0](gctx, q) })
	for _, lane := range lanes[1:] {
		g.Go(func() error {
			c, err := pool.Conn(gctx)
			if err != nil {
				return err
			}
			defer c.Close()
			return lane(gctx, c)
		})
	}
	return g.Wait()
}
