// Package pipelinetest gives the tests of web and publishing a database made by a real run of the
// pipeline on the tiny fixture of cmd/earlywarn.
package pipelinetest

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/pipeline"
)

// AsOf is the screening date of the fixture runs.
var AsOf = time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)

// Config is the built-in default config pointed at the tiny fixture, a database and an output
// folder in a fresh temporary folder.
func Config(t testing.TB) configs.Config {
	t.Helper()
	cfg, err := configs.BuiltInConfig()
	if err != nil {
		t.Fatal(err)
	}
	_, file, _, _ := runtime.Caller(0)
	dir := t.TempDir()
	cfg.Input = filepath.Join(filepath.Dir(file), "..", "..", "cmd", "earlywarn", "testdata", "tiny")
	cfg.Database = filepath.Join(dir, "ew.duckdb")
	cfg.Output = filepath.Join(dir, "out")
	cfg.Threads = 2
	cfg.Quarantine.MaxRejectRate = 1 // the fixture rejects 3 of its 10 cases on purpose
	return cfg
}

// Run runs the pipeline on cfg as of AsOf and returns its summary.
func Run(t testing.TB, cfg configs.Config) *pipeline.Summary {
	t.Helper()
	return RunAsOf(t, cfg, AsOf)
}

// RunAsOf runs the pipeline on cfg as of asOf and returns its summary.
func RunAsOf(t testing.TB, cfg configs.Config, asOf time.Time) *pipeline.Summary {
	t.Helper()
	return run(t, cfg, pipeline.Options{AsOf: asOf, Version: "test"})
}

// RunFull runs the pipeline on cfg as of AsOf with Options.Full: it stores a run even when
// nothing is new since the last.
func RunFull(t testing.TB, cfg configs.Config) *pipeline.Summary {
	t.Helper()
	return run(t, cfg, pipeline.Options{AsOf: AsOf, Version: "test", Full: true})
}

func run(t testing.TB, cfg configs.Config, opts pipeline.Options) *pipeline.Summary {
	t.Helper()
	plan, err := pipeline.Prepare(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	s, err := pipeline.Run(context.Background(), plan, opts)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return s
}

// Open opens cfg's database, closed when the test ends.
func Open(t testing.TB, cfg configs.Config) *sql.DB {
	t.Helper()
	db, err := pipeline.OpenDB(context.Background(), cfg.Database, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Exec runs statements or fails the test.
func Exec(t testing.TB, db *sql.DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// AddBigRun adds to a fixture database a latest run "big" with n synthetic watchlist items:
// ranks 1..n, a fifth red, then orange to n/2, then yellow, 40 townships, 12 categories, and
// every tenth matter owned by "leader", each with a title. The review tables must exist.
func AddBigRun(tb testing.TB, db *sql.DB, n int) {
	tb.Helper()
	itoa := strconv.Itoa
	Exec(tb, db,
		`INSERT INTO runs (run_id, started_at, finished_at, as_of, watchlist_items, seq)
SELECT 'big', now(), now() + INTERVAL 1 DAY, DATE '2025-12-31', `+itoa(n)+`, coalesce(max(seq), 0) + 1 FROM runs`)
	InsertWatchlist(tb, db, `SELECT 'big' AS run_id, i AS rank, 'case:B' || lpad(i::VARCHAR, 6, '0') AS matter_id, 'case' AS matter_kind,
  CASE WHEN i <= `+itoa(n/5)+` THEN 'red' WHEN i <= `+itoa(n/2)+` THEN 'orange' ELSE 'yellow' END AS tier,
  round(20 - i / `+itoa(n)+`.0 * 19, 2) AS score,
  CASE WHEN i % 3 = 0 THEN ['repeat-contacts', 'stalled-overdue'] ELSE ['stalled-no-progress'] END AS rules,
  ['repeat_visits', 'stalled_case'] AS families,
  '2025年3月' || (1 + i % 9) || '日至12月1' || (i % 10) || '日就同一事项来信来访' || (4 + i % 9) || '次（90天内阈值4次），涉及' || (1 + i % 3) || '人；当前办理中。' AS reason_zh,
  'Repeat contacts ' || i AS reason_en, '乡镇人民政府' || (i % 40) AS responsible_unit, '乡镇' || (i % 40) AS township,
  '类别' || (i % 12) AS category, ['C' || i] AS case_ids, ['K' || i, 'K' || i || 'b'] AS contact_ids, ['E' || i] AS event_ids,
  DATE '2025-01-01' + (i % 300)::INTEGER AS first_flagged, DATE '2025-12-31' AS as_of, 1 + i % 3 AS complainants,
  'county' AS top_level, i % 60 AS days_overdue, ['new', 'continuing', 'worse'][1 + i % 3] AS state, '' AS state_note_zh,
  '' AS state_note_en, []::VARCHAR[] AS merged_ids, DATE '2025-12-01' + (i % 10)::INTEGER AS last_evidence,
  '乡镇' || (i % 40) || '某村 · 类别' || (i % 12) || '：反映的问题' || i || '至今没有解决' AS title
FROM range(1, `+itoa(n+1)+`) t(i)`)
	Exec(tb, db,
		`INSERT INTO matter_review (matter_id, state, owner, plan, due_date, taken_at, resolved_at, version, updated_at, updated_by) SELECT 'case:B' || lpad(i::VARCHAR, 6, '0'), 'owned', 'leader', '方案', DATE '2026-06-30', now(), NULL, 1, now(), 'leader'
FROM range(1, `+itoa(n+1)+`, 10) t(i)`)
}

// InsertWatchlist adds the rows query selects, named as view watchlist's columns, to the
// watchlists of stored runs: each item as a span of its own run alone, with its rank and
// measures. The items must be of matters no stored span of those runs covers.
func InsertWatchlist(tb testing.TB, db *sql.DB, query string) {
	tb.Helper()
	Exec(tb, db,
		`INSERT INTO watchlist_spans BY NAME
SELECT r.seq AS from_seq, r.seq AS to_seq,
       w.* EXCLUDE (run_id, rank, tier, score, as_of, days_overdue, state, state_note_zh, state_note_en)
FROM (`+query+`) w JOIN runs r USING (run_id)`,
		`INSERT INTO watchlist_ranks BY NAME
SELECT w.run_id, w.as_of, w.rank, w.matter_id, r.seq AS from_seq, w.tier, w.score, w.days_overdue, w.state,
       w.state_note_zh, w.state_note_en
FROM (`+query+`) w JOIN runs r USING (run_id)`)
}

// Hostile is complaint text that breaks out of HTML elements, attributes and scripts when it is
// not escaped, and names an outside address.
const Hostile = `</td><script>alert(1)</script>"><img src="http://evil.example/x.png" onerror="alert(2)">' onmouseover='alert(3)<style>@import url(https://evil.example/a.css);</style>`

// Exists reports whether path exists.
func Exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
