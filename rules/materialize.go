package rules

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/earlywarn/earlywarn/internal/db"
)

// FlagsTable is the temporary table Materialize fills with one rule's flags (FlagColumns).
const FlagsTable = db.RuleFlags

// evaluator computes a rule's flags in Go: it reads what it needs from the connection (the
// canonical tables and the case state), and fills FlagsTable.
type evaluator func(ctx context.Context, q *sql.Conn, asOf time.Time) error

// InGo reports whether the rule's work is done in Go (an evaluator) rather than in one query.
func (r *Rule) InGo() bool { return r.eval != nil }

// Materialize computes the rule's flags as of asOf into the temporary table FlagsTable,
// replacing what it held. The tables of PrepareSQL must have been built for asOf.
func (r *Rule) Materialize(ctx context.Context, q *sql.Conn, asOf time.Time) error {
	if r.eval != nil {
		return r.eval(ctx, q, asOf)
	}
	stmt, args := r.Query(asOf)
	_, err := q.ExecContext(ctx, renderSQL(ruleFlagsAsSQL, map[string]any{"query": db.Fragment(stmt)}), args...)
	return err
}

// createFlagsTable (re)creates an empty FlagsTable for an evaluator to fill.
func createFlagsTable(ctx context.Context, q *sql.Conn) error {
	return db.Exec(ctx, q, renderSQL(ruleFlagsSQL, nil))
}

// AppendTemp appends rows to the temporary table through DuckDB's appender: each calls add once
// per row. Nothing is appended when each or add fails.
func AppendTemp(q *sql.Conn, table string, each func(add func(values ...driver.Value) error) error) error {
	return Append(q, "temp", table, each)
}

// Append is AppendTemp for a table of catalog ("" for the database's own tables), its columns
// in the order the table has them.
func Append(q *sql.Conn, catalog, table string, each func(add func(values ...driver.Value) error) error) error {
	return q.Raw(func(dc any) error {
		a, err := duckdb.NewAppender(dc.(driver.Conn), catalog, "main", table)
		if err != nil {
			return err
		}
		if err := each(a.AppendRow); err != nil {
			a.Close()
			return err
		}
		return a.Close()
	})
}
