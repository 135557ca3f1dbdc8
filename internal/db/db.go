// Package db holds the few helpers every stage uses to talk to DuckDB through database/sql:
// quoting in one place, running a list of statements, transactions, templated SQL files, and
// queries whose rows are always checked for a late error.
//
// Values always go into SQL as bound parameters. Only identifiers (table and column names from
// a whitelist or from the schema) and the few settings DuckDB takes no parameters for (SET, COPY …
// TO) are spliced into statement text, and only through Ident and Literal.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// Querier is what the helpers need of a *sql.DB, *sql.Conn or *sql.Tx.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Ident quotes a SQL identifier for DuckDB.
func Ident(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// Literal quotes a string as a SQL string literal, for the statements that take no bound
// parameters (SET, COPY … TO, CREATE … AS with a literal list).
func Literal(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// LiteralList quotes each string as a literal and joins them with ", ", for an IN (…) list of
// fixed codes.
func LiteralList(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = Literal(v)
	}
	return strings.Join(quoted, ", ")
}

// Exec runs each statement in order and stops at the first error, which names the statement's
// first line.
func Exec(ctx context.Context, q Querier, stmts ...string) error {
	for _, s := range stmts {
		if _, err := q.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("%s: %w", FirstLine(s), err)
		}
	}
	return nil
}

// FirstLine is the first non-empty line of a statement, to name it in an error.
func FirstLine(s string) string {
	for _, line := range strings.Split(strings.TrimSpace(s), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "--") {
			return line
		}
	}
	return strings.TrimSpace(s)
}

// InTransaction runs body in a transaction on q, committing if it succeeds and rolling back
// otherwise. DuckDB transactions are per connection, so q is a *sql.Conn, never a pool.
func InTransaction(ctx context.Context, q *sql.Conn, body func() error) error {
	if err := Exec(ctx, q, "BEGIN TRANSACTION"); err != nil {
		return err
	}
	if err := body(); err != nil {
		// A cancelled context has already aborted the transaction; roll back with a fresh one.
		_, _ = q.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		return err
	}
	if err := Exec(ctx, q, "COMMIT"); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// Query runs query and calls scan for each row; it closes the rows and returns the first error
// of the query, of scan, or of the iteration (rows.Err), so no caller forgets the last.
func Query(ctx context.Context, q Querier, query string, args []any, scan func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return rows.Close()
}

// RowRanges cuts rows lo to hi (inclusive) into consecutive ranges of n rows, each a first and
// a last row, none when hi < lo. duckdb-go holds a query's whole result in DuckDB's memory until
// it is read, so a large read goes one range at a time.
func RowRanges(lo, hi, n int64) [][2]int64 {
	var out [][2]int64
	for from := lo; from <= hi; from += n {
		out = append(out, [2]int64{from, min(from+n-1, hi)})
	}
	return out
}

// Collect runs query and returns one value per row, made by scan.
func Collect[T any](ctx context.Context, q Querier, query string, args []any, scan func(*sql.Rows) (T, error)) ([]T, error) {
	var out []T
	err := Query(ctx, q, query, args, func(rows *sql.Rows) error {
		v, err := scan(rows)
		if err == nil {
			out = append(out, v)
		}
		return err
	})
	return out, err
}

// Column returns the single column of every row of query.
func Column[T any](ctx context.Context, q Querier, query string, args ...any) ([]T, error) {
	return Collect(ctx, q, query, args, func(rows *sql.Rows) (T, error) {
		var v T
		err := rows.Scan(&v)
		return v, err
	})
}

// Counts returns a map from the first column (a key) to the second (a count) of every row of
// query.
func Counts(ctx context.Context, q Querier, query string, args ...any) (map[string]int64, error) {
	out := map[string]int64{}
	err := Query(ctx, q, query, args, func(rows *sql.Rows) error {
		var k string
		var n int64
		if err := rows.Scan(&k, &n); err != nil {
			return err
		}
		out[k] = n
		return nil
	})
	return out, err
}

// ErrNoArrow is FromArrow's error in a build without the duckdb_arrow tag.
var ErrNoArrow = errors.New("db: built without DuckDB's Arrow interface (build tag duckdb_arrow)")
