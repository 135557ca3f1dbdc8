//go:build duckdb_arrow

package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/duckdb/duckdb-go/v2"
)

// ArrowAvailable reports whether this build has DuckDB's Arrow interface (build tag
// duckdb_arrow), which FromArrow needs.
const ArrowAvailable = true

// FromArrow runs stmt with the record batches of rr registered as view name, through DuckDB's
// Arrow interface (no copy through database/sql), and releases rr. The view is dropped
// afterwards. args are stmt's positional parameters ($1, …). stmt must read every column of
// the view: DuckDB 1.5's scan of an Arrow stream registered through the C API crashes when a
// query projects some columns away. Without the duckdb_arrow build tag it fails with ErrNoArrow.
func FromArrow(ctx context.Context, q *sql.Conn, name string, rr array.RecordReader, stmt string, args ...any) error {
	defer rr.Release()
	values := make([]driver.NamedValue, len(args))
	for i, a := range args {
		values[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
	}
	return withArrow(q, func(conn driver.Conn, ar *duckdb.Arrow) error {
		release, err := ar.RegisterView(rr, name)
		if err != nil {
			return err
		}
		defer release()
		ex := conn.(driver.ExecerContext)
		_, err = ex.ExecContext(ctx, stmt, values)
		if _, derr := ex.ExecContext(ctx, "DROP VIEW IF EXISTS "+Ident(name), nil); err == nil && derr != nil {
			err = derr
		}
		return err
	})
}

// Records runs query on q and calls each with every record batch of its result, in order,
// through DuckDB's Arrow interface: no row-by-row scan through database/sql, which for a large
// read of numbers costs twenty times as much (10 M rows of three integers: 2.2 s against 0.11 s).
// A batch and its strings live only until each returns: a string kept longer must be copied
// (strings.Clone). BIGINT columns come as int64, INTEGER int32, DOUBLE float64, BOOLEAN bool and
// VARCHAR string arrays (see recordsFromRows, which reads them without the duckdb_arrow build
// tag).
func Records(ctx context.Context, q *sql.Conn, query string, args []any, each func(arrow.RecordBatch) error) error {
	return withArrow(q, func(_ driver.Conn, ar *duckdb.Arrow) error {
		rr, err := ar.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rr.Release()
		for rr.Next() {
			if err := each(rr.RecordBatch()); err != nil {
				return err
			}
		}
		return rr.Err()
	})
}

// withArrow calls f with q's DuckDB driver connection and its Arrow interface.
func withArrow(q *sql.Conn, f func(driver.Conn, *duckdb.Arrow) error) error {
	return q.Raw(func(dc any) error {
		conn, ok := dc.(driver.Conn)
		if !ok {
			return errors.New("db: the connection is not a DuckDB driver connection")
		}
		ar, err := duckdb.NewArrowFromConn(conn)
		if err != nil {
			return err
		}
		return f(conn, ar)
	})
}
