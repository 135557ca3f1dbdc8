// Command querylog prints where a run's time went, from the query log it wrote with
// EARLYWARN_QUERY_LOG set (pipeline.QueryLogEnv): the statements that took longest, each with
// the seconds until the next began on its connection (its own time and the Go work after it),
// its connection, start time, name (its first comment line) and first line of SQL.
//
//	EARLYWARN_QUERY_LOG=DIR earlywarn run …
//	go run -tags duckdb_arrow ./scripts/querylog [--top 40] DIR
package main

import (
	"context"
	"database/sql"
	_ "embed"
	"flag"
	"fmt"
	"os"
	"text/tabwriter"
	"unicode/utf8"

	_ "github.com/duckdb/duckdb-go/v2"
)

//go:embed querylog.sql
var querylogSQL string

func main() {
	top := flag.Int("top", 40, "statements to print")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: querylog [--top N] DIR (the folder EARLYWARN_QUERY_LOG named)")
		os.Exit(2)
	}
	if err := run(context.Background(), flag.Arg(0), *top); err != nil {
		fmt.Fprintln(os.Stderr, "querylog:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, dir string, top int) error {
	conn, err := sql.Open("duckdb", "")
	if err != nil {
		return err
	}
	defer conn.Close()
	rows, err := conn.QueryContext(ctx, querylogSQL, sql.Named("dir", dir), sql.Named("top", top))
	if err != nil {
		return err
	}
	defer rows.Close()
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "seconds\tconn\tstarted\tstatement\tfirst line")
	for rows.Next() {
		var seconds float64
		var conn int64
		var started, comment, first string
		if err := rows.Scan(&seconds, &conn, &started, &comment, &first); err != nil {
			return err
		}
		fmt.Fprintf(w, "%.2f\t%d\t%s\t%s\t%s\n", seconds, conn, started, clip(comment, 70), clip(first, 50))
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return w.Flush()
}

// clip cuts s to n runes.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
