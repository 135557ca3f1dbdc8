package pipeline

import (
	"context"
	"database/sql"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/pipeline/publish"
)

// Outputs are re-derivable: everything a run publishes is in the database (its watchlist, its
// quarantined rows, its record in runs.record), so a run that finds the output folder without
// the latest stored run's outputs, whole, writes them again before it loads anything
// (republish). A run stored and then killed or failed while publishing is the usual cause; a
// deleted file or another --out are others.
//
// Writing them again is not enough on its own: the run that does it publishes its own outputs
// moments later, and its quarantine.csv would list only what it loaded itself, so the rows the
// unpublished run rejected would never reach a reader. So quarantine.csv and the run record's
// inputs cover every run since the last one whose outputs were in the folder whole (the run
// summary.json names; summary.json is renamed into place last): the new run carries those
// runs' files and quarantined rows (carryUnpublished, Summary.UnpublishedRuns), and read =
// loaded + quarantined still holds for each file it lists.

// unpublished is what a run found in the output folder before it loaded anything.
type unpublished struct {
	republished string   // the latest stored run, whose outputs were written again; "" if they were in place
	runs        []string // the stored runs since the last one the folder showed whole, oldest first
}

// republish writes the latest stored run's outputs again from the database when the output
// folder does not hold them whole, and returns which runs' outputs never reached the folder.
func republish(ctx context.Context, ses *session, cfg configs.Config, rep Reporter) (unpublished, error) {
	var u unpublished
	q := ses.conn
	var tables int
	if err := q.QueryRowContext(ctx, hasRunsSQL).Scan(&tables); err != nil || tables == 0 {
		return u, err // a new database: no run to publish
	}
	// A database an earlier version made gains runs.record before it is read.
	if err := db.InTransaction(ctx, q, func() error { return ses.createSchema(ctx, cfg.Database) }); err != nil {
		return u, err
	}
	latest, err := db.Column[string](ctx, q, latestRunSQL)
	if err != nil || len(latest) == 0 {
		return u, err
	}
	shown, whole, err := publish.Shown(cfg.Output)
	if err != nil || shown == latest[0] && whole {
		return u, err
	}
	if shown != latest[0] {
		if u.runs, err = db.Column[string](ctx, q, runsAfterSQL, shown); err != nil {
			return u, i18n.Wrap(err, "run.err.unpublished")
		}
		if len(u.runs) == 0 { // the folder shows no run of this database
			u.runs = latest
		}
	}
	rec, err := storedRecord(ctx, q, latest[0], cfg.Database)
	if err != nil {
		return u, i18n.Wrap(err, "run.err.stored_record", latest[0])
	}
	rec.Outputs = outputPaths(cfg.Output)
	rep.Step("run.step.republish", rec.RunID, cfg.Output)
	if err := publish.Publish(ctx, q, ses.db, cfg.Output, PublishSettings(cfg), rec, rep); err != nil {
		return u, i18n.Wrap(err, "run.err.republish", rec.RunID, cfg.Output)
	}
	u.republished = rec.RunID
	return u, nil
}

// PublishSettings are how cfg has the outputs written.
func PublishSettings(cfg configs.Config) publish.Settings {
	loc, err := time.LoadLocation(cfg.TimeZone)
	if err != nil {
		loc = time.UTC // configs.Validate rejects such a zone
	}
	var prof *configs.Profile
	if cfg.Profile != "" {
		prof, _ = configs.LoadProfile(cfg.ProfilePath()) // the run read it; republishing without it names no columns
	}
	return publish.Settings{Lang: cfg.Lang, LeaderTop: cfg.Watchlist.LeaderTop, SheetRows: cfg.Watchlist.SheetRows, Location: loc,
		Memory: duckDBMemoryBytes(cfg), Profile: prof}
}

// outputPaths are the paths of the files Publish writes into dir, as the run record lists them.
func outputPaths(dir string) []string {
	var out []string
	for _, name := range publish.Outputs() {
		out = append(out, filepath.Join(dir, name))
	}
	return out
}

// storedRecord reads run runID's record from the runs table. A run an earlier version stored
// has none: its record is rebuilt from the columns it has and its watchlist's counts (database
// names the database, which the columns do not).
func storedRecord(ctx context.Context, q *sql.Conn, runID, database string) (*Summary, error) {
	var record, inputs, rules, timings sql.NullString
	var started, finished sql.NullTime
	s := &Summary{Database: database}
	err := q.QueryRowContext(ctx, storedRecordSQL, runID).Scan(&record, &s.RunID, &started, &finished, &s.AsOf,
		&s.Version, &s.ConfigPath, &s.ConfigHash, &inputs, &rules, &timings, &s.WatchlistItems)
	if err != nil {
		return nil, err
	}
	if record.Valid {
		s = &Summary{}
		return s, json.Unmarshal([]byte(record.String), s)
	}
	s.StartedAt, s.FinishedAt = started.Time.UTC(), finished.Time.UTC()
	for _, col := range []struct {
		js   sql.NullString
		into any
	}{{inputs, &s.Inputs}, {rules, &s.Rules}, {timings, &s.Timings}} {
		if col.js.Valid {
			if err := json.Unmarshal([]byte(col.js.String), col.into); err != nil {
				return nil, err
			}
		}
	}
	if s.Tiers, s.Families, err = watchlistCounts(ctx, q, runID); err != nil {
		return nil, err
	}
	s.States, err = db.Counts(ctx, q, changeCountsSQL, sql.Named("run_id", runID))
	return s, err
}

// carryUnpublished adds to a run's file results those of the runs whose outputs never reached
// the output folder (see republish): a file this run skipped as loaded before takes that
// run's result, the others follow.
func carryUnpublished(ctx context.Context, q *sql.Conn, runs []string, results []FileResult) ([]FileResult, error) {
	if len(runs) == 0 {
		return results, nil
	}
	carried, err := storedLoads(ctx, q, unpublishedLoadsSQL, []any{runs}, func(r *FileResult, run string) { r.UnpublishedRun = run })
	if err != nil {
		return nil, i18n.Wrap(err, "run.err.unpublished")
	}
	for _, c := range carried {
		if i := slices.IndexFunc(results, func(r FileResult) bool {
			return r.Skipped && r.SHA256 == c.SHA256 && r.TableName == c.TableName && r.Mapping == c.Mapping
		}); i >= 0 {
			results[i] = c
		} else {
			results = append(results, c)
		}
	}
	return results, nil
}

// storedLoads reads the loaded_files rows of stmt (run, checksum, path, table, rows read,
// loaded and quarantined, mapping) as file results; by records the run that loaded each.
func storedLoads(ctx context.Context, q *sql.Conn, stmt string, args []any, by func(r *FileResult, run string)) ([]FileResult, error) {
	return db.Collect(ctx, q, stmt, args, func(rows *sql.Rows) (FileResult, error) {
		var r FileResult
		var run string
		err := rows.Scan(&run, &r.SHA256, &r.Path, &r.TableName, &r.Read, &r.Loaded, &r.Quarantined, &r.Mapping)
		r.Format = strings.TrimPrefix(filepath.Ext(r.Path), ".")
		by(&r, run)
		return r, err
	})
}
