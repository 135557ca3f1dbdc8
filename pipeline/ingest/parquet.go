package ingest

import (
	"context"
	"database/sql"
	"slices"
	"strings"

	"github.com/earlywarn/earlywarn/data"
	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/i18n"
)

// The canonical path for Parquet: DuckDB's read_parquet straight into the table, each column
// cast to its canonical type. A Parquet file has no lines: a row is known by its number in the
// file (1-based), which the quarantine shows as its line.

// loadParquet reads a Parquet file into table into (which holds no other rows) by column name.
// It returns how many rows the file holds by its own metadata, how many it loaded, how many it quarantined because a value does not convert
// to its column's canonical type (as the CSV reader rejects such a line: not_a_date,
// not_an_integer), and the rowid of the file's first row: rows keep the file's order, so row n
// of the file is rowid first+n-1.
func loadParquet(ctx context.Context, q *sql.Conn, runID string, f InputFile, into string) (read, loaded, rejected, first int64, err error) {
	header, types, err := parquetColumns(ctx, q, f.Path)
	if err != nil {
		return 0, 0, 0, 0, err
	}
	if err := checkColumns(f, header); err != nil {
		return 0, 0, 0, 0, err
	}
	path := sql.Named("path", f.Path)
	if err := q.QueryRowContext(ctx, renderSQL(parquetRowsSQL, nil), path).Scan(&read); err != nil {
		return 0, 0, 0, 0, readError(f.Path, cleanDuckErr(err))
	}
	r, err := q.ExecContext(ctx, parquetLoadStmt(f.Table, header, into), path)
	if err != nil {
		return 0, 0, 0, 0, readError(f.Path, cleanDuckErr(err))
	}
	if loaded, err = r.RowsAffected(); err != nil {
		return 0, 0, 0, 0, err
	}
	table := db.Name(into)
	var n int64
	if err := q.QueryRowContext(ctx, renderSQL(tableRowidsSQL, map[string]any{"table": table})).Scan(&first, &n); err != nil {
		return 0, 0, 0, 0, err
	}
	cols := castColumns(f.Table, header, types)
	if len(cols) == 0 {
		return read, loaded, 0, first, nil
	}
	// A value that does not convert was loaded as NULL; the file still has it.
	d := map[string]any{"table": db.Name(f.Table.Name), "cols": cols}
	if _, err := execSQL(ctx, q, renderSQL(parquetBadSQL, d), path); err != nil {
		return 0, 0, 0, 0, readError(f.Path, cleanDuckErr(err))
	}
	if err := q.QueryRowContext(ctx, renderSQL(tableCountSQL, map[string]any{"table": db.Name(parquetBadTable)})).Scan(&rejected); err != nil {
		return 0, 0, 0, 0, err
	}
	if rejected > 0 {
		if _, err := execSQL(ctx, q, renderSQL(parquetQuarSQL, d), runID, f.Path); err != nil {
			return 0, 0, 0, 0, err
		}
		if _, err := execSQL(ctx, q, renderSQL(parquetDeleteSQL, map[string]any{"table": table}), first); err != nil {
			return 0, 0, 0, 0, err
		}
	}
	return read, loaded - rejected, rejected, first, db.DropTemp(ctx, q, parquetBadTable)
}

// parquetColumns returns the names of a Parquet file's columns and their DuckDB types, in order.
// The names are those of the file's schema, so that a name written twice shows (DuckDB's
// reader would rename the second).
func parquetColumns(ctx context.Context, q *sql.Conn, path string) (names, types []string, err error) {
	type element struct {
		name     string
		children int64
	}
	schema, err := db.Collect(ctx, q, renderSQL(parquetColumnsSQL, nil), []any{sql.Named("path", path)},
		func(rows *sql.Rows) (element, error) {
			var e element
			err := rows.Scan(&e.name, &e.children)
			return e, err
		})
	if err != nil && strings.Contains(err.Error(), "magic bytes") {
		// The first read of the file: one that is not whole Parquet fails here, in the engine's
		// English ("No magic bytes found at end of file").
		return nil, nil, i18n.Errorf("ingest.parquet.unreadable", path)
	}
	if err != nil {
		return nil, nil, readError(path, cleanDuckErr(err))
	}
	// The schema lists the root, then each column followed by its nested fields, depth first.
	var skip func(i int) int // the index after element i and its nested fields
	skip = func(i int) int {
		n := schema[i].children
		for i++; n > 0 && i < len(schema); n-- {
			i = skip(i)
		}
		return i
	}
	for i := 1; i < len(schema); i = skip(i) {
		names = append(names, schema[i].name)
	}
	if types, err = db.Column[string](ctx, q, renderSQL(parquetTypesSQL, nil), sql.Named("path", path)); err != nil {
		return nil, nil, readError(path, cleanDuckErr(err))
	}
	if len(types) != len(names) {
		return nil, nil, i18n.Errorf("ingest.parquet.schema", path, len(names), len(types))
	}
	return names, types, nil
}

// castColumns are the date and integer columns of t in header whose type in the file (types)
// is another, so that a value may not convert; a text column takes any value.
func castColumns(t data.Table, header, types []string) []db.Name {
	var cols []db.Name
	for _, c := range t.Columns {
		i := slices.Index(header, c.Name)
		if i >= 0 && c.Type != "VARCHAR" && types[i] != c.Type {
			cols = append(cols, db.Name(c.Name))
		}
	}
	return cols
}

// parquetLoadStmt loads a canonical Parquet file of table t whose columns are header into
// table into.
func parquetLoadStmt(t data.Table, header []string, into string) string {
	var cols []db.Name
	for _, c := range t.Columns {
		if slices.Contains(header, c.Name) {
			cols = append(cols, db.Name(c.Name))
		}
	}
	plain, text := splitText(cols)
	return renderSQL(parquetLoadSQL, map[string]any{"into": db.Name(into), "table": db.Name(t.Name), "all": cols, "cols": plain, "text": text})
}
