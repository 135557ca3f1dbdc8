package rules

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/earlywarn/earlywarn/configs"
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
	query := map[string]any{"query": db.Fragment(stmt)}
	chunks := 1
	if r.query.perCase {
		var err error
		if chunks, err = caseChunks(ctx, q); err != nil {
			return err
		}
	}
	if chunks == 1 {
		_, err := q.ExecContext(ctx, renderSQL(ruleFlagsAsSQL, query), args...)
		return err
	}
	if err := createFlagsTable(ctx, q); err != nil {
		return err
	}
	insert := renderSQL(ruleFlagsInsSQL, query)
	for i := range chunks {
		args[len(args)-2], args[len(args)-1] = sql.Named("chunks", chunks), sql.Named("chunk", i)
		if _, err := q.ExecContext(ctx, insert, args...); err != nil {
			return err
		}
	}
	return nil
}

// contactBytes is about the most memory a per-case rule takes per contact it reads (its window
// over each case's contacts and its aggregates); caseChunks sizes parts of the cases by it.
const contactBytes = 128

// chunkContacts, when not 0, is the number of contacts a part of the cases holds instead of the
// one the memory limit gives (tests set it).
var chunkContacts int64

// caseChunks returns how many parts of the cases a per-case rule runs on, so that each part's
// contacts fit DuckDB's memory limit: 1 for all but counties of tens of millions of contacts.
func caseChunks(ctx context.Context, q *sql.Conn) (int, error) {
	var contacts int64
	var limit string
	if err := q.QueryRowContext(ctx, renderSQL(caseChunksSQL, nil)).Scan(&contacts, &limit); err != nil {
		return 0, err
	}
	per := chunkContacts
	if per == 0 {
		per = configs.Config{MemoryLimit: limit}.MemoryBytes() / contactBytes
	}
	if per <= 0 {
		return 1, nil
	}
	return int(max(1, (contacts+per-1)/per)), nil
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
