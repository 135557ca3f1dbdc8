package ingest

import (
	"context"
	"database/sql"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/data"
	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/i18n"
)

// codeColumns are the columns whose values must come from a code list.
var codeColumns = map[string][]data.Code{
	"channel":    data.Channels,
	"level":      data.Levels,
	"event_type": data.EventTypes,
	"result":     data.Results,
}

// codeList is the codes of coded field, in order.
func codeList(field string) []string {
	codes := codeColumns[field]
	list := make([]string, len(codes))
	for i, code := range codes {
		list[i] = code.Code
	}
	return list
}

// evaluated is the event type that must carry a result (data.Results); another event's result
// is loaded as recorded and ignored by screening.
const evaluated = "evaluated"

// The row checks (sql/check_*.sql).
const (
	checkRequired    = "required"
	checkCode        = "code"
	checkHeadCount   = "head_count"
	checkPlaceholder = "placeholder_date"
	checkFuture      = "future_date"
	checkResult      = "evaluation_result"
)

// rowCheck is one check of a single row: its template (checkSQL) and the data it renders with,
// for the field it checks; reads names the other columns its condition reads.
type rowCheck struct {
	field string
	kind  string
	data  map[string]any
	reads []string
}

// screen is the condition every row breaking the check meets.
func (ch rowCheck) screen() string {
	return renderSQL(checkSQL[ch.kind], ch.with("screen", true))
}

// rejects is the SELECT of the rows of stage_bad breaking the check, with field, reason and raw.
func (ch rowCheck) rejects() string {
	return renderSQL(checkSQL[ch.kind], ch.with("screen", false))
}

func (ch rowCheck) with(k string, v any) map[string]any {
	m := maps.Clone(ch.data)
	m[k] = v
	return m
}

// rowChecks lists the row checks of f's table. lineCol is as for validate.
func rowChecks(f InputFile, lineCol string) []rowCheck {
	var checks []rowCheck
	add := func(c data.Column, kind string, extra map[string]any) {
		d := map[string]any{"col": db.Name(c.Name)}
		maps.Copy(d, extra)
		checks = append(checks, rowCheck{field: c.Name, kind: kind, data: d})
	}
	for _, c := range f.Table.Columns {
		_, coded := codeColumns[c.Name]
		if c.Required {
			add(c, checkRequired, map[string]any{"text": c.Type == "VARCHAR", "coded": coded, "blank": blankRE})
		}
		if coded {
			list := codeList(c.Name)
			add(c, checkCode, map[string]any{
				"codes":     db.Fragment(db.LiteralList(list)),
				"code_list": db.Fragment(db.Literal(strings.Join(list, ", "))),
			})
			if c.Name == "result" {
				// An evaluation says how satisfied the complainant was, or it says nothing.
				add(c, checkResult, map[string]any{
					"type_col":  db.Name("event_type"),
					"evaluated": db.Fragment(db.Literal(evaluated)),
					"code_list": db.Fragment(db.Literal(strings.Join(list, ", "))),
				})
				checks[len(checks)-1].reads = []string{"event_type"}
			}
		}
		if c.Name == "head_count" {
			add(c, checkHeadCount, nil)
		}
		if c.Type == "DATE" && lineCol == "" { // the profile path checks dates in Go
			sentinels := make([]string, len(configs.DefaultSentinelDates))
			for i, d := range configs.DefaultSentinelDates {
				sentinels[i] = "DATE " + db.Literal(d)
			}
			add(c, checkPlaceholder, map[string]any{"sentinels": db.Fragment(strings.Join(sentinels, ", "))})
			if !f.latest.IsZero() {
				add(c, checkFuture, nil)
			}
		}
	}
	return checks
}

// validateStmts are the statements of validate for f's rows in table, in the order it may run
// them. lineCol is as for validate; rescan says whether lines come from a rescan of the file.
type validateStmts struct {
	screen, trimTable, trimBad, dupsTable, unsorted, dups, counts, rejects, quarantine, delete string
}

// validateSQL: rows says that a row's line is its number in the file, from its rowid (Parquet).
func validateSQL(f InputFile, table, lineCol string, rescan, rows bool) validateStmts {
	t := f.Table
	checks := rowChecks(f, lineCol)
	// Only the checked and trimmed columns: the others (free text among them) need not be read
	// at all.
	var ids, trimmed []db.Name
	if lineCol == "" { // the profile path trims every value in Go
		ids, trimmed = trimmedColumns(t)
	}
	var cols []db.Name
	screens := make([]string, 0, len(checks)+len(ids))
	selects := make([]string, len(checks))
	for i, ch := range checks {
		for _, col := range append([]string{ch.field}, ch.reads...) {
			if !slices.Contains(cols, db.Name(col)) {
				cols = append(cols, db.Name(col))
			}
		}
		screens = append(screens, ch.screen())
		selects[i] = ch.rejects()
	}
	for _, c := range ids {
		screens = append(screens, renderSQL(checkPaddedSQL, map[string]any{"col": c}))
	}
	for _, c := range trimmed {
		if !slices.Contains(cols, c) {
			cols = append(cols, c)
		}
	}
	tbl, key := db.Name(table), db.Name(t.Key)
	line := map[string]any{"table": tbl, "key": key, "by_column": lineCol != "", "rescan": rescan, "by_row": rows}
	dupsArgs := map[string]any{"table": tbl, "key": key, "cols": columnNames(t), "by_column": lineCol != ""}
	if lineCol != "" {
		line["line_col"] = db.Name(lineCol)
		dupsArgs["line_col"] = db.Name(lineCol)
	}
	trim := func(table db.Name, inBad bool) string {
		if len(trimmed) == 0 {
			return ""
		}
		return renderSQL(validateTrimSQL, map[string]any{"table": table, "cols": trimmed, "trim": trimRE, "padded": paddedRE, "in_bad": inBad})
	}
	return validateStmts{
		screen: renderSQL(validateScreenSQL, map[string]any{"table": tbl, "cols": cols,
			"screen": db.Fragment("(" + strings.Join(screens, ") OR (") + ")")}),
		trimTable:  trim(tbl, true),
		trimBad:    trim(db.Name(stageBadTable), false),
		dupsTable:  renderSQL(validateDupsTableSQL, nil),
		unsorted:   renderSQL(validateUnsortedSQL, map[string]any{"table": tbl, "key": key}),
		dups:       renderSQL(validateDupsSQL, dupsArgs),
		counts:     renderSQL(validateCountsSQL, nil),
		rejects:    renderSQL(validateRejectsSQL, map[string]any{"key": key, "checks": db.Fragment(strings.Join(selects, "\nUNION ALL\n"))}),
		quarantine: renderSQL(validateQuarantineSQL, line),
		delete:     renderSQL(validateDeleteSQL, map[string]any{"table": tbl}),
	}
}

// validate trims the ids and codes of table (holding only this file's rows) of white space
// around them, quarantines and removes the rows that break the canonical contract, and returns
// how many it removed. lineCol names the column holding each row's source line; "" means the
// rows are in file order, from rowid first, and lines are found by rescanning a CSV file (only
// when something was rejected) or are a Parquet file's row numbers.
//
// A clean file costs two cheap passes over table: one over the checked columns and ids that
// keeps the rows breaking any row check or with an id or code that may be padded (normally
// none) in a temp table, where they are trimmed and each check then runs, and one over the ids
// that sees whether they are strictly ascending, as exports usually are, so none repeats. Only
// otherwise are ids grouped to find repeats.
func validate(ctx context.Context, q *sql.Conn, runID string, f InputFile, table, lineCol string, first int64) (int64, error) {
	rescan := lineCol == "" && f.Format == "csv"
	rows := lineCol == "" && f.Format == "parquet"
	stmts := validateSQL(f, table, lineCol, rescan, rows)
	asOf := sql.Named("as_of", f.latest.Format(time.DateOnly))
	fail := func(err error) (int64, error) { return 0, i18n.Wrap(err, "ingest.validate", f.Path) }
	if _, err := execSQL(ctx, q, stmts.screen, asOf); err != nil {
		return fail(err)
	}
	var screened int64
	if err := q.QueryRowContext(ctx, renderSQL(tableCountSQL, map[string]any{"table": db.Name(stageBadTable)})).Scan(&screened); err != nil {
		return fail(err)
	}
	if screened > 0 && stmts.trimTable != "" { // before ids are compared, and codes checked
		for _, stmt := range []string{stmts.trimTable, stmts.trimBad} {
			if _, err := execSQL(ctx, q, stmt); err != nil {
				return fail(err)
			}
		}
	}
	if _, err := execSQL(ctx, q, stmts.dupsTable); err != nil {
		return fail(err)
	}
	// Of rows sharing an id within the file, the most complete stands, and of equally complete
	// ones the last (the most recent version).
	var unsorted bool
	if err := q.QueryRowContext(ctx, stmts.unsorted).Scan(&unsorted); err != nil {
		return fail(err)
	}
	if unsorted {
		if _, err := execSQL(ctx, q, stmts.dups); err != nil {
			return fail(err)
		}
	}
	var bad, dups int64
	if err := q.QueryRowContext(ctx, stmts.counts).Scan(&bad, &dups); err != nil {
		return 0, err
	}
	if bad+dups == 0 {
		return 0, db.DropTemp(ctx, q, stageBadTable, stageDupsTable)
	}
	if _, err := execSQL(ctx, q, stmts.rejects, asOf); err != nil {
		return fail(err)
	}
	if err := db.DropTemp(ctx, q, stageBadTable, stageDupsTable); err != nil {
		return fail(err)
	}
	var n int64
	if err := q.QueryRowContext(ctx, renderSQL(tableCountSQL, map[string]any{"table": db.Name(stageRejectsTable)})).Scan(&n); err != nil {
		return 0, err
	}
	if rescan {
		if err := csvRejectLines(ctx, q, runID, f, table); err != nil {
			return 0, err
		}
	}
	args := []any{runID, f.Path}
	if rows {
		args = append(args, first)
	}
	if _, err := execSQL(ctx, q, stmts.quarantine, args...); err != nil {
		return 0, err
	}
	if _, err := execSQL(ctx, q, stmts.delete); err != nil {
		return 0, err
	}
	return n, db.DropTemp(ctx, q, stageRejectsTable, rejectLinesTable)
}
