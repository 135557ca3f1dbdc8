package publish_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/earlywarn/earlywarn/pipeline/pipelinetest"
	"github.com/earlywarn/earlywarn/pipeline/publish"
	"github.com/earlywarn/earlywarn/web/review"
)

// BenchmarkLeaderOutputs writes the workbook and the HTML report of a run with 10,000 matters,
// the files each run adds beside watchlist.csv. It prints ms per file beside the CSV-sized
// reference of reading the same rows. Run:
// go test -tags duckdb_arrow ./pipeline/publish -run '^$' -bench LeaderOutputs
func BenchmarkLeaderOutputs(b *testing.B) {
	cfg := pipelinetest.Config(b)
	pipelinetest.Run(b, cfg)
	db := pipelinetest.Open(b, cfg)
	if err := review.EnsureSchema(context.Background(), db); err != nil {
		b.Fatal(err)
	}
	pipelinetest.AddBigRun(b, db, 10_000)
	dir := b.TempDir()
	ctx := context.Background()
	b.Run("xlsx", func(b *testing.B) {
		for b.Loop() {
			if err := publish.WriteXLSX(ctx, db, "big", publish.Settings{Lang: "zh"}, filepath.Join(dir, "w.xlsx"), time.Now()); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/file")
		if st, err := os.Stat(filepath.Join(dir, "w.xlsx")); err == nil {
			b.ReportMetric(float64(st.Size())/1024, "KiB")
		}
	})
	b.Run("report", func(b *testing.B) {
		for b.Loop() {
			if err := publish.WriteReport(ctx, db, "big", publish.Settings{Lang: "zh"}, filepath.Join(dir, "r.html"), time.Now()); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/file")
	})
	b.Run("reference-read-rows", func(b *testing.B) {
		for b.Loop() {
			rows, err := db.Query(`SELECT * FROM watchlist WHERE run_id = 'big' ORDER BY rank`)
			if err != nil {
				b.Fatal(err)
			}
			cols, _ := rows.Columns()
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			for rows.Next() {
				rows.Scan(ptrs...)
			}
			rows.Close()
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/read")
	})
}
