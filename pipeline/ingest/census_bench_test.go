package ingest

import (
	"os"
	"testing"

	"github.com/earlywarn/earlywarn/data"
)

// BenchmarkCensus and BenchmarkChecksum take the census and the checksum of the canonical CSV
// file EW_BENCH_CSV names (the census as of a cases file), each as a run does once per file,
// for comparing their speed.
func BenchmarkCensus(b *testing.B) {
	path := benchCSV(b)
	for b.Loop() {
		if _, err := takeCensus(path, data.Cases, censusLimits{maxBytes: 1 << 20}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkChecksum(b *testing.B) {
	path := benchCSV(b)
	for b.Loop() {
		if _, err := Checksum(path); err != nil {
			b.Fatal(err)
		}
	}
}

// benchCSV is the file EW_BENCH_CSV names, its size set as the bytes each run processes.
func benchCSV(b *testing.B) string {
	path := os.Getenv("EW_BENCH_CSV")
	st, err := os.Stat(path)
	if path == "" || err != nil {
		b.Skip("EW_BENCH_CSV (a canonical CSV file) not set")
	}
	b.SetBytes(st.Size())
	return path
}
