package configs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/earlywarn/earlywarn/internal/i18n"
)

// watchlist.sheet_rows defaults to DefaultSheetRows and takes 1 to MaxSheetRows: more would pass
// an Excel sheet's 1,048,576 rows.
func TestSheetRowsStayWithinAnExcelSheet(t *testing.T) {
	dir := t.TempDir()
	load := func(yaml string) (Config, error) {
		path := filepath.Join(dir, "c.yaml")
		if err := os.WriteFile(path, []byte("version: 1\n"+yaml+"rules:\n  - {id: a, kind: repeat_visits, weight: 1}\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return Load(path, true, nil)
	}
	cfg, err := load("")
	if err != nil || cfg.Watchlist.SheetRows != DefaultSheetRows {
		t.Fatalf("default sheet_rows %d, %v; want %d", cfg.Watchlist.SheetRows, err, DefaultSheetRows)
	}
	if cfg, err := load("watchlist: {sheet_rows: 1000000}\n"); err != nil || cfg.Watchlist.SheetRows != MaxSheetRows {
		t.Errorf("sheet_rows 1000000: %d, %v", cfg.Watchlist.SheetRows, err)
	}
	for _, n := range []string{"0", "1048576", "-5"} {
		_, err := load("watchlist: {sheet_rows: " + n + "}\n")
		msg := i18n.Localize("zh", err)
		if want := "c.yaml:2: watchlist.sheet_rows: 须为 1 到 1000000 之间的整数（Excel 每张表最多 1,048,576 行），此处为 " + n; !strings.Contains(msg, want) {
			t.Errorf("sheet_rows %s: %q, want %q", n, msg, want)
		}
	}
}
