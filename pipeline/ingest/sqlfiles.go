package ingest

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"slices"
	"strings"
	"text/template"

	"github.com/earlywarn/earlywarn/data"
	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/pipeline/runrecord"
)

// The stage's SQL lives in sql/*.sql, one statement a file, parsed when the package is
// initialised (see db.MustParse for what a file may splice in). Every file may name the tables
// of sqlTables; the rest of its data is built where it runs, from package data's schema (table
// and column names as db.Name, types and code lists through sqlFuncs and fragments of
// literals). Values (paths, run ids, checksums, the as-of date) are bound parameters.
//
// A row check's SQL (sql/check_*.sql) renders, with screen set, the condition a row breaking it
// meets (or a cheaper one every such row meets), and otherwise the SELECT of its rejects from
// stage_bad; Go decides which checks a table's columns get (rowChecks).
//
//go:embed sql/*.sql
var sqlFiles embed.FS

// Temporary tables (and views) the stage builds on its connection, named once here.
const (
	// stageTable holds a canonical file's rows when its table already holds records, so that
	// the records it carries can replace them.
	stageTable = "stage"
	// stageBadTable holds the rows of a file that may break a row check; stageDupsTable those
	// repeating an id; stageRejectsTable the rows the file loses, with field, reason and raw.
	stageBadTable     = "stage_bad"
	stageDupsTable    = "stage_dups"
	stageRejectsTable = "stage_rejects"
	// parquetBadTable holds the rows of a Parquet file with values that do not convert.
	parquetBadTable = "parquet_bad"
	// rejectLinesTable holds the file line of each rejected row of a CSV file.
	rejectLinesTable = "reject_lines"
	// csvRejectsTable and csvScansTable are where DuckDB's CSV reader stores the lines it rejects.
	csvRejectsTable = "csv_rejects"
	csvScansTable   = "csv_reject_scans"
	// stageSrcTable holds the mapped rows of a file read through a profile; srcCasesView and
	// srcRejectsView are the Arrow streams of mapped rows and rejects they arrive as.
	stageSrcTable = "stage_src"
	// stageGroupsTable holds the case of each case key of a cases file with a case key.
	stageGroupsTable = "stage_groups"
	// stageTwiceTable holds the rows of such a file that repeat an earlier row (sent twice).
	stageTwiceTable = "stage_twice"
	srcCasesView    = "src_cases"
	srcRejectsView  = "src_rejects"
)

// sqlTables are the tables every SQL file may name, as {{.stage_bad}} and so on: the temporary
// ones, and the canonical tables with person_keys.
var sqlTables = map[string]any{
	"stage":            db.Name(stageTable),
	"stage_bad":        db.Name(stageBadTable),
	"stage_dups":       db.Name(stageDupsTable),
	"stage_rejects":    db.Name(stageRejectsTable),
	"reject_lines":     db.Name(rejectLinesTable),
	"parquet_bad":      db.Name(parquetBadTable),
	"csv_rejects":      db.Name(csvRejectsTable),
	"csv_reject_scans": db.Name(csvScansTable),
	"stage_src":        db.Name(stageSrcTable),
	"stage_groups":     db.Name(stageGroupsTable),
	"stage_twice":      db.Name(stageTwiceTable),
	"src_cases":        db.Name(srcCasesView),
	"src_rejects":      db.Name(srcRejectsView),
	"cases":            db.Name(data.Cases.Name),
	"contacts":         db.Name(data.Contacts.Name),
	"events":           db.Name(data.Events.Name),
	"person_keys":      db.Name(data.PersonKeys.Name),
	"case_keys":        db.Name(data.CaseKeys.Name),
}

// sqlFuncs are the fragments SQL files may call for.
var sqlFuncs = template.FuncMap{
	// literal: a name as a string literal (a field name in a reason, a table name an option takes).
	"literal": func(n db.Name) db.Fragment { return db.Fragment(db.Literal(string(n))) },
	// type: the canonical DuckDB type of a column of a canonical table (VARCHAR for a column the
	// schema does not know); type_literal: the same as a string literal.
	"type": func(table, col db.Name) db.Fragment { return db.Fragment(columnType(schemaTable(table), string(col))) },
	"type_literal": func(table, col db.Name) db.Fragment {
		return db.Fragment(db.Literal(columnType(schemaTable(table), string(col))))
	},
	// reason: a reason code, as a literal; the code must be one of runrecord.ReasonCodes.
	"reason": reasonLiteral,
	// cast_reason: the reason code of a value that does not convert to the canonical type of a
	// date or integer column of a canonical table, as a literal (the code csv_quarantine.sql
	// gives the CSV reader's rejects of the column).
	"cast_reason": func(table, col db.Name) db.Fragment {
		switch t := columnType(schemaTable(table), string(col)); t {
		case "DATE":
			return reasonLiteral(runrecord.ReasonNotADate)
		case "INTEGER", "BIGINT":
			return reasonLiteral(runrecord.ReasonNotAnInteger)
		default:
			panic(fmt.Sprintf("ingest: no cast reason for %s %s", col, t))
		}
	},
	// mask: a pattern or replacement of masking free text (maskFragments), as a literal.
	"mask": maskFragment,
}

// reasonLiteral is a reason code as a literal; the code must be one of runrecord.ReasonCodes.
func reasonLiteral(code string) db.Fragment {
	if !slices.Contains(runrecord.ReasonCodes, code) {
		panic(fmt.Sprintf("ingest: unknown reason code %q", code))
	}
	return db.Fragment(db.Literal(code))
}

// The SQL files, by the Go file that runs them.
var (
	loadSeenSQL    = parseSQL("load_seen.sql")
	loadRecordSQL  = parseSQL("load_record.sql")
	tableCountSQL  = parseSQL("table_count.sql")
	stageCreateSQL = parseSQL("stage_create.sql")
	replaceDelSQL  = parseSQL("replace_delete.sql")
	replaceInsSQL  = parseSQL("replace_insert.sql")

	csvLoadSQL          = parseSQL("csv_load.sql", "mask_text.sql")
	csvQuarantineSQL    = parseSQL("csv_quarantine.sql", "mask_text.sql")
	csvRejectLinesSQL   = parseSQL("csv_reject_lines.sql")
	censusQuarantineSQL = parseSQL("census_quarantine.sql")
	parquetColumnsSQL   = parseSQL("parquet_columns.sql")
	parquetLoadSQL      = parseSQL("parquet_load.sql", "mask_text.sql")
	parquetRowsSQL      = parseSQL("parquet_rows.sql")
	parquetTypesSQL     = parseSQL("parquet_types.sql")
	parquetBadSQL       = parseSQL("parquet_bad.sql")
	parquetQuarSQL      = parseSQL("parquet_quarantine.sql")
	parquetDeleteSQL    = parseSQL("parquet_delete.sql")

	checkSQL = map[string]*db.Template{
		checkRequired:    parseSQL("check_required.sql"),
		checkCode:        parseSQL("check_code.sql"),
		checkHeadCount:   parseSQL("check_head_count.sql"),
		checkPlaceholder: parseSQL("check_placeholder_date.sql"),
		checkFuture:      parseSQL("check_future_date.sql"),
		checkResult:      parseSQL("check_evaluation_result.sql"),
	}
	checkPaddedSQL        = parseSQL("check_padded.sql")
	validateTrimSQL       = parseSQL("validate_trim.sql")
	validateScreenSQL     = parseSQL("validate_screen.sql")
	validateDupsTableSQL  = parseSQL("validate_dups_table.sql")
	validateUnsortedSQL   = parseSQL("validate_unsorted.sql")
	validateDupsSQL       = parseSQL("validate_dups.sql")
	validateCountsSQL     = parseSQL("validate_counts.sql")
	validateRejectsSQL    = parseSQL("validate_rejects.sql")
	validateQuarantineSQL = parseSQL("validate_quarantine.sql")
	validateDeleteSQL     = parseSQL("validate_delete.sql")

	rejectRateSQL        = parseSQL("reject_rate_fields.sql")
	rejectLinesTableSQL  = parseSQL("reject_lines_table.sql")
	tableRowidsSQL       = parseSQL("table_rowids.sql")
	readerRejectLinesSQL = parseSQL("reader_reject_lines.sql")
	rejectRidsSQL        = parseSQL("reject_rids.sql")
	rejectLinesInsertSQL = parseSQL("reject_lines_insert.sql")

	profiledStageSQL       = parseSQL("profiled_stage.sql")
	profiledRejectsSQL     = parseSQL("profiled_rejects.sql")
	profiledSetAsideSQL    = parseSQL("profiled_set_aside.sql")
	setAsideCountSQL       = parseSQL("set_aside_count.sql")
	profiledReplacingSQL   = parseSQL("profiled_replacing.sql")
	profiledGroupSQL       = parseSQL("profiled_group.sql")
	profiledSentTwiceSQL   = parseSQL("profiled_sent_twice.sql")
	profiledRegroupSQL     = parseSQL("profiled_regroup.sql")
	profiledCaseKeysSQL    = parseSQL("profiled_case_keys.sql")
	profiledDeleteSQL      = parseSQL("profiled_delete.sql")
	profiledCasesSQL       = parseSQL("profiled_cases.sql")
	profiledContactsSQL    = parseSQL("profiled_contacts.sql")
	profiledEventsSQL      = parseSQL("profiled_events.sql")
	profiledPersonKeysSQL  = parseSQL("profiled_person_keys.sql")
	profiledPersonMatchSQL = parseSQL("profiled_person_match.sql")
)

// ingestSQL is the folder sql/ with what its files may use.
var ingestSQL = db.NewFiles("ingest", sqlFiles, sqlFuncs, sqlTables)

// parseSQL parses a file of sql/ with the snippet files it includes (see db.MustParse); it
// panics if one does not parse.
func parseSQL(files ...string) *db.Template { return ingestSQL.Parse(files...) }

// renderSQL returns t's statement for data (with sqlTables), which may hold only whitelisted
// identifiers (db.Name), fragments built from constants (db.Fragment) and switches (bool); a
// failure is a bug in this package, so it panics.
func renderSQL(t *db.Template, data map[string]any) string { return ingestSQL.Render(t, data) }

// schemaTable is the canonical table named n; a staging table of the profile path holds cases.
func schemaTable(n db.Name) data.Table {
	for _, t := range data.Tables {
		if t.Name == string(n) {
			return t
		}
	}
	if string(n) == data.PersonKeys.Name {
		return data.PersonKeys
	}
	panic(fmt.Sprintf("ingest: %s is not a canonical table", n))
}

// columnNames are the names of t's columns, in order.
func columnNames(t data.Table) []db.Name {
	names := make([]db.Name, len(t.Columns))
	for i, c := range t.Columns {
		names[i] = db.Name(c.Name)
	}
	return names
}

// columnType is the canonical type of column name of t; VARCHAR for a column t lacks.
func columnType(t data.Table, name string) string {
	for _, c := range t.Columns {
		if c.Name == name {
			return c.Type
		}
	}
	return "VARCHAR"
}

// usedArgs keeps the named arguments (sql.NamedArg) a statement refers to, as $name (DuckDB
// rejects the others); positional arguments are kept as they are.
func usedArgs(stmt string, args []any) []any {
	var out []any
	for _, a := range args {
		if n, ok := a.(sql.NamedArg); ok && !strings.Contains(stmt, "$"+n.Name) {
			continue
		}
		out = append(out, a)
	}
	return out
}

// execSQL runs a statement with the arguments it refers to; an error names its first line.
func execSQL(ctx context.Context, q db.Querier, stmt string, args ...any) (sql.Result, error) {
	r, err := q.ExecContext(ctx, stmt, usedArgs(stmt, args)...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", db.FirstLine(stmt), err)
	}
	return r, nil
}
