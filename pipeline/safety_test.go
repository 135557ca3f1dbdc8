package pipeline

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/pipeline/ingest"
	"github.com/earlywarn/earlywarn/pipeline/publish"
	"github.com/earlywarn/earlywarn/pipeline/runrecord"
)

// tinyWithBadCases is the tiny fixture with a cases file of four rows, two of them bad.
func tinyWithBadCases(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"contacts.csv", "events.csv"} {
		copyFile(t, filepath.Join(tinyInput, name), filepath.Join(dir, name))
	}
	cases := "case_id,received_date,channel,level,complainant_id,head_count,category,township,village,target_org,responsible_unit,status,content\n" +
		"XF-012,2025-06-20,phone,county,P-k,1,教育,城关镇,,县教育局,县教育局,办理中,来电。\n" +
		"XF-013,2025-06-31,phone,county,P-k,1,教育,城关镇,,县教育局,县教育局,办理中,日期不存在。\n" +
		"XF-014,2025-06-21,pigeon,county,P-k,1,教育,城关镇,,县教育局,县教育局,办理中,渠道不明。\n" +
		"XF-015,2025-06-22,visit,county,P-m,1,教育,城关镇,,县教育局,县教育局,办理中,来访。\n"
	if err := os.WriteFile(filepath.Join(dir, "cases.csv"), []byte(cases), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// contents fingerprints every table of the database: row count and a hash of all rows.
func contents(t *testing.T, cfg configs.Config) string {
	t.Helper()
	var b strings.Builder
	for _, r := range query(t, cfg, "SELECT table_name FROM duckdb_tables() ORDER BY table_name") {
		name := r[0].(string)
		got := query(t, cfg, `SELECT count(*), coalesce(sum(hash(t)), 0)::VARCHAR FROM "`+name+`" t`)[0]
		b.WriteString(name + "=" + strings.TrimSpace(strings.Join([]string{toString(got[0]), toString(got[1])}, "/")) + " ")
	}
	return b.String()
}

func toString(v any) string {
	b, _ := json.Marshal(v)
	return strings.Trim(string(b), `"`)
}

func TestRejectRateOverTheLimitFailsAndStoresNothing(t *testing.T) {
	cfg := testConfig(t)
	run(t, cfg)
	before := contents(t, cfg)
	outBefore := readDir(t, cfg.Output)

	cfg.Input = tinyWithBadCases(t)
	cfg.Quarantine.MaxRejectRate = 0.05
	_, err := Run(context.Background(), plan(t, cfg), Options{AsOf: asOf(t, "2025-06-30")})
	var rr *ingest.RejectRateError
	if !errors.As(err, &rr) {
		t.Fatalf("err = %v, want a reject rate error", err)
	}
	msg := i18n.Localize("en", err)
	for _, want := range []string{filepath.Join(cfg.Input, "cases.csv"), "2 of 4 rows (50.0%)", "quarantine.max_reject_rate 0.05 (5.0%)",
		"rejects by field: channel 1 (first at line 4: unknown code ", "received_date 1 (first at line 3: ",
		"nothing was stored", "--max-reject-rate 0.50"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
	if strings.Contains(msg, "\n") {
		t.Errorf("message is not one line: %q", msg)
	}
	if after := contents(t, cfg); after != before {
		t.Errorf("database changed by a run over the reject limit:\nbefore %s\nafter  %s", before, after)
	}
	if after := readDir(t, cfg.Output); !equalFiles(outBefore, after) {
		t.Error("the output folder changed although the run failed")
	}

	// At the limit (2 of 4 = 0.5) the run goes through and accounts for the rejects.
	cfg.Quarantine.MaxRejectRate = 0.5
	s := run(t, cfg)
	if s.Inputs[0].TableName != "cases" || s.Inputs[0].Quarantined != 2 || s.Inputs[0].Loaded != 2 {
		t.Errorf("cases at the limit: %+v", s.Inputs[0])
	}
}

func TestRejectRateCountsEachFileOnItsOwn(t *testing.T) {
	// The tiny fixture rejects 3 of 10 cases (30%), 1 of 13 contacts and 1 of 13 events (7.7%).
	cfg := testConfig(t)

	// Over 5%, all three files: the error names each on a line of its own under one that gives
	// the limit letting all through, not the first file alone.
	cfg.Quarantine.MaxRejectRate = 0.05
	_, err := Run(context.Background(), plan(t, cfg), Options{AsOf: asOf(t, "2025-06-30")})
	msg := i18n.Localize("zh", err)
	for _, name := range []string{"cases.csv", "contacts.csv", "events.csv"} {
		if !strings.Contains(msg, filepath.Join(cfg.Input, name)) {
			t.Errorf("the error does not name %s: %s", name, msg)
		}
	}
	if n := strings.Count(msg, "\n"); n != 3 || !strings.Contains(msg, "--max-reject-rate 0.30`）：\n") {
		t.Errorf("%d lines, want a head line and one per file: %s", n+1, msg)
	}

	cfg.Quarantine.MaxRejectRate = 0.1
	_, err = Run(context.Background(), plan(t, cfg), Options{AsOf: asOf(t, "2025-06-30")})
	var rr *ingest.RejectRateError
	if !errors.As(err, &rr) || filepath.Base(rr.File) != "cases.csv" || rr.Quarantined != 3 || rr.Read != 10 {
		t.Fatalf("err = %v, want cases.csv over the limit", err)
	}
	if _, err := os.Stat(cfg.Database); err == nil {
		t.Error("a failed first run left its database file behind")
	}
	cfg.Quarantine.MaxRejectRate = 0.3
	run(t, cfg)
}

func TestQuarantineCSVListsTheRunsRejects(t *testing.T) {
	for _, tt := range []struct{ lang, header string }{
		{"zh", "文件,行号,编号,字段,原因,原始内容"},
		{"en", "file,line,record id,field,reason,raw value"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			cfg := testConfig(t)
			cfg.Lang = tt.lang
			s := run(t, cfg)
			path := filepath.Join(cfg.Output, publish.QuarantineCSV)
			recs := readCSV(t, path, tt.header)
			if len(recs) != 5 {
				t.Fatalf("%d rows in quarantine.csv, want the 5 quarantined: %v", len(recs), recs)
			}
			perFile := map[string]int64{}
			for _, r := range recs {
				perFile[r[0]]++
				if r[3] == "" || r[4] == "" || r[5] == "" {
					t.Errorf("row without field, reason or raw value: %q", r)
				}
				// A record the reader parsed names its id; one it could not shows it in its raw text.
				if r[2] == "" && !strings.Contains(r[5], ",") || r[2] != "" && !strings.Contains(r[2], "-0") {
					t.Errorf("row without its record's id: %q", r)
				}
			}
			// Reasons are stored without language and rendered in the run's, as ingest renders them.
			var rendered []string
			for _, r := range query(t, cfg, "SELECT field, reason FROM quarantine ORDER BY file, line NULLS LAST, field, reason, raw") {
				field, _ := r[0].(string)
				rendered = append(rendered, runrecord.RenderReason(tt.lang, field, r[1].(string)))
			}
			for i, r := range recs {
				han := strings.IndexFunc(r[4], func(c rune) bool { return unicode.Is(unicode.Han, c) }) >= 0
				if i >= len(rendered) || r[4] != rendered[i] || strings.HasPrefix(r[4], "[[") || tt.lang == "zh" && !han {
					t.Errorf("reason %q, want %q rendered in %s", r[4], rendered, tt.lang)
				}
			}
			for _, f := range s.Inputs {
				if perFile[f.Path] != f.Quarantined {
					t.Errorf("%s: %d rows in quarantine.csv, summary says %d", f.Path, perFile[f.Path], f.Quarantined)
				}
			}
			// The CSV reader knows the line of a row it could not parse: received_date of XF-009.
			found := false
			for _, r := range recs {
				if r[3] == runrecord.FieldName(tt.lang, "received_date") && r[1] != "" && strings.Contains(r[5], "XF-") {
					found = true
				}
			}
			if !found {
				t.Errorf("no reject with its line: %q", recs)
			}
			if !slices.Contains(s.Outputs, path) {
				t.Errorf("outputs %v lack %s", s.Outputs, path)
			}

			// The next run finds nothing new and leaves the first run's outputs in place; one
			// told to screen in full loads nothing new, so its quarantine.csv has the header only.
			if again := run(t, cfg); again.Standing != s.RunID || len(readCSV(t, path, tt.header)) != len(recs) {
				t.Errorf("a run with nothing new: standing %q, want %s; quarantine.csv changed", again.Standing, s.RunID)
			}
			runFull(t, cfg)
			if recs := readCSV(t, path, tt.header); len(recs) != 0 {
				t.Errorf("second run's quarantine.csv: %v", recs)
			}
		})
	}
}

// TestSameInputsGiveByteIdenticalOutputs runs the same inputs, config and as-of date into two
// fresh databases (with 2 and 1 DuckDB threads) and once more on the same database. watchlist.csv and watchlist.parquet are
// byte-identical every time; between fresh databases quarantine.csv is too, and summary.json
// differs only in run id, start and finish times and seconds.
func TestSameInputsGiveByteIdenticalOutputs(t *testing.T) {
	for _, input := range []string{tinyInput, "../data/sample"} {
		t.Run(filepath.Base(input), func(t *testing.T) {
			cfg := testConfig(t)
			cfg.Input = input
			first := runAndRead(t, cfg)
			if err := os.Remove(cfg.Database); err != nil {
				t.Fatal(err)
			}
			cfg.Threads = 1 // DuckDB's parallelism must not change the outputs either
			second := runAndRead(t, cfg)
			for _, name := range []string{publish.WatchlistCSV, publish.WatchlistParquet, publish.QuarantineCSV} {
				if !bytes.Equal(first[name], second[name]) {
					t.Errorf("%s differs between two fresh databases", name)
				}
			}
			if a, b := stableSummary(t, first[publish.SummaryJSON]), stableSummary(t, second[publish.SummaryJSON]); a != b {
				t.Errorf("summary.json differs beyond run id and timings:\n%s\n%s", a, b)
			}
			if !bytes.Contains(first[publish.WatchlistCSV], []byte("\n1,")) {
				t.Fatalf("the watchlist is empty; nothing was compared:\n%s", first[publish.WatchlistCSV])
			}

			third := runAndRead(t, cfg) // same database, inputs skipped
			for _, name := range []string{publish.WatchlistCSV, publish.WatchlistParquet} {
				if !bytes.Equal(first[name], third[name]) {
					t.Errorf("%s differs on a re-run on the same database", name)
				}
			}
		})
	}
}

func runAndRead(t *testing.T, cfg configs.Config) map[string][]byte {
	t.Helper()
	run(t, cfg)
	return readDir(t, cfg.Output)
}

// stableSummary is summary.json without the fields that differ between runs by design: run id,
// start and finish times, and seconds.
func stableSummary(t *testing.T, b []byte) string {
	t.Helper()
	var s map[string]any
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"run_id", "started_at", "finished_at", "timings_seconds"} {
		delete(s, k)
	}
	for _, f := range s["inputs"].([]any) {
		delete(f.(map[string]any), "seconds")
	}
	for _, r := range s["rules"].(map[string]any) {
		delete(r.(map[string]any), "seconds")
	}
	out, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// readDir returns every file in dir by name.
func readDir(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = b
	}
	return out
}

func equalFiles(a, b map[string][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !bytes.Equal(v, b[k]) {
			return false
		}
	}
	return true
}

// readCSV reads a BOM-prefixed CSV, checks its header and returns the records after it.
func readCSV(t *testing.T, path, header string) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("\ufeff")) {
		t.Errorf("%s has no UTF-8 byte-order mark", path)
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) == 0 || strings.Join(recs[0], ",") != header {
		t.Fatalf("%s header %v, want %s", path, recs, header)
	}
	return recs[1:]
}
