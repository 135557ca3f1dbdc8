package ingest

import (
	"context"
	"database/sql"
	"encoding/json"
	"math"
	"strings"

	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/pipeline/runrecord"
)

// RejectRateError is a run stopped because one input file had more rows quarantined than
// quarantine.max_reject_rate allows; nothing was stored.
type RejectRateError struct {
	File              string
	Read, Quarantined int64
	Limit             float64
	Fields            []RejectedField // the fields most rejects name, most first (at most 3)
	Profiled          bool            // read through a profile, whose map can take unknown codes
}

// RejectedField counts a file's rejects that name one field.
type RejectedField = runrecord.RejectedField

// Rate is the share of the file's rows that were quarantined.
func (e *RejectRateError) Rate() float64 { return float64(e.Quarantined) / float64(e.Read) }

// passRate is the max_reject_rate, in hundredths, that lets the file through.
func (e *RejectRateError) passRate() float64 { return math.Ceil(100*e.Rate()) / 100 }

func (e *RejectRateError) Error() string { return e.Localize(i18n.Default) }

// Localize renders the error in lang, with the reason of each field's first reject.
func (e *RejectRateError) Localize(lang string) string {
	list := runrecord.RejectedList(lang, e.Fields, e.Quarantined, e.Profiled)
	for _, f := range e.Fields {
		if f.Rows == e.Read { // a mapping that fits no row, not rows to let through
			return i18n.T(lang, "ingest.reject_rate_every_row", e.File, e.Quarantined, e.Read, 100*e.Rate(), e.Limit, 100*e.Limit,
				list, runrecord.FieldInColumns(lang, f.Field, f.Columns))
		}
	}
	for _, f := range e.Fields {
		if 2*f.Rows > e.Read { // most likely a mapping that fits some rows only (one date layout of several)
			return i18n.T(lang, "ingest.reject_rate_most_rows", e.File, e.Quarantined, e.Read, 100*e.Rate(), e.Limit, 100*e.Limit,
				list, runrecord.FieldInColumns(lang, f.Field, f.Columns), f.Rows, e.passRate(), e.Read-e.Quarantined)
		}
	}
	return i18n.T(lang, "ingest.reject_rate", e.File, e.Quarantined, e.Read, 100*e.Rate(), e.Limit, 100*e.Limit,
		list, e.passRate())
}

// RejectRateErrors is a load stopped because several input files had more rows quarantined
// than quarantine.max_reject_rate allows, in the order they were read.
type RejectRateErrors []*RejectRateError

func (es RejectRateErrors) Error() string { return es.Localize(i18n.Default) }

func (es RejectRateErrors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// Localize renders a line that says how many files and the limit that lets them all through,
// then each file's error on a line of its own.
func (es RejectRateErrors) Localize(lang string) string {
	rate := 0.0
	lines := make([]string, len(es))
	for i, e := range es {
		rate = max(rate, e.passRate())
		lines[i] = "  " + e.Localize(lang)
	}
	return i18n.T(lang, "ingest.reject_rate_files", len(es), rate) + "\n" + strings.Join(lines, "\n")
}

// rejectedFields are the fields most of file res's rejects in run runID name (see
// FileResult.Rejected); src is the profile's source the file was read through (nil for a
// canonical file), which names their columns.
func rejectedFields(ctx context.Context, q *sql.Conn, runID string, res FileResult, src *profileInput) ([]RejectedField, error) {
	fields, err := db.Collect(ctx, q, renderSQL(rejectRateSQL, nil), []any{runID, res.Path},
		func(rows *sql.Rows) (RejectedField, error) {
			var f RejectedField
			var reason string
			err := rows.Scan(&f.Field, &f.Rows, &f.FirstLine, &reason)
			f.Reason = json.RawMessage(reason)
			if reason == "" {
				f.Reason = json.RawMessage("[]")
			}
			if src != nil {
				f.Columns, f.Written = src.mapping.Columns(f.Field), src.mapping.Written(f.Field)
			}
			return f, err
		})
	if err != nil {
		return nil, i18n.Wrap(err, "ingest.reject_count", res.Path)
	}
	return fields, nil
}

// checkRejectRate fails the run when file res had more of its rows quarantined than limit,
// those sent twice aside (the export's, not the profile's).
func checkRejectRate(res FileResult, limit float64) error {
	rejected := res.Quarantined - res.SentTwice
	if res.Skipped || res.Read == 0 || float64(rejected) <= limit*float64(res.Read) {
		return nil
	}
	return &RejectRateError{File: res.Path, Read: res.Read, Quarantined: rejected, Limit: limit, Profiled: res.Mapping != "", Fields: res.Rejected}
}

// csvRejectLines fills the temp table reject_lines (rid, line) with the file line of each row
// in stage_rejects. read_csv reports no line for rows it accepts, but it loads them in file
// order: the k-th row of table is the k-th record it was given and did not reject. Going
// through the file's records again as its census does finds that record's line.
func csvRejectLines(ctx context.Context, q *sql.Conn, runID string, f InputFile, table string) error {
	if _, err := execSQL(ctx, q, renderSQL(rejectLinesTableSQL, nil)); err != nil {
		return err
	}
	var base, loaded int64
	if err := q.QueryRowContext(ctx, renderSQL(tableRowidsSQL, map[string]any{"table": db.Name(table)})).Scan(&base, &loaded); err != nil {
		return err
	}
	// The records quarantined before (census flaws and reader rejects), by line.
	quarantined, err := db.Column[int64](ctx, q, renderSQL(readerRejectLinesSQL, nil), runID, f.Path)
	if err != nil {
		return err
	}
	rejected := make(map[int64]bool, len(quarantined))
	for _, l := range quarantined {
		rejected[l] = true
	}
	want, err := db.Column[int64](ctx, q, renderSQL(rejectRidsSQL, nil))
	if err != nil {
		return err
	}
	lines := make([]int64, 0, len(want))
	var k int64
	err = eachRecordOf(f.Path, f.limits, func(rec *scanned) {
		if rec.blank || rejected[rec.line] {
			return
		}
		if len(lines) < len(want) && want[len(lines)]-base == k {
			lines = append(lines, rec.line)
		}
		k++
	})
	if err != nil {
		return err
	}
	if k != loaded || len(lines) != len(want) {
		return i18n.Errorf("ingest.csv.count_mismatch_rows", f.Path, k, loaded)
	}
	_, err = execSQL(ctx, q, renderSQL(rejectLinesInsertSQL, nil), want, lines)
	return err
}
