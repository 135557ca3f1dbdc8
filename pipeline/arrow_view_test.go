//go:build duckdb_arrow

package pipeline

import (
	"context"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/earlywarn/earlywarn/configs"

	"github.com/earlywarn/earlywarn/internal/source"
)

// BenchmarkProfileHandOff is BenchmarkReadAll with the rows streamed into a DuckDB table as
// a run loads them: the Go-side path of scripts/bench-ingest. CPU microseconds per row
// (Go and DuckDB together) say what it would reach on otherwise idle cores.
func BenchmarkProfileHandOff(b *testing.B) {
	ctx := context.Background()
	cfg := configs.Default()
	cfg.Threads, cfg.MemoryLimit = 2, "2GB"
	db, err := OpenDB(ctx, filepath.Join(b.TempDir(), "bench.duckdb"), cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	q, err := db.Conn(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer q.Close()
	benchExport(b, func(r source.Reader, newMapper func() *source.Mapper) (readCounts, error) {
		s := streamCases(ctx, r, newMapper, runtime.GOMAXPROCS(0))
		if err := fromArrow(ctx, q, "src_cases", s, "CREATE OR REPLACE TEMP TABLE stage_src AS SELECT * FROM src_cases"); err != nil {
			return readCounts{}, err
		}
		counts, _, err := s.Wait()
		return counts, err
	})
}
