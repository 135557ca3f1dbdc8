package pipeline

import (
	"context"
	"database/sql"
	"testing"

	"github.com/earlywarn/earlywarn/configs"
)

// memory_limit is the whole run's budget: DuckDB's pool gets three quarters of it and Go's soft
// limit two fifths; without one, DuckDB keeps its own default and Go has no limit.
func TestMemoryLimitIsSharedBetweenDuckDBAndGo(t *testing.T) {
	ctx := context.Background()
	cfg := configs.Default()
	cfg.MemoryLimit = "2GB"
	if got, want := duckDBMemory(cfg), "1464843KiB"; got != want {
		t.Errorf("DuckDB's memory limit = %s, want %s", got, want)
	}
	if got, want := GoMemoryLimit(cfg), int64(800_000_000); got != want {
		t.Errorf("Go's memory limit = %d, want %d", got, want)
	}
	setting := func(pool *sql.DB) string {
		t.Helper()
		var s string
		if err := pool.QueryRowContext(ctx, "SELECT current_setting('memory_limit')").Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	pool, err := OpenDB(ctx, "", cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	plain, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	if _, err := plain.ExecContext(ctx, "SET memory_limit = '1464843KiB'"); err != nil {
		t.Fatal(err)
	}
	if got, want := setting(pool), setting(plain); got != want {
		t.Errorf("OpenDB set memory_limit %s, want %s", got, want)
	}
	cfg.MemoryLimit = ""
	if duckDBMemory(cfg) != "" || GoMemoryLimit(cfg) != 0 {
		t.Errorf("no memory_limit: DuckDB %q, Go %d, want DuckDB's default and no Go limit", duckDBMemory(cfg), GoMemoryLimit(cfg))
	}
}
