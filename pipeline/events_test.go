package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/earlywarn/earlywarn/pipeline/runrecord"
)

// recordingEvents are the tiny fixture's events with a result column and the events that
// annotate the handling: supervision of XF-003 (stalled, and no progress since acceptance),
// a return visit and two evaluations of XF-004 (closed on 2025-03-10; the unsatisfied one
// reopens it), a return visit of XF-002 carrying a result (kept, ignored by screening), and
// three bad rows.
const recordingEvents = "event_id,case_id,event_type,event_date,result\n" +
	"E-001,XF-001,accepted,2025-03-05,\n" + // 2
	"E-002,XF-001,answered,2025-04-20,\n" +
	"E-003,XF-002,accepted,2025-05-05,\n" +
	"E-004,XF-003,accepted,2025-01-10,\n" + // 5
	"E-005,XF-003,extended,2025-03-08,\n" +
	"E-006,XF-003,extended,2025-04-05,\n" +
	"E-007,XF-004,accepted,2025-02-12,\n" +
	"E-008,XF-004,answered,2025-03-01,\n" +
	"E-009,XF-004,closed,2025-03-10,\n" + // 10
	"E-010,XF-005,accepted,2025-06-03,\n" +
	"E-011,XF-006,accepted,2025-06-05,\n" +
	"E-012,XF-007,accepted,2025-06-08,\n" +
	"E-013,XF-003,teleported,2025-04-06,\n" + // 14 unknown event type
	"E-101,XF-003,supervised,2025-05-20,\n" + // 15
	"E-102,XF-004,return_visit,2025-03-12,\n" +
	"E-103,XF-004,evaluated,2025-03-15,satisfied\n" +
	"E-104,XF-004,evaluated,2025-03-20,unsatisfied\n" +
	"E-105,XF-002,return_visit,2025-05-20,satisfied\n" +
	"E-106,XF-001,evaluated,2025-05-01,\n" + // 20 an evaluation without its result
	"E-107,XF-001,evaluated,2025-05-02,happy\n" // 21 unknown result

// TestEventsWithResults loads a canonical events CSV with the result column: results are
// loaded, an unknown result and an evaluation without one are quarantined with their line,
// and screening treats the new events as annotations, except the unsatisfied evaluation of a
// closed case, which reopens it (XF-004, overdue again 60 days later).
func TestEventsWithResults(t *testing.T) {
	cfg := testConfig(t)
	cfg.Input = copyTiny(t, "events.csv", []byte(recordingEvents))
	s := run(t, cfg)
	var res FileResult
	for _, in := range s.Inputs {
		if in.TableName == "events" {
			res = in
		}
	}
	if res.Read != 20 || res.Loaded != 17 || res.Quarantined != 3 {
		t.Errorf("events: read %d loaded %d quarantined %d, want 20 = 17 + 3", res.Read, res.Loaded, res.Quarantined)
	}
	want := []string{
		"14 event_type: unknown code teleported; expected one of accepted, assigned, supervised, extended, answered, review_requested, reviewed, rereview_requested, rereviewed, terminated, closed, return_visit, evaluated, reopened [teleported]",
		"20 result: an evaluation without its result; expected one of satisfied, basically_satisfied, unsatisfied [E-106]",
		"21 result: unknown code happy; expected one of satisfied, basically_satisfied, unsatisfied [happy]",
	}
	if got := quarantined(t, cfg, s.RunID, res.Path); !slices.Equal(got, want) {
		t.Errorf("quarantine:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	zh := query(t, cfg, "SELECT field, reason FROM quarantine WHERE run_id = $1 AND field = 'result' ORDER BY line", s.RunID)
	if got := runrecord.RenderReason("zh", zh[0][0].(string), zh[0][1].(string)); got != "评价事件缺少评价结果；应为 satisfied, basically_satisfied, unsatisfied 之一" {
		t.Errorf("zh reason %q", got)
	}
	results := query(t, cfg, "SELECT event_id, result FROM events WHERE result IS NOT NULL ORDER BY event_id")
	if fmt.Sprint(results) != "[[E-103 satisfied] [E-104 unsatisfied] [E-105 satisfied]]" {
		t.Errorf("results loaded: %v", results)
	}

	items := map[string][]any{}
	for _, r := range query(t, cfg, `SELECT matter_id, array_to_string(rules, ';'), reason_en, array_to_string(event_ids, ';')
FROM watchlist WHERE run_id = $1`, s.RunID) {
		items[r[0].(string)] = r[1:]
	}
	xf4, ok := items["case:XF-004"]
	if !ok {
		t.Fatalf("XF-004, closed and then rated unsatisfied, is not on the watchlist: %v", items)
	}
	if xf4[0] != "stalled-overdue;stalled-no-progress" || !strings.HasPrefix(xf4[1].(string), "42 days past the deadline of 19 May 2025 while being handled") ||
		!strings.Contains(xf4[1].(string), "No progress for 102 days (last: reopened on an unsatisfied evaluation on 20 Mar 2025)") ||
		xf4[2] != "E-007;E-008;E-009;E-102;E-103;E-104" {
		t.Errorf("XF-004 on the watchlist: %v", xf4)
	}
	if xf3 := items["case:XF-003"]; xf3 == nil || !strings.Contains(xf3[1].(string), "No progress for 171 days (last: accepted on 10 Jan 2025)") ||
		!strings.Contains(xf3[2].(string), "E-101") {
		t.Errorf("XF-003, supervised on 2025-05-20: %v; want no progress since its acceptance", xf3)
	}
}

// TestCanonicalParquetEvents: a Parquet events file without the result column loads as
// before; one with it is checked as the CSV is.
func TestCanonicalParquetEvents(t *testing.T) {
	for _, tt := range []struct {
		name, body             string
		loaded, quarantined    int64
		wantResults, wantCodes string
	}{
		{name: "without result", body: "event_id,case_id,event_type,event_date\n" +
			"E-001,XF-001,accepted,2025-03-05\nE-002,XF-001,supervised,2025-04-01\n", loaded: 2, wantResults: "[]"},
		{name: "with result", body: "event_id,case_id,event_type,event_date,result\n" +
			"E-001,XF-001,accepted,2025-03-05,\nE-002,XF-001,evaluated,2025-04-01,basically_satisfied\n" +
			"E-003,XF-001,evaluated,2025-04-02,\nE-004,XF-001,evaluated,2025-04-03,meh\n",
			loaded: 2, quarantined: 2, wantResults: "[[E-002 basically_satisfied]]", wantCodes: "[[missing_result] [unknown_code]]"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(t)
			dir := copyTiny(t, "events.csv", nil)
			csvPath := filepath.Join(dir, "events.csv")
			if err := os.WriteFile(csvPath, []byte(tt.body), 0o644); err != nil {
				t.Fatal(err)
			}
			toParquet(t, csvPath, filepath.Join(dir, "events.parquet"), nil)
			if err := os.Remove(csvPath); err != nil {
				t.Fatal(err)
			}
			cfg.Input = dir
			s := run(t, cfg)
			var res FileResult
			for _, in := range s.Inputs {
				if in.TableName == "events" {
					res = in
				}
			}
			if res.Loaded != tt.loaded || res.Quarantined != tt.quarantined {
				t.Errorf("events.parquet: loaded %d quarantined %d, want %d and %d", res.Loaded, res.Quarantined, tt.loaded, tt.quarantined)
			}
			if got := fmt.Sprint(query(t, cfg, "SELECT event_id, result FROM events WHERE result IS NOT NULL ORDER BY 1")); got != tt.wantResults {
				t.Errorf("results %s, want %s", got, tt.wantResults)
			}
			if tt.wantCodes != "" {
				got := fmt.Sprint(query(t, cfg, "SELECT json_extract_string(reason, '$[0][0]') FROM quarantine WHERE run_id = $1 AND file = $2 ORDER BY line", s.RunID, res.Path))
				if got != tt.wantCodes {
					t.Errorf("quarantined for %s, want %s", got, tt.wantCodes)
				}
			}
		})
	}
}

// TestDatabaseWithoutResult: a database made before events had a result column gains the
// column when a run or the server (EnsureSchema) opens it, and loads and screens events with
// results.
func TestDatabaseWithoutResult(t *testing.T) {
	cfg := testConfig(t)
	run(t, cfg)
	db, err := OpenDB(context.Background(), cfg.Database, cfg)
	if err != nil {
		t.Fatal(err)
	}
	// The database as the version before this column left it.
	hasResult := func() bool {
		var n int
		if err := db.QueryRow("SELECT count(*) FROM duckdb_columns() WHERE table_name = 'events' AND column_name = 'result'").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n == 1
	}
	dropResult := func() {
		if _, err := db.Exec("ALTER TABLE events DROP COLUMN result"); err != nil {
			t.Fatal(err)
		}
		if hasResult() {
			t.Fatal("the events table still has result")
		}
	}
	dropResult()
	if err := EnsureSchema(context.Background(), db, cfg.Database); err != nil {
		t.Fatal(err)
	}
	if !hasResult() {
		t.Error("EnsureSchema did not add events.result")
	}
	dropResult()
	db.Close()

	cfg.Input = copyTiny(t, "events.csv", []byte(recordingEvents))
	s := run(t, cfg)
	if got := fmt.Sprint(query(t, cfg, "SELECT count(*) FROM events WHERE result IS NOT NULL")); got != "[[3]]" {
		t.Errorf("events with a result after the second run: %s, want 3", got)
	}
	if got := fmt.Sprint(query(t, cfg, "SELECT count(*) FROM watchlist WHERE run_id = $1 AND matter_id = 'case:XF-004'", s.RunID)); got != "[[1]]" {
		t.Errorf("XF-004 reopened by its evaluation on the watchlist: %s", got)
	}
}
