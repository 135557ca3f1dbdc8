package ingest

import (
	"os"
	"testing"
)

// BenchmarkCensus and BenchmarkChecksum take the census and the checksum of the canonical CSV
// file EW_BENCH_CSV names, each as a run does once per file, for comparing their speed.
func BenchmarkCensus(b *testing.B) {
	path := os.Getenv("EW_BENCH_CSV")
	if path == "" {
		b.Skip("EW_BENCH_CSV (a canonical CSV file) not set")
	}
	st, _ := os.Stat(path)
	b.SetBytes(st.Size())
	for b.Loop() {
		if _, err := takeCensus(path, censusLimits{maxBytes: 1 << 20}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkChecksum(b *testing.B) {
	path := os.Getenv("EW_BENCH_CSV")
	if path == "" {
		b.Skip("EW_BENCH_CSV (a canonical CSV file) not set")
	}
	st, _ := os.Stat(path)
	b.SetBytes(st.Size())
	for b.Loop() {
		if _, err := checksum(path); err != nil {
			b.Fatal(err)
		}
	}
}
