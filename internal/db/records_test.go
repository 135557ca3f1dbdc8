package db

import (
	"context"
	"database/sql"
	"fmt"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	_ "github.com/duckdb/duckdb-go/v2"
)

// TestRecordsReadEveryRowInDuckDBsArrowTypes: Records (through DuckDB's Arrow interface in a
// duckdb_arrow build) and recordsFromRows (through database/sql) give the same rows, nulls
// included, in the same Arrow types, over several batches.
func TestRecordsReadEveryRowInDuckDBsArrowTypes(t *testing.T) {
	ctx := context.Background()
	d, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	q, err := d.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	const query = `SELECT i AS b, CASE WHEN i % 7 <> 0 THEN CAST(i AS INTEGER) END AS n, i / 4 AS d, i % 2 = 0 AS t,
  CASE WHEN i % 5 <> 0 THEN '信访' || i END AS s
FROM range(CAST($rows AS BIGINT)) r(i) ORDER BY i`
	const rows = 3*recordRows + 17
	read := func(f func(context.Context, *sql.Conn, string, []any, func(arrow.RecordBatch) error) error) ([]string, string) {
		var out []string
		var schema string
		err := f(ctx, q, query, []any{sql.Named("rows", rows)}, func(rec arrow.RecordBatch) error {
			schema = rec.Schema().String()
			for i := range int(rec.NumRows()) {
				row := ""
				for _, c := range rec.Columns() {
					row += fmt.Sprintf("%v|", c.GetOneForMarshal(i))
				}
				out = append(out, row)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return out, schema
	}
	got, gotSchema := read(Records)
	want, wantSchema := read(func(ctx context.Context, q *sql.Conn, query string, args []any, each func(arrow.RecordBatch) error) error {
		return recordsFromRows(ctx, q, query, args, each)
	})
	if len(got) != rows || len(want) != rows {
		t.Fatalf("read %d and %d rows, want %d", len(got), len(want), rows)
	}
	if gotSchema != wantSchema {
		t.Errorf("types differ:\n%s\n%s", gotSchema, wantSchema)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("row %d: %q, through database/sql %q", i, got[i], want[i])
		}
	}
	if want[35] != "35|<nil>|8.75|false|<nil>|" {
		t.Errorf("row 35 reads %q", want[35])
	}
}
