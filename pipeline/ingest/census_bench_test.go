package ingest

import (
	"os"
	"testing"
)

func BenchmarkCensus(b *testing.B) {
	path := os.Getenv("CENSUS_FILE")
	if path == "" {
		b.Skip("CENSUS_FILE not set")
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
	path := os.Getenv("CENSUS_FILE")
	if path == "" {
		b.Skip("CENSUS_FILE not set")
	}
	st, _ := os.Stat(path)
	b.SetBytes(st.Size())
	for b.Loop() {
		if _, err := checksum(path); err != nil {
			b.Fatal(err)
		}
	}
}
