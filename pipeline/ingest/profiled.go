package ingest

import (
	"context"
	"database/sql"
	"errors"
	"runtime"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/earlywarn/earlywarn/data"
	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/internal/pseudo"
)

// loadProfiled maps one file through its profile in Go, hands the rows and rejects to DuckDB
// as Arrow batches, validates codes and duplicate ids there, and loads the cases with the
// contact and events each implies: the first contact on the received date, "accepted" on the
// received date and "closed" on the closing date. It fills res's counts and timings.
func loadProfiled(ctx context.Context, q *sql.Conn, runID string, f InputFile, res *FileResult) error {
	in := f.src
	r, err := openSource(in.mapping, f.Path)
	if err != nil {
		return err
	}
	defer r.Close()
	makeMapper := func() *mapper {
		var hasher *pseudo.Hasher
		if in.hasher != nil {
			hasher = in.hasher.Clone()
		}
		return newMapper(in.mapping, hasher, in.zone, f.latest)
	}
	// The rows are loaded while later ones are still being mapped: Go side and hand-off
	// overlap, and are timed up to the last batch handed over and from there.
	start := time.Now()
	cases := streamCases(ctx, r, makeMapper, runtime.GOMAXPROCS(0))
	loadErr := fromArrow(ctx, q, srcCasesView, cases, renderSQL(profiledStageSQL, nil))
	counts, mapped, err := cases.Wait()
	switch {
	case err != nil && !errors.Is(err, errStopped):
		return err // a read error, which DuckDB saw as a failing stream
	case ctx.Err() != nil:
		return ctx.Err()
	case loadErr != nil:
		return i18n.Wrap(loadErr, "ingest.load", f.Path)
	case err != nil:
		return i18n.Errorf("ingest.bug.stopped", f.Path)
	}
	res.GoSeconds = mapped.Sub(start).Seconds()
	rejects, err := array.NewRecordReader(rejectSchema, []arrow.RecordBatch{rejectBatch(counts.Rejects)})
	if err != nil {
		return err
	}
	if err := fromArrow(ctx, q, srcRejectsView, rejects, renderSQL(profiledRejectsSQL, nil), runID, f.Path); err != nil {
		return i18n.Wrap(err, "ingest.load", f.Path)
	}
	res.HandOffSeconds = time.Since(mapped).Seconds()
	dropped, err := validate(ctx, q, runID, f, stageSrcTable, "_line")
	if err != nil {
		return err
	}
	var loaded int64
	if err := q.QueryRowContext(ctx, renderSQL(tableCountSQL, map[string]any{"table": db.Name(stageSrcTable)})).Scan(&loaded); err != nil {
		return err
	}
	read, quarantined := counts.Read, int64(len(counts.Rejects))+dropped
	if read != loaded+quarantined {
		return i18n.Errorf("ingest.bug.counts", f.Path, read, loaded, quarantined)
	}
	// Records this file replaces are deleted first; a first load, into empty tables, has none.
	var replacing bool
	if err := q.QueryRowContext(ctx, renderSQL(profiledReplacingSQL, nil)).Scan(&replacing); err != nil {
		return i18n.Wrap(err, "ingest.load", f.Path)
	}
	for _, stmt := range profiledSQL(replacing) {
		if _, err := execSQL(ctx, q, stmt); err != nil {
			return i18n.Wrap(err, "ingest.load", f.Path)
		}
	}
	if err := db.DropTemp(ctx, q, stageSrcTable); err != nil {
		return err
	}
	res.Read, res.Loaded, res.Quarantined = read, loaded, quarantined
	return nil
}

// profiledSQL are the statements that load the mapped cases of stage_src with the contact and
// events each implies, deleting first the records they replace when replacing.
func profiledSQL(replacing bool) []string {
	var stmts []string
	if replacing {
		stmts = append(stmts, renderSQL(profiledDeleteCasesSQL, nil), renderSQL(profiledDeleteContactsSQL, nil),
			renderSQL(profiledDeleteEventsSQL, nil))
	}
	return append(stmts,
		renderSQL(profiledCasesSQL, map[string]any{"case_cols": columnNames(data.Cases)}),
		renderSQL(profiledContactsSQL, nil),
		renderSQL(profiledEventsSQL, nil),
		renderSQL(profiledPersonKeysSQL, nil))
}
