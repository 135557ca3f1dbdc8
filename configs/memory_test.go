package configs

import "testing"

// memory_limit reads as DuckDB reads it: KB, MB … in powers of 1000, KiB, MiB … in powers of
// 1024, any case, spaces allowed; empty (DuckDB's own default) and invalid values are 0.
func TestMemoryBytesReadsDuckDBsUnits(t *testing.T) {
	for limit, want := range map[string]int64{
		"2GB": 2_000_000_000, "512 MiB": 512 << 20, "1.5gb": 1_500_000_000, "10 bytes": 10, "64kib": 64 << 10,
		" 3 TB ": 3_000_000_000_000, "": 0, "lots": 0, "2 GBs": 0,
	} {
		if got := (Config{MemoryLimit: limit}).MemoryBytes(); got != want {
			t.Errorf("MemoryBytes(%q) = %d, want %d", limit, got, want)
		}
	}
}
