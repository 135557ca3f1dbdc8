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
	"github.com/earlywarn/earlywarn/internal/i18n"
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
	if err := checkColumns(f, header); err != nil {
		return 0, 0, err
	}
	r, err := q.ExecContext(ctx, csvLoadStmt(f.Table, header, into), sql.Named("path", f.Path))
	if err != nil {
		return 0, 0, readError(f.Path, cleanDuckErr(err))
	}
	if loaded, err = r.RowsAffected(); err != nil {
		return 0, 0, err
	}
	// The reader reports each bad field of a line; the line is one quarantined row.
	r, err = execSQL(ctx, q, renderSQL(csvQuarantineSQL, typedColumns(f.Table)), runID, f.Path)
	if err != nil {
		return 0, 0, err
	}
	if rejected, err = r.RowsAffected(); err != nil {
		return 0, 0, err
	}
	return loaded, rejected, db.DropTemp(ctx, q, csvRejectsTable, csvScansTable)
}

// csvLoadStmt loads a canonical CSV file of table t with header into table into. The file's
// columns keep their header names where the schema knows them; the others get names of their
// own (_column_N), so that only the schema's names reach the statement.
func csvLoadStmt(t data.Table, header []string, into string) string {
	names := make([]db.Name, len(header))
	var cols []db.Name
	for i, h := range header {
		if slices.ContainsFunc(t.Columns, func(c data.Column) bool { return c.Name == h }) && !slices.Contains(cols, db.Name(h)) {
			names[i] = db.Name(h)
			cols = append(cols, names[i])
		} else {
			names[i] = db.Name(fmt.Sprintf("_column_%d", i+1))
		}
	}
	return renderSQL(csvLoadSQL, map[string]any{"into": db.Name(into), "table": db.Name(t.Name), "header": names, "cols": cols})
}

// readHeader returns the column names of a CSV's first line.
func readHeader(path string) ([]string, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, readError(path, err)
	}
	defer fh.Close()
	r := csv.NewReader(bufio.NewReader(fh))
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, i18n.Errorf("ingest.csv.empty", path)
	}
	if err != nil {
		return nil, i18n.Wrap(err, "ingest.csv.header", path)
	}
	for i, h := range header {
		header[i] = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
	}
	return header, nil
}

// checkColumns checks a canonical file's columns (header): each of its table's required columns
// is there, and none of the table's columns is there twice (which one would load is anyone's
// guess). Columns the table lacks are not loaded, so they may repeat.
func checkColumns(f InputFile, header []string) error {
	var missing []string
	for _, c := range f.Table.Columns {
		n := 0
		for _, h := range header {
			if h == c.Name {
				n++
			}
		}
		if n > 1 {
			return i18n.Errorf("ingest.column_twice", f.Path, c.Name, n, f.Table.Name)
		}
		if c.Required && n == 0 {
			missing = append(missing, c.Name)
		}
	}
	if len(missing) > 0 {
		return i18n.Errorf("ingest.csv.missing_columns", f.Path, strings.Join(missing, ", "), f.Table.Name, strings.Join(plainNames(f.Table), ", "))
	}
	return nil
}

// plainNames are the names of t's columns, for a message.
func plainNames(t data.Table) []string {
	names := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		names[i] = c.Name
	}
	return names
}

// typedColumns gives csv_quarantine.sql the table's date and integer columns, as literal lists
// (” when it has none), so that a value of the wrong type is named by its type.
func typedColumns(t data.Table) map[string]any {
	var dates, ints []string
	for _, c := range t.Columns {
		switch c.Type {
		case "DATE":
			dates = append(dates, c.Name)
		case "INTEGER", "BIGINT":
			ints = append(ints, c.Name)
		}
	}
	list := func(names []string) db.Fragment {
		if len(names) == 0 {
			return db.Fragment("''")
		}
		return db.Fragment(db.LiteralList(names))
	}
	return map[string]any{"date_columns": list(dates), "integer_columns": list(ints)}
}
