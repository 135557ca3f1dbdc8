package ingest

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/earlywarn/earlywarn/data"
	"github.com/earlywarn/earlywarn/internal/db"
)

// The canonical path: cases, contacts and events files in the canonical layout, read by
// DuckDB's own CSV and Parquet readers straight into their tables.

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
		types[i] = fmt.Sprintf("%s: %s", db.Literal(name), db.Literal(columnType(f.Table, name)))
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
	return loaded, rejected, db.Exec(ctx, q, "DROP TABLE csv_rejects", "DROP TABLE csv_reject_scans")
}

// loadParquet reads a Parquet file into table into by column name and returns how many rows
// it loaded; values that do not convert to the canonical type are quarantined by validate as
// empty required fields or bad codes.
func loadParquet(ctx context.Context, q *sql.Conn, f InputFile, into string) (int64, error) {
	header, err := db.Column[string](ctx, q, "SELECT name FROM parquet_schema($path) WHERE name <> 'duckdb_schema'", sql.Named("path", f.Path))
	if err != nil {
		return 0, fmt.Errorf("read %s: %w", f.Path, cleanDuckErr(err))
	}
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
