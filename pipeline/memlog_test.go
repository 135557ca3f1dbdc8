package pipeline

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
)

func TestMemoryLogSamplesWhileOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mem.csv")
	t.Setenv(MemoryLogEnv, path)
	pool, err := OpenDB(context.Background(), filepath.Join(t.TempDir(), "m.duckdb"), testConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	startMemoryLog(pool).close() // a sample at once and one at the close
	startMemoryLog(pool).close() // a second session appends, without a second header

	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 5 || rows[0][0] != "time" || len(rows[1]) != len(rows[0]) {
		t.Fatalf("memory log %v", rows)
	}
	for _, row := range rows[1:] {
		for i, cell := range row[1:] {
			n, err := strconv.ParseInt(cell, 10, 64)
			if err != nil || n < 0 || rows[0][i+1] == "rss_mib" && runtime.GOOS == "linux" && n == 0 {
				t.Errorf("%s = %q", rows[0][i+1], cell)
			}
		}
	}
	t.Setenv(MemoryLogEnv, "")
	if startMemoryLog(pool) != nil {
		t.Error("sampling without the variable")
	}
}
