//go:build duckdb_arrow

package ingest

import (
	"context"
	"database/sql"
	"path/filepath"
	"runtime"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/earlywarn/earlywarn/internal/db"
)

// BenchmarkProfileHandOff is BenchmarkReadAll with the rows streamed into a DuckDB table as
// a run loads them: the Go-side path of scripts/bench-ingest. CPU microseconds per row
// (Go and DuckDB together) say what it would reach on otherwise idle cores.
func BenchmarkProfileHandOff(b *testing.B) {
	ctx := context.Background()
	conn, err := sql.Open("duckdb", filepath.Join(b.TempDir(), "bench.duckdb"))
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	q, err := conn.Conn(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer q.Close()
	// The settings of a run with threads: 2 and memory_limit: 2GB (pipeline.OpenDB).
	if err := db.Exec(ctx, q, "SET threads = 2", "SET memory_limit = '2GB'"); err != nil {
		b.Fatal(err)
	}
	benchExport(b, func(r recordReader, makeMapper func() *mapper) (readCounts, error) {
		s := streamRows(ctx, r, makeMapper, makeMapper().p.schema, runtime.GOMAXPROCS(0))
		if err := fromArrow(ctx, q, srcCasesView, s, renderSQL(profiledStageSQL, nil)); err != nil {
			return readCounts{}, err
		}
		counts, _, err := s.Wait()
		return counts, err
	})
}
