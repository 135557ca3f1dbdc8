package pipeline

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/pipeline/publish"
)

// folderAtLoad is a Reporter that reads the output folder when the run starts loading its
// first file: by then a run has written again the outputs the folder lacked.
type folderAtLoad struct {
	dir   string
	files map[string][]byte
}

func (r *folderAtLoad) Step(key string, _ ...any) {
	if key != "run.step.load" || r.files != nil {
		return
	}
	r.files = map[string][]byte{}
	for _, name := range publish.Outputs() {
		if b, err := os.ReadFile(filepath.Join(r.dir, name)); err == nil {
			r.files[name] = b
		}
	}
}

// runSeeingFolder runs cfg, storing a run even when nothing is new (Options.Full), and
// returns the run's summary and the output folder as it was when the run started loading.
func runSeeingFolder(t *testing.T, cfg configs.Config) (*Summary, map[string][]byte) {
	t.Helper()
	rep := &folderAtLoad{dir: cfg.Output}
	s, err := Run(context.Background(), plan(t, cfg), Options{AsOf: asOf(t, "2025-06-30"), Version: "test", Reporter: rep, Full: true})
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return s, rep.files
}

// shownRun is the run id in the summary.json of files.
func shownRun(t *testing.T, files map[string][]byte) Summary {
	t.Helper()
	var s Summary
	if err := json.Unmarshal(files[publish.SummaryJSON], &s); err != nil {
		t.Fatalf("summary.json: %v", err)
	}
	return s
}

// TestRunFailedWhilePublishingIsPublishedByTheNext: a run stored and then stopped while it
// renamed its outputs into place (a folder where watchlist.xlsx should go) leaves the folder
// with some of its files and the earlier run's summary.json. The next run, which loads nothing
// new, writes the stored run's outputs again before it loads, and its own outputs carry that
// run's file and rejected rows: read = loaded + quarantined, and quarantine.csv lists them.
func TestRunFailedWhilePublishingIsPublishedByTheNext(t *testing.T) {
	cfg := testConfig(t)
	first := run(t, cfg)

	cfg.Input = tinyWithBadCases(t) // a new cases file of 4 rows, 2 rejected; the others skipped
	blocker := filepath.Join(cfg.Output, publish.WatchlistXLSX)
	if err := os.Remove(blocker); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(blocker, 0o755); err != nil {
		t.Fatal(err)
	}
	_, err := Run(context.Background(), plan(t, cfg), Options{AsOf: asOf(t, "2025-06-30"), Version: "test"})
	if err == nil || !strings.Contains(i18n.Localize("en", err), "the next run writes them again") {
		t.Fatalf("run with watchlist.xlsx blocked: %v", err)
	}
	stored := query(t, cfg, "SELECT run_id FROM runs ORDER BY finished_at DESC LIMIT 1")[0][0].(string)
	if stored == first.RunID {
		t.Fatal("the run that failed while publishing was not stored")
	}
	if shown, _, _ := publish.Shown(cfg.Output); shown != first.RunID {
		t.Fatalf("summary.json names %q after the failed rename, want the first run's", shown)
	}
	if err := os.Remove(blocker); err != nil {
		t.Fatal(err)
	}

	s, seen := runSeeingFolder(t, cfg)
	if got := shownRun(t, seen); got.RunID != stored || len(seen) != len(publish.Outputs()) {
		t.Errorf("before loading, the folder held run %q's outputs (%d files), want %s's, all %d",
			got.RunID, len(seen), stored, len(publish.Outputs()))
	}
	if s.Republished != stored || !slices.Equal(s.UnpublishedRuns, []string{stored}) {
		t.Errorf("republished %q, unpublished runs %v; want %s for both", s.Republished, s.UnpublishedRuns, stored)
	}
	var cases *FileResult
	for i, f := range s.Inputs {
		if f.UnpublishedRun != "" {
			if cases != nil || f.UnpublishedRun != stored {
				t.Errorf("carried file %+v", f)
			}
			cases = &s.Inputs[i]
		}
	}
	if cases == nil || cases.TableName != "cases" || cases.Skipped || cases.Read != 4 || cases.Loaded != 2 || cases.Quarantined != 2 {
		t.Fatalf("the unpublished run's cases file in the next run's inputs: %+v", cases)
	}
	recs := readCSV(t, filepath.Join(cfg.Output, publish.QuarantineCSV), "文件,行号,编号,字段,原因,原始内容")
	if len(recs) != 2 {
		t.Fatalf("quarantine.csv holds %d rows, want the unpublished run's 2: %v", len(recs), recs)
	}
	for _, r := range recs {
		if r[0] != cases.Path {
			t.Errorf("quarantine.csv row from %s, want %s", r[0], cases.Path)
		}
	}
	var onDisk Summary
	if err := json.Unmarshal(readDir(t, cfg.Output)[publish.SummaryJSON], &onDisk); err != nil {
		t.Fatal(err)
	}
	if onDisk.RunID != s.RunID || onDisk.Republished != stored || !slices.Equal(onDisk.UnpublishedRuns, []string{stored}) {
		t.Errorf("summary.json: run %s, republished %q, unpublished %v", onDisk.RunID, onDisk.Republished, onDisk.UnpublishedRuns)
	}

	// Once published, the rows are not carried again.
	again := runFull(t, cfg)
	if again.Republished != "" || len(again.UnpublishedRuns) != 0 {
		t.Errorf("a run after a whole publish republished %q and carried %v", again.Republished, again.UnpublishedRuns)
	}
	if recs := readCSV(t, filepath.Join(cfg.Output, publish.QuarantineCSV), "文件,行号,编号,字段,原因,原始内容"); len(recs) != 0 {
		t.Errorf("quarantine.csv of a run that loaded nothing, after a whole publish: %v", recs)
	}
}

// TestMissingOutputsAreWrittenAgainFromTheDatabase: a deleted output makes the next run write
// the latest run's outputs again first (summary.json byte for byte as it was); a run stored
// before runs held whole records is written again from its columns.
func TestMissingOutputsAreWrittenAgainFromTheDatabase(t *testing.T) {
	cfg := testConfig(t)
	first := run(t, cfg)
	summary := readDir(t, cfg.Output)[publish.SummaryJSON]
	if err := os.Remove(filepath.Join(cfg.Output, publish.WatchlistXLSX)); err != nil {
		t.Fatal(err)
	}
	second, seen := runSeeingFolder(t, cfg)
	if string(seen[publish.SummaryJSON]) != string(summary) || seen[publish.WatchlistXLSX] == nil {
		t.Errorf("before loading, summary.json is\n%s\nwant the first run's\n%s\nwatchlist.xlsx written again: %v",
			seen[publish.SummaryJSON], summary, seen[publish.WatchlistXLSX] != nil)
	}
	if second.Republished != first.RunID || len(second.UnpublishedRuns) != 0 {
		// The first run's outputs had been in place whole: its rows were shown.
		t.Errorf("republished %q, unpublished runs %v; want %s and none", second.Republished, second.UnpublishedRuns, first.RunID)
	}

	// A database an earlier version wrote has no records; the folder is gone.
	query(t, cfg, "UPDATE runs SET record = NULL")
	if err := os.RemoveAll(cfg.Output); err != nil {
		t.Fatal(err)
	}
	third, seen := runSeeingFolder(t, cfg)
	got := shownRun(t, seen)
	if got.RunID != second.RunID || got.AsOf != second.AsOf || got.WatchlistItems != second.WatchlistItems ||
		len(got.Inputs) != len(second.Inputs) || got.Tiers["red"] != second.Tiers["red"] || len(seen) != len(publish.Outputs()) {
		t.Errorf("outputs written again from a run without a record: %d files, summary %+v", len(seen), got)
	}
	if third.Republished != second.RunID || !slices.Equal(third.UnpublishedRuns, []string{second.RunID}) {
		t.Errorf("republished %q, unpublished runs %v; want %s for both", third.Republished, third.UnpublishedRuns, second.RunID)
	}
}
