package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/earlywarn/earlywarn/configs"

	"github.com/earlywarn/earlywarn/pipeline"
	"github.com/earlywarn/earlywarn/pipeline/publish"
)

// The kill tests run the tiny fixture (input A), then a corrected export of all three files
// (input B) that a child process runs until a named step, where it is killed with SIGKILL. A
// run commits twice (its load, then its run), so the database must be as A left it (killed
// before the load's commit), hold B's load and no run for it (between the commits), or hold
// B's run whole (after the second). The visible outputs must be whole files, and the next run
// of B must give the watchlist of an uninterrupted A-then-B sequence, byte for byte, and
// account for B's rows as that sequence did: in its counts and quarantine.csv, also when B's
// run was stored and its outputs were not (it writes them again first, and carries B's rows).

// Where a killed run had got to, in the database.
const (
	storedNothing = iota // the database is as A left it
	storedLoad           // B's inputs are loaded; no run is stored for them
	storedRun            // B's run is stored whole
)

// runArgs are the arguments of an earlywarn run of input into dir's database and output folder.
func runArgs(dir, input string) []string {
	return []string{"run", "--config", "../../configs/default.yaml", "--input", input,
		"--db", filepath.Join(dir, "ew.duckdb"), "--out", filepath.Join(dir, "out"),
		"--as-of", "2025-06-30", "--max-reject-rate", "1"}
}

// correctedExport writes input B: every file of the tiny fixture with one record changed and
// one added, so that each is loaded (not skipped) and replaces records.
func correctedExport(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, extra := range map[string]string{
		"cases.csv":    "XF-011,2025-06-20,visit,county,P-k,7,教育,城关镇,,县教育局,县教育局,办理中,新的集体来访。\n",
		"contacts.csv": "V-014,XF-011,2025-06-20,visit,county,P-k,7\n",
		"events.csv":   "E-014,XF-011,accepted,2025-06-21\n",
	} {
		b, err := os.ReadFile(filepath.Join("testdata", "tiny", name))
		if err != nil {
			t.Fatal(err)
		}
		if name == "cases.csv" { // XF-002 gets another category
			b = bytes.Replace(b, []byte(",8,劳资纠纷,"), []byte(",8,社会保障,"), 1)
		}
		if err := os.WriteFile(filepath.Join(dir, name), append(b, extra...), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// mustRun runs the command line in-process and fails the test unless it succeeds.
func mustRun(t *testing.T, args ...string) {
	t.Helper()
	if code, out, errs := cli(t, args...); code != exitOK {
		t.Fatalf("%v: exit %d\n%s%s", args, code, out, errs)
	}
}

// startPaused starts earlywarn with args in a child process that pauses at the step starting
// with step, and returns once it is there.
func startPaused(t *testing.T, step string, args []string) *exec.Cmd {
	t.Helper()
	child := exec.Command(os.Args[0], args...)
	child.Env = append(os.Environ(), "EARLYWARN_TEST_AS_CLI=1", "EARLYWARN_TEST_PAUSE_AT="+step)
	stderr, err := child.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	child.Stdout = &out
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { child.Process.Kill(); child.Wait() })
	r := bufio.NewReader(stderr)
	var seen strings.Builder
	for {
		line, err := r.ReadString('\n')
		seen.WriteString(line)
		if strings.HasPrefix(line, "paused at ") {
			go io.Copy(io.Discard, r) // keep the pipe drained
			return child
		}
		if err != nil {
			child.Wait()
			t.Fatalf("the child never reached step %q: %s\nstdout %s", step, seen.String(), out.String())
		}
	}
}

func kill(t *testing.T, child *exec.Cmd) {
	t.Helper()
	if err := child.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = child.Wait()
	if ws, ok := child.ProcessState.Sys().(syscall.WaitStatus); !ok || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("the child ended with %v, not by SIGKILL", child.ProcessState)
	}
}

// uninterrupted returns inputs A and B and the reference: the outputs of A then B, run
// uninterrupted on a fresh database.
func uninterrupted(t *testing.T) (inputA, inputB string, want map[string][]byte) {
	t.Helper()
	inputA, inputB = filepath.Join("testdata", "tiny"), correctedExport(t)
	ref := t.TempDir()
	mustRun(t, runArgs(ref, inputA)...)
	mustRun(t, runArgs(ref, inputB)...)
	return inputA, inputB, outputs(t, filepath.Join(ref, "out"))
}

func TestKilledRunLeavesTheDatabaseConsistentAndTheNextRunCatchesUp(t *testing.T) {
	inputA, inputB, want := uninterrupted(t)

	for _, tt := range []struct {
		name, step string
		stored     int // what of B the database holds when the step starts
		temps      int // temporary output files written when the step starts
	}{
		{"ingest", "loading " + filepath.Join(inputB, "events.csv"), storedNothing, 0}, // B's cases and contacts loaded
		{"screening", "rule 6 or more complainants", storedLoad, 0},                    // group-wave: some rules' flags collected
		{"watchlist", "building the watchlist", storedLoad, 0},
		{"store", "storing the run", storedLoad, 0}, // the watchlist built, not stored
		// The outputs are written side by side (publish.Publish): a kill between these two leaves
		// some of them under temporary names, which the next run's publishing replaces.
		{"publish-start", "writing the lists, the quarantined rows, the report and the workbook", storedRun, 0},
		{"publish-rename", "moving outputs into place", storedRun, 6}, // every output written, none renamed yet
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			mustRun(t, runArgs(dir, inputA)...)
			afterA := dbContents(t, dir)
			outA := outputs(t, filepath.Join(dir, "out"))

			child := startPaused(t, tt.step, runArgs(dir, inputB))
			// While it runs, a second run fails at once, naming it.
			code, _, errs := cli(t, runArgs(dir, inputB)...)
			if code != exitLocked || !strings.Contains(errs, fmt.Sprintf("PID %d", child.Process.Pid)) {
				t.Errorf("second run while one is paused: exit %d, stderr %q", code, errs)
			}
			kill(t, child)
			if temps, _ := filepath.Glob(filepath.Join(dir, "out", ".*.tmp")); len(temps) != tt.temps {
				t.Errorf("%d temporary files after the kill, want %d: %v", len(temps), tt.temps, temps)
			}

			runs, unscreened := checkConsistent(t, dir)
			switch tt.stored {
			case storedNothing:
				if got := dbContents(t, dir); got != afterA {
					t.Errorf("database changed by a run killed before its load committed:\nbefore %s\nafter  %s", afterA, got)
				}
			case storedLoad:
				if runs != 1 || unscreened != 3 {
					t.Errorf("%d runs and %d files loaded for no run; want A's run and B's 3 files", runs, unscreened)
				}
			case storedRun:
				if runs != 2 || unscreened != 0 {
					t.Errorf("%d runs and %d files loaded for no run; want A's and the killed B's runs", runs, unscreened)
				}
			}
			// The visible outputs are whole: A's, or (after the commit) possibly B's.
			for name, got := range outputs(t, filepath.Join(dir, "out")) {
				if !bytes.Equal(got, outA[name]) && (tt.stored != storedRun || !bytes.Equal(got, want[name])) {
					t.Errorf("%s after the kill is neither A's nor B's", name)
				}
			}

			code, out, errs := cli(t, runArgs(dir, inputB)...)
			if code != exitOK {
				t.Fatalf("re-run: exit %d\n%s%s", code, out, errs)
			}
			if adopted := strings.Contains(out, "由本次运行接续筛查"); adopted != (tt.stored == storedLoad) {
				t.Errorf("re-run after a kill that left B's load %v says it adopted a load: %v\n%s", tt.stored == storedLoad, adopted, out)
			}
			if republished := strings.Contains(out, "已从数据库重新写出"); republished != (tt.stored == storedRun) {
				t.Errorf("re-run after a kill that left B's run stored %v says it wrote B's outputs again: %v\n%s", tt.stored == storedRun, republished, out)
			}
			got := outputs(t, filepath.Join(dir, "out"))
			for _, name := range []string{publish.WatchlistCSV, publish.WatchlistParquet} {
				if !bytes.Equal(got[name], want[name]) {
					t.Errorf("%s after the re-run differs from the uninterrupted run's", name)
				}
			}
			// The re-run loaded B, adopted the killed run's load, or carried the load of the
			// killed run whose outputs never reached the folder: each way it reports B's rows.
			if !bytes.Equal(got[publish.QuarantineCSV], want[publish.QuarantineCSV]) {
				t.Errorf("quarantine.csv after the re-run differs from the uninterrupted run's")
			}
			if g, w := inputCounts(t, got[publish.SummaryJSON]), inputCounts(t, want[publish.SummaryJSON]); g != w {
				t.Errorf("summary.json after the re-run accounts for\n%s\nthe uninterrupted run's for\n%s", g, w)
			}
			entries, err := os.ReadDir(filepath.Join(dir, "out"))
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				if strings.HasPrefix(e.Name(), ".") {
					t.Errorf("temporary file %s left in the output folder", e.Name())
				}
			}
			checkConsistent(t, dir)
		})
	}
}

// outputs reads the published files of an output folder (not temporary ones), checking that
// each is whole: the CSVs parse, summary.json decodes, DuckDB reads the Parquet file.
func outputs(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, name := range []string{publish.WatchlistCSV, publish.WatchlistParquet, publish.QuarantineCSV, publish.SummaryJSON} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		switch filepath.Ext(name) {
		case ".csv":
			if _, err := csv.NewReader(bytes.NewReader(b)).ReadAll(); err != nil || !bytes.HasPrefix(b, []byte("\ufeff")) {
				t.Errorf("%s is not a whole CSV file: %v", name, err)
			}
		case ".json":
			var s pipeline.Summary
			if err := json.Unmarshal(b, &s); err != nil || s.RunID == "" {
				t.Errorf("%s is not a whole run record: %v", name, err)
			}
		case ".parquet":
			if n := queryInt(t, "", "SELECT count(*) FROM read_parquet($1)", filepath.Join(dir, name)); n == 0 {
				t.Errorf("%s holds no rows", name)
			}
		}
		out[name] = b
	}
	return out
}

// checkConsistent checks that every stored run is whole: its watchlist has the number of items
// its run record says, and no flags or watchlist rows belong to a run that was not recorded
// (no span of flags begins after the latest run stored, and only spans still open reach it).
// It returns the number of runs and of files loaded by a run that was not recorded (a load
// committed by a run killed before it stored its run), whose quarantined rows must be there.
func checkConsistent(t *testing.T, dir string) (runs, unscreened int64) {
	t.Helper()
	withDB(t, filepath.Join(dir, "ew.duckdb"), func(db *sql.DB) error {
		var orphans, partial, missing int64
		err := db.QueryRow(`SELECT
  (SELECT count(*) FROM flag_spans WHERE from_seq > (SELECT coalesce(max(seq), 0) FROM runs)
     OR to_seq IS NOT NULL AND to_seq >= (SELECT max(seq) FROM runs)) +
  (SELECT count(*) FROM watchlist WHERE run_id NOT IN (SELECT run_id FROM runs)),
  (SELECT count(*) FROM runs r WHERE watchlist_items <> (SELECT count(*) FROM watchlist w WHERE w.run_id = r.run_id)),
  (SELECT count(*) FROM runs),
  (SELECT count(*) FROM loaded_files WHERE run_id NOT IN (SELECT run_id FROM runs)),
  (SELECT abs(coalesce(sum(rows_quarantined), 0) - (SELECT count(*) FROM quarantine q WHERE q.run_id NOT IN (SELECT run_id FROM runs)))
   FROM loaded_files WHERE run_id NOT IN (SELECT run_id FROM runs))`).Scan(&orphans, &partial, &runs, &unscreened, &missing)
		if orphans != 0 || partial != 0 || missing != 0 {
			t.Errorf("%d flags or watchlist rows belong to no recorded run; %d runs have a partial watchlist; "+
				"quarantine misses %d rows of loads with no run", orphans, partial, missing)
		}
		return err
	})
	return runs, unscreened
}

// inputCounts lists the rows read, loaded and quarantined per table in a summary.json.
func inputCounts(t *testing.T, summary []byte) string {
	t.Helper()
	var s pipeline.Summary
	if err := json.Unmarshal(summary, &s); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, f := range s.Inputs {
		fmt.Fprintf(&b, "%s: read %d, loaded %d, quarantined %d, skipped %v\n", f.TableName, f.Read, f.Loaded, f.Quarantined, f.Skipped)
	}
	return b.String()
}

// dbContents fingerprints every table: its row count and a hash of all its rows.
func dbContents(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	withDB(t, filepath.Join(dir, "ew.duckdb"), func(db *sql.DB) error {
		var tables []string
		rows, err := db.Query("SELECT table_name FROM duckdb_tables() ORDER BY table_name")
		if err != nil {
			return err
		}
		for rows.Next() {
			var name string
			if err := rows.Scan(&name); err != nil {
				return err
			}
			tables = append(tables, name)
		}
		rows.Close()
		for _, name := range tables {
			var n int64
			var h string
			if err := db.QueryRow(`SELECT count(*), coalesce(sum(hash(t)), 0)::VARCHAR FROM "`+name+`" t`).Scan(&n, &h); err != nil {
				return err
			}
			fmt.Fprintf(&b, "%s=%d/%s ", name, n, h)
		}
		return nil
	})
	return b.String()
}

// queryInt runs a query returning one integer on the database at path ("" = in memory).
func queryInt(t *testing.T, path, stmt string, args ...any) int64 {
	t.Helper()
	var n int64
	withDB(t, path, func(db *sql.DB) error { return db.QueryRow(stmt, args...).Scan(&n) })
	return n
}

func withDB(t *testing.T, path string, f func(*sql.DB) error) {
	t.Helper()
	db, err := pipeline.OpenDB(context.Background(), path, configs.Default())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := f(db); err != nil {
		t.Fatal(err)
	}
}
