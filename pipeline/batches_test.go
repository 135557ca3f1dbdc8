package pipeline

import (
	"context"
	"os"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/earlywarn/earlywarn/internal/pseudo"
	"github.com/earlywarn/earlywarn/internal/source"
)

// cpuSeconds is the process's user and system CPU time so far.
func cpuSeconds(tb testing.TB) float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

// BenchmarkReadAll maps the bench-ingest export (go run ./scripts/bench-ingest makes it) on
// GOMAXPROCS workers: transcoding, parsing, checks, hashing and Arrow batches. It reports rows
// per second and CPU microseconds per row, which a busy machine disturbs less.
func BenchmarkReadAll(b *testing.B) {
	path := os.Getenv("EW_BENCH_GB18030")
	if path == "" {
		b.Skip("set EW_BENCH_GB18030 to a file written by scripts/bench-ingest")
	}
	p, err := source.LoadProfile("../configs/profiles/xinfang-office-gb18030.yaml")
	if err != nil {
		b.Fatal(err)
	}
	h, _ := pseudo.New([]byte("bench-key-0123456789abcdef"))
	newMapper := func() *source.Mapper { return source.NewMapper(p, h.Clone(), time.UTC, time.Time{}) }
	var rows int64
	cpu := cpuSeconds(b)
	for b.Loop() {
		r, err := source.Open(p, path)
		if err != nil {
			b.Fatal(err)
		}
		batches, err := readAll(context.Background(), r, newMapper, runtime.GOMAXPROCS(0))
		if err != nil {
			b.Fatal(err)
		}
		rows += batches.RowsRead
		batches.Release()
		r.Close()
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric((cpuSeconds(b)-cpu)/float64(rows)*1e6, "cpu-µs/row")
}
