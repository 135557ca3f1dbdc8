package db

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// recordRows is how many rows recordsFromRows puts in a batch.
const recordRows = 1 << 16

// recordsFromRows is Records through database/sql, row by row, for a build without DuckDB's
// Arrow interface: batches of up to recordRows rows in the Arrow types DuckDB's interface gives
// (BIGINT int64, INTEGER int32, DOUBLE float64, BOOLEAN bool, VARCHAR string). A column of
// another type is an error.
func recordsFromRows(ctx context.Context, q Querier, query string, args []any, each func(arrow.RecordBatch) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	types, err := rows.ColumnTypes()
	if err != nil {
		return err
	}
	fields := make([]arrow.Field, len(types))
	for i, t := range types {
		var dt arrow.DataType
		switch t.DatabaseTypeName() {
		case "BIGINT":
			dt = arrow.PrimitiveTypes.Int64
		case "INTEGER":
			dt = arrow.PrimitiveTypes.Int32
		case "DOUBLE":
			dt = arrow.PrimitiveTypes.Float64
		case "BOOLEAN":
			dt = arrow.FixedWidthTypes.Boolean
		case "VARCHAR":
			dt = arrow.BinaryTypes.String
		default:
			return fmt.Errorf("db: column %s of type %s cannot be read as Arrow without the duckdb_arrow build tag", t.Name(), t.DatabaseTypeName())
		}
		fields[i] = arrow.Field{Name: t.Name(), Type: dt, Nullable: true}
	}
	b := array.NewRecordBuilder(memory.DefaultAllocator, arrow.NewSchema(fields, nil))
	defer b.Release()
	flush := func() error {
		rec := b.NewRecordBatch()
		defer rec.Release()
		if rec.NumRows() == 0 {
			return nil
		}
		return each(rec)
	}
	vals := make([]any, len(types))
	for i, f := range fields {
		switch f.Type.ID() {
		case arrow.INT64, arrow.INT32:
			vals[i] = new(sql.NullInt64)
		case arrow.FLOAT64:
			vals[i] = new(sql.NullFloat64)
		case arrow.BOOL:
			vals[i] = new(sql.NullBool)
		default:
			vals[i] = new(sql.NullString)
		}
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(vals...); err != nil {
			return err
		}
		for i, v := range vals {
			switch v := v.(type) {
			case *sql.NullInt64:
				switch fb := b.Field(i).(type) {
				case *array.Int64Builder:
					appendOrNull(fb, v.Int64, v.Valid)
				case *array.Int32Builder:
					appendOrNull(fb, int32(v.Int64), v.Valid)
				}
			case *sql.NullFloat64:
				appendOrNull(b.Field(i).(*array.Float64Builder), v.Float64, v.Valid)
			case *sql.NullBool:
				appendOrNull(b.Field(i).(*array.BooleanBuilder), v.Bool, v.Valid)
			case *sql.NullString:
				appendOrNull(b.Field(i).(*array.StringBuilder), v.String, v.Valid)
			}
		}
		if n++; n == recordRows {
			if err := flush(); err != nil {
				return err
			}
			n = 0
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return flush()
}

// appendOrNull appends v to b when valid, else a null.
func appendOrNull[T any](b interface {
	Append(T)
	AppendNull()
}, v T, valid bool) {
	if valid {
		b.Append(v)
	} else {
		b.AppendNull()
	}
}

// IntColumns reads every column of rec, each of any integer type, as int64 (see IntColumn).
func IntColumns(rec arrow.RecordBatch) ([]func(j int) (int64, bool), error) {
	cols := make([]func(int) (int64, bool), rec.NumCols())
	for i := range cols {
		var err error
		if cols[i], err = IntColumn(rec, i); err != nil {
			return nil, err
		}
	}
	return cols, nil
}

// IntColumn reads column i of rec, of any integer type, as int64: get(j) is row j's value, and
// false when it is null.
func IntColumn(rec arrow.RecordBatch, i int) (get func(j int) (int64, bool), err error) {
	switch c := rec.Column(i).(type) {
	case *array.Int64:
		return func(j int) (int64, bool) { return c.Value(j), c.IsValid(j) }, nil
	case *array.Int32:
		return func(j int) (int64, bool) { return int64(c.Value(j)), c.IsValid(j) }, nil
	case *array.Int16:
		return func(j int) (int64, bool) { return int64(c.Value(j)), c.IsValid(j) }, nil
	case *array.Int8:
		return func(j int) (int64, bool) { return int64(c.Value(j)), c.IsValid(j) }, nil
	default:
		return nil, fmt.Errorf("db: column %s is %s, not an integer", rec.ColumnName(i), c.DataType())
	}
}
