// Package ingest loads a run's input files into the canonical tables of a DuckDB database
// (cases, contacts, events and person_keys; see package data), quarantines every row it cannot
// load with its file, line, field, reason and raw value (table quarantine), and records each
// file it loaded (table loaded_files), so that a file is loaded once.
//
// Input files come in two kinds. Canonical files (cases, contacts and events, as CSV or
// Parquet) load through DuckDB's own readers and are checked in SQL. Files in another layout
// are read through a mapping profile (configs.Profile): each record is mapped onto a canonical
// case in Go, its dates, id numbers and phones checked and its personal identifiers replaced
// by keyed hashes on the way, and the rows are handed to DuckDB as Arrow record batches (which
// needs the duckdb_arrow build tag).
//
// Resolve finds a run's files, CheckHeaders checks what it can of them before a run reads any
// data, and Load loads them within the caller's transaction.
package ingest

import (
	"context"
	"database/sql"
	"slices"
	"time"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/data"
	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/internal/progress"
)

// Load loads files, in order, into the database of q within the caller's transaction, and
// returns what became of each. A file whose checksum was loaded before into the same table is
// skipped. A file an interrupted run loaded (in adopted, by checksum and table; see
// FileResult.LoadedBy) is not loaded again: its result is that load's. Adopted files that are
// not among files follow the others, so that the run accounts for every row it adopted. A file
// with more of its rows quarantined than limits.MaxRejectRate allows fails the load with a
// *RejectRateError, once every file has been read, so that the error names each such file
// (RejectRateErrors when there are several). rep (nil for none) hears of each file as it starts.
func Load(ctx context.Context, q *sql.Conn, runID string, files []InputFile, adopted []FileResult, limits configs.Quarantine, rep progress.Reporter) ([]FileResult, error) {
	if rep == nil {
		rep = progress.Quiet{}
	}
	adopted = slices.Clone(adopted)
	var results []FileResult
	var rejects RejectRateErrors
	for _, f := range files {
		if f.Ignored {
			results = append(results, FileResult{Input: f.Input})
			continue
		}
		rep.Step("run.step.load", f.Path)
		start := time.Now()
		f, err := f.checksummed()
		if err != nil {
			return nil, err
		}
		if i := slices.IndexFunc(adopted, func(a FileResult) bool {
			return a.SHA256 == f.SHA256 && a.TableName == f.Table.Name && a.Mapping == f.Mapping
		}); i >= 0 {
			results = append(results, adopted[i])
			adopted = slices.Delete(adopted, i, i+1)
			continue
		}
		res, err := loadFile(ctx, q, runID, f, start)
		if err != nil {
			return nil, err
		}
		if res.Quarantined > 0 {
			if res.Rejected, err = rejectedFields(ctx, q, runID, res, f.src); err != nil {
				return nil, err
			}
		}
		if err := checkRejectRate(res, limits.MaxRejectRate); err != nil {
			e, ok := err.(*RejectRateError)
			if !ok {
				return nil, err
			}
			rejects = append(rejects, e)
		}
		results = append(results, res)
	}
	switch len(rejects) {
	case 0:
	case 1:
		return nil, rejects[0]
	default:
		return nil, rejects
	}
	return append(results, adopted...), nil
}

// loadFile loads one file, checksummed, into its table inside the caller's transaction; a file
// read through a mapping profile goes through loadProfiled instead. start is when the file's
// turn began, before waiting for its checksum, which its Seconds include. Rows that cannot be
// parsed, lack a required field, carry an unknown code or a placeholder or future date, or
// repeat an id within the file go to the quarantine table with the file, line, field, reason
// and raw value. A record whose id is already in the table is replaced.
func loadFile(ctx context.Context, q *sql.Conn, runID string, f InputFile, start time.Time) (FileResult, error) {
	res := FileResult{Input: f.Input, TableName: f.Table.Name}
	var seen int
	if err := q.QueryRowContext(ctx, renderSQL(loadSeenSQL, nil), f.SHA256, f.Table.Name, f.Mapping).Scan(&seen); err != nil {
		return res, err
	}
	if seen > 0 {
		res.Skipped = true
		return res, nil
	}
	if f.src != nil {
		if err := loadProfiled(ctx, q, runID, f, &res); err != nil {
			return res, err
		}
		if err := checkAccount(res); err != nil {
			return res, err
		}
		return res, recordFile(ctx, q, runID, &res, start)
	}
	// Into an empty table rows load directly and bad ones are taken out again; otherwise they
	// go through a staging table so that records already loaded can be replaced.
	var existing int64
	table := db.Name(f.Table.Name)
	if err := q.QueryRowContext(ctx, renderSQL(tableCountSQL, map[string]any{"table": table})).Scan(&existing); err != nil {
		return res, err
	}
	into := f.Table.Name
	if existing > 0 {
		into = stageTable
		if _, err := execSQL(ctx, q, renderSQL(stageCreateSQL, map[string]any{"table": table})); err != nil {
			return res, err
		}
	}
	var read, loaded, rejected, first int64
	var err error
	switch f.Format {
	case "csv":
		read, loaded, rejected, err = loadCSV(ctx, q, runID, f, into)
	case "parquet":
		read, loaded, rejected, first, err = loadParquet(ctx, q, runID, f, into)
	}
	if err != nil {
		return res, err
	}
	dropped, err := validate(ctx, q, runID, f, into, "", first)
	if err != nil {
		return res, err
	}
	// What stays in into is what this file loads (new records and replacements).
	res.Loaded, res.Quarantined = loaded-dropped, rejected+dropped
	if into == stageTable {
		del, ins := replaceSQL(f.Table)
		if _, err := execSQL(ctx, q, del); err != nil {
			return res, i18n.Wrap(err, "ingest.load", f.Path)
		}
		if _, err := execSQL(ctx, q, ins); err != nil {
			return res, i18n.Wrap(err, "ingest.load", f.Path)
		}
		if err := db.DropTemp(ctx, q, stageTable); err != nil {
			return res, err
		}
	}
	res.Read = read
	if err := checkAccount(res); err != nil {
		return res, err
	}
	return res, recordFile(ctx, q, runID, &res, start)
}

// checkAccount fails a file whose records read, counted by the reader's own count of the file,
// are not all either loaded or quarantined.
func checkAccount(res FileResult) error {
	if res.Read != res.Loaded+res.Quarantined {
		return i18n.Errorf("ingest.bug.counts", res.Path, res.Read, res.Loaded, res.Quarantined)
	}
	return nil
}

// recordFile stores the file's checksum and counts, so that it is skipped next time.
func recordFile(ctx context.Context, q *sql.Conn, runID string, res *FileResult, start time.Time) error {
	res.Seconds = time.Since(start).Seconds()
	_, err := execSQL(ctx, q, renderSQL(loadRecordSQL, nil),
		res.SHA256, res.Path, res.Table.Name, res.Read, res.Loaded, res.Quarantined, runID, res.Mapping)
	return err
}

// replaceSQL are the statements that move a staged file's records into table t, replacing the
// records with the same ids.
func replaceSQL(t data.Table) (del, ins string) {
	d := map[string]any{"table": db.Name(t.Name), "key": db.Name(t.Key), "cols": columnNames(t)}
	return renderSQL(replaceDelSQL, d), renderSQL(replaceInsSQL, d)
}
