// Command querylog prints where a run's time went, from the query log it wrote with
// EARLYWARN_QUERY_LOG set (pipeline.QueryLogEnv): the statements that took longest, each with
// the seconds until the next began on its connection (its own time and the Go work after it),
// its connection, start time, name (its first comment line) and first line of SQL. With
// --memory, the memory log the run wrote with EARLYWARN_MEMORY_LOG set (pipeline.MemoryLogEnv)
// instead: the statements during which the process held the most, with what DuckDB and Go
// counted of it.
//
//	EARLYWARN_QUERY_LOG=DIR [EARLYWARN_MEMORY_LOG=FILE] earlywarn run …
//	go run -tags duckdb_arrow ./scripts/querylog [--top 40] [--memory FILE] DIR
package main

import (
	"context"
	"database/sql"
	_ "embed"
	"flag"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	_ "github.com/duckdb/duckdb-go/v2"
)

var (
	//go:embed querylog.sql
	querylogSQL string
	//go:embed memory.sql
	memorySQL string
)

func main() {
	top := flag.Int("top", 40, "statements to print")
	memory := flag.String("memory", "", "the memory log (EARLYWARN_MEMORY_LOG) to read beside the query log")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: querylog [--top N] [--memory FILE] DIR (the folder EARLYWARN_QUERY_LOG named)")
		os.Exit(2)
	}
	if err := run(context.Background(), flag.Arg(0), *memory, *top); err != nil {
		fmt.Fprintln(os.Stderr, "querylog:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, dir, memory string, top int) error {
	conn, err := sql.Open("duckdb", "")
	if err != nil {
		return err
	}
	defer conn.Close()
	query, args := querylogSQL, []any{sql.Named("dir", dir), sql.Named("top", top)}
	if memory != "" {
		query, args = memorySQL, append(args, sql.Named("memory", memory))
	}
	rows, err := conn.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, strings.Join(cols, "\t"))
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		cells := make([]string, len(vals))
		for i, v := range vals {
			switch v := v.(type) {
			case float64:
				cells[i] = fmt.Sprintf("%.2f", v)
			case string:
				cells[i] = clip(v, 70)
			default:
				cells[i] = fmt.Sprint(v)
			}
		}
		fmt.Fprintln(w, strings.Join(cells, "\t"))
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
