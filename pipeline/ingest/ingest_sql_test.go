package ingest

import (
	"bytes"
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/data"
	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/golden"
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/pipeline/runrecord"
)

var update = flag.Bool("update", false, "rewrite testdata/ingest.sql")

// TestIngestSQL writes every statement of the stage (sql/*.sql as rendered) to
// testdata/ingest.sql: for each canonical table, read from CSV and from Parquet, and for a file
// read through a profile, in the order a load runs them, so a change in generated SQL shows in
// review. Regenerate with:
//
//	go test -tags duckdb_arrow ./pipeline/ingest -run TestIngestSQL -update
func TestIngestSQL(t *testing.T) {
	used := map[string]bool{"mask_text.sql": true} // a snippet
	ingestSQL.OnRender = func(file string) { used[file] = true }
	defer func() { ingestSQL.OnRender = nil }()

	var b bytes.Buffer
	fmt.Fprintf(&b, "-- The SQL of the ingest stage, rendered from pipeline/ingest/sql: what loading each canonical\n")
	fmt.Fprintf(&b, "-- file (CSV and Parquet) and a file read through a profile executes. Values are bound parameters.\n")
	fmt.Fprintf(&b, "-- Written by TestIngestSQL (go test -tags duckdb_arrow ./pipeline/ingest -run TestIngestSQL -update).\n")
	section := func(title string) {
		fmt.Fprintf(&b, "\n-- %s\n-- %s\n-- %s\n", strings.Repeat("=", 96), title, strings.Repeat("=", 96))
	}
	stmt := func(title, s string) {
		fmt.Fprintf(&b, "\n-- %s\n-- %s\n%s;\n", strings.Repeat("-", 96), title, s)
	}
	latest := time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
	for _, tbl := range data.Tables {
		for _, format := range inputFormats {
			f := InputFile{latest: latest}
			f.Table, f.Format, f.Path = tbl, format, tbl.Name+"."+format
			section(fmt.Sprintf("%s.%s", tbl.Name, format))
			stmt("already loaded?", renderSQL(loadSeenSQL, nil))
			stmt("records in the table", renderSQL(tableCountSQL, map[string]any{"table": db.Name(tbl.Name)}))
			stmt("a staging table, when the table holds records", renderSQL(stageCreateSQL, map[string]any{"table": db.Name(tbl.Name)}))
			// The header: every column of the schema, and one it does not know.
			header := append(plainNames(tbl), "remarks")
			switch format {
			case "csv":
				stmt("the records the census took out of the file, when it found any", renderSQL(censusQuarantineSQL, nil))
				stmt("load (into the table)", csvLoadStmt(tbl, header, tbl.Name, censusLimits{maxBytes: configs.DefaultMaxRecordBytes}))
				stmt("the lines the reader rejected", renderSQL(csvRejectLinesSQL, nil))
				stmt("the lines the reader rejected, when there are any", renderSQL(csvQuarantineSQL, typedColumns(tbl)))
			case "parquet":
				stmt("the file's columns", renderSQL(parquetColumnsSQL, nil))
				stmt("the file's rows", renderSQL(parquetRowsSQL, nil))
				stmt("the file's column types", renderSQL(parquetTypesSQL, nil))
				stmt("load (into the table)", parquetLoadStmt(tbl, header, tbl.Name))
				stmt("the first row's rowid", renderSQL(tableRowidsSQL, map[string]any{"table": db.Name(tbl.Name)}))
				// As if every column were text in the file.
				types := make([]string, len(header))
				for i := range types {
					types[i] = "VARCHAR"
				}
				if cols := castColumns(tbl, header, types); len(cols) > 0 {
					d := map[string]any{"table": db.Name(tbl.Name), "cols": cols}
					stmt("values that do not convert (when a date or integer column has another type)", renderSQL(parquetBadSQL, d))
					stmt("how many", renderSQL(tableCountSQL, map[string]any{"table": db.Name(parquetBadTable)}))
					stmt("values that do not convert: into the quarantine", renderSQL(parquetQuarSQL, d))
					stmt("values that do not convert: out of the table", renderSQL(parquetDeleteSQL, map[string]any{"table": db.Name(tbl.Name)}))
				}
			}
			writeValidate(stmt, f, tbl.Name, "", format == "csv", format == "parquet")
			del, ins := replaceSQL(tbl)
			stmt("replace (from the staging table)", del)
			stmt("replace (from the staging table)", ins)
			stmt("record the file", renderSQL(loadRecordSQL, nil))
			stmt("too many rejects? the fields they name", renderSQL(rejectRateSQL, nil))
		}
	}
	section("a file read through a profile (cases, with the contact and events each implies)")
	f := InputFile{latest: latest}
	f.Table, f.Format, f.Path = data.Cases, "csv", "export.csv"
	stmt("already loaded?", renderSQL(loadSeenSQL, nil))
	stmt("the mapped rows, from Arrow", renderSQL(profiledStageSQL, nil))
	stmt("the rejected records, from Arrow", renderSQL(profiledRejectsSQL, nil))
	writeValidate(stmt, f, stageSrcTable, "_line", false, false)
	for _, s := range sentTwiceSQL(shape{key: true, contact: true}) {
		stmt("with a case key: the rows sent twice", s)
	}
	stmt("the rows loaded with numbers set aside, from Arrow", renderSQL(profiledSetAsideSQL, nil))
	stmt("how many", renderSQL(setAsideCountSQL, nil))
	stmt("rows loaded", renderSQL(tableCountSQL, map[string]any{"table": db.Name(stageSrcTable)}))
	stmt("replacing records?", renderSQL(profiledReplacingSQL, nil))
	for _, c := range []struct {
		title  string
		src    configs.ProfileSource
		shape  shape
		replac bool
	}{
		{"load: a cases file of a one-file profile (replacing)", configs.ProfileSource{Table: "cases", ImpliesContact: true, ImpliesEvents: true}, shape{}, true},
		{"load: a message board: cases with a case key, answers and fields found in text (replacing)",
			configs.ProfileSource{Table: "cases", ImpliesContact: true, ImpliesEvents: true},
			shape{key: true, contact: true, answered: true, found: true}, true},
		{"load: the cases file of a three-file export, into empty tables", configs.ProfileSource{Table: "cases"}, shape{}, false},
		{"load: a contacts file with names, id numbers and phones (replacing)", configs.ProfileSource{Table: "contacts",
			Fields: map[string]configs.Field{"complainant_name": {}, "complainant_id_number": {}, "complainant_phone": {}}}, shape{}, true},
		{"load: an events file (replacing)", configs.ProfileSource{Table: "events"}, shape{}, true},
	} {
		for _, s := range profiledSQL(&c.src, c.shape, c.replac) {
			stmt(c.title, s)
		}
	}
	stmt("record the file", renderSQL(loadRecordSQL, nil))
	stmt("too many rejects? the fields they name", renderSQL(rejectRateSQL, nil))

	got := b.Bytes()
	golden.Check(t, filepath.Join("testdata", "ingest.sql"), got, *update)

	// Every file of sql/ is rendered above.
	golden.AllUsed(t, sqlFiles, "sql", used)
}

// writeValidate writes validate's statements for f's rows in table.
func writeValidate(stmt func(title, s string), f InputFile, table, lineCol string, rescan, rows bool) {
	v := validateSQL(f, table, lineCol, rescan, rows)
	stmt("validate: rows that may break a row check or have padded ids", v.screen)
	stmt("validate: how many", renderSQL(tableCountSQL, map[string]any{"table": db.Name(stageBadTable)}))
	if v.trimTable != "" { // canonical files only: the profile path trims in Go
		stmt("validate: ids and codes trimmed, when any row may have padded ones", v.trimTable)
		stmt("validate: ids and codes trimmed, when any row may have padded ones", v.trimBad)
	}
	stmt("validate: repeated ids", v.dupsTable)
	stmt("validate: ids not ascending?", v.unsorted)
	stmt("validate: repeated ids, when not ascending", v.dups)
	stmt("validate: anything to quarantine?", v.counts)
	stmt("validate: the rejected rows, with field, reasons and raw value", v.rejects)
	stmt("validate: how many", renderSQL(tableCountSQL, map[string]any{"table": db.Name(stageRejectsTable)}))
	if rescan {
		stmt("rescan: lines of the rejected rows", renderSQL(rejectLinesTableSQL, nil))
		stmt("rescan", renderSQL(tableRowidsSQL, map[string]any{"table": db.Name(table)}))
		stmt("rescan", renderSQL(readerRejectLinesSQL, nil))
		stmt("rescan", renderSQL(rejectRidsSQL, nil))
		stmt("rescan", renderSQL(rejectLinesInsertSQL, nil))
	}
	stmt("validate: into the quarantine", v.quarantine)
	stmt("validate: out of the table", v.delete)
}

// TestReasonCodesInCatalogue: every reason code has its message, the same arguments in every
// language, and a stored reason renders in each.
func TestReasonCodesInCatalogue(t *testing.T) {
	for _, code := range runrecord.ReasonCodes {
		if !i18n.Has("quarantine.reason." + code) {
			t.Errorf("the catalogue lacks quarantine.reason.%s", code)
		}
	}
	stored := runrecord.EncodeReasons([]runrecord.Reason{
		{Code: runrecord.ReasonUnknownCode, Field: "channel", Args: []string{"fax", "letter, visit"}},
		{Code: runrecord.ReasonMissingRequired, Field: "person_id"},
	})
	if got, want := runrecord.RenderReason("en", "channel", stored), "unknown code fax; expected one of letter, visit; person_id: required field is empty"; got != want {
		t.Errorf("en: %q, want %q", got, want)
	}
	if got, want := runrecord.RenderReason("zh", "channel", stored), "未知代码 fax；应为 letter（来信）、visit（来访） 之一；信访人编号（person_id）：必填字段为空"; got != want {
		t.Errorf("zh: %q, want %q", got, want)
	}
	if got := runrecord.RenderReason("zh", "x", "an old English reason"); got != "an old English reason" {
		t.Errorf("a reason not in the stored form: %q", got)
	}
}
