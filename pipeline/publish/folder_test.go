package publish_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/earlywarn/earlywarn/pipeline/publish"
)

// TestShownNamesTheRunWhoseOutputsTheFolderHolds: summary.json's run, and whether every output
// is there; a folder without a readable run record shows no run.
func TestShownNamesTheRunWhoseOutputsTheFolderHolds(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	check := func(what, wantRun string, wantWhole bool) {
		t.Helper()
		run, whole, err := publish.Shown(dir)
		if err != nil || run != wantRun || whole != wantWhole {
			t.Errorf("%s: run %q, whole %v, err %v; want %q, %v", what, run, whole, err, wantRun, wantWhole)
		}
	}
	check("empty folder", "", false)
	for _, name := range publish.Outputs() {
		write(name, "x")
	}
	check("summary.json not a run record", "", false)
	write(publish.SummaryJSON, `{"run_id": "R1", "as_of": "2025-06-30"}`)
	check("every output", "R1", true)
	if err := os.Remove(filepath.Join(dir, publish.WatchlistXLSX)); err != nil {
		t.Fatal(err)
	}
	check("watchlist.xlsx missing", "R1", false)
}
