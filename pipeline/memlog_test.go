package pipeline

import (
	"context"
	"database/sql"
	"encoding/csv"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
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

// TestInGoWorkLowersDuckDBsLimitAndRestoresIt: DuckDB's memory_limit during work in Go is its
// share of the budget for it, and the usual one after, Go's soft limit likewise.
func TestInGoWorkLowersDuckDBsLimitAndRestoresIt(t *testing.T) {
	cfg := testConfig(t)
	cfg.MemoryLimit = "2GB"
	pool, err := OpenDB(context.Background(), filepath.Join(t.TempDir(), "m.duckdb"), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	q, err := pool.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	before := setting(t, q)
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(GoMemoryLimit(cfg)))
	var during string
	var goDuring int64
	if err := inGoWork(context.Background(), q, cfg, func() error {
		during, goDuring = setting(t, q), debug.SetMemoryLimit(-1)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if during != "572.2 MiB" { // 30% of 2 GB (2e9 bytes), where the usual is 75%: 1.3 GiB
		t.Errorf("memory_limit %s before, %s in Go work; want 30%% of 2 GB, 572.2 MiB", before, during)
	}
	if after := setting(t, q); after != before {
		t.Errorf("memory_limit %s after Go work, %s before", after, before)
	}
	if goDuring != 1_300_000_000 || debug.SetMemoryLimit(-1) != GoMemoryLimit(cfg) {
		t.Errorf("Go's limit %d in Go work, %d after; want 65%% of the budget, then %d", goDuring, debug.SetMemoryLimit(-1), GoMemoryLimit(cfg))
	}
}

func setting(t *testing.T, q *sql.Conn) string {
	t.Helper()
	var v string
	if err := q.QueryRowContext(context.Background(), "SELECT current_setting('memory_limit')").Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}
