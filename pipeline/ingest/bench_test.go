package ingest

import (
	"errors"
	"io"
	"os"
	"testing"
	"time"
)

// BenchmarkGB18030Profile reads the bench-ingest export (go run ./scripts/bench-ingest makes
// it) through the office profile: transcoding, parsing, checks and hashing.
func BenchmarkGB18030Profile(b *testing.B) {
	path := os.Getenv("EW_BENCH_GB18030")
	if path == "" {
		b.Skip("set EW_BENCH_GB18030 to a file written by scripts/bench-ingest")
	}
	p := loadMapping(b, "../../configs/profiles/xinfang-office-gb18030.yaml")
	rows := 0
	for b.Loop() {
		r, err := openSource(p, path)
		if err != nil {
			b.Fatal(err)
		}
		m := newMapper(p, testHasher, time.UTC, time.Time{})
		n := 0
		for {
			rec, err := r.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			m.Map(rec)
			n++
		}
		r.Close()
		rows += n
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}
