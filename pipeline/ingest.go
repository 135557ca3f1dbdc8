package pipeline

import (
	"bufio"
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/earlywarn/earlywarn/data"
	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/pipeline/runrecord"
)

// InputFile is one input file of a canonical table.
type InputFile struct {
	runrecord.Input // table, path, format, checksum, profile: what the run record shows

	latest time.Time     // when not zero, records dated after it are quarantined
	src    *profileInput // set for files read through a profile
	sum    *pendingSum   // set while SHA256 is being computed
}

// pendingSum is a checksum being computed in the background.
type pendingSum struct {
	done chan struct{}
	sum  string
	err  error
}

// checksummed returns f with its SHA256 filled in, waiting for it if needed.
func (f InputFile) checksummed() (InputFile, error) {
	if f.sum == nil {
		return f, nil
	}
	<-f.sum.done
	if f.sum.err != nil {
		return f, f.sum.err
	}
	f.SHA256, f.sum = f.sum.sum, nil
	return f, nil
}

var inputFormats = []string{"csv", "parquet"}

// FindInputs finds one file per canonical table in dir (cases.csv or cases.parquet, and so on)
// and starts checksumming them, one after another in the background, so that a file's
// checksum is computed while the files before it load. A missing or ambiguous table is an
// error that says what to provide.
func FindInputs(dir string) ([]InputFile, error) {
	files, err := locateInputs(dir)
	if err != nil {
		return nil, err
	}
	for i := range files {
		files[i].sum = &pendingSum{done: make(chan struct{})}
	}
	// The goroutine gets its own copies: callers may change the files returned.
	go func(files []InputFile) {
		for _, f := range files {
			f.sum.sum, f.sum.err = checksum(f.Path)
			close(f.sum.done)
		}
	}(slices.Clone(files))
	return files, nil
}

// locateInputs finds one file per canonical table in dir; see FindInputs.
func locateInputs(dir string) ([]InputFile, error) {
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() {
		return nil, fmt.Errorf("input folder %s does not exist; point --input (or input: in the config) at a folder holding cases, contacts and events files", dir)
	}
	var files []InputFile
	for _, t := range data.Tables {
		var found []InputFile
		for _, ext := range inputFormats {
			p := filepath.Join(dir, t.Name+"."+ext)
			if _, err := os.Stat(p); err == nil {
				found = append(found, InputFile{Input: runrecord.Input{Table: t, Path: p, Format: ext}})
			}
		}
		switch len(found) {
		case 0:
			return nil, fmt.Errorf("input folder %s has no %s.csv or %s.parquet; every run needs cases, contacts and events files", dir, t.Name, t.Name)
		case 1:
		default:
			return nil, fmt.Errorf("input folder %s has both %s.csv and %s.parquet; keep one", dir, t.Name, t.Name)
		}
		files = append(files, found[0])
	}
	return files, nil
}

func checksum(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("read input %s: %w", path, err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("read input %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// ingest loads one file, checksummed, into its table inside the caller's transaction; a file
// read through a mapping profile goes through loadProfiled instead. start is when the file's
// turn began, before waiting for its checksum, which its Seconds include. Rows that cannot be
// parsed, lack a required field, carry an unknown code or a placeholder or future date, or
// repeat an id within the file go to the quarantine table with the file, line, field, reason
// and raw value. A record whose id is already in the table is replaced.
func ingest(ctx context.Context, q *sql.Conn, runID string, f InputFile, start time.Time) (FileResult, error) {
	res := FileResult{Input: f.Input, TableName: f.Table.Name}
	var seen int
	if err := q.QueryRowContext(ctx, "SELECT count(*) FROM loaded_files WHERE sha256 = $1 AND table_name = $2",
		f.SHA256, f.Table.Name).Scan(&seen); err != nil {
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
		return res, recordFile(ctx, q, runID, &res, start)
	}
	// Into an empty table rows load directly and bad ones are taken out again; otherwise they
	// go through a staging table so that records already loaded can be replaced.
	var existing int64
	table := db.Ident(f.Table.Name)
	if err := q.QueryRowContext(ctx, "SELECT count(*) FROM "+table).Scan(&existing); err != nil {
		return res, err
	}
	into := table
	if existing > 0 {
		into = "stage"
		if err := execAll(ctx, q, "CREATE OR REPLACE TEMP TABLE stage AS FROM "+table+" LIMIT 0"); err != nil {
			return res, err
		}
	}
	var loaded, rejected int64
	var err error
	switch f.Format {
	case "csv":
		loaded, rejected, err = loadCSV(ctx, q, runID, f, into)
	case "parquet":
		loaded, err = loadParquet(ctx, q, f, into)
	}
	if err != nil {
		return res, err
	}
	dropped, err := validate(ctx, q, runID, f, into, "")
	if err != nil {
		return res, err
	}
	// What stays in into is what this file loads (new records and replacements).
	res.Loaded, res.Quarantined = loaded-dropped, rejected+dropped
	if into == "stage" {
		key := db.Ident(f.Table.Key)
		if err := execAll(ctx, q, fmt.Sprintf("DELETE FROM %s WHERE %s IN (SELECT %s FROM stage)", table, key, key),
			fmt.Sprintf("INSERT INTO %s SELECT %s FROM stage", table, columnList(f.Table)), "DROP TABLE stage"); err != nil {
			return res, fmt.Errorf("load %s: %w", f.Path, err)
		}
	}
	res.Read = res.Loaded + res.Quarantined
	return res, recordFile(ctx, q, runID, &res, start)
}

// recordFile stores the file's checksum and counts, so that it is skipped next time.
func recordFile(ctx context.Context, q *sql.Conn, runID string, res *FileResult, start time.Time) error {
	res.Seconds = time.Since(start).Seconds()
	_, err := q.ExecContext(ctx, "INSERT INTO loaded_files VALUES ($1, $2, $3, $4, $5, $6, $7, now())",
		res.SHA256, res.Path, res.Table.Name, res.Read, res.Loaded, res.Quarantined, runID)
	return err
}

// loadCSV reads a CSV into table into, mapping columns by header name, and returns how many
// rows it loaded and how many lines the reader rejected (bad dates or numbers, wrong column
// count); those are quarantined with their line.
func loadCSV(ctx context.Context, q *sql.Conn, runID string, f InputFile, into string) (loaded, rejected int64, err error) {
	header, err := readHeader(f.Path)
	if err != nil {
		return 0, 0, err
	}
	if err := checkRequiredColumns(f, header); err != nil {
		return 0, 0, err
	}
	types := make([]string, len(header))
	for i, name := range header {
		types[i] = fmt.Sprintf("%s: %s", literal(name), literal(columnType(f.Table, name)))
	}
	stmt := fmt.Sprintf(`INSERT INTO %s
SELECT %s FROM read_csv($path, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"',
  columns = {%s}, store_rejects = true, rejects_table = 'csv_rejects', rejects_scan = 'csv_reject_scans')`,
		into, stageColumns(f.Table, header), strings.Join(types, ", "))
	r, err := q.ExecContext(ctx, stmt, sql.Named("path", f.Path))
	if err != nil {
		return 0, 0, fmt.Errorf("read %s: %w", f.Path, cleanDuckErr(err))
	}
	if loaded, err = r.RowsAffected(); err != nil {
		return 0, 0, err
	}
	// The reader reports each bad field of a line; the line is one quarantined row.
	r, err = q.ExecContext(ctx, `INSERT INTO quarantine
SELECT $1, $2, line, min(column_name), string_agg(error_type || ': ' || error_message, '; ' ORDER BY column_name), any_value(csv_line)
FROM csv_rejects GROUP BY line`, runID, f.Path)
	if err != nil {
		return 0, 0, err
	}
	if rejected, err = r.RowsAffected(); err != nil {
		return 0, 0, err
	}
	return loaded, rejected, execAll(ctx, q, "DROP TABLE csv_rejects", "DROP TABLE csv_reject_scans")
}

// loadParquet reads a Parquet file into table into by column name and returns how many rows
// it loaded; values that do not convert to the canonical type are quarantined by validate as
// empty required fields or bad codes.
func loadParquet(ctx context.Context, q *sql.Conn, f InputFile, into string) (int64, error) {
	rows, err := q.QueryContext(ctx, "SELECT name FROM parquet_schema($path) WHERE name <> 'duckdb_schema'", sql.Named("path", f.Path))
	if err != nil {
		return 0, fmt.Errorf("read %s: %w", f.Path, cleanDuckErr(err))
	}
	var header []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return 0, err
		}
		header = append(header, n)
	}
	rows.Close()
	if err := checkRequiredColumns(f, header); err != nil {
		return 0, err
	}
	cols := make([]string, len(f.Table.Columns))
	for i, c := range f.Table.Columns {
		if slices.Contains(header, c.Name) {
			cols[i] = fmt.Sprintf("TRY_CAST(%s AS %s) AS %s", db.Ident(c.Name), c.Type, db.Ident(c.Name))
		} else {
			cols[i] = fmt.Sprintf("NULL::%s AS %s", c.Type, db.Ident(c.Name))
		}
	}
	stmt := fmt.Sprintf("INSERT INTO %s SELECT %s FROM read_parquet($path)", into, strings.Join(cols, ", "))
	r, err := q.ExecContext(ctx, stmt, sql.Named("path", f.Path))
	if err != nil {
		return 0, fmt.Errorf("read %s: %w", f.Path, cleanDuckErr(err))
	}
	return r.RowsAffected()
}

// readHeader returns the column names of a CSV's first line.
func readHeader(path string) ([]string, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	defer fh.Close()
	r := csv.NewReader(bufio.NewReader(fh))
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("read %s: the file is empty; it needs a header line naming its columns", path)
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: header line: %w", path, err)
	}
	for i, h := range header {
		header[i] = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
	}
	return header, nil
}

func checkRequiredColumns(f InputFile, header []string) error {
	var missing []string
	for _, c := range f.Table.Columns {
		if c.Required && !slices.Contains(header, c.Name) {
			missing = append(missing, c.Name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("read %s: missing required column(s) %s; the %s file needs columns %s",
			f.Path, strings.Join(missing, ", "), f.Table.Name, columnList(f.Table))
	}
	return nil
}

// stageColumns selects the canonical columns from a file with the given header, NULL for
// optional columns the file lacks. Columns the schema does not know are read as text and
// dropped.
func stageColumns(t data.Table, header []string) string {
	cols := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		if slices.Contains(header, c.Name) {
			cols[i] = db.Ident(c.Name)
		} else {
			cols[i] = fmt.Sprintf("NULL::%s AS %s", c.Type, db.Ident(c.Name))
		}
	}
	return strings.Join(cols, ", ")
}

func columnType(t data.Table, name string) string {
	for _, c := range t.Columns {
		if c.Name == name {
			return c.Type
		}
	}
	return "VARCHAR"
}

func columnList(t data.Table) string {
	names := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		names[i] = db.Ident(c.Name)
	}
	return strings.Join(names, ", ")
}

// codeColumns are the columns whose values must come from a code list.
var codeColumns = map[string][]data.Code{
	"channel":    data.Channels,
	"level":      data.Levels,
	"event_type": data.EventTypes,
}

// sentinelDates are placeholder dates that mean "unknown" in exports.
var sentinelDates = []string{"1900-01-01", "1899-12-30", "1970-01-01"}

// rowCheck is one check of a single row: bad is the SQL condition a row breaking it meets,
// reason and raw the SQL expressions for what the quarantine says and shows. screen, when
// set, is a cheaper condition that every row meeting bad meets too.
type rowCheck struct {
	field, bad, reason, raw, screen string
}

// rowChecks lists the row checks of f's table. lineCol is as for validate.
func rowChecks(f InputFile, lineCol string) []rowCheck {
	var checks []rowCheck
	for _, c := range f.Table.Columns {
		col := db.Ident(c.Name)
		codes, coded := codeColumns[c.Name]
		if c.Required {
			ch := rowCheck{field: c.Name, bad: col + " IS NULL", reason: "'required field is empty'", raw: "NULL"}
			if c.Type == "VARCHAR" {
				ch.bad += " OR trim(" + col + ") = ''"
				// trim removes Unicode space separators, which are U+0020 or lie in
				// U+00A0..U+3000: it need only run on values starting there. A blank code
				// breaks its code check anyway.
				ch.screen = fmt.Sprintf("%s IS NULL OR ((%s < '!' OR (%s >= chr(160) AND %s < chr(12289))) AND trim(%s) = '')", col, col, col, col, col)
				if coded {
					ch.screen = col + " IS NULL"
				}
			}
			checks = append(checks, ch)
		}
		if coded {
			list := make([]string, len(codes))
			for i, code := range codes {
				list[i] = literal(code.Code)
			}
			checks = append(checks, rowCheck{field: c.Name, bad: fmt.Sprintf("%s NOT IN (%s)", col, strings.Join(list, ", ")),
				reason: fmt.Sprintf("'unknown code ' || %s || '; expected one of %s'", col, strings.ReplaceAll(strings.Join(list, ", "), "'", "")), raw: col})
		}
		if c.Name == "head_count" {
			checks = append(checks, rowCheck{field: c.Name, bad: "head_count < 1", reason: "'head count must be at least 1'", raw: "head_count::VARCHAR"})
		}
		if c.Type == "DATE" && lineCol == "" { // the profile path checks dates in Go
			sentinels := make([]string, len(sentinelDates))
			for i, d := range sentinelDates {
				sentinels[i] = "DATE " + literal(d)
			}
			checks = append(checks, rowCheck{field: c.Name, bad: fmt.Sprintf("%s IN (%s)", col, strings.Join(sentinels, ", ")),
				reason: fmt.Sprintf("'placeholder date ' || %s || ' means the date is unknown'", col), raw: col + "::VARCHAR"})
			if !f.latest.IsZero() {
				asOf := f.latest.Format(time.DateOnly)
				checks = append(checks, rowCheck{field: c.Name, bad: fmt.Sprintf("%s > DATE %s", col, literal(asOf)),
					reason: fmt.Sprintf("'date ' || %s || ' is after the as-of date %s'", col, asOf), raw: col + "::VARCHAR"})
			}
		}
	}
	return checks
}

// screenCondition is met by every row breaking one of checks.
func screenCondition(checks []rowCheck) string {
	conds := make([]string, len(checks))
	for i, ch := range checks {
		conds[i] = cmp.Or(ch.screen, ch.bad)
	}
	return "(" + strings.Join(conds, ") OR (") + ")"
}

// validate quarantines and removes the rows of table (holding only this file's rows) that
// break the canonical contract, and returns how many it removed. lineCol names the column
// holding each row's source line; "" means the rows are in file order and lines are found
// by rescanning the file (only when something was rejected).
//
// A clean file costs two cheap passes over table: one over the checked columns that keeps
// the rows breaking any row check (normally none) in a temp table, where each check then
// runs, and one over the ids that sees whether they are strictly ascending, as exports
// usually are, so none repeats. Only otherwise are ids grouped to find repeats.
func validate(ctx context.Context, q *sql.Conn, runID string, f InputFile, table, lineCol string) (int64, error) {
	t := f.Table
	key := db.Ident(t.Key)
	checks := rowChecks(f, lineCol)
	// Only the checked columns: the others (free text among them) need not be read at all.
	var cols []string
	for _, ch := range checks {
		if c := db.Ident(ch.field); !slices.Contains(cols, c) {
			cols = append(cols, c)
		}
	}
	stmts := []string{
		fmt.Sprintf("CREATE OR REPLACE TEMP TABLE stage_bad AS SELECT rowid AS rid, %s FROM %s WHERE %s", strings.Join(cols, ", "), table, screenCondition(checks)),
		"CREATE OR REPLACE TEMP TABLE stage_dups (rid BIGINT, raw VARCHAR)",
	}
	if err := execAll(ctx, q, stmts...); err != nil {
		return 0, fmt.Errorf("validate %s: %w", f.Path, err)
	}
	// Of rows sharing an id within the file, the most complete stands, and of equally complete
	// ones the last (the most recent version). lag over an unordered window streams the ids in
	// whatever order the scan yields them; strictly ascending in any order means no repeats.
	var unsorted bool
	if err := q.QueryRowContext(ctx, fmt.Sprintf(`SELECT count(*) > 0 FROM (
  SELECT %s AS id, lag(%s) OVER () AS prev FROM %s WHERE %s IS NOT NULL) WHERE id <= prev`, key, key, table, key)).Scan(&unsorted); err != nil {
		return 0, fmt.Errorf("validate %s: %w", f.Path, err)
	}
	if unsorted {
		filled := make([]string, len(t.Columns))
		for i, c := range t.Columns {
			filled[i] = fmt.Sprintf("(coalesce(%s::VARCHAR, '') <> '')::INT", db.Ident(c.Name))
		}
		stmt := fmt.Sprintf(`INSERT INTO stage_dups SELECT rowid, %s FROM %s
WHERE %s IN (SELECT %s FROM %s WHERE %s IS NOT NULL GROUP BY ALL HAVING count(*) > 1)
QUALIFY row_number() OVER (PARTITION BY %s ORDER BY %s DESC, rowid DESC) > 1`,
			key, table, key, key, table, key, key, strings.Join(filled, " + "))
		if _, err := q.ExecContext(ctx, stmt); err != nil {
			return 0, fmt.Errorf("validate %s: %w", f.Path, err)
		}
	}
	var bad, dups int64
	if err := q.QueryRowContext(ctx, "SELECT (SELECT count(*) FROM stage_bad), (SELECT count(*) FROM stage_dups)").Scan(&bad, &dups); err != nil {
		return 0, err
	}
	if bad+dups == 0 {
		return 0, execAll(ctx, q, "DROP TABLE stage_bad", "DROP TABLE stage_dups")
	}
	selects := make([]string, 0, len(checks)+1)
	for _, ch := range checks {
		selects = append(selects, fmt.Sprintf("SELECT rid, %s AS field, %s AS reason, %s AS raw FROM stage_bad WHERE %s",
			literal(ch.field), ch.reason, ch.raw, ch.bad))
	}
	selects = append(selects, fmt.Sprintf("SELECT rid, %s, 'duplicate id within the file; a more complete or later row with the same id was loaded', raw FROM stage_dups", literal(t.Key)))
	stmt := fmt.Sprintf(`CREATE OR REPLACE TEMP TABLE stage_rejects AS
SELECT rid, min(field) AS field, string_agg(reason, '; ' ORDER BY reason) AS reason, arg_min(raw, field) AS raw FROM (%s) GROUP BY rid`,
		strings.Join(selects, "\nUNION ALL\n"))
	if err := execAll(ctx, q, stmt, "DROP TABLE stage_bad", "DROP TABLE stage_dups"); err != nil {
		return 0, fmt.Errorf("validate %s: %w", f.Path, err)
	}
	var n int64
	if err := q.QueryRowContext(ctx, "SELECT count(*) FROM stage_rejects").Scan(&n); err != nil {
		return 0, err
	}
	line := "NULL"
	if lineCol != "" {
		line = "s." + db.Ident(lineCol)
	} else if f.Format == "csv" {
		if err := csvRejectLines(ctx, q, runID, f, table); err != nil {
			return 0, err
		}
		line = "(SELECT l.line FROM reject_lines l WHERE l.rid = r.rid)"
	}
	_, err := q.ExecContext(ctx, fmt.Sprintf(`INSERT INTO quarantine
SELECT $1, $2, %s, r.field, r.reason, coalesce(r.raw, s.%s) FROM stage_rejects r JOIN %s s ON s.rowid = r.rid`, line, key, table), runID, f.Path)
	if err != nil {
		return 0, err
	}
	return n, execAll(ctx, q, fmt.Sprintf("DELETE FROM %s WHERE rowid IN (SELECT rid FROM stage_rejects)", table),
		"DROP TABLE stage_rejects", "DROP TABLE IF EXISTS reject_lines")
}

// cleanDuckErr keeps the first line of a DuckDB error, which says what went wrong; the rest
// repeats the statement.
func cleanDuckErr(err error) error {
	msg := err.Error()
	if i := strings.IndexByte(msg, '\n'); i > 0 {
		msg = msg[:i]
	}
	return errors.New(msg)
}

// execAll runs statements that take no parameters, in order, stopping at the first error.
func execAll(ctx context.Context, q *sql.Conn, stmts ...string) error {
	for _, s := range stmts {
		if _, err := q.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("%s: %w", firstLine(s), err)
		}
	}
	return nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i > 0 {
		return s[:i]
	}
	return s
}

// csvRejectLines fills the temp table reject_lines (rid, line) with the file line of each row
// in stage_rejects. read_csv reports no line for rows it accepts, but it loads them in file
// order: the k-th row of table is the k-th record it did not reject. Rescanning the file finds
// that record's line. If the scan disagrees with DuckDB about the number of records, lines
// stay unknown rather than wrong.
func csvRejectLines(ctx context.Context, q *sql.Conn, runID string, f InputFile, table string) error {
	if err := execAll(ctx, q, "CREATE OR REPLACE TEMP TABLE reject_lines (rid BIGINT, line BIGINT)"); err != nil {
		return err
	}
	var base, loaded int64
	if err := q.QueryRowContext(ctx, "SELECT coalesce(min(rowid), 0), count(*) FROM "+table).Scan(&base, &loaded); err != nil {
		return err
	}
	rejected := map[int64]bool{}
	rows, err := q.QueryContext(ctx, "SELECT line FROM quarantine WHERE run_id = $1 AND file = $2 AND line IS NOT NULL", runID, f.Path)
	if err != nil {
		return err
	}
	for rows.Next() {
		var l int64
		if err := rows.Scan(&l); err != nil {
			rows.Close()
			return err
		}
		rejected[l] = true
	}
	rows.Close()
	var want []int64
	rows, err = q.QueryContext(ctx, "SELECT rid FROM stage_rejects ORDER BY rid")
	if err != nil {
		return err
	}
	for rows.Next() {
		var rid int64
		if err := rows.Scan(&rid); err != nil {
			rows.Close()
			return err
		}
		want = append(want, rid)
	}
	rows.Close()

	fh, err := os.Open(f.Path)
	if err != nil {
		return fmt.Errorf("read %s: %w", f.Path, err)
	}
	defer fh.Close()
	r := csv.NewReader(bufio.NewReaderSize(fh, 1<<16))
	r.FieldsPerRecord, r.LazyQuotes, r.ReuseRecord = -1, true, true
	if _, err := r.Read(); err != nil { // the header
		return nil
	}
	lines := make([]int64, 0, len(want))
	var k int64
	for {
		_, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil // DuckDB read what Go cannot: leave the lines unknown
		}
		line, _ := r.FieldPos(0)
		if rejected[int64(line)] {
			continue
		}
		if len(lines) < len(want) && want[len(lines)]-base == k {
			lines = append(lines, int64(line))
		}
		k++
	}
	if k != loaded || len(lines) != len(want) {
		return nil
	}
	for i := 0; i < len(want); i += 5000 {
		vals := make([]string, 0, 5000)
		for j := i; j < len(want) && j < i+5000; j++ {
			vals = append(vals, fmt.Sprintf("(%d, %d)", want[j], lines[j]))
		}
		if err := execAll(ctx, q, "INSERT INTO reject_lines VALUES "+strings.Join(vals, ", ")); err != nil {
			return err
		}
	}
	return nil
}
