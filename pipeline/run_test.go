package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/pipeline/publish"
	"github.com/earlywarn/earlywarn/pipeline/runrecord"
)

const tinyInput = "../cmd/earlywarn/testdata/tiny"

// testConfig is the built-in default config pointed at the tiny fixture and a temp folder.
func testConfig(t *testing.T) configs.Config {
	t.Helper()
	cfg, err := configs.BuiltInConfig()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cfg.Input = tinyInput
	cfg.Database = filepath.Join(dir, "ew.duckdb")
	cfg.Output = filepath.Join(dir, "out")
	cfg.Threads = 2
	cfg.Quarantine.MaxRejectRate = 1 // the tiny fixture has bad rows on purpose: 3 of its 10 cases
	return cfg
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func run(t *testing.T, cfg configs.Config) *Summary {
	t.Helper()
	s, err := Run(context.Background(), plan(t, cfg), Options{AsOf: asOf(t, "2025-06-30"), Version: "test"})
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return s
}

// runFull is run with Options.Full: it stores a run even when nothing is new.
func runFull(t *testing.T, cfg configs.Config) *Summary {
	t.Helper()
	s, err := Run(context.Background(), plan(t, cfg), Options{AsOf: asOf(t, "2025-06-30"), Version: "test", Full: true})
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return s
}

func query(t *testing.T, cfg configs.Config, stmt string, args ...any) [][]any {
	t.Helper()
	db, err := OpenDB(context.Background(), cfg.Database, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(stmt, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]any
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out = append(out, vals)
	}
	return out
}

func TestRunAccountsForEveryRow(t *testing.T) {
	cfg := testConfig(t)
	s := run(t, cfg)
	want := map[string][3]int64{ // read, loaded, quarantined
		"cases":    {10, 7, 3},
		"contacts": {13, 12, 1},
		"events":   {13, 12, 1},
	}
	for _, f := range s.Inputs {
		w := want[f.TableName]
		if f.Read != w[0] || f.Loaded != w[1] || f.Quarantined != w[2] {
			t.Errorf("%s: read %d loaded %d quarantined %d, want %v", f.TableName, f.Read, f.Loaded, f.Quarantined, w)
		}
		lines := countLines(t, f.Path) - 1
		if f.Read != lines {
			t.Errorf("%s: read %d rows, the file has %d", f.TableName, f.Read, lines)
		}
	}
	q := query(t, cfg, "SELECT file, line, field, reason, raw FROM quarantine ORDER BY file, field")
	if len(q) != 5 {
		t.Fatalf("quarantine %v", q)
	}
	for _, r := range q {
		// Every entry names the line it came from, and that line holds the record.
		line, ok := r[1].(int64)
		if !ok {
			t.Errorf("quarantine entry without a line: %v", r)
			continue
		}
		text := strings.Split(readFile(t, r[0].(string)), "\n")[line-1]
		if raw, _ := r[4].(string); !strings.Contains(text, strings.SplitN(raw, ",", 2)[0]) {
			t.Errorf("%s line %d is %q; the quarantine entry says %v", r[0], line, text, r)
		}
	}
	reasons := ""
	for _, r := range q {
		reasons += r[2].(string) + ": " + runrecord.RenderReason("en", r[2].(string), r[3].(string)) + "\n"
	}
	for _, want := range []string{"received_date: not a date in the form YYYY-MM-DD", "channel: unknown code fax", "category: required field is empty", "head_count: not a whole number", "event_type: unknown code teleported"} {
		if !strings.Contains(reasons, want) {
			t.Errorf("quarantine lacks %q:\n%s", want, reasons)
		}
	}
}

func TestRunFlagsTheTinyCounty(t *testing.T) {
	cfg := testConfig(t)
	s := run(t, cfg)
	rows := query(t, cfg, "SELECT matter_id, array_to_string(rules, ','), tier FROM watchlist WHERE run_id = $1 ORDER BY rank", s.RunID)
	got := map[string]string{}
	for _, r := range rows {
		got[r[0].(string)] = r[1].(string) + " " + r[2].(string)
	}
	for matter, want := range map[string]string{
		"case:XF-001": "escalation-higher-level,repeat-contacts", // climbs to the province
		"case:XF-002": "group-head-count",
		"case:XF-003": "stalled-overdue,stalled-no-progress,stalled-extensions",
	} {
		if !strings.HasPrefix(got[matter], want+" ") {
			t.Errorf("%s: got %q, want rules %s", matter, got[matter], want)
		}
	}
	clusters := 0
	for m, v := range got {
		if strings.HasPrefix(m, "group:") && strings.HasPrefix(v, "group-copied-letters ") {
			clusters++
		}
	}
	if clusters != 1 || len(got) != 4 {
		t.Errorf("watchlist %v, want the three cases and one copied-letter cluster", got)
	}
	if got["case:XF-002"] != "group-head-count orange" {
		t.Errorf("min_tier orange not applied: %q", got["case:XF-002"])
	}
}

// TestRunSkipsFilesAlreadyLoaded: a second run on the same files skips them; with nothing new
// it stores no run and names the first as standing, unless it is told to screen in full.
func TestRunSkipsFilesAlreadyLoaded(t *testing.T) {
	cfg := testConfig(t)
	first := run(t, cfg)
	s := run(t, cfg)
	for _, f := range s.Inputs {
		if !f.Skipped {
			t.Errorf("%s loaded twice", f.Path)
		}
	}
	if s.RunID != "" || s.Standing != first.RunID || s.WatchlistItems != first.WatchlistItems {
		t.Errorf("second run: run %q, standing %q, %d items; want none, %s, %d", s.RunID, s.Standing, s.WatchlistItems, first.RunID, first.WatchlistItems)
	}
	if n := query(t, cfg, "SELECT count(*) FROM cases")[0][0].(int64); n != 7 {
		t.Errorf("%d cases after two runs, want 7", n)
	}
	if n := query(t, cfg, "SELECT count(DISTINCT run_id) FROM watchlist")[0][0].(int64); n != 1 {
		t.Errorf("%d watchlists stored, want 1", n)
	}
	if full := runFull(t, cfg); full.RunID == "" || full.Standing != "" {
		t.Errorf("a full run: run %q, standing %q", full.RunID, full.Standing)
	}
	if n := query(t, cfg, "SELECT count(DISTINCT run_id) FROM watchlist")[0][0].(int64); n != 2 {
		t.Errorf("%d watchlists stored after a full run, want 2", n)
	}
}

// earlywarn serve runs the screening on its own database's connection pool: a run must not
// leave its screening tables with a pooled connection.
func TestRunOnACallersDatabaseLeavesNoTemporaryTables(t *testing.T) {
	cfg := testConfig(t)
	ctx := context.Background()
	db, err := OpenDB(ctx, cfg.Database, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // the run's connection is the one the query below gets
	for range 2 {
		if _, err := Run(ctx, plan(t, cfg), Options{AsOf: asOf(t, "2025-06-30"), DB: db}); err != nil {
			t.Fatal(err)
		}
		var temps []string
		rows, err := db.QueryContext(ctx, "SELECT table_name FROM duckdb_tables() WHERE temporary")
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				t.Fatal(err)
			}
			temps = append(temps, n)
		}
		rows.Close()
		if len(temps) > 0 {
			t.Errorf("temporary tables left on the connection after a run: %v", temps)
		}
	}
}

// cancelAt is a Reporter that cancels a run's context when it reaches a step.
type cancelAt struct {
	step   string
	cancel context.CancelFunc
}

func (c cancelAt) Step(key string, args ...any) {
	if strings.HasPrefix(i18n.T("en", key, args...), c.step) {
		c.cancel()
	}
}

// A run that fails after its load committed says so, and the next run adopts the load: it
// reports the files and quarantined rows as its own and writes the watchlist an
// uninterrupted run writes.
func TestRunFailingAfterItsLoadIsCaughtUpByTheNext(t *testing.T) {
	ref := testConfig(t)
	want := run(t, ref)
	wantCSV := readFile(t, filepath.Join(ref.Output, publish.WatchlistCSV))
	wantQuarantine := readFile(t, filepath.Join(ref.Output, publish.QuarantineCSV))

	for _, step := range []string{"screening as of", "building the watchlist", "storing the run"} {
		t.Run(step, func(t *testing.T) {
			cfg := testConfig(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			_, err := Run(ctx, plan(t, cfg), Options{AsOf: asOf(t, "2025-06-30"), Reporter: cancelAt{step, cancel}})
			var unscreened *UnscreenedLoadError
			if !errors.As(err, &unscreened) || !errors.Is(err, context.Canceled) || !strings.Contains(i18n.Localize("en", err), "the next run screens them") ||
				!strings.Contains(err.Error(), "下次运行会筛查它们") {
				t.Fatalf("run cancelled at %q: %v, want an UnscreenedLoadError", step, err)
			}
			if n := query(t, cfg, "SELECT count(*) FROM runs")[0][0].(int64); n != 0 {
				t.Errorf("%d runs stored by a run that failed", n)
			}
			s := run(t, cfg)
			for i, f := range s.Inputs {
				w := want.Inputs[i]
				if f.LoadedBy != unscreened.RunID || f.Skipped || f.Read != w.Read || f.Loaded != w.Loaded || f.Quarantined != w.Quarantined {
					t.Errorf("next run reports %s as %+v, want it adopted from %s with %d read, %d loaded, %d quarantined",
						f.Path, f, unscreened.RunID, w.Read, w.Loaded, w.Quarantined)
				}
			}
			if got := readFile(t, filepath.Join(cfg.Output, publish.WatchlistCSV)); got != wantCSV {
				t.Errorf("watchlist after catching up differs from an uninterrupted run's")
			}
			if got := readFile(t, filepath.Join(cfg.Output, publish.QuarantineCSV)); got != wantQuarantine {
				t.Errorf("quarantine.csv after catching up differs from an uninterrupted run's:\n%s\nwant\n%s", got, wantQuarantine)
			}
		})
	}
}

func TestFailedRunLeavesTheDatabaseAsItWas(t *testing.T) {
	cfg := testConfig(t)
	run(t, cfg)
	before := snapshot(t, cfg)

	broken := t.TempDir()
	for _, name := range []string{"cases.csv", "contacts.csv"} {
		copyFile(t, filepath.Join(tinyInput, name), filepath.Join(broken, name))
	}
	// events.csv lacks a required column: the run fails after loading cases and contacts.
	if err := os.WriteFile(filepath.Join(broken, "events.csv"), []byte("event_id,case_id,event_date\nE-1,XF-001,2025-06-01\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg.Input = broken
	_, err := Run(context.Background(), plan(t, cfg), Options{AsOf: asOf(t, "2025-06-30")})
	if err == nil || !strings.Contains(i18n.Localize("en", err), "missing required column(s) event_type") {
		t.Fatalf("err = %v, want a missing column error", err)
	}
	if after := snapshot(t, cfg); after != before {
		t.Errorf("database changed by a failed run:\nbefore %s\nafter  %s", before, after)
	}
}

func TestMissingInputIsAClearError(t *testing.T) {
	cfg := testConfig(t)
	cfg.Input = t.TempDir()
	_, err := Run(context.Background(), plan(t, cfg), Options{AsOf: asOf(t, "auto")})
	if err == nil || !strings.Contains(i18n.Localize("en", err), "has no cases.csv or cases.parquet") {
		t.Fatalf("err = %v", err)
	}
	if _, statErr := os.Stat(cfg.Database); !errors.Is(statErr, os.ErrNotExist) {
		t.Errorf("a run with no input created the database")
	}
}

func snapshot(t *testing.T, cfg configs.Config) string {
	t.Helper()
	var b strings.Builder
	for _, table := range []string{"cases", "contacts", "events", "loaded_files", "quarantine", "runs", "flags", "watchlist"} {
		fmt.Fprintf(&b, "%s=%v ", table, query(t, cfg, "SELECT count(*) FROM "+table)[0][0])
	}
	return b.String()
}

func countLines(t *testing.T, path string) int64 {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return int64(strings.Count(string(b), "\n"))
}

func copyFile(t *testing.T, from, to string) {
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestCorrectedExportReplacesRecords(t *testing.T) {
	cfg := testConfig(t)
	run(t, cfg)
	corrected := t.TempDir()
	for _, name := range []string{"contacts.csv", "events.csv"} {
		copyFile(t, filepath.Join(tinyInput, name), filepath.Join(corrected, name))
	}
	// XF-002 now has a different category and a new case arrives; the rest is unchanged.
	cases := "case_id,received_date,channel,level,complainant_id,head_count,category,township,village,target_org,responsible_unit,status,content\n" +
		"XF-002,2025-05-02,visit,county,P-b,8,社会保障,新桥乡,新桥村,某某建筑工程有限公司,县人社局,办理中,更正后的内容。\n" +
		"XF-011,2025-06-20,phone,county,P-k,1,教育,城关镇,,县教育局,县教育局,办理中,新的来电。\n"
	if err := os.WriteFile(filepath.Join(corrected, "cases.csv"), []byte(cases), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg.Input = corrected
	s := run(t, cfg)
	for _, f := range s.Inputs {
		if f.TableName == "cases" && (f.Skipped || f.Loaded != 2) {
			t.Errorf("cases: %+v", f)
		}
		if f.TableName != "cases" && !f.Skipped {
			t.Errorf("%s was loaded again although unchanged", f.TableName)
		}
	}
	got := query(t, cfg, "SELECT count(*), count(*) FILTER (WHERE case_id = 'XF-002'), any_value(category) FILTER (WHERE case_id = 'XF-002') FROM cases")[0]
	if got[0].(int64) != 8 || got[1].(int64) != 1 || got[2].(string) != "社会保障" {
		t.Errorf("cases after the corrected export: %v, want 8 cases with XF-002 replaced", got)
	}
}
